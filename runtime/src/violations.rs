//! What a checked message breaks: each broken rule names the wire field, the rule and what to
//! do about it. Its own module because everything that checks a message — the catalog's readers,
//! the typed messages, the validation engine — reports in these terms and none of them should
//! depend on another to do so.

use std::fmt;

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

    /// A required field was received (`present`), unless it was already reported malformed.
    pub fn require(&mut self, field: &'static str, present: bool) {
        if !present && !self.has(field, Rule::Malformed) {
            self.missing(field);
        }
    }

    /// A required field that was not received.
    pub fn missing(&mut self, field: &'static str) {
        self.push(field, Rule::Required, format!("`{field}` is required and was not sent"));
    }
}

impl<'a> IntoIterator for &'a Violations {
    type Item = &'a Violation;
    type IntoIter = std::slice::Iter<'a, Violation>;
    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}
