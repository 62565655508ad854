//! `resolve/objects.rs`: `[[object]]` and its `[[object.field]]` rows. The fixture has no
//! objects; each case adds `minimal/objects.toml`.

use super::Case;

/// `objects.toml` with a `Customer` object whose one field is `field` (the row's keys).
fn customer_with(field: &str) -> Case {
    Case::minimal().add(
        "objects.toml",
        &format!(
            "[[object]]\nname = \"Customer\"\ndoc = \"A customer.\"\n\n[[object.field]]\n{field}doc = \"A field.\"\n"
        ),
    )
}

#[test]
fn an_object_with_a_string_field_is_valid() {
    customer_with("wire = \"name\"\ntype = \"string\"\n").valid();
}

#[test]
fn an_object_name_must_be_a_rust_type_name() {
    Case::minimal()
        .add("objects.toml", "[[object]]\nname = \"customer info\"\ndoc = \"A customer.\"\n")
        .one_error()
        .at("minimal/objects.toml:2:8", "\"customer info\"")
        .says("object name `customer info` is not a Rust type name")
        .helps("use UpperCamelCase, e.g. `CustomerInfo`");
}

#[test]
fn an_object_cannot_take_a_type_name_in_use() {
    Case::minimal()
        .add("objects.toml", "[[object]]\nname = \"PayScene\"\ndoc = \"A clash.\"\n")
        .one_error()
        .at("minimal/objects.toml:2:8", "\"PayScene\"")
        .says("Rust type name `PayScene` of object `PayScene` is already used by enum `PayScene`");
}

#[test]
fn an_object_has_each_field_once() {
    customer_with("wire = \"name\"\ntype = \"string\"\n")
        .append("objects.toml", "\n[[object.field]]\nwire = \"name\"\ntype = \"string\"\ndoc = \"Again.\"\n")
        .one_error()
        .at("minimal/objects.toml:11:8", "\"name\"")
        .says("object `Customer` has field `name` twice")
        .helps("remove the duplicate [[object.field]]");
}

#[test]
fn an_unknown_object_field_type_suggests_the_closest() {
    customer_with("wire = \"name\"\ntype = \"strng\"\n")
        .one_error()
        .at("minimal/objects.toml:7:8", "\"strng\"")
        .says("unknown object field type `strng`")
        .helps("did you mean `string`?");
}

#[test]
fn an_unknown_object_field_type_far_from_every_word_lists_the_types() {
    customer_with("wire = \"name\"\ntype = \"timestamp\"\n")
        .one_error()
        .says("unknown object field type `timestamp`")
        .helps("use one of: string, integer, string_array, object, object_array");
}

#[test]
fn an_object_field_without_a_type_is_told_the_object_field_types() {
    // The words of `[[object.field]] type`, not those of `[[field]] type` (amount, url, …).
    customer_with("wire = \"name\"\n")
        .one_error()
        .at("minimal/objects.toml:6:8", "\"name\"")
        .says("field `name` of object `Customer` has no `type`")
        .helps("add `type = \"…\"` to this table, one of: string, integer, string_array, object, object_array");
}

#[test]
fn an_object_field_of_object_type_names_its_object() {
    customer_with("wire = \"address\"\ntype = \"object\"\n")
        .one_error()
        .at("minimal/objects.toml:7:8", "\"object\"")
        .says("field `address` of type `object` needs `object = \"Name\"`")
        .helps("add `object = \"…\"`, one of: Customer");
}

#[test]
fn an_object_field_names_a_declared_object() {
    customer_with("wire = \"address\"\ntype = \"object\"\nobject = \"Custmer\"\n")
        .one_error()
        .at("minimal/objects.toml:8:10", "\"Custmer\"")
        .says("unknown object `Custmer`")
        .helps("did you mean `Customer`?");
}

#[test]
fn an_undeclared_object_named_by_an_object_and_a_field_is_reported_once() {
    customer_with("wire = \"address\"\ntype = \"object\"\nobject = \"Address\"\n")
        .after(
            "notification.toml",
            "doc = \"Notification type.\"\n",
            "\n[[field]]\nwire = \"address\"\ntype = \"object\"\nobject = \"Address\"\ndoc = \"Address.\"\n",
        )
        .one_error()
        .at("minimal/objects.toml:8:10", "\"Address\"")
        .says("unknown object `Address`");
}

#[test]
fn an_object_field_of_another_type_holds_no_object() {
    customer_with("wire = \"name\"\ntype = \"string\"\nobject = \"Customer\"\n")
        .one_error()
        .at("minimal/objects.toml:8:10", "\"Customer\"")
        .says("field `name` is a `string` and holds no object")
        .helps("remove `object`, or make the type `object` or `object_array`");
}

#[test]
fn an_object_field_needs_a_rust_name() {
    customer_with("wire = \"1st\"\ntype = \"string\"\n")
        .one_error()
        .at("minimal/objects.toml:6:8", "\"1st\"")
        .says("`1st` does not make a Rust name (got `1st`)")
        .helps("add `rust = \"SomeName\"`");
}

#[test]
fn two_object_fields_cannot_become_one_rust_field() {
    customer_with("wire = \"firstName\"\ntype = \"string\"\n")
        .append("objects.toml", "\n[[object.field]]\nwire = \"first_name\"\ntype = \"string\"\ndoc = \"Again.\"\n")
        .one_error()
        .at("minimal/objects.toml:11:8", "\"first_name\"")
        .says("object `Customer`: two fields become the Rust field `first_name`")
        .helps("set `rust = \"...\"` on one of them");
}

#[test]
fn an_object_cannot_contain_itself() {
    customer_with("wire = \"referrer\"\ntype = \"object\"\nobject = \"Customer\"\n")
        .one_error()
        .at("minimal/objects.toml:2:8", "\"Customer\"")
        .says("object `Customer` contains itself")
        .helps("break the cycle");
}

#[test]
fn objects_containing_each_other_are_one_cycle_reported_once() {
    // Reporting the first object of the cycle drops its object fields, which breaks the cycle.
    customer_with("wire = \"address\"\ntype = \"object_array\"\nobject = \"Address\"\n")
        .append(
            "objects.toml",
            "\n[[object]]\nname = \"Address\"\ndoc = \"An address.\"\n\n[[object.field]]\nwire = \"owner\"\ntype = \"object\"\nobject = \"Customer\"\ndoc = \"Owner.\"\n",
        )
        .one_error()
        .at("minimal/objects.toml:2:8", "\"Customer\"")
        .says("object `Customer` contains itself")
        .helps("directly or through other objects; break the cycle");
}
