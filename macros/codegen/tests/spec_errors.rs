//! Spec mistakes a maintainer can make, one rule each: every one is reported with
//! `file:line:column`, the offending line, and what would fix it; all errors of a pass are
//! reported together; and no input makes the checker panic.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)] // test helpers may fail loudly

use std::path::Path;

use eftpay_codegen::source::{SpecFile, read_dir};
use proptest::prelude::*;

fn minimal() -> Vec<SpecFile> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    read_dir(&root.join("minimal"), &root).expect("fixture is readable")
}

/// The minimal fixture with `find` replaced by `replace` in the file whose path ends with `file`.
fn errors_after(file: &str, find: &str, replace: &str) -> Vec<String> {
    let mut files = minimal();
    let target = files.iter_mut().find(|f| f.display.ends_with(file)).expect("fixture file exists");
    assert!(target.text.contains(find), "fixture {file} has no `{find}`");
    target.text = target.text.replacen(find, replace, 1);
    eftpay_codegen::check(&files).errors
}

fn single(errors: &[String]) -> &str {
    assert_eq!(errors.len(), 1, "expected exactly one error, got:\n{}", errors.join("\n\n"));
    &errors[0]
}

#[test]
fn the_fixture_itself_is_valid() {
    assert_eq!(eftpay_codegen::check(&minimal()).errors, Vec::<String>::new());
}

#[test]
fn unknown_wallet_names_file_line_column_and_suggests_the_closest() {
    let errors = errors_after("services.toml", r#"wallets = ["DEMOA", "DEMOB"]"#, r#"wallets = ["DEMOA", "DEMOX"]"#);
    let e = single(&errors);
    assert!(e.starts_with("minimal/services.toml:9:21: unknown wallet `DEMOX`"), "{e}");
    assert!(e.contains(r#"9 | wallets = ["DEMOA", "DEMOX"]"#), "{e}");
    assert!(e.contains("^^^^^^^"), "{e}");
    assert!(e.contains("did you mean `DEMOA`?") || e.contains("did you mean `DEMOB`?"), "{e}");
}

#[test]
fn wallet_of_another_pay_type_is_rejected() {
    let errors = errors_after("services.toml", r#"wallets = ["DEMOA", "DEMOB"]"#, r#"wallets = ["DEMOA", "OTHERW"]"#);
    let e = single(&errors);
    assert!(e.contains("wallet `OTHERW` belongs to payType `Other`, not to this service's payType `Demo`"), "{e}");
    assert!(e.contains("use a wallet of `Demo`: DEMOA, DEMOB"), "{e}");
}

#[test]
fn toml_syntax_error_points_at_the_line() {
    let errors = errors_after("services.toml", r#"pay_type = "Demo""#, r#"pay_type = "Demo"#);
    let e = errors.first().expect("an error");
    assert!(e.starts_with("minimal/services.toml:8:"), "{e}");
    assert!(e.contains("invalid spec table"), "{e}");
}

#[test]
fn duplicate_field_is_rejected() {
    let errors = errors_after("place_order.toml", "wire = \"out_trade_no\"", "wire = \"transaction_amount\"");
    let e = single(&errors);
    assert!(e.contains("duplicate field `transaction_amount` in the [[field]] table of `place_order`"), "{e}");
    assert!(e.starts_with("minimal/interfaces/place_order.toml:"), "{e}");
}

#[test]
fn unknown_field_type_lists_the_known_ones() {
    let errors = errors_after("place_order.toml", "type = \"amount\"", "type = \"amonut\"");
    let e = single(&errors);
    assert!(e.contains("unknown field type `amonut` for `transaction_amount`"), "{e}");
    assert!(e.contains("did you mean `amount`?"), "{e}");
}

#[test]
fn unknown_table_key_is_rejected() {
    let errors = errors_after(
        "services.toml",
        "notifications = \"until_acknowledged\"",
        "notification = \"until_acknowledged\"",
    );
    let e = errors.first().expect("an error");
    assert!(e.contains("notification"), "{e}");
    assert!(e.starts_with("minimal/services.toml:"), "{e}");
}

#[test]
fn rust_name_collision_between_fields_is_rejected() {
    let errors = errors_after("place_order.toml", "wire = \"pay_scene\"", "wire = \"pay_type\"");
    let e = single(&errors);
    assert!(
        e.contains("fields `payType` and `pay_type` of `place_order` both become the Rust field `pay_type`"),
        "{e}"
    );
}

#[test]
fn wire_value_that_is_no_rust_name_needs_a_rust_name() {
    let errors = errors_after("enums.toml", "{ wire = \"APP\", doc = \"App.\" }", "{ wire = \"00\", doc = \"App.\" }");
    let e = single(&errors);
    assert!(e.contains("`00` does not make a Rust name"), "{e}");
    assert!(e.contains("add `rust = \"SomeName\"`"), "{e}");
}

#[test]
fn unknown_pay_scene_in_a_service_row_is_rejected() {
    let errors = errors_after("services.toml", r#"pay_scenes = ["WEB"]"#, r#"pay_scenes = ["WAP"]"#);
    let e = single(&errors);
    assert!(e.contains("unknown PayScene value `WAP`") && e.contains("did you mean `WEB`?"), "{e}");
}

#[test]
fn lang_outside_the_lang_enum_is_rejected() {
    let errors = errors_after("services.toml", r#"langs = ["en"]"#, r#"langs = ["fr"]"#);
    assert!(single(&errors).contains("unknown Lang value `fr`"));
}

#[test]
fn unknown_service_flag_is_rejected() {
    let errors = errors_after(
        "place_order.toml",
        "required_unless = \"return_url_not_needed\"",
        "required_unless = \"no_return\"",
    );
    assert!(single(&errors).contains("unknown service flag `no_return`"));
}

#[test]
fn service_naming_an_unknown_interface_is_rejected() {
    let errors = errors_after("services.toml", "interface = \"place_order\"", "interface = \"place_ordr\"");
    let e = single(&errors);
    assert!(e.contains("unknown request interface `place_ordr`") && e.contains("did you mean `place_order`?"), "{e}");
}

#[test]
fn only_when_must_name_a_field_of_the_same_table() {
    let errors = errors_after(
        "place_order.toml",
        "concept = \"lang\"\n",
        "concept = \"lang\"\nonly_when = { field = \"paytype\", is = [\"Demo\"] }\n",
    );
    assert!(single(&errors).contains("only_when names `paytype`, which is not a field of `place_order`"));
}

#[test]
fn concept_field_must_have_the_concept_type() {
    let errors = errors_after("place_order.toml", "enum = \"Wallet\"", "enum = \"PayScene\"");
    assert!(single(&errors).contains("a field with concept `wallet` must have type = \"enum\", enum = \"Wallet\""));
}

#[test]
fn every_error_of_a_pass_is_reported_together() {
    let mut files = minimal();
    for f in &mut files {
        f.text = f.text.replace("\"DEMOB\"]", "\"DEMOZ\"]").replace("type = \"amount\"", "type = \"money\"");
    }
    let errors = eftpay_codegen::check(&files).errors;
    assert!(errors.len() >= 2, "{errors:?}");
    assert!(errors.iter().any(|e| e.contains("unknown wallet `DEMOZ`")));
    assert!(errors.iter().any(|e| e.contains("unknown field type `money`")));
}

#[test]
fn an_error_still_leaves_the_rest_of_the_spec_to_emit() {
    let mut files = minimal();
    for f in &mut files {
        f.text = f.text.replace("\"DEMOB\"]", "\"DEMOZ\"]");
    }
    let checked = eftpay_codegen::check(&files);
    assert_eq!(checked.errors.len(), 1);
    let service = checked.spec.services.first().expect("the service is kept");
    let wallets: Vec<&str> =
        service.wallets.iter().map(|w| checked.spec.value(checked.spec.builtin.wallet, *w).wire.as_str()).collect();
    assert_eq!(wallets, vec!["DEMOA"]);
    assert!(checked.spec.interfaces.iter().any(|i| i.name == "place_order"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Truncating or corrupting any spec file anywhere yields errors, never a panic.
    #[test]
    fn no_input_makes_the_checker_panic(file in 0usize..5, at in 0usize..4000, cut in any::<bool>(), junk in "[\\[\\]\"=a-z0-9 \n{}.,#-]{0,12}") {
        let mut files = minimal();
        let count = files.len();
        let f = &mut files[file % count];
        let mut at = at.min(f.text.len());
        while !f.text.is_char_boundary(at) { at -= 1; }
        f.text = if cut { f.text[..at].to_owned() } else { format!("{}{}{}", &f.text[..at], junk, &f.text[at..]) };
        let checked = eftpay_codegen::check(&files);
        let _ = eftpay_codegen::items(&checked.spec);
    }
}

#[test]
fn a_wire_name_with_an_ampersand_or_equals_sign_is_refused() {
    for bad in ["out&trade_no", "out=trade_no"] {
        let errors = errors_after("notification.toml", "wire = \"out_trade_no\"", &format!("wire = \"{bad}\""));
        let e = single(&errors);
        assert!(e.contains(&format!("wire name `{bad}` contains `&` or `=`")), "{e}");
        assert!(e.contains("ambiguous"), "{e}");
    }
}

#[test]
fn a_notification_without_a_recognition_rule_is_refused() {
    let errors = errors_after(
        "notification.toml",
        "[[interface.recognize]]\nwhen = [{ field = \"notify_type\", present = true }, { field = \"return_status\", present = false }]\n",
        "",
    );
    let e = single(&errors);
    assert!(e.contains("notification `payment_notification` has no [[interface.recognize]] rule"), "{e}");
}

#[test]
fn a_recognition_condition_needs_exactly_one_test() {
    let errors = errors_after(
        "notification.toml",
        "{ field = \"notify_type\", present = true }",
        "{ field = \"notify_type\", present = true, is = [\"x\"] }",
    );
    let e = single(&errors);
    assert!(e.contains("the condition on `notify_type` needs exactly one test"), "{e}");
}

/// Puts a second notification into a scene of its own.
const TWIN_SCENE: &str =
    "\n[[scene]]\nname = \"twin\"\ndoc = \"A second scene.\"\ninterfaces = [\"refund_notification\"]\n";

#[test]
fn two_notifications_one_body_could_match_are_refused() {
    let mut files = minimal();
    let original = files.iter().find(|f| f.display.ends_with("notification.toml")).unwrap().text.clone();
    let twin = original
        .replace("name = \"payment_notification\"", "name = \"refund_notification\"")
        .replace("{ field = \"return_status\", present = false }", "{ field = \"refund_no\", present = true }")
        + TWIN_SCENE;
    files.push(SpecFile::new("minimal/interfaces/twin.toml", "/tmp/twin.toml", twin));
    let errors = eftpay_codegen::check(&files).errors;
    let e = single(&errors);
    assert!(
        e.contains("a body could be recognised both as `payment_notification` and as `refund_notification`"),
        "{e}"
    );
    assert!(e.contains("add a condition that tells them apart"), "{e}");
}

#[test]
fn notifications_told_apart_by_one_field_are_accepted() {
    let mut files = minimal();
    let original = files.iter().find(|f| f.display.ends_with("notification.toml")).unwrap().text.clone();
    let twin = original
        .replace("name = \"payment_notification\"", "name = \"refund_notification\"")
        .replace("{ field = \"return_status\", present = false }", "{ field = \"return_status\", is = [\"00\"] }")
        + TWIN_SCENE;
    files.push(SpecFile::new("minimal/interfaces/twin.toml", "/tmp/twin.toml", twin));
    assert_eq!(eftpay_codegen::check(&files).errors, Vec::<String>::new());
}
