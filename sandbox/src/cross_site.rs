//! Keeping other sites' pages from changing the sandbox's state through a visitor's browser.
//!
//! Any web page can make a browser send a "simple" POST to any address — a form post, or a
//! `text/plain` fetch — without asking the server first. The sandbox grants no CORS, so it
//! refuses what only such a request looks like: a state-changing request from another origin
//! (by its `Origin` or `Sec-Fetch-Site` header), and a control-API POST that is not JSON (a
//! browser sends JSON cross-site only after a preflight the sandbox never grants). The SDK,
//! curl and the sandbox's own pages send neither, or the sandbox's own origin.
//!
//! A page can also reach the sandbox through a host name of its own that its DNS points here
//! (DNS rebinding): the browser then takes the sandbox for that page's origin, so the page's
//! `Origin` equals the request's `Host`. So every request must be addressed to a name of this
//! sandbox — an address it listens on, a loopback name, or the host it was configured with —
//! and only such a `Host` is ever taken as the sandbox's own origin.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::Shared;

/// The longest `Host` header taken as an address: a DNS name (253) and a port.
const MAX_HOST: usize = 260;

/// Refuses a request addressed to a name that is not this sandbox's (421), and a
/// state-changing request sent from a page of another origin (403).
pub async fn refuse_other_origins(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    if let Some(host) = request.headers().get(header::HOST) {
        let host = host.to_str().unwrap_or("(not text)");
        if !names_this_sandbox(host, shared.addr, shared.config.host.as_deref()) {
            return (
                StatusCode::MISDIRECTED_REQUEST,
                format!(
                    "refused: this sandbox does not answer to the host name {}; open it at {} (or start it with that \
                     name as its configured host)",
                    printable(host),
                    shared.origin()
                ),
            )
                .into_response();
        }
    }
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
        let own = shared.origin();
        let addressed = addressed_origin(&shared, headers);
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
/// browser opened at that address — when it is a plain host name or address with a port that
/// names this sandbox.
pub fn addressed_origin(shared: &Shared, headers: &HeaderMap) -> Option<String> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    names_this_sandbox(host, shared.addr, shared.config.host.as_deref()).then(|| format!("http://{host}"))
}

/// Whether a `Host` value names the sandbox listening on `bound`, configured with `configured`:
/// a plain name or address whose port is the sandbox's, and which is a loopback address or name,
/// an address the sandbox listens on, or the configured host. An address in `Host` cannot be
/// rebound, so any address is accepted when the sandbox listens on all of them.
pub fn names_this_sandbox(host: &str, bound: SocketAddr, configured: Option<&str>) -> bool {
    let plain = !host.is_empty()
        && host.len() <= MAX_HOST
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
    let Some((name, port)) = plain.then(|| split_host(host)).flatten() else { return false };
    if port.unwrap_or(DEFAULT_HTTP_PORT) != bound.port() {
        return false;
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback() || ip == bound.ip() || bound.ip().is_unspecified(),
        Err(_) => {
            let name = name.trim_end_matches('.');
            name.eq_ignore_ascii_case("localhost")
                || name.to_ascii_lowercase().ends_with(".localhost")
                || configured.map(host_name).is_some_and(|c| !c.is_empty() && name.eq_ignore_ascii_case(c))
        }
    }
}

/// The port a `Host` without one stands for.
const DEFAULT_HTTP_PORT: u16 = 80;

/// The name part of a configured host, without any port or brackets.
pub fn host_name(host: &str) -> &str {
    split_host(host.trim()).map_or(host, |(name, _)| name)
}

/// A `Host` value's name (brackets removed from an IPv6 address) and port, if it has one.
fn split_host(host: &str) -> Option<(&str, Option<u16>)> {
    if let Some(rest) = host.strip_prefix('[') {
        let (name, after) = rest.split_once(']')?;
        return match after.strip_prefix(':') {
            Some(port) => Some((name, Some(port.parse().ok()?))),
            None if after.is_empty() => Some((name, None)),
            None => None,
        };
    }
    match host.split_once(':') {
        Some((name, port)) if !port.contains(':') => Some((name, Some(port.parse().ok()?))),
        Some(_) => None,
        None => Some((host, None)),
    }
}

/// A received header value as it may be shown: at most [`MAX_HOST`] characters, control
/// characters replaced.
fn printable(text: &str) -> String {
    text.chars().take(MAX_HOST).map(|c| if c.is_control() { '?' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        pairs.iter().map(|(n, v)| (n.clone(), HeaderValue::from_str(v).unwrap())).collect()
    }

    #[test]
    fn json_is_recognized_with_parameters_and_any_case() {
        assert!(is_json(&headers(&[(header::CONTENT_TYPE, "application/json")])));
        assert!(is_json(&headers(&[(header::CONTENT_TYPE, "Application/JSON; charset=utf-8")])));
        assert!(!is_json(&headers(&[(header::CONTENT_TYPE, "text/plain")])));
        assert!(!is_json(&headers(&[(header::CONTENT_TYPE, "application/jsonp")])));
        assert!(!is_json(&headers(&[])));
    }

    #[test]
    fn only_a_host_naming_this_sandbox_is_accepted() {
        let loopback = SocketAddr::from(([127, 0, 0, 1], 8080));
        assert!(names_this_sandbox("localhost:8080", loopback, None));
        assert!(names_this_sandbox("127.0.0.1:8080", loopback, None));
        assert!(names_this_sandbox("[::1]:8080", loopback, None));
        assert!(names_this_sandbox("app.localhost:8080", loopback, None));
        assert!(!names_this_sandbox("localhost:8081", loopback, None), "another port");
        assert!(!names_this_sandbox("localhost", loopback, None), "port 80 is not this one");
        assert!(!names_this_sandbox("evil.example:8080", loopback, None), "a rebound name");
        assert!(!names_this_sandbox("192.168.1.5:8080", loopback, None), "an address it does not listen on");
        assert!(names_this_sandbox("shop.lan:8080", loopback, Some("shop.lan")));
        assert!(names_this_sandbox("SHOP.lan:8080", loopback, Some("shop.lan:9999")), "the configured name, any case");
        assert!(!names_this_sandbox("evil\"><script>:8080", loopback, None));
        assert!(!names_this_sandbox(&"a".repeat(300), loopback, None));
        assert!(!names_this_sandbox("", loopback, None));
        let everywhere = SocketAddr::from(([0, 0, 0, 0], 8080));
        assert!(names_this_sandbox("192.168.1.5:8080", everywhere, None), "any address of an unspecified bind");
        assert!(!names_this_sandbox("evil.example:8080", everywhere, None));
    }

    #[test]
    fn a_configured_host_is_a_name_without_port() {
        assert_eq!(host_name("shop.lan:8080"), "shop.lan");
        assert_eq!(host_name("[::1]:8080"), "::1");
        assert_eq!(host_name("shop.lan"), "shop.lan");
    }
}
