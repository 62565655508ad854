//! When a request is sent again: only a request whose interface's retry policy is
//! [`RetryPolicy::Safe`] (a query, which changes nothing at eftPay), a bounded number of times, with exponential backoff, and only after a
//! failure that carries no answer from eftPay — no connection, a timeout, a 5xx. A refusal
//! (`return_status`) or a reply that fails verification is an answer: sending again would not
//! change it. Place-order and refund requests are sent once, since once bytes may have left
//! only a query can tell whether eftPay acted on them.

use std::future::Future;
use std::time::Duration;

use super::ClientError;
use crate::rules::RetryPolicy;

/// How often and how patiently a safe request is tried.
#[derive(Clone, Copy, Debug)]
pub(super) struct RetrySchedule {
    /// Attempts in total, the first included; at least 1 (checked by the builder).
    pub(super) attempts: u32,
    /// The wait before the second attempt; doubled before each further one.
    pub(super) backoff: Duration,
}

impl RetrySchedule {
    /// Three attempts, waiting 100 ms and then 200 ms.
    pub(super) const DEFAULT: RetrySchedule = RetrySchedule { attempts: 3, backoff: Duration::from_millis(100) };

    fn attempts_for(self, policy: RetryPolicy) -> u32 {
        // Only a policy known to be safe is retried; `Never`, and any policy a later vocabulary
        // adds (the enum is non-exhaustive), gets one attempt.
        match policy {
            RetryPolicy::Safe => self.attempts,
            _ => 1,
        }
    }

    /// The wait after failed attempt `attempt` (1-based): backoff × 2^(attempt − 1).
    fn delay_after(self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
        self.backoff.saturating_mul(factor)
    }

    /// Runs `attempt(1)`, `attempt(2)`, … while the policy allows and the failure is transient;
    /// returns the first success or the last failure. Each attempt sent again is told by one
    /// event, and the call's outcome by one more, each with what its attempt's [`Report`] knows.
    pub(super) async fn run<T, F, Fut>(self, policy: RetryPolicy, mut attempt: F) -> Result<T, ClientError>
    where
        F: FnMut(u32) -> Fut,
        Fut: Future<Output = (Result<T, ClientError>, Report)>,
    {
        let attempts = self.attempts_for(policy);
        let mut number = 1;
        loop {
            match attempt(number).await {
                (Err(error), report) if number < attempts && is_transient(&error) => {
                    let delay = self.delay_after(number);
                    // The error's text names the interface and the redacted URL, never a
                    // secret or a signature.
                    tracing::info!(
                        attempt = number,
                        http_status = report.http_status,
                        elapsed_ms = report.elapsed_ms,
                        retry_in_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                        error = %error,
                        "eftPay request failed without an answer; sending it again"
                    );
                    tokio::time::sleep(delay).await;
                    number += 1;
                }
                (outcome, report) => {
                    report.completed(number, outcome.as_ref().err());
                    return outcome;
                }
            }
        }
    }
}

/// What one attempt learned, for the events that tell it: each known at most once, so each is
/// written once. Nothing secret is kept: no secret, signature or signed string.
#[derive(Debug, Default)]
pub(super) struct Report {
    /// The reply's HTTP status, once one came.
    pub(super) http_status: Option<u16>,
    /// The reply's return status, once a reply was read that has one.
    pub(super) return_status: Option<String>,
    /// Milliseconds from sending to the whole reply read (or to the failure), once sent.
    pub(super) elapsed_ms: Option<u64>,
}

impl Report {
    /// The one event of a completed call: `info` when it succeeded, `warn` with its error when not.
    fn completed(&self, attempt: u32, error: Option<&ClientError>) {
        let return_status = self.return_status.as_deref();
        match error {
            None => tracing::info!(
                attempt,
                http_status = self.http_status,
                return_status,
                elapsed_ms = self.elapsed_ms,
                "eftPay request completed"
            ),
            // As above: the error's text carries no secret, signature or signed string.
            Some(error) => tracing::warn!(
                attempt,
                http_status = self.http_status,
                return_status,
                elapsed_ms = self.elapsed_ms,
                error = %error,
                "eftPay request failed"
            ),
        }
    }
}

/// Failures that say nothing about what eftPay would answer.
fn is_transient(error: &ClientError) -> bool {
    match error {
        ClientError::Connect { .. } | ClientError::Timeout { .. } => true,
        ClientError::HttpStatus { status, .. } => (500..=599).contains(status),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_the_configured_start() {
        let schedule = RetrySchedule { attempts: 4, backoff: Duration::from_millis(100) };
        assert_eq!(schedule.delay_after(1), Duration::from_millis(100));
        assert_eq!(schedule.delay_after(2), Duration::from_millis(200));
        assert_eq!(schedule.delay_after(3), Duration::from_millis(400));
        assert_eq!(RetrySchedule { attempts: 99, backoff: Duration::MAX }.delay_after(40), Duration::MAX);
    }

    #[test]
    fn only_safe_requests_get_more_than_one_attempt() {
        assert_eq!(RetrySchedule::DEFAULT.attempts_for(RetryPolicy::Safe), 3);
        assert_eq!(RetrySchedule::DEFAULT.attempts_for(RetryPolicy::Never), 1);
    }

    #[test]
    fn client_errors_and_answers_are_not_transient() {
        let http = |status| ClientError::HttpStatus { interface: "query", status, excerpt: String::new(), attempts: 1 };
        assert!(is_transient(&http(500)));
        assert!(is_transient(&http(503)));
        assert!(!is_transient(&http(404)));
        assert!(!is_transient(&ClientError::NoReturnStatus { interface: "query", field: "return_status" }));
    }

    #[test]
    fn a_reply_that_does_not_belong_to_its_request_is_not_transient() {
        let interface = "query";
        let mismatch =
            ClientError::Mismatch { interface, field: "out_trade_no", asked: "h1".into(), answered: "other".into() };
        assert!(!is_transient(&mismatch));
        assert!(!is_transient(&ClientError::ReplyOutsideWindow {
            interface,
            field: "time",
            skew_seconds: -864_000,
            window_seconds: 300
        }));
        assert!(!is_transient(&ClientError::UndatedReply { interface, field: "time" }));
    }
}
