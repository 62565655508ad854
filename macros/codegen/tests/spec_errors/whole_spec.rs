//! What holds for the whole pass (`resolve/mod.rs`): unreadable TOML, the Rust names every
//! table derives, undeclared names reported once, every error reported together, the rest of
//! the spec still emitted, and no panic on any input.

use proptest::prelude::*;

use super::Case;

// --- resolve/mod.rs: TOML that does not parse into the spec's tables -----------------------

#[test]
fn a_toml_syntax_error_points_at_the_line() {
    let e = Case::minimal().edit("services.toml", r#"pay_type = "Demo""#, r#"pay_type = "Demo"#).one_error();
    assert!(e.location.starts_with("minimal/services.toml:8:"), "{}", e.text);
    assert!(e.message.starts_with("invalid spec table: "), "{}", e.text);
    e.helps("fix the TOML syntax");
}

#[test]
fn an_unknown_table_key_is_named_with_the_keys_the_table_takes() {
    let e = Case::minimal()
        .edit("services.toml", r#"notifications = "until_acknowledged""#, r#"notification = "until_acknowledged""#)
        .one_error();
    e.at("minimal/services.toml:12:1", "notification");
    assert!(e.message.starts_with("invalid spec table: unknown field `notification`, expected one of"), "{}", e.text);
    assert!(e.message.contains("`notifications`"), "{}", e.text);
    e.helps("spec/README.md");
}

#[test]
fn a_missing_table_key_is_named() {
    let e = Case::minimal().edit("services.toml", "doc = \"Demo web interface.\"\n", "").one_error();
    assert!(e.location.starts_with("minimal/services.toml:5:"), "{}", e.text);
    assert!(e.message.contains("missing field `doc`"), "{}", e.text);
    e.helps("add `doc` to this table");
}

#[test]
fn a_missing_keyword_key_is_named_with_the_words_it_takes() {
    Case::minimal()
        .edit("services.toml", "notifications = \"until_acknowledged\"\n", "")
        .one_error()
        .at("minimal/services.toml:6:8", "\"service.demo.web.PreOrder\"")
        .says("service `service.demo.web.PreOrder` has no `notifications`")
        .helps("add `notifications = \"…\"` to this table, one of: until_acknowledged, once, never");
}

#[test]
fn an_unreadable_file_is_reported_alone_not_through_every_name_it_declared() {
    // wallets.toml declares the payTypes and wallets services.toml uses: its read error must
    // not come back as "unknown payType `Demo`", "unknown wallet `DEMOA`" ….
    let e = Case::minimal()
        .edit("wallets.toml", "[[pay_type]]\nwire = \"Other\"", "[[pay_type]\nwire = \"Other\"")
        .one_error();
    assert!(e.location.starts_with("minimal/wallets.toml:9:"), "{}", e.text);
}

// --- resolve/mod.rs: names and Rust names ----------------------------------------------------

#[test]
fn a_name_the_generator_emits_cannot_be_taken_by_an_enum() {
    Case::minimal()
        .add(
            "more_enums.toml",
            "[[enum]]\nname = \"Wallet\"\ndoc = \"Mine.\"\nvalues = [{ wire = \"X\", doc = \"X.\" }]\n",
        )
        .one_error()
        .at("minimal/more_enums.toml:2:8", "\"Wallet\"")
        .says("Rust type name `Wallet` of enum `Wallet` is already used by the generator")
        .helps("rename one of them");
}

#[test]
fn an_interface_whose_type_names_are_taken_is_reported_once() {
    // `place_order` makes `PlaceOrderRequest`; the interface is left out, and the service row and
    // scene naming it stay quiet.
    Case::minimal()
        .add(
            "more_enums.toml",
            "[[enum]]\nname = \"PlaceOrderRequest\"\ndoc = \"Mine.\"\nvalues = [{ wire = \"X\", doc = \"X.\" }]\n",
        )
        .one_error()
        .at("minimal/interfaces/place_order.toml:2:8", "\"place_order\"")
        .says(
            "Rust type name `PlaceOrderRequest` of interface `place_order` is already used by enum `PlaceOrderRequest`",
        )
        .helps("rename one of them (set `rust = \"...\"` or change `name`)");
}

/// Every table whose wire text becomes a Rust name: a text that cannot be one is reported at
/// the text, with the `rust = "..."` key to add.
#[test]
fn a_wire_text_that_makes_no_rust_name_needs_a_rust_name_in_every_table() {
    let cases: Vec<(&str, Case, &str, &str)> = vec![
        (
            "enum value",
            Case::minimal().edit("enums.toml", r#"{ wire = "APP", doc = "App." }"#, r#"{ wire = "00", doc = "App." }"#),
            "minimal/enums.toml:6:12",
            "\"00\"",
        ),
        (
            "enum value with rust",
            Case::minimal().edit(
                "enums.toml",
                r#"{ wire = "APP", doc = "App." }"#,
                r#"{ wire = "APP", rust = "2nd", doc = "App." }"#,
            ),
            "minimal/enums.toml:6:26",
            "\"2nd\"",
        ),
        (
            "wallet",
            Case::minimal().edit(
                "wallets.toml",
                r#"{ wire = "OTHERW", rust = "OtherWallet","#,
                r#"{ wire = "OTHERW", rust = "Other Wallet","#,
            ),
            "minimal/wallets.toml:13:29",
            "\"Other Wallet\"",
        ),
        (
            "payType",
            Case::minimal().edit("wallets.toml", r#"wire = "Other""#, r#"wire = "9Other""#),
            "minimal/wallets.toml:10:8",
            "\"9Other\"",
        ),
        (
            "interface",
            Case::minimal().edit(
                "place_order.toml",
                "doc = \"Place an order.\"\n",
                "doc = \"Place an order.\"\nrust = \"Place Order\"\n",
            ),
            "minimal/interfaces/place_order.toml:8:8",
            "\"Place Order\"",
        ),
        (
            "service",
            Case::minimal().append("services.toml", "rust = \"Demo-Web\"\n"),
            "minimal/services.toml:14:8",
            "\"Demo-Web\"",
        ),
        (
            "field",
            Case::minimal().edit(
                "place_order.toml",
                "doc = \"Language.\"\n",
                "doc = \"Language.\"\nrust = \"1lang\"\n",
            ),
            "minimal/interfaces/place_order.toml:69:8",
            "\"1lang\"",
        ),
    ];
    for (what, case, location, underlined) in cases {
        let e = case.one_error();
        e.at(location, underlined).helps("add `rust = \"SomeName\"`");
        assert!(e.message.contains("does not make a Rust name"), "{what}: {}", e.text);
    }
}

// --- undeclared names are reported once ----------------------------------------------------

#[test]
fn an_undeclared_enum_used_by_many_fields_is_reported_once() {
    // Renaming `Lang` leaves three fields and the service row's `langs` column without it.
    let e = Case::minimal()
        .edit("enums.toml", "name = \"Lang\"", "name = \"Language\"")
        .after(
            "place_order.toml",
            "doc = \"Language.\"\n",
            "\n[[field]]\nwire = \"lang2\"\ntype = \"enum\"\nenum = \"Lang\"\ndoc = \"Another.\"\n\n[[field]]\nwire = \"lang3\"\ntype = \"enum\"\nenum = \"Lang\"\ndoc = \"Another.\"\n",
        )
        .one_error();
    e.at("minimal/interfaces/place_order.toml:66:8", "\"Lang\"")
        .says("unknown enum `Lang`")
        .helps("use one of: PayScene, Language,")
        .helps("value sets are declared as [[enum]]");
}

#[test]
fn an_undeclared_interface_named_by_a_service_row_and_a_scene_is_reported_once() {
    Case::minimal()
        .edit("services.toml", "interface = \"place_order\"", "interface = \"make_order\"")
        .edit("scenes.toml", "[\"place_order\",", "[\"make_order\", \"place_order\",")
        .one_error()
        .at("minimal/services.toml:7:13", "\"make_order\"")
        .says("unknown request interface `make_order`")
        .helps("did you mean `place_order`?");
}

// --- the pass as a whole -------------------------------------------------------------------

#[test]
fn every_error_of_a_pass_is_reported_together() {
    let errors = Case::minimal()
        .edit("services.toml", "\"DEMOB\"]", "\"DEMOZ\"]")
        .edit("place_order.toml", "type = \"amount\"", "type = \"money\"")
        .errors();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors.iter().any(|e| e.contains("unknown wallet `DEMOZ`")));
    assert!(errors.iter().any(|e| e.contains("unknown field type `money`")));
}

#[test]
fn an_error_still_leaves_the_rest_of_the_spec_to_emit() {
    let case = Case::minimal().edit("services.toml", "\"DEMOB\"]", "\"DEMOZ\"]");
    let checked = eftpay_codegen::check(&case.files);
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
    fn no_input_makes_the_checker_panic(file in 0usize..6, at in 0usize..4000, cut in any::<bool>(), junk in "[\\[\\]\"=a-z0-9 \n{}.,#-]{0,12}") {
        let mut files = Case::minimal().files;
        let count = files.len();
        let f = &mut files[file % count];
        let mut at = at.min(f.text.len());
        while !f.text.is_char_boundary(at) { at -= 1; }
        f.text = if cut { f.text[..at].to_owned() } else { format!("{}{}{}", &f.text[..at], junk, &f.text[at..]) };
        let checked = eftpay_codegen::check(&files);
        let _ = eftpay_codegen::items(&checked.spec, &eftpay_codegen::Options::default());
    }
}
