//! `resolve/fields.rs`, one-of requirements: `required_when = { field, is, or = [...] }` — the
//! field, or any one of the fields in `or`, is required when the condition holds ("openid or
//! sub_openid when scene_type is PUBLIC").

use super::Case;

const PLACE_ORDER: &str = "place_order.toml";

fn lang_with(line: &str) -> Case {
    Case::minimal().after(PLACE_ORDER, "wire = \"lang\"\n", line)
}

#[test]
fn a_one_of_requirement_on_optional_fields_is_valid() {
    lang_with("required_when = { field = \"payType\", is = [\"Demo\"], or = [\"return_url\"] }\n").valid();
}

#[test]
fn or_names_a_field_of_the_table() {
    lang_with("required_when = { field = \"payType\", is = [\"Demo\"], or = [\"retrun_url\"] }\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:65:59", "\"retrun_url\"")
        .says("`or` names `retrun_url`, which is not a field of `place_order`")
        .helps("did you mean `return_url`?");
}

#[test]
fn or_names_no_field_that_is_always_required() {
    lang_with("required_when = { field = \"payType\", is = [\"Demo\"], or = [\"out_trade_no\"] }\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:65:59", "\"out_trade_no\"")
        .says("`out_trade_no` is always required, so it cannot stand in for another field")
        .helps("name an optional field in `or`");
}

#[test]
fn or_belongs_to_required_when_only() {
    lang_with("only_when = { field = \"payType\", is = [\"Demo\"], or = [\"return_url\"] }\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:65:55", "\"return_url\"")
        .says("`or` belongs to `required_when`, not to only_when")
        .helps("remove `or`");
}
