//! Keeping other sites' pages from changing the sandbox's state through a visitor's browser.
//!
//! Any web page can make a browser send a "simple" POST to any address — a form post, or a
//! `text/plain` fetch — without asking the server first. The sandbox grants no CORS, so it
//! refuses what only such a request looks like: a state-changing request from another origin
//! (by its `Origin` or `Sec-Fetch-Site` header), and a control-API POST that is not JSON (a
//! browser sends JSON cross-site only after a preflight the sandbox never grants). The SDK,
//! curl and the sandbox's own pages send neither, or the sandbox's own origin.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::Shared;

/// The longest `Host` header taken as an address: a DNS name (253) and a port.
const MAX_HOST: usize = 260;

/// Refuses a state-changing request sent from a page of another origin, with 403.
pub async fn refuse_other_origins(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let fetched_from = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()).unwrap_or("");
    if fetched_from.eq_ignore_ascii_case("cross-site") || fetched_from.eq_ignore_ascii_case("same-site") {
        return refused(&format!("Sec-Fetch-Site: {fetched_from}"));
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("(not text)");
        let own = shared.base_url.trim_end_matches("/VMP");
        let addressed = addressed_origin(headers);
        let same = origin.eq_ignore_ascii_case(own)
            || addressed.as_deref().is_some_and(|addressed| origin.eq_ignore_ascii_case(addressed));
        if !same {
            return refused(&format!("Origin {origin}"));
        }
    }
    next.run(request).await
}

fn refused(what: &str) -> Response {
    (
        StatusCode::FORBIDDEN,
        format!(
            "refused: a request from another site ({what}) may not change the sandbox; use its own pages, the SDK, \
             or a tool such as curl that sends no Origin"
        ),
    )
        .into_response()
}

/// Refuses a control-API POST that is not JSON, with 415.
pub async fn require_json(request: Request, next: Next) -> Response {
    if request.method() == Method::POST && !is_json(request.headers()) {
        return (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "the control API takes JSON: send `Content-Type: application/json` (curl: -H 'content-type: \
             application/json'), with an empty body where there is nothing to send",
        )
            .into_response();
    }
    next.run(request).await
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
}

/// `http://HOST` for the `Host` the request was addressed to — the origin of a sandbox page the
/// browser opened at that address — when it is a plain host name or address with a port.
pub fn addressed_origin(headers: &HeaderMap) -> Option<String> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let plain = !host.is_empty()
        && host.len() <= MAX_HOST
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
    plain.then(|| format!("http://{host}"))
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        pairs.iter().map(|(n, v)| (n.clone(), HeaderValue::from_str(v).unwrap())).collect()
    }

    #[test]
    fn json_is_recognised_with_parameters_and_any_case() {
        assert!(is_json(&headers(&[(header::CONTENT_TYPE, "application/json")])));
        assert!(is_json(&headers(&[(header::CONTENT_TYPE, "Application/JSON; charset=utf-8")])));
        assert!(!is_json(&headers(&[(header::CONTENT_TYPE, "text/plain")])));
        assert!(!is_json(&headers(&[(header::CONTENT_TYPE, "application/jsonp")])));
        assert!(!is_json(&headers(&[])));
    }

    #[test]
    fn only_a_plain_host_is_taken_as_the_addressed_origin() {
        assert_eq!(
            addressed_origin(&headers(&[(header::HOST, "localhost:8080")])).as_deref(),
            Some("http://localhost:8080")
        );
        assert_eq!(addressed_origin(&headers(&[(header::HOST, "[::1]:8080")])).as_deref(), Some("http://[::1]:8080"));
        assert_eq!(addressed_origin(&headers(&[(header::HOST, "evil\"><script>")])), None);
        assert_eq!(addressed_origin(&headers(&[(header::HOST, &"a".repeat(300))])), None);
        assert_eq!(addressed_origin(&headers(&[])), None);
    }
}
