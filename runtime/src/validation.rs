//! What `validate()` reports: every rule a message breaks, each naming the wire field, the
//! rule, and what to do about it. The generated validators decide *which* checks a message gets
//! (from the spec); the checks themselves live here, once.

use std::fmt;

use crate::Amount;

/// Implemented by every generated enum, so checks can name values and list the known ones.
pub trait WireEnum {
    /// The Rust type name (`Wallet`).
    const TYPE_NAME: &'static str;
    /// Every documented wire value.
    const KNOWN: &'static [&'static str];
    /// The wire text.
    fn as_str(&self) -> &str;
    /// Whether the value is a documented one.
    fn is_known(&self) -> bool;
}

/// Which rule a field breaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Rule {
    /// A required field is missing or empty.
    Required,
    /// Longer than the doc's `String(n)`.
    TooLong,
    /// Not one of the values eftPay documents.
    UnknownValue,
    /// The service belongs to another interface.
    WrongInterface,
    /// The value is not in the service's row (payType, wallet, pay_scene, lang).
    NotForService,
    /// The service does not take this field at all.
    NotAllowedForService,
    /// Only valid when another field has certain values.
    OnlyWhen,
    /// Not a usable http(s) URL.
    InvalidUrl,
    /// None of a group of fields is set.
    AtLeastOneOf,
    /// More than another amount allows (a refund above the order total).
    AboveLimit,
    /// A number outside its range (a zero amount, a zero validity).
    OutOfRange,
    /// Received text that cannot be the field's type (a gateway reading a request).
    Malformed,
}

/// One broken rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The wire name of the field (`wallet`), or the first of a group.
    pub field: &'static str,
    /// The rule.
    pub rule: Rule,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Every rule a message breaks; returned by `validate()`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violations {
    interface: &'static str,
    list: Vec<Violation>,
}

impl std::error::Error for Violations {}

impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} request breaks {} rule(s):", self.interface, self.list.len())?;
        for v in &self.list {
            write!(f, "\n  - {}", v.message)?;
        }
        Ok(())
    }
}

impl Violations {
    /// An empty list for a message of `interface`.
    pub fn new(interface: &'static str) -> Self {
        Violations { interface, list: Vec::new() }
    }

    /// The interface whose message was checked.
    pub fn interface(&self) -> &'static str {
        self.interface
    }

    /// The violations, in field order.
    pub fn iter(&self) -> std::slice::Iter<'_, Violation> {
        self.list.iter()
    }

    /// How many rules are broken.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether no rule is broken.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Whether `field` breaks `rule`.
    pub fn has(&self, field: &str, rule: Rule) -> bool {
        self.list.iter().any(|v| v.field == field && v.rule == rule)
    }

    /// `Ok` when nothing was recorded.
    ///
    /// # Errors
    /// `self`, when any rule is broken.
    pub fn into_result(self) -> Result<(), Violations> {
        if self.list.is_empty() { Ok(()) } else { Err(self) }
    }

    /// Records a violation.
    pub fn push(&mut self, field: &'static str, rule: Rule, message: String) {
        self.list.push(Violation { field, rule, message });
    }

    /// A received field whose text cannot be its type.
    pub fn malformed(&mut self, field: &'static str, error: &crate::received::IncomingError) {
        self.push(field, Rule::Malformed, error.to_string());
    }

    /// A required field that was not received.
    pub fn missing(&mut self, field: &'static str) {
        self.push(field, Rule::Required, format!("`{field}` is required and was not sent"));
    }

    /// A bounded string: not empty when required, at most `max_len` characters.
    pub fn check_text(&mut self, field: &'static str, value: &str, max_len: Option<usize>, required: bool) {
        if required && value.is_empty() {
            self.push(field, Rule::Required, format!("`{field}` is required and may not be empty"));
        }
        if let Some(max) = max_len {
            let length = value.chars().count();
            if length > max {
                self.push(
                    field,
                    Rule::TooLong,
                    format!("`{field}` has {length} characters; eftPay accepts at most {max} — shorten it"),
                );
            }
        }
    }

    /// A URL: a bounded string that is an absolute http(s) URL with a host, no spaces, and —
    /// where the doc says it "cannot carry parameters" — no query string or fragment.
    pub fn check_url(
        &mut self,
        field: &'static str,
        value: &str,
        max_len: Option<usize>,
        required: bool,
        no_query: bool,
    ) {
        self.check_text(field, value, max_len, required);
        if value.is_empty() {
            return;
        }
        let rest = value.strip_prefix("https://").or_else(|| value.strip_prefix("http://"));
        match rest {
            None => self.push(
                field,
                Rule::InvalidUrl,
                format!("`{field}` must be an absolute http:// or https:// URL, got `{value}`"),
            ),
            Some(rest) if rest.is_empty() || rest.starts_with('/') => {
                self.push(field, Rule::InvalidUrl, format!("`{field}` has no host: `{value}`"))
            }
            Some(_) if value.chars().any(char::is_whitespace) => self.push(
                field,
                Rule::InvalidUrl,
                format!("`{field}` contains white space; percent-encode it: `{value}`"),
            ),
            Some(_) if no_query && (value.contains('?') || value.contains('#')) => self.push(
                field,
                Rule::InvalidUrl,
                format!("`{field}` cannot carry parameters (eftPay's rule); remove the `?…` / `#…` part of `{value}`"),
            ),
            Some(_) => {}
        }
    }

    /// An amount: more than zero (an assumption: eftPay documents no zero-amount order or refund), and
    /// its text within the doc's `String(n)`.
    pub fn check_amount(&mut self, field: &'static str, value: &Amount, max_len: Option<usize>) {
        if *value == Amount::ZERO {
            self.push(field, Rule::OutOfRange, format!("`{field}` is 0.00; an amount must be at least 0.01"));
        }
        if let Some(max) = max_len {
            let text = value.to_string();
            if text.len() > max {
                self.push(
                    field,
                    Rule::TooLong,
                    format!("`{field}` is {text}, {} characters; eftPay accepts at most {max} (99999.99)", text.len()),
                );
            }
        }
    }

    /// Whole seconds: at least one.
    pub fn check_seconds(&mut self, field: &'static str, value: &u32) {
        if *value == 0 {
            self.push(
                field,
                Rule::OutOfRange,
                format!("`{field}` is 0 seconds; give at least 1, or leave it out for eftPay's default"),
            );
        }
    }

    /// An enum value must be a documented one: eftPay rejects what it does not know.
    pub fn check_known<E: WireEnum>(&mut self, field: &'static str, value: &E) {
        if !value.is_known() {
            self.push(
                field,
                Rule::UnknownValue,
                format!(
                    "`{field}` is `{}`, which is not a known {}; use one of: {}",
                    value.as_str(),
                    E::TYPE_NAME,
                    E::KNOWN.join(", ")
                ),
            );
        }
    }

    /// A value must be one of the service's (its row of the service table); an empty row means
    /// the service does not take the field at all.
    pub fn check_member<E: WireEnum + PartialEq>(
        &mut self,
        field: &'static str,
        value: &E,
        allowed: &[E],
        service: &str,
        column: &str,
    ) {
        if !value.is_known() || allowed.contains(value) {
            return;
        }
        if allowed.is_empty() {
            self.push(
                field,
                Rule::NotAllowedForService,
                format!("service {service} does not take `{field}`; remove it"),
            );
        } else {
            let list: Vec<&str> = allowed.iter().map(WireEnum::as_str).collect();
            self.push(
                field,
                Rule::NotForService,
                format!(
                    "`{field}` {} is not one of service {service}'s {column}; use {}",
                    value.as_str(),
                    list.join(" or ")
                ),
            );
        }
    }

    /// The service belongs to another interface (a refund service in a place-order request).
    pub fn wrong_interface(&mut self, field: &'static str, service: &str, its_interface: &str) {
        self.push(
            field,
            Rule::WrongInterface,
            format!("service {service} is a `{its_interface}` service and cannot be sent as `{}`; use the {its_interface} request", self.interface),
        );
    }

    /// A field the service needs although the interface makes it optional for others.
    pub fn required_for_service(&mut self, field: &'static str, service: &str, exempting_flag: &str) {
        self.push(
            field,
            Rule::Required,
            format!("`{field}` is required for service {service} (only services flagged `{exempting_flag}` may leave it out)"),
        );
    }

    /// A field the service does not take because of one of its flags.
    pub fn forbidden_for_service(&mut self, field: &'static str, service: &str, flag: &str, why: &str) {
        self.push(
            field,
            Rule::NotAllowedForService,
            format!("service {service} does not take `{field}` ({flag}: {why}); remove it"),
        );
    }

    /// A field valid only when another field has one of `allowed`.
    pub fn check_only_when(
        &mut self,
        field: &'static str,
        present: bool,
        other: &'static str,
        other_value: Option<&str>,
        allowed: &[&str],
    ) {
        if !present || other_value.is_some_and(|v| allowed.contains(&v)) {
            return;
        }
        self.push(
            field,
            Rule::OnlyWhen,
            format!(
                "`{field}` is only valid when `{other}` is {} (it is {}); remove it",
                allowed.join(" or "),
                other_value.unwrap_or("not set")
            ),
        );
    }

    /// At least one of a group of fields must be set.
    pub fn check_at_least_one(&mut self, group: &[(&'static str, bool)]) {
        if group.iter().any(|(_, set)| *set) {
            return;
        }
        let names: Vec<String> = group.iter().map(|(name, _)| format!("`{name}`")).collect();
        let field = group.first().map_or("", |(name, _)| *name);
        self.push(field, Rule::AtLeastOneOf, format!("give at least one of {}", names.join(" or ")));
    }

    /// An amount may not exceed another (a refund above the order total).
    pub fn check_not_above(&mut self, field: &'static str, value: Amount, other: &'static str, limit: Amount) {
        if value > limit {
            self.push(
                field,
                Rule::AboveLimit,
                format!("`{field}` {value} is more than `{other}` {limit}; it may be at most {limit}"),
            );
        }
    }
}

impl<'a> IntoIterator for &'a Violations {
    type Item = &'a Violation;
    type IntoIter = std::slice::Iter<'a, Violation>;
    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}
