//! `[[interface.recognize]]`: which notification a signed body is. Every notification states
//! conditions on fields; the checker proves that no body can satisfy the rules of two
//! notifications, so the library, the CLI and the sandbox can all use the one rule.

use super::Resolver;
use crate::model::{Condition, Field, FieldTest, FieldType, Purpose};
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
}
