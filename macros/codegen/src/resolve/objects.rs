//! `[[object]]`: nested JSON objects, whose fields may hold other objects or arrays of them.
//! Names are declared first, so an object may use one declared after it; an object may not
//! contain itself, directly or through others.

use super::Resolver;
use crate::keywords::OBJECT_FIELD_TYPES;
use crate::model::{Object, ObjectField, ObjectFieldType};
use crate::names;
use crate::schema::{Document, Text};
use crate::suggest::suggest;

impl Resolver<'_> {
    pub(super) fn objects(&mut self, docs: &[(usize, Document)]) {
        // Declare every name first: fields may refer to objects declared later.
        let mut declared: Vec<(usize, &crate::schema::ObjectDef)> = Vec::new();
        for (file, doc) in docs {
            for def in &doc.object {
                let rust = def.name.get_ref().clone();
                if !names::is_identifier(&rust) {
                    self.err(
                        *file,
                        &def.name,
                        format!("object name `{rust}` is not a Rust type name"),
                        "use UpperCamelCase, e.g. `CustomerInfo`",
                    );
                    self.refused(format!("object {rust}"));
                    continue;
                }
                if !self.claim_type(*file, &def.name, &rust, &format!("object `{rust}`")) {
                    self.refused(format!("object {rust}"));
                    continue;
                }
                self.spec.objects.push(Object { rust, doc: def.doc.get_ref().clone(), fields: Vec::new() });
                declared.push((*file, def));
            }
        }
        let names: Vec<String> = self.spec.objects.iter().map(|o| o.rust.clone()).collect();
        for (index, (file, def)) in declared.iter().enumerate() {
            let owner = def.name.get_ref();
            let mut fields: Vec<ObjectField> = Vec::new();
            for f in &def.field {
                let wire = f.wire.get_ref();
                if fields.iter().any(|x| x.wire == *wire) {
                    self.err(
                        *file,
                        &f.wire,
                        format!("object `{owner}` has field `{wire}` twice"),
                        "remove the duplicate [[object.field]]",
                    );
                    continue;
                }
                let Some(ty_at) = &f.ty else {
                    let described = format!("field `{wire}` of object `{owner}`");
                    self.missing_keyword(&OBJECT_FIELD_TYPES, *file, &described, f.wire.span());
                    continue;
                };
                // The object a kind names is resolved below; 0 holds its place.
                let Some(ty) =
                    self.keyword(&OBJECT_FIELD_TYPES, *file, ty_at).and_then(|kind| ObjectFieldType::of(kind, 0))
                else {
                    continue;
                };
                let ty = match ty {
                    ObjectFieldType::Object(_) | ObjectFieldType::ObjectArray(_) => {
                        let Some(named) = &f.object else {
                            self.err(
                                *file,
                                ty_at,
                                format!("field `{wire}` of type `{}` needs `object = \"Name\"`", ty_at.get_ref()),
                                format!("add `object = \"…\"`, one of: {}", names.join(", ")),
                            );
                            continue;
                        };
                        let Some(target) = names.iter().position(|n| n == named.get_ref()) else {
                            self.unknown_object(*file, named, &names);
                            continue;
                        };
                        if matches!(ty, ObjectFieldType::Object(_)) {
                            ObjectFieldType::Object(target)
                        } else {
                            ObjectFieldType::ObjectArray(target)
                        }
                    }
                    other => {
                        if let Some(named) = &f.object {
                            self.err(
                                *file,
                                named,
                                format!("field `{wire}` is a `{}` and holds no object", ty_at.get_ref()),
                                "remove `object`, or make the type `object` or `object_array`",
                            );
                            continue;
                        }
                        other
                    }
                };
                let Some(rust) = self.rust_name(*file, &f.wire, f.rust.as_ref(), names::snake(wire)) else {
                    continue;
                };
                if fields.iter().any(|x| x.rust == rust) {
                    self.err(
                        *file,
                        &f.wire,
                        format!("object `{owner}`: two fields become the Rust field `{rust}`"),
                        "set `rust = \"...\"` on one of them",
                    );
                    continue;
                }
                fields.push(ObjectField { wire: wire.clone(), rust, ty, doc: f.doc.get_ref().clone() });
            }
            if let Some(object) = self.spec.objects.get_mut(index) {
                object.fields = fields;
            }
        }
        for (index, (file, def)) in declared.iter().enumerate() {
            if self.contains(index, index, &mut Vec::new()) {
                self.err(
                    *file,
                    &def.name,
                    format!("object `{}` contains itself", def.name.get_ref()),
                    "an object may not hold itself, directly or through other objects; break the cycle",
                );
                if let Some(object) = self.spec.objects.get_mut(index) {
                    object
                        .fields
                        .retain(|f| !matches!(f.ty, ObjectFieldType::Object(_) | ObjectFieldType::ObjectArray(_)));
                }
            }
        }
    }

    /// Reports, once, an object name nothing declares (`known`: the declared ones).
    pub(super) fn unknown_object(&mut self, file: usize, named: &Text, known: &[String]) {
        let name = named.get_ref();
        let help = format!("{} — objects are declared as [[object]]", suggest(name, known));
        self.report_missing(format!("object {name}"), file, named, format!("unknown object `{name}`"), help);
    }

    /// Whether object `from` holds object `target`, following nested objects.
    fn contains(&self, from: usize, target: usize, seen: &mut Vec<usize>) -> bool {
        if seen.contains(&from) {
            return false;
        }
        seen.push(from);
        let Some(object) = self.spec.objects.get(from) else { return false };
        object.fields.iter().any(|f| match f.ty {
            ObjectFieldType::Object(next) | ObjectFieldType::ObjectArray(next) => {
                next == target || self.contains(next, target, seen)
            }
            _ => false,
        })
    }
}
