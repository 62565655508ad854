//! `resolve/echo.rs`: `echo = true` on a notification's field — eftPay sends back the value the
//! order's place-order request had in its field of the same wire name (docs/protocol.md §13).

use super::Case;

const NOTIFICATION: &str = "notification.toml";

fn notification_with(row: &str) -> Case {
    Case::minimal().append(NOTIFICATION, &format!("\n[[field]]\n{row}"))
}

#[test]
fn echoing_a_field_the_place_order_request_has_is_valid() {
    notification_with("wire = \"lang\"\ntype = \"enum\"\nenum = \"Lang\"\ndoc = \"Language.\"\necho = true\n").valid();
}

#[test]
fn an_echoed_field_must_be_in_the_place_order_request() {
    notification_with("wire = \"openid\"\ntype = \"string\"\ndoc = \"Payer.\"\necho = true\n")
        .one_error()
        .at("minimal/interfaces/notification.toml:37:8", "true")
        .says(
            "`openid` of `payment_notification` is marked echo, but the place-order request `place_order` has no field `openid` to echo",
        )
        .helps("add a `openid` field to `place_order`, or remove echo = true");
}

#[test]
fn an_echoed_field_has_the_place_order_fields_type() {
    notification_with("wire = \"lang\"\ntype = \"string\"\ndoc = \"Language.\"\necho = true\n")
        .one_error()
        .at("minimal/interfaces/notification.toml:37:8", "true")
        .says("`lang` of `payment_notification` is marked echo, but its type differs from `lang` of the place-order request `place_order`")
        .helps("an echoed value is sent back as it came; give both rows the same type (and enum)");
}

#[test]
fn echo_belongs_to_notifications() {
    Case::minimal()
        .after("place_order.toml", "wire = \"lang\"\n", "echo = true\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:65:8", "true")
        .says("`lang` of `place_order` is marked echo, but `place_order` is not a notification")
        .helps("echo = true says a notification carries the order's value; remove it here");
}
