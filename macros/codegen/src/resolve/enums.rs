//! `[[enum]]`, `[[pay_type]]` and `[[service_flag]]`: the value sets, payType → wallet, and
//! the per-service rule flags. `PayType` and `Wallet` are built here from the payType table;
//! `Service` is reserved here and filled from the service rows.

use super::Resolver;
use crate::keywords::MEANINGS;
use crate::model::{Enum, EnumValue, Flag};
use crate::names;
use crate::schema::{self, Document};

impl Resolver<'_> {
    /// The values of one value set (or one payType's wallets), each checked.
    fn values(&mut self, file: usize, owner: &str, defs: &[schema::ValueDef]) -> Vec<EnumValue> {
        let mut values: Vec<EnumValue> = Vec::new();
        for def in defs {
            let wire = def.wire.get_ref();
            if wire.is_empty() {
                self.err(file, &def.wire, format!("{owner} has an empty value"), "give the value's wire text");
                continue;
            }
            if values.iter().any(|v| v.wire == *wire) {
                self.err(file, &def.wire, format!("{owner} lists `{wire}` twice"), "remove the duplicate");
                continue;
            }
            let Some(rust) = self.rust_name(file, &def.wire, def.rust.as_ref(), names::upper_camel(wire)) else {
                continue;
            };
            // Where the Rust name comes from: an explicit `rust = ...`, or the wire text.
            let rust_at = def.rust.as_ref().unwrap_or(&def.wire);
            if rust == "Unknown" {
                self.err(
                    file,
                    rust_at,
                    format!("{owner}: the variant name `Unknown` is reserved for values the SDK does not know"),
                    "set `rust = \"...\"` to another name",
                );
                continue;
            }
            if let Some(other) = values.iter().find(|v| v.rust == rust) {
                let message = format!("{owner}: `{}` and `{wire}` both become the Rust variant `{rust}`", other.wire);
                self.err(file, rust_at, message, "set `rust = \"...\"` on one of them");
                continue;
            }
            let meaning = match &def.means {
                None => None,
                Some(m) => match self.keyword(&MEANINGS, file, m) {
                    Some(meaning) if values.iter().any(|v| v.meaning == Some(meaning)) => {
                        self.err(
                            file,
                            m,
                            format!("{owner}: two values mean `{}`", m.get_ref()),
                            "a meaning belongs to one value of a value set; remove one",
                        );
                        None
                    }
                    other => other,
                },
            };
            values.push(EnumValue {
                wire: wire.clone(),
                rust,
                doc: def.doc.get_ref().clone(),
                meaning,
                sandbox_only: def.sandbox,
            });
        }
        values
    }

    pub(super) fn enums(&mut self, docs: &[(usize, Document)]) {
        for (file, doc) in docs {
            for def in &doc.enums {
                let rust = def.name.get_ref().clone();
                if !names::is_identifier(&rust) {
                    self.err(
                        *file,
                        &def.name,
                        format!("enum name `{rust}` is not a Rust type name"),
                        "use UpperCamelCase letters and digits, e.g. `PayScene`",
                    );
                    self.refused(format!("enum {rust}"));
                    continue;
                }
                if !self.claim_type(*file, &def.name, &rust, &format!("enum `{rust}`")) {
                    continue;
                }
                let values = self.values(*file, &format!("enum `{rust}`"), &def.values);
                self.spec.enums.push(Enum { rust, doc: def.doc.get_ref().clone(), values });
            }
        }
        self.spec.builtin.pay_scene = self.spec.enums.iter().position(|e| e.rust == "PayScene");
        self.spec.builtin.lang = self.spec.enums.iter().position(|e| e.rust == "Lang");
    }

    /// `PayType` and `Wallet` from the payType table, and the `Service` value set (filled by
    /// the service rows).
    pub(super) fn pay_types(&mut self, docs: &[(usize, Document)]) {
        let mut pay_types: Vec<EnumValue> = Vec::new();
        let mut wallets: Vec<EnumValue> = Vec::new();
        let mut owners = Vec::new();
        for (file, doc) in docs {
            for def in &doc.pay_type {
                let wire = def.wire.get_ref();
                if pay_types.iter().any(|p| p.wire == *wire) {
                    self.err(
                        *file,
                        &def.wire,
                        format!("payType `{wire}` is declared twice"),
                        "merge the two [[pay_type]] tables",
                    );
                    continue;
                }
                let Some(rust) = self.rust_name(*file, &def.wire, def.rust.as_ref(), names::upper_camel(wire)) else {
                    continue;
                };
                if pay_types.iter().any(|p| p.rust == rust) || rust == "Unknown" {
                    self.err(
                        *file,
                        &def.wire,
                        format!("payType `{wire}` becomes the Rust variant `{rust}`, which is taken"),
                        "set `rust = \"...\"`",
                    );
                    continue;
                }
                let pay_type = pay_types.len();
                pay_types.push(EnumValue {
                    wire: wire.clone(),
                    rust,
                    doc: def.doc.get_ref().clone(),
                    meaning: None,
                    sandbox_only: false,
                });
                let owner = format!("payType `{wire}`");
                for wallet in self.values(*file, &owner, &def.wallets) {
                    let Some(at) = def.wallets.iter().find(|w| *w.wire.get_ref() == wallet.wire) else { continue };
                    if let Some(other) = wallets.iter().position(|w| w.wire == wallet.wire) {
                        let taken_by =
                            owners.get(other).and_then(|p: &usize| pay_types.get(*p)).map(|p| p.wire.clone());
                        self.err(
                            *file,
                            &at.wire,
                            format!(
                                "wallet `{}` already belongs to payType `{}`",
                                wallet.wire,
                                taken_by.unwrap_or_default()
                            ),
                            "a wallet belongs to exactly one payType; remove one of them",
                        );
                        continue;
                    }
                    if wallets.iter().any(|w| w.rust == wallet.rust) {
                        self.err(
                            *file,
                            at.rust.as_ref().unwrap_or(&at.wire),
                            format!(
                                "wallet `{}` becomes the Rust variant `{}`, which another wallet has",
                                wallet.wire, wallet.rust
                            ),
                            "set `rust = \"...\"` on one of them",
                        );
                        continue;
                    }
                    wallets.push(wallet);
                    owners.push(pay_type);
                }
            }
        }
        self.spec.builtin.pay_type = self.spec.enums.len();
        self.spec.enums.push(Enum {
            rust: "PayType".into(),
            doc: "Payment type (`payType`), from the spec's payType → wallet table.".into(),
            values: pay_types,
        });
        self.spec.builtin.wallet = self.spec.enums.len();
        self.spec.enums.push(Enum {
            rust: "Wallet".into(),
            doc: "Wallet; each belongs to one payType (see [`Wallet::pay_type`]).".into(),
            values: wallets,
        });
        self.spec.wallet_pay_type = owners;
        self.spec.builtin.service = self.spec.enums.len();
        self.spec.enums.push(Enum {
            rust: "Service".into(),
            doc: "A row of the service tables: the `service` value sent, or — for interfaces without a \
                  `service` field — the row's name in the spec; see [`Service::info`]."
                .into(),
            values: Vec::new(),
        });
    }

    pub(super) fn flags(&mut self, docs: &[(usize, Document)]) {
        for (file, doc) in docs {
            for def in &doc.service_flag {
                let name = def.name.get_ref();
                if self.spec.flags.iter().any(|f| f.name == *name) {
                    self.err(
                        *file,
                        &def.name,
                        format!("service flag `{name}` is declared twice"),
                        "remove the duplicate [[service_flag]]",
                    );
                    continue;
                }
                // Flags are referred to by name from fields and rows; like every other spec
                // name they are snake_case (a flag has no `rust` key to rename it by).
                if !names::is_snake_name(name) {
                    self.err(
                        *file,
                        &def.name,
                        format!("service flag name `{name}` is not a snake_case name"),
                        "use lowercase letters, digits and `_`, starting with a letter, e.g. `no_refund`",
                    );
                    self.refused(format!("flag {name}"));
                    continue;
                }
                self.spec.flags.push(Flag { name: name.clone(), doc: def.doc.get_ref().clone() });
            }
        }
    }
}
