//! The acknowledgement the SDK builds for the merchant (docs/protocol.md §6): its return-code
//! field set to the value meaning the answer, the envelope (user key, time, signature) and fixed
//! fields filled in, nothing else. Checked here, so that an acknowledgement the spec declares can
//! always be built and `notify::acknowledge` need not fail: a return-code field of a value set
//! with a value meaning `handled` and one meaning `not_handled`, and no required field the SDK
//! cannot fill.

use super::Resolver;
use crate::model::{Concept, FieldType, Interface, Meaning, Purpose};
use crate::schema::Document;

/// The `Meaning`s the SDK answers with (`Answer::Handled`, `Answer::NotHandled`).
pub(crate) const ANSWERS: [Meaning; 2] = [Meaning::Handled, Meaning::NotHandled];

impl Resolver<'_> {
    pub(super) fn acknowledgements_can_be_built(&mut self, docs: &[(usize, Document)]) {
        for (file, doc) in docs {
            let Some(def) = doc.interface.as_ref().map(|d| d.get_ref()) else { continue };
            let at = &def.name;
            let Some(interface) = self.spec.interfaces.iter().find(|i| i.name == *at.get_ref()) else { continue };
            // A field lost to an error was reported; what is left would only echo it.
            if interface.purpose != Purpose::Acknowledgement || self.tainted.contains(&interface.name) {
                continue;
            }
            let Some(id) = return_code_set(interface) else {
                // Its required fields are not judged: the one meant as the return code would
                // only echo this error as a field the SDK cannot fill.
                let message = format!("acknowledgement `{}` has no return-code field with a value set", interface.name);
                let help = "add a field with `concept = \"return_code\"` and `type = \"enum\"`: the SDK sets it to the \
                            value meaning the merchant's answer";
                self.err(*file, at, message, help);
                continue;
            };
            let mut problems = Vec::new();
            let set = self.spec.enumeration(id);
            for meaning in ANSWERS {
                let word = meaning.name();
                if !set.values.iter().any(|v| v.meaning == Some(meaning)) {
                    problems.push((
                        format!(
                            "the return code of acknowledgement `{}` (value set `{}`) has no value meaning `{word}`",
                            interface.name, set.rust
                        ),
                        format!("mark the value the merchant answers with `means = \"{word}\"`"),
                    ));
                }
            }
            for field in interface.fields.iter().filter(|f| f.is_mandatory()) {
                let filled = field.concept == Some(Concept::ReturnCode)
                    || field.fixed.is_some()
                    || field.concept.is_some_and(Concept::is_envelope);
                if !filled {
                    problems.push((
                        format!(
                            "acknowledgement `{}` requires `{}`, which the SDK cannot fill in",
                            interface.name, field.wire
                        ),
                        "the SDK fills the return code, the user key, the time, fixed fields and the signature: make \
                         it optional, fixed, or one of those"
                            .to_owned(),
                    ));
                }
            }
            for (message, help) in problems {
                self.err(*file, at, message, help);
            }
        }
    }
}

/// The value set of an acknowledgement's return-code field, if it has one.
pub(crate) fn return_code_set(interface: &Interface) -> Option<crate::model::EnumId> {
    interface.fields.iter().find(|f| f.concept == Some(Concept::ReturnCode)).and_then(|f| match f.ty {
        FieldType::Enum(id) => Some(id),
        _ => None,
    })
}
