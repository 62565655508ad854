//! A [`Client`]'s configuration: where eftPay is, how long to wait, what time it is, how often a
//! query may be tried. Everything is checked once, in [`ClientBuilder::build`], so a
//! misconfigured client fails at start-up rather than at the first payment.

use std::sync::Arc;
use std::time::Duration;

use super::retry::RetrySchedule;
use super::transport::Transport;
use super::{Client, ClientError};
use crate::credentials::Credentials;
use crate::time::{Clock, SystemClock};

/// eftPay's test environment (eftpay-api.md §1). The production base URL is given to each
/// merchant when the account is created, so it is set with [`ClientBuilder::base_url`].
pub const TEST_BASE_URL: &str = "https://vmp.eftpay.com.cn/VMP";

/// How long establishing a connection (TCP and TLS) may take.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one attempt may take from connecting to the last byte of the reply.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// `user_confirm_key` is `String(12)` (eftpay-api.md §4).
const USER_KEY_MAX_CHARS: usize = 12;

/// Configures a [`Client`]; every setting has a default.
///
/// ```
/// use std::time::Duration;
/// use eftpay::{Client, Credentials};
///
/// # fn main() -> Result<(), eftpay::ClientError> {
/// let client = Client::builder(Credentials::new("S0003469", "the secret eftPay issued"))
///     .base_url("https://vmp.eftpay.com.cn/VMP/")
///     .timeout(Duration::from_secs(20))
///     .query_attempts(5)
///     .build()?;
/// assert_eq!(client.base_url(), "https://vmp.eftpay.com.cn/VMP");
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct ClientBuilder {
    credentials: Credentials,
    base_url: String,
    connect_timeout: Duration,
    timeout: Duration,
    clock: Arc<dyn Clock>,
    retry: RetrySchedule,
}

impl ClientBuilder {
    /// Defaults: [`TEST_BASE_URL`], 10 s to connect, 30 s per attempt, the system clock, 3
    /// query attempts with backoff starting at 100 ms.
    pub fn new(credentials: Credentials) -> ClientBuilder {
        ClientBuilder {
            credentials,
            base_url: TEST_BASE_URL.to_owned(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            clock: Arc::new(SystemClock),
            retry: RetrySchedule::DEFAULT,
        }
    }

    /// Where eftPay is: `scheme://host[:port][/path]`, an `http` or `https` URL without query
    /// or fragment; a trailing slash is ignored. Endpoint paths (`/Servlet/JSAPIService.do`)
    /// are appended to it.
    pub fn base_url(mut self, url: impl Into<String>) -> ClientBuilder {
        self.base_url = url.into();
        self
    }

    /// How long connecting (TCP and TLS) may take; a request that could not connect was not
    /// sent.
    pub fn connect_timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.connect_timeout = timeout;
        self
    }

    /// How long one attempt may take in total, connecting included.
    pub fn timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.timeout = timeout;
        self
    }

    /// Where `time` comes from (eftpay-api.md §2); tests and the sandbox fix or move it.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> ClientBuilder {
        self.clock = clock;
        self
    }

    /// How many times in total a query may be sent (at least 1). Place-order and refund
    /// requests are sent once, whatever this says.
    pub fn query_attempts(mut self, attempts: u32) -> ClientBuilder {
        self.retry.attempts = attempts;
        self
    }

    /// The wait before the second attempt of a query; it doubles before each further one.
    pub fn retry_backoff(mut self, backoff: Duration) -> ClientBuilder {
        self.retry.backoff = backoff;
        self
    }

    /// Checks the configuration and starts the HTTP stack.
    ///
    /// # Errors
    /// [`ClientError::Config`] naming the setting that is unusable: a base URL that is not an
    /// `http(s)` URL, a zero timeout or attempt count, an empty secret, an empty or too long
    /// user key, or an HTTP stack that cannot start.
    pub fn build(self) -> Result<Client, ClientError> {
        check_credentials(&self.credentials)?;
        let base_url = normalise_base_url(&self.base_url)?;
        if self.connect_timeout.is_zero() || self.timeout.is_zero() {
            return Err(config("timeouts must be longer than zero; leave them unset for the defaults (10 s, 30 s)"));
        }
        if self.retry.attempts == 0 {
            return Err(config("`query_attempts` must be at least 1 (1 means: never retry)"));
        }
        let transport = Transport::new(self.connect_timeout, self.timeout)?;
        Ok(Client { transport, base_url, credentials: self.credentials, clock: self.clock, retry: self.retry })
    }
}

fn config(reason: impl Into<String>) -> ClientError {
    ClientError::Config { reason: reason.into() }
}

/// Every request is signed with the secret and carries the user key, so an unusable one would
/// fail every request; say so before the first.
fn check_credentials(credentials: &Credentials) -> Result<(), ClientError> {
    if credentials.secret.is_empty() {
        return Err(config("the merchant secret is empty; use the secret eftPay issued with the user key"));
    }
    let key_chars = credentials.user_confirm_key.chars().count();
    if key_chars == 0 {
        return Err(config("the user key (`user_confirm_key`) is empty; use the one eftPay issued"));
    }
    if key_chars > USER_KEY_MAX_CHARS {
        return Err(config(format!(
            "the user key (`user_confirm_key`) has {key_chars} characters; eftPay's are at most \
             {USER_KEY_MAX_CHARS} — check it was copied correctly"
        )));
    }
    Ok(())
}

/// The base URL as requests use it: parsed, `http` or `https`, with a host, no query or
/// fragment (endpoint paths are appended to it), no trailing slash.
fn normalise_base_url(text: &str) -> Result<String, ClientError> {
    const EXAMPLE: &str = "give it as `https://host[/path]`, like `https://vmp.eftpay.com.cn/VMP`";
    let url = reqwest::Url::parse(text.trim())
        .map_err(|e| config(format!("the base URL `{text}` is not a URL ({e}); {EXAMPLE}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(config(format!(
            "the base URL `{text}` uses `{}:`; eftPay is reached over https (http only for its test environment); {EXAMPLE}",
            url.scheme()
        )));
    }
    if url.host().is_none() {
        return Err(config(format!("the base URL `{text}` has no host; {EXAMPLE}")));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(config(format!(
            "the base URL `{text}` has a query or fragment, which the endpoint path would be appended to; {EXAMPLE}"
        )));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_slash_is_trimmed() {
        assert_eq!(normalise_base_url("https://vmp.eftpay.com.cn/VMP/").unwrap(), "https://vmp.eftpay.com.cn/VMP");
        assert_eq!(normalise_base_url("http://127.0.0.1:8080").unwrap(), "http://127.0.0.1:8080");
    }

    #[test]
    fn rejects_base_urls_that_are_not_http() {
        for bad in ["ftp://vmp.eftpay.com.cn/VMP", "vmp.eftpay.com.cn/VMP", "", "https://x/VMP?a=1", "https://x/#f"] {
            let error = normalise_base_url(bad).unwrap_err();
            assert!(matches!(error, ClientError::Config { .. }), "{bad}: {error:?}");
            assert!(error.to_string().contains("https://vmp.eftpay.com.cn/VMP"), "{error}");
        }
    }

    #[test]
    fn rejects_unusable_credentials() {
        assert!(check_credentials(&Credentials::new("S0003469", "")).is_err());
        assert!(check_credentials(&Credentials::new("", "s")).is_err());
        assert!(check_credentials(&Credentials::new("S00034690000X", "s")).is_err());
        assert!(check_credentials(&Credentials::new("S0003469", "s")).is_ok());
    }

    #[test]
    fn rejects_zero_attempts_and_timeouts() {
        let builder = ClientBuilder::new(Credentials::new("S0003469", "s"));
        assert!(builder.clone().query_attempts(0).build().is_err());
        assert!(builder.clone().timeout(Duration::ZERO).build().is_err());
        assert!(builder.connect_timeout(Duration::ZERO).build().is_err());
    }
}
