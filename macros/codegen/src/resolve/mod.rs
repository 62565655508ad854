//! Checks the spec and turns it into the [`model`](crate::model): every table of every file,
//! every cross-reference, every Rust name. All errors of one pass are collected; an entry with
//! an error is left out of the model (or repaired), so the emitter can still produce the rest
//! and one typo does not cascade into errors about missing types. A name that is not declared
//! is reported once, where it is first used: later uses of it stay quiet.
//!
//! One module per table, in the order they are resolved (each may use what the ones before
//! declared): value sets and wallets, flags, objects, interfaces and their field tables,
//! service rows, scenes, test amounts; then the checks that span tables (and that the
//! acknowledgement can be built).

pub(crate) mod acknowledgement;
mod echo;
mod enums;
mod fields;
mod interfaces;
mod objects;
mod recognition;
mod scenes;
mod services;
mod test_amounts;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use crate::diagnostic::Diagnostics;
use crate::keywords::Keywords;
use crate::model::{EnumId, Spec, ValueId};
use crate::names;
use crate::schema::{Document, Text};
use crate::source::SpecFile;
use crate::suggest::suggest;
use eftpay_vocabulary::Word;

/// Types the generator itself emits; a spec name may not take them.
const GENERATED_TYPES: &[&str] = &[
    "PayType",
    "Wallet",
    "Service",
    "ServiceMarker",
    "Interface",
    "Scene",
    "Notification",
    "WalletOf",
    "WalletFor",
    "RowWallet",
    "PaySceneOf",
    "LangOf",
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
                diags.error(index, span, toml_message(&error), read_help(&error));
            }
        }
    }
    if unreadable {
        // A file that could not be read takes its declarations with it, so cross-reference
        // errors would only echo the read error ("unknown wallet" for every wallet it declared).
        // Still build the model from the readable files, so items are emitted.
        let mut echoes = Diagnostics::new();
        let spec = Resolver::new(&mut echoes).run(&docs);
        let _ = echoes.finish();
        return spec;
    }
    Resolver::new(diags).run(&docs)
}

/// The fix for a table that does not read: for a missing key, the key to add; otherwise the
/// syntax or the keys. (A missing keyword key is reported by the resolver instead, with the
/// words that table's key takes: see [`Resolver::required_keyword`].)
fn read_help(error: &toml::de::Error) -> String {
    let missing = error.message().strip_prefix("missing field `").and_then(|rest| rest.split('`').next());
    match missing {
        Some(key) => format!("add `{key}` to this table (spec/README.md describes each table's keys)"),
        None => "fix the TOML syntax or the table's keys (see spec/README.md for each table's schema)".to_owned(),
    }
}

fn toml_message(error: &toml::de::Error) -> String {
    let message = error.message().trim().replace('\n', " ");
    format!("invalid spec table: {message}")
}

/// The state of one pass over the spec.
pub(crate) struct Resolver<'d> {
    diags: &'d mut Diagnostics,
    spec: Spec,
    /// Rust type names taken so far, for collision errors.
    types: BTreeMap<String, String>,
    /// Names already reported (undeclared, or declared but refused): later references to them
    /// stay quiet, so one mistake is one error. Also holds `extends` cycles already reported.
    missing: BTreeSet<String>,
    /// Interfaces whose field tables lost a row to an error: checks of their service rows
    /// against those tables would only echo it.
    tainted: BTreeSet<String>,
}

impl<'d> Resolver<'d> {
    fn new(diags: &'d mut Diagnostics) -> Self {
        let types = GENERATED_TYPES.iter().map(|t| ((*t).to_owned(), "the generator".to_owned())).collect();
        Resolver { diags, spec: Spec::default(), types, missing: BTreeSet::new(), tainted: BTreeSet::new() }
    }

    fn run(mut self, docs: &[(usize, Document)]) -> Spec {
        self.enums(docs);
        self.pay_types(docs);
        self.flags(docs);
        self.objects(docs);
        self.interfaces(docs);
        self.services(docs);
        self.scenes(docs);
        self.test_amounts(docs);
        self.recognitions_are_disjoint(docs);
        self.returns_are_not_other_scenes_notifications(docs);
        self.echoes_are_in_the_order(docs);
        self.acknowledgements_can_be_built(docs);
        self.spec
    }

    /// Records an error at a spanned value of `file`.
    fn err(&mut self, file: usize, at: &Text, message: impl Into<String>, help: impl Into<String>) {
        self.diags.error(file, at.span(), message, help);
    }

    /// Records an error at a byte range of `file`.
    fn err_at(&mut self, file: usize, span: Range<usize>, message: impl Into<String>, help: impl Into<String>) {
        self.diags.error(file, span, message, help);
    }

    /// Reports an undeclared name once: later reports with the same `key` stay quiet.
    fn report_missing(
        &mut self,
        key: String,
        file: usize,
        at: &Text,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        if self.missing.insert(key) {
            self.err(file, at, message, help);
        }
    }

    /// Remembers that the declaration of `key` (`enum Lang`, `interface place_order`) was refused
    /// with an error: references to it would only echo that error.
    fn refused(&mut self, key: String) {
        self.missing.insert(key);
    }

    /// The meaning of a keyword, or an error naming the words the key takes.
    fn keyword<T: Word>(&mut self, table: &Keywords<T>, file: usize, at: &Text) -> Option<T> {
        let found = table.parse(at.get_ref());
        if found.is_none() {
            let help = suggest(at.get_ref(), &table.words());
            self.err(file, at, format!("unknown {} `{}`", table.what, at.get_ref()), help);
        }
        found
    }

    /// The meaning of a keyword key its table must have: reported when missing (see
    /// [`missing_keyword`](Self::missing_keyword)) or when it is not one of the key's words.
    fn required_keyword<T: Word>(
        &mut self,
        table: &Keywords<T>,
        file: usize,
        value: Option<&Text>,
        owner: &str,
        owner_at: Range<usize>,
    ) -> Option<T> {
        match value {
            Some(value) => self.keyword(table, file, value),
            None => {
                self.missing_keyword(table, file, owner, owner_at);
                None
            }
        }
    }

    /// Reports a missing keyword key at `owner_at`, the value naming its table (described as
    /// `owner`), with the words that table's key takes.
    fn missing_keyword<T: Word>(&mut self, table: &Keywords<T>, file: usize, owner: &str, owner_at: Range<usize>) {
        let help = format!("add `{} = \"…\"` to this table, one of: {}", table.key, table.words().join(", "));
        self.err_at(file, owner_at, format!("{owner} has no `{}`", table.key), help);
    }

    /// Claims a Rust type name; reports a collision and returns false if it is taken.
    fn claim_type(&mut self, file: usize, at: &Text, rust: &str, what: &str) -> bool {
        if let Some(owner) = self.types.get(rust) {
            let message = format!("Rust type name `{rust}` of {what} is already used by {owner}");
            self.err(file, at, message, "rename one of them (set `rust = \"...\"` or change `name`)");
            return false;
        }
        self.types.insert(rust.to_owned(), what.to_owned());
        true
    }

    /// A Rust name from an explicit `rust = ...` or derived from the wire text.
    fn rust_name(&mut self, file: usize, wire: &Text, rust: Option<&Text>, derived: String) -> Option<String> {
        let (name, at) = match rust {
            Some(r) => (r.get_ref().clone(), r),
            None => (derived, wire),
        };
        if names::is_identifier(&name) {
            Some(name)
        } else {
            let message = format!("`{}` does not make a Rust name (got `{name}`)", wire.get_ref());
            self.err(
                file,
                at,
                message,
                "add `rust = \"SomeName\"` beside it: letters, digits and `_`, not starting with a digit",
            );
            None
        }
    }

    /// The value set named `at` (by Rust type name), reported once when it is not declared.
    fn enum_named(&mut self, file: usize, at: &Text) -> Option<EnumId> {
        let name = at.get_ref();
        if let Some(id) = self.spec.enums.iter().position(|e| e.rust == *name) {
            return Some(id);
        }
        let known: Vec<String> = self.spec.enums.iter().map(|e| e.rust.clone()).collect();
        let help = format!("{} — value sets are declared as [[enum]] (spec/common/enums.toml)", suggest(name, &known));
        self.report_missing(format!("enum {name}"), file, at, format!("unknown enum `{name}`"), help);
        None
    }

    /// The value `at` of enum `id`, reported when it is not one of its values.
    fn value_of(&mut self, id: EnumId, file: usize, at: &Text, home: &str) -> Option<ValueId> {
        let e = self.spec.enums.get(id)?;
        if let Some(value) = e.values.iter().position(|v| v.wire == *at.get_ref()) {
            return Some(value);
        }
        let known: Vec<String> = e.values.iter().map(|v| v.wire.clone()).collect();
        let what = e.rust.clone();
        let help = format!("{} — {what} values are declared in {home}", suggest(at.get_ref(), &known));
        self.err(file, at, format!("unknown {what} value `{}`", at.get_ref()), help);
        None
    }

    /// Wire values of enum `id`.
    fn wires(&self, id: EnumId) -> Vec<String> {
        self.spec.enums.get(id).map(|e| e.values.iter().map(|v| v.wire.clone()).collect()).unwrap_or_default()
    }

    /// The index of a flag by name, reported once when it is not declared.
    fn flag_named(&mut self, file: usize, at: &Text) -> Option<usize> {
        let name = at.get_ref();
        if let Some(id) = self.spec.flags.iter().position(|f| f.name == *name) {
            return Some(id);
        }
        let known: Vec<String> = self.spec.flags.iter().map(|f| f.name.clone()).collect();
        let help = format!("{} — service flags are declared as [[service_flag]]", suggest(name, &known));
        self.report_missing(format!("flag {name}"), file, at, format!("unknown service flag `{name}`"), help);
        None
    }
}
