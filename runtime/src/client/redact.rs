//! URLs as errors and `Debug` show them: without userinfo, query or fragment. Those are the
//! parts where a password or token goes when someone pastes one into a base URL
//! (`https://user:secret@host/VMP`, `…/VMP?secret=…`), and an error message ends up in logs
//! and terminals. Every URL the client quotes passes through [`redact_url`] first.

/// What stands where a part was removed, as the secret's own `Debug` shows it.
const REDACTED: &str = "<redacted>";

/// `url` without its userinfo, query and fragment; each part that was there is replaced by
/// `<redacted>`, so the reader still sees that something was there:
/// `https://user:pw@host/VMP?k=v` becomes `https://<redacted>@host/VMP?<redacted>`.
///
/// Text that is not a URL is cut by its characters: everything before the last `@`, and after
/// that everything from the first `?` or `#` on, goes.
///
/// ```
/// use eftpay::redact_url;
///
/// assert_eq!(redact_url("https://merchant:pw@vmp.example/VMP?token=t"), "https://<redacted>@vmp.example/VMP?<redacted>");
/// assert_eq!(redact_url("https://vmp.eftpay.com.cn/VMP"), "https://vmp.eftpay.com.cn/VMP");
/// ```
pub fn redact_url(url: &str) -> String {
    match reqwest::Url::parse(url.trim()) {
        Ok(parsed) if parsed.has_host() => redact_parsed(parsed),
        // Without a host, an `@` is in the path, where a parsed URL keeps it: cut by text.
        _ => redact_text(url),
    }
}

/// Removes userinfo, query and fragment from a URL in place, for the URL reqwest keeps in its
/// errors; no marker is left, since the URL is rebuilt from parts.
pub(super) fn strip_url(url: &mut reqwest::Url) {
    // Only URLs without a host refuse these, and they carry no userinfo.
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.set_query(None);
    url.set_fragment(None);
}

fn redact_parsed(mut url: reqwest::Url) -> String {
    let had_userinfo = !url.username().is_empty() || url.password().is_some();
    let had_query = url.query().is_some();
    let had_fragment = url.fragment().is_some();
    strip_url(&mut url);
    let mut out = match url.as_str().split_once("://") {
        Some((scheme, rest)) if had_userinfo => format!("{scheme}://{REDACTED}@{rest}"),
        _ => url.as_str().to_owned(),
    };
    if had_query {
        out.push('?');
        out.push_str(REDACTED);
    }
    if had_fragment {
        out.push('#');
        out.push_str(REDACTED);
    }
    out
}

fn redact_text(text: &str) -> String {
    let text = text.trim();
    // Without a parser's word on where the userinfo ends, everything up to the last `@` goes:
    // a password may itself hold `/`, `?` or `#`.
    let (mut out, rest) = match text.rsplit_once('@') {
        Some((before, after)) => {
            // Keep the scheme only when it is one: letters, digits, `+`, `-`, `.` — never `@` or `:`.
            let scheme = before.split_once("://").map(|(scheme, _)| scheme).filter(|scheme| is_scheme(scheme));
            let prefix = match scheme {
                Some(scheme) => format!("{scheme}://{REDACTED}@"),
                None => format!("{REDACTED}@"),
            };
            (prefix, after)
        }
        None => (String::new(), text),
    };
    let head = rest.split(['?', '#']).next().unwrap_or_default();
    out.push_str(head);
    if let Some(delimiter) = rest.get(head.len()..).and_then(|tail| tail.chars().next()) {
        out.push(delimiter);
        out.push_str(REDACTED);
    }
    out
}

fn is_scheme(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_alphabetic())
        && text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SENTINEL: &str = "SENTINEL-PW-0001";

    #[test]
    fn userinfo_query_and_fragment_are_replaced() {
        let cases = [
            ("https://user:SENTINEL-PW-0001@vmp.example/VMP", "https://<redacted>@vmp.example/VMP"),
            ("https://SENTINEL-PW-0001@vmp.example:8443/VMP/", "https://<redacted>@vmp.example:8443/VMP/"),
            ("https://vmp.example/VMP?secret=SENTINEL-PW-0001", "https://vmp.example/VMP?<redacted>"),
            ("https://vmp.example/VMP#SENTINEL-PW-0001", "https://vmp.example/VMP#<redacted>"),
            (
                "https://u:SENTINEL-PW-0001@vmp.example/VMP?s=1#f",
                "https://<redacted>@vmp.example/VMP?<redacted>#<redacted>",
            ),
            ("http://127.0.0.1:8080/VMP", "http://127.0.0.1:8080/VMP"),
        ];
        for (url, redacted) in cases {
            assert_eq!(redact_url(url), redacted, "{url}");
        }
    }

    #[test]
    fn text_that_is_not_a_url_is_cut_by_its_characters() {
        let cases = [
            ("user:SENTINEL-PW-0001@vmp.example/VMP", "<redacted>@vmp.example/VMP"),
            ("https://user:SENTINEL-PW-0001@", "https://<redacted>@"),
            ("https://user:SEN/TINEL-PW-0001@host:99999/VMP", "https://<redacted>@host:99999/VMP"),
            ("x@y://user:SENTINEL-PW-0001@host", "<redacted>@host"),
            ("vmp.example/VMP?secret=SENTINEL-PW-0001@x", "<redacted>@x"),
            ("https://u:SENTINEL?PW-0001@host/VMP", "https://<redacted>@host/VMP"),
            ("vmp.example/VMP?secret=SENTINEL-PW-0001", "vmp.example/VMP?<redacted>"),
            ("mailto:SENTINEL-PW-0001@host", "<redacted>@host"),
            ("vmp.eftpay.com.cn/VMP", "vmp.eftpay.com.cn/VMP"),
        ];
        for (text, redacted) in cases {
            assert_eq!(redact_url(text), redacted, "{text}");
            assert!(!redact_url(text).contains("SENTINEL") && !redact_url(text).contains("TINEL"), "{text}");
        }
    }

    #[test]
    fn stripping_leaves_scheme_host_port_and_path() {
        let mut url =
            reqwest::Url::parse(&format!("https://u:{SENTINEL}@h.example:81/p?q={SENTINEL}#{SENTINEL}")).unwrap();
        strip_url(&mut url);
        assert_eq!(url.as_str(), "https://h.example:81/p");
    }
}
