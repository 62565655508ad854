//! Rust names derived from wire names. Wire names stay verbatim on the wire; these are only
//! what the generated code calls things.

/// `service.alipay.web.PreOrder` → `AlipayWebPreOrder`, `ONLINE_WEB` → `OnlineWeb`,
/// `trade_status_sync` → `TradeStatusSync`, `payType` → `PayType`.
///
/// A leading `service` word is dropped: every service name has it.
pub fn upper_camel(wire: &str) -> String {
    let mut words = words(wire);
    if words.len() > 1 && words.first().is_some_and(|w| w.eq_ignore_ascii_case("service")) {
        words.remove(0);
    }
    words.iter().map(|w| capitalize(w)).collect()
}

/// `payType` → `pay_type`, `customerInfo` → `customer_info`, `pay_scene` → `pay_scene`.
pub fn snake(wire: &str) -> String {
    words(wire).iter().map(|w| w.to_ascii_lowercase()).collect::<Vec<_>>().join("_")
}

/// Whether `name` can be a Rust identifier as it is (keywords are written raw: `r#type`).
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name != "_"
}

/// Whether `name` is a snake_case name the generator can build identifiers from
/// (`qrcode_close` → `QrcodeClose`, `QRCODE_CLOSE`): lowercase letters, digits and `_`,
/// starting with a letter.
pub fn is_snake_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !is_keyword(name)
}

/// Rust keywords, which the generator writes as raw identifiers.
pub fn is_keyword(name: &str) -> bool {
    matches!(
        name,
        "as" | "break"
            | "const"
            | "continue"
            | "crate"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "self"
            | "Self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "async"
            | "await"
            | "dyn"
            | "abstract"
            | "become"
            | "box"
            | "do"
            | "final"
            | "macro"
            | "override"
            | "priv"
            | "typeof"
            | "unsized"
            | "virtual"
            | "yield"
            | "try"
            | "gen"
    )
}

/// Splits at `.`, `_`, `-`, spaces, and lower→upper case changes; all-caps runs stay one word.
fn words(wire: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous: Option<char> = None;
    for c in wire.chars() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous = None;
            continue;
        }
        if c.is_ascii_uppercase() && previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit()) {
            words.push(std::mem::take(&mut current));
        }
        current.push(c);
        previous = Some(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

fn capitalize(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_names_drop_the_service_prefix() {
        assert_eq!(upper_camel("service.alipay.web.PreOrder"), "AlipayWebPreOrder");
        assert_eq!(upper_camel("service.atome.v2.wap.PreOrder"), "AtomeV2WapPreOrder");
        assert_eq!(upper_camel("service.wechat.oauth2.Authorize"), "WechatOauth2Authorize");
    }

    #[test]
    fn wire_values_become_upper_camel() {
        assert_eq!(upper_camel("ONLINE_WEB"), "OnlineWeb");
        assert_eq!(upper_camel("trade_status_sync"), "TradeStatusSync");
        assert_eq!(upper_camel("payType"), "PayType");
        assert_eq!(upper_camel("cn"), "Cn");
    }

    #[test]
    fn field_names_become_snake_case() {
        assert_eq!(snake("payType"), "pay_type");
        assert_eq!(snake("customerInfo"), "customer_info");
        assert_eq!(snake("pay_scene"), "pay_scene");
        assert_eq!(snake("paytype"), "paytype");
        assert_eq!(snake("rejectReason"), "reject_reason");
    }

    #[test]
    fn identifiers_and_keywords_are_recognized() {
        assert!(is_identifier("pay_type"));
        assert!(!is_identifier("00"));
        assert!(!is_identifier(""));
        assert!(!is_identifier("-13"));
        assert!(is_keyword("type"));
        assert!(!is_keyword("wallet"));
    }
}
