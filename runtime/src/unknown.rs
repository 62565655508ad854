//! The payload of every generated enum's `Unknown` variant: a wire value this version of the
//! SDK does not know, kept verbatim (`docs/protocol.md` §1: eftPay adds values without notice).

use std::fmt;

/// A value eftPay sent that the spec does not list. Opaque on purpose: match on the known
/// variants and read this one with `as_str()`; never construct it to mean a known value.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// Used by generated `from_wire`; not meant for user code.
    #[doc(hidden)]
    pub fn from_wire(text: &str) -> Self {
        UnknownValue(text.to_owned())
    }

    /// The value as eftPay sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Implemented by every generated enum, so code can name values and list the known ones.
pub trait WireEnum: Sized + 'static {
    /// The Rust type name (`Wallet`).
    const TYPE_NAME: &'static str;
    /// Every documented value, in the spec's order.
    const ALL: &'static [Self];
    /// The wire text.
    fn as_str(&self) -> &str;
    /// Whether the value is a documented one.
    fn is_known(&self) -> bool;
}
