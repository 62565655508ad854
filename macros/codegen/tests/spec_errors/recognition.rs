//! `resolve/recognition.rs`: `[[interface.recognize]]` — which notification a signed body is,
//! and that no body is two notifications.

use super::Case;

const NOTIFICATION: &str = "notification.toml";
const RULE: &str =
    "when = [{ field = \"notify_type\", present = true }, { field = \"return_status\", present = false }]";

/// A second notification (`refund_notification`, in a scene of its own) whose rule is the
/// fixture's with `{ field = "return_status", present = false }` replaced by `condition`.
fn twin(condition: &str) -> Case {
    let case = Case::minimal();
    let original = case.files.iter().find(|f| f.display.ends_with(NOTIFICATION)).unwrap().text.clone();
    let twin = original
        .replace("name = \"payment_notification\"", "name = \"refund_notification\"")
        .replace("purpose = \"payment_notification\"", "purpose = \"refund_notification\"")
        .replace("{ field = \"return_status\", present = false }", condition)
        + "\n[[scene]]\nname = \"twin\"\ndoc = \"A second scene.\"\ninterfaces = [\"refund_notification\"]\n";
    case.add("interfaces/twin.toml", &twin)
}

#[test]
fn only_a_notification_has_a_recognition_rule() {
    Case::minimal()
        .after(
            "place_order.toml",
            "doc = \"Place an order.\"\n",
            "\n[[interface.recognize]]\nwhen = [{ field = \"service\", present = true }]\n",
        )
        .one_error()
        .at("minimal/interfaces/place_order.toml:10:8", "[{ field = \"service\", present = true }]")
        .says("`place_order` is neither a notification nor a request without a `service` field, so it needs no recognition rule")
        .helps("remove its [[interface.recognize]] tables");
}

#[test]
fn a_notification_needs_a_recognition_rule() {
    Case::minimal()
        .edit(NOTIFICATION, &format!("[[interface.recognize]]\n{RULE}\n"), "")
        .one_error()
        .at("minimal/interfaces/notification.toml:2:8", "\"payment_notification\"")
        .says("notification `payment_notification` has no [[interface.recognize]] rule")
        .helps("add one, e.g. `[[interface.recognize]]` with `when = [{ field = \"notify_type\", present = true }]`");
}

#[test]
fn a_recognition_condition_needs_exactly_one_test() {
    Case::minimal()
        .edit(
            NOTIFICATION,
            "{ field = \"notify_type\", present = true }",
            "{ field = \"notify_type\", present = true, is = [\"x\"] }",
        )
        .one_error()
        .at("minimal/interfaces/notification.toml:8:19", "\"notify_type\"")
        .says("the condition on `notify_type` needs exactly one test")
        .helps("write one of `present = true`, `present = false`, `is = [\"A\", …]`, `is_not = [\"A\", …]`");
}

#[test]
fn a_recognition_condition_with_no_test_is_refused() {
    Case::minimal()
        .edit(NOTIFICATION, "{ field = \"notify_type\", present = true }", "{ field = \"notify_type\" }")
        .one_error()
        .at("minimal/interfaces/notification.toml:8:19", "\"notify_type\"")
        .says("the condition on `notify_type` needs exactly one test");
}

#[test]
fn a_recognition_rule_without_conditions_is_refused() {
    Case::minimal()
        .edit(NOTIFICATION, RULE, "when = []")
        .one_error()
        .at("minimal/interfaces/notification.toml:8:8", "[]")
        .says("a recognition rule with no conditions would match every message")
        .helps("add conditions that only this notification satisfies");
}

#[test]
fn a_recognition_value_is_a_value_of_the_fields_enum() {
    Case::minimal()
        .after(
            NOTIFICATION,
            "doc = \"Notification type.\"\n",
            "\n[[field]]\nwire = \"pay_scene\"\ntype = \"enum\"\nenum = \"PayScene\"\ndoc = \"Scene.\"\n",
        )
        .edit(
            NOTIFICATION,
            "{ field = \"return_status\", present = false }",
            "{ field = \"pay_scene\", is = [\"WAP\"] }",
        )
        .one_error()
        .at("minimal/interfaces/notification.toml:8:81", "\"WAP\"")
        .says("`WAP` is not a value of `pay_scene`")
        .helps("did you mean `WEB`?");
}

#[test]
fn two_notifications_one_body_could_match_are_refused() {
    twin("{ field = \"refund_no\", present = true }")
        .one_error()
        .at(
            "minimal/interfaces/twin.toml:8:8",
            "[{ field = \"notify_type\", present = true }, { field = \"refund_no\", present = true }]",
        )
        .says("a body could be recognized both as `payment_notification` and as `refund_notification`")
        .helps("add a condition that tells them apart");
}

#[test]
fn notifications_told_apart_by_one_field_are_accepted() {
    twin("{ field = \"return_status\", is = [\"00\"] }").valid();
}

/// A synchronous return in a scene of its own, whose fields are the fixture notification's
/// `notify_type` (with `notify_type_row` in its row) and order number.
fn sync_return_of_another_scene(notify_type_row: &str) -> Case {
    let sync = format!(
        "[interface]\nname = \"sync_return\"\npurpose = \"sync_return\"\nencoding = \"form\"\ndoc = \"The return.\"\n\n\
         [[field]]\nwire = \"notify_type\"\ntype = \"string\"\n{notify_type_row}doc = \"Notification type.\"\n\n\
         [[field]]\nwire = \"out_trade_no\"\ntype = \"string\"\nconcept = \"out_trade_no\"\ndoc = \"Order.\"\n\n\
         [[scene]]\nname = \"browser\"\ndoc = \"A scene of returns.\"\ninterfaces = [\"sync_return\"]\n"
    );
    Case::minimal().add("interfaces/sync_return.toml", &sync)
}

#[test]
fn a_synchronous_return_another_scenes_notification_would_recognize_is_refused() {
    sync_return_of_another_scene("")
        .one_error()
        .at("minimal/interfaces/sync_return.toml:2:8", "\"sync_return\"")
        .says("a synchronous return `sync_return` could be recognized as `payment_notification`, a notification of another scene")
        .helps("give `sync_return` a field with a fixed value the rule of `payment_notification` excludes");
}

#[test]
fn a_synchronous_return_no_rule_of_another_scene_matches_is_accepted() {
    // Without notify_type it cannot satisfy the notification's `notify_type present`.
    Case::minimal()
        .add(
            "interfaces/sync_return.toml",
            "[interface]\nname = \"sync_return\"\npurpose = \"sync_return\"\nencoding = \"form\"\ndoc = \"The return.\"\n\n\
             [[field]]\nwire = \"out_trade_no\"\ntype = \"string\"\nconcept = \"out_trade_no\"\ndoc = \"Order.\"\n\n\
             [[scene]]\nname = \"browser\"\ndoc = \"A scene of returns.\"\ninterfaces = [\"sync_return\"]\n",
        )
        .valid();
}

#[test]
fn a_synchronous_return_of_the_notifications_own_scene_may_match_its_rule() {
    let case = sync_return_of_another_scene("");
    case.edit(
        "scenes.toml",
        "interfaces = [\"place_order\", \"payment_notification\"]",
        "interfaces = [\"place_order\", \"payment_notification\", \"sync_return\"]",
    )
    .valid();
}
