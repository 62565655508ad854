//! The sandbox's own paths, written once — the root the spec's endpoints are served under and
//! the pay page beside them — and the check that no endpoint of the spec being served takes one
//! of them, made before anything is bound or routed: a router given one path twice does not
//! start.

use eftpay::catalog::Catalog;

use crate::SandboxError;

/// The root the spec's endpoints are served under, as eftPay's are under its base URL's path:
/// a client given the sandbox's base URL (which ends with it) adds an endpoint to it as it does
/// to eftPay's.
pub const GATEWAY_ROOT: &str = "/VMP";

/// The pay page, under [`GATEWAY_ROOT`]: every order's pay link and QR code content.
pub const PAY_PAGE: &str = "/web/payPage";

/// Why `endpoint` cannot be served under [`GATEWAY_ROOT`], if it cannot.
fn unservable(endpoint: &str) -> Option<String> {
    if endpoint == PAY_PAGE {
        return Some(format!("the sandbox serves its pay page at {GATEWAY_ROOT}{PAY_PAGE}"));
    }
    // The router reads braces as a parameter to capture, so such a path would not be the
    // endpoint it says.
    if endpoint.contains(['{', '}']) {
        return Some("a path with `{` or `}` would be routed as a pattern, not as written".to_owned());
    }
    None
}

/// Checks that every endpoint of `catalog`'s request interfaces can be served.
///
/// # Errors
/// [`SandboxError::Endpoint`] for the first that cannot: which interface, which endpoint, why.
pub fn check_endpoints(catalog: &Catalog) -> Result<(), SandboxError> {
    for interface in catalog.interfaces {
        let Some(endpoint) = interface.endpoint else { continue };
        if let Some(reason) = unservable(endpoint) {
            return Err(SandboxError::Endpoint { interface: interface.name, endpoint, reason });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_that_take_a_sandbox_path_or_read_as_a_pattern_are_unservable() {
        assert!(unservable(PAY_PAGE).is_some_and(|why| why.contains("pay page")));
        assert!(unservable("/Servlet/{id}.do").is_some());
        assert!(unservable("/Servlet/JSAPIService.do").is_none());
        assert!(unservable(&format!("{PAY_PAGE}/more")).is_none(), "only the page itself is taken");
    }
}
