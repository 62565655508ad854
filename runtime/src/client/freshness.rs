//! Whether a signed reply was written for this exchange, judged by its signed `time`: it must
//! lie within a window around the request's `time`. A signature proves eftPay wrote a reply,
//! not when; without this check a reply recorded days ago — accepted or refused — could be
//! played back as the answer to a new request.
//!
//! The reply's time fields are its response fields of concept `time`, read as their table says
//! (`yyyyMMddHHmmss` or `yyyy-MM-dd HH:mm:ss`).

use std::time::Duration;

use super::ClientError;
use crate::VerifyError;
use crate::catalog::InterfaceInfo;
use crate::received::ReceivedFields;
use crate::rules::{Concept, FieldKind};
use crate::time::HkTime;

/// How far a reply's `time` may lie from its request's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct ReplyWindow {
    seconds: u64,
}

impl ReplyWindow {
    /// Five minutes; why, [`ClientBuilder::reply_time_window`](super::ClientBuilder::reply_time_window) says.
    pub(super) const DEFAULT: ReplyWindow = ReplyWindow { seconds: 5 * 60 };

    /// `window`, to the second (`time` has no finer grain).
    pub(super) fn new(window: Duration) -> ReplyWindow {
        ReplyWindow { seconds: window.as_secs() }
    }

    pub(super) fn is_zero(self) -> bool {
        self.seconds == 0
    }

    /// The window for one exchange: from `window` before the request's `time` to `window` after
    /// it plus `elapsed`, the time the exchange took (measured on a monotonic clock, so a long
    /// timeout does not turn a slow but genuine reply into a stale one).
    pub(super) fn around(self, sent: HkTime, elapsed: Duration) -> ExchangeWindow {
        // Rounded up: a reply written 0.4 s after a request signed at second 59 says second 60.
        let elapsed = elapsed.as_secs().saturating_add(u64::from(elapsed.subsec_nanos() > 0));
        ExchangeWindow { sent, window: self.seconds, elapsed }
    }
}

/// The window of one exchange; see [`ReplyWindow::around`].
#[derive(Clone, Copy, Debug)]
pub(super) struct ExchangeWindow {
    sent: HkTime,
    window: u64,
    elapsed: u64,
}

impl ExchangeWindow {
    /// Checks a verified reply's `time`. `dated` says what a reply without one means: an
    /// accepted reply must be dated (eftPay documents `time` as returned whenever
    /// `return_status` is `00` or above, and an undated accepted reply could be replayed for
    /// ever); a refusal without one is reported as the refusal it is, since refusals carry no
    /// promise the merchant acts on.
    ///
    /// A reply whose table lists no time field cannot be checked, and passes.
    pub(super) fn check(
        &self,
        interface: &'static InterfaceInfo,
        fields: &ReceivedFields,
        dated: Dating,
    ) -> Result<(), ClientError> {
        for field in interface.response.iter().filter(|field| field.concept == Some(Concept::Time)) {
            let time = match field.kind {
                FieldKind::DateTime => fields.datetime(field.wire),
                _ => fields.time(field.wire),
            }
            .map_err(|cause| ClientError::Verification {
                interface: interface.name,
                cause: VerifyError::Field(cause),
            })?;
            match time {
                Some(time) => self.check_time(interface.name, field.wire, time)?,
                None if dated == Dating::Required => {
                    return Err(ClientError::UndatedReply { interface: interface.name, field: field.wire });
                }
                None => {}
            }
        }
        Ok(())
    }

    fn check_time(&self, interface: &'static str, field: &'static str, time: HkTime) -> Result<(), ClientError> {
        let skew = self.sent.seconds_between(time);
        let window = i64::try_from(self.window).unwrap_or(i64::MAX);
        let latest = window.saturating_add(i64::try_from(self.elapsed).unwrap_or(i64::MAX));
        if skew < window.saturating_neg() || skew > latest {
            return Err(ClientError::ReplyOutsideWindow {
                interface,
                field,
                skew_seconds: skew,
                window_seconds: self.window,
            });
        }
        Ok(())
    }
}

/// Whether a reply must carry a `time`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Dating {
    /// It must: an accepted reply.
    Required,
    /// It is checked when present: a refusal.
    WhenPresent,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> HkTime {
        HkTime::parse_compact(text).unwrap()
    }

    #[test]
    fn the_window_extends_by_the_time_the_exchange_took() {
        let window =
            ReplyWindow::new(Duration::from_secs(60)).around(at("20240102030405"), Duration::from_millis(1500));
        let check = |time| window.check_time("query", "time", at(time));
        assert!(check("20240102030405").is_ok());
        assert!(check("20240102030305").is_ok(), "60 s before");
        assert!(check("20240102030304").is_err(), "61 s before");
        assert!(check("20240102030507").is_ok(), "60 s + 2 s (1.5 s rounded up) after");
        assert!(check("20240102030508").is_err(), "63 s after");
    }

    #[test]
    fn the_error_names_the_field_and_the_skew() {
        let window = ReplyWindow::DEFAULT.around(at("20240112000000"), Duration::ZERO);
        let error = window.check_time("query", "time", at("20240102000000")).unwrap_err();
        assert!(
            matches!(
                error,
                ClientError::ReplyOutsideWindow { field: "time", skew_seconds: -864_000, window_seconds: 300, .. }
            ),
            "{error:?}"
        );
    }
}
