//! Field tables: `[[field]]`, `[[response]]` and `[[field_group.field]]` rows. A table is the
//! interface's own rows, after the rows of the interface it `extends` (less those it `omit`s,
//! with rows of the same wire name replaced in place) and with `include = "group"` rows
//! expanded — so a table eftPay repeats is written once.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;

use super::Resolver;
use crate::keywords::{CONCEPTS, FIELD_TYPES};
use crate::model::{Concept, Field, FieldType, Sibling};
use crate::names;
use crate::schema::{Document, FieldDef, FieldGroupDef, InterfaceDef, SiblingDef, Text};
use crate::suggest::suggest;

/// One row of a table, with the file it was written in.
#[derive(Clone, Copy)]
pub(super) struct Entry<'a> {
    pub file: usize,
    /// The row, spanning its `[[…]]` header.
    pub row: &'a Spanned<FieldDef>,
    /// The `[[field_group]]` the row is written in, if it is not the table's own.
    pub group: Option<&'a str>,
}

/// How the message a table describes is read, which decides what `required` means in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reading {
    /// The merchant builds it: `required` fields must be sent.
    Outgoing,
    /// eftPay's reply to a request: an accepted reply must carry its `required` fields.
    Reply,
    /// A notification or return eftPay sends: read leniently, nothing is required.
    Lenient,
}

impl<'a> Entry<'a> {
    pub fn def(&self) -> &'a FieldDef {
        self.row.get_ref()
    }

    fn wire(&self) -> Option<&'a str> {
        self.def().wire.as_ref().map(|w| w.get_ref().as_str())
    }
}

/// Where to point at a row as a whole: its `wire` (or `include`), or its `[[…]]` header when it
/// has neither.
pub(super) fn row_at(row: &Spanned<FieldDef>) -> Range<usize> {
    let def = row.get_ref();
    def.wire.as_ref().or(def.include.as_ref()).map_or(row.span(), Text::span)
}

/// Which table of an interface.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Table {
    Fields,
    Response,
}

impl Table {
    fn rows(self, doc: &Document) -> &[Spanned<FieldDef>] {
        match self {
            Table::Fields => &doc.field,
            Table::Response => &doc.response,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Table::Fields => "field",
            Table::Response => "response",
        }
    }
}

/// Where the interfaces and groups of the spec are written.
pub(super) struct Sources<'a> {
    pub interfaces: BTreeMap<String, (usize, &'a InterfaceDef, &'a Document)>,
    pub groups: BTreeMap<String, (usize, &'a FieldGroupDef)>,
}

impl<'a> Sources<'a> {
    pub fn new(resolver: &mut Resolver<'_>, docs: &'a [(usize, Document)]) -> Sources<'a> {
        let mut interfaces = BTreeMap::new();
        let mut groups = BTreeMap::new();
        for (file, doc) in docs {
            if let Some(def) = &doc.interface {
                interfaces.entry(def.get_ref().name.get_ref().clone()).or_insert((*file, def.get_ref(), doc));
            }
            for group in &doc.field_group {
                if groups.contains_key(group.name.get_ref()) {
                    resolver.err(
                        *file,
                        &group.name,
                        format!("field group `{}` is declared twice", group.name.get_ref()),
                        "give each [[field_group]] its own name",
                    );
                } else {
                    groups.insert(group.name.get_ref().clone(), (*file, group));
                }
            }
        }
        Sources { interfaces, groups }
    }
}

impl Resolver<'_> {
    /// The rows of `table` of interface `name`, inheritance and groups applied.
    pub(super) fn entries<'a>(
        &mut self,
        sources: &Sources<'a>,
        name: &str,
        table: Table,
        stack: &mut Vec<String>,
    ) -> Vec<Entry<'a>> {
        let Some((file, def, doc)) = sources.interfaces.get(name).copied() else { return Vec::new() };
        let mut rows: Vec<Entry<'a>> = Vec::new();
        if let Some(parent) = &def.extends {
            let cycle_start = stack.iter().position(|s| s == parent.get_ref());
            if cycle_start.is_some() || parent.get_ref() == name {
                // Every member of the cycle closes it when its own table is built: report the
                // cycle once, with its whole chain.
                let mut chain: Vec<&str> = stack
                    .get(cycle_start.unwrap_or(stack.len())..)
                    .unwrap_or_default()
                    .iter()
                    .map(String::as_str)
                    .collect();
                chain.extend([name, parent.get_ref().as_str()]);
                let mut members = chain.clone();
                members.sort_unstable();
                members.dedup();
                self.report_missing(
                    format!("extends cycle {}", members.join(" ")),
                    file,
                    parent,
                    format!("`extends` goes round in a cycle: {}", chain.join(" → ")),
                    "break the cycle: remove one `extends` of it (an interface cannot inherit from itself)",
                );
            } else if sources.interfaces.contains_key(parent.get_ref()) {
                stack.push(name.to_owned());
                rows = self.entries(sources, parent.get_ref(), table, stack);
                stack.pop();
            } else {
                let known: Vec<String> = sources.interfaces.keys().cloned().collect();
                let help = suggest(parent.get_ref(), &known);
                self.report_missing(
                    format!("interface {}", parent.get_ref()),
                    file,
                    parent,
                    format!("`{name}` extends unknown interface `{}`", parent.get_ref()),
                    help,
                );
            }
            if table == Table::Fields {
                for omitted in &def.omit {
                    if !rows.iter().any(|e| e.wire() == Some(omitted.get_ref().as_str())) {
                        self.err(
                            file,
                            omitted,
                            format!(
                                "`{name}` omits `{}`, which `{}` does not have",
                                omitted.get_ref(),
                                parent.get_ref()
                            ),
                            "name a [[field]] of the interface it extends",
                        );
                    }
                }
            }
            if table == Table::Fields {
                rows.retain(|e| !def.omit.iter().any(|o| Some(o.get_ref().as_str()) == e.wire()));
            }
        } else if let Some(first) = def.omit.first() {
            self.err(
                file,
                first,
                format!("`{name}` omits fields but extends no interface"),
                "remove `omit`, or add `extends`",
            );
        }
        for own in self.expand(sources, file, table.rows(doc)) {
            match own.wire().and_then(|w| rows.iter().position(|e| e.wire() == Some(w))) {
                // Inherited rows of the same name are replaced where they stood.
                Some(index) if def.extends.is_some() => {
                    if let Some(slot) = rows.get_mut(index) {
                        *slot = own;
                    }
                }
                _ => rows.push(own),
            }
        }
        rows
    }

    /// A file's rows with `include = "group"` rows expanded.
    fn expand<'a>(&mut self, sources: &Sources<'a>, file: usize, rows: &'a [Spanned<FieldDef>]) -> Vec<Entry<'a>> {
        let mut out = Vec::new();
        for row in rows {
            let def = row.get_ref();
            let Some(include) = &def.include else {
                out.push(Entry { file, row, group: None });
                continue;
            };
            if def.wire.is_some() || def.ty.is_some() || def.doc.is_some() {
                self.err(
                    file,
                    include,
                    "an `include` row stands alone",
                    "write only `include = \"group\"` in this row; describe fields in the group",
                );
            }
            match sources.groups.get(include.get_ref()) {
                Some((group_file, group)) => {
                    for row in &group.field {
                        match &row.get_ref().include {
                            Some(nested) => self.err(
                                *group_file,
                                nested,
                                "a field group cannot include another",
                                "list the fields in the group itself",
                            ),
                            None => out.push(Entry { file: *group_file, row, group: Some(group.name.get_ref()) }),
                        }
                    }
                }
                None => {
                    let known: Vec<String> = sources.groups.keys().cloned().collect();
                    let help = format!(
                        "{} — field groups are declared as [[field_group]]",
                        suggest(include.get_ref(), &known)
                    );
                    self.report_missing(
                        format!("group {}", include.get_ref()),
                        file,
                        include,
                        format!("unknown field group `{}`", include.get_ref()),
                        help,
                    );
                }
            }
        }
        out
    }

    /// Resolves a table's rows into fields, of a message read as `reading` says.
    pub(super) fn fields(&mut self, iface: &str, table: &str, entries: &[Entry<'_>], reading: Reading) -> Vec<Field> {
        let mut fields: Vec<Field> = Vec::new();
        let mut kept: Vec<&Entry<'_>> = Vec::new();
        for entry in entries {
            let file = entry.file;
            let def = entry.def();
            let (Some(wire_at), Some(ty_at), Some(doc)) = (&def.wire, &def.ty, &def.doc) else {
                let missing: Vec<&str> =
                    [("wire", def.wire.is_none()), ("type", def.ty.is_none()), ("doc", def.doc.is_none())]
                        .into_iter()
                        .filter_map(|(k, m)| m.then_some(k))
                        .collect();
                // At the first key the row has, or at its `[[…]]` header when it has none of them.
                let at =
                    def.wire.as_ref().or(def.ty.as_ref()).or(def.doc.as_ref()).map_or(entry.row.span(), Text::span);
                // A group's row is the same row in every table including it: say so, so it is
                // reported once.
                let row = match entry.group {
                    Some(group) => format!("a row of field group `{group}`"),
                    None => format!("a [[{table}]] row of `{iface}`"),
                };
                self.err_at(
                    file,
                    at,
                    format!("{row} has no {}", missing.join(", ")),
                    "every field row needs `wire`, `type` and `doc` (or is a lone `include = \"group\"`)",
                );
                continue;
            };
            let wire = wire_at.get_ref().clone();
            if wire.is_empty() {
                self.err(
                    file,
                    wire_at,
                    "a field with an empty wire name",
                    "write the name exactly as eftPay's table has it",
                );
                continue;
            }
            if wire.contains(['&', '=']) {
                // The signed string joins `name=value` pairs with `&`: such a name could be read
                // as two fields, and a body re-encoded that way would keep its signature.
                self.err(
                    file,
                    wire_at,
                    format!("wire name `{wire}` contains `&` or `=`, which would make the signed string ambiguous"),
                    "write the field's name exactly as eftPay's table has it; eftPay's names never contain `&` or `=`",
                );
                continue;
            }
            if fields.iter().any(|f| f.wire == wire) {
                self.err(
                    file,
                    wire_at,
                    format!("duplicate field `{wire}` in the [[{table}]] table of `{iface}`"),
                    "remove one of the two entries (each wire name appears once per message)",
                );
                continue;
            }
            let Some(rust) = self.rust_name(file, wire_at, def.rust.as_ref(), names::snake(&wire)) else { continue };
            if let Some(other) = fields.iter().find(|f| f.rust == rust) {
                let message =
                    format!("fields `{}` and `{wire}` of `{iface}` both become the Rust field `{rust}`", other.wire);
                self.err(file, wire_at, message, "set `rust = \"...\"` on one of them");
                continue;
            }
            if rust == "extra" {
                self.err(file, wire_at, "the Rust field name `extra` is reserved", "set `rust = \"...\"`");
                continue;
            }
            let Some(ty) = self.field_type(file, def, ty_at, &wire) else { continue };
            let concept = match &def.concept {
                None => {
                    if let Some(needed) = self.concept_needed(ty) {
                        self.err(
                            file,
                            wire_at,
                            format!("`{wire}` is typed with {} but has no concept", needed.0),
                            format!(
                                "add `concept = \"{}\"`: without it the service row's checks would silently not apply",
                                needed.1
                            ),
                        );
                        continue;
                    }
                    None
                }
                Some(c) => match self.concept(file, c, ty) {
                    Some(c) => Some(c),
                    None => continue,
                },
            };
            let Some(max_len) = self.max_len(file, def, ty, &wire) else { continue };
            let Ok(required_unless) = self.optional_flag(file, def.required_unless.as_ref()) else { continue };
            let Ok(forbidden_with) = self.optional_flag(file, def.forbidden_with.as_ref()) else { continue };
            if required_unless.is_some() && !def.required {
                self.err(
                    file,
                    wire_at,
                    format!("`{wire}` has required_unless but is not required"),
                    "add `required = true`, or remove required_unless",
                );
                continue;
            }
            let Some(fixed) = self.value_text(file, def.fixed.as_ref(), ty, "fixed") else { continue };
            let Some(default) = self.value_text(file, def.default.as_ref(), ty, "default") else { continue };
            if def.no_query && ty != FieldType::Url {
                self.err(
                    file,
                    wire_at,
                    format!("no_query only applies to url fields, and `{wire}` is not one"),
                    "remove no_query or make the field `type = \"url\"`",
                );
                continue;
            }
            let Some((multiple_of, min, max)) = self.number_rules(file, def, ty, &wire) else { continue };
            match reading {
                Reading::Outgoing => {}
                // An accepted reply must carry what its table requires (docs/protocol.md §1: the
                // reply is bound to its request); a condition on a sibling or a flag is not read.
                Reading::Reply if def.required_unless.is_some() || def.required_when.is_some() => {
                    self.err(
                        file,
                        wire_at,
                        format!("`{wire}` is in a reply, where a field is required always or not at all"),
                        "write `required = true` alone, or remove `required_unless` / `required_when`",
                    );
                    continue;
                }
                Reading::Reply => {}
                Reading::Lenient if def.required || def.required_unless.is_some() || def.required_when.is_some() => {
                    self.err(
                        file,
                        wire_at,
                        format!(
                            "`{wire}` is in a message eftPay sends, which is read leniently: `required` means nothing there"
                        ),
                        "remove `required` / `required_unless` / `required_when`",
                    );
                    continue;
                }
                Reading::Lenient => {}
            }
            fields.push(Field {
                wire,
                rust,
                ty,
                max_len,
                required: def.required,
                required_unless,
                required_when: None,
                forbidden_with,
                only_when: None,
                concept,
                fixed,
                default,
                no_query: def.no_query,
                echo: def.echo.as_ref().is_some_and(|e| *e.get_ref()),
                not_above: None,
                multiple_of,
                min,
                max,
                doc: doc.get_ref().clone(),
            });
            kept.push(entry);
        }
        // Second pass: references between fields of the same table.
        for (index, entry) in kept.iter().enumerate() {
            let def = entry.def();
            if let Some(cond) = &def.only_when {
                let sibling = self.sibling(entry.file, iface, &fields, cond, "only_when");
                if let Some(f) = fields.get_mut(index) {
                    f.only_when = sibling;
                }
            }
            if let Some(cond) = &def.required_when {
                if def.required {
                    self.err(
                        entry.file,
                        &cond.field,
                        "a field is either `required` or `required_when`",
                        "remove `required = true` to make it required only when the condition holds",
                    );
                }
                let sibling = self.sibling(entry.file, iface, &fields, cond, "required_when");
                if let Some(f) = fields.get_mut(index) {
                    f.required = sibling.is_some();
                    f.required_when = sibling;
                }
            }
            if let Some(other) = &def.not_above {
                let target = fields
                    .iter()
                    .position(|f| f.wire == *other.get_ref() && f.ty == FieldType::Amount && f.is_mandatory());
                let this_amount = fields.get(index).is_some_and(|f| f.ty == FieldType::Amount);
                match target {
                    Some(target) if this_amount => {
                        if let Some(f) = fields.get_mut(index) {
                            f.not_above = Some(target);
                        }
                    }
                    _ => self.err(
                        entry.file,
                        other,
                        format!(
                            "not_above must name a required amount field of `{iface}`, and `{}` is not one (or this field is no amount)",
                            other.get_ref()
                        ),
                        "name a required `type = \"amount\"` field of the same table",
                    ),
                }
            }
        }
        fields
    }

    /// `only_when` / `required_when`: a sibling enum field and some of its values.
    fn sibling(&mut self, file: usize, iface: &str, fields: &[Field], cond: &SiblingDef, key: &str) -> Option<Sibling> {
        let Some(index) = fields.iter().position(|f| f.wire == *cond.field.get_ref()) else {
            let known: Vec<String> = fields.iter().map(|f| f.wire.clone()).collect();
            self.err(
                file,
                &cond.field,
                format!("{key} names `{}`, which is not a field of `{iface}`", cond.field.get_ref()),
                suggest(cond.field.get_ref(), &known),
            );
            return None;
        };
        let FieldType::Enum(enum_id) = fields.get(index)?.ty else {
            self.err(
                file,
                &cond.field,
                format!("{key} needs an enum field to compare with, and `{}` is not one", cond.field.get_ref()),
                "name an enum-typed field such as payType or wallet",
            );
            return None;
        };
        let known = self.wires(enum_id);
        let mut values = Vec::new();
        for v in &cond.is {
            if known.contains(v.get_ref()) {
                values.push(v.get_ref().clone());
            } else {
                let enum_name = self.spec.enums.get(enum_id).map(|e| e.rust.clone()).unwrap_or_default();
                let help = suggest(v.get_ref(), &known);
                self.err(file, v, format!("`{}` is not a value of {enum_name}", v.get_ref()), help);
            }
        }
        let mut or = Vec::new();
        for other in &cond.or {
            match fields.iter().position(|f| f.wire == *other.get_ref()) {
                _ if key != "required_when" => {
                    self.err(
                        file,
                        other,
                        format!("`or` belongs to `required_when`, not to {key}"),
                        "remove `or`: a one-of requirement is `required_when = { field = …, is = […], or = [\"other\"] }`",
                    );
                }
                Some(found) if fields.get(found).is_some_and(Field::is_mandatory) => {
                    self.err(
                        file,
                        other,
                        format!("`{}` is always required, so it cannot stand in for another field", other.get_ref()),
                        "name an optional field in `or`, or remove it",
                    );
                }
                Some(found) if found != index => or.push(found),
                Some(_) => {
                    self.err(
                        file,
                        other,
                        format!("`or` names `{}`, the field the condition is on", other.get_ref()),
                        "name the other fields that may be sent instead of this one",
                    );
                }
                None => {
                    let known: Vec<String> = fields.iter().map(|f| f.wire.clone()).collect();
                    self.err(
                        file,
                        other,
                        format!("`or` names `{}`, which is not a field of `{iface}`", other.get_ref()),
                        suggest(other.get_ref(), &known),
                    );
                }
            }
        }
        (!values.is_empty()).then_some(Sibling { field: index, values, or })
    }

    fn field_type(&mut self, file: usize, def: &FieldDef, ty_at: &Text, wire: &str) -> Option<FieldType> {
        // The value set or object a kind names is resolved below; 0 holds its place.
        let Some(ty) = FIELD_TYPES.parse(ty_at.get_ref()).and_then(|kind| FieldType::of(kind, 0)) else {
            let help =
                format!("{} (spec/README.md describes each type)", suggest(ty_at.get_ref(), &FIELD_TYPES.words()));
            self.err(file, ty_at, format!("unknown field type `{}` for `{wire}`", ty_at.get_ref()), help);
            return None;
        };
        let ty = match ty {
            FieldType::Enum(_) => match &def.enum_name {
                Some(named) => FieldType::Enum(self.enum_named(file, named)?),
                None => {
                    let known: Vec<String> = self.spec.enums.iter().map(|e| e.rust.clone()).collect();
                    self.err(
                        file,
                        ty_at,
                        format!("a field of type `enum` needs `enum = \"...\"` (`{wire}`)"),
                        format!("add `enum = \"Name\"`, one of: {}", known.join(", ")),
                    );
                    return None;
                }
            },
            FieldType::Object(_) | FieldType::ObjectArray(_) => {
                let known: Vec<String> = self.spec.objects.iter().map(|o| o.rust.clone()).collect();
                let Some(named) = &def.object else {
                    let help = if known.is_empty() {
                        "add `object = \"Name\"` and declare that object as an [[object]]".to_owned()
                    } else {
                        format!("add `object = \"Name\"`, one of: {}", known.join(", "))
                    };
                    self.err(
                        file,
                        ty_at,
                        format!("a field of type `{}` needs `object = \"...\"` (`{wire}`)", ty_at.get_ref()),
                        help,
                    );
                    return None;
                };
                let Some(id) = known.iter().position(|k| k == named.get_ref()) else {
                    self.unknown_object(file, named, &known);
                    return None;
                };
                if matches!(ty, FieldType::Object(_)) { FieldType::Object(id) } else { FieldType::ObjectArray(id) }
            }
            other => other,
        };
        if let Some(named) = def.enum_name.as_ref().filter(|_| !matches!(ty, FieldType::Enum(_))) {
            self.err(
                file,
                named,
                format!("`{wire}` names an enum but its type is `{}`", ty_at.get_ref()),
                "set `type = \"enum\"` or remove `enum`",
            );
            return None;
        }
        if let Some(named) =
            def.object.as_ref().filter(|_| !matches!(ty, FieldType::Object(_) | FieldType::ObjectArray(_)))
        {
            self.err(
                file,
                named,
                format!("`{wire}` names an object but its type is `{}`", ty_at.get_ref()),
                "set `type = \"object\"` or `\"array\"`, or remove `object`",
            );
            return None;
        }
        Some(ty)
    }

    /// A field typed with one of the row-checked value sets must say so with its concept.
    fn concept_needed(&self, ty: FieldType) -> Option<(&'static str, &'static str)> {
        let FieldType::Enum(id) = ty else { return None };
        let b = self.spec.builtin;
        if id == b.pay_type {
            Some(("PayType", "pay_type"))
        } else if id == b.wallet {
            Some(("Wallet", "wallet"))
        } else if id == b.service {
            Some(("Service", "service"))
        } else {
            None
        }
    }

    fn concept(&mut self, file: usize, at: &Text, ty: FieldType) -> Option<Concept> {
        let concept = self.keyword(&CONCEPTS, file, at)?;
        let b = self.spec.builtin;
        // The service rows' columns are typed with these enums too: their absence is one error.
        for (wanted, declared, name) in [(Concept::PayScene, b.pay_scene, "PayScene"), (Concept::Lang, b.lang, "Lang")]
        {
            if concept == wanted && declared.is_none() {
                self.report_missing(
                    format!("enum {name}"),
                    file,
                    at,
                    format!("the spec declares no enum {name}, which concept `{}` needs", at.get_ref()),
                    format!("add an [[enum]] named {name} (spec/common/enums.toml)"),
                );
                return None;
            }
        }
        let builtin = |id: Option<usize>| matches!(ty, FieldType::Enum(e) if Some(e) == id);
        let (ok, expected): (bool, String) = match concept {
            Concept::Service => (builtin(Some(b.service)), "type = \"enum\", enum = \"Service\"".into()),
            Concept::PayType => (builtin(Some(b.pay_type)), "type = \"enum\", enum = \"PayType\"".into()),
            Concept::Wallet => (builtin(Some(b.wallet)), "type = \"enum\", enum = \"Wallet\"".into()),
            Concept::PayScene => (builtin(b.pay_scene), "type = \"enum\", enum = \"PayScene\"".into()),
            Concept::Lang => (builtin(b.lang), "type = \"enum\", enum = \"Lang\"".into()),
            Concept::Time => (ty == FieldType::Time, "type = \"time\"".into()),
            Concept::PaidAt | Concept::TradeTime | Concept::RefundTime => {
                (matches!(ty, FieldType::Time | FieldType::DateTime), "type = \"time\" or \"datetime\"".into())
            }
            Concept::NotifyUrl | Concept::ReturnUrl => (ty == FieldType::Url, "type = \"url\"".into()),
            Concept::Amount | Concept::RefundAmount | Concept::TradeAmount => {
                (ty == FieldType::Amount, "type = \"amount\"".into())
            }
            Concept::ActiveTime => (ty == FieldType::Seconds, "type = \"seconds\"".into()),
            Concept::Currency
            | Concept::BuyerType
            | Concept::ReturnStatus
            | Concept::ReturnCode
            | Concept::TradeStatus
            | Concept::TradeType => (matches!(ty, FieldType::Enum(_)), "type = \"enum\"".into()),
            Concept::PayLink | Concept::QrCode => {
                (matches!(ty, FieldType::Text | FieldType::Url), "type = \"string\" or \"url\"".into())
            }
            _ => (ty == FieldType::Text, "type = \"string\"".into()),
        };
        if !ok {
            self.err(
                file,
                at,
                format!("a field with concept `{}` must have {expected}", at.get_ref()),
                format!("set {expected}"),
            );
            return None;
        }
        Some(concept)
    }

    fn max_len(&mut self, file: usize, def: &FieldDef, ty: FieldType, wire: &str) -> Option<Option<usize>> {
        let Some(m) = &def.max_len else { return Some(None) };
        if *m.get_ref() <= 0 {
            self.err_at(
                file,
                m.span(),
                format!("max_len of `{wire}` must be a positive number of characters"),
                "write the n of the doc's String(n)",
            );
            return None;
        }
        if !matches!(ty, FieldType::Text | FieldType::Url | FieldType::Amount) {
            self.err_at(
                file,
                m.span(),
                format!("max_len does not apply to `{wire}`, whose type is checked otherwise"),
                "remove max_len (enum values, objects, times and seconds are checked by their type)",
            );
            return None;
        }
        Some(usize::try_from(*m.get_ref()).ok())
    }

    fn optional_flag(&mut self, file: usize, at: Option<&Text>) -> Result<Option<usize>, ()> {
        match at {
            None => Ok(None),
            Some(at) => self.flag_named(file, at).map(Some).ok_or(()),
        }
    }

    /// A `fixed` or `default` value, checked against the field's type.
    fn value_text(&mut self, file: usize, at: Option<&Text>, ty: FieldType, key: &str) -> Option<Option<String>> {
        let Some(at) = at else { return Some(None) };
        let text = at.get_ref();
        let valid = match ty {
            FieldType::Enum(id) => self.wires(id).contains(text),
            FieldType::Seconds => text.parse::<u32>().is_ok(),
            FieldType::Amount => !text.is_empty() && text.chars().all(|c| c.is_ascii_digit() || c == '.'),
            FieldType::Object(_) | FieldType::ObjectArray(_) => false,
            _ => true,
        };
        if !valid {
            let help = match ty {
                FieldType::Enum(id) => format!("use one of: {}", self.wires(id).join(", ")),
                FieldType::Seconds => "write a whole number of seconds, e.g. \"1800\"".to_owned(),
                FieldType::Amount => "write the amount as decimal text, e.g. \"10.00\"".to_owned(),
                FieldType::Object(_) | FieldType::ObjectArray(_) => format!("remove `{key}`: an object field has none"),
                _ => "write a value of the field's type".to_owned(),
            };
            self.err(file, at, format!("{key} value `{text}` is not a value of the field's type"), help);
            return None;
        }
        Some(Some(text.clone()))
    }

    /// `multiple_of`, `min`, `max`: for whole-number fields.
    fn number_rules(
        &mut self,
        file: usize,
        def: &FieldDef,
        ty: FieldType,
        wire: &str,
    ) -> Option<(Option<u32>, Option<u32>, Option<u32>)> {
        let mut out = [None, None, None];
        for (slot, (key, value)) in
            out.iter_mut().zip([("multiple_of", &def.multiple_of), ("min", &def.min), ("max", &def.max)])
        {
            let Some(value) = value else { continue };
            if ty != FieldType::Seconds {
                self.err_at(
                    file,
                    value.span(),
                    format!("{key} applies to whole-number fields, and `{wire}` is not one"),
                    "remove it, or make the field `type = \"seconds\"`",
                );
                return None;
            }
            match u32::try_from(*value.get_ref()) {
                Ok(n) if n > 0 || key != "multiple_of" => *slot = Some(n),
                _ => {
                    self.err_at(
                        file,
                        value.span(),
                        format!(
                            "{key} of `{wire}` must be a whole number{}",
                            if key == "multiple_of" { " above 0" } else { "" }
                        ),
                        format!("write e.g. `{key} = 60`"),
                    );
                    return None;
                }
            }
        }
        let [multiple_of, min, max] = out;
        if let (Some(lo), Some(hi)) = (min, max)
            && lo > hi
        {
            if let Some(at) = &def.min {
                self.err_at(file, at.span(), format!("min {lo} of `{wire}` is above its max {hi}"), "swap them");
            }
            return None;
        }
        Some((multiple_of, min, max))
    }
}
