#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! `eftpay spec`: what it lists must be the SDK's catalog — every count and list below is
//! derived from `eftpay::CATALOG`, in text and in JSON.

use std::process::Output;

mod support;

use eftpay::CATALOG;
use eftpay::catalog::ServiceInfo;
use support::{Status, assert_exit, stderr, stdout};

fn eftpay(args: &[&str]) -> Output {
    support::eftpay(args).output().expect("the eftpay binary runs")
}

/// The service names the text listing shows as block headings: unindented lines that name a row.
fn listed_services(text: &str) -> Vec<&str> {
    text.lines().filter(|line| CATALOG.service(line).is_some()).collect()
}

/// The `name  value` lines of the block headed `heading`.
fn block<'a>(text: &'a str, heading: &str) -> Vec<&'a str> {
    text.lines().skip_while(|line| *line != heading).skip(1).take_while(|line| line.starts_with("  ")).collect()
}

fn value<'a>(block: &[&'a str], name: &str) -> Vec<&'a str> {
    block
        .iter()
        .filter_map(|line| line.trim_start().strip_prefix(name).filter(|rest| rest.starts_with("  ")))
        .map(str::trim)
        .collect()
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_str(&stdout(output)).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(output)))
}

#[test]
fn spec_lists_every_scene_with_its_interfaces_by_purpose_and_its_demo() {
    let output = eftpay(&["spec"]);
    assert_exit(&output, Status::Ok);
    let text = stdout(&output);
    for scene in CATALOG.scenes {
        let lines = block(&text, &format!("scene {}", scene.name));
        assert!(!lines.is_empty(), "scene {} missing:\n{text}", scene.name);
        for name in scene.interfaces {
            let interface = CATALOG.interface(name).unwrap();
            let shown = value(&lines, interface.purpose.name());
            assert!(shown.iter().any(|v| v.starts_with(interface.name)), "{}: {name} in {lines:?}", scene.name);
        }
        assert_eq!(value(&lines, "demo"), [format!("eftpay demo --scene {}", scene.name)]);
    }
}

#[test]
fn spec_lists_every_service_once_and_counts_them_by_interface() {
    let text = stdout(&eftpay(&["spec"]));
    let listed = listed_services(&text);
    let names: Vec<&str> = CATALOG.services.iter().map(|row| row.name).collect();
    assert_eq!(listed, names, "{text}");
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for row in CATALOG.services {
        match counts.iter_mut().find(|(name, _)| *name == row.interface) {
            Some((_, n)) => *n += 1,
            None => counts.push((row.interface, 1)),
        }
    }
    let parts: Vec<String> = counts.iter().map(|(name, n)| format!("{n} {name}")).collect();
    assert!(text.ends_with(&format!("{} services: {}\n", names.len(), parts.join(", "))), "{text}");
}

/// A row with the most to show: a payType, several pay_scenes.
fn rich_row() -> &'static ServiceInfo {
    CATALOG.services.iter().copied().find(|row| row.pay_type.is_some() && row.pay_scenes.len() > 1).unwrap()
}

#[test]
fn spec_shows_each_services_rules_and_rust_names() {
    let row = rich_row();
    let text = stdout(&eftpay(&["spec", row.name]));
    let lines = block(&text, row.name);
    let interface = CATALOG.interface(row.interface).unwrap();
    let endpoint = interface.endpoint.unwrap();
    assert_eq!(value(&lines, "interface"), [format!("{} ({endpoint})", interface.name)]);
    assert_eq!(value(&lines, "payType"), [row.pay_type.unwrap()]);
    assert_eq!(value(&lines, "wallets"), [row.wallets.join(", ")]);
    let (default, rest) = row.pay_scenes.split_first().unwrap();
    let scenes: Vec<String> =
        std::iter::once(format!("{default} (default)")).chain(rest.iter().map(|s| (*s).to_owned())).collect();
    assert_eq!(value(&lines, "pay_scenes"), [scenes.join(", ")]);
    assert_eq!(value(&lines, "rust"), [format!("services::{}", row.rust)]);
    let constructors = value(&lines, "constructor");
    let purpose = interface.purpose.name();
    assert!(!constructors.is_empty(), "{text}");
    let wallet = CATALOG.wallet_rust(row.wallets[0]).unwrap();
    for constructor in constructors {
        assert!(constructor.starts_with(&format!("services::{}::{purpose}", row.rust)), "{constructor}");
        assert!(constructor.contains(&format!("wallets::{wallet}")), "{constructor}");
    }
    let wallet_types: Vec<String> =
        row.wallets.iter().map(|w| format!("wallets::{}", CATALOG.wallet_rust(w).unwrap())).collect();
    assert_eq!(value(&lines, "wallet types"), [wallet_types.join(", ")]);
    let scenes: Vec<&str> = CATALOG.scenes_of(row.interface).map(|s| s.name).collect();
    assert_eq!(value(&lines, "scene"), [scenes.join(", ")]);
}

#[test]
fn spec_shows_the_constructor_taking_what_the_row_always_requires() {
    // A row that lacks the flag excusing a field required unless that flag: the field is a
    // parameter of its constructor, so `eftpay spec` tells the user before they compile.
    let (row, field) = CATALOG
        .services
        .iter()
        .find_map(|row| {
            let interface = CATALOG.interface(row.interface)?;
            let field = interface.fields.iter().find(|f| {
                f.is_caller_set() && f.required && f.required_unless.is_some_and(|flag| !row.has_flag(flag))
            })?;
            Some((row, field))
        })
        .unwrap();
    let text = stdout(&eftpay(&["spec", row.name]));
    let constructors = value(&block(&text, row.name), "constructor");
    assert!(!constructors.is_empty(), "{text}");
    for constructor in constructors {
        let parameters = constructor.split_once('(').unwrap().1.trim_end_matches(')');
        assert!(parameters.split(", ").any(|p| p == field.rust), "{constructor} lacks `{}`", field.rust);
    }
}

#[test]
fn spec_names_the_flags_and_explains_them_once() {
    let flagged = CATALOG.services.iter().find(|row| !row.flags.is_empty()).unwrap();
    let text = stdout(&eftpay(&["spec", flagged.name]));
    assert_eq!(value(&block(&text, flagged.name), "flags"), [flagged.flags.join(", ")]);
    let legend = text.split("flags:\n").nth(1).unwrap_or_else(|| panic!("no legend in:\n{text}"));
    for name in flagged.flags {
        assert_eq!(legend.lines().filter(|line| line.trim_start().starts_with(name)).count(), 1, "{text}");
    }
}

#[test]
fn spec_shows_row_defaults_and_fixed_values() {
    for row in CATALOG.services.iter().filter(|row| !row.defaults.is_empty() || !row.fixed.is_empty()) {
        let text = stdout(&eftpay(&["spec", row.name]));
        let lines = block(&text, row.name);
        for (name, list) in [("defaults", row.defaults), ("fixed", row.fixed)] {
            for (wire, v) in list {
                assert!(value(&lines, name)[0].contains(&format!("{wire}={v}")), "{}: {lines:?}", row.name);
            }
        }
    }
}

#[test]
fn spec_json_has_every_scene_and_one_object_per_service() {
    let output = eftpay(&["spec", "--json"]);
    assert_exit(&output, Status::Ok);
    let all = json(&output);
    let scenes = all["scenes"].as_array().unwrap();
    assert_eq!(scenes.len(), CATALOG.scenes.len());
    for (object, scene) in scenes.iter().zip(CATALOG.scenes) {
        assert_eq!(object["name"], scene.name);
        assert_eq!(object["interfaces"].as_object().unwrap().len(), scene.interfaces.len());
    }
    let services = all["services"].as_array().unwrap();
    assert_eq!(services.len(), CATALOG.services.len());
    for (object, row) in services.iter().zip(CATALOG.services) {
        assert_eq!(object["service"], row.name);
        assert_eq!(object["rust"], format!("services::{}", row.rust));
        assert_eq!(object["interface"], row.interface);
        assert_eq!(object["payType"], serde_json::json!(row.pay_type));
        assert_eq!(object["wallets"], serde_json::json!(row.wallets));
        assert_eq!(object["wallets_rust"].as_array().unwrap().len(), row.wallets.len());
        assert_eq!(object["pay_scenes"], serde_json::json!(row.pay_scenes));
        assert_eq!(object["default_pay_scene"], serde_json::json!(row.pay_scenes.first()));
        assert_eq!(object["langs"], serde_json::json!(row.langs));
        assert_eq!(object["flags"], serde_json::json!(row.flags));
        assert_eq!(object["defaults"].as_object().unwrap().len(), row.defaults.len());
        assert_eq!(object["fixed"].as_object().unwrap().len(), row.fixed.len());
        assert_eq!(object["notifications"], row.notifications.name());
        let by_wallet = object["wallet_notifications"].as_object().unwrap();
        assert_eq!(by_wallet.len(), row.wallet_notifications.len());
        for (wallet, behaviour) in row.wallet_notifications {
            assert_eq!(by_wallet[*wallet], behaviour.name(), "{} {wallet}", row.name);
        }
        assert!(object["doc"].is_string(), "{object}");
    }
}

#[test]
fn spec_shows_how_a_row_notifies_for_each_wallet_that_differs() {
    let row = CATALOG
        .services
        .iter()
        .find(|row| !row.wallet_notifications.is_empty())
        .expect("the spec has a row that notifies per wallet");
    let output = eftpay(&["spec", row.name]);
    assert_exit(&output, Status::Ok);
    let text = stdout(&output);
    let line = block(&text, row.name).into_iter().find(|line| line.trim_start().starts_with("notifications")).unwrap();
    assert!(line.contains(row.notifications.name()), "{line}");
    for (wallet, behaviour) in row.wallet_notifications {
        assert!(line.contains(&format!("{wallet}: {}", behaviour.name())), "{line}");
    }
}

#[test]
fn spec_filter_keeps_only_services_whose_name_contains_it_ignoring_case() {
    let needle = CATALOG.services.last().unwrap().name.rsplit('.').next().unwrap().to_uppercase();
    let output = eftpay(&["spec", "--json", &needle]);
    assert_exit(&output, Status::Ok);
    let names: Vec<String> = json(&output)["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["service"].as_str().unwrap().to_owned())
        .collect();
    let expected: Vec<&str> = CATALOG
        .services
        .iter()
        .filter(|r| {
            r.name.to_lowercase().contains(&needle.to_lowercase())
                || r.rust.to_lowercase().contains(&needle.to_lowercase())
        })
        .map(|r| r.name)
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(names, expected);

    let rust = CATALOG.services[0].rust;
    let text = stdout(&eftpay(&["spec", rust]));
    assert!(listed_services(&text).contains(&CATALOG.services[0].name), "a Rust name filters too: {text}");
}

#[test]
fn spec_filter_matching_nothing_is_a_usage_error_that_says_so() {
    let output = eftpay(&["spec", "no-such-service"]);
    assert_exit(&output, Status::Usage);
    assert!(stderr(&output).contains("no service name contains `no-such-service`"), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
}

#[test]
fn spec_wallets_lists_every_pay_type_with_its_wallets_and_rust_names() {
    let text = stdout(&eftpay(&["spec", "--wallets"]));
    for pay_type in CATALOG.pay_types {
        let line = text.lines().find(|line| line.split_whitespace().next() == Some(pay_type.wire)).unwrap();
        for (wire, rust) in pay_type.wallets {
            assert!(line.contains(wire) && line.contains(&format!("wallets::{rust}")), "{line}");
        }
    }
    let output = eftpay(&["spec", "--wallets", "--json"]);
    assert_exit(&output, Status::Ok);
    let pay_types = json(&output);
    assert_eq!(pay_types.as_array().unwrap().len(), CATALOG.pay_types.len());
    let listed: usize = pay_types.as_array().unwrap().iter().map(|p| p["wallets"].as_array().unwrap().len()).sum();
    let known: usize = CATALOG.pay_types.iter().map(|p| p.wallets.len()).sum();
    assert_eq!(listed, known);
}

#[test]
fn spec_test_amounts_lists_the_catalogs_table() {
    let text = stdout(&eftpay(&["spec", "--test-amounts"]));
    for amount in CATALOG.test_amounts {
        let cents = format!(".{:02}", amount.cents);
        assert!(text.lines().any(|line| line.starts_with(amount.pay_type) && line.contains(&cents)), "{cents}: {text}");
    }
    let amounts = json(&eftpay(&["spec", "--test-amounts", "--json"]));
    assert_eq!(amounts.as_array().unwrap().len(), CATALOG.test_amounts.len());
    assert_eq!(amounts[0]["payType"], CATALOG.test_amounts[0].pay_type);
    assert_eq!(amounts[0]["cents"], CATALOG.test_amounts[0].cents);
    for (object, amount) in amounts.as_array().unwrap().iter().zip(CATALOG.test_amounts) {
        assert_eq!(object["outcome"], amount.outcome.name());
    }
}

#[test]
fn spec_needs_no_credentials() {
    assert_exit(&eftpay(&["spec", "--wallets"]), Status::Ok);
}

#[test]
fn spec_views_cannot_be_combined() {
    assert_exit(&eftpay(&["spec", "--wallets", "--test-amounts"]), Status::Usage);
    assert_exit(&eftpay(&["spec", CATALOG.services[0].name, "--wallets"]), Status::Usage);
}
