//! `resolve/fields.rs`: `[[field]]` / `[[response]]` rows, `extends` / `omit`, and
//! `[[field_group]]`s included with `include = "group"`.

use super::{Case, query_interface};

const PLACE_ORDER: &str = "place_order.toml";
const NOTIFICATION: &str = "notification.toml";

/// Place-order with one more `[[field]]` row after `lang`; the row's first key is on line 71.
fn place_order_field(keys: &str) -> Case {
    Case::minimal().after(PLACE_ORDER, "doc = \"Language.\"\n", &format!("\n[[field]]\n{keys}"))
}

/// Place-order with `line` added to the field whose wire line is `wire`.
fn place_order_field_with(wire: &str, line: &str) -> Case {
    Case::minimal().after(PLACE_ORDER, &format!("wire = \"{wire}\"\n"), line)
}

/// Two query interfaces `a` and `b` (own endpoints and scenes), `a_extra` / `b_extra` added
/// to their `[interface]` tables (line 8).
fn queries(a_extra: &str, b_extra: &str) -> Case {
    let with = |name: &str, extra: &str| {
        query_interface(name, &format!("/Servlet/{name}.do"))
            .replace("doc = \"A query.\"\n", &format!("doc = \"A query.\"\n{extra}"))
    };
    Case::minimal().add("interfaces/a.toml", &with("a", a_extra)).add("interfaces/b.toml", &with("b", b_extra))
}

/// A `[[field_group]]` named `common` with one row (`row`'s keys), in `minimal/groups.toml`.
fn group(row: &str) -> Case {
    Case::minimal().add("groups.toml", &format!("[[field_group]]\nname = \"common\"\n\n[[field_group.field]]\n{row}"))
}

/// `include = "name"` as a row of place-order (line 71) and of the notification (line 16).
fn included_twice(case: Case, name: &str) -> Case {
    let row = format!("\n[[field]]\ninclude = \"{name}\"\n");
    case.after(PLACE_ORDER, "doc = \"Language.\"\n", &row).after(NOTIFICATION, "doc = \"Notification type.\"\n", &row)
}

// --- extends and omit -----------------------------------------------------------------------

#[test]
fn an_interface_may_extend_another_and_omit_some_of_its_fields() {
    queries("", "extends = \"a\"\nomit = [\"time\"]\n").valid();
}

#[test]
fn interfaces_extending_each_other_are_one_cycle_reported_once() {
    queries("extends = \"b\"\n", "extends = \"a\"\n")
        .one_error()
        .at("minimal/interfaces/b.toml:8:11", "\"a\"")
        .says("`extends` goes round in a cycle: a → b → a")
        .helps("break the cycle");
}

#[test]
fn an_interface_extending_itself_is_a_cycle() {
    queries("extends = \"a\"\n", "")
        .one_error()
        .at("minimal/interfaces/a.toml:8:11", "\"a\"")
        .says("`extends` goes round in a cycle: a → a")
        .helps("break the cycle");
}

#[test]
fn a_longer_extends_cycle_is_reported_once_with_its_whole_chain() {
    let c =
        query_interface("c", "/Servlet/c.do").replace("doc = \"A query.\"\n", "doc = \"A query.\"\nextends = \"a\"\n");
    queries("extends = \"b\"\n", "extends = \"c\"\n")
        .add("interfaces/c.toml", &c)
        .one_error()
        .at("minimal/interfaces/c.toml:8:11", "\"a\"")
        .says("`extends` goes round in a cycle: a → b → c → a");
}

#[test]
fn an_interface_extends_a_declared_interface() {
    queries("extends = \"place_ordr\"\n", "")
        .one_error()
        .at("minimal/interfaces/a.toml:8:11", "\"place_ordr\"")
        .says("`a` extends unknown interface `place_ordr`")
        .helps("did you mean `place_order`?");
}

#[test]
fn an_interface_omits_only_fields_it_inherits() {
    queries("", "extends = \"a\"\nomit = [\"tiem\"]\n")
        .one_error()
        .at("minimal/interfaces/b.toml:9:9", "\"tiem\"")
        .says("`b` omits `tiem`, which `a` does not have")
        .helps("name a [[field]] of the interface it extends");
}

#[test]
fn an_interface_omits_fields_only_when_it_extends_one() {
    Case::minimal()
        .after(PLACE_ORDER, "doc = \"Place an order.\"\n", "omit = [\"lang\"]\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:8:9", "\"lang\"")
        .says("`place_order` omits fields but extends no interface")
        .helps("remove `omit`, or add `extends`");
}

// --- field groups ---------------------------------------------------------------------------

#[test]
fn a_field_group_included_in_two_tables_is_valid() {
    included_twice(group("wire = \"note\"\ntype = \"string\"\ndoc = \"A note.\"\n"), "common").valid();
}

#[test]
fn a_field_group_is_declared_once() {
    group("wire = \"note\"\ntype = \"string\"\ndoc = \"A note.\"\n")
        .append("groups.toml", "\n[[field_group]]\nname = \"common\"\n")
        .one_error()
        .at("minimal/groups.toml:10:8", "\"common\"")
        .says("field group `common` is declared twice")
        .helps("give each [[field_group]] its own name");
}

#[test]
fn an_include_row_stands_alone() {
    group("wire = \"note\"\ntype = \"string\"\ndoc = \"A note.\"\n")
        .after(PLACE_ORDER, "doc = \"Language.\"\n", "\n[[field]]\ninclude = \"common\"\nwire = \"note2\"\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:71:11", "\"common\"")
        .says("an `include` row stands alone")
        .helps("write only `include = \"group\"` in this row");
}

#[test]
fn a_field_group_cannot_include_another() {
    included_twice(group("include = \"other\"\n"), "common")
        .one_error()
        .at("minimal/groups.toml:5:11", "\"other\"")
        .says("a field group cannot include another")
        .helps("list the fields in the group itself");
}

#[test]
fn an_unknown_field_group_suggests_the_closest() {
    group("wire = \"note\"\ntype = \"string\"\ndoc = \"A note.\"\n")
        .after(PLACE_ORDER, "doc = \"Language.\"\n", "\n[[field]]\ninclude = \"comon\"\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:71:11", "\"comon\"")
        .says("unknown field group `comon`")
        .helps("did you mean `common`?");
}

#[test]
fn an_unknown_field_group_included_twice_is_reported_once_and_says_where_groups_are_declared() {
    included_twice(Case::minimal(), "common")
        .one_error()
        .at("minimal/interfaces/notification.toml:16:11", "\"common\"")
        .says("unknown field group `common`")
        .helps("[[field_group]]");
}

#[test]
fn a_mistake_in_a_field_group_included_in_two_tables_is_reported_once() {
    included_twice(group("wire = \"note\"\ntype = \"strng\"\ndoc = \"A note.\"\n"), "common")
        .one_error()
        .at("minimal/groups.toml:6:8", "\"strng\"")
        .says("unknown field type `strng` for `note`");
}

#[test]
fn a_group_row_without_doc_included_in_two_tables_is_reported_once() {
    included_twice(group("wire = \"note\"\ntype = \"string\"\n"), "common")
        .one_error()
        .at("minimal/groups.toml:5:8", "\"note\"")
        .says("a row of field group `common` has no doc")
        .helps("every field row needs `wire`, `type` and `doc`");
}

// --- one row --------------------------------------------------------------------------------

#[test]
fn a_field_row_needs_wire_type_and_doc() {
    place_order_field("wire = \"note\"\ntype = \"string\"\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:71:8", "\"note\"")
        .says("a [[field]] row of `place_order` has no doc")
        .helps("every field row needs `wire`, `type` and `doc`");
}

#[test]
fn a_field_row_with_none_of_wire_type_and_doc_is_reported_at_its_header() {
    // Nothing in the row to point at: it used to be skipped without a word.
    place_order_field("required = true\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:70:1", "[[field]]")
        .says("a [[field]] row of `place_order` has no wire, type, doc")
        .helps("every field row needs `wire`, `type` and `doc`");
}

#[test]
fn a_group_row_with_none_of_wire_type_and_doc_included_in_two_tables_is_reported_once() {
    included_twice(group("required = true\n"), "common")
        .one_error()
        .at("minimal/groups.toml:4:1", "[[field_group.field]]")
        .says("a row of field group `common` has no wire, type, doc");
}

#[test]
fn a_response_row_missing_two_keys_names_both() {
    Case::minimal()
        .append(PLACE_ORDER, "\n[[response]]\ndoc = \"Orphan doc.\"\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:119:7", "\"Orphan doc.\"")
        .says("a [[response]] row of `place_order` has no wire, type");
}

#[test]
fn a_field_needs_a_wire_name() {
    place_order_field("wire = \"\"\ntype = \"string\"\ndoc = \"X.\"\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:71:8", "\"\"")
        .says("a field with an empty wire name")
        .helps("write the name exactly as eftPay's table has it");
}

#[test]
fn a_wire_name_with_an_ampersand_or_equals_sign_is_refused() {
    for bad in ["out&trade_no", "out=trade_no"] {
        Case::minimal()
            .edit(NOTIFICATION, "wire = \"out_trade_no\"", &format!("wire = \"{bad}\""))
            .one_error()
            .at("minimal/interfaces/notification.toml:16:8", &format!("\"{bad}\""))
            .says(&format!("wire name `{bad}` contains `&` or `=`, which would make the signed string ambiguous"))
            .helps("eftPay's names never contain `&` or `=`");
    }
}

#[test]
fn a_field_appears_once_per_table() {
    Case::minimal()
        .edit(PLACE_ORDER, "wire = \"out_trade_no\"", "wire = \"transaction_amount\"")
        .one_error()
        .at("minimal/interfaces/place_order.toml:33:8", "\"transaction_amount\"")
        .says("duplicate field `transaction_amount` in the [[field]] table of `place_order`")
        .helps("remove one of the two entries");
}

#[test]
fn two_fields_cannot_become_one_rust_field() {
    Case::minimal()
        .edit(PLACE_ORDER, "wire = \"pay_scene\"", "wire = \"pay_type\"")
        .one_error()
        .at("minimal/interfaces/place_order.toml:56:8", "\"pay_type\"")
        .says("fields `payType` and `pay_type` of `place_order` both become the Rust field `pay_type`")
        .helps("set `rust = \"...\"` on one of them");
}

#[test]
fn the_rust_field_name_extra_is_reserved() {
    place_order_field("wire = \"extra\"\ntype = \"string\"\ndoc = \"X.\"\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:71:8", "\"extra\"")
        .says("the Rust field name `extra` is reserved")
        .helps("set `rust = \"...\"`");
}

// --- types ----------------------------------------------------------------------------------

#[test]
fn an_unknown_field_type_suggests_the_closest() {
    Case::minimal()
        .edit(PLACE_ORDER, "type = \"amount\"", "type = \"amonut\"")
        .one_error()
        .at("minimal/interfaces/place_order.toml:27:8", "\"amonut\"")
        .says("unknown field type `amonut` for `transaction_amount`")
        .helps("did you mean `amount`?");
}

#[test]
fn an_unknown_field_type_far_from_every_word_lists_the_types() {
    Case::minimal()
        .edit(PLACE_ORDER, "type = \"amount\"", "type = \"decimal\"")
        .one_error()
        .says("unknown field type `decimal` for `transaction_amount`")
        .helps("use one of: string, amount, url, time, datetime, seconds, enum, object, array");
}

#[test]
fn an_enum_field_names_its_enum() {
    Case::minimal()
        .edit(PLACE_ORDER, "enum = \"Lang\"\n", "")
        .one_error()
        .at("minimal/interfaces/place_order.toml:65:8", "\"enum\"")
        .says("a field of type `enum` needs `enum = \"...\"` (`lang`)")
        .helps("add `enum = \"Name\"`, one of: PayScene, Lang, ReturnStatus, PayType, Wallet, Service");
}

#[test]
fn an_unknown_enum_suggests_the_closest() {
    Case::minimal()
        .edit(PLACE_ORDER, "enum = \"Lang\"", "enum = \"Lnag\"")
        .one_error()
        .at("minimal/interfaces/place_order.toml:66:8", "\"Lnag\"")
        .says("unknown enum `Lnag`")
        .helps("did you mean `Lang`?");
}

#[test]
fn an_object_field_names_its_object() {
    place_order_field("wire = \"customer\"\ntype = \"object\"\ndoc = \"X.\"\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:72:8", "\"object\"")
        .says("a field of type `object` needs `object = \"...\"` (`customer`)")
        .helps("declare");
}

#[test]
fn an_object_field_names_a_declared_object() {
    place_order_field("wire = \"customer\"\ntype = \"array\"\nobject = \"Custmer\"\ndoc = \"X.\"\n")
        .add("objects.toml", "[[object]]\nname = \"Customer\"\ndoc = \"A customer.\"\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:73:10", "\"Custmer\"")
        .says("unknown object `Custmer`")
        .helps("did you mean `Customer`?");
}

#[test]
fn only_an_enum_field_names_an_enum() {
    place_order_field_with("out_trade_no", "enum = \"Lang\"\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:34:8", "\"Lang\"")
        .says("`out_trade_no` names an enum but its type is `string`")
        .helps("set `type = \"enum\"` or remove `enum`");
}

#[test]
fn only_an_object_field_names_an_object() {
    place_order_field_with("out_trade_no", "object = \"Customer\"\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:34:10", "\"Customer\"")
        .says("`out_trade_no` names an object but its type is `string`")
        .helps("remove `object`");
}

// --- concepts -------------------------------------------------------------------------------

#[test]
fn a_field_typed_with_a_row_checked_enum_needs_its_concept() {
    Case::minimal()
        .edit(PLACE_ORDER, "enum = \"PayType\"\nconcept = \"pay_type\"\n", "enum = \"PayType\"\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:40:8", "\"payType\"")
        .says("`payType` is typed with PayType but has no concept")
        .helps("add `concept = \"pay_type\"`");
}

#[test]
fn an_unknown_concept_suggests_the_closest() {
    place_order_field_with("transaction_amount", "concept = \"amout\"\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:27:11", "\"amout\"")
        .says("unknown concept `amout`")
        .helps("did you mean `amount`?");
}

#[test]
fn an_unknown_concept_far_from_every_word_lists_the_concepts() {
    place_order_field_with("transaction_amount", "concept = \"money\"\n")
        .one_error()
        .says("unknown concept `money`")
        .helps("use one of: service, pay_type, wallet, pay_scene, lang,")
        .helps("refund_trade_no, refund_reason");
}

#[test]
fn a_concept_field_has_the_concept_type() {
    Case::minimal()
        .edit(PLACE_ORDER, "enum = \"Wallet\"", "enum = \"PayScene\"")
        .one_error()
        .at("minimal/interfaces/place_order.toml:51:11", "\"wallet\"")
        .says("a field with concept `wallet` must have type = \"enum\", enum = \"Wallet\"")
        .helps("set type = \"enum\", enum = \"Wallet\"");
}

// --- lengths, flags, values -----------------------------------------------------------------

#[test]
fn a_max_len_is_positive() {
    Case::minimal()
        .edit(PLACE_ORDER, "max_len = 28", "max_len = 0")
        .one_error()
        .at("minimal/interfaces/place_order.toml:35:11", "0")
        .says("max_len of `out_trade_no` must be a positive number of characters")
        .helps("write the n of the doc's String(n)");
}

#[test]
fn a_max_len_applies_only_to_text() {
    place_order_field_with("payType", "max_len = 8\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:41:11", "8")
        .says("max_len does not apply to `payType`, whose type is checked otherwise")
        .helps("remove max_len");
}

#[test]
fn required_unless_names_a_declared_flag() {
    Case::minimal()
        .edit(PLACE_ORDER, "required_unless = \"return_url_not_needed\"", "required_unless = \"return_url_not_neded\"")
        .one_error()
        .at("minimal/interfaces/place_order.toml:76:19", "\"return_url_not_neded\"")
        .says("unknown service flag `return_url_not_neded`")
        .helps("did you mean `return_url_not_needed`?")
        .helps("[[service_flag]]");
}

#[test]
fn forbidden_with_names_a_declared_flag() {
    place_order_field_with("out_trade_no", "forbidden_with = \"no_order\"\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:34:18", "\"no_order\"")
        .says("unknown service flag `no_order`")
        .helps("use one of: return_url_not_needed");
}

#[test]
fn required_unless_applies_only_to_a_required_field() {
    Case::minimal()
        .edit(PLACE_ORDER, "no_query = true\nrequired = true\n", "no_query = true\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:71:8", "\"return_url\"")
        .says("`return_url` has required_unless but is not required")
        .helps("add `required = true`, or remove required_unless");
}

#[test]
fn a_fixed_enum_value_is_a_value_of_the_enum() {
    place_order_field_with("pay_scene", "fixed = \"WAP\"\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:57:9", "\"WAP\"")
        .says("fixed value `WAP` is not a value of the field's type")
        .helps("use one of: WEB, APP");
}

#[test]
fn a_default_of_a_seconds_field_is_a_number() {
    place_order_field("wire = \"active_time\"\ntype = \"seconds\"\ndefault = \"soon\"\ndoc = \"X.\"\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:73:11", "\"soon\"")
        .says("default value `soon` is not a value of the field's type")
        .helps("write a whole number of seconds");
}

#[test]
fn a_default_amount_is_decimal_text() {
    place_order_field_with("transaction_amount", "default = \"1,00\"\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:27:11", "\"1,00\"")
        .says("default value `1,00` is not a value of the field's type")
        .helps("e.g. \"10.00\"");
}

#[test]
fn no_query_applies_only_to_urls() {
    place_order_field_with("out_trade_no", "no_query = true\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:33:8", "\"out_trade_no\"")
        .says("no_query only applies to url fields, and `out_trade_no` is not one")
        .helps("remove no_query or make the field `type = \"url\"`");
}

// --- whole numbers --------------------------------------------------------------------------

/// A `seconds` field with `keys` (line 73 on).
fn seconds_field(keys: &str) -> Case {
    place_order_field(&format!("wire = \"active_time\"\ntype = \"seconds\"\n{keys}doc = \"X.\"\n"))
}

#[test]
fn number_rules_apply_only_to_whole_number_fields() {
    place_order_field_with("out_trade_no", "multiple_of = 60\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:34:15", "60")
        .says("multiple_of applies to whole-number fields, and `out_trade_no` is not one")
        .helps("remove it, or make the field `type = \"seconds\"`");
}

#[test]
fn multiple_of_is_above_zero() {
    seconds_field("multiple_of = 0\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:73:15", "0")
        .says("multiple_of of `active_time` must be a whole number above 0")
        .helps("multiple_of = 60");
}

#[test]
fn min_is_a_whole_number() {
    seconds_field("min = -1\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:73:7", "-1")
        .says("min of `active_time` must be a whole number")
        .helps("min = 60");
}

#[test]
fn min_is_not_above_max() {
    seconds_field("min = 600\nmax = 60\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:73:7", "600")
        .says("min 600 of `active_time` is above its max 60")
        .helps("swap them");
}

#[test]
fn a_message_eftpay_sends_has_no_required_fields() {
    Case::minimal()
        .after(NOTIFICATION, "concept = \"out_trade_no\"\n", "required = true\n")
        .one_error()
        .at("minimal/interfaces/notification.toml:16:8", "\"out_trade_no\"")
        .says("`out_trade_no` is in a message eftPay sends, which is read leniently: `required` means nothing there")
        .helps("remove `required`");
}

// --- references between fields of a table --------------------------------------------------

#[test]
fn only_when_names_a_field_of_the_same_table() {
    place_order_field_with("lang", "only_when = { field = \"paytype\", is = [\"Demo\"] }\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:65:23", "\"paytype\"")
        .says("only_when names `paytype`, which is not a field of `place_order`")
        .helps("did you mean `payType`?");
}

#[test]
fn required_when_names_an_enum_field() {
    place_order_field_with("lang", "required_when = { field = \"out_trade_no\", is = [\"x\"] }\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:65:27", "\"out_trade_no\"")
        .says("required_when needs an enum field to compare with, and `out_trade_no` is not one")
        .helps("name an enum-typed field");
}

#[test]
fn only_when_values_are_values_of_the_field() {
    place_order_field_with("lang", "only_when = { field = \"payType\", is = [\"Dmo\"] }\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:65:40", "\"Dmo\"")
        .says("`Dmo` is not a value of PayType")
        .helps("did you mean `Demo`?");
}

#[test]
fn a_field_is_required_or_required_when_not_both() {
    place_order_field_with("lang", "required = true\nrequired_when = { field = \"payType\", is = [\"Demo\"] }\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:66:27", "\"payType\"")
        .says("a field is either `required` or `required_when`")
        .helps("remove `required = true`");
}

#[test]
fn not_above_names_a_required_amount_field() {
    place_order_field_with("transaction_amount", "not_above = \"out_trade_no\"\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:27:13", "\"out_trade_no\"")
        .says(
            "not_above must name a required amount field of `place_order`, and `out_trade_no` is not one (or this field is no amount)",
        )
        .helps("name a required `type = \"amount\"` field of the same table");
}

#[test]
fn an_undeclared_flag_named_by_two_fields_is_reported_once() {
    place_order_field_with("out_trade_no", "forbidden_with = \"no_order\"\n")
        .after(PLACE_ORDER, "wire = \"user_confirm_key\"\n", "forbidden_with = \"no_order\"\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:19:18", "\"no_order\"")
        .says("unknown service flag `no_order`");
}

#[test]
fn a_reply_field_is_required_always_or_not_at_all() {
    Case::minimal()
        .after(
            PLACE_ORDER,
            "wire = \"pay_apptrade\"\ntype = \"string\"\n",
            "required_when = { field = \"return_status\", is = [\"00\"] }\n",
        )
        .one_error()
        .at("minimal/interfaces/place_order.toml:102:8", "\"pay_apptrade\"")
        .says("`pay_apptrade` is in a reply, where a field is required always or not at all")
        .helps("write `required = true` alone");
}

#[test]
fn a_reply_field_may_be_required() {
    Case::minimal().after(PLACE_ORDER, "wire = \"pay_apptrade\"\ntype = \"string\"\n", "required = true\n").valid();
}
