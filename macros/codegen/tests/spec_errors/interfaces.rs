//! `resolve/interfaces.rs`: the `[interface]` table — name, purpose, endpoint, retry, encoding,
//! the interfaces it leads to, `at_least_one_of` — and which requests share an endpoint.

use super::{Case, query_interface};

const PLACE_ORDER: &str = "place_order.toml";
const NOTIFICATION: &str = "notification.toml";
const PLACE_ORDER_DOC: &str = "doc = \"Place an order.\"\n";

/// The place-order interface with `line` added to its `[interface]` table (line 8).
fn place_order_with(line: &str) -> Case {
    Case::minimal().after(PLACE_ORDER, PLACE_ORDER_DOC, line)
}

#[test]
fn field_rows_outside_an_interface_file_are_refused() {
    Case::minimal()
        .add("stray.toml", "[[field]]\nwire = \"x\"\ntype = \"string\"\ndoc = \"X.\"\n")
        .one_error()
        .at("minimal/stray.toml:2:8", "\"x\"")
        .says("[[field]] / [[response]] tables outside an interface file")
        .helps("add an [interface] table to this file, or move the fields into the interface file they belong to");
}

#[test]
fn field_rows_without_a_wire_outside_an_interface_file_are_refused_at_their_header() {
    Case::minimal()
        .add("stray.toml", "[[response]]\ntype = \"string\"\ndoc = \"X.\"\n")
        .one_error()
        .at("minimal/stray.toml:1:1", "[[response]]")
        .says("[[field]] / [[response]] tables outside an interface file");
}

#[test]
fn an_interface_name_is_snake_case_and_its_users_stay_quiet() {
    Case::minimal()
        .edit(PLACE_ORDER, "name = \"place_order\"", "name = \"PlaceOrder\"")
        .edit("services.toml", "interface = \"place_order\"", "interface = \"PlaceOrder\"")
        .edit("scenes.toml", "\"place_order\"", "\"PlaceOrder\"")
        .one_error()
        .at("minimal/interfaces/place_order.toml:2:8", "\"PlaceOrder\"")
        .says("interface name `PlaceOrder` is not a snake_case name")
        .helps("use lowercase letters, digits and `_`");
}

#[test]
fn an_interface_is_declared_once() {
    let copy = Case::minimal().files.iter().find(|f| f.display.ends_with(NOTIFICATION)).unwrap().text.clone();
    Case::minimal()
        .add("interfaces/copy.toml", &copy)
        .one_error()
        .at("minimal/interfaces/copy.toml:2:8", "\"payment_notification\"")
        .says("interface `payment_notification` is declared twice")
        .helps("give each interface file its own `name`");
}

#[test]
fn an_interface_without_a_purpose_is_told_the_purposes_and_its_users_stay_quiet() {
    Case::minimal()
        .edit(PLACE_ORDER, "purpose = \"place_order\"\n", "")
        .one_error()
        .at("minimal/interfaces/place_order.toml:2:8", "\"place_order\"")
        .says("interface `place_order` has no `purpose`")
        .helps("add `purpose = \"…\"` to this table, one of: place_order, query, refund");
}

#[test]
fn an_interface_without_an_encoding_is_told_the_encodings() {
    Case::minimal()
        .edit(PLACE_ORDER, "encoding = \"json\"\n", "")
        .one_error()
        .at("minimal/interfaces/place_order.toml:2:8", "\"place_order\"")
        .says("interface `place_order` has no `encoding`")
        .helps("add `encoding = \"…\"` to this table, one of: json, form");
}

#[test]
fn an_unknown_purpose_suggests_the_closest_and_its_users_stay_quiet() {
    Case::minimal()
        .edit(PLACE_ORDER, "purpose = \"place_order\"", "purpose = \"placeorder\"")
        .one_error()
        .at("minimal/interfaces/place_order.toml:3:11", "\"placeorder\"")
        .says("unknown purpose `placeorder`")
        .helps("did you mean `place_order`?");
}

#[test]
fn an_unknown_purpose_far_from_every_word_lists_the_purposes() {
    Case::minimal()
        .edit(PLACE_ORDER, "purpose = \"place_order\"", "purpose = \"pay\"")
        .one_error()
        .says("unknown purpose `pay`")
        .helps(
            "use one of: place_order, query, refund, apply_refund, close, payment_notification, refund_notification, acknowledgement, sync_return",
        );
}

#[test]
fn an_unknown_encoding_lists_the_encodings() {
    Case::minimal()
        .edit(PLACE_ORDER, "encoding = \"json\"", "encoding = \"xml\"")
        .one_error()
        .at("minimal/interfaces/place_order.toml:6:12", "\"xml\"")
        .says("unknown encoding `xml`")
        .helps("use one of: json, form");
}

#[test]
fn an_unknown_retry_policy_lists_the_policies() {
    Case::minimal()
        .edit(PLACE_ORDER, "retry = \"never\"", "retry = \"always\"")
        .one_error()
        .at("minimal/interfaces/place_order.toml:5:9", "\"always\"")
        .says("unknown retry policy `always`")
        .helps("use one of: never, safe");
}

#[test]
fn only_a_query_may_be_retried() {
    Case::minimal()
        .edit(PLACE_ORDER, "retry = \"never\"", "retry = \"safe\"")
        .one_error()
        .at("minimal/interfaces/place_order.toml:5:9", "\"safe\"")
        .says("`place_order` is a place_order request, which changes something at eftPay")
        .helps("write `retry = \"never\"`");
}

#[test]
fn a_notification_gets_no_response() {
    Case::minimal()
        .append(NOTIFICATION, "\n[[response]]\nwire = \"return_status\"\ntype = \"string\"\ndoc = \"Status.\"\n")
        .one_error()
        .at("minimal/interfaces/notification.toml:34:8", "\"return_status\"")
        .says("[[response]] in `payment_notification`, which is a payment_notification and gets no response")
        .helps("remove the [[response]] tables");
}

#[test]
fn a_signed_request_needs_a_time_field() {
    Case::minimal()
        .edit(
            PLACE_ORDER,
            "[[field]]\nwire = \"time\"\ntype = \"time\"\nconcept = \"time\"\nrequired = true\ndoc = \"Time.\"\n\n",
            "",
        )
        .one_error()
        .at("minimal/interfaces/place_order.toml:2:8", "\"place_order\"")
        .says("`place_order` is signed by the merchant but has no field with concept `time`")
        .helps("add the `time` row (concept = \"time\")");
}

#[test]
fn a_signed_request_needs_a_sign_field() {
    Case::minimal()
        .edit(PLACE_ORDER, "[[field]]\nwire = \"sign\"\ntype = \"string\"\nmax_len = 64\nconcept = \"sign\"\nrequired = true\ndoc = \"Signature.\"\n\n", "")
        .one_error()
        .at("minimal/interfaces/place_order.toml:2:8", "\"place_order\"")
        .says("`place_order` is signed by the merchant but has no field with concept `sign`")
        .helps("add the `sign` row (concept = \"sign\")");
}

#[test]
fn a_request_needs_an_endpoint() {
    Case::minimal()
        .edit(PLACE_ORDER, "endpoint = \"/Servlet/JSAPIService.do\"\n", "")
        .one_error()
        .at("minimal/interfaces/place_order.toml:2:8", "\"place_order\"")
        .says("request interface `place_order` has no `endpoint`")
        .helps("add `endpoint = \"/Servlet/<Name>.do\"`");
}

#[test]
fn a_notification_has_no_endpoint() {
    Case::minimal()
        .after(NOTIFICATION, "encoding = \"json\"\n", "endpoint = \"/Servlet/Notify.do\"\n")
        .one_error()
        .at("minimal/interfaces/notification.toml:5:12", "\"/Servlet/Notify.do\"")
        .says("`payment_notification` is a payment_notification, which is not sent to an endpoint")
        .helps("remove `endpoint`");
}

#[test]
fn an_endpoint_is_a_path() {
    Case::minimal()
        .edit(PLACE_ORDER, "endpoint = \"/Servlet", "endpoint = \"Servlet")
        .one_error()
        .at("minimal/interfaces/place_order.toml:4:12", "\"Servlet/JSAPIService.do\"")
        .says("an endpoint is a path after the base URL and starts with `/`")
        .helps("write e.g. `/Servlet/JSAPIService.do`");
}

#[test]
fn an_at_least_one_of_group_names_only_optional_fields() {
    place_order_with("at_least_one_of = [[\"out_trade_no\", \"lang\"]]\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:8:21", "\"out_trade_no\"")
        .says("`out_trade_no` is required anyway, so an at-least-one-of group with it means nothing")
        .helps("remove it from the group");
}

#[test]
fn an_at_least_one_of_group_names_fields_of_the_interface() {
    place_order_with("at_least_one_of = [[\"lang\", \"langs\"]]\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:8:29", "\"langs\"")
        .says("at_least_one_of names `langs`, which is not a field of `place_order`")
        .helps("name fields of this interface's [[field]] table");
}

#[test]
fn only_a_notification_has_a_reply() {
    place_order_with("reply = \"acknowledgement\"\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:8:9", "\"acknowledgement\"")
        .says("`reply` only applies to notifications")
        .helps("remove `reply`");
}

#[test]
fn only_place_order_and_refund_requests_name_a_notification() {
    Case::minimal()
        .after(NOTIFICATION, "encoding = \"json\"\n", "notification = \"payment_notification\"\n")
        .one_error()
        .at("minimal/interfaces/notification.toml:5:16", "\"payment_notification\"")
        .says("`notification` only applies to place-order and refund requests")
        .helps("remove `notification`");
}

#[test]
fn only_a_place_order_request_has_a_sync_return() {
    Case::minimal()
        .after(NOTIFICATION, "encoding = \"json\"\n", "sync_return = \"place_order\"\n")
        .one_error()
        .at("minimal/interfaces/notification.toml:5:15", "\"place_order\"")
        .says("`sync_return` only applies to place-order requests")
        .helps("remove `sync_return`");
}

#[test]
fn a_named_notification_is_an_interface_with_a_notification_purpose() {
    place_order_with("notification = \"payment_notifcation\"\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:8:16", "\"payment_notifcation\"")
        .says("notification `payment_notifcation` is not an interface with purpose payment_notification")
        .helps("did you mean `payment_notification`?");
}

#[test]
fn a_named_notification_of_the_wrong_purpose_lists_the_right_ones() {
    place_order_with("notification = \"place_order\"\n")
        .one_error()
        .at("minimal/interfaces/place_order.toml:8:16", "\"place_order\"")
        .says("notification `place_order` is not an interface with purpose payment_notification")
        .helps("use one of: payment_notification");
}

#[test]
fn a_named_reply_with_none_declared_says_so() {
    Case::minimal()
        .after(NOTIFICATION, "encoding = \"json\"\n", "reply = \"acknowledgement\"\n")
        .one_error()
        .at("minimal/interfaces/notification.toml:5:9", "\"acknowledgement\"")
        .says("reply `acknowledgement` is not an interface with purpose acknowledgement")
        .helps("declare an interface with purpose acknowledgement, or remove `reply`");
}

#[test]
fn requests_sharing_an_endpoint_without_a_service_field_are_refused() {
    Case::minimal()
        .add("interfaces/query.toml", &query_interface("query", "/Servlet/Query.do"))
        .add("interfaces/query_again.toml", &query_interface("query_again", "/Servlet/Query.do"))
        .one_error()
        .at("minimal/interfaces/query_again.toml:4:12", "\"/Servlet/Query.do\"")
        .says("a request to /Servlet/Query.do without a `service` field could be read both as `query` and as `query_again`")
        .helps("the two rules match the same bodies: add a condition that tells them apart");
}
