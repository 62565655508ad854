//! `resolve/test_amounts.rs`: `[[test_amount]]`. The fixture has none; each case adds
//! `minimal/test_amounts.toml`.

use super::Case;

/// One `[[test_amount]]` with `pay_type`, `cents` and `outcome` as given (lines 2–4).
fn amount(pay_type: &str, cents: &str, outcome: &str) -> String {
    format!(
        "[[test_amount]]\npay_type = \"{pay_type}\"\ncents = {cents}\noutcome = \"{outcome}\"\ndoc = \"A test amount.\"\n"
    )
}

fn amounts(text: &str) -> Case {
    Case::minimal().add("test_amounts.toml", text)
}

#[test]
fn a_test_amount_is_valid() {
    amounts(&amount("Demo", "81", "timeout")).valid();
}

#[test]
fn a_test_amount_names_a_declared_pay_type() {
    amounts(&amount("Dmeo", "81", "timeout"))
        .one_error()
        .at("minimal/test_amounts.toml:2:12", "\"Dmeo\"")
        .says("unknown PayType value `Dmeo`")
        .helps("did you mean `Demo`?");
}

#[test]
fn test_amount_cents_are_two_digits() {
    amounts(&amount("Demo", "181", "timeout"))
        .one_error()
        .at("minimal/test_amounts.toml:3:9", "181")
        .says("cents are the last two decimal digits, 0 to 99")
        .helps("write e.g. `cents = 81` for 0.81");
}

#[test]
fn an_unknown_test_outcome_lists_the_outcomes() {
    amounts(&amount("Demo", "81", "slow"))
        .one_error()
        .at("minimal/test_amounts.toml:4:11", "\"slow\"")
        .says("unknown test outcome `slow`")
        .helps("use one of: success, timeout, failed, server_error_no_qr_code, server_error_no_state");
}

#[test]
fn an_unknown_test_outcome_close_to_one_suggests_it() {
    amounts(&amount("Demo", "81", "timout"))
        .one_error()
        .says("unknown test outcome `timout`")
        .helps("did you mean `timeout`?");
}

#[test]
fn a_test_amount_is_listed_once_per_pay_type() {
    amounts(&(amount("Demo", "81", "timeout") + "\n" + &amount("Demo", "81", "failed")))
        .one_error()
        .at("minimal/test_amounts.toml:9:9", "81")
        .says("test amount .81 for Demo is listed twice")
        .helps("remove the duplicate");
}

#[test]
fn a_test_amount_without_an_outcome_is_told_the_outcomes() {
    amounts(&amount("Demo", "81", "timeout").replace("outcome = \"timeout\"\n", ""))
        .one_error()
        .at("minimal/test_amounts.toml:3:9", "81")
        .says("test amount .81 for Demo has no `outcome`")
        .helps(
            "add `outcome = \"…\"` to this table, one of: success, timeout, failed, server_error_no_qr_code, \
             server_error_no_state",
        );
}
