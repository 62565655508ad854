//! What the expansion hands the runtime beyond the catalog's data: the operations of an
//! interface's generated types (reading a verified message into its type, checking a request a
//! gateway received), and the acknowledgement the generator proved buildable. Not public API:
//! the expansion builds these through `eftpay::__private`; callers reach them through
//! `InterfaceInfo`'s methods and `notify::acknowledge`.

use crate::catalog::{CheckRequest, InterfaceInfo, ReadTyped};

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

/// The spec's acknowledgement, which the generator checked can always be built (a return-code
/// field with a value for each answer, no required field the SDK cannot fill): what
/// `notify::acknowledge` builds without a way to fail.
#[derive(Debug)]
pub struct ProvenAcknowledgement {
    /// The acknowledgement interface.
    pub interface: &'static InterfaceInfo,
    /// Its return-code field's wire name.
    pub code_field: &'static str,
    /// The return code meaning handled.
    pub handled: &'static str,
    /// The return code meaning not handled.
    pub not_handled: &'static str,
}
