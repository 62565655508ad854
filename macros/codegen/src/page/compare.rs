//! The page against the loaded spec: which interface it describes, then every table of it —
//! the request and response field tables, the object sections, the service, pay_scene and lang
//! tables, the test amounts. Each comparison walks the page's rows once and looks the spec's
//! side up by name, so the work grows with the page, not with its square.

use std::collections::{BTreeMap, BTreeSet};

use super::fix;
use super::locate::{self, Assumption, Location, Sources};
use super::parse::{Column, Kind, Page, PageType, Requirement, Table, values};
use super::{Difference, Matched, Report};
use crate::model::{
    Field, FieldType, Interface, InterfaceId, Notifications, ObjectFieldType, Service, Spec, TestAmount, TestOutcome,
};
use crate::schema::TestAmountDef;

/// Compares a read page with the spec.
pub fn compare(spec: &Spec, sources: &Sources<'_>, page: &Page) -> Report {
    let mut report = Report { title: page.title.clone(), ..Report::default() };
    for table in &page.tables {
        if let Some(cut) = &table.cut {
            report.incomplete.push(format!("{}: {cut}; the rows before it were compared", table.describe()));
        }
        if table.kind == Kind::Unknown {
            report.not_compared.push(format!("{}: not a table the check knows", table.describe()));
        }
    }
    let (id, why) = match find_interface(spec, page) {
        Ok(found) => found,
        Err(why) => {
            report.unmatched = Some(why);
            return report;
        }
    };
    let Some(iface) = spec.interfaces.get(id) else { return report };
    // An interface that `extends` the one found (or that it extends) is documented on the same
    // page: web Refund lists the apply-refund service and its notify_url (spec/README.md,
    // `extends`).
    let mut family = vec![id];
    for name in sources.related(&iface.name) {
        if let Some(other) = spec.interfaces.iter().position(|i| i.name == name) {
            family.push(other);
        }
    }
    let mut run = Run {
        pay_scene_rows: values_by_service(page, Kind::PayScenes, Column::PayScene),
        lang_rows: values_by_service(page, Kind::Langs, Column::Lang),
        spec,
        sources,
        page,
        iface,
        id,
        family,
        report,
        compared: BTreeSet::new(),
        requirements: BTreeMap::new(),
    };
    run.matched(why);
    run.field_tables();
    run.service_tables();
    run.test_amounts();
    run.assumptions();
    run.report
}

/// The interface the page describes, and why; or why it describes none.
fn find_interface(spec: &Spec, page: &Page) -> Result<(InterfaceId, String), String> {
    // The service values a page names belong to one interface each: the strongest evidence.
    let mut named: BTreeMap<InterfaceId, usize> = BTreeMap::new();
    let mut names: BTreeSet<&str> = page.service_words.iter().map(String::as_str).collect();
    for table in page.tables.iter().filter(|t| matches!(t.kind, Kind::Services | Kind::PayScenes | Kind::Langs)) {
        names.extend(table.rows.iter().map(|r| table.cell(r, Column::Service)));
    }
    for name in &names {
        if let Some(service) = spec.services.iter().find(|s| s.wire == *name) {
            *named.entry(service.interface).or_default() += 1;
        }
    }
    if let Some((id, count)) = named.iter().max_by_key(|(id, count)| (**count, std::cmp::Reverse(**id))) {
        let name = spec.interfaces.get(*id).map_or("", |i| i.name.as_str());
        return Ok((*id, format!("{count} service value(s) the page names are rows of `{name}`")));
    }
    // Otherwise the endpoint, then the request table's names: exact names count double, so a
    // scene's own spelling (`paytype`, `payType`) picks that scene's interface.
    let first = page.tables.iter().find(|t| t.kind == Kind::Fields);
    let page_names: Vec<&str> =
        first.map(|t| t.rows.iter().map(|r| t.cell(r, Column::Name)).collect()).unwrap_or_default();
    let endpoint_fits = |i: &Interface| match (&page.endpoint, &i.endpoint) {
        (Some(page), Some(ours)) => page.ends_with(ours.as_str()),
        (Some(_), None) => false,
        (None, _) => true,
    };
    let mut best: Option<(usize, InterfaceId)> = None;
    for (id, iface) in spec.interfaces.iter().enumerate().filter(|(_, i)| endpoint_fits(i)) {
        let score: usize = page_names
            .iter()
            .map(|n| {
                if iface.fields.iter().any(|f| f.wire == *n) {
                    2
                } else {
                    usize::from(iface.fields.iter().any(|f| f.wire.eq_ignore_ascii_case(n)))
                }
            })
            .sum();
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, id));
        }
    }
    let endpoint = page.endpoint.as_deref().unwrap_or("(none)");
    match best {
        Some((score, id)) if !page_names.is_empty() && score >= page_names.len() => {
            let name = spec.interfaces.get(id).map_or("", |i| i.name.as_str());
            Ok((
                id,
                format!(
                    "endpoint {endpoint}; its field table's names are `{name}`'s ({score} of {} points)",
                    page_names.len() * 2
                ),
            ))
        }
        Some((score, id)) => {
            let name = spec.interfaces.get(id).map_or("", |i| i.name.as_str());
            Err(format!(
                "the page names no service of the spec; endpoint {endpoint}; the closest interface with that endpoint, \
                 `{name}`, shares too few field names ({score} of {} points, half needed)",
                page_names.len() * 2
            ))
        }
        None => Err(format!("the page names no service of the spec, and no interface has its endpoint {endpoint}")),
    }
}

/// The state of one comparison.
struct Run<'a> {
    spec: &'a Spec,
    sources: &'a Sources<'a>,
    page: &'a Page,
    iface: &'a Interface,
    id: InterfaceId,
    /// The interface found and those related to it by `extends`, compared together.
    family: Vec<InterfaceId>,
    /// The page's pay_scene table, by service.
    pay_scene_rows: BTreeMap<&'a str, Vec<String>>,
    /// The page's lang table, by service.
    lang_rows: BTreeMap<&'a str, Vec<String>>,
    report: Report,
    /// `(file, header line)` of every spec row compared with the page.
    compared: BTreeSet<(String, usize)>,
    /// What the page's Requirement column says of rows compared, by `(file, header line)`.
    requirements: BTreeMap<(String, usize), Requirement>,
}

/// One field row of the page.
struct PageField<'t> {
    table: &'t Table,
    name: &'t str,
    ty: PageType,
    requirement: Requirement,
    description: &'t str,
}

fn page_fields<'t>(tables: &[&'t Table]) -> Vec<PageField<'t>> {
    tables
        .iter()
        .flat_map(|t| {
            t.rows.iter().map(|r| PageField {
                table: t,
                name: t.cell(r, Column::Name),
                ty: PageType::of(t.cell(r, Column::Type)),
                requirement: Requirement::of(t.cell(r, Column::Requirement)),
                description: t.cell(r, Column::Description),
            })
        })
        .collect()
}

impl Run<'_> {
    fn matched(&mut self, why: String) {
        let scenes =
            self.spec.scenes.iter().filter(|s| s.interfaces.contains(&self.id)).map(|s| s.name.clone()).collect();
        let at = self.sources.interface_at(&self.iface.name);
        if let Some(at) = &at {
            self.compared.insert((at.file.clone(), self.header_line(&at.file, at.line)));
        }
        let related =
            self.family.iter().skip(1).filter_map(|id| self.spec.interfaces.get(*id)).map(|i| i.name.clone()).collect();
        self.report.matched = Some(Matched { interface: self.iface.name.clone(), related, scenes, at, why });
    }

    fn differ(&mut self, table: &Table, what: String, spec: Option<Location>, fix: String) {
        self.report.differences.push(Difference { table: table.describe(), what, spec, fix });
    }

    /// The line of the `[…]` header of the row holding `line` of the file shown as `file`.
    fn header_line(&self, file: &str, line: usize) -> usize {
        self.sources.file_index(file).map_or(0, |index| self.sources.header_line(index, line))
    }

    fn mark(&mut self, at: &Location) -> (String, usize) {
        let key = (at.file.clone(), self.header_line(&at.file, at.line));
        self.compared.insert(key.clone());
        key
    }

    /// Which field tables are the request, the response and the object sections, then each
    /// compared.
    fn field_tables(&mut self) {
        let page = self.page;
        let tables: Vec<&Table> = page.tables.iter().filter(|t| t.kind == Kind::Fields).collect();
        let objects = |heading: Option<&String>| {
            let heading = heading?.trim();
            self.iface
                .fields
                .iter()
                .chain(&self.iface.response)
                .find(|f| f.wire == heading && matches!(f.ty, FieldType::Object(_) | FieldType::ObjectArray(_)))
        };
        let mut main: Vec<&Table> = Vec::new();
        for table in &tables {
            match objects(table.heading.as_ref()) {
                Some(field) => self.object_table(table, field),
                None => main.push(table),
            }
        }
        let mut main = main.into_iter();
        if let Some(request) = main.next() {
            self.fields(&[request], false);
        }
        let response: Vec<&Table> = main.collect();
        if !response.is_empty() {
            if self.iface.purpose.is_request() {
                self.fields(&response, true);
            } else {
                for t in response {
                    self.report.not_compared.push(format!(
                        "{}: `{}` is a {} and has one field table",
                        t.describe(),
                        self.iface.name,
                        self.iface.purpose.name()
                    ));
                }
            }
        }
    }

    /// A request (`response = false`) or response table: the page's rows (of one or more
    /// tables, in order) against the interface's.
    fn fields(&mut self, tables: &[&Table], response: bool) {
        let Some(first) = tables.first().copied() else { return };
        let spec = self.spec;
        let mut ours: Vec<&Field> = Vec::new();
        let mut rows = BTreeMap::new();
        for iface in self.family.iter().filter_map(|id| spec.interfaces.get(*id)) {
            for field in if response { &iface.response } else { &iface.fields } {
                if !ours.iter().any(|f| f.wire == field.wire) {
                    ours.push(field);
                }
            }
            for (wire, row) in self.sources.field_rows(&iface.name, response) {
                rows.entry(wire).or_insert(row);
            }
        }
        let file = self.sources.interface_at(&self.iface.name).map(|l| l.file).unwrap_or_default();
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut previous: Option<Location> = None;
        for pf in page_fields(tables) {
            let table = pf.table;
            if pf.name.is_empty() || !seen.insert(pf.name) {
                continue;
            }
            let exact = ours.iter().copied().find(|f| f.wire == pf.name);
            let field = exact.or_else(|| ours.iter().copied().find(|f| f.wire.eq_ignore_ascii_case(pf.name)));
            let Some(field) = field else {
                let mut row = format!(
                    "[[{}]]\nwire = {}\n{}",
                    if response { "response" } else { "field" },
                    fix::quote(pf.name),
                    fix::field_type_keys(&pf.ty)
                );
                if pf.requirement == Requirement::Required {
                    row.push_str("\nrequired = true");
                }
                row.push_str(&format!("\ndoc = {}", fix::doc(pf.description)));
                self.differ(
                    table,
                    format!(
                        "field `{}` ({}) is on the page, not in the spec's {} table",
                        pf.name,
                        pf.ty.written(),
                        table_name(response)
                    ),
                    None,
                    fix::add(previous.as_ref(), &file, &row),
                );
                continue;
            };
            seen.insert(field.wire.as_str());
            let Some(row) = rows.get(&field.wire) else { continue };
            let row_at = self.sources.of(row.file, row.row);
            let wire_at =
                row.row.get_ref().wire.as_ref().map_or_else(|| row_at.clone(), |w| self.sources.of(row.file, w));
            let key = self.mark(&wire_at);
            self.requirements.insert(key, pf.requirement);
            let extent = self.sources.row_extent(row.file, &wire_at);
            previous = Some(Location { file: extent.at.file.clone(), line: extent.last });
            let shared = row.group.map(|g| format!("a row of [[field_group]] `{g}`, which other tables include"));
            let shared = shared.or_else(|| row.inherited_from.map(|i| format!("inherited from `{i}`")));
            let note = shared.as_deref();
            if field.wire != pf.name {
                self.differ(
                    table,
                    format!("field `{}` is named `{}` in the spec", pf.name, field.wire),
                    Some(wire_at.clone()),
                    fix::set(&wire_at, "wire", &fix::quote(pf.name), Some(&wire_at), note),
                );
            }
            self.field_type(table, &pf, field, row, &wire_at, note);
            self.requirement(table, &pf, field, row, &wire_at, note);
        }
        if let Some(cut) = tables.iter().find(|t| t.cut.is_some()) {
            self.report.not_compared.push(format!(
                "{}: cut off, so fields of the spec's {} table missing from the page are not reported",
                cut.describe(),
                table_name(response)
            ));
            return;
        }
        for field in ours.iter().filter(|f| !seen.contains(f.wire.as_str())) {
            let Some(row) = rows.get(&field.wire) else { continue };
            if let Some(page) = row.row.get_ref().page.as_ref() {
                self.report.not_compared.push(format!(
                    "field `{}` of the spec's {} table: listed on eftPay's {} page (its `page`), not expected here",
                    field.wire,
                    table_name(response),
                    page.get_ref()
                ));
                continue;
            }
            let wire_at = row
                .row
                .get_ref()
                .wire
                .as_ref()
                .map_or_else(|| self.sources.of(row.file, row.row), |w| self.sources.of(row.file, w));
            let extent = self.sources.row_extent(row.file, &wire_at);
            let what =
                format!("field `{}` is in the spec's {} table, not on the page", field.wire, table_name(response));
            let fix = match (row.inherited_from, row.group) {
                (Some(parent), _) if !response => format!(
                    "in the [interface] table of `{}`, add `{}` to its `omit` list (it is inherited from `{parent}`):\nomit = [{}]",
                    self.iface.name,
                    field.wire,
                    fix::quote(&field.wire)
                ),
                (_, Some(group)) => format!(
                    "the row is in [[field_group]] `{group}` ({wire_at}), which other tables include: write the group's other rows into this table instead of `include = {}`, leaving `{}` out",
                    fix::quote(group),
                    field.wire
                ),
                _ => fix::remove_row(&extent, &format!("the row of `{}`", field.wire), None),
            };
            self.differ(first, what, Some(wire_at), fix);
        }
    }

    fn field_type(
        &mut self,
        table: &Table,
        pf: &PageField<'_>,
        field: &Field,
        row: &locate::FieldRow<'_>,
        wire_at: &Location,
        note: Option<&str>,
    ) {
        let def = row.row.get_ref();
        let max_len_at = def.max_len.as_ref().map(|m| self.sources.of(row.file, m));
        let textual = !matches!(field.ty, FieldType::Object(_) | FieldType::ObjectArray(_));
        let agrees = match (&pf.ty, field.ty) {
            (PageType::Text(_), _) => textual,
            (PageType::Integer, FieldType::Seconds | FieldType::Amount) => true,
            (PageType::Object, FieldType::Object(_)) | (PageType::ObjectArray, FieldType::ObjectArray(_)) => true,
            (PageType::Other(raw), _) => {
                self.report.not_compared.push(format!(
                    "{}: the type `{raw}` of `{}` is not one the check reads",
                    table.describe(),
                    pf.name
                ));
                true
            }
            _ => false,
        };
        if !agrees {
            let ty_at = def.ty.as_ref().map(|t| self.sources.of(row.file, t));
            self.differ(
                table,
                format!(
                    "field `{}` is {} on the page; the spec types it `{}`",
                    pf.name,
                    pf.ty.written(),
                    field.ty.kind().variant()
                ),
                ty_at.clone().or_else(|| Some(wire_at.clone())),
                format!(
                    "{}:\n{}",
                    ty_at.map_or_else(
                        || format!("in the row at {wire_at}, set"),
                        |t| format!("in {t}, replace the `type` line with")
                    ),
                    fix::field_type_keys(&pf.ty)
                ),
            );
            return;
        }
        // An enum's values bound it; the page's String(n) of an enum field is not a rule the
        // spec keeps (spec/README.md: `max_len` is for strings).
        if matches!(field.ty, FieldType::Enum(_)) {
            return;
        }
        let PageType::Text(page_len) = pf.ty else { return };
        if page_len == field.max_len {
            return;
        }
        let what = match (page_len, field.max_len) {
            (Some(n), Some(m)) => format!("field `{}` is String({n}) on the page; the spec's max_len is {m}", pf.name),
            (Some(n), None) => format!("field `{}` is String({n}) on the page; the spec gives no max_len", pf.name),
            (None, Some(m)) => {
                format!("field `{}` is String with no length on the page; the spec's max_len is {m}", pf.name)
            }
            (None, None) => return,
        };
        let fix = match (page_len, &max_len_at) {
            (Some(n), at) => fix::set(wire_at, "max_len", &n.to_string(), at.as_ref(), note),
            (None, Some(at)) => fix::remove_line(at, "the max_len the page does not give"),
            (None, None) => return,
        };
        self.differ(table, what, max_len_at.or_else(|| Some(wire_at.clone())), fix);
    }

    fn requirement(
        &mut self,
        table: &Table,
        pf: &PageField<'_>,
        field: &Field,
        row: &locate::FieldRow<'_>,
        wire_at: &Location,
        note: Option<&str>,
    ) {
        // An empty Requirement column says nothing: the spec's reading stands.
        let conditional = field.required_unless.is_some() || field.required_when.is_some();
        match pf.requirement {
            Requirement::Required if !field.required => self.differ(
                table,
                format!("field `{}` is required on the page, optional in the spec", pf.name),
                Some(wire_at.clone()),
                fix::set(wire_at, "required", "true", None, note),
            ),
            Requirement::Optional if field.required && !conditional => {
                let required_at = self.key_line(row.file, wire_at, "required");
                self.differ(
                    table,
                    format!("field `{}` is optional on the page, required in the spec", pf.name),
                    Some(required_at.clone().unwrap_or_else(|| wire_at.clone())),
                    required_at.map_or_else(
                        || fix::set(wire_at, "required", "false", None, note),
                        |at| fix::remove_line(&at, "`required = true`"),
                    ),
                );
            }
            _ => {}
        }
    }

    /// The line of `key = …` in the row holding `at`, if the row has it.
    fn key_line(&self, file: usize, at: &Location, key: &str) -> Option<Location> {
        let text = self.sources.files.get(file)?.text.as_str();
        let header = self.sources.header_line(file, at.line);
        text.lines()
            .enumerate()
            .skip(header)
            .take_while(|(_, l)| !l.trim_start().starts_with('['))
            .find(|(_, l)| l.split('=').next().is_some_and(|k| k.trim() == key))
            .map(|(i, _)| Location { file: at.file.clone(), line: i + 1 })
    }

    /// An object section: its rows against the spec's `[[object]]` of the field it is named
    /// after.
    fn object_table(&mut self, table: &Table, field: &Field) {
        let (FieldType::Object(id) | FieldType::ObjectArray(id)) = field.ty else { return };
        let Some(object) = self.spec.objects.get(id) else { return };
        let Some((file, def)) = self.sources.object(&object.rust) else { return };
        let object_at = self.sources.of(file, &def.name);
        self.mark(&object_at);
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut previous: Option<Location> = None;
        for pf in page_fields(&[table]) {
            if pf.name.is_empty() || !seen.insert(pf.name) {
                continue;
            }
            let Some((ours, row)) = object.fields.iter().zip(&def.field).find(|(f, _)| f.wire == pf.name) else {
                let row = format!(
                    "[[object.field]]\nwire = {}\n{}\ndoc = {}",
                    fix::quote(pf.name),
                    fix::object_field_type(&pf.ty),
                    fix::doc(pf.description)
                );
                self.differ(
                    table,
                    format!("field `{}` of object `{}` is on the page, not in the spec", pf.name, object.rust),
                    Some(object_at.clone()),
                    fix::add(previous.as_ref().or(Some(&object_at)), &object_at.file, &row),
                );
                continue;
            };
            let wire_at = self.sources.of(file, &row.wire);
            self.mark(&wire_at);
            previous =
                Some(Location { file: wire_at.file.clone(), line: self.sources.row_extent(file, &wire_at).last });
            let agrees = matches!(
                (&pf.ty, ours.ty),
                (PageType::Text(_), ObjectFieldType::Text)
                    | (PageType::Integer, ObjectFieldType::Integer)
                    | (PageType::TextArray, ObjectFieldType::TextArray)
                    | (PageType::Object, ObjectFieldType::Object(_))
                    | (PageType::ObjectArray, ObjectFieldType::ObjectArray(_))
                    | (PageType::Other(_), _)
            );
            if !agrees {
                let ty_at = row.ty.as_ref().map_or_else(|| wire_at.clone(), |t| self.sources.of(file, t));
                self.differ(
                    table,
                    format!(
                        "field `{}` of object `{}` is {} on the page; the spec types it otherwise",
                        pf.name,
                        object.rust,
                        pf.ty.written()
                    ),
                    Some(ty_at.clone()),
                    format!("in {ty_at}, replace the `type` line with:\n{}", fix::object_field_type(&pf.ty)),
                );
            }
        }
        if table.cut.is_some() {
            return;
        }
        for (ours, row) in object.fields.iter().zip(&def.field).filter(|(f, _)| !seen.contains(f.wire.as_str())) {
            let wire_at = self.sources.of(file, &row.wire);
            let extent = self.sources.row_extent(file, &wire_at);
            self.differ(
                table,
                format!("field `{}` of object `{}` is in the spec, not on the page", ours.wire, object.rust),
                Some(wire_at),
                fix::remove_row(&extent, &format!("the [[object.field]] row of `{}`", ours.wire), None),
            );
        }
    }

    /// The service, pay_scene and lang tables against the interface's `[[service]]` rows.
    fn service_tables(&mut self) {
        let page = self.page;
        let spec = self.spec;
        let ours: Vec<&Service> = spec.services.iter().filter(|s| self.family.contains(&s.interface)).collect();
        let mut listed: BTreeSet<String> = BTreeSet::new();
        for table in page.tables.iter().filter(|t| t.kind == Kind::Services) {
            self.services(table, &ours, &mut listed);
        }
        for table in page.tables.iter().filter(|t| t.kind == Kind::PayScenes) {
            self.per_service(table, &ours, Column::PayScene);
        }
        for table in page.tables.iter().filter(|t| t.kind == Kind::Langs) {
            self.per_service(table, &ours, Column::Lang);
        }
    }

    /// The wire text of values `ids` of enum `enum_id`.
    fn value_wires(&self, enum_id: Option<usize>, ids: &[usize]) -> Vec<String> {
        let Some(e) = enum_id.and_then(|id| self.spec.enums.get(id)) else { return Vec::new() };
        ids.iter().filter_map(|v| e.values.get(*v)).map(|v| v.wire.clone()).collect()
    }

    fn services(&mut self, table: &Table, ours: &[&Service], listed: &mut BTreeSet<String>) {
        let spec = self.spec;
        // A new row goes after the row above it on the page, or after the spec's last row.
        let last = ours.last().and_then(|s| self.sources.service(&s.wire)).map(|(f, d)| {
            let e = self.sources.row_extent(f, &self.sources.of(f, &d.name));
            Location { file: e.at.file, line: e.last }
        });
        let file = last.as_ref().map(|l| l.file.clone()).unwrap_or_default();
        let mut previous: Option<Location> = None;
        for (name, pay_types, wallets, doc) in merged_services(table) {
            listed.insert(name.clone());
            let Some(service) = ours.iter().find(|s| s.wire == name) else {
                if let Some(other) = spec.services.iter().find(|s| s.wire == name) {
                    let at = self.sources.service(&name).map(|(f, d)| self.sources.of(f, &d.name));
                    let theirs = spec.interfaces.get(other.interface).map_or("", |i| i.name.as_str());
                    let fix = at.as_ref().map_or_else(String::new, |at| {
                        let interface_at =
                            self.key_line(self.sources.file_index(&at.file).unwrap_or(0), at, "interface");
                        fix::set(at, "interface", &fix::quote(&self.iface.name), interface_at.as_ref(), None)
                    });
                    self.differ(
                        table,
                        format!(
                            "service `{name}` is on this `{}` page; the spec has it under `{theirs}`",
                            self.iface.name
                        ),
                        at,
                        fix,
                    );
                    continue;
                }
                let snippet = self.new_service(&name, &pay_types, &wallets, &doc);
                self.differ(
                    table,
                    format!(
                        "service `{name}` ({} / {}) is on the page, not in the spec",
                        pay_types.join(" "),
                        wallets.join(" ")
                    ),
                    None,
                    fix::add(previous.as_ref().or(last.as_ref()), &file, &snippet),
                );
                continue;
            };
            let Some((file, def)) = self.sources.service(&name) else { continue };
            let name_at = self.sources.of(file, &def.name);
            self.mark(&name_at);
            let extent = self.sources.row_extent(file, &name_at);
            previous = Some(Location { file: extent.at.file.clone(), line: extent.last });
            let our_pay_type = service.pay_type.and_then(|v| self.value_wires(Some(spec.builtin.pay_type), &[v]).pop());
            let pay_type_at = def.pay_type.as_ref().map(|p| self.sources.of(file, p));
            match (pay_types.as_slice(), &our_pay_type) {
                ([], _) | (_, None) if pay_types.len() != 1 => {}
                ([one], Some(ours)) if one == ours => {}
                ([one], _) => self.differ(
                    table,
                    format!(
                        "service `{name}`: payType {one} on the page, {} in the spec",
                        our_pay_type.as_deref().unwrap_or("none")
                    ),
                    pay_type_at.clone().or_else(|| Some(name_at.clone())),
                    fix::set(&name_at, "pay_type", &fix::quote(one), pay_type_at.as_ref(), None),
                ),
                (several, Some(ours)) => self.differ(
                    table,
                    format!(
                        "service `{name}` spans the payTypes {} on the page; the spec gives it the one payType {ours}",
                        several.join(", ")
                    ),
                    pay_type_at.clone(),
                    pay_type_at.as_ref().map_or_else(String::new, |at| {
                        format!(
                            "{} (a row serving several payTypes has none: spec/README.md, [[service]])",
                            fix::remove_line(at, "pay_type")
                        )
                    }),
                ),
                (_, None) => {}
            }
            if !wallets.is_empty() {
                let our_wallets = self.value_wires(Some(spec.builtin.wallet), &service.wallets);
                if as_set(&wallets) != as_set(&our_wallets) {
                    let at = def.wallets.first().map(|w| self.sources.of(file, w));
                    self.differ(
                        table,
                        format!(
                            "service `{name}`: wallets {} on the page, {} in the spec",
                            wallets.join(" "),
                            our_wallets.join(" ")
                        ),
                        at.clone().or_else(|| Some(name_at.clone())),
                        fix::set(&name_at, "wallets", &fix::list(&wallets), at.as_ref(), None),
                    );
                }
            }
        }
        if table.cut.is_some() {
            return;
        }
        for service in ours.iter().filter(|s| !listed.contains(&s.wire)) {
            let Some((file, def)) = self.sources.service(&service.wire) else { continue };
            let at = self.sources.of(file, &def.name);
            let extent = self.sources.row_extent(file, &at);
            self.differ(
                table,
                format!("service `{}` is in the spec, not on the page", service.wire),
                Some(at),
                fix::remove_row(
                    &extent,
                    &format!("the [[service]] row of `{}`", service.wire),
                    Some("and any row of another interface that refers to it"),
                ),
            );
        }
    }

    /// A new `[[service]]` row: what the page says, and — where the page is silent — what most
    /// of the interface's rows say, marked as an assumption to check.
    fn new_service(&self, name: &str, pay_types: &[String], wallets: &[String], doc: &str) -> String {
        let mut row = format!("[[service]]\nname = {}\ninterface = {}", fix::quote(name), fix::quote(&self.iface.name));
        if let [one] = pay_types {
            row.push_str(&format!("\npay_type = {}", fix::quote(one)));
        }
        row.push_str(&format!("\nwallets = {}", fix::list(wallets)));
        let pay_scenes = self
            .pay_scene_rows
            .get(name)
            .cloned()
            .or_else(|| self.common(|s| s.pay_scenes.clone(), self.spec.builtin.pay_scene));
        if let Some(p) = pay_scenes.filter(|p| !p.is_empty()) {
            row.push_str(&format!("\npay_scenes = {}", fix::list(&p)));
        }
        if let Some(langs) = self.lang_rows.get(name) {
            row.push_str(&format!("\nlangs = {}", fix::list(langs)));
        }
        let notifications =
            most_common(self.spec.services.iter().filter(|s| s.interface == self.id).map(|s| s.notifications))
                .map(Notifications::name);
        if let Some(word) = notifications {
            row.push_str(&format!(
                "\nnotifications = \"{word}\"  # [assume] as most rows of this interface; the page does not say"
            ));
        }
        row.push_str(&format!("\ndoc = {}", fix::doc(doc)));
        row
    }

    /// The value list most of the interface's rows have (their default), as wire text.
    fn common(&self, of: impl Fn(&Service) -> Vec<usize>, enum_id: Option<usize>) -> Option<Vec<String>> {
        let lists = self.spec.services.iter().filter(|s| s.interface == self.id).map(&of);
        most_common(lists).map(|ids| self.value_wires(enum_id, &ids))
    }

    /// A pay_scene or lang table: for each service the page lists, its values; then the
    /// interface's rows it does not list, which take no lang, or the default pay_scene (the one
    /// most rows have).
    fn per_service(&mut self, table: &Table, ours: &[&Service], column: Column) {
        let spec = self.spec;
        let (key, enum_id) = match column {
            Column::PayScene => ("pay_scenes", spec.builtin.pay_scene),
            _ => ("langs", spec.builtin.lang),
        };
        let pick = |s: &Service| if column == Column::PayScene { s.pay_scenes.clone() } else { s.langs.clone() };
        let page = self.page;
        let in_service_tables: BTreeSet<&str> = page
            .tables
            .iter()
            .filter(|t| t.kind == Kind::Services)
            .flat_map(|t| t.rows.iter().map(|r| t.cell(r, Column::Service)))
            .collect();
        let mut listed: BTreeSet<&str> = BTreeSet::new();
        for row in &table.rows {
            let name = table.cell(row, Column::Service);
            if name.is_empty() || !listed.insert(name) {
                continue;
            }
            let page_values = values(table.cell(row, column));
            let Some(service) = ours.iter().find(|s| s.wire == name) else {
                if !spec.services.iter().any(|s| s.wire == name) && !in_service_tables.contains(name) {
                    self.differ(
                        table,
                        format!(
                            "service `{name}` is in the {key} table but in no service table of the page or the spec"
                        ),
                        None,
                        format!(
                            "add its [[service]] row (see the service table), with:\n{key} = {}",
                            fix::list(&page_values)
                        ),
                    );
                }
                continue;
            };
            let our_values = self.value_wires(enum_id, &pick(service));
            self.values_differ(table, name, key, &page_values, &our_values);
        }
        if table.cut.is_some() {
            return;
        }
        let default = if column == Column::PayScene { self.common(pick, enum_id) } else { Some(Vec::new()) };
        let Some(default) = default else { return };
        for service in ours.iter().filter(|s| !listed.contains(s.wire.as_str())) {
            let our_values = self.value_wires(enum_id, &pick(service));
            self.values_differ(table, &service.wire, key, &default, &our_values);
        }
    }

    fn values_differ(&mut self, table: &Table, name: &str, key: &str, page_values: &[String], our_values: &[String]) {
        if as_set(page_values) == as_set(our_values) {
            return;
        }
        let Some((file, def)) = self.sources.service(name) else { return };
        let name_at = self.sources.of(file, &def.name);
        self.mark(&name_at);
        let list = if key == "langs" { &def.langs } else { &def.pay_scenes };
        let at = list.first().map(|v| self.sources.of(file, v));
        let shown = |v: &[String]| if v.is_empty() { "none".to_owned() } else { v.join(" ") };
        let what =
            format!("service `{name}`: {key} {} on the page, {} in the spec", shown(page_values), shown(our_values));
        let fix = match (page_values.is_empty(), &at) {
            (true, Some(at)) => fix::remove_line(at, &format!("`{key}`: the page lists none for this service")),
            _ => fix::set(&name_at, key, &fix::list(page_values), at.as_ref(), None),
        };
        self.differ(table, what, at.or(Some(name_at)), fix);
    }

    /// The test amount tables: for each outcome, the decimals that choose it.
    fn test_amounts(&mut self) {
        let page = self.page;
        for table in page.tables.iter().filter(|t| t.kind == Kind::TestAmounts) {
            self.test_amount_table(table);
        }
    }

    fn test_amount_table(&mut self, table: &Table) {
        let spec = self.spec;
        let pay_types = spec.enums.get(spec.builtin.pay_type).map(|e| e.values.as_slice()).unwrap_or_default();
        // The payType is named in the explanation above the table ("In PAYME UAT environment").
        let heading = table.heading.as_deref().unwrap_or_default();
        let named =
            pay_types.iter().position(|v| heading.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| w == v.wire));
        let mut ids: Vec<usize> = spec.test_amounts.iter().map(|t| t.pay_type).collect();
        ids.dedup();
        let single = if ids.len() == 1 { ids.first().copied() } else { None };
        let Some(pay_type) = named.or(single) else {
            self.report.not_compared.push(format!("{}: it names no payType of the spec above it", table.describe()));
            return;
        };
        let pay_type_wire = pay_types.get(pay_type).map_or("", |v| v.wire.as_str()).to_owned();
        let all = self.sources.test_amounts();
        let ours: Vec<(usize, &TestAmountDef, &TestAmount)> = all
            .iter()
            .zip(&spec.test_amounts)
            .filter(|(_, t)| t.pay_type == pay_type)
            .map(|((f, d), t)| (*f, *d, t))
            .collect();
        let mut seen: Vec<TestOutcome> = Vec::new();
        let mut previous: Option<Location> = None;
        for row in &table.rows {
            let cents_cell = table.cell(row, Column::Cents);
            let description = table.cell(row, Column::Description);
            let Some(outcome) = outcome_of(description) else {
                self.report.not_compared.push(format!(
                    "{}: page line {}: no outcome the check reads in `{description}`",
                    table.describe(),
                    row.line
                ));
                continue;
            };
            let Ok(cents) = cents_cell.trim().parse::<u8>() else {
                self.report.not_compared.push(format!(
                    "{}: page line {}: `{cents_cell}` is not two decimal digits",
                    table.describe(),
                    row.line
                ));
                continue;
            };
            seen.push(outcome);
            let word = outcome.name();
            match ours.iter().find(|(_, _, t)| t.outcome == outcome) {
                Some((file, def, ours)) => {
                    let cents_at = self.sources.of(*file, &def.cents);
                    self.mark(&cents_at);
                    previous = Some(Location {
                        file: cents_at.file.clone(),
                        line: self.sources.row_extent(*file, &cents_at).last,
                    });
                    if ours.cents != cents {
                        self.differ(
                            table,
                            format!(
                                "{pay_type_wire} test amount for `{word}`: .{cents:02} on the page, .{:02} in the spec",
                                ours.cents
                            ),
                            Some(cents_at.clone()),
                            fix::set(&cents_at, "cents", &cents.to_string(), Some(&cents_at), None),
                        );
                    }
                }
                None => {
                    let file = ours
                        .first()
                        .and_then(|(f, _, _)| self.sources.files.get(*f))
                        .map(|f| f.display.clone())
                        .unwrap_or_default();
                    let row = format!(
                        "[[test_amount]]\npay_type = {}\ncents = {cents}\noutcome = \"{word}\"\ndoc = {}",
                        fix::quote(&pay_type_wire),
                        fix::doc(description)
                    );
                    self.differ(
                        table,
                        format!("{pay_type_wire} test amount .{cents:02} (`{word}`) is on the page, not in the spec"),
                        None,
                        fix::add(previous.as_ref(), &file, &row),
                    );
                }
            }
        }
        if table.cut.is_some() {
            return;
        }
        for (file, def, ours) in ours.iter().filter(|(_, _, t)| !seen.contains(&t.outcome)) {
            let cents_at = self.sources.of(*file, &def.cents);
            let extent = self.sources.row_extent(*file, &cents_at);
            self.differ(
                table,
                format!("{pay_type_wire} test amount .{:02} is in the spec, not on the page", ours.cents),
                Some(cents_at),
                fix::remove_row(&extent, "the [[test_amount]] row", None),
            );
        }
    }

    /// The spec's `[assume]`s about the rows compared (or about a file of them) that the page
    /// does not settle: an assumed `required` is settled by a Requirement cell that says.
    fn assumptions(&mut self) {
        let files: BTreeSet<&str> = self.compared.iter().map(|(f, _)| f.as_str()).collect();
        let mut out: Vec<Assumption> = Vec::new();
        for file in self.sources.files.iter().filter(|f| files.contains(f.display.as_str())) {
            for a in locate::assumptions(file) {
                let key = (a.at.file.clone(), a.row);
                let about_this = a.row == 0 || self.compared.contains(&key);
                let settled = a.key.as_deref() == Some("required")
                    && self.requirements.get(&key).is_some_and(|r| *r != Requirement::Unsaid);
                if about_this && !settled {
                    out.push(a);
                }
            }
        }
        self.report.assumptions = out;
    }
}

/// The values the page's tables of `kind` give each service (the first row naming it).
fn values_by_service(page: &Page, kind: Kind, column: Column) -> BTreeMap<&str, Vec<String>> {
    let mut out = BTreeMap::new();
    for table in page.tables.iter().filter(|t| t.kind == kind) {
        for row in &table.rows {
            out.entry(table.cell(row, Column::Service)).or_insert_with(|| values(table.cell(row, column)));
        }
    }
    out
}

/// A service table's rows, merged: a row with an empty service cell continues the row above
/// (a service spanning several payTypes), and a service named on several rows is one row of the
/// spec. `(name, payTypes, wallets, description)`.
fn merged_services(table: &Table) -> Vec<(String, Vec<String>, Vec<String>, String)> {
    let mut merged: Vec<(String, Vec<String>, Vec<String>, String)> = Vec::new();
    let mut at: BTreeMap<&str, usize> = BTreeMap::new();
    for row in &table.rows {
        let name = table.cell(row, Column::Service);
        let pay_types = values(table.cell(row, Column::PayType));
        let wallets = values(table.cell(row, Column::Wallet));
        let index = if name.is_empty() { merged.len().checked_sub(1) } else { at.get(name).copied() };
        let target = index.and_then(|i| merged.get_mut(i));
        match target {
            Some(m) => {
                for p in pay_types {
                    if !m.1.contains(&p) {
                        m.1.push(p);
                    }
                }
                for w in wallets {
                    if !m.2.contains(&w) {
                        m.2.push(w);
                    }
                }
            }
            None if !name.is_empty() => {
                at.insert(name, merged.len());
                merged.push((name.to_owned(), pay_types, wallets, table.cell(row, Column::Description).to_owned()));
            }
            None => {}
        }
    }
    merged
}

/// The item most often seen (the first of equals).
fn most_common<T: PartialEq>(items: impl Iterator<Item = T>) -> Option<T> {
    let mut counts: Vec<(T, usize)> = Vec::new();
    for item in items {
        match counts.iter_mut().find(|(v, _)| *v == item) {
            Some((_, n)) => *n += 1,
            None => counts.push((item, 1)),
        }
    }
    counts.into_iter().rev().max_by_key(|(_, n)| *n).map(|(v, _)| v)
}

fn table_name(response: bool) -> &'static str {
    if response { "response" } else { "request" }
}

fn as_set(values: &[String]) -> BTreeSet<&str> {
    values.iter().map(String::as_str).collect()
}

/// The outcome a test amount's description names, in English or Chinese.
fn outcome_of(description: &str) -> Option<TestOutcome> {
    let text = description.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    if has(&["no payment qr", "no qr", "无二维码", "無二維碼", "无支付二维码", "無支付二維碼"]) {
        Some(TestOutcome::ServerErrorNoQrCode)
    } else if has(&["no state", "无状态", "無狀態"]) {
        Some(TestOutcome::ServerErrorNoState)
    } else if has(&["timeout", "time out", "超时", "超時"]) {
        Some(TestOutcome::Timeout)
    } else if has(&["fail", "失败", "失敗"]) {
        Some(TestOutcome::Failed)
    } else if has(&["success", "成功"]) {
        Some(TestOutcome::Success)
    } else {
        None
    }
}
