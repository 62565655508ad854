//! `resolve/services.rs`, `values`: the values of an enum field one service row takes, so a
//! value allowed for some services only needs no value set of its own.

use super::Case;

const SERVICES: &str = "services.toml";

/// The minimal fixture with an optional enum field `mode` (the PayScene values, no concept) and
/// its row given `line`.
fn row_with(line: &str) -> Case {
    Case::minimal()
        .after(
            "place_order.toml",
            "doc = \"Place an order.\"\n",
            "\n[[field]]\nwire = \"mode\"\ntype = \"enum\"\nenum = \"PayScene\"\ndoc = \"Mode.\"\n",
        )
        .after(SERVICES, "interface = \"place_order\"\n", line)
}

#[test]
fn a_row_may_take_some_values_of_an_enum_field() {
    row_with("values = { mode = [\"WEB\"] }\n").valid();
}

#[test]
fn row_values_are_values_of_the_fields_enum() {
    row_with("values = { mode = [\"WEBB\"] }\n")
        .one_error()
        .at("minimal/services.toml:8:20", "\"WEBB\"")
        .says("`WEBB` is not a value of `mode`")
        .helps("did you mean `WEB`?");
}

#[test]
fn row_values_name_a_field_of_the_interface() {
    row_with("values = { mod = [\"WEB\"] }\n")
        .one_error()
        .at("minimal/services.toml:8:12", "mod")
        .says("values names `mod`, which is not a field of the row's interface")
        .helps("did you mean `mode`?");
}

#[test]
fn row_values_restrict_an_enum_field_only() {
    row_with("values = { out_trade_no = [\"A\"] }\n")
        .one_error()
        .at("minimal/services.toml:8:12", "out_trade_no")
        .says("values restricts `out_trade_no`, which is not an enum field")
        .helps("restrict the values of an enum-typed field");
}

#[test]
fn row_values_do_not_restate_a_column_of_the_row() {
    row_with("values = { wallet = [\"DEMOA\"] }\n")
        .one_error()
        .at("minimal/services.toml:8:12", "wallet")
        .says("`wallet` is one of the row's own columns")
        .helps("use the row's `pay_type`, `wallets`, `pay_scenes` or `langs` key");
}
