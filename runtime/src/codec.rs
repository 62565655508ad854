//! What the expansion hands the runtime beyond the catalog's data: the operations of an
//! interface's generated types (reading a verified message into its type, checking a request a
//! gateway received), and what a generated incoming type writes back. The catalog holds a `Codec`
//! per interface; the codec knows nothing of the catalog. Not public API except `TypedFields` and
//! the two signatures (re-exported by `catalog`): the expansion builds a `Codec` through
//! `eftpay::__private`; callers reach it through `InterfaceInfo`'s methods.

use crate::received::{IncomingError, ReceivedFields};
use crate::violations::Violations;

/// The type-checked operations of an interface's generated types, reachable from data.
#[derive(Debug, Clone, Copy)]
pub struct Codec {
    /// For requests: reads a request as a gateway receives it and validates it with the
    /// generated validator (`from_received` + `validate`).
    pub check_request: Option<CheckRequest>,
    /// For what eftPay sends (responses, notifications, returns): reads the fields into the
    /// generated type and writes that type back as fields — so a message is exactly what the
    /// type holds. `Err` when a field is not its type.
    pub typed: Option<ReadTyped>,
}

impl Codec {
    /// No operations: an interface whose types the expansion did not generate.
    pub const NONE: Codec = Codec { check_request: None, typed: None };
}

/// Reads a request as a gateway receives it and validates it.
pub type CheckRequest = fn(&ReceivedFields) -> Result<(), Violations>;

/// Reads what eftPay sends into its generated type and writes it back as fields.
pub type ReadTyped = fn(&ReceivedFields) -> Result<TypedFields, IncomingError>;

/// Fields written back from a generated incoming type, with what it did not model.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TypedFields {
    /// The fields the type holds, as text, `sign` left out.
    pub fields: Vec<(&'static str, String)>,
    /// Names of received fields the type does not model (its `extra`).
    pub extra: Vec<String>,
}

impl TypedFields {
    /// The fields a type holds (`sign` left out) and the names of those it does not model.
    pub const fn new(fields: Vec<(&'static str, String)>, extra: Vec<String>) -> TypedFields {
        TypedFields { fields, extra }
    }

    /// A field's value by wire name, if the message holds it.
    pub fn text(&self, wire: &str) -> Option<&str> {
        self.fields.iter().find(|(name, _)| *name == wire).map(|(_, value)| value.as_str())
    }
}
