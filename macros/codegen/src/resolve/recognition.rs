//! `[[interface.recognize]]`: which notification a signed body is. Every notification states
//! conditions on fields; the checker proves that no body can satisfy the rules of two
//! notifications, so the library, the CLI and the sandbox can all use the one rule — and that no
//! synchronous return can satisfy the rule of a notification of another scene, so a return
//! posted to a notify address is never taken for another scene's message.

use super::Resolver;
use crate::model::{Condition, Field, FieldTest, FieldType, Interface, Purpose};
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
        if !purpose.is_notification() {
            if let Some(first) = def.recognize.first() {
                self.err_at(
                    file,
                    first.when.span(),
                    format!("`{iface}` is not a notification, so it needs no recognition rule"),
                    "remove its [[interface.recognize]] tables",
                );
            }
            return Vec::new();
        }
        if def.recognize.is_empty() {
            self.err(
                file,
                &def.name,
                format!("notification `{iface}` has no [[interface.recognize]] rule"),
                "add one, e.g. `[[interface.recognize]]` with `when = [{ field = \"notify_type\", present = true }]`: \
                 the library accepts a signed body as a notification only when a rule recognises it",
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

    /// No body may be recognised as two notifications: every alternative of one rule must
    /// contradict every alternative of every other on some field.
    pub(super) fn recognitions_are_disjoint(&mut self, docs: &[(usize, Document)]) {
        let rules: Vec<(String, Vec<Vec<Condition>>)> = self
            .spec
            .interfaces
            .iter()
            .filter(|i| !i.recognize.is_empty())
            .map(|i| (i.name.clone(), i.recognize.clone()))
            .collect();
        for (index, (name, alternatives)) in rules.iter().enumerate() {
            for (other, other_alternatives) in rules.iter().take(index) {
                let overlap = alternatives.iter().any(|a| {
                    other_alternatives
                        .iter()
                        .any(|b| !a.iter().any(|x| b.iter().any(|y| x.field == y.field && x.test.contradicts(&y.test))))
                });
                if !overlap {
                    continue;
                }
                let place = docs.iter().find_map(|(file, doc)| {
                    let def = doc.interface.as_ref()?.get_ref();
                    (def.name.get_ref() == name).then_some((*file, def.recognize.first()?.when.span()))
                });
                if let Some((file, span)) = place {
                    self.err_at(
                        file,
                        span,
                        format!("a body could be recognised both as `{other}` and as `{name}`"),
                        format!(
                            "add a condition that tells them apart (e.g. a field one requires present and the other absent) to the rules of `{name}` or `{other}`"
                        ),
                    );
                }
            }
        }
    }

    /// No synchronous return may be recognised as a notification of a scene it is not in. A
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
                        "a synchronous return `{sync}` could be recognised as `{notification}`, a notification of another scene"
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
