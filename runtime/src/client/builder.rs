//! A [`Client`]'s configuration: where eftPay is, how long to wait, what time it is, how often a
//! query may be tried, how far a reply's `time` may be from its request's. Everything is checked once, in [`ClientBuilder::build`], so a
//! misconfigured client fails at start-up rather than at the first payment.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::freshness::ReplyWindow;
use super::redact::redact_url;
use super::retry::RetrySchedule;
use super::transport::Transport;
use super::{Client, ClientError};
use crate::credentials::Credentials;
use crate::rules::Concept;
use crate::time::{Clock, SystemClock};

/// eftPay's test environment (`docs/protocol.md` §1). The production base URL is given to each
/// merchant when the account is created, so it is set with [`ClientBuilder::base_url`].
pub const TEST_BASE_URL: &str = "https://vmp.eftpay.com.cn/VMP";

/// How long establishing a connection (TCP and TLS) may take.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one attempt may take from connecting to the last byte of the reply.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Configures a [`Client`]; every setting has a default. Its `Debug` shows the base URL
/// through [`redact_url`](super::redact_url) and never the secret.
///
/// Without [`base_url`](Self::base_url) the client talks to eftPay's test environment
/// ([`TEST_BASE_URL`]); in production, set the base URL eftPay gave your account, read from your
/// configuration like the credentials:
///
/// ```
/// use std::time::Duration;
/// use eftpay::{Client, Credentials};
///
/// # struct Config { eftpay_base_url: String, eftpay_key: String, eftpay_secret: String }
/// # fn main() -> Result<(), eftpay::ClientError> {
/// # let config = Config {
/// #     eftpay_base_url: "https://payments.example/VMP/".into(),
/// #     eftpay_key: "S0003469".into(),
/// #     eftpay_secret: "the secret eftPay issued".into(),
/// # };
/// // Production: the base URL eftPay gave your account, from your configuration.
/// let client = Client::builder(Credentials::new(config.eftpay_key, config.eftpay_secret))
///     .base_url(config.eftpay_base_url)
///     .timeout(Duration::from_secs(20))
///     .query_attempts(5)
///     .build()?;
/// assert_eq!(client.base_url(), "https://payments.example/VMP", "a trailing slash is dropped");
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct ClientBuilder {
    credentials: Credentials,
    base_url: String,
    connect_timeout: Duration,
    timeout: Duration,
    clock: Arc<dyn Clock>,
    retry: RetrySchedule,
    reply_window: ReplyWindow,
    http: Option<reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    /// The base URL as given may carry a password (it is refused by `build`); show it redacted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials)
            .field("base_url", &redact_url(&self.base_url))
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("clock", &self.clock)
            .field("retry", &self.retry)
            .field("reply_window", &self.reply_window)
            .field("http", &self.http.is_some())
            .finish()
    }
}

impl ClientBuilder {
    /// Defaults: [`TEST_BASE_URL`], 10 s to connect, 30 s per attempt, the system clock, 3
    /// query attempts with backoff starting at 100 ms, replies dated within 5 minutes of their
    /// request.
    pub fn new(credentials: Credentials) -> ClientBuilder {
        ClientBuilder {
            credentials,
            base_url: TEST_BASE_URL.to_owned(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            clock: Arc::new(SystemClock),
            retry: RetrySchedule::DEFAULT,
            reply_window: ReplyWindow::DEFAULT,
            http: None,
        }
    }

    /// Sends through the application's own reqwest client — for a proxy, a private CA or
    /// middleware — instead of one the SDK builds. Its connect timeout and TLS settings apply;
    /// [`timeout`](Self::timeout) is still set on every request. It should not follow
    /// redirects: a redirected POST may be replayed as a GET without its body (build it with
    /// `redirect(reqwest::redirect::Policy::none())`; with the `gateway` feature,
    /// `eftpay::gateway::http_client_builder` starts from the SDK's own TLS settings).
    pub fn http_client(mut self, client: reqwest::Client) -> ClientBuilder {
        self.http = Some(client);
        self
    }

    /// Where eftPay is: `scheme://host[:port][/path]`, an `http` or `https` URL without
    /// userinfo, query or fragment; a trailing slash is ignored. Endpoint paths (`/Servlet/JSAPIService.do`)
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

    /// Where `time` comes from (`docs/protocol.md` §2); tests and the sandbox fix or move it.
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

    /// How far a signed reply's `time` may lie from its request's `time` (either way, plus the
    /// time the exchange took) before the reply is refused as
    /// [`ClientError::ReplyOutsideWindow`]. Default 5 minutes.
    ///
    /// A reply is written by eftPay moments after it received the request, so its `time` is
    /// the request's plus the time on the wire plus the difference between the two clocks.
    /// eftPay itself refuses requests whose `time` is too far from its clock (`return_status`
    /// "time mismatch"), so a machine that can pay at all has a clock close to eftPay's; five
    /// minutes leaves room for that difference without letting an old reply about the same
    /// trade be replayed days later. Widen it only for a clock known to drift.
    pub fn reply_time_window(mut self, window: Duration) -> ClientBuilder {
        self.reply_window = ReplyWindow::new(window);
        self
    }

    /// Checks the configuration and starts the HTTP stack.
    ///
    /// # Errors
    /// [`ClientError::Config`] naming the setting that is unusable: a base URL that is not an
    /// `http(s)` URL or carries credentials, a zero timeout, attempt count or reply time
    /// window, an empty secret, an empty or too long user key, or an HTTP stack that cannot
    /// start. No message quotes the base URL's userinfo, query or fragment.
    pub fn build(self) -> Result<Client, ClientError> {
        check_credentials(&self.credentials)?;
        let base_url = normalise_base_url(&self.base_url)?;
        if self.connect_timeout.is_zero() || self.timeout.is_zero() {
            return Err(config("timeouts must be longer than zero; leave them unset for the defaults (10 s, 30 s)"));
        }
        if self.retry.attempts == 0 {
            return Err(config("`query_attempts` must be at least 1 (1 means: never retry)"));
        }
        if self.reply_window.is_zero() {
            return Err(config(
                "`reply_time_window` must be longer than zero (no reply is dated the very second of its request); \
                 leave it unset for the default (5 minutes)",
            ));
        }
        let transport = match self.http {
            Some(http) => Transport::with_client(http, self.timeout),
            None => Transport::new(self.connect_timeout, self.timeout)?,
        };
        Ok(Client {
            transport,
            base_url,
            credentials: self.credentials,
            clock: self.clock,
            retry: self.retry,
            reply_window: self.reply_window,
        })
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
    if let Some(max) = user_key_max_chars().filter(|max| key_chars > *max) {
        return Err(config(format!(
            "the user key (`user_confirm_key`) has {key_chars} characters; eftPay's are at most {max} — check it was \
             copied correctly"
        )));
    }
    Ok(())
}

/// The longest user key the spec's field tables allow (its fields of concept user key), if they
/// state a length.
fn user_key_max_chars() -> Option<usize> {
    crate::CATALOG
        .interfaces
        .iter()
        .flat_map(|interface| interface.fields_for(Concept::UserConfirmKey))
        .filter_map(|field| field.max_len)
        .max()
}

/// The base URL as requests use it: parsed, `http` or `https`, with a host, no userinfo, no
/// query or fragment (endpoint paths are appended to it), no trailing slash. Messages quote it
/// redacted: a password pasted into it must not reach a log. Text that is no URL with a host is
/// not quoted at all: where its parts are cannot be told, so any of it may be a secret (a
/// password standing where the port goes, a secret pasted in the wrong setting).
fn normalise_base_url(text: &str) -> Result<String, ClientError> {
    const EXAMPLE: &str = "give it as `https://host[/path]`, like `https://vmp.eftpay.com.cn/VMP`";
    const UNSHOWN: &str = "not shown, as it may hold a secret";
    // reqwest's parse error names what is wrong, never the text.
    let url = reqwest::Url::parse(text.trim())
        .map_err(|e| config(format!("the base URL ({UNSHOWN}) is not a URL ({e}); {EXAMPLE}")))?;
    if !url.has_host() {
        // `merchant:pw@host` parses as scheme `merchant`: name no part of it.
        return Err(config(format!("the base URL ({UNSHOWN}) has no `https://` and host; {EXAMPLE}")));
    }
    let shown = redact_url(text);
    if !matches!(url.scheme(), "http" | "https") {
        return Err(config(format!(
            "the base URL `{shown}` uses `{}:`; eftPay is reached over https (http only for its test environment); {EXAMPLE}",
            url.scheme()
        )));
    }
    // The HTTP stack would send them to the server as a password; eftPay never asks for one.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(config(format!(
            "the base URL `{shown}` carries a user name or password before `@`; eftPay authenticates requests by \
             their signature, never by credentials in the URL — remove them (and if a secret was there, treat it as \
             exposed); {EXAMPLE}"
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(config(format!(
            "the base URL `{shown}` has a query or fragment, which the endpoint path would be appended to; {EXAMPLE}"
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

    const SENTINEL: &str = "SENTINEL-PW-0001";

    #[test]
    fn refuses_credentials_in_the_base_url_without_echoing_them() {
        for bad in [
            format!("https://merchant:{SENTINEL}@vmp.eftpay.com.cn/VMP"),
            format!("https://{SENTINEL}@vmp.eftpay.com.cn/VMP"),
            format!("https://merchant:{SENTINEL}@vmp.eftpay.com.cn/VMP?secret={SENTINEL}"),
        ] {
            let error = normalise_base_url(&bad).unwrap_err();
            let text = error.to_string();
            assert!(text.contains("signature"), "says why: {text}");
            for shown in [text, format!("{error:?}")] {
                assert!(!shown.contains(SENTINEL) && !shown.contains("merchant"), "echoed: {shown}");
            }
        }
    }

    #[test]
    fn a_base_url_that_does_not_parse_is_not_quoted() {
        for bad in [
            format!("https://vmp.eftpay.com.cn:{SENTINEL}/VMP"),
            SENTINEL.to_owned(),
            format!("https://[{SENTINEL}]/VMP"),
            format!("mailto:{SENTINEL}"),
            format!("https://vmp eftpay.com.cn/{SENTINEL}"),
        ] {
            let error = normalise_base_url(&bad).unwrap_err();
            for shown in [error.to_string(), format!("{error:?}")] {
                assert!(!shown.contains(SENTINEL), "echoed: {shown}");
            }
            assert!(error.to_string().contains("may hold a secret"), "{error}");
        }
    }

    #[test]
    fn base_url_errors_never_quote_userinfo_query_or_fragment() {
        for bad in [
            format!("https://vmp.eftpay.com.cn/VMP?secret={SENTINEL}"),
            format!("https://vmp.eftpay.com.cn/VMP#{SENTINEL}"),
            format!("ftp://merchant:{SENTINEL}@vmp.eftpay.com.cn/VMP"),
            format!("merchant:{SENTINEL}@vmp.eftpay.com.cn/VMP"),
            format!("https://merchant:{SENTINEL}@"),
            format!("https://merchant:{SENTINEL}@vmp.eftpay.com.cn:99999/VMP"),
        ] {
            let error = normalise_base_url(&bad).unwrap_err();
            for shown in [error.to_string(), format!("{error:?}")] {
                assert!(!shown.contains(SENTINEL) && !shown.contains("merchant"), "echoed: {shown}");
            }
        }
    }

    #[test]
    fn builder_debug_redacts_the_base_url() {
        let builder = ClientBuilder::new(Credentials::new("S0003469", SENTINEL))
            .base_url(format!("https://merchant:{SENTINEL}@vmp.example/VMP?k={SENTINEL}"));
        let shown = format!("{builder:?}");
        assert!(!shown.contains(SENTINEL) && !shown.contains("merchant"), "{shown}");
        assert!(shown.contains("vmp.example/VMP"), "{shown}");
    }

    #[test]
    fn rejects_a_zero_reply_time_window() {
        let builder = ClientBuilder::new(Credentials::new("S0003469", "s"));
        assert!(builder.clone().reply_time_window(Duration::from_millis(999)).build().is_err());
        assert!(builder.reply_time_window(Duration::from_secs(1)).build().is_ok());
    }

    #[test]
    fn rejects_unusable_credentials() {
        assert!(check_credentials(&Credentials::new("S0003469", "")).is_err());
        assert!(check_credentials(&Credentials::new("", "s")).is_err());
        assert!(check_credentials(&Credentials::new("S00034690000X", "s")).is_err());
        assert_eq!(user_key_max_chars(), Some(12), "the spec's `String(12)`");
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
