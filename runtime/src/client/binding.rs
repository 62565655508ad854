//! Whether an accepted reply is about what was asked. A signature proves eftPay wrote a reply,
//! not that it answers this request: a genuine reply about another order, another refund or
//! another merchant's key, played back, verifies just as well. So every value that identifies
//! what a request is about (the concepts for which [`Concept::identifies`] holds) must come
//! back unchanged wherever the reply carries a field of that concept.
//!
//! Both sides are read through the interface's field tables (each field's concept), whatever a
//! field is called in a scene (`out_refund_no` in a refund reply, `refund_no` in a query), and
//! whether the request was typed or given by name.

use super::ClientError;
use super::error::shortened;
use crate::catalog::InterfaceInfo;
use crate::received::ReceivedFields;
use crate::rules::Concept;
use crate::wire::OutgoingFields;

/// How many characters of a value an error quotes: eftPay's identifying fields are at most 28
/// characters; anything longer is not one of them and is cut.
const QUOTED_CHARS: usize = 40;

/// The identifying values a request carried, as sent.
#[derive(Debug)]
pub(super) struct Asked {
    values: Vec<(Concept, String)>,
}

impl Asked {
    /// The identifying values among the fields a request of `interface` sends: exactly the
    /// texts its signed body carries (empty ones are not sent, so not compared).
    pub(super) fn of(interface: &InterfaceInfo, sent: &OutgoingFields) -> Asked {
        let values = sent
            .iter()
            .filter(|field| !field.nested)
            .filter_map(|field| {
                let concept = interface.field(field.name)?.concept.filter(|concept| concept.identifies())?;
                Some((concept, field.value.to_owned()))
            })
            .collect();
        Asked { values }
    }

    /// Refuses a reply that carries, for a concept the request identified by, a value other
    /// than the request's.
    ///
    /// # Errors
    /// [`ClientError::Mismatch`] naming the first reply field that disagrees.
    pub(super) fn check(&self, interface: &'static InterfaceInfo, reply: &ReceivedFields) -> Result<(), ClientError> {
        for (concept, asked) in &self.values {
            for field in interface.response.iter().filter(|field| field.concept == Some(*concept)) {
                match reply.text(field.wire) {
                    Some(answered) if answered != asked => {
                        return Err(ClientError::Mismatch {
                            interface: interface.name,
                            field: field.wire,
                            asked: quoted(asked),
                            answered: quoted(answered),
                        });
                    }
                    _ => {}
                }
            }
        }
        Ok(())
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
