//! `resolve/recognition.rs`, the order of rules: requests without a `service` field on one
//! endpoint told apart by `[[interface.recognize]]` (the notifications' mechanism), and a rule
//! more specific than another — its conditions imply the other's — winning, so a new scene
//! states its recognition in its own files. Every two overlapping alternatives of different
//! rules must be strictly ordered; where not, the error names the rule to change and the
//! conditions that would order it.

use super::{Case, query_interface};

const NOTIFICATION: &str = "notification.toml";

/// The fixture's query interface named `name`, with `rule` (a `when = [...]` line) as its
/// recognition rule.
fn query_with_rule(name: &str, rule: &str) -> String {
    query_interface(name, "/Servlet/Query.do").replace(
        "doc = \"A query.\"\n",
        &format!("doc = \"A query.\"\n\n[[interface.recognize]]\n{rule}\n\n[[field]]\nwire = \"paytype\"\ntype = \"string\"\ndoc = \"Payment type.\"\n"),
    )
}

/// A second notification in a scene of its own, whose only rule is `rule`.
fn second_notification(rule: &str) -> Case {
    let case = Case::minimal();
    let original = case.files.iter().find(|f| f.display.ends_with(NOTIFICATION)).unwrap().text.clone();
    let ours = "when = [{ field = \"notify_type\", present = true }, { field = \"return_status\", present = false }]";
    let second = original
        .replace("name = \"payment_notification\"", "name = \"refund_notification\"")
        .replace("purpose = \"payment_notification\"", "purpose = \"refund_notification\"")
        .replace(ours, rule)
        + "\n[[scene]]\nname = \"second\"\ndoc = \"A second scene.\"\ninterfaces = [\"refund_notification\"]\n";
    case.add("interfaces/second.toml", &second)
}

#[test]
fn a_request_without_service_told_apart_by_a_rule_shares_the_endpoint() {
    Case::minimal()
        .add("interfaces/query.toml", &query_interface("query", "/Servlet/Query.do"))
        .add(
            "interfaces/query_by_paytype.toml",
            &query_with_rule("query_by_paytype", "when = [{ field = \"paytype\", present = true }]"),
        )
        .valid();
}

#[test]
fn requests_without_service_told_apart_by_disjoint_rules_share_the_endpoint() {
    Case::minimal()
        .add("interfaces/query.toml", &query_with_rule("query", "when = [{ field = \"paytype\", present = false }]"))
        .add(
            "interfaces/query_by_paytype.toml",
            &query_with_rule("query_by_paytype", "when = [{ field = \"paytype\", present = true }]"),
        )
        .valid();
}

#[test]
fn requests_whose_rules_overlap_unordered_are_refused_with_the_condition_that_orders_them() {
    Case::minimal()
        .add(
            "interfaces/query.toml",
            &query_with_rule("query", "when = [{ field = \"paytype\", is = [\"A\", \"B\"] }]"),
        )
        .add(
            "interfaces/query_b.toml",
            &query_with_rule("query_b", "when = [{ field = \"paytype\", is = [\"B\", \"C\"] }]"),
        )
        .one_error()
        .at("minimal/interfaces/query_b.toml:10:8", "[{ field = \"paytype\", is = [\"B\", \"C\"] }]")
        .says("a request to /Servlet/Query.do without a `service` field could be read both as `query` and as `query_b`")
        .helps("by adding `{ field = \"paytype\", is = [\"A\", \"B\"] }`; `query`'s file needs no change");
}

#[test]
fn a_request_with_a_service_field_needs_no_rule() {
    Case::minimal()
        .after(
            "place_order.toml",
            "doc = \"Place an order.\"\n",
            "\n[[interface.recognize]]\nwhen = [{ field = \"paytype\", present = true }]\n",
        )
        .one_error()
        .says("`place_order` is neither a notification nor a request without a `service` field, so it needs no recognition rule");
}

#[test]
fn a_notification_more_specific_than_another_is_accepted_in_its_own_file() {
    // The second implies the fixture's rule and adds a field: where both hold, it wins.
    second_notification(
        "when = [{ field = \"notify_type\", present = true }, { field = \"return_status\", present = false }, { field = \"scene_type\", present = true }]",
    )
    .valid();
}

#[test]
fn a_notification_with_the_same_rule_as_another_is_refused() {
    second_notification(
        "when = [{ field = \"return_status\", present = false }, { field = \"notify_type\", present = true }]",
    )
    .one_error()
    .at(
        "minimal/interfaces/second.toml:8:8",
        "[{ field = \"return_status\", present = false }, { field = \"notify_type\", present = true }]",
    )
    .says("a body could be recognized both as `payment_notification` and as `refund_notification`")
    .helps("the two rules match the same bodies");
}

#[test]
fn an_unordered_overlap_names_the_new_rule_and_what_it_lacks() {
    // Two conditions of the fixture's are not implied; the fixture's rule would need three of
    // the second's: the second is the one to change.
    second_notification(
        "when = [{ field = \"refund_no\", present = true }, { field = \"scene_type\", present = true }, { field = \"openid\", present = true }]",
    )
    .one_error()
    .at(
        "minimal/interfaces/second.toml:8:8",
        "[{ field = \"refund_no\", present = true }, { field = \"scene_type\", present = true }, { field = \"openid\", present = true }]",
    )
    .says("a body could be recognized both as `payment_notification` and as `refund_notification`")
    .helps("by adding `{ field = \"notify_type\", present = true }`, `{ field = \"return_status\", present = false }`; `payment_notification`'s file needs no change");
}

#[test]
fn an_unordered_overlap_with_a_more_general_newcomer_names_the_older_rule() {
    // The second says less than the fixture's: it is the fixture's rule that is one condition
    // short of being the more specific.
    second_notification("when = [{ field = \"refund_no\", present = true }]")
        .one_error()
        .at(
            "minimal/interfaces/notification.toml:8:8",
            "[{ field = \"notify_type\", present = true }, { field = \"return_status\", present = false }]",
        )
        .says("a body could be recognized both as `payment_notification` and as `refund_notification`")
        .helps("by adding `{ field = \"refund_no\", present = true }`; `refund_notification`'s file needs no change");
}
