//! The HTTP exchange (`docs/protocol.md` §1): one POST of a body in the interface's encoding,
//! and the reply's status and body. reqwest over rustls; reqwest neither follows redirects nor
//! retries on its own, so what is sent, and how often, is decided by this crate alone. A body is
//! read in chunks up to a limit ([`read_limited`]), never whole on the sender's word.

use std::time::Duration;

use reqwest::header::CONTENT_TYPE;

use super::ClientError;
use super::redact::{redact_url, strip_url};
use crate::received::MAX_BODY_BYTES;

/// A reply is a received message like any other, so it has the received-message limit; reading
/// stops at the first chunk past it rather than reading a body that would be refused anyway.
const MAX_REPLY_BYTES: usize = MAX_BODY_BYTES;

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
    /// How long one attempt may take, set on each request so it holds for an application's
    /// own client too.
    timeout: Duration,
}

/// A reqwest builder with the SDK's TLS: rustls with the `ring` provider handed to it
/// directly and the platform's certificate verifier. Nothing is installed process-wide, so an
/// application stays free to install a rustls default provider of its own.
///
/// # Errors
/// [`ClientError::Config`] when the platform's certificate store cannot be used.
pub fn http_client_builder() -> Result<reqwest::ClientBuilder, ClientError> {
    use rustls_platform_verifier::BuilderVerifierExt;
    let unusable = |e: rustls::Error| ClientError::Config { reason: format!("TLS could not be set up ({e})") };
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(unusable)?
        .with_platform_verifier()
        .map_err(unusable)?
        .with_no_client_auth();
    Ok(reqwest::Client::builder().tls_backend_preconfigured(tls))
}

impl Transport {
    pub(super) fn new(connect_timeout: Duration, timeout: Duration) -> Result<Transport, ClientError> {
        let http = http_client_builder()?
            .connect_timeout(connect_timeout)
            // A redirected POST may be replayed as a GET without its body; a redirect means a
            // wrong base URL, and is reported as the HTTP status it is.
            .redirect(reqwest::redirect::Policy::none())
            .retry(reqwest::retry::never())
            .user_agent(concat!("eftpay-rs/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ClientError::Config { reason: format!("the HTTP client could not start ({e})") })?;
        Ok(Transport { http, timeout })
    }

    /// A transport over the application's own client (a proxy, a custom CA, middleware).
    pub(super) fn with_client(http: reqwest::Client, timeout: Duration) -> Transport {
        Transport { http, timeout }
    }

    /// POSTs `body` as `content_type` to `url` and reads the reply; `attempts` is the number of
    /// this attempt, for the error.
    pub(super) async fn post(
        &self,
        url: &str,
        content_type: &'static str,
        body: String,
        interface: &'static str,
        attempts: u32,
    ) -> Result<Exchange, ClientError> {
        let failure = |error: reqwest::Error| transport_failure(error, url, interface, attempts);
        let response = self
            .http
            .post(url)
            .timeout(self.timeout)
            .header(CONTENT_TYPE, content_type)
            .body(body)
            .send()
            .await
            .map_err(failure)?;
        let status = response.status().as_u16();
        let body = read_chunks(response, MAX_REPLY_BYTES).await.map_err(|cut| match cut {
            Cut::TooLarge => ClientError::ReplyTooLarge { interface, limit: MAX_REPLY_BYTES },
            Cut::Failed(error) => failure(error),
        })?;
        Ok(Exchange { status, body })
    }
}

/// Why a body was not read whole ([`read_limited`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BodyError {
    /// The body is larger than the limit. Reading stopped at the first chunk past it (or before
    /// the first, when the body announced its length), so the rest was never read.
    #[error(
        "the answer is larger than {limit} bytes, more than is read from anyone; it was not read further — check \
         that the address is the one meant and that it answers as expected"
    )]
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The connection failed while the body was being read.
    #[error("the answer could not be read whole ({source}); ask again")]
    Unreadable {
        /// What the HTTP stack reported (its URL, if any, stripped of userinfo and query).
        #[source]
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },
}

/// Reads `response`'s body, at most `max_bytes` of it: in chunks, refusing as soon as the body
/// grows past the limit (or at once when its announced length is past it), so a sender cannot
/// make the reader hold more than `max_bytes` — whatever it sends, and however slowly (bound
/// the time with the client's timeout). For bodies from anyone outside: a reply, a
/// notification's acknowledgement, a page.
///
/// ```no_run
/// # async fn run(response: reqwest::Response) -> Result<(), eftpay::gateway::BodyError> {
/// let body = eftpay::gateway::read_limited(response, eftpay::ReceiveLimits::DEFAULT.max_body_bytes).await?;
/// # let _ = body; Ok(()) }
/// ```
///
/// # Errors
/// [`BodyError::TooLarge`] past `max_bytes`; [`BodyError::Unreadable`] when the connection fails.
pub async fn read_limited(response: reqwest::Response, max_bytes: usize) -> Result<Vec<u8>, BodyError> {
    read_chunks(response, max_bytes).await.map_err(|cut| match cut {
        Cut::TooLarge => BodyError::TooLarge { limit: max_bytes },
        Cut::Failed(mut error) => {
            if let Some(kept) = error.url_mut() {
                strip_url(kept);
            }
            BodyError::Unreadable { source: Box::new(error) }
        }
    })
}

/// Where reading a body stopped short.
enum Cut {
    TooLarge,
    Failed(reqwest::Error),
}

async fn read_chunks(mut response: reqwest::Response, max_bytes: usize) -> Result<Vec<u8>, Cut> {
    let max = u64::try_from(max_bytes).unwrap_or(u64::MAX);
    let announced = response.content_length();
    if announced.is_some_and(|announced| announced > max) {
        return Err(Cut::TooLarge);
    }
    // An announced length within the limit is room to reserve, not a promise: reading still
    // stops at the limit whatever arrives.
    let mut body = Vec::with_capacity(announced.and_then(|length| usize::try_from(length).ok()).unwrap_or(0));
    while let Some(chunk) = response.chunk().await.map_err(Cut::Failed)? {
        if body.len().saturating_add(chunk.len()) > max_bytes {
            return Err(Cut::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Sorts a failure by what it says about the request: not connected means not sent (a connect
/// timeout included); a timeout or a broken exchange means it may have arrived. The URL in the
/// error, and the one reqwest keeps in its own, are redacted.
fn transport_failure(mut error: reqwest::Error, url: &str, interface: &'static str, attempts: u32) -> ClientError {
    if let Some(kept) = error.url_mut() {
        strip_url(kept);
    }
    if error.is_connect() {
        ClientError::Connect { interface, url: redact_url(url), attempts, source: Box::new(error) }
    } else if error.is_timeout() {
        ClientError::Timeout { interface, attempts, source: Box::new(error) }
    } else {
        ClientError::Transport { interface, attempts, source: Box::new(error) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SENTINEL: &str = "SENTINEL-PW-0001";

    /// Every text an error offers: its Display and Debug, and those of each `source()`.
    fn every_text(error: &(dyn std::error::Error + 'static)) -> Vec<String> {
        let mut texts = Vec::new();
        let mut next = Some(error);
        while let Some(error) = next {
            texts.push(error.to_string());
            texts.push(format!("{error:?}"));
            next = error.source();
        }
        texts
    }

    #[tokio::test]
    async fn transport_errors_do_not_carry_userinfo_or_query() {
        // Port 1 refuses at once. The client never builds such a URL (the builder refuses it);
        // this holds the transport to redacting whatever it is given.
        let url = format!("http://merchant:{SENTINEL}@127.0.0.1:1/VMP?secret={SENTINEL}#{SENTINEL}");
        let error = http_client_builder().unwrap().build().unwrap().post(&url).send().await.unwrap_err();
        assert!(every_text(&error).iter().any(|text| text.contains(SENTINEL)), "reqwest quotes the URL unredacted");

        let error = transport_failure(error, &url, "query", 1);

        assert!(matches!(error, ClientError::Connect { .. }), "{error:?}");
        for text in every_text(&error) {
            assert!(!text.contains(SENTINEL) && !text.contains("merchant"), "leaked: {text}");
        }
        assert!(error.to_string().contains("127.0.0.1:1/VMP"), "{error}");
    }

    /// Serves one raw HTTP response on a loopback port (on a thread of its own, byte for byte as
    /// given); its URL.
    fn answering(response: Vec<u8>) -> String {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            let (mut socket, _) = listener.accept().unwrap();
            let mut request = [0_u8; 1024];
            let _ = socket.read(&mut request);
            let _ = socket.write_all(&response);
        });
        url
    }

    async fn read_from(response: Vec<u8>, limit: usize) -> Result<Vec<u8>, BodyError> {
        let url = answering(response);
        let response = http_client_builder().unwrap().build().unwrap().get(&url).send().await.unwrap();
        read_limited(response, limit).await
    }

    fn with_length(body: &[u8]) -> Vec<u8> {
        let mut response = format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n", body.len()).into_bytes();
        response.extend_from_slice(body);
        response
    }

    /// A body sent in chunks of `size` bytes with no announced length.
    fn chunked(body: &[u8], size: usize) -> Vec<u8> {
        let mut response = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n".to_vec();
        for chunk in body.chunks(size) {
            response.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
            response.extend_from_slice(chunk);
            response.extend_from_slice(b"\r\n");
        }
        response.extend_from_slice(b"0\r\n\r\n");
        response
    }

    #[tokio::test]
    async fn a_body_up_to_the_limit_is_read_whole() {
        let body = vec![b'x'; 100];
        assert_eq!(read_from(with_length(&body), 100).await.unwrap(), body);
        assert_eq!(read_from(chunked(&body, 7), 100).await.unwrap(), body);
    }

    #[tokio::test]
    async fn a_body_past_the_limit_is_refused_whether_announced_or_not() {
        let body = vec![b'x'; 101];
        let announced = read_from(with_length(&body), 100).await.unwrap_err();
        assert!(matches!(announced, BodyError::TooLarge { limit: 100 }), "{announced:?}");
        let streamed = read_from(chunked(&body, 7), 100).await.unwrap_err();
        assert!(matches!(streamed, BodyError::TooLarge { limit: 100 }), "{streamed:?}");
        assert!(streamed.to_string().contains("larger than 100 bytes"), "{streamed}");
    }
}
