//! The spec's acknowledgement as the generator proved it: what `notify::acknowledge` builds.
//! Not public API: the expansion builds it through `eftpay::__private`.

use crate::catalog::InterfaceInfo;

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
