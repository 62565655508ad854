//! The HTTP exchange (eftpay-api.md §1): one POST of a UTF-8 JSON body, and the reply's status
//! and body. reqwest over rustls; reqwest neither follows redirects nor retries on its own, so
//! what is sent, and how often, is decided by this crate alone (DESIGN principle 10).

use std::time::Duration;

use reqwest::header::CONTENT_TYPE;

use super::ClientError;

/// No eftPay reply comes near this; a body this large is not eftPay's, and reading it whole
/// would let a misconfigured base URL exhaust memory.
const MAX_REPLY_BYTES: usize = 1024 * 1024;

/// What came back: the HTTP status and the whole body.
#[derive(Debug)]
pub(super) struct Exchange {
    pub(super) status: u16,
    pub(super) body: Vec<u8>,
}

/// The HTTP stack, shared by a client's clones.
#[derive(Clone, Debug)]
pub(super) struct Transport {
    http: reqwest::Client,
}

impl Transport {
    pub(super) fn new(connect_timeout: Duration, timeout: Duration) -> Result<Transport, ClientError> {
        // reqwest is built without a TLS crypto provider of its own; rustls takes a process-wide
        // default. Installing ring fails only when one is installed already (perhaps by the
        // application), and then that one is used.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .timeout(timeout)
            // A redirected POST may be replayed as a GET without its body; a redirect means a
            // wrong base URL, and is reported as the HTTP status it is.
            .redirect(reqwest::redirect::Policy::none())
            .retry(reqwest::retry::never())
            .user_agent(concat!("eftpay-rs/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ClientError::Config { reason: format!("the HTTP client could not start ({e})") })?;
        Ok(Transport { http })
    }

    /// POSTs `json` to `url` and reads the reply; `attempts` is the number of this attempt,
    /// for the error.
    pub(super) async fn post(
        &self,
        url: &str,
        json: String,
        interface: &'static str,
        attempts: u32,
    ) -> Result<Exchange, ClientError> {
        let failure = |error: reqwest::Error| transport_failure(error, url, interface, attempts);
        let mut response = self
            .http
            .post(url)
            .header(CONTENT_TYPE, "application/json; charset=utf-8")
            .body(json)
            .send()
            .await
            .map_err(failure)?;
        let status = response.status().as_u16();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(failure)? {
            if body.len().saturating_add(chunk.len()) > MAX_REPLY_BYTES {
                return Err(ClientError::ReplyTooLarge { interface, limit: MAX_REPLY_BYTES });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Exchange { status, body })
    }
}

/// Sorts a failure by what it says about the request: not connected means not sent (a connect
/// timeout included); a timeout or a broken exchange means it may have arrived.
fn transport_failure(error: reqwest::Error, url: &str, interface: &'static str, attempts: u32) -> ClientError {
    if error.is_connect() {
        ClientError::Connect { interface, url: url.to_owned(), attempts, source: Box::new(error) }
    } else if error.is_timeout() {
        ClientError::Timeout { interface, attempts, source: Box::new(error) }
    } else {
        ClientError::Transport { interface, attempts, source: Box::new(error) }
    }
}
