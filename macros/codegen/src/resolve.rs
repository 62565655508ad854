//! Checks the spec and turns it into the [`model`](crate::model): every table of every file,
//! every cross-reference, every Rust name. All errors of one pass are collected; an entry with
//! an error is left out of the model (or repaired), so the emitter can still produce the rest
//! and one typo does not cascade into errors about missing types.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use crate::diagnostic::Diagnostics;
use crate::model::*;
use crate::names;
use crate::schema::{self, Document, Text};
use crate::source::SpecFile;

/// Types the generator itself emits; a spec name may not take them.
const GENERATED_TYPES: &[&str] = &[
    "PayType",
    "Wallet",
    "Service",
    "ServiceRules",
    "ServiceFlag",
    "Interface",
    "TestAmount",
    "WalletOf",
    "PaySceneOf",
    "LangOf",
    "ServiceMarker",
    "WalletMarker",
    "PaySceneMarker",
    "LangMarker",
];

/// Reads and checks all files; returns the model and every error found.
pub fn resolve(files: &[SpecFile], diags: &mut Diagnostics) -> Spec {
    let mut docs = Vec::new();
    let mut unreadable = false;
    for (index, file) in files.iter().enumerate() {
        match toml::from_str::<Document>(&file.text) {
            Ok(doc) => docs.push((index, doc)),
            Err(error) => {
                unreadable = true;
                let span = error.span().unwrap_or(0..0);
                diags.error(
                    index,
                    span,
                    toml_message(&error),
                    "fix the TOML syntax or the table's keys (see spec/README.md for each table's schema)",
                );
            }
        }
    }
    if unreadable {
        // A file that could not be read takes its declarations with it, so cross-reference
        // errors would only echo the read error ("unknown wallet" for every wallet it declared).
        // Still build the model from the readable files, so items are emitted.
        let mut echoes = Diagnostics::new();
        let spec = Resolver { diags: &mut echoes, spec: Spec::default(), types: BTreeMap::new() }.run(&docs);
        let _ = echoes.finish();
        return spec;
    }
    Resolver { diags, spec: Spec::default(), types: BTreeMap::new() }.run(&docs)
}

fn toml_message(error: &toml::de::Error) -> String {
    let message = error.message().trim().replace('\n', " ");
    format!("invalid spec table: {message}")
}

struct Resolver<'d> {
    diags: &'d mut Diagnostics,
    spec: Spec,
    /// Rust type names taken so far, for collision errors.
    types: BTreeMap<String, String>,
}

/// A spanned string resolved to its file.
#[derive(Clone, Copy)]
struct At<'a> {
    file: usize,
    text: &'a Text,
}

impl At<'_> {
    fn span(&self) -> Range<usize> {
        self.text.span()
    }
}

impl Resolver<'_> {
    fn run(mut self, docs: &[(usize, Document)]) -> Spec {
        for name in GENERATED_TYPES {
            self.types.insert((*name).to_owned(), "the generator".to_owned());
        }
        self.enums(docs);
        self.pay_types(docs);
        self.flags(docs);
        self.objects(docs);
        self.interfaces(docs);
        self.services(docs);
        self.test_amounts(docs);
        self.required_tables(docs);
        self.spec
    }

    fn err(&mut self, at: At<'_>, message: impl Into<String>, help: impl Into<String>) {
        self.diags.error(at.file, at.span(), message, help);
    }

    /// Claims a Rust type name; reports a collision and returns false if it is taken.
    fn claim_type(&mut self, at: At<'_>, rust: &str, what: &str) -> bool {
        if let Some(owner) = self.types.get(rust) {
            let message = format!("Rust type name `{rust}` of {what} is already used by {owner}");
            self.err(at, message, "rename one of them (set `rust = \"...\"` or change `name`)");
            return false;
        }
        self.types.insert(rust.to_owned(), what.to_owned());
        true
    }

    /// A Rust name from an explicit `rust = ...` or derived from the wire text.
    fn rust_name(&mut self, file: usize, wire: &Text, rust: Option<&Text>, derived: String) -> Option<String> {
        let (name, at) = match rust {
            Some(r) => (r.get_ref().clone(), At { file, text: r }),
            None => (derived, At { file, text: wire }),
        };
        if names::is_identifier(&name) {
            Some(name)
        } else {
            let message = format!("`{}` does not make a Rust name (got `{name}`)", wire.get_ref());
            self.err(
                at,
                message,
                "add `rust = \"SomeName\"` beside it: letters, digits and `_`, not starting with a digit",
            );
            None
        }
    }

    fn values(&mut self, file: usize, owner: &str, defs: &[schema::ValueDef]) -> Vec<EnumValue> {
        let mut values: Vec<EnumValue> = Vec::new();
        for def in defs {
            let at = At { file, text: &def.wire };
            if def.wire.get_ref().is_empty() {
                self.err(at, format!("{owner} has an empty value"), "give the value's wire text");
                continue;
            }
            if values.iter().any(|v| v.wire == *def.wire.get_ref()) {
                self.err(at, format!("{owner} lists `{}` twice", def.wire.get_ref()), "remove the duplicate");
                continue;
            }
            let Some(rust) = self.rust_name(file, &def.wire, def.rust.as_ref(), names::upper_camel(def.wire.get_ref()))
            else {
                continue;
            };
            if rust == "Unknown" {
                self.err(
                    at,
                    format!("{owner}: the variant name `Unknown` is reserved for values the SDK does not know"),
                    "set `rust = \"...\"` to another name",
                );
                continue;
            }
            if let Some(other) = values.iter().find(|v| v.rust == rust) {
                let message = format!(
                    "{owner}: `{}` and `{}` both become the Rust variant `{rust}`",
                    other.wire,
                    def.wire.get_ref()
                );
                self.err(at, message, "set `rust = \"...\"` on one of them");
                continue;
            }
            values.push(EnumValue { wire: def.wire.get_ref().clone(), rust, doc: def.doc.get_ref().clone() });
        }
        values
    }

    fn enums(&mut self, docs: &[(usize, Document)]) {
        for (file, doc) in docs {
            for def in &doc.enums {
                let at = At { file: *file, text: &def.name };
                let rust = def.name.get_ref().clone();
                if !names::is_identifier(&rust) {
                    self.err(
                        at,
                        format!("enum name `{rust}` is not a Rust type name"),
                        "use UpperCamelCase letters and digits, e.g. `PayScene`",
                    );
                    continue;
                }
                if !self.claim_type(at, &rust, &format!("enum `{rust}`")) {
                    continue;
                }
                let values = self.values(*file, &format!("enum `{rust}`"), &def.values);
                self.spec.enums.push(Enum { rust, doc: def.doc.get_ref().clone(), values });
            }
        }
    }

    fn pay_types(&mut self, docs: &[(usize, Document)]) {
        let mut pay_types = Vec::new();
        let mut wallets: Vec<EnumValue> = Vec::new();
        for (file, doc) in docs {
            for def in &doc.pay_type {
                let at = At { file: *file, text: &def.wire };
                if pay_types.iter().any(|p: &EnumValue| p.wire == *def.wire.get_ref()) {
                    self.err(
                        at,
                        format!("payType `{}` is declared twice", def.wire.get_ref()),
                        "merge the two [[pay_type]] tables",
                    );
                    continue;
                }
                let Some(rust) =
                    self.rust_name(*file, &def.wire, def.rust.as_ref(), names::upper_camel(def.wire.get_ref()))
                else {
                    continue;
                };
                if pay_types.iter().any(|p: &EnumValue| p.rust == rust) || rust == "Unknown" {
                    self.err(
                        at,
                        format!("payType `{}` becomes the Rust variant `{rust}`, which is taken", def.wire.get_ref()),
                        "set `rust = \"...\"`",
                    );
                    continue;
                }
                pay_types.push(EnumValue { wire: def.wire.get_ref().clone(), rust, doc: def.doc.get_ref().clone() });
                for wallet in self.values(*file, &format!("payType `{}`", def.wire.get_ref()), &def.wallets) {
                    let wallet_at = def
                        .wallets
                        .iter()
                        .find(|w| *w.wire.get_ref() == wallet.wire)
                        .map(|w| At { file: *file, text: &w.wire });
                    if let Some(owner) =
                        self.spec.wallet_pay_types.iter().find(|(w, _)| *w == wallet.wire).map(|(_, p)| p.clone())
                    {
                        if let Some(at) = wallet_at {
                            self.err(
                                at,
                                format!("wallet `{}` already belongs to payType `{owner}`", wallet.wire),
                                "a wallet belongs to exactly one payType; remove one of them",
                            );
                        }
                        continue;
                    }
                    if wallets.iter().any(|w| w.rust == wallet.rust) {
                        if let Some(at) = wallet_at {
                            self.err(
                                at,
                                format!(
                                    "wallet `{}` becomes the Rust variant `{}`, which another wallet has",
                                    wallet.wire, wallet.rust
                                ),
                                "set `rust = \"...\"` on one of them",
                            );
                        }
                        continue;
                    }
                    self.spec.wallet_pay_types.push((wallet.wire.clone(), def.wire.get_ref().clone()));
                    wallets.push(wallet);
                }
            }
        }
        self.spec.enums.push(Enum {
            rust: "PayType".into(),
            doc: "Payment type (`payType`), from the spec's payType → wallet table.".into(),
            values: pay_types,
        });
        self.spec.enums.push(Enum {
            rust: "Wallet".into(),
            doc: "Wallet (`wallet`); each belongs to one payType (see [`Wallet::pay_type`]).".into(),
            values: wallets,
        });
    }

    fn flags(&mut self, docs: &[(usize, Document)]) {
        for (file, doc) in docs {
            for def in &doc.service_flag {
                let at = At { file: *file, text: &def.name };
                if self.spec.flags.iter().any(|f| f.name == *def.name.get_ref()) {
                    self.err(
                        at,
                        format!("service flag `{}` is declared twice", def.name.get_ref()),
                        "remove the duplicate [[service_flag]]",
                    );
                    continue;
                }
                let Some(rust) = self.rust_name(*file, &def.name, None, names::upper_camel(def.name.get_ref())) else {
                    continue;
                };
                self.spec.flags.push(Flag { name: def.name.get_ref().clone(), rust, doc: def.doc.get_ref().clone() });
            }
        }
    }

    fn objects(&mut self, docs: &[(usize, Document)]) {
        for (file, doc) in docs {
            for def in &doc.object {
                let at = At { file: *file, text: &def.name };
                let rust = def.name.get_ref().clone();
                if !names::is_identifier(&rust) {
                    self.err(
                        at,
                        format!("object name `{rust}` is not a Rust type name"),
                        "use UpperCamelCase, e.g. `CustomerInfo`",
                    );
                    continue;
                }
                if !self.claim_type(at, &rust, &format!("object `{rust}`")) {
                    continue;
                }
                let mut fields: Vec<ObjectField> = Vec::new();
                for f in &def.field {
                    let fat = At { file: *file, text: &f.wire };
                    if fields.iter().any(|x| x.wire == *f.wire.get_ref()) {
                        self.err(
                            fat,
                            format!("object `{rust}` has field `{}` twice", f.wire.get_ref()),
                            "remove the duplicate [[object.field]]",
                        );
                        continue;
                    }
                    let ty = match f.ty.get_ref().as_str() {
                        "string" => ObjectFieldType::Text,
                        "integer" => ObjectFieldType::Integer,
                        "string_array" => ObjectFieldType::TextArray,
                        other => {
                            let message = format!("unknown object field type `{other}`");
                            self.err(
                                At { file: *file, text: &f.ty },
                                message,
                                "use one of: string, integer, string_array",
                            );
                            continue;
                        }
                    };
                    let Some(frust) = self.rust_name(*file, &f.wire, f.rust.as_ref(), names::snake(f.wire.get_ref()))
                    else {
                        continue;
                    };
                    if fields.iter().any(|x| x.rust == frust) {
                        self.err(
                            fat,
                            format!("object `{rust}`: two fields become the Rust field `{frust}`"),
                            "set `rust = \"...\"` on one of them",
                        );
                        continue;
                    }
                    fields.push(ObjectField {
                        wire: f.wire.get_ref().clone(),
                        rust: frust,
                        ty,
                        doc: f.doc.get_ref().clone(),
                    });
                }
                self.spec.objects.push(Object { rust, doc: def.doc.get_ref().clone(), fields });
            }
        }
    }

    fn enum_by_name(&self, rust: &str) -> Option<&Enum> {
        self.spec.enums.iter().find(|e| e.rust == rust)
    }

    fn interfaces(&mut self, docs: &[(usize, Document)]) {
        for (file, doc) in docs {
            let file = *file;
            let Some(def) = &doc.interface else {
                if let Some(first) = doc.field.first().or(doc.response.first()) {
                    self.err(At { file, text: &first.wire }, "[[field]] / [[response]] tables outside an interface file", "add an [interface] table to this file, or move the fields into the interface file they belong to");
                }
                continue;
            };
            let def = def.get_ref();
            let at = At { file, text: &def.name };
            let name = def.name.get_ref().clone();
            if self.spec.interfaces.iter().any(|i| i.name == name) {
                self.err(
                    at,
                    format!("interface `{name}` is declared twice"),
                    "give each interface file its own `name`",
                );
                continue;
            }
            let Some(rust) = self.rust_name(file, &def.name, def.rust.as_ref(), names::upper_camel(&name)) else {
                continue;
            };
            let kind = match def.kind.get_ref().as_str() {
                "request" => InterfaceKind::Request,
                "notification" => InterfaceKind::Notification,
                "acknowledgement" => InterfaceKind::Acknowledgement,
                "return" => InterfaceKind::Return,
                other => {
                    self.err(
                        At { file, text: &def.kind },
                        format!("unknown interface kind `{other}`"),
                        "use one of: request, notification, acknowledgement, return",
                    );
                    continue;
                }
            };
            let type_names: Vec<String> = match kind {
                InterfaceKind::Request => {
                    vec![format!("{rust}Request"), format!("{rust}Response"), format!("{rust}Builder")]
                }
                _ => vec![rust.clone()],
            };
            if !type_names.iter().all(|t| self.claim_type(at, t, &format!("interface `{name}`"))) {
                continue;
            }
            let encoding = match def.encoding.get_ref().as_str() {
                "json" => Encoding::Json,
                "form" => Encoding::Form,
                other => {
                    self.err(
                        At { file, text: &def.encoding },
                        format!("unknown encoding `{other}`"),
                        "use `json` or `form`",
                    );
                    Encoding::Json
                }
            };
            let endpoint = def.endpoint.as_ref().map(|e| e.get_ref().clone());
            if kind == InterfaceKind::Request && endpoint.is_none() {
                self.err(
                    at,
                    format!("request interface `{name}` has no `endpoint`"),
                    "add `endpoint = \"/Servlet/<Name>.do\"` (the path after the base URL)",
                );
            }
            if let Some(e) = def.endpoint.as_ref().filter(|e| !e.get_ref().starts_with('/')) {
                self.err(
                    At { file, text: e },
                    "an endpoint is a path after the base URL and starts with `/`",
                    "write e.g. `/Servlet/JSAPIService.do`",
                );
            }
            let retry_safe = match def.retry.as_ref().map(|r| (r, r.get_ref().as_str())) {
                None | Some((_, "never")) => false,
                Some((_, "safe")) => true,
                Some((r, other)) => {
                    self.err(
                        At { file, text: r },
                        format!("unknown retry policy `{other}`"),
                        "use `never` (default) or `safe` (only for requests that change nothing, like query)",
                    );
                    false
                }
            };
            let fields = self.fields(file, &name, "field", &doc.field, kind.is_outgoing());
            let response = if kind == InterfaceKind::Request {
                self.fields(file, &name, "response", &doc.response, false)
            } else {
                if let Some(first) = doc.response.first() {
                    self.err(
                        At { file, text: &first.wire },
                        format!("[[response]] in `{name}`, which is a {} and gets no response", def.kind.get_ref()),
                        "remove the [[response]] tables",
                    );
                }
                Vec::new()
            };
            let mut at_least_one_of = Vec::new();
            for group in &def.at_least_one_of {
                let mut names = Vec::new();
                for member in group {
                    match fields.iter().find(|f| f.wire == *member.get_ref()) {
                        Some(f) if !f.is_mandatory() => names.push(f.wire.clone()),
                        Some(_) => self.err(
                            At { file, text: member },
                            format!(
                                "`{}` is required anyway, so an at-least-one-of group with it means nothing",
                                member.get_ref()
                            ),
                            "remove it from the group",
                        ),
                        None => self.err(
                            At { file, text: member },
                            format!("at_least_one_of names `{}`, which is not a field of `{name}`", member.get_ref()),
                            "name fields of this interface's [[field]] table",
                        ),
                    }
                }
                if names.len() >= 2 {
                    at_least_one_of.push(names);
                }
            }
            let recognize = self.recognize(file, &name, kind, def, &fields);
            self.spec.interfaces.push(Interface {
                name,
                rust,
                kind,
                endpoint,
                retry_safe,
                encoding,
                reply: def.reply.as_ref().map(|r| r.get_ref().clone()),
                doc: def.doc.get_ref().clone(),
                at_least_one_of,
                fields,
                response,
                recognize,
            });
        }
        self.replies(docs);
        self.recognitions_are_disjoint(docs);
    }

    /// `[[interface.recognize]]`: required for notifications (the library must tell them apart
    /// from each other and from every other signed message), meaningless elsewhere.
    fn recognize(
        &mut self,
        file: usize,
        iface: &str,
        kind: InterfaceKind,
        def: &schema::InterfaceDef,
        fields: &[Field],
    ) -> Vec<Vec<Condition>> {
        if kind != InterfaceKind::Notification {
            if let Some(first) = def.recognize.first() {
                self.diags.error(
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
                At { file, text: &def.name },
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
                let at = At { file, text: &c.field };
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
                            at,
                            format!("the condition on `{}` needs exactly one test", c.field.get_ref()),
                            "write one of `present = true`, `present = false`, `is = [\"A\", …]`, `is_not = [\"A\", …]`",
                        );
                        continue;
                    }
                };
                conditions.push(Condition { field: c.field.get_ref().clone(), test });
            }
            if conditions.is_empty() {
                self.diags.error(
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
        let known: Option<Vec<String>> = fields.iter().find(|f| f.wire == *field.get_ref()).and_then(|f| match &f.ty {
            FieldType::Enum(e) => self.enum_by_name(e).map(|e| e.values.iter().map(|v| v.wire.clone()).collect()),
            _ => None,
        });
        for v in values {
            if let Some(known) = known.as_ref().filter(|known| !known.contains(v.get_ref())) {
                let message = format!("`{}` is not a value of `{}`", v.get_ref(), field.get_ref());
                let help = suggest(v.get_ref(), known);
                self.err(At { file, text: v }, message, help);
            }
        }
        values.iter().map(|v| v.get_ref().clone()).collect()
    }

    /// No body may be recognised as two notifications: every alternative of one rule must
    /// contradict every alternative of every other on some field.
    fn recognitions_are_disjoint(&mut self, docs: &[(usize, Document)]) {
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
                    self.diags.error(
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

    fn replies(&mut self, docs: &[(usize, Document)]) {
        for (file, doc) in docs {
            let Some(def) = &doc.interface else { continue };
            let Some(reply) = &def.get_ref().reply else { continue };
            let ok = self
                .spec
                .interfaces
                .iter()
                .any(|i| i.name == *reply.get_ref() && i.kind == InterfaceKind::Acknowledgement);
            if !ok {
                let known: Vec<&str> = self
                    .spec
                    .interfaces
                    .iter()
                    .filter(|i| i.kind == InterfaceKind::Acknowledgement)
                    .map(|i| i.name.as_str())
                    .collect();
                self.err(
                    At { file: *file, text: reply },
                    format!("reply `{}` is not an interface of kind acknowledgement", reply.get_ref()),
                    format!("name one of: {}", known.join(", ")),
                );
            }
        }
    }

    fn fields(
        &mut self,
        file: usize,
        iface: &str,
        table: &str,
        defs: &[schema::FieldDef],
        outgoing: bool,
    ) -> Vec<Field> {
        let mut fields: Vec<Field> = Vec::new();
        for def in defs {
            let at = At { file, text: &def.wire };
            let wire = def.wire.get_ref().clone();
            if wire.is_empty() {
                self.err(at, "a field with an empty wire name", "write the name exactly as eftPay's table has it");
                continue;
            }
            if wire.contains(['&', '=']) {
                // The signed string joins `name=value` pairs with `&`: such a name could be read
                // as two fields, and a body re-encoded that way would keep its signature.
                self.err(
                    at,
                    format!("wire name `{wire}` contains `&` or `=`, which would make the signed string ambiguous"),
                    "write the field's name exactly as eftPay's table has it; eftPay's names never contain `&` or `=`",
                );
                continue;
            }
            if fields.iter().any(|f| f.wire == wire) {
                self.err(
                    at,
                    format!("duplicate field `{wire}` in the [[{table}]] table of `{iface}`"),
                    "remove one of the two entries (each wire name appears once per message)",
                );
                continue;
            }
            let Some(rust) = self.rust_name(file, &def.wire, def.rust.as_ref(), names::snake(&wire)) else {
                continue;
            };
            if let Some(other) = fields.iter().find(|f| f.rust == rust) {
                let message =
                    format!("fields `{}` and `{wire}` of `{iface}` both become the Rust field `{rust}`", other.wire);
                self.err(at, message, "set `rust = \"...\"` on one of them");
                continue;
            }
            if rust == "extra" || (outgoing && rust == "service_marker") {
                self.err(at, format!("the Rust field name `{rust}` is reserved"), "set `rust = \"...\"`");
                continue;
            }
            let Some(ty) = self.field_type(file, def) else { continue };
            let concept = match &def.concept {
                None => None,
                Some(c) => match self.concept(file, c, &ty) {
                    Some(c) => Some(c),
                    None => continue,
                },
            };
            let max_len = match &def.max_len {
                None => None,
                Some(m) if *m.get_ref() > 0 => usize::try_from(*m.get_ref()).ok(),
                Some(m) => {
                    self.diags.error(
                        file,
                        m.span(),
                        format!("max_len of `{wire}` must be a positive number of characters"),
                        "write the n of the doc's String(n)",
                    );
                    continue;
                }
            };
            if max_len.is_some()
                && matches!(
                    ty,
                    FieldType::Enum(_)
                        | FieldType::Object(_)
                        | FieldType::ObjectArray(_)
                        | FieldType::Time
                        | FieldType::DateTime
                        | FieldType::Seconds
                )
            {
                if let Some(m) = &def.max_len {
                    self.diags.error(
                        file,
                        m.span(),
                        format!("max_len does not apply to `{wire}`, whose type is checked otherwise"),
                        "remove max_len (enum values, objects and times are checked by their type)",
                    );
                }
                continue;
            }
            let flag = |this: &mut Self, f: &Option<Text>| -> Result<Option<String>, ()> {
                match f {
                    None => Ok(None),
                    Some(t) if this.spec.flags.iter().any(|x| x.name == *t.get_ref()) => Ok(Some(t.get_ref().clone())),
                    Some(t) => {
                        let known: Vec<String> = this.spec.flags.iter().map(|x| x.name.clone()).collect();
                        let help = format!(
                            "{} — service flags are declared as [[service_flag]] in spec/services.toml",
                            suggest(t.get_ref(), &known)
                        );
                        this.err(At { file, text: t }, format!("unknown service flag `{}`", t.get_ref()), help);
                        Err(())
                    }
                }
            };
            let Ok(required_unless) = flag(self, &def.required_unless) else { continue };
            let Ok(forbidden_with) = flag(self, &def.forbidden_with) else { continue };
            if required_unless.is_some() && !def.required {
                self.err(
                    at,
                    format!("`{wire}` has required_unless but is not required"),
                    "add `required = true`, or remove required_unless",
                );
                continue;
            }
            let fixed = match &def.fixed {
                None => None,
                Some(f) => {
                    let valid = match &ty {
                        FieldType::Enum(e) => {
                            self.enum_by_name(e).is_some_and(|e| e.values.iter().any(|v| v.wire == *f.get_ref()))
                        }
                        _ => true,
                    };
                    if !valid {
                        self.err(
                            At { file, text: f },
                            format!("fixed value `{}` is not a value of the field's enum", f.get_ref()),
                            "use one of the enum's wire values",
                        );
                        continue;
                    }
                    Some(f.get_ref().clone())
                }
            };
            if def.no_query && ty != FieldType::Url {
                self.err(
                    at,
                    format!("no_query only applies to url fields, and `{wire}` is not one"),
                    "remove no_query or make the field `type = \"url\"`",
                );
                continue;
            }
            fields.push(Field {
                wire,
                rust,
                ty,
                max_len,
                required: def.required,
                required_unless,
                forbidden_with,
                only_when: None,
                concept,
                fixed,
                no_query: def.no_query,
                not_above: None,
                doc: def.doc.get_ref().clone(),
            });
        }
        // Second pass: references between fields of the same table.
        for def in defs {
            let Some(index) = fields.iter().position(|f| f.wire == *def.wire.get_ref()) else { continue };
            if let Some(cond) = &def.only_when {
                match self.only_when(file, iface, &fields, cond) {
                    Some(ow) => {
                        if let Some(f) = fields.get_mut(index) {
                            f.only_when = Some(ow);
                        }
                    }
                    None => {
                        fields.remove(index);
                        continue;
                    }
                }
            }
            if let Some(other) = &def.not_above {
                let ok =
                    fields.iter().any(|f| f.wire == *other.get_ref() && f.ty == FieldType::Amount && f.is_mandatory());
                let this_amount = fields.get(index).is_some_and(|f| f.ty == FieldType::Amount);
                if ok && this_amount {
                    if let Some(f) = fields.get_mut(index) {
                        f.not_above = Some(other.get_ref().clone());
                    }
                } else {
                    self.err(At { file, text: other }, format!("not_above must name a required amount field of `{iface}`, and `{}` is not one (or this field is no amount)", other.get_ref()), "name a required `type = \"amount\"` field of the same table");
                }
            }
        }
        fields
    }

    fn only_when(
        &mut self,
        file: usize,
        iface: &str,
        fields: &[Field],
        cond: &schema::OnlyWhenDef,
    ) -> Option<OnlyWhen> {
        let at = At { file, text: &cond.field };
        let Some(other) = fields.iter().find(|f| f.wire == *cond.field.get_ref()) else {
            self.err(
                at,
                format!("only_when names `{}`, which is not a field of `{iface}`", cond.field.get_ref()),
                "name another field of the same table, by its wire name",
            );
            return None;
        };
        let FieldType::Enum(enum_name) = &other.ty else {
            self.err(
                at,
                format!("only_when needs an enum field to compare with, and `{}` is not one", other.wire),
                "name an enum-typed field such as payType or wallet",
            );
            return None;
        };
        let known: Vec<String> =
            self.enum_by_name(enum_name).map(|e| e.values.iter().map(|v| v.wire.clone()).collect()).unwrap_or_default();
        let mut values = Vec::new();
        for v in &cond.values {
            if known.contains(v.get_ref()) {
                values.push(v.get_ref().clone());
            } else {
                let help = suggest(v.get_ref(), &known);
                self.err(At { file, text: v }, format!("`{}` is not a value of {enum_name}", v.get_ref()), help);
            }
        }
        (!values.is_empty()).then(|| OnlyWhen { field: other.wire.clone(), values })
    }

    fn field_type(&mut self, file: usize, def: &schema::FieldDef) -> Option<FieldType> {
        let at = At { file, text: &def.ty };
        let needs = |this: &mut Self, what: &str, named: &Option<Text>, known: Vec<String>| -> Option<String> {
            match named {
                Some(n) if known.contains(n.get_ref()) => Some(n.get_ref().clone()),
                Some(n) => {
                    let help = suggest(n.get_ref(), &known);
                    this.err(At { file, text: n }, format!("unknown {what} `{}`", n.get_ref()), help);
                    None
                }
                None => {
                    this.err(
                        at,
                        format!("a field of type `{}` needs `{what} = \"...\"`", def.ty.get_ref()),
                        format!("add `{what} = \"Name\"`, one of: {}", known.join(", ")),
                    );
                    None
                }
            }
        };
        let enums: Vec<String> =
            self.spec.enums.iter().map(|e| e.rust.clone()).chain(std::iter::once("Service".to_owned())).collect();
        let objects: Vec<String> = self.spec.objects.iter().map(|o| o.rust.clone()).collect();
        let ty = match def.ty.get_ref().as_str() {
            "string" => FieldType::Text,
            "amount" => FieldType::Amount,
            "url" => FieldType::Url,
            "time" => FieldType::Time,
            "datetime" => FieldType::DateTime,
            "seconds" => FieldType::Seconds,
            "enum" => FieldType::Enum(needs(self, "enum", &def.enum_name, enums)?),
            "object" => FieldType::Object(needs(self, "object", &def.object, objects)?),
            "array" => FieldType::ObjectArray(needs(self, "object", &def.object, objects)?),
            other => {
                let known = ["string", "amount", "url", "time", "datetime", "seconds", "enum", "object", "array"]
                    .map(str::to_owned);
                let help = format!("{} (spec/README.md describes each type)", suggest(other, &known));
                self.err(at, format!("unknown field type `{other}` for `{}`", def.wire.get_ref()), help);
                return None;
            }
        };
        if def.enum_name.is_some() && !matches!(ty, FieldType::Enum(_)) {
            self.err(
                at,
                format!("`{}` names an enum but its type is `{}`", def.wire.get_ref(), def.ty.get_ref()),
                "set `type = \"enum\"` or remove `enum`",
            );
            return None;
        }
        Some(ty)
    }

    fn concept(&mut self, file: usize, c: &Text, ty: &FieldType) -> Option<Concept> {
        let concept = match c.get_ref().as_str() {
            "service" => Concept::Service,
            "pay_type" => Concept::PayType,
            "wallet" => Concept::Wallet,
            "pay_scene" => Concept::PayScene,
            "lang" => Concept::Lang,
            "user_confirm_key" => Concept::UserConfirmKey,
            "time" => Concept::Time,
            "sign" => Concept::Sign,
            "out_trade_no" => Concept::OutTradeNo,
            "eft_trade_no" => Concept::EftTradeNo,
            "refund_no" => Concept::RefundNo,
            other => {
                let help = "use one of: service, pay_type, wallet, pay_scene, lang, user_confirm_key, time, sign, out_trade_no, eft_trade_no, refund_no";
                self.err(At { file, text: c }, format!("unknown concept `{other}`"), help);
                return None;
            }
        };
        let type_ok = match (concept.required_enum(), ty) {
            (Some(e), FieldType::Enum(actual)) => e == actual,
            (Some(_), _) => false,
            (None, _) => match concept {
                Concept::Time => *ty == FieldType::Time,
                _ => *ty == FieldType::Text,
            },
        };
        if !type_ok {
            let expected = match concept.required_enum() {
                Some(e) => format!("type = \"enum\", enum = \"{e}\""),
                None if concept == Concept::Time => "type = \"time\"".to_owned(),
                None => "type = \"string\"".to_owned(),
            };
            self.err(
                At { file, text: c },
                format!("a field with concept `{}` must have {expected}", c.get_ref()),
                format!("set {expected}"),
            );
            return None;
        }
        Some(concept)
    }

    fn services(&mut self, docs: &[(usize, Document)]) {
        let mut values = Vec::new();
        let pay_types: Vec<String> =
            self.enum_by_name("PayType").map(|e| e.values.iter().map(|v| v.wire.clone()).collect()).unwrap_or_default();
        let scenes: Vec<String> = self
            .enum_by_name("PayScene")
            .map(|e| e.values.iter().map(|v| v.wire.clone()).collect())
            .unwrap_or_default();
        let langs: Vec<String> =
            self.enum_by_name("Lang").map(|e| e.values.iter().map(|v| v.wire.clone()).collect()).unwrap_or_default();
        for (file, doc) in docs {
            let file = *file;
            for def in &doc.service {
                let at = At { file, text: &def.name };
                let wire = def.name.get_ref().clone();
                if self.spec.services.iter().any(|s| s.wire == wire) {
                    self.err(at, format!("service `{wire}` is listed twice"), "remove one of the rows");
                    continue;
                }
                let Some(rust) = self.rust_name(file, &def.name, def.rust.as_ref(), names::upper_camel(&wire)) else {
                    continue;
                };
                if let Some(other) = self.spec.services.iter().find(|s| s.rust == rust) {
                    let message = format!("services `{}` and `{wire}` both become the Rust name `{rust}`", other.wire);
                    self.err(at, message, "set `rust = \"...\"` on this row");
                    continue;
                }
                if rust == "Unknown" {
                    self.err(at, "the Rust name `Unknown` is reserved", "set `rust = \"...\"` on this row");
                    continue;
                }
                let interface = def.interface.get_ref().clone();
                let iface_ok = self
                    .spec
                    .interfaces
                    .iter()
                    .find(|i| i.name == interface)
                    .map(|i| i.fields.iter().any(|f| f.concept == Some(Concept::Service)));
                match iface_ok {
                    Some(true) => {}
                    Some(false) => {
                        self.err(
                            At { file, text: &def.interface },
                            format!(
                                "interface `{interface}` has no field with concept `service`, so no service can use it"
                            ),
                            "name an interface whose [[field]] table has `concept = \"service\"`",
                        );
                        continue;
                    }
                    None => {
                        let known: Vec<String> = self
                            .spec
                            .interfaces
                            .iter()
                            .filter(|i| i.kind == InterfaceKind::Request)
                            .map(|i| i.name.clone())
                            .collect();
                        self.err(
                            At { file, text: &def.interface },
                            format!("unknown interface `{interface}`"),
                            suggest(&interface, &known),
                        );
                        continue;
                    }
                }
                let pay_type = def.pay_type.get_ref().clone();
                if !pay_types.contains(&pay_type) {
                    self.err(
                        At { file, text: &def.pay_type },
                        format!("unknown payType `{pay_type}`"),
                        format!("{} — payTypes are declared in spec/wallets.toml", suggest(&pay_type, &pay_types)),
                    );
                    continue;
                }
                let mut wallets = Vec::new();
                for w in &def.wallets {
                    let owner =
                        self.spec.wallet_pay_types.iter().find(|(x, _)| x == w.get_ref()).map(|(_, p)| p.clone());
                    match owner {
                        Some(p) if p == pay_type => wallets.push(w.get_ref().clone()),
                        Some(p) => self.err(
                            At { file, text: w },
                            format!(
                                "wallet `{}` belongs to payType `{p}`, not to this service's payType `{pay_type}`",
                                w.get_ref()
                            ),
                            format!("use a wallet of `{pay_type}`: {}", self.wallets_of(&pay_type).join(", ")),
                        ),
                        None => {
                            let help = format!(
                                "{} — wallets are declared under their [[pay_type]] in spec/wallets.toml",
                                suggest(w.get_ref(), &self.wallets_of(&pay_type))
                            );
                            self.err(At { file, text: w }, format!("unknown wallet `{}`", w.get_ref()), help);
                        }
                    }
                }
                if def.wallets.is_empty() {
                    self.err(
                        at,
                        format!("service `{wire}` lists no wallets"),
                        "add `wallets = [...]` from the doc's wallet column",
                    );
                }
                let pay_scenes =
                    self.members(file, &def.pay_scenes, &scenes, "pay_scene", "PayScene in spec/enums.toml");
                let service_langs = self.members(file, &def.langs, &langs, "lang", "Lang in spec/enums.toml");
                let mut flags = Vec::new();
                for f in &def.flags {
                    if self.spec.flags.iter().any(|x| x.name == *f.get_ref()) {
                        flags.push(f.get_ref().clone());
                    } else {
                        let known: Vec<String> = self.spec.flags.iter().map(|x| x.name.clone()).collect();
                        self.err(
                            At { file, text: f },
                            format!("unknown service flag `{}`", f.get_ref()),
                            suggest(f.get_ref(), &known),
                        );
                    }
                }
                let notifications = match def.notifications.get_ref().as_str() {
                    "until_acknowledged" => Notifications::UntilAcknowledged,
                    "once" => Notifications::Once,
                    "never" => Notifications::Never,
                    other => {
                        self.err(
                            At { file, text: &def.notifications },
                            format!("unknown notification behaviour `{other}`"),
                            "use one of: until_acknowledged, once, never",
                        );
                        continue;
                    }
                };
                let iface_needs_scene =
                    self.spec.interfaces.iter().find(|i| i.name == interface).is_some_and(|i| {
                        i.fields.iter().any(|f| f.concept == Some(Concept::PayScene) && f.is_mandatory())
                    });
                if iface_needs_scene && def.pay_scenes.is_empty() {
                    self.err(
                        at,
                        format!("service `{wire}` lists no pay_scenes, but its interface requires pay_scene"),
                        "add `pay_scenes = [\"WEB\"]` (WEB is eftPay's default scene)",
                    );
                }
                values.push(EnumValue { wire: wire.clone(), rust: rust.clone(), doc: def.doc.get_ref().clone() });
                self.spec.services.push(Service {
                    wire,
                    rust,
                    interface,
                    pay_type,
                    wallets,
                    pay_scenes,
                    langs: service_langs,
                    flags,
                    notifications,
                    doc: def.doc.get_ref().clone(),
                });
            }
        }
        self.spec.enums.push(Enum {
            rust: "Service".into(),
            doc: "Interface name (`service`), from the spec's service table; see [`Service::rules`].".into(),
            values,
        });
    }

    fn wallets_of(&self, pay_type: &str) -> Vec<String> {
        self.spec.wallet_pay_types.iter().filter(|(_, p)| p == pay_type).map(|(w, _)| w.clone()).collect()
    }

    fn members(&mut self, file: usize, list: &[Text], known: &[String], what: &str, home: &str) -> Vec<String> {
        let mut out = Vec::new();
        for item in list {
            if !known.contains(item.get_ref()) {
                let help = format!("{} — values are declared in {home}", suggest(item.get_ref(), known));
                self.err(At { file, text: item }, format!("unknown {what} `{}`", item.get_ref()), help);
            } else if out.contains(item.get_ref()) {
                self.err(
                    At { file, text: item },
                    format!("{what} `{}` is listed twice", item.get_ref()),
                    "remove the duplicate",
                );
            } else {
                out.push(item.get_ref().clone());
            }
        }
        out
    }

    fn test_amounts(&mut self, docs: &[(usize, Document)]) {
        let pay_types: Vec<String> =
            self.enum_by_name("PayType").map(|e| e.values.iter().map(|v| v.wire.clone()).collect()).unwrap_or_default();
        for (file, doc) in docs {
            for def in &doc.test_amount {
                let file = *file;
                if !pay_types.contains(def.pay_type.get_ref()) {
                    self.err(
                        At { file, text: &def.pay_type },
                        format!("unknown payType `{}`", def.pay_type.get_ref()),
                        suggest(def.pay_type.get_ref(), &pay_types),
                    );
                    continue;
                }
                let Some(cents) = u8::try_from(*def.cents.get_ref()).ok().filter(|c| *c < 100) else {
                    self.diags.error(
                        file,
                        def.cents.span(),
                        "cents are the last two decimal digits, 0 to 99",
                        "write e.g. `cents = 81` for 0.81",
                    );
                    continue;
                };
                let outcome = match def.outcome.get_ref().as_str() {
                    "success" => TestOutcome::Success,
                    "timeout" => TestOutcome::Timeout,
                    "failed" => TestOutcome::Failed,
                    "server_error_no_qr_code" => TestOutcome::ServerErrorNoQrCode,
                    "server_error_no_state" => TestOutcome::ServerErrorNoState,
                    other => {
                        self.err(
                            At { file, text: &def.outcome },
                            format!("unknown test outcome `{other}`"),
                            "use one of: success, timeout, failed, server_error_no_qr_code, server_error_no_state",
                        );
                        continue;
                    }
                };
                if self.spec.test_amounts.iter().any(|t| t.pay_type == *def.pay_type.get_ref() && t.cents == cents) {
                    self.diags.error(
                        file,
                        def.cents.span(),
                        format!("test amount .{cents:02} for {} is listed twice", def.pay_type.get_ref()),
                        "remove the duplicate",
                    );
                    continue;
                }
                self.spec.test_amounts.push(TestAmount {
                    pay_type: def.pay_type.get_ref().clone(),
                    cents,
                    outcome,
                    doc: def.doc.get_ref().clone(),
                });
            }
        }
    }

    /// Enums the generated service rules are typed with must exist.
    fn required_tables(&mut self, docs: &[(usize, Document)]) {
        let declared: BTreeSet<&str> = self.spec.enums.iter().map(|e| e.rust.as_str()).collect();
        let missing: Vec<&str> = ["PayScene", "Lang"].into_iter().filter(|e| !declared.contains(e)).collect();
        if !missing.is_empty() && !docs.is_empty() {
            self.diags.global(format!(
                "the spec declares no enum {}; the service table's pay_scenes and langs columns are typed with them — add an [[enum]] with that name (spec/enums.toml)",
                missing.join(" or ")
            ));
        }
    }
}

/// "did you mean X?" for the closest known name, else the list of known names.
fn suggest(value: &str, known: &[String]) -> String {
    let best = known
        .iter()
        .map(|k| (distance(&value.to_ascii_lowercase(), &k.to_ascii_lowercase()), k))
        .min_by_key(|(d, _)| *d);
    match best {
        Some((d, k)) if d <= 2.max(value.len() / 3) => format!("did you mean `{k}`?"),
        _ if known.is_empty() => "nothing of that kind is declared yet".to_owned(),
        _ => format!("use one of: {}", known.join(", ")),
    }
}

/// Levenshtein distance, for suggestions.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let above = row.get(j + 1).copied().unwrap_or(0);
            let left = row.get(j).copied().unwrap_or(0);
            let value = (previous + usize::from(ca != *cb)).min(above + 1).min(left + 1);
            previous = above;
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = value;
            }
        }
    }
    row.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_name() {
        let known = vec!["ALIPAYCN".to_owned(), "ALIPAYHK".to_owned()];
        assert_eq!(suggest("ALIPAYHX", &known), "did you mean `ALIPAYHK`?");
        assert_eq!(suggest("ZZZZZZZZZZZZ", &known), "use one of: ALIPAYCN, ALIPAYHK");
    }

    #[test]
    fn distance_counts_edits() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("same", "same"), 0);
    }
}
