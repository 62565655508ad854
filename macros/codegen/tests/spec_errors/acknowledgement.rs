//! `resolve/acknowledgement.rs`: the acknowledgement the SDK builds (docs/protocol.md §6) needs
//! a return-code field of a value set with a value for each answer, and no required field the
//! SDK cannot fill in; otherwise `notify::acknowledge` could not be infallible.

use super::Case;

const ANSWERS: &str = r#"[[enum]]
name = "Answer"
doc = "The merchant's answer."
values = [
  { wire = "OK", means = "handled", doc = "Handled." },
  { wire = "AGAIN", means = "not_handled", doc = "Send it again." },
]
"#;

const ACK: &str = r#"[interface]
name = "ack"
purpose = "acknowledgement"
encoding = "json"
doc = "The merchant's answer to a notification."

[[field]]
wire = "answer"
type = "enum"
enum = "Answer"
concept = "return_code"
required = true
doc = "OK or AGAIN."

[[field]]
wire = "time"
type = "time"
concept = "time"
required = true
doc = "Time."

[[field]]
wire = "sign"
type = "string"
concept = "sign"
required = true
doc = "Signature."
"#;

/// The minimal fixture with the value set `answers` and the acknowledgement `ack`, in its scene.
fn with_ack(answers: &str, ack: &str) -> Case {
    Case::minimal()
        .edit("scenes.toml", "\"payment_notification\"]", "\"payment_notification\", \"ack\"]")
        .add("answers.toml", answers)
        .add("interfaces/ack.toml", ack)
}

#[test]
fn an_acknowledgement_with_a_code_for_each_answer_is_valid() {
    with_ack(ANSWERS, ACK).valid();
}

#[test]
fn the_return_code_needs_a_value_meaning_each_answer() {
    with_ack(&ANSWERS.replace(", means = \"not_handled\"", ""), ACK)
        .one_error()
        .at("minimal/interfaces/ack.toml:2:8", "\"ack\"")
        .says("the return code of acknowledgement `ack` (value set `Answer`) has no value meaning `not_handled`")
        .helps("mark the value the merchant answers with `means = \"not_handled\"`");
}

#[test]
fn an_acknowledgement_needs_a_return_code_field() {
    with_ack(ANSWERS, &ACK.replace("concept = \"return_code\"\n", ""))
        .one_error()
        .at("minimal/interfaces/ack.toml:2:8", "\"ack\"")
        .says("acknowledgement `ack` has no return-code field with a value set")
        .helps(
            "add a field with `concept = \"return_code\"` and `type = \"enum\"`: the SDK sets it to the value meaning the merchant's answer",
        );
}

#[test]
fn an_acknowledgement_requires_only_what_the_sdk_fills_in() {
    let ack = format!("{ACK}\n[[field]]\nwire = \"note\"\ntype = \"string\"\nrequired = true\ndoc = \"A note.\"\n");
    with_ack(ANSWERS, &ack)
        .one_error()
        .at("minimal/interfaces/ack.toml:2:8", "\"ack\"")
        .says("acknowledgement `ack` requires `note`, which the SDK cannot fill in")
        .helps(
            "the SDK fills the return code, the user key, the time, fixed fields and the signature: make it optional, fixed, or one of those",
        );
}
