//! `resolve/services.rs`: `[[service]]` rows — their names, interface, payType, wallets,
//! pay_scenes, langs, flags, notifications, defaults and fixed values.

use super::{Case, query_interface};

const SERVICES: &str = "services.toml";
const PLACE_ORDER: &str = "place_order.toml";

/// The fixture with a second service row, `name`, whose other keys are the first row's.
fn second_row(name: &str) -> Case {
    Case::minimal().append(
        SERVICES,
        &format!(
            "\n[[service]]\nname = \"{name}\"\ninterface = \"place_order\"\npay_type = \"Demo\"\nwallets = [\"DEMOA\"]\npay_scenes = [\"WEB\"]\nnotifications = \"once\"\ndoc = \"Another row.\"\n"
        ),
    )
}

/// The fixture's row with `line` added (line 14).
fn row_with(line: &str) -> Case {
    Case::minimal().append(SERVICES, line)
}

// --- names ----------------------------------------------------------------------------------

#[test]
fn a_service_row_is_listed_once() {
    second_row("service.demo.web.PreOrder")
        .one_error()
        .at("minimal/services.toml:16:8", "\"service.demo.web.PreOrder\"")
        .says("service `service.demo.web.PreOrder` is listed twice")
        .helps("remove one of the rows");
}

#[test]
fn two_service_rows_cannot_become_one_rust_name() {
    second_row("demo.web.PreOrder")
        .one_error()
        .at("minimal/services.toml:16:8", "\"demo.web.PreOrder\"")
        .says(
            "services `service.demo.web.PreOrder` and `demo.web.PreOrder` both become the Rust name `DemoWebPreOrder`",
        )
        .helps("set `rust = \"...\"` on this row");
}

#[test]
fn a_service_row_cannot_be_named_unknown_in_rust() {
    second_row("service.unknown")
        .one_error()
        .at("minimal/services.toml:16:8", "\"service.unknown\"")
        .says("the Rust name `Unknown` is reserved")
        .helps("set `rust = \"...\"` on this row");
}

// --- interface ------------------------------------------------------------------------------

#[test]
fn a_service_row_names_a_declared_interface() {
    Case::minimal()
        .edit(SERVICES, "interface = \"place_order\"", "interface = \"place_ordr\"")
        .one_error()
        .at("minimal/services.toml:7:13", "\"place_ordr\"")
        .says("unknown request interface `place_ordr`")
        .helps("did you mean `place_order`?");
}

#[test]
fn a_service_row_belongs_to_a_request_interface() {
    Case::minimal()
        .edit(SERVICES, "interface = \"place_order\"", "interface = \"payment_notification\"")
        .one_error()
        .at("minimal/services.toml:7:13", "\"payment_notification\"")
        .says("service rows belong to request interfaces, and `payment_notification` is a payment_notification")
        .helps("use one of: place_order");
}

// --- columns the interface requires ---------------------------------------------------------

#[test]
fn a_service_row_has_the_pay_type_its_interface_sends() {
    Case::minimal()
        .edit(SERVICES, "pay_type = \"Demo\"\n", "")
        .one_error()
        .at("minimal/services.toml:6:8", "\"service.demo.web.PreOrder\"")
        .says("service `service.demo.web.PreOrder` has no pay_type, but its interface sends payType")
        .helps("add `pay_type = \"…\"`");
}

#[test]
fn a_service_row_names_a_declared_pay_type() {
    Case::minimal()
        .edit(SERVICES, "pay_type = \"Demo\"", "pay_type = \"Dem\"")
        .one_error()
        .at("minimal/services.toml:8:12", "\"Dem\"")
        .says("unknown PayType value `Dem`")
        .helps("did you mean `Demo`?")
        .helps("spec/common/wallets.toml");
}

#[test]
fn a_service_row_has_the_wallets_its_interface_sends() {
    Case::minimal()
        .edit(SERVICES, "wallets = [\"DEMOA\", \"DEMOB\"]\n", "")
        .one_error()
        .at("minimal/services.toml:6:8", "\"service.demo.web.PreOrder\"")
        .says("service `service.demo.web.PreOrder` lists no wallets, but its interface sends a wallet")
        .helps("add `wallets = [...]`");
}

#[test]
fn a_service_row_has_the_pay_scenes_its_interface_requires() {
    Case::minimal()
        .edit(SERVICES, "pay_scenes = [\"WEB\"]\n", "")
        .one_error()
        .at("minimal/services.toml:6:8", "\"service.demo.web.PreOrder\"")
        .says("service `service.demo.web.PreOrder` lists no pay_scenes, but its interface requires pay_scene")
        .helps("add `pay_scenes = [\"WEB\"]`");
}

// --- columns the interface does not take ----------------------------------------------------

#[test]
fn a_service_row_lists_pay_scenes_only_when_its_interface_sends_one() {
    Case::minimal()
        .edit(
            PLACE_ORDER,
            "[[field]]\nwire = \"pay_scene\"\ntype = \"enum\"\nenum = \"PayScene\"\nconcept = \"pay_scene\"\nrequired = true\ndoc = \"Payment scene.\"\n\n",
            "",
        )
        .one_error()
        .at("minimal/services.toml:10:15", "\"WEB\"")
        .says("the interface of `service.demo.web.PreOrder` sends no pay_scene")
        .helps("remove `pay_scenes`");
}

#[test]
fn a_service_row_lists_langs_only_when_its_interface_sends_one() {
    Case::minimal()
        .edit(
            PLACE_ORDER,
            "[[field]]\nwire = \"lang\"\ntype = \"enum\"\nenum = \"Lang\"\nconcept = \"lang\"\ndoc = \"Language.\"\n\n",
            "",
        )
        .one_error()
        .at("minimal/services.toml:11:10", "\"en\"")
        .says("the interface of `service.demo.web.PreOrder` sends no lang")
        .helps("remove `langs`");
}

#[test]
fn a_langs_column_without_a_lang_field_or_enum_names_the_column_once() {
    // No `Lang` enum and no lang field: the row's `langs` is what is wrong, not the enum.
    Case::minimal()
        .edit("enums.toml", "\n[[enum]]\nname = \"Lang\"\ndoc = \"Language.\"\nvalues = [\n  { wire = \"en\", doc = \"English.\" },\n]\n", "")
        .edit(PLACE_ORDER, "[[field]]\nwire = \"lang\"\ntype = \"enum\"\nenum = \"Lang\"\nconcept = \"lang\"\ndoc = \"Language.\"\n\n", "")
        .one_error()
        .at("minimal/services.toml:11:10", "\"en\"")
        .says("the interface of `service.demo.web.PreOrder` sends no lang");
}

#[test]
fn a_lang_field_without_the_lang_enum_is_reported_once() {
    // The lang field's concept needs the `Lang` enum, and so does the row's `langs` column.
    Case::minimal()
        .edit("enums.toml", "\n[[enum]]\nname = \"Lang\"\ndoc = \"Language.\"\nvalues = [\n  { wire = \"en\", doc = \"English.\" },\n]\n", "")
        .edit(PLACE_ORDER, "type = \"enum\"\nenum = \"Lang\"\n", "type = \"string\"\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:66:11", "\"lang\"")
        .says("the spec declares no enum Lang, which concept `lang` needs")
        .helps("add an [[enum]] named Lang");
}

// --- values ---------------------------------------------------------------------------------

#[test]
fn an_unknown_wallet_suggests_the_closest_of_the_rows_pay_type() {
    Case::minimal()
        .edit(SERVICES, r#"wallets = ["DEMOA", "DEMOB"]"#, r#"wallets = ["DEMOA", "DEMOX"]"#)
        .one_error()
        .at("minimal/services.toml:9:21", "\"DEMOX\"")
        .says("unknown wallet `DEMOX`")
        .helps("did you mean `DEMOA`?")
        .helps("wallets are declared under their [[pay_type]]");
}

#[test]
fn a_wallet_of_another_pay_type_is_refused() {
    Case::minimal()
        .edit(SERVICES, r#"wallets = ["DEMOA", "DEMOB"]"#, r#"wallets = ["DEMOA", "OTHERW"]"#)
        .one_error()
        .at("minimal/services.toml:9:21", "\"OTHERW\"")
        .says("wallet `OTHERW` belongs to payType `Other`, not to this service's payType `Demo`")
        .helps("use a wallet of `Demo`: DEMOA, DEMOB");
}

#[test]
fn a_service_row_lists_each_wallet_once() {
    Case::minimal()
        .edit(SERVICES, r#"wallets = ["DEMOA", "DEMOB"]"#, r#"wallets = ["DEMOA", "DEMOA"]"#)
        .one_error()
        .at("minimal/services.toml:9:21", "\"DEMOA\"")
        .says("wallet `DEMOA` is listed twice")
        .helps("remove the duplicate");
}

#[test]
fn a_pay_scene_is_a_value_of_pay_scene() {
    Case::minimal()
        .edit(SERVICES, r#"pay_scenes = ["WEB"]"#, r#"pay_scenes = ["WAP"]"#)
        .one_error()
        .at("minimal/services.toml:10:15", "\"WAP\"")
        .says("unknown PayScene value `WAP`")
        .helps("did you mean `WEB`?")
        .helps("PayScene values are declared in spec/common/enums.toml");
}

#[test]
fn a_lang_is_a_value_of_lang() {
    Case::minimal()
        .edit(SERVICES, r#"langs = ["en"]"#, r#"langs = ["fr"]"#)
        .one_error()
        .at("minimal/services.toml:11:10", "\"fr\"")
        .says("unknown Lang value `fr`");
}

#[test]
fn a_service_row_lists_each_pay_scene_once() {
    Case::minimal()
        .edit(SERVICES, r#"pay_scenes = ["WEB"]"#, r#"pay_scenes = ["WEB", "WEB"]"#)
        .one_error()
        .at("minimal/services.toml:10:22", "\"WEB\"")
        .says("pay_scenes lists `WEB` twice")
        .helps("remove the duplicate");
}

#[test]
fn a_service_row_names_declared_flags() {
    row_with("flags = [\"return_url_not_neded\"]\n")
        .one_error()
        .at("minimal/services.toml:14:10", "\"return_url_not_neded\"")
        .says("unknown service flag `return_url_not_neded`")
        .helps("did you mean `return_url_not_needed`?");
}

#[test]
fn an_unknown_notification_behaviour_lists_the_behaviours() {
    Case::minimal()
        .edit(SERVICES, "notifications = \"until_acknowledged\"", "notifications = \"always\"")
        .one_error()
        .at("minimal/services.toml:12:17", "\"always\"")
        .says("unknown notification behaviour `always`")
        .helps("use one of: until_acknowledged, once, never");
}

#[test]
fn defaults_name_fields_of_the_rows_interface() {
    row_with("defaults = { pay_scen = \"WEB\" }\n")
        .one_error()
        .at("minimal/services.toml:14:14", "pay_scen")
        .says("defaults names `pay_scen`, which is not a field of the row's interface")
        .helps("did you mean `pay_scene`?");
}

#[test]
fn a_default_is_a_value_of_the_fields_enum() {
    row_with("defaults = { pay_scene = \"WAP\" }\n")
        .one_error()
        .at("minimal/services.toml:14:26", "\"WAP\"")
        .says("defaults value `WAP` is not a value of `pay_scene`")
        .helps("use one of: WEB, APP");
}

#[test]
fn a_required_field_cannot_be_fixed_for_one_service() {
    row_with("fixed = { out_trade_no = \"1\" }\n")
        .one_error()
        .at("minimal/services.toml:14:11", "out_trade_no")
        .says("`out_trade_no` is required by the interface, so it cannot be fixed for one service")
        .helps("make it optional in the interface");
}

// --- rows of an interface without a `service` field ----------------------------------------

#[test]
fn rows_of_an_interface_without_a_service_field_need_distinct_pay_types() {
    let row = |name: &str| {
        format!(
            "\n[[service]]\nname = \"{name}\"\ninterface = \"query\"\npay_type = \"Demo\"\nnotifications = \"never\"\ndoc = \"A row.\"\n"
        )
    };
    Case::minimal()
        .add("interfaces/query.toml", &query_interface("query", "/Servlet/Query.do"))
        .append(SERVICES, &(row("demo.query") + &row("demo.query.again")))
        .one_error()
        .at("minimal/services.toml:23:8", "\"demo.query.again\"")
        .says("rows `demo.query` and `demo.query.again` of `query` cannot be told apart: the interface sends no `service`, and they have the same payType")
        .helps("give each row of such an interface its own `pay_type`");
}

#[test]
fn a_langs_column_of_a_table_that_lost_a_row_still_needs_the_lang_enum() {
    // The interface lost a row to an error, so the row's columns are not compared with its
    // fields; `langs` still needs the `Lang` enum, which is gone: two errors, both to fix.
    let reports = Case::minimal()
        .edit("enums.toml", "\n[[enum]]\nname = \"Lang\"\ndoc = \"Language.\"\nvalues = [\n  { wire = \"en\", doc = \"English.\" },\n]\n", "")
        .edit(PLACE_ORDER, "[[field]]\nwire = \"lang\"\ntype = \"enum\"\nenum = \"Lang\"\nconcept = \"lang\"\ndoc = \"Language.\"\n\n", "")
        .edit(PLACE_ORDER, "type = \"amount\"", "type = \"amonut\"")
        .reports();
    assert_eq!(reports.len(), 2, "{reports:#?}");
    reports[0]
        .at("minimal/interfaces/place_order.toml:27:8", "\"amonut\"")
        .says("unknown field type `amonut` for `transaction_amount`");
    reports[1]
        .at("minimal/services.toml:11:10", "\"en\"")
        .says("the spec declares no enum Lang, which the service tables' langs column is typed with")
        .helps("add an [[enum]] named Lang");
}

#[test]
fn wallet_notifications_name_wallets_of_the_row() {
    row_with("wallet_notifications = { DEMOC = \"never\" }\n")
        .one_error()
        .at("minimal/services.toml:14:26", "DEMOC")
        .says("`DEMOC` is not one of the wallets of service `service.demo.web.PreOrder`")
        .helps("list it in the row's `wallets` first");
}

#[test]
fn wallet_notifications_take_the_notification_words() {
    row_with("wallet_notifications = { DEMOB = \"twice\" }\n")
        .one_error()
        .at("minimal/services.toml:14:34", "\"twice\"")
        .says("unknown notification behaviour `twice`");
}

#[test]
fn wallet_notifications_of_the_rows_wallets_are_valid() {
    row_with("wallet_notifications = { DEMOB = \"never\" }\n").valid();
}
