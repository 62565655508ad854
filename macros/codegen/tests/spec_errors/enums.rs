//! `resolve/enums.rs`: `[[enum]]` value sets, `[[pay_type]]` and their wallets,
//! `[[service_flag]]`; and `resolve/mod.rs`'s `meaning` keyword.

use super::Case;

const APP: &str = r#"{ wire = "APP", doc = "App." }"#;

fn app_becomes(value: &str) -> Case {
    Case::minimal().edit("enums.toml", APP, value)
}

/// An enum nobody refers to, in a file of its own.
fn extra_enum(name: &str) -> Case {
    Case::minimal().add(
        "more_enums.toml",
        &format!("[[enum]]\nname = \"{name}\"\ndoc = \"Status.\"\nvalues = [{{ wire = \"OK\", doc = \"Fine.\" }}]\n"),
    )
}

// --- values ---------------------------------------------------------------------------------

#[test]
fn an_enum_value_needs_wire_text() {
    app_becomes(r#"{ wire = "", doc = "App." }"#)
        .one_error()
        .at("minimal/enums.toml:6:12", "\"\"")
        .says("enum `PayScene` has an empty value")
        .helps("wire text");
}

#[test]
fn an_enum_lists_each_value_once() {
    app_becomes(r#"{ wire = "WEB", doc = "App." }"#)
        .one_error()
        .at("minimal/enums.toml:6:12", "\"WEB\"")
        .says("enum `PayScene` lists `WEB` twice")
        .helps("remove the duplicate");
}

#[test]
fn the_variant_name_unknown_is_reserved() {
    app_becomes(r#"{ wire = "unknown", doc = "App." }"#)
        .one_error()
        .at("minimal/enums.toml:6:12", "\"unknown\"")
        .says("enum `PayScene`: the variant name `Unknown` is reserved for values the SDK does not know")
        .helps("set `rust = \"...\"` to another name");
}

#[test]
fn the_reserved_variant_name_given_as_rust_is_reported_at_the_rust_name() {
    app_becomes(r#"{ wire = "APP", rust = "Unknown", doc = "App." }"#)
        .one_error()
        .at("minimal/enums.toml:6:26", "\"Unknown\"")
        .says("enum `PayScene`: the variant name `Unknown` is reserved for values the SDK does not know");
}

#[test]
fn two_values_of_an_enum_cannot_become_one_variant() {
    app_becomes(r#"{ wire = "web", doc = "App." }"#)
        .one_error()
        .at("minimal/enums.toml:6:12", "\"web\"")
        .says("enum `PayScene`: `WEB` and `web` both become the Rust variant `Web`")
        .helps("set `rust = \"...\"` on one of them");
}

#[test]
fn an_unknown_meaning_suggests_the_closest() {
    app_becomes(r#"{ wire = "APP", doc = "App.", means = "payed" }"#)
        .one_error()
        .at("minimal/enums.toml:6:41", "\"payed\"")
        .says("unknown meaning `payed`")
        .helps("did you mean `paid`?");
}

#[test]
fn an_unknown_meaning_far_from_every_word_lists_the_meanings() {
    app_becomes(r#"{ wire = "APP", doc = "App.", means = "whatever" }"#)
        .one_error()
        .says("unknown meaning `whatever`")
        .helps("use one of: accepted, time_mismatch, refund_failed, invalid_service,")
        .helps("handled, not_handled");
}

#[test]
fn a_meaning_belongs_to_one_value_of_an_enum() {
    Case::minimal()
        .edit("enums.toml", r#"{ wire = "WEB", doc = "Web." }"#, r#"{ wire = "WEB", doc = "Web.", means = "paid" }"#)
        .edit("enums.toml", APP, r#"{ wire = "APP", doc = "App.", means = "paid" }"#)
        .one_error()
        .at("minimal/enums.toml:6:41", "\"paid\"")
        .says("enum `PayScene`: two values mean `paid`")
        .helps("remove one");
}

// --- enum names -----------------------------------------------------------------------------

#[test]
fn an_enum_name_must_be_a_rust_type_name() {
    extra_enum("Trade Status")
        .one_error()
        .at("minimal/more_enums.toml:2:8", "\"Trade Status\"")
        .says("enum name `Trade Status` is not a Rust type name")
        .helps("use UpperCamelCase");
}

#[test]
fn fields_naming_an_enum_whose_name_was_refused_stay_quiet() {
    extra_enum("Trade Status")
        .after(
            "notification.toml",
            "doc = \"Notification type.\"\n",
            "\n[[field]]\nwire = \"status\"\ntype = \"enum\"\nenum = \"Trade Status\"\ndoc = \"Status.\"\n",
        )
        .one_error()
        .says("enum name `Trade Status` is not a Rust type name");
}

#[test]
fn two_enums_cannot_have_one_name() {
    extra_enum("Lang")
        .one_error()
        .at("minimal/more_enums.toml:2:8", "\"Lang\"")
        .says("Rust type name `Lang` of enum `Lang` is already used by enum `Lang`")
        .helps("rename one of them");
}

// --- payTypes and wallets -------------------------------------------------------------------

const OTHER_WALLET: &str = r#"{ wire = "OTHERW", rust = "OtherWallet", doc = "The other wallet." }"#;

#[test]
fn a_pay_type_is_declared_once() {
    Case::minimal()
        .add("more_wallets.toml", "[[pay_type]]\nwire = \"Demo\"\ndoc = \"Again.\"\nwallets = []\n")
        .one_error()
        .at("minimal/more_wallets.toml:2:8", "\"Demo\"")
        .says("payType `Demo` is declared twice")
        .helps("merge the two [[pay_type]] tables");
}

#[test]
fn two_pay_types_cannot_become_one_variant() {
    Case::minimal()
        .add("more_wallets.toml", "[[pay_type]]\nwire = \"DEMO\"\ndoc = \"Shouting.\"\nwallets = []\n")
        .one_error()
        .at("minimal/more_wallets.toml:2:8", "\"DEMO\"")
        .says("payType `DEMO` becomes the Rust variant `Demo`, which is taken")
        .helps("set `rust = \"...\"`");
}

#[test]
fn a_pay_type_cannot_be_the_variant_unknown() {
    Case::minimal()
        .add("more_wallets.toml", "[[pay_type]]\nwire = \"UNKNOWN\"\ndoc = \"Odd.\"\nwallets = []\n")
        .one_error()
        .at("minimal/more_wallets.toml:2:8", "\"UNKNOWN\"")
        .says("payType `UNKNOWN` becomes the Rust variant `Unknown`, which is taken");
}

#[test]
fn a_wallet_belongs_to_one_pay_type() {
    Case::minimal()
        .edit("wallets.toml", OTHER_WALLET, r#"{ wire = "DEMOA", doc = "The other wallet." }"#)
        .one_error()
        .at("minimal/wallets.toml:13:12", "\"DEMOA\"")
        .says("wallet `DEMOA` already belongs to payType `Demo`")
        .helps("a wallet belongs to exactly one payType; remove one of them");
}

#[test]
fn a_pay_type_lists_each_wallet_once() {
    Case::minimal()
        .edit("wallets.toml", OTHER_WALLET, &format!("{OTHER_WALLET},\n  {}", r#"{ wire = "OTHERW", doc = "Again." }"#))
        .one_error()
        .at("minimal/wallets.toml:14:12", "\"OTHERW\"")
        .says("payType `Other` lists `OTHERW` twice")
        .helps("remove the duplicate");
}

#[test]
fn two_wallets_cannot_become_one_variant() {
    Case::minimal()
        .edit("wallets.toml", OTHER_WALLET, r#"{ wire = "OTHERW", rust = "DemoA", doc = "The other wallet." }"#)
        .one_error()
        .at("minimal/wallets.toml:13:29", "\"DemoA\"")
        .says("wallet `OTHERW` becomes the Rust variant `DemoA`, which another wallet has")
        .helps("set `rust = \"...\"` on one of them");
}

// --- service flags --------------------------------------------------------------------------

#[test]
fn a_service_flag_is_declared_once() {
    Case::minimal()
        .append("services.toml", "\n[[service_flag]]\nname = \"return_url_not_needed\"\ndoc = \"Again.\"\n")
        .one_error()
        .at("minimal/services.toml:16:8", "\"return_url_not_needed\"")
        .says("service flag `return_url_not_needed` is declared twice")
        .helps("remove the duplicate [[service_flag]]");
}

#[test]
fn a_service_flag_name_is_snake_case() {
    Case::minimal()
        .append("services.toml", "\n[[service_flag]]\nname = \"No Refund\"\ndoc = \"No refunds.\"\n")
        .one_error()
        .at("minimal/services.toml:16:8", "\"No Refund\"")
        .says("service flag name `No Refund` is not a snake_case name")
        .helps("use lowercase letters, digits and `_`, starting with a letter");
}

#[test]
fn a_variant_clash_through_an_explicit_rust_name_is_reported_at_the_rust_name() {
    app_becomes(r#"{ wire = "APP", rust = "Web", doc = "App." }"#)
        .one_error()
        .at("minimal/enums.toml:6:26", "\"Web\"")
        .says("enum `PayScene`: `WEB` and `APP` both become the Rust variant `Web`");
}
