#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! `eftpay spec`: what it lists must be the SDK's generated tables, in text and in JSON.

use std::process::{Command, Output};

use eftpay::{Interface, PayType, SERVICES, TEST_AMOUNTS, Wallet};

fn eftpay(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_eftpay"))
        .args(args)
        .env_remove("EFTPAY_SECRET")
        .env_remove("EFTPAY_USER_CONFIRM_KEY")
        .env_remove("EFTPAY_BASE_URL")
        .output()
        .expect("the eftpay binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

fn assert_exit(output: &Output, code: i32) {
    assert_eq!(output.status.code(), Some(code), "stdout: {}\nstderr: {}", stdout(output), stderr(output));
}

/// The service names the text listing shows as block headings (lines that start unindented).
fn listed_services(text: &str) -> Vec<&str> {
    text.lines().filter(|line| line.starts_with("service.")).collect()
}

fn services_of(interface: Interface) -> Vec<&'static str> {
    SERVICES.iter().filter(|rules| rules.interface == interface).map(|rules| rules.service.as_str()).collect()
}

fn json(output: &Output) -> Vec<serde_json::Value> {
    serde_json::from_str(&stdout(output)).unwrap_or_else(|e| panic!("not a JSON array ({e}): {}", stdout(output)))
}

#[test]
fn spec_lists_all_19_place_order_services_and_every_refund_service() {
    let output = eftpay(&["spec"]);
    assert_exit(&output, 0);
    let text = stdout(&output);
    let listed = listed_services(&text);

    let place_order = services_of(Interface::PlaceOrder);
    assert_eq!(place_order.len(), 19);
    let refunds: Vec<&str> =
        services_of(Interface::Refund).into_iter().chain(services_of(Interface::ApplyRefund)).collect();
    assert!(refunds.contains(&"service.alipay.web.Refund") && refunds.contains(&"service.wechat.web.ApplyRefund"));
    for name in place_order.iter().chain(&refunds) {
        assert!(listed.contains(name), "{name} missing from:\n{text}");
    }
    assert_eq!(listed.len(), SERVICES.len(), "{text}");
    assert!(
        text.ends_with(&format!("{} services: 19 place_order, 6 refund, 1 apply_refund\n", SERVICES.len())),
        "{text}"
    );
}

#[test]
fn spec_shows_each_services_rules_with_the_default_pay_scene_first() {
    let text = stdout(&eftpay(&["spec", "service.payme.web.PreOrder"]));
    let field = |name: &str| {
        text.lines()
            .find_map(|line| line.trim_start().strip_prefix(name).filter(|rest| rest.starts_with(' ')))
            .map(str::trim)
            .unwrap_or_else(|| panic!("no `{name}` line in:\n{text}"))
    };
    assert_eq!(field("interface"), "place_order (/Servlet/JSAPIService.do)");
    assert_eq!(field("payType"), "PAYME");
    assert_eq!(field("wallets"), "PAYME");
    assert_eq!(field("pay_scenes"), "WEB (default), APP");
    assert_eq!(field("notifications"), "until_acknowledged");
}

#[test]
fn spec_names_the_flags_and_explains_them_once() {
    let text = stdout(&eftpay(&["spec", "fps"]));
    assert!(text.lines().any(|line| line.trim() == "flags          no_refund"), "{text}");
    let legend = text.split("flags:\n").nth(1).unwrap_or_else(|| panic!("no legend in:\n{text}"));
    assert!(legend.contains("no_refund") && legend.contains("cannot be refunded"), "{text}");
}

#[test]
fn spec_json_parses_and_has_one_object_per_generated_service() {
    let output = eftpay(&["spec", "--json"]);
    assert_exit(&output, 0);
    let services = json(&output);
    assert_eq!(services.len(), SERVICES.len());
    for (object, rules) in services.iter().zip(SERVICES) {
        assert_eq!(object["service"], rules.service.as_str());
        assert_eq!(object["interface"], rules.interface.name());
        assert_eq!(object["payType"], rules.pay_type.as_str());
        let wallets: Vec<&str> = rules.wallets.iter().map(Wallet::as_str).collect();
        assert_eq!(object["wallets"], serde_json::json!(wallets));
        assert_eq!(object["pay_scenes"][0], object["default_pay_scene"]);
        assert_eq!(object["langs"].as_array().unwrap().len(), rules.langs.len());
        assert_eq!(object["flags"].as_array().unwrap().len(), rules.flags.len());
        assert!(object["notifications"].is_string() && object["doc"].is_string(), "{object}");
    }
}

#[test]
fn spec_filter_keeps_only_services_whose_name_contains_it_ignoring_case() {
    let output = eftpay(&["spec", "--json", "REFUND"]);
    assert_exit(&output, 0);
    let names: Vec<String> = json(&output).iter().map(|o| o["service"].as_str().unwrap().to_owned()).collect();
    let expected: Vec<&str> =
        SERVICES.iter().map(|r| r.service.as_str()).filter(|n| n.to_lowercase().contains("refund")).collect();
    assert_eq!(names, expected);
    assert_eq!(names.len(), 7);

    let text = stdout(&eftpay(&["spec", "wechat"]));
    let listed = listed_services(&text);
    assert!(!listed.is_empty() && listed.iter().all(|name| name.contains("wechat")), "{text}");
}

#[test]
fn spec_filter_matching_nothing_is_a_usage_error_that_says_so() {
    let output = eftpay(&["spec", "no-such-service"]);
    assert_exit(&output, 2);
    assert!(stderr(&output).contains("no service name contains `no-such-service`"), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
}

#[test]
fn spec_wallets_lists_every_pay_type_with_its_wallets() {
    let text = stdout(&eftpay(&["spec", "--wallets"]));
    assert!(
        text.lines().any(|line| line.split_whitespace().collect::<Vec<_>>() == ["Alipay", "ALIPAYCN,", "ALIPAYHK"])
    );
    let output = eftpay(&["spec", "--wallets", "--json"]);
    assert_exit(&output, 0);
    let pay_types = json(&output);
    assert_eq!(pay_types.len(), PayType::ALL.len());
    let listed: usize = pay_types.iter().map(|p| p["wallets"].as_array().unwrap().len()).sum();
    assert_eq!(listed, Wallet::ALL.len(), "every wallet belongs to exactly one payType");
}

#[test]
fn spec_test_amounts_lists_the_payme_uat_table() {
    let text = stdout(&eftpay(&["spec", "--test-amounts"]));
    assert!(text.lines().any(|line| line.starts_with("PAYME") && line.contains(".81") && line.contains("success")));
    let amounts = json(&eftpay(&["spec", "--test-amounts", "--json"]));
    assert_eq!(amounts.len(), TEST_AMOUNTS.len());
    assert_eq!(amounts[0]["payType"], TEST_AMOUNTS[0].pay_type.as_str());
    assert_eq!(amounts[0]["cents"], TEST_AMOUNTS[0].cents);
}

#[test]
fn spec_needs_no_credentials() {
    assert_exit(&eftpay(&["spec", "--wallets"]), 0);
}

#[test]
fn spec_views_cannot_be_combined() {
    assert_exit(&eftpay(&["spec", "--wallets", "--test-amounts"]), 2);
    assert_exit(&eftpay(&["spec", "alipay", "--wallets"]), 2);
}
