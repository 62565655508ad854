//! Requests given as fields by name (the CLI's `--field name=value`) rather than as a typed
//! request: each name is looked up in the interface's field table, the whole is validated by
//! the interface's own generated validator, and what the client fills in — the fields of the
//! envelope (user key, time), fixed fields with their fixed value, the signature — is added the
//! same way for every interface, so a request given by name is sent exactly like a typed one.

use super::ClientError;
use super::binding::quoted;
use crate::catalog::{Catalog, FieldInfo, FieldRefusal, InterfaceInfo};
use crate::message::Envelope;
use crate::received::{ReceivedFields, compact_nested};
use crate::rules::{Concept, FieldKind};
use crate::validation;
use crate::wire::{OutgoingField, OutgoingFields};

/// The caller's fields of one request, checked against its interface; the envelope is added
/// per attempt.
#[derive(Debug)]
pub(super) struct NamedFields {
    interface: &'static InterfaceInfo,
    /// Caller fields and fixed fields, values as signed (nested ones compacted).
    fields: Vec<OutgoingField>,
}

impl NamedFields {
    /// Checks `given` against `interface`: every name one of its fields that the caller sets
    /// (a fixed field may be given with its fixed value), none twice, and the whole valid by
    /// the interface's validator.
    ///
    /// The caller has checked that `interface` is a request (`Call::new`).
    ///
    /// # Errors
    /// [`ClientError::Field`] for a name that cannot be sent, [`ClientError::Invalid`] for a
    /// request that breaks a rule.
    pub(super) fn resolve(
        catalog: &'static Catalog,
        interface: &'static InterfaceInfo,
        given: &[(&str, &str)],
    ) -> Result<NamedFields, ClientError> {
        let mut caller: Vec<(&'static FieldInfo, &str)> = Vec::with_capacity(given.len());
        for &(name, value) in given {
            let field = caller_field(interface, name, value)?;
            if caller.iter().any(|(seen, _)| seen.wire == field.wire) {
                return Err(refused(interface, name, "it is given twice; give each field once".to_owned()));
            }
            caller.push((field, value));
        }
        // A fixed field given with its fixed value is sent once, as the fixed field it is.
        caller.retain(|(field, _)| field.fixed.is_none());
        let fixed = interface.fields.iter().filter_map(|field| Some((field, field.fixed?)));
        let all: Vec<(&'static FieldInfo, &str)> = caller.into_iter().chain(fixed).collect();

        // What a gateway would receive, envelope aside, checked by the rules `validate()` of the
        // typed request uses — and, with the `gateway` feature, also read into the generated
        // type, which catches a nested value of the wrong shape.
        let received =
            ReceivedFields::from_pairs(all.iter().map(|(field, value)| (field.wire, *value))).map_err(|error| {
                refused(interface, "(the fields together)", format!("they cannot form a message ({error})"))
            })?;
        let checked = match interface.codec.check_request {
            Some(check) => check(&received),
            None => validation::check_fields(catalog, interface, |wire| received.text(wire)),
        };
        checked.map_err(|violations| ClientError::Invalid { violations })?;

        let fields =
            all.into_iter().map(|(field, value)| outgoing(interface, field, value)).collect::<Result<Vec<_>, _>>()?;
        Ok(NamedFields { interface, fields })
    }

    /// The fields sent with `envelope`: the caller's, the fixed ones, and the envelope's.
    pub(super) fn with_envelope(&self, envelope: &Envelope<'_>) -> OutgoingFields {
        let mut fields = self.fields.clone();
        for field in self.interface.fields {
            let value = match field.concept {
                Some(Concept::UserConfirmKey) => envelope.user_confirm_key,
                Some(Concept::Time) => envelope.time,
                _ => continue,
            };
            fields.push(OutgoingField { name: field.wire, value: value.to_owned(), nested: false });
        }
        OutgoingFields::from_fields(fields)
    }
}

/// The field `name` stands for, if the caller may set it to `value` (the catalog's rule,
/// [`InterfaceInfo::caller_field`]), worded for a client's caller.
fn caller_field(interface: &'static InterfaceInfo, name: &str, value: &str) -> Result<&'static FieldInfo, ClientError> {
    interface.caller_field(name, value).map_err(|refusal| {
        let reason = match refusal {
            FieldRefusal::Unknown => {
                let known: Vec<&str> = interface.fields.iter().filter(|f| f.is_caller_set()).map(|f| f.wire).collect();
                format!("it has no such field; its fields are: {}", known.join(", "))
            }
            FieldRefusal::FilledIn => "the client fills it in (user key, time and signature come from the client's \
                                       credentials and clock); leave it out"
                .to_owned(),
            FieldRefusal::Fixed { value } => format!("it is always `{value}` and the client sends it; leave it out"),
        };
        refused(interface, name, reason)
    })
}

/// A checked field as sent: a nested value as the compact JSON text a receiver signs.
fn outgoing(
    interface: &'static InterfaceInfo,
    field: &'static FieldInfo,
    value: &str,
) -> Result<OutgoingField, ClientError> {
    if !matches!(field.kind, FieldKind::Object | FieldKind::ObjectArray) {
        return Ok(OutgoingField { name: field.wire, value: value.to_owned(), nested: false });
    }
    if value.is_empty() {
        return Ok(OutgoingField { name: field.wire, value: String::new(), nested: true });
    }
    let compact = compact_nested(value).map_err(|error| refused(interface, field.wire, error.to_string()))?;
    Ok(OutgoingField { name: field.wire, value: compact, nested: true })
}

fn refused(interface: &'static InterfaceInfo, field: &str, reason: String) -> ClientError {
    ClientError::Field { interface: interface.name, field: quoted(field), reason }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nested_value_given_by_name_is_sent_as_the_compact_text_a_receiver_signs() {
        let (interface, field) = crate::CATALOG
            .interfaces
            .iter()
            .find_map(|i| Some((*i, i.fields.iter().find(|f| f.kind == FieldKind::ObjectArray)?)))
            .unwrap();

        let sent = outgoing(interface, field, "[ { \"a\" : 1.50 , \"b\":\"x y\" } ]").unwrap();

        assert_eq!(sent.value, r#"[{"a":1.50,"b":"x y"}]"#);
        assert!(sent.nested);
        assert!(matches!(outgoing(interface, field, "\"text\""), Err(ClientError::Field { .. })));
        assert!(matches!(outgoing(interface, field, "[1,"), Err(ClientError::Field { .. })));
    }

    #[test]
    fn a_nested_value_with_text_after_it_is_refused_not_cut_short() {
        let (interface, field) = crate::CATALOG
            .interfaces
            .iter()
            .find_map(|i| Some((*i, i.fields.iter().find(|f| f.kind == FieldKind::ObjectArray)?)))
            .unwrap();

        // Read as `{"items":<value>}`, this would have been two members, the second dropped.
        let error = outgoing(interface, field, r#"[{"a":1}],"other":{"b":2}"#).unwrap_err();

        let ClientError::Field { reason, .. } = &error else { panic!("{error:?}") };
        assert!(reason.contains("not one JSON value") && reason.contains("trailing characters"), "{reason}");
        assert!(reason.contains("nothing after it"), "{reason}");
        assert_eq!(outgoing(interface, field, " [ {\"a\":1} ] \n").unwrap().value, r#"[{"a":1}]"#);
    }
}
