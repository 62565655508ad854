//! `[[service]]`: the rows of eftPay's service tables. A row belongs to one request interface;
//! where the interface sends a `service` field the row's name is that value, otherwise the row
//! is told apart by its payType (or is the interface's only row). Its columns — payType,
//! wallets, pay_scenes, langs — must be values the spec declares and fit the interface.

use std::collections::BTreeMap;

use toml::Spanned;

use super::Resolver;
use crate::keywords::NOTIFICATIONS;
use crate::model::{Concept, EnumValue, Field, FieldType, Notifications, Service};
use crate::names;
use crate::schema::{Document, ServiceDef, Text};
use crate::suggest::suggest;

impl Resolver<'_> {
    pub(super) fn services(&mut self, docs: &[(usize, Document)]) {
        let mut values: Vec<EnumValue> = Vec::new();
        for (file, doc) in docs {
            for def in &doc.service {
                if let Some((service, value)) = self.service(*file, def) {
                    values.push(value);
                    self.spec.services.push(service);
                }
            }
        }
        let id = self.spec.builtin.service;
        if let Some(e) = self.spec.enums.get_mut(id) {
            e.values = values;
        }
        self.rows_can_be_told_apart(docs);
    }

    fn service(&mut self, file: usize, def: &ServiceDef) -> Option<(Service, EnumValue)> {
        let wire = def.name.get_ref().clone();
        if self.spec.services.iter().any(|s| s.wire == wire) {
            self.err(file, &def.name, format!("service `{wire}` is listed twice"), "remove one of the rows");
            return None;
        }
        let rust = self.rust_name(file, &def.name, def.rust.as_ref(), names::upper_camel(&wire))?;
        if let Some(other) = self.spec.services.iter().find(|s| s.rust == rust) {
            let message = format!("services `{}` and `{wire}` both become the Rust name `{rust}`", other.wire);
            self.err(file, &def.name, message, "set `rust = \"...\"` on this row");
            return None;
        }
        if rust == "Unknown" {
            self.err(file, &def.name, "the Rust name `Unknown` is reserved", "set `rust = \"...\"` on this row");
            return None;
        }
        let named = def.interface.get_ref();
        let interface = self.spec.interfaces.iter().position(|i| i.name == *named);
        let Some(interface) =
            interface.filter(|i| self.spec.interfaces.get(*i).is_some_and(|i| i.purpose.is_request()))
        else {
            let known: Vec<String> =
                self.spec.interfaces.iter().filter(|i| i.purpose.is_request()).map(|i| i.name.clone()).collect();
            let help = suggest(named, &known);
            match interface.and_then(|i| self.spec.interfaces.get(i)).map(|i| i.purpose) {
                Some(purpose) => self.err(
                    file,
                    &def.interface,
                    format!("service rows belong to request interfaces, and `{named}` is a {}", purpose.name()),
                    help,
                ),
                None => self.report_missing(
                    format!("interface {named}"),
                    file,
                    &def.interface,
                    format!("unknown request interface `{named}`"),
                    help,
                ),
            }
            return None;
        };
        let fields: Vec<Field> = self.spec.interfaces.get(interface).map(|i| i.fields.clone()).unwrap_or_default();
        // A table that lost a row to an error cannot say what the row's columns must be.
        let tainted = self.tainted.contains(def.interface.get_ref());
        let mandatory =
            |concept: Concept| !tainted && fields.iter().any(|f| f.concept == Some(concept) && f.is_mandatory());
        let takes = |concept: Concept| tainted || fields.iter().any(|f| f.concept == Some(concept));

        let pay_type_id = self.spec.builtin.pay_type;
        let pay_type = match &def.pay_type {
            Some(at) => Some(self.value_of(pay_type_id, file, at, "spec/common/wallets.toml")?),
            None if mandatory(Concept::PayType) => {
                self.err(
                    file,
                    &def.name,
                    format!("service `{wire}` has no pay_type, but its interface sends payType"),
                    "add `pay_type = \"…\"` from the doc's payType column",
                );
                return None;
            }
            None => None,
        };
        let wallets = self.row_wallets(file, def, pay_type)?;
        if def.wallets.is_empty() && mandatory(Concept::Wallet) {
            self.err(
                file,
                &def.name,
                format!("service `{wire}` lists no wallets, but its interface sends a wallet"),
                "add `wallets = [...]` from the doc's wallet column",
            );
        }
        if def.pay_scenes.is_empty() && mandatory(Concept::PayScene) {
            self.err(
                file,
                &def.name,
                format!("service `{wire}` lists no pay_scenes, but its interface requires pay_scene"),
                "add `pay_scenes = [\"WEB\"]` (WEB is eftPay's default scene)",
            );
        }
        // A column the interface does not send is wrong as a whole: its values are not checked.
        let pay_scenes = match def.pay_scenes.first() {
            Some(first) if !takes(Concept::PayScene) => {
                self.err(file, first, format!("the interface of `{wire}` sends no pay_scene"), "remove `pay_scenes`");
                Vec::new()
            }
            _ => self.row_column(file, &def.pay_scenes, self.spec.builtin.pay_scene, "PayScene", "pay_scenes"),
        };
        let langs = match def.langs.first() {
            Some(first) if !takes(Concept::Lang) => {
                self.err(file, first, format!("the interface of `{wire}` sends no lang"), "remove `langs`");
                Vec::new()
            }
            _ => self.row_column(file, &def.langs, self.spec.builtin.lang, "Lang", "langs"),
        };
        let flags = def.flags.iter().filter_map(|f| self.flag_named(file, f)).collect();
        let notifications = self.required_keyword(
            &NOTIFICATIONS,
            file,
            def.notifications.as_ref(),
            &format!("service `{wire}`"),
            def.name.span(),
        )?;
        let wallet_notifications = self.wallet_notifications(file, def, &wallets)?;
        let defaults = self.row_values(file, &def.defaults, &fields, "defaults")?;
        let fixed = self.row_values(file, &def.fixed, &fields, "fixed")?;
        let values = self.row_allowed(file, &def.values, &fields);
        for key in def.fixed.keys() {
            if fields.iter().any(|f| f.wire == *key.get_ref() && f.is_mandatory()) {
                self.err_at(
                    file,
                    key.span(),
                    format!("`{}` is required by the interface, so it cannot be fixed for one service", key.get_ref()),
                    "a fixed field is one the service does not take; make it optional in the interface",
                );
            }
        }
        let value = EnumValue {
            wire: wire.clone(),
            rust: rust.clone(),
            doc: def.doc.get_ref().clone(),
            meaning: None,
            sandbox_only: false,
        };
        let service = Service {
            wire,
            rust,
            interface,
            pay_type,
            wallets,
            pay_scenes,
            langs,
            flags,
            notifications,
            wallet_notifications,
            defaults,
            fixed,
            values,
            doc: def.doc.get_ref().clone(),
        };
        Some((service, value))
    }

    /// `wallet_notifications`: each key one of the row's own wallets, each value a notification
    /// behaviour. `None` when a value is not one (reported).
    fn wallet_notifications(
        &mut self,
        file: usize,
        def: &ServiceDef,
        wallets: &[usize],
    ) -> Option<Vec<(usize, Notifications)>> {
        let wallet_id = self.spec.builtin.wallet;
        let own: Vec<String> = wallets.iter().map(|w| self.value_wire(wallet_id, *w)).collect();
        let mut out = Vec::new();
        let mut broken = false;
        for (key, value) in &def.wallet_notifications {
            let position = own.iter().position(|w| w == key.get_ref());
            let behaviour = self.keyword(&NOTIFICATIONS, file, value);
            match (position.and_then(|p| wallets.get(p)), behaviour) {
                (Some(wallet), Some(behaviour)) => out.push((*wallet, behaviour)),
                (None, _) => {
                    self.err_at(
                        file,
                        key.span(),
                        format!("`{}` is not one of the wallets of service `{}`", key.get_ref(), def.name.get_ref()),
                        format!("{} — list it in the row's `wallets` first", suggest(key.get_ref(), &own)),
                    );
                    broken = true;
                }
                (Some(_), None) => broken = true,
            }
        }
        (!broken).then_some(out)
    }

    /// The row's wallets: each must belong to the row's payType, when it has one.
    fn row_wallets(&mut self, file: usize, def: &ServiceDef, pay_type: Option<usize>) -> Option<Vec<usize>> {
        let wallet_id = self.spec.builtin.wallet;
        let mut wallets = Vec::new();
        for at in &def.wallets {
            let Some(wallet) =
                self.spec.enums.get(wallet_id).and_then(|e| e.values.iter().position(|v| v.wire == *at.get_ref()))
            else {
                let candidates = match pay_type {
                    Some(p) => self.wallets_of(p),
                    None => self.wires(wallet_id),
                };
                let help = format!(
                    "{} — wallets are declared under their [[pay_type]] in spec/common/wallets.toml",
                    suggest(at.get_ref(), &candidates)
                );
                self.err(file, at, format!("unknown wallet `{}`", at.get_ref()), help);
                continue;
            };
            let owner = self.spec.wallet_pay_type.get(wallet).copied();
            match (pay_type, owner) {
                (Some(p), Some(o)) if p != o => {
                    let pay_type_id = self.spec.builtin.pay_type;
                    let (own, other) = (self.value_wire(pay_type_id, p), self.value_wire(pay_type_id, o));
                    self.err(
                        file,
                        at,
                        format!(
                            "wallet `{}` belongs to payType `{other}`, not to this service's payType `{own}`",
                            at.get_ref()
                        ),
                        format!("use a wallet of `{own}`: {}", self.wallets_of(p).join(", ")),
                    );
                }
                _ if wallets.contains(&wallet) => {
                    self.err(file, at, format!("wallet `{}` is listed twice", at.get_ref()), "remove the duplicate");
                }
                _ => wallets.push(wallet),
            }
        }
        Some(wallets)
    }

    fn value_wire(&self, id: usize, value: usize) -> String {
        self.spec.enums.get(id).and_then(|e| e.values.get(value)).map(|v| v.wire.clone()).unwrap_or_default()
    }

    fn wallets_of(&self, pay_type: usize) -> Vec<String> {
        let wallet_id = self.spec.builtin.wallet;
        self.spec
            .wallet_pay_type
            .iter()
            .enumerate()
            .filter(|(_, p)| **p == pay_type)
            .map(|(w, _)| self.value_wire(wallet_id, w))
            .collect()
    }

    /// A column of values of a required value set (`PayScene`, `Lang`); the value set's absence
    /// is reported once, not per row.
    fn row_column(
        &mut self,
        file: usize,
        list: &[Text],
        id: Option<usize>,
        enum_name: &str,
        column: &str,
    ) -> Vec<usize> {
        let Some(first) = list.first() else { return Vec::new() };
        let Some(id) = id else {
            self.report_missing(
                format!("enum {enum_name}"),
                file,
                first,
                format!(
                    "the spec declares no enum {enum_name}, which the service tables' {column} column is typed with"
                ),
                format!("add an [[enum]] named {enum_name} (spec/common/enums.toml)"),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for at in list {
            match self.value_of(id, file, at, "spec/common/enums.toml") {
                Some(v) if out.contains(&v) => {
                    self.err(file, at, format!("{column} lists `{}` twice", at.get_ref()), "remove the duplicate")
                }
                Some(v) => out.push(v),
                None => {}
            }
        }
        out
    }

    /// `defaults` / `fixed`: wire names of the interface's fields and values of their types.
    fn row_values(
        &mut self,
        file: usize,
        map: &BTreeMap<Spanned<String>, Text>,
        fields: &[Field],
        key: &str,
    ) -> Option<Vec<(String, String)>> {
        let mut out = Vec::new();
        for (name, value) in map {
            let Some(field) = fields.iter().find(|f| f.wire == *name.get_ref()) else {
                let known: Vec<String> = fields.iter().map(|f| f.wire.clone()).collect();
                self.err_at(
                    file,
                    name.span(),
                    format!("{key} names `{}`, which is not a field of the row's interface", name.get_ref()),
                    suggest(name.get_ref(), &known),
                );
                continue;
            };
            let valid = match field.ty {
                FieldType::Enum(id) => self.wires(id).contains(value.get_ref()),
                FieldType::Seconds => value.get_ref().parse::<u32>().is_ok(),
                _ => true,
            };
            if !valid {
                let help = match field.ty {
                    FieldType::Enum(id) => format!("use one of: {}", self.wires(id).join(", ")),
                    _ => "write a whole number of seconds, e.g. \"1800\"".to_owned(),
                };
                self.err(
                    file,
                    value,
                    format!("{key} value `{}` is not a value of `{}`", value.get_ref(), field.wire),
                    help,
                );
                continue;
            }
            out.push((field.wire.clone(), value.get_ref().clone()));
        }
        Some(out)
    }

    /// `values`: per enum field of the row's interface, the values this row takes — so a value
    /// only some services accept (scene_type PUBLIC: WeChat only) needs no value set of its own.
    fn row_allowed(
        &mut self,
        file: usize,
        map: &BTreeMap<Spanned<String>, Vec<Text>>,
        fields: &[Field],
    ) -> Vec<(String, Vec<String>)> {
        let mut out = Vec::new();
        for (name, values) in map {
            let Some(field) = fields.iter().find(|f| f.wire == *name.get_ref()) else {
                let known: Vec<String> = fields.iter().map(|f| f.wire.clone()).collect();
                self.err_at(
                    file,
                    name.span(),
                    format!("values names `{}`, which is not a field of the row's interface", name.get_ref()),
                    suggest(name.get_ref(), &known),
                );
                continue;
            };
            let FieldType::Enum(id) = field.ty else {
                self.err_at(
                    file,
                    name.span(),
                    format!("values restricts `{}`, which is not an enum field", field.wire),
                    "restrict the values of an enum-typed field; other fields take rules such as max_len",
                );
                continue;
            };
            if field.concept.is_some_and(|c| {
                matches!(c, Concept::PayType | Concept::Wallet | Concept::PayScene | Concept::Lang | Concept::Service)
            }) {
                self.err_at(
                    file,
                    name.span(),
                    format!("`{}` is one of the row's own columns", field.wire),
                    "use the row's `pay_type`, `wallets`, `pay_scenes` or `langs` key",
                );
                continue;
            }
            let known = self.wires(id);
            let mut kept = Vec::new();
            for v in values {
                if known.contains(v.get_ref()) {
                    kept.push(v.get_ref().clone());
                } else {
                    let help = suggest(v.get_ref(), &known);
                    self.err(file, v, format!("`{}` is not a value of `{}`", v.get_ref(), field.wire), help);
                }
            }
            if values.is_empty() {
                self.err_at(
                    file,
                    name.span(),
                    format!("values lists no value of `{}`", field.wire),
                    "list the values the row takes, or use `fixed` / the interface's `forbidden_with` for a field it does not take",
                );
                continue;
            }
            out.push((field.wire.clone(), kept));
        }
        out
    }

    /// Rows of an interface without a `service` field are told apart by their payType.
    fn rows_can_be_told_apart(&mut self, docs: &[(usize, Document)]) {
        for (index, service) in self.spec.services.iter().enumerate() {
            let Some(interface) = self.spec.interfaces.get(service.interface) else { continue };
            if interface.has_service_field() {
                continue;
            }
            let clash = self
                .spec
                .services
                .iter()
                .take(index)
                .find(|other| other.interface == service.interface && other.pay_type == service.pay_type)
                .map(|other| other.wire.clone());
            let Some(clash) = clash else { continue };
            let place = docs.iter().find_map(|(file, doc)| {
                doc.service.iter().find(|d| *d.name.get_ref() == service.wire).map(|d| (*file, d.name.span()))
            });
            if let Some((file, span)) = place {
                self.diags.error(
                    file,
                    span,
                    format!(
                        "rows `{clash}` and `{}` of `{}` cannot be told apart: the interface sends no `service`, and they have the same payType",
                        service.wire, interface.name
                    ),
                    "give each row of such an interface its own `pay_type` (one row may have none)",
                );
            }
        }
    }
}
