//! A request as the gateway reads it: its interface, and its values by concept — whatever the
//! scene calls the field (`payType` or `paytype`, `out_refund_no` or `refund_no`).

use std::collections::BTreeMap;

use eftpay::catalog::{Catalog, InterfaceInfo, ServiceInfo};
use eftpay::rules::{Concept, Meaning};
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
    /// `echo` there; docs/protocol.md §13), by wire name, as sent.
    pub fn echoed(&self, catalog: &Catalog) -> BTreeMap<String, String> {
        catalog
            .scenes_of(self.interface.name)
            .flat_map(|scene| scene.interfaces.iter())
            .filter_map(|name| catalog.interface(name))
            .flat_map(|interface| interface.fields.iter())
            .filter(|field| field.echo)
            .filter_map(|field| self.fields.text(field.wire).map(|value| (field.wire.to_owned(), value.to_owned())))
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
        let kept = self.fields.iter().filter(|(n, _)| !envelope(n)).map(|(n, v)| (n.to_owned(), v.to_string()));
        ReceivedFields::from_pairs(kept).map(|f| eftpay::signing::canonical_string(&f)).unwrap_or_default()
    }
}
