//! Whether an accepted reply is about what was asked. A signature proves eftPay wrote a reply,
//! not that it answers this request: a genuine reply about another order, another refund or
//! another merchant's key, played back, verifies just as well. So every value that identifies
//! what a request is about (the concepts for which [`Concept::identifies`] holds) must come
//! back unchanged wherever the reply carries a field of that concept.
//!
//! Both sides are read through the generated concept tables, whatever a field is called in a
//! scene (`out_refund_no` in a refund reply, `refund_no` in a query).

use super::ClientError;
use crate::message::{Envelope, FieldSink, IncomingMessage, OutgoingMessage};
use crate::received::ReceivedFields;
use crate::rules::Concept;

/// How many characters of a value an error quotes: eftPay's identifying fields are at most 28
/// characters; anything longer is not one of them and is cut.
const QUOTED_CHARS: usize = 40;

/// The identifying values a request carried, as sent.
#[derive(Debug)]
pub(super) struct Asked {
    values: Vec<(Concept, String)>,
}

impl Asked {
    /// The identifying values `request` sends with `envelope`: exactly the texts its signed
    /// body carries, empty ones left out as the body leaves them out.
    pub(super) fn of<R: OutgoingMessage + ?Sized>(request: &R, envelope: &Envelope<'_>) -> Asked {
        let mut sink = Collector { table: R::CONCEPT_FIELDS, values: Vec::new() };
        request.write_fields(envelope, &mut sink);
        Asked { values: sink.values }
    }

    /// Refuses a reply that carries, for a concept the request identified by, a value other
    /// than the request's.
    ///
    /// # Errors
    /// [`ClientError::Mismatch`] naming the first reply field that disagrees.
    pub(super) fn check<T: IncomingMessage>(&self, reply: &ReceivedFields) -> Result<(), ClientError> {
        for (concept, asked) in &self.values {
            for &(_, field) in T::CONCEPT_FIELDS.iter().filter(|(c, _)| c == concept) {
                match reply.text(field) {
                    Some(answered) if answered != asked => {
                        return Err(ClientError::Mismatch {
                            message: T::MESSAGE,
                            field,
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

/// Keeps the identifying fields' texts out of a request's field walk.
struct Collector {
    table: &'static [(Concept, &'static str)],
    values: Vec<(Concept, String)>,
}

impl FieldSink for Collector {
    fn text(&mut self, name: &'static str, value: &str) {
        if value.is_empty() {
            return;
        }
        let concept = self.table.iter().find(|(concept, field)| *field == name && concept.identifies());
        if let Some(&(concept, _)) = concept {
            self.values.push((concept, value.to_owned()));
        }
    }

    /// Identifying values are text; a nested value never identifies anything.
    fn json(&mut self, _name: &'static str, _compact_json: &str) {}
}

/// A value for an error: at most [`QUOTED_CHARS`] characters, `…` when cut. The error quotes
/// it with `{:?}`, which escapes line breaks, so the message stays one line.
fn quoted(value: &str) -> String {
    let mut cut: String = value.chars().take(QUOTED_CHARS).collect();
    if cut.len() < value.len() {
        cut.push('…');
    }
    cut
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
