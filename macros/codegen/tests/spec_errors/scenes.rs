//! `resolve/scenes.rs`: `[[scene]]` — every interface in one, one interface per purpose.

use super::Case;

const SCENES: &str = "scenes.toml";

#[test]
fn a_scene_name_is_snake_case_and_its_interfaces_are_not_orphans() {
    Case::minimal()
        .edit(SCENES, "name = \"demo\"", "name = \"Demo\"")
        .one_error()
        .at("minimal/scenes.toml:2:8", "\"Demo\"")
        .says("scene name `Demo` is not a snake_case name")
        .helps("use lowercase letters, digits and `_`, starting with a letter");
}

#[test]
fn a_scene_is_declared_once() {
    Case::minimal()
        .append(SCENES, "\n[[scene]]\nname = \"demo\"\ndoc = \"Again.\"\ninterfaces = [\"place_order\"]\n")
        .one_error()
        .at("minimal/scenes.toml:7:8", "\"demo\"")
        .says("scene `demo` is declared twice")
        .helps("remove one of them");
}

#[test]
fn a_scene_lists_declared_interfaces() {
    Case::minimal()
        .edit(SCENES, "\"payment_notification\"]", "\"payment_notification\", \"plce_order\"]")
        .one_error()
        .at("minimal/scenes.toml:4:54", "\"plce_order\"")
        .says("scene `demo` lists unknown interface `plce_order`")
        .helps("did you mean `place_order`?");
}

#[test]
fn a_scene_has_one_interface_per_purpose() {
    let case = Case::minimal();
    let copy = case.files.iter().find(|f| f.display.ends_with("place_order.toml")).unwrap().text.clone();
    case.add(
        "interfaces/place_order_again.toml",
        &copy.replace("name = \"place_order\"", "name = \"place_order_again\""),
    )
    .edit(SCENES, "\"payment_notification\"]", "\"payment_notification\", \"place_order_again\"]")
    .one_error()
    .at("minimal/scenes.toml:4:54", "\"place_order_again\"")
    .says("scene `demo` has two place_order interfaces: `place_order` and `place_order_again`")
    .helps("put the other in a scene of its own");
}

#[test]
fn every_interface_belongs_to_a_scene() {
    Case::minimal()
        .edit(SCENES, ", \"payment_notification\"]", "]")
        .one_error()
        .at("minimal/interfaces/notification.toml:2:8", "\"payment_notification\"")
        .says("interface `payment_notification` belongs to no scene")
        .helps("list it in the `interfaces` of a [[scene]]");
}
