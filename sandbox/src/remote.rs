//! A sandbox running in another process, driven through its control API: pay, fail, cancel or
//! expire an order, deliver its notification again, read what was delivered where. What
//! `eftpay trigger`, `eftpay resend` and `eftpay deliveries` do, and what a merchant's own
//! integration tests can do against `eftpay sandbox` without curl.
//!
//! ```no_run
//! # async fn run() -> Result<(), eftpay_sandbox::remote::RemoteError> {
//! use eftpay_sandbox::remote::{Action, Remote};
//!
//! // The base URL `eftpay sandbox` printed (EFTPAY_BASE_URL).
//! let sandbox = Remote::new("http://127.0.0.1:8080/VMP")?;
//! sandbox.trigger("order-1001", Action::Pay, None).await?; // the merchant's number or eftPay's
//! for delivery in sandbox.deliveries(0).await? {
//!     println!("{} {} {:?}", delivery.url, delivery.interface, delivery.outcome);
//! }
//! # Ok(()) }
//! ```

use std::time::Duration;

pub use crate::control::{Action, Resent};
use crate::notifier::{Delivery, shown_url};
use crate::state::Order;

/// The most a control API answer is read to: the whole delivery log kept, with room to spare.
pub const MAX_ANSWER_BYTES: usize = 32 * 1024 * 1024;

/// How long one control request may take.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// Why a control request failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RemoteError {
    /// The base URL is not an http(s) URL of a sandbox.
    #[error(
        "{shown} is not the base URL of a sandbox ({reason}); use the EFTPAY_BASE_URL `eftpay sandbox` printed, \
         e.g. http://127.0.0.1:8080/VMP"
    )]
    BaseUrl {
        /// The URL, with any user name and password in it redacted.
        shown: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The sandbox could not be reached, or did not answer in time.
    #[error("no answer from the sandbox at {origin}: {reason}; is `eftpay sandbox` running there?")]
    Unreachable {
        /// Where it was asked.
        origin: String,
        /// What went wrong.
        reason: String,
    },
    /// The address answers, but not as a sandbox: there is no control API there (a real
    /// gateway has none).
    #[error(
        "{origin} has no sandbox control API (HTTP {status} for {path}); point EFTPAY_BASE_URL at `eftpay sandbox`"
    )]
    NotASandbox {
        /// Where it was asked.
        origin: String,
        /// The path asked.
        path: String,
        /// What came back.
        status: u16,
    },
    /// The sandbox refused: no such order, an order that cannot be moved that way, nothing to
    /// deliver again. Its text says which.
    #[error("the sandbox refused: {0}")]
    Refused(String),
    /// The answer could not be read.
    #[error("the sandbox's answer could not be read: {0}")]
    Unreadable(String),
}

/// A sandbox in another process, by the base URL it printed.
#[derive(Clone, Debug)]
pub struct Remote {
    origin: String,
    http: reqwest::Client,
}

impl Remote {
    /// The sandbox whose gateway is at `base_url` (`http://HOST:PORT/VMP`); its control API is
    /// at the same origin. Nothing is sent.
    ///
    /// # Errors
    /// The URL is not an http(s) URL with a host, or the HTTP stack cannot start.
    pub fn new(base_url: &str) -> Result<Remote, RemoteError> {
        let refuse = |reason| RemoteError::BaseUrl { shown: shown_url(base_url), reason };
        let url = reqwest::Url::parse(base_url).map_err(|_| refuse("not a URL"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(refuse("not http or https"));
        }
        if url.host_str().is_none() {
            return Err(refuse("no host"));
        }
        // The control API is at the gateway's origin, whatever path the base URL has.
        let origin = url.origin().ascii_serialization();
        let http = eftpay::gateway::http_client_builder()
            .map_err(|e| RemoteError::Unreachable { origin: origin.clone(), reason: e.to_string() })?
            .timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| RemoteError::Unreachable { origin: origin.clone(), reason: e.to_string() })?;
        Ok(Remote { origin, http })
    }

    /// Where the sandbox is (`http://HOST:PORT`).
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Pays, fails, cancels or expires the order `order` names (eftPay's number or the
    /// merchant's); `wallet` is the one the payer chooses, for an order that leaves the choice
    /// to the payer. The order as it now stands.
    ///
    /// # Errors
    /// [`RemoteError::Refused`] for no such order or one no longer pending;
    /// [`Action::Resend`] is [`resend`](Self::resend)'s.
    pub async fn trigger(&self, order: &str, action: Action, wallet: Option<&str>) -> Result<Order, RemoteError> {
        if action == Action::Resend {
            return Err(RemoteError::Refused("resend delivers a notification: use Remote::resend".into()));
        }
        let query: Vec<(&str, &str)> = wallet.map(|w| ("wallet", w)).into_iter().collect();
        self.post(&format!("/control/orders/{}/{}", segment(order), action.as_str()), &query).await
    }

    /// Delivers again the payment notification of the order `order` names, or with
    /// `refund_no` the notification of one of its refunds, acknowledged before or not.
    ///
    /// # Errors
    /// [`RemoteError::Refused`] when there is nothing to deliver (not paid, no notify address,
    /// a service that does not notify, no such refund).
    pub async fn resend(&self, order: &str, refund_no: Option<&str>) -> Result<Resent, RemoteError> {
        let query: Vec<(&str, &str)> = refund_no.map(|no| ("refund_no", no)).into_iter().collect();
        self.post(&format!("/control/orders/{}/{}", segment(order), Action::Resend.as_str()), &query).await
    }

    /// The delivery attempts logged after delivery `after` (0: all the sandbox keeps), oldest
    /// first.
    ///
    /// # Errors
    /// The sandbox could not be reached or its answer read.
    pub async fn deliveries(&self, after: u64) -> Result<Vec<Delivery>, RemoteError> {
        let after = after.to_string();
        self.send(
            self.http.get(self.url_with("/control/deliveries", &[("after", after.as_str())])),
            "/control/deliveries",
        )
        .await
    }

    /// One order, by either number.
    ///
    /// # Errors
    /// [`RemoteError::Refused`] for no such order.
    pub async fn order(&self, order: &str) -> Result<Order, RemoteError> {
        let path = format!("/control/orders/{}", segment(order));
        self.send(self.http.get(self.url(&path)), &path).await
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin)
    }

    fn url_with(&self, path: &str, query: &[(&str, &str)]) -> String {
        if query.is_empty() {
            return self.url(path);
        }
        let query = form_urlencoded::Serializer::new(String::new()).extend_pairs(query).finish();
        format!("{}{path}?{query}", self.origin)
    }

    async fn post<T: serde::de::DeserializeOwned>(&self, path: &str, query: &[(&str, &str)]) -> Result<T, RemoteError> {
        // The control API takes POSTs as JSON only, so a page on another site cannot send them.
        let request = self
            .http
            .post(self.url_with(path, query))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body("{}");
        self.send(request, path).await
    }

    async fn send<T: serde::de::DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
        path: &str,
    ) -> Result<T, RemoteError> {
        let unreachable = |e: reqwest::Error| RemoteError::Unreachable {
            origin: self.origin.clone(),
            reason: e.without_url().to_string(),
        };
        let response = request.send().await.map_err(unreachable)?;
        let status = response.status();
        let body = eftpay::gateway::read_limited(response, MAX_ANSWER_BYTES)
            .await
            .map_err(|e| RemoteError::Unreadable(e.to_string()))?;
        let text = String::from_utf8_lossy(&body);
        match status.as_u16() {
            200 => serde_json::from_slice(&body).map_err(|e| RemoteError::Unreadable(e.to_string())),
            // The sandbox's refusals are a sentence; anything else answering is not a sandbox.
            409 => Err(RemoteError::Refused(text.into_owned())),
            404 if text.starts_with("no order") => Err(RemoteError::Refused(text.into_owned())),
            other => {
                Err(RemoteError::NotASandbox { origin: self.origin.clone(), path: path.to_owned(), status: other })
            }
        }
    }
}

/// An order number as one path segment: characters a path gives meaning to are escaped.
fn segment(number: &str) -> String {
    form_urlencoded::byte_serialize(number.as_bytes()).collect::<String>().replace('+', "%20")
}
