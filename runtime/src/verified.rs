//! What verification gives: a message whose signature checked out ([`Verified`]), or why it
//! was not accepted ([`VerifyError`]). The checks themselves are in `verify`.

use std::time::Duration;

use crate::message::IncomingMessage;
use crate::received::{IncomingError, ReceivedError, ReceivedFields};
use crate::time::HkTime;

/// Why a message was not accepted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The body is not a readable message.
    #[error(transparent)]
    Body(#[from] ReceivedError),
    /// No `sign` field.
    #[error("the message has no `sign` field, so it cannot be trusted")]
    MissingSignature,
    /// `sign` is not 64 hex characters.
    #[error("`sign` is not a SHA-256 signature (64 hex characters); the message cannot be trusted")]
    MalformedSignature,
    /// The signature does not match the fields.
    #[error(
        "the signature does not match the message: it was changed, or signed with another secret (check the merchant secret)"
    )]
    Mismatch,
    /// Verified, but a field does not have the documented form, or the message is not the
    /// kind expected ([`IncomingError::Unrecognized`]: a reply or an acknowledgement re-sent to
    /// `notify_url`).
    #[error(transparent)]
    Field(#[from] IncomingError),
    /// Verified, but its signed `time` is further from now than the caller allows: an old
    /// message replayed.
    #[error(
        "the message's time is {age_seconds} s from now, more than the {max_seconds} s allowed: an old message replayed, or a clock that is off; refuse it"
    )]
    Stale {
        /// How far the message's time is from now, in seconds (negative: in the future).
        age_seconds: i64,
        /// The most allowed.
        max_seconds: u64,
    },
    /// A maximum age was asked for, but the message carries no `time`.
    #[error("the message carries no `time`, so its age cannot be checked; refuse it")]
    Undated,
    /// The message's interface has no typed reader in its catalog: it is not a message eftPay
    /// sends (the spec's generator gives every such message one).
    #[error(
        "the {interface} interface has no reader for what eftPay sends, so the message cannot be read; check that \
         the interface is a response, a notification or a return"
    )]
    NoReader {
        /// The interface's name.
        interface: &'static str,
    },
}

/// A message whose signature checked out: the typed view and every raw field.
#[derive(Clone, Debug, PartialEq)]
pub struct Verified<T> {
    pub(crate) message: T,
    pub(crate) fields: ReceivedFields,
}

impl<T> Verified<T> {
    /// The typed message.
    pub fn message(&self) -> &T {
        &self.message
    }

    /// The typed message, by value.
    pub fn into_message(self) -> T {
        self.message
    }

    /// Every field as received (including `sign` and fields the types do not model).
    pub fn fields(&self) -> &ReceivedFields {
        &self.fields
    }
}

impl<T: IncomingMessage> Verified<T> {
    /// The message's signed `time` (Hong Kong time), when it carries one.
    pub fn time(&self) -> Option<HkTime> {
        self.message.time()
    }

    /// How long ago the message was signed, by its `time`: seconds from then to `now`
    /// (negative when `time` lies in the future). `None` when it carries no `time`.
    pub fn age(&self, now: HkTime) -> Option<i64> {
        self.time().map(|time| time.seconds_between(now))
    }

    /// Refuses a message whose `time` is more than `max_age` from `now`, either way.
    ///
    /// # Errors
    /// [`VerifyError::Stale`], or [`VerifyError::Undated`] when it carries no `time`.
    pub fn check_age(&self, max_age: Duration, now: HkTime) -> Result<(), VerifyError> {
        let age = self.age(now).ok_or(VerifyError::Undated)?;
        let max_seconds = max_age.as_secs();
        if age.unsigned_abs() > max_seconds {
            return Err(VerifyError::Stale { age_seconds: age, max_seconds });
        }
        Ok(())
    }
}

impl<T> std::ops::Deref for Verified<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.message
    }
}
