//! `[interface]`: one message exchange per file — what it is for, where it goes, how it is
//! encoded, its field tables, and the interfaces it leads to (the notification a request
//! starts, the acknowledgement answering a notification, the synchronous return).

use super::Resolver;
use super::fields::{Reading, Sources, Table, row_at};
use crate::keywords::{ENCODINGS, PURPOSES, RETRY};
use crate::model::{Concept, Encoding, Interface, Purpose, RetryPolicy};
use crate::names;
use crate::schema::{Document, InterfaceDef, Text};
use crate::suggest::suggest;

impl Resolver<'_> {
    pub(super) fn interfaces(&mut self, docs: &[(usize, Document)]) {
        let sources = Sources::new(self, docs);
        let mut resolved: Vec<(usize, &InterfaceDef)> = Vec::new();
        for (file, doc) in docs {
            let file = *file;
            let Some(def) = &doc.interface else {
                if let Some(first) = doc.field.iter().chain(&doc.response).next() {
                    self.err_at(
                        file,
                        row_at(first),
                        "[[field]] / [[response]] tables outside an interface file",
                        "add an [interface] table to this file, or move the fields into the interface file they belong to",
                    );
                }
                continue;
            };
            let def = def.get_ref();
            let name = def.name.get_ref().clone();
            if !names::is_snake_name(&name) {
                self.err(
                    file,
                    &def.name,
                    format!("interface name `{name}` is not a snake_case name"),
                    "use lowercase letters, digits and `_`, starting with a letter, e.g. `qrcode_close`",
                );
                self.refused(format!("interface {name}"));
                continue;
            }
            if self.spec.interfaces.iter().any(|i| i.name == name) {
                self.err(
                    file,
                    &def.name,
                    format!("interface `{name}` is declared twice"),
                    "give each interface file its own `name`",
                );
                continue;
            }
            // An interface refused here is left out of the model; the service rows, scenes and
            // interfaces naming it stay quiet rather than echo the error as "unknown interface".
            let Some(rust) = self.rust_name(file, &def.name, def.rust.as_ref(), names::upper_camel(&name)) else {
                self.refused(format!("interface {name}"));
                continue;
            };
            let owner = format!("interface `{name}`");
            let Some(purpose) = self.required_keyword(&PURPOSES, file, def.purpose.as_ref(), &owner, def.name.span())
            else {
                self.refused(format!("interface {name}"));
                continue;
            };
            let type_names: Vec<String> = if purpose.is_request() {
                vec![format!("{rust}Request"), format!("{rust}Response"), format!("{rust}Builder")]
            } else {
                vec![rust.clone()]
            };
            if !type_names.iter().all(|t| self.claim_type(file, &def.name, t, &format!("interface `{name}`"))) {
                self.refused(format!("interface {name}"));
                continue;
            }
            let encoding = self
                .required_keyword(&ENCODINGS, file, def.encoding.as_ref(), &owner, def.name.span())
                .unwrap_or(Encoding::Json);
            let endpoint = self.endpoint(file, def, &name, purpose);
            let retry = match &def.retry {
                None => RetryPolicy::Never,
                Some(r) => {
                    let safe = self.keyword(&RETRY, file, r) == Some(RetryPolicy::Safe);
                    if safe && purpose != Purpose::Query {
                        self.err(
                            file,
                            r,
                            format!("`{name}` is a {} request, which changes something at eftPay", purpose.name()),
                            "write `retry = \"never\"`: only requests that change nothing (query) may be retried",
                        );
                    }
                    if safe && purpose == Purpose::Query { RetryPolicy::Safe } else { RetryPolicy::Never }
                }
            };
            let entries = self.entries(&sources, &name, Table::Fields, &mut Vec::new());
            let reading = if purpose.is_outgoing() { Reading::Outgoing } else { Reading::Lenient };
            let fields = self.fields(&name, Table::Fields.label(), &entries, reading);
            if fields.len() < entries.len() {
                self.tainted.insert(name.clone());
            }
            let response = if purpose.is_request() {
                let entries = self.entries(&sources, &name, Table::Response, &mut Vec::new());
                self.fields(&name, Table::Response.label(), &entries, Reading::Reply)
            } else {
                if let Some(first) = doc.response.first() {
                    self.err_at(
                        file,
                        row_at(first),
                        format!("[[response]] in `{name}`, which is a {} and gets no response", purpose.name()),
                        "remove the [[response]] tables",
                    );
                }
                Vec::new()
            };
            if purpose.is_outgoing() {
                for (concept, word) in [(Concept::Time, "time"), (Concept::Sign, "sign")] {
                    if !fields.iter().any(|f| f.concept == Some(concept)) {
                        self.err(
                            file,
                            &def.name,
                            format!("`{name}` is signed by the merchant but has no field with concept `{word}`"),
                            format!("add the `{word}` row (concept = \"{word}\") the client fills in"),
                        );
                    }
                }
            }
            let at_least_one_of = self.at_least_one_of(file, def, &name, &fields);
            let recognize = self.recognize(file, &name, purpose, def, &fields);
            self.spec.interfaces.push(Interface {
                name,
                rust,
                purpose,
                endpoint,
                retry,
                encoding,
                reply: None,
                notification: None,
                sync_return: None,
                doc: def.doc.get_ref().clone(),
                at_least_one_of,
                fields,
                response,
                recognize,
            });
            resolved.push((file, def));
        }
        for (index, (file, def)) in resolved.iter().enumerate() {
            let purpose = self.spec.interfaces.get(index).map(|i| i.purpose);
            let Some(purpose) = purpose else { continue };
            let reply = self.relation(
                *file,
                def.reply.as_ref(),
                purpose.is_notification(),
                "reply",
                &[Purpose::Acknowledgement],
                "notifications",
            );
            let wanted = match purpose {
                Purpose::PlaceOrder => &[Purpose::PaymentNotification][..],
                Purpose::Refund | Purpose::ApplyRefund => &[Purpose::RefundNotification][..],
                _ => &[][..],
            };
            let notification = self.relation(
                *file,
                def.notification.as_ref(),
                !wanted.is_empty(),
                "notification",
                wanted,
                "place-order and refund requests",
            );
            let sync_return = self.relation(
                *file,
                def.sync_return.as_ref(),
                purpose == Purpose::PlaceOrder,
                "sync_return",
                &[Purpose::SyncReturn],
                "place-order requests",
            );
            if let Some(interface) = self.spec.interfaces.get_mut(index) {
                interface.reply = reply;
                interface.notification = notification;
                interface.sync_return = sync_return;
            }
        }
    }

    fn endpoint(&mut self, file: usize, def: &InterfaceDef, name: &str, purpose: Purpose) -> Option<String> {
        match &def.endpoint {
            None if purpose.is_request() => {
                self.err(
                    file,
                    &def.name,
                    format!("request interface `{name}` has no `endpoint`"),
                    "add `endpoint = \"/Servlet/<Name>.do\"` (the path after the base URL)",
                );
                None
            }
            None => None,
            Some(e) if !purpose.is_request() => {
                self.err(
                    file,
                    e,
                    format!("`{name}` is a {}, which is not sent to an endpoint", purpose.name()),
                    "remove `endpoint`",
                );
                None
            }
            Some(e) if !e.get_ref().starts_with('/') => {
                self.err(
                    file,
                    e,
                    "an endpoint is a path after the base URL and starts with `/`",
                    "write e.g. `/Servlet/JSAPIService.do`",
                );
                None
            }
            Some(e) => Some(e.get_ref().clone()),
        }
    }

    fn at_least_one_of(
        &mut self,
        file: usize,
        def: &InterfaceDef,
        name: &str,
        fields: &[crate::model::Field],
    ) -> Vec<Vec<usize>> {
        let mut groups = Vec::new();
        for group in &def.at_least_one_of {
            let mut members = Vec::new();
            for member in group {
                match fields.iter().position(|f| f.wire == *member.get_ref()) {
                    Some(i) if fields.get(i).is_some_and(|f| !f.is_mandatory()) => members.push(i),
                    Some(_) => self.err(
                        file,
                        member,
                        format!(
                            "`{}` is required anyway, so an at-least-one-of group with it means nothing",
                            member.get_ref()
                        ),
                        "remove it from the group",
                    ),
                    None => self.err(
                        file,
                        member,
                        format!("at_least_one_of names `{}`, which is not a field of `{name}`", member.get_ref()),
                        "name fields of this interface's [[field]] table",
                    ),
                }
            }
            if members.len() >= 2 {
                groups.push(members);
            }
        }
        groups
    }

    /// A named relation to another interface, which must have one of `purposes`; `allowed`
    /// says whether this interface may have the relation at all.
    fn relation(
        &mut self,
        file: usize,
        at: Option<&Text>,
        allowed: bool,
        key: &str,
        purposes: &[Purpose],
        who: &str,
    ) -> Option<usize> {
        let at = at?;
        if !allowed {
            self.err(file, at, format!("`{key}` only applies to {who}"), format!("remove `{key}`"));
            return None;
        }
        let found = self.spec.interfaces.iter().position(|i| i.name == *at.get_ref());
        match found {
            Some(i) if self.spec.interfaces.get(i).is_some_and(|i| purposes.contains(&i.purpose)) => Some(i),
            _ => {
                let known: Vec<String> = self
                    .spec
                    .interfaces
                    .iter()
                    .filter(|i| purposes.contains(&i.purpose))
                    .map(|i| i.name.clone())
                    .collect();
                let words = purposes.iter().map(|p| p.name()).collect::<Vec<_>>().join(" or ");
                let message = format!("{key} `{}` is not an interface with purpose {words}", at.get_ref());
                let help = if known.is_empty() {
                    format!("declare an interface with purpose {words}, or remove `{key}`")
                } else {
                    suggest(at.get_ref(), &known)
                };
                self.err(file, at, message, help);
                None
            }
        }
    }
}
