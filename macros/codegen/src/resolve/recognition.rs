//! `[[interface.recognize]]`: which notification a signed body is. Every notification states
//! conditions on fields; the checker proves that no body can satisfy the rules of two
//! notifications, so the library, the CLI and the sandbox can all use the one rule — and that no
//! synchronous return can satisfy the rule of a notification of another scene, so a return
//! posted to a notify address is never taken for another scene's message.

use super::Resolver;
use crate::model::{
    Concept, Condition, Field, FieldTest, FieldType, Interface, Purpose, disjoint, implies, missing_for_implication,
};
use crate::schema::{Document, InterfaceDef, Text};
use crate::suggest::suggest;

impl Resolver<'_> {
    /// Required for notifications (the library must tell them apart from each other and from
    /// every other signed message), meaningless elsewhere.
    pub(super) fn recognize(
        &mut self,
        file: usize,
        iface: &str,
        purpose: Purpose,
        def: &InterfaceDef,
        fields: &[Field],
    ) -> Vec<Vec<Condition>> {
        let unnamed_request = purpose.is_request() && !fields.iter().any(|f| f.concept == Some(Concept::Service));
        if !purpose.is_notification() && !unnamed_request {
            if let Some(first) = def.recognize.first() {
                self.err_at(
                    file,
                    first.when.span(),
                    format!(
                        "`{iface}` is neither a notification nor a request without a `service` field, so it needs no recognition rule"
                    ),
                    "remove its [[interface.recognize]] tables",
                );
            }
            return Vec::new();
        }
        if unnamed_request && def.recognize.is_empty() {
            // Matches every body sent to its endpoint: the least specific request there.
            return Vec::new();
        }
        if def.recognize.is_empty() {
            self.err(
                file,
                &def.name,
                format!("notification `{iface}` has no [[interface.recognize]] rule"),
                "add one, e.g. `[[interface.recognize]]` with `when = [{ field = \"notify_type\", present = true }]`: \
                 the library accepts a signed body as a notification only when a rule recognizes it",
            );
            return Vec::new();
        }
        let mut alternatives = Vec::new();
        for alternative in &def.recognize {
            let mut conditions = Vec::new();
            for c in alternative.when.get_ref() {
                let test = match (&c.present, &c.is, &c.is_not) {
                    (Some(p), None, None) if *p.get_ref() => FieldTest::Present,
                    (Some(_), None, None) => FieldTest::Absent,
                    (None, Some(values), None) if !values.is_empty() => {
                        FieldTest::OneOf(self.test_values(file, fields, &c.field, values))
                    }
                    (None, None, Some(values)) if !values.is_empty() => {
                        FieldTest::NoneOf(self.test_values(file, fields, &c.field, values))
                    }
                    _ => {
                        self.err(
                            file,
                            &c.field,
                            format!("the condition on `{}` needs exactly one test", c.field.get_ref()),
                            "write one of `present = true`, `present = false`, `is = [\"A\", …]`, `is_not = [\"A\", …]`",
                        );
                        continue;
                    }
                };
                conditions.push(Condition { field: c.field.get_ref().clone(), test });
            }
            if conditions.is_empty() {
                self.err_at(
                    file,
                    alternative.when.span(),
                    "a recognition rule with no conditions would match every message",
                    "add conditions that only this notification satisfies",
                );
                continue;
            }
            alternatives.push(conditions);
        }
        alternatives
    }

    /// Values of an `is` / `is_not` test; checked against the field's enum when the field is
    /// one of the interface's enum fields.
    fn test_values(&mut self, file: usize, fields: &[Field], field: &Text, values: &[Text]) -> Vec<String> {
        let known = fields.iter().find(|f| f.wire == *field.get_ref()).and_then(|f| match f.ty {
            FieldType::Enum(id) => Some(self.wires(id)),
            _ => None,
        });
        for v in values {
            if let Some(known) = known.as_ref().filter(|known| !known.contains(v.get_ref())) {
                let message = format!("`{}` is not a value of `{}`", v.get_ref(), field.get_ref());
                let help = suggest(v.get_ref(), known);
                self.err(file, v, message, help);
            }
        }
        values.iter().map(|v| v.get_ref().clone()).collect()
    }

    /// No body may be recognized as two notifications, nor a request without a `service` field
    /// as two interfaces of its endpoint: within each such group, every two alternatives of
    /// different rules are disjoint (some field cannot satisfy both) or strictly ordered (one
    /// implies the other, and the more specific wins — spec/README.md, `[[interface.recognize]]`).
    /// So a new scene
    /// states rules more specific than an older, more general one in its own files, and never
    /// edits the other's.
    pub(super) fn recognitions_are_disjoint(&mut self, docs: &[(usize, Document)]) {
        let notifications: Vec<(String, Vec<Vec<Condition>>)> = self
            .spec
            .interfaces
            .iter()
            .filter(|i| i.purpose.is_notification() && !i.recognize.is_empty())
            .map(|i| (i.name.clone(), i.recognize.clone()))
            .collect();
        self.rules_are_ordered(docs, &notifications, "a body could be recognized both as");
        let mut endpoints: Vec<String> = self
            .spec
            .interfaces
            .iter()
            .filter(|i| i.purpose.is_request() && !i.has_service_field())
            .filter_map(|i| i.endpoint.clone())
            .collect();
        endpoints.sort_unstable();
        endpoints.dedup();
        for endpoint in endpoints {
            let requests: Vec<(String, Vec<Vec<Condition>>)> = self
                .spec
                .interfaces
                .iter()
                .filter(|i| i.purpose.is_request() && !i.has_service_field() && i.endpoint.as_ref() == Some(&endpoint))
                .map(|i| (i.name.clone(), i.request_alternatives()))
                .collect();
            let what = format!("a request to {endpoint} without a `service` field could be read both as");
            self.rules_are_ordered(docs, &requests, &what);
        }
    }

    /// One group of rules tried against the same bodies: every pair of alternatives of two rules
    /// is disjoint or strictly ordered. Where not, the error is on the rule that needs fewer
    /// conditions to become the more specific (the newcomer, as a rule), with those conditions.
    fn rules_are_ordered(&mut self, docs: &[(usize, Document)], rules: &[(String, Vec<Vec<Condition>>)], what: &str) {
        for (index, (name, alternatives)) in rules.iter().enumerate() {
            for (other, other_alternatives) in rules.iter().take(index) {
                let clash = alternatives.iter().find_map(|a| {
                    other_alternatives.iter().find_map(|b| {
                        let ordered = (implies(a, b) && !implies(b, a)) || (implies(b, a) && !implies(a, b));
                        (!disjoint(a, b) && !ordered).then_some((a, b))
                    })
                });
                let Some((a, b)) = clash else { continue };
                let to_name = missing_for_implication(a, b);
                let to_other = missing_for_implication(b, a);
                // Equal rules: either needs a condition of its own. Otherwise change the one
                // that needs fewer conditions; on a tie, the later one (`name`).
                let (change, keep, add) = if to_other.len() < to_name.len() && !to_other.is_empty() {
                    (other, name, to_other)
                } else {
                    (name, other, to_name)
                };
                let place = docs.iter().find_map(|(file, doc)| {
                    let def = doc.interface.as_ref()?.get_ref();
                    let span = match def.recognize.first() {
                        Some(rule) => rule.when.span(),
                        None => def.endpoint.as_ref()?.span(),
                    };
                    (def.name.get_ref() == change).then_some((*file, span))
                });
                let help = if add.is_empty() {
                    format!(
                        "the two rules match the same bodies: add a condition that tells them apart (a field one requires present and the other absent) to the rules of `{change}`, or one that makes them more specific than `{keep}`'s; `{keep}`'s file needs no change"
                    )
                } else {
                    format!(
                        "add a condition that tells them apart (a field one requires present and the other absent) to the rules of `{change}`, or make them more specific than `{keep}`'s — the more specific rule wins — by adding {}; `{keep}`'s file needs no change",
                        add.iter().map(|c| show(c)).collect::<Vec<_>>().join(", ")
                    )
                };
                if let Some((file, span)) = place {
                    self.err_at(file, span, format!("{what} `{other}` and as `{name}`"), help);
                }
            }
        }
    }

    /// No synchronous return may be recognized as a notification of a scene it is not in. A
    /// return's body holds the fields of its table and no others, each fixed one with its fixed
    /// value; an alternative of a rule cannot match it when one of its conditions contradicts
    /// that (a field the return does not have required present, its fixed value excluded, …).
    pub(super) fn returns_are_not_other_scenes_notifications(&mut self, docs: &[(usize, Document)]) {
        let scenes_of = |id: usize| -> Vec<usize> {
            self.spec.scenes.iter().enumerate().filter(|(_, s)| s.interfaces.contains(&id)).map(|(i, _)| i).collect()
        };
        let mut found = Vec::new();
        for (id, sync) in self.spec.interfaces.iter().enumerate().filter(|(_, i)| i.purpose == Purpose::SyncReturn) {
            let own = scenes_of(id);
            for (other, notification) in
                self.spec.interfaces.iter().enumerate().filter(|(_, i)| !i.recognize.is_empty())
            {
                if scenes_of(other).iter().any(|scene| own.contains(scene)) {
                    continue;
                }
                if notification.recognize.iter().any(|all| all.iter().all(|c| may_hold(sync, c))) {
                    found.push((sync.name.clone(), notification.name.clone()));
                }
            }
        }
        for (sync, notification) in found {
            let place = docs.iter().find_map(|(file, doc)| {
                let def = doc.interface.as_ref()?.get_ref();
                (def.name.get_ref() == &sync).then_some((*file, def.name.span()))
            });
            if let Some((file, span)) = place {
                self.err_at(
                    file,
                    span,
                    format!(
                        "a synchronous return `{sync}` could be recognized as `{notification}`, a notification of another scene"
                    ),
                    format!(
                        "give `{sync}` a field with a fixed value the rule of `{notification}` excludes (e.g. `notify_type`), or add to that rule a condition on a field `{sync}` does not have"
                    ),
                );
            }
        }
    }
}

/// Whether a body of `message` — its own fields only, fixed ones at their value — can satisfy
/// `condition`.
fn may_hold(message: &Interface, condition: &Condition) -> bool {
    match message.fields.iter().find(|f| f.wire == condition.field) {
        None => matches!(condition.test, FieldTest::Absent | FieldTest::NoneOf(_)),
        Some(field) => match (&field.fixed, &condition.test) {
            (Some(_), FieldTest::Absent) => false,
            (Some(value), FieldTest::OneOf(values)) => values.contains(value),
            (Some(value), FieldTest::NoneOf(values)) => !values.contains(value),
            _ => true,
        },
    }
}

/// A condition as written in the spec.
fn show(c: &Condition) -> String {
    let list = |values: &[String]| values.iter().map(|v| format!("\"{v}\"")).collect::<Vec<_>>().join(", ");
    match &c.test {
        FieldTest::Present => format!("`{{ field = \"{}\", present = true }}`", c.field),
        FieldTest::Absent => format!("`{{ field = \"{}\", present = false }}`", c.field),
        FieldTest::OneOf(v) => format!("`{{ field = \"{}\", is = [{}] }}`", c.field, list(v)),
        FieldTest::NoneOf(v) => format!("`{{ field = \"{}\", is_not = [{}] }}`", c.field, list(v)),
    }
}
