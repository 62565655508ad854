//! Whether an accepted reply is about what was asked. A signature proves eftPay wrote a reply,
//! not that it answers this request: a genuine reply about another order, another refund or
//! another merchant's key, or a reply of another interface, played back, verifies just as well.
//! So an accepted reply must, checked in this order (`docs/protocol.md` §1):
//!
//! 1. carry, for every concept that identifies what the request is about (the concepts for which
//!    [`Concept::identifies`] holds) and that the request sent, the request's value, wherever its
//!    table has a field of that concept — absent is refused like different;
//! 2. carry every field its reply table marks `required`;
//! 3. carry the request's amount, for every amount concept the request sent, in each field of
//!    that concept it carries (compared as amounts: `"100"` is `"100.00"`).
//!
//! A reply of another interface fails one of these (a query's reply has no pay link, a place
//! order's no trade state), and is refused naming the field. Everything else stays lenient:
//! unknown fields are kept, optional ones may be missing.
//!
//! Both sides are read through the interface's field tables (each field's concept), whatever a
//! field is called in a scene (`out_refund_no` in a refund reply, `refund_no` in a query), and
//! whether the request was typed or given by name.

use super::ClientError;
use super::error::shortened;
use crate::Amount;
use crate::catalog::{FieldInfo, InterfaceInfo};
use crate::received::ReceivedFields;
use crate::rules::Concept;
use crate::wire::OutgoingFields;

/// How many characters of a value an error quotes: eftPay's identifying fields are at most 28
/// characters; anything longer is not one of them and is cut.
const QUOTED_CHARS: usize = 40;

/// The identifying values and amounts a request carried, as sent.
#[derive(Debug)]
pub(super) struct Asked {
    values: Vec<(Concept, String)>,
    amounts: Vec<(Concept, String)>,
}

/// Whether a concept is an amount the reply must repeat unchanged.
fn is_amount(concept: Concept) -> bool {
    matches!(concept, Concept::Amount | Concept::RefundAmount | Concept::TradeAmount)
}

impl Asked {
    /// The identifying values and amounts among the fields a request of `interface` sends:
    /// exactly the texts its signed body carries (empty ones are not sent, so not compared).
    pub(super) fn of(interface: &InterfaceInfo, sent: &OutgoingFields) -> Asked {
        let mut asked = Asked { values: Vec::new(), amounts: Vec::new() };
        for field in sent.iter().filter(|field| !field.nested) {
            let Some(concept) = interface.field(field.name).and_then(|info| info.concept) else { continue };
            if concept.identifies() {
                asked.values.push((concept, field.value.to_owned()));
            } else if is_amount(concept) {
                asked.amounts.push((concept, field.value.to_owned()));
            }
        }
        asked
    }

    /// Refuses an accepted reply that lacks or changes a value the request identified itself by,
    /// lacks a field its table requires, or states another amount than the request's.
    ///
    /// # Errors
    /// [`ClientError::Mismatch`] naming the first reply field that disagrees, or
    /// [`ClientError::Incomplete`] naming the first field missing.
    pub(super) fn check(&self, interface: &'static InterfaceInfo, reply: &ReceivedFields) -> Result<(), ClientError> {
        let missing = |field: &'static FieldInfo, why: &'static str| ClientError::Incomplete {
            interface: interface.name,
            field: field.wire,
            why,
        };
        for (concept, asked) in &self.values {
            let mut table = interface.response.iter().filter(|field| field.concept == Some(*concept)).peekable();
            let Some(first) = table.peek().copied() else { continue };
            let mut carried = false;
            for field in table {
                match reply.text(field.wire) {
                    Some(answered) if answered != asked => return Err(mismatch(interface, field, asked, answered)),
                    Some(_) => carried = true,
                    None => {}
                }
            }
            if !carried {
                return Err(missing(first, "the request sent it, and a reply names what it answers"));
            }
        }
        if let Some(field) = interface.response.iter().find(|field| field.required && reply.text(field.wire).is_none())
        {
            return Err(missing(field, "its reply table requires it"));
        }
        for (concept, asked) in &self.amounts {
            let Ok(expected) = Amount::parse(asked) else { continue };
            for field in interface.response.iter().filter(|field| field.concept == Some(*concept)) {
                let Some(answered) = reply.text(field.wire) else { continue };
                if Amount::parse(answered).ok() != Some(expected) {
                    return Err(mismatch(interface, field, asked, answered));
                }
            }
        }
        Ok(())
    }
}

fn mismatch(interface: &'static InterfaceInfo, field: &'static FieldInfo, asked: &str, answered: &str) -> ClientError {
    ClientError::Mismatch {
        interface: interface.name,
        field: field.wire,
        asked: quoted(asked),
        answered: quoted(answered),
    }
}

/// A value for an error: at most [`QUOTED_CHARS`] characters, `…` when cut. The error quotes
/// it with `{:?}`, which escapes line breaks, so the message stays one line.
pub(super) fn quoted(value: &str) -> String {
    shortened(value, QUOTED_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_cut() {
        assert_eq!(quoted("rrn_1"), "rrn_1");
        let long = "x".repeat(QUOTED_CHARS + 10);
        assert_eq!(quoted(&long).chars().count(), QUOTED_CHARS + 1);
    }
}
