//! The merchant's credentials. The secret is a password in all but name — the signature is
//! `sha256(secret ‖ message)` (`docs/protocol.md` §2) — so it is redacted from every Debug and
//! Display and zeroed when dropped; the secret never leaks.

use std::fmt;

use zeroize::Zeroizing;

/// The merchant secret eftPay issues with the user key. Never printed, never compared in
/// variable time, zeroed on drop.
#[derive(Clone)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Wraps the secret text.
    pub fn new(secret: impl Into<String>) -> Self {
        Secret(Zeroizing::new(secret.into()))
    }

    /// The bytes that prefix the signed string; only signing reads them.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }

    /// Whether the secret is empty (a configuration mistake worth reporting early).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A merchant's `user_confirm_key` and secret, as provided by eftPay.
#[derive(Clone, Debug)]
pub struct Credentials {
    /// `user_confirm_key`: identifies the merchant; not secret.
    pub user_confirm_key: String,
    /// The signing secret.
    pub secret: Secret,
}

impl Credentials {
    /// Credentials from the user key and the secret.
    pub fn new(user_confirm_key: impl Into<String>, secret: impl Into<String>) -> Self {
        Credentials { user_confirm_key: user_confirm_key.into(), secret: Secret::new(secret) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_is_redacted_in_debug_and_display() {
        let c = Credentials::new("S0003469", "sentinel-secret-XYZ");
        assert!(!format!("{c:?}").contains("sentinel-secret-XYZ"));
        assert!(!format!("{}", c.secret).contains("sentinel-secret-XYZ"));
        assert!(format!("{c:?}").contains("S0003469"));
    }
}
