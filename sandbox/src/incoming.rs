//! A request as the gateway reads it: its interface, and its values by concept — whatever the
//! scene calls the field (`payType` or `paytype`, `out_refund_no` or `refund_no`).

use std::collections::{BTreeMap, HashMap};

use eftpay::catalog::{Catalog, InterfaceInfo, ServiceInfo};
use eftpay::rules::{Concept, Meaning};
use eftpay::signing::SIGN_FIELD;
use eftpay::{Amount, ReceivedFields};

use crate::codes::Refusal;

/// A received request of a known interface (already verified and validated).
#[derive(Clone, Copy, Debug)]
pub struct Incoming<'a> {
    /// Its interface.
    pub interface: &'static InterfaceInfo,
    /// Its fields as received.
    pub fields: &'a ReceivedFields,
}

impl<'a> Incoming<'a> {
    /// The text of the first field standing for `concept` that carries any.
    pub fn text(&self, concept: Concept) -> Option<&'a str> {
        self.interface.fields_for(concept).find_map(|field| self.fields.text(field.wire))
    }

    /// An amount standing for `concept`, if sent.
    ///
    /// # Errors
    /// Text that is not an amount (the validators refuse it first; this is their backstop).
    pub fn amount(&self, concept: Concept) -> Result<Option<Amount>, Refusal> {
        let Some(field) = self.interface.fields_for(concept).find(|f| self.fields.text(f.wire).is_some()) else {
            return Ok(None);
        };
        self.fields.amount(field.wire).map_err(|e| Refusal::new(Meaning::InvalidField, e.to_string()))
    }

    /// The value eftPay uses for `concept` on an order of `row`: the row's fixed value (sent or
    /// not), else the value sent, else the row's or the field's default.
    pub fn effective(&self, row: &ServiceInfo, concept: Concept) -> Option<String> {
        let field = self.interface.field_for(concept)?;
        let fixed = row.fixed.iter().find(|(wire, _)| *wire == field.wire).map(|(_, v)| (*v).to_owned());
        fixed
            .or_else(|| self.fields.text(field.wire).map(str::to_owned))
            .or_else(|| row.effective_default(self.interface, field.wire).map(str::to_owned))
    }

    /// The fields whose values the notifications of this request's scenes send back (marked
    /// `echo` there; docs/protocol.md §13), by wire name, as sent; `echoes` holds their names.
    pub fn echoed(&self, echoes: &Echoes) -> BTreeMap<String, String> {
        echoes
            .of(self.interface)
            .iter()
            .filter_map(|wire| self.fields.text(wire).map(|value| ((*wire).to_owned(), value.to_owned())))
            .collect()
    }

    /// The signed fields without the time and the signature: what stays the same when the same
    /// request is sent again, so a retry is recognized and a conflicting reuse refused.
    pub fn fingerprint(&self) -> String {
        let envelope = |name: &str| {
            self.interface
                .field(name)
                .and_then(|f| f.concept)
                .is_some_and(|c| matches!(c, Concept::Time | Concept::Sign))
        };
        // The signed text of the fields kept (docs/protocol.md §2: empties and the signature
        // left out, byte order of name, `name=value` joined by `&`), written straight from the
        // received fields. It is stored with each order, so it must stay exactly what the
        // SDK's canonical string of those fields is (tested below).
        let mut kept: Vec<(&str, &str)> = self
            .fields
            .iter()
            .filter(|(name, _)| *name != SIGN_FIELD && !envelope(name))
            .filter_map(|(name, value)| Some((name, value.signing_text()?)))
            .collect();
        kept.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        let mut text = String::with_capacity(kept.iter().map(|(name, value)| name.len() + value.len() + 2).sum());
        for (name, value) in kept {
            if !text.is_empty() {
                text.push('&');
            }
            text.push_str(name);
            text.push('=');
            text.push_str(value);
        }
        text
    }
}

/// The wire names of the fields marked `echo` (docs/protocol.md §13) in the interfaces of each
/// request interface's scenes, found once when the sandbox starts: finding them walks the
/// scenes and looks each of their interfaces up by name, which every order placed paid for.
#[derive(Debug, Default)]
pub struct Echoes {
    by_interface: HashMap<&'static str, Vec<&'static str>>,
}

impl Echoes {
    /// The echoed fields of every interface of `catalog`.
    pub fn of_catalog(catalog: &Catalog) -> Echoes {
        let by_interface = catalog
            .interfaces
            .iter()
            .map(|interface| {
                let mut wires: Vec<&'static str> = catalog
                    .scenes_of(interface.name)
                    .flat_map(|scene| scene.interfaces.iter())
                    .filter_map(|name| catalog.interface(name))
                    .flat_map(|interface| interface.fields.iter())
                    .filter(|field| field.echo)
                    .map(|field| field.wire)
                    .collect();
                wires.sort_unstable();
                wires.dedup();
                (interface.name, wires)
            })
            .collect();
        Echoes { by_interface }
    }

    /// The echoed fields of `interface`'s scenes.
    pub fn of(&self, interface: &InterfaceInfo) -> &[&'static str] {
        self.by_interface.get(interface.name).map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use eftpay::CATALOG;

    use super::*;

    /// The fingerprint as it was first written (through the SDK's canonical string), which the
    /// fingerprints stored in data files were made with.
    fn through_canonical_string(request: &Incoming<'_>) -> String {
        let envelope = |name: &str| {
            request
                .interface
                .field(name)
                .and_then(|f| f.concept)
                .is_some_and(|c| matches!(c, Concept::Time | Concept::Sign))
        };
        let kept = request.fields.iter().filter(|(n, _)| !envelope(n)).map(|(n, v)| (n.to_owned(), v.to_string()));
        ReceivedFields::from_pairs(kept).map(|f| eftpay::signing::canonical_string(&f)).unwrap_or_default()
    }

    #[test]
    fn the_fingerprint_is_the_canonical_string_of_the_fields_kept() {
        let mut count = 0;
        for interface in CATALOG.interfaces.iter().filter(|i| i.request_checker().is_some()) {
            // Every field of the table with a value, the envelope too, in reverse byte order so
            // that sorting matters; plus an empty one, a null, a number, a nested value, an
            // unknown field and a `sign` the table does not list.
            let mut body = serde_json::Map::new();
            for (index, field) in interface.fields.iter().rev().enumerate() {
                body.insert(field.wire.to_owned(), serde_json::Value::String(format!("v{index}")));
            }
            body.insert("zz_empty".into(), serde_json::Value::String(String::new()));
            body.insert("zz_null".into(), serde_json::Value::Null);
            body.insert("zz_number".into(), serde_json::json!(0.50));
            body.insert("zz_nested".into(), serde_json::json!([{"b": 1, "a": "x"}]));
            body.insert("Zz_unknown".into(), serde_json::Value::Bool(true));
            body.insert(SIGN_FIELD.into(), serde_json::Value::String("abc".into()));
            let fields = ReceivedFields::from_json(&serde_json::Value::Object(body).to_string()).unwrap();
            let request = Incoming { interface, fields: &fields };
            let fingerprint = request.fingerprint();
            assert_eq!(fingerprint, through_canonical_string(&request), "{}", interface.name);
            assert!(fingerprint.contains("zz_nested=") && !fingerprint.contains("zz_empty"), "{fingerprint}");
            count += 1;
        }
        assert!(count > 0);
    }
}
