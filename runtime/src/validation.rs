//! What `validate()` checks and reports: every rule a message breaks, each naming the wire
//! field, the rule, and what to do about it. One engine, driven by the interface's field table
//! and service rows in the catalog, checks typed requests (`validate()`), requests a gateway
//! receives, and requests the CLI builds from `--field name=value` alike.

use crate::catalog::{Catalog, FieldInfo, InterfaceInfo, ServiceInfo};
use crate::message::{Envelope, OutgoingMessage};
use crate::rules::{Concept, FieldKind};
use crate::violations::Violations;
use crate::wire::Written;
use crate::{Amount, HkTime};

use crate::violations::Rule;

/// Checks a typed outgoing message: its fields as they would be sent, against the rules of its
/// interface in its spec's catalog.
///
/// # Errors
/// Every broken rule.
pub fn validate<M: OutgoingMessage + ?Sized>(message: &M) -> Result<(), Violations> {
    // The envelope is the client's to fill; its fields are not the caller's to check.
    let sent = Written::of(message, &Envelope { user_confirm_key: "", time: "" });
    check_fields(M::CATALOG, M::INFO, |wire| sent.text(wire))
}

/// Checks a request given as field texts (`None` when a field is not sent) against every rule
/// its interface states: each caller-set field's form, the service row's columns and flags,
/// and the rules between fields.
///
/// # Errors
/// Every broken rule.
pub fn check_fields<'t>(
    catalog: &Catalog,
    info: &'static InterfaceInfo,
    text: impl Fn(&str) -> Option<&'t str>,
) -> Result<(), Violations> {
    let mut violations = Violations::new(info.name);
    // Each field's text is looked up once, and the checks below read it by the field's place
    // in the table: they ask for every caller-set field two or three times, and those lookups
    // were most of validating the benches' place-order request (0.8–1.1 µs a call before, 0.6–0.8
    // after, under `perf`). Only a rule naming another field (the row's service and payType, a
    // sibling, a group) finds it by name.
    let texts: Vec<Option<&'t str>> = info.fields.iter().map(|field| text(field.wire)).collect();
    let by_name = |wire: &str| match info.fields.iter().position(|field| field.wire == wire) {
        Some(at) => texts.get(at).copied().flatten(),
        None => text(wire),
    };
    let sent = |wire: &str| by_name(wire).filter(|value| !value.is_empty());
    let caller_set = || info.fields.iter().zip(texts.iter().copied()).filter(|(field, _)| field.is_caller_set());
    for (field, value) in caller_set() {
        match value {
            Some(value) if !value.is_empty() => violations.check_value(catalog, field, value),
            Some(_) if field.is_mandatory() => violations.push(
                field.wire,
                Rule::Required,
                format!("`{}` is required and may not be empty", field.wire),
            ),
            None if field.is_mandatory() => violations.missing(field.wire),
            _ => {}
        }
    }
    let non_empty = |(field, value): (&'static FieldInfo, Option<&'t str>)| (field, value.filter(|v| !v.is_empty()));
    if let Some(row) = violations.row(catalog, info, &sent) {
        violations.check_row(row, caller_set().map(non_empty));
    }
    for (field, value) in caller_set().map(non_empty) {
        violations.check_siblings(field, value, &sent);
    }
    for group in info.at_least_one_of {
        violations.check_at_least_one(group, &sent);
    }
    violations.into_result()
}

impl Violations {
    /// The checks of one sent value: its form, length and range.
    fn check_value(&mut self, catalog: &Catalog, field: &'static FieldInfo, value: &str) {
        let wire = field.wire;
        if let Some(max) = field.max_len {
            let length = value.chars().count();
            if length > max {
                let message = match field.kind {
                    FieldKind::Amount => {
                        let largest = crate::amount::largest_with_cents(max);
                        format!("`{wire}` is {value}, {length} characters; eftPay accepts at most {max} ({largest})")
                    }
                    _ => format!("`{wire}` has {length} characters; eftPay accepts at most {max} — shorten it"),
                };
                self.push(wire, Rule::TooLong, message);
            }
        }
        match field.kind {
            FieldKind::Url => self.check_url(wire, value, field.no_query),
            FieldKind::Amount => match Amount::parse(value) {
                // An assumption: eftPay documents no zero-amount order or refund.
                Ok(amount) if amount == Amount::ZERO => {
                    self.push(wire, Rule::OutOfRange, format!("`{wire}` is 0.00; an amount must be at least 0.01"))
                }
                Ok(_) => {}
                // Too long says it already; the parser's own length limit would say it twice.
                Err(_) if self.has(wire, Rule::TooLong) => {}
                Err(error) => self.push(wire, Rule::Malformed, format!("`{wire}` is `{value}`: {error}")),
            },
            FieldKind::Seconds => match value.parse::<u32>() {
                Ok(seconds) => self.check_seconds(field, seconds),
                Err(_) => {
                    self.push(wire, Rule::Malformed, format!("`{wire}` is `{value}`, not a whole number of seconds"))
                }
            },
            FieldKind::Time if HkTime::parse_compact(value).is_err() => {
                self.push(wire, Rule::Malformed, format!("`{wire}` is `{value}`, not a yyyyMMddHHmmss time"))
            }
            FieldKind::DateTime if HkTime::parse_dashed(value).is_err() => {
                self.push(wire, Rule::Malformed, format!("`{wire}` is `{value}`, not a yyyy-MM-dd HH:mm:ss time"))
            }
            FieldKind::Enum => {
                let Some(values) = field.enum_name.and_then(|name| catalog.enumeration(name)) else { return };
                if !values.values.iter().any(|v| v.wire == value) {
                    let known: Vec<&str> = values.values.iter().map(|v| v.wire).collect();
                    self.push(
                        wire,
                        Rule::UnknownValue,
                        format!(
                            "`{wire}` is `{value}`, which is not a known {}; use one of: {}",
                            values.name,
                            known.join(", ")
                        ),
                    );
                }
            }
            _ => {}
        }
    }

    /// A URL: absolute http(s) with a host, no spaces, and — where the doc says it "cannot
    /// carry parameters" — no query string or fragment.
    fn check_url(&mut self, field: &'static str, value: &str, no_query: bool) {
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

    /// Whole seconds: at least one, and the spec's multiple, minimum and maximum.
    fn check_seconds(&mut self, field: &'static FieldInfo, seconds: u32) {
        let wire = field.wire;
        if seconds == 0 {
            self.push(
                wire,
                Rule::OutOfRange,
                format!("`{wire}` is 0 seconds; give at least 1, or leave it out for eftPay's default"),
            );
            return;
        }
        if let Some(step) = field.multiple_of.filter(|step| *step > 0 && !seconds.is_multiple_of(*step)) {
            let below = seconds - seconds % step;
            let suggestion = if below > 0 { format!("{below} or {}", below + step) } else { step.to_string() };
            self.push(
                wire,
                Rule::OutOfRange,
                format!("`{wire}` is {seconds} seconds; it must be a multiple of {step} — use {suggestion}"),
            );
        }
        if let Some(min) = field.min.filter(|min| seconds < *min) {
            self.push(wire, Rule::OutOfRange, format!("`{wire}` is {seconds}; it must be at least {min}"));
        }
        if let Some(max) = field.max.filter(|max| seconds > *max) {
            self.push(wire, Rule::OutOfRange, format!("`{wire}` is {seconds}; it must be at most {max}"));
        }
    }

    /// The service row the message belongs to; reports a service of another interface, or a
    /// payType no row of a service-less interface takes.
    fn row<'t>(
        &mut self,
        catalog: &Catalog,
        info: &'static InterfaceInfo,
        sent: &impl Fn(&str) -> Option<&'t str>,
    ) -> Option<&'static ServiceInfo> {
        let service_field = info.field_for(Concept::Service);
        let service = service_field.and_then(|f| sent(f.wire));
        let pay_type_field = info.field_for(Concept::PayType);
        let pay_type = pay_type_field.and_then(|f| sent(f.wire));
        catalog.services_of(info.name).next()?;
        let row = catalog.row_for(info, service, pay_type);
        if row.is_none() {
            match (service_field, service) {
                (Some(field), Some(name)) => {
                    if let Some(other) = catalog.service(name) {
                        self.push(
                            field.wire,
                            Rule::WrongInterface,
                            format!(
                                "service {name} is a `{}` service and cannot be sent as `{}`; use the {} request",
                                other.interface, info.name, other.interface
                            ),
                        );
                    }
                }
                _ => {
                    if let (Some(field), Some(pay_type)) = (pay_type_field, pay_type) {
                        let takes: Vec<&str> = catalog.services_of(info.name).filter_map(|s| s.pay_type).collect();
                        self.push(
                            field.wire,
                            Rule::NotForService,
                            format!(
                                "`{}` {pay_type} is not one `{}` takes; use {}",
                                field.wire,
                                info.name,
                                takes.join(" or ")
                            ),
                        );
                    }
                }
            }
        }
        row
    }

    /// The row's columns (payType, wallet, pay_scene, lang), flags and fixed values, for each
    /// caller-set field and the text it sends (`None` when absent or empty).
    fn check_row<'t>(
        &mut self,
        row: &ServiceInfo,
        fields: impl Iterator<Item = (&'static FieldInfo, Option<&'t str>)>,
    ) {
        let service = row.name;
        for (field, value) in fields {
            let column: Option<(&[&str], &str)> = match field.concept {
                // The row's payType is named by the message's own field (`payType`, `paytype`).
                Some(Concept::PayType) => Some((row.pay_type.as_slice(), field.wire)),
                Some(Concept::Wallet) => Some((row.wallets, "wallets")),
                Some(Concept::PayScene) => Some((row.pay_scenes, "pay_scenes")),
                Some(Concept::Lang) => Some((row.langs, "langs")),
                _ => row.values.iter().find(|(wire, _)| *wire == field.wire).map(|(wire, values)| (*values, *wire)),
            };
            // An unknown value is reported as such; that it is not the row's would say it twice.
            if let (Some((allowed, column)), Some(value)) = (column, value)
                && !self.has(field.wire, Rule::UnknownValue)
            {
                self.check_member(field.wire, value, allowed, service, column);
            }
            if let Some(flag) = field.required_unless
                && value.is_none()
                && !row.has_flag(flag)
            {
                self.push(
                    field.wire,
                    Rule::Required,
                    format!(
                        "`{}` is required for service {service} (only services flagged `{flag}` may leave it out)",
                        field.wire
                    ),
                );
            }
            if let Some(flag) = field.forbidden_with.filter(|flag| value.is_some() && row.has_flag(flag)) {
                self.push(
                    field.wire,
                    Rule::NotAllowedForService,
                    format!("service {service} does not take `{}` ({flag}); remove it", field.wire),
                );
            }
            if let Some((_, fixed)) = row.fixed.iter().find(|(wire, _)| *wire == field.wire).filter(|_| value.is_some())
            {
                self.push(
                    field.wire,
                    Rule::NotAllowedForService,
                    format!("service {service} fixes `{}` at {fixed} by configuration; remove it", field.wire),
                );
            }
        }
    }

    /// A value must be one of the service's (its row of the service table); an empty row means
    /// the service does not take the field at all.
    fn check_member(&mut self, field: &'static str, value: &str, allowed: &[&str], service: &str, column: &str) {
        if allowed.contains(&value) {
            return;
        }
        if allowed.is_empty() {
            self.push(
                field,
                Rule::NotAllowedForService,
                format!("service {service} does not take `{field}`; remove it"),
            );
        } else {
            self.push(
                field,
                Rule::NotForService,
                format!("`{field}` {value} is not one of service {service}'s {column}; use {}", allowed.join(" or ")),
            );
        }
    }

    /// `only_when`, `required_when` and `not_above`: rules between fields of the message; `value`
    /// is what `field` sends (`None` when absent or empty).
    fn check_siblings<'t>(
        &mut self,
        field: &'static FieldInfo,
        value: Option<&'t str>,
        sent: &impl Fn(&str) -> Option<&'t str>,
    ) {
        let wire = field.wire;
        if let (Some((other, values)), Some(_)) = (field.only_when, value) {
            let other_value = sent(other);
            if !other_value.is_some_and(|v| values.contains(&v)) {
                self.push(
                    wire,
                    Rule::OnlyWhen,
                    format!(
                        "`{wire}` is only valid when `{other}` is {} (it is {}); remove it",
                        values.join(" or "),
                        other_value.unwrap_or("not set")
                    ),
                );
            }
        }
        if let (Some((other, values)), None) = (field.required_when, value)
            && let Some(other_value) = sent(other).filter(|v| values.contains(v))
            && !field.required_when_or.iter().any(|instead| sent(instead).is_some())
        {
            let names: Vec<String> = core::iter::once(wire)
                .chain(field.required_when_or.iter().copied())
                .map(|n| format!("`{n}`"))
                .collect();
            self.push(
                wire,
                Rule::Required,
                format!("{} is required when `{other}` is {other_value}", names.join(" or ")),
            );
        }
        if let (Some(other), Some(value)) = (field.not_above, value) {
            let amounts = (Amount::parse(value), sent(other).map(Amount::parse));
            if let (Ok(amount), Some(Ok(limit))) = amounts
                && amount > limit
            {
                self.push(
                    wire,
                    Rule::AboveLimit,
                    format!("`{wire}` {amount} is more than `{other}` {limit}; it may be at most {limit}"),
                );
            }
        }
    }

    /// At least one of a group of fields must be sent.
    fn check_at_least_one<'t>(&mut self, group: &'static [&'static str], sent: &impl Fn(&str) -> Option<&'t str>) {
        if group.iter().any(|wire| sent(wire).is_some()) {
            return;
        }
        let names: Vec<String> = group.iter().map(|name| format!("`{name}`")).collect();
        let field = group.first().copied().unwrap_or_default();
        self.push(field, Rule::AtLeastOneOf, format!("give at least one of {}", names.join(" or ")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CATALOG;

    /// Every amount field the spec bounds, in what is sent and what is received.
    fn bounded_amounts() -> impl Iterator<Item = (&'static InterfaceInfo, &'static FieldInfo, usize)> {
        CATALOG.interfaces.iter().copied().flat_map(|i| {
            i.fields
                .iter()
                .chain(i.response)
                .filter(|f| f.kind == FieldKind::Amount)
                .filter_map(move |f| Some((i, f, f.max_len?)))
        })
    }

    #[test]
    fn a_too_long_amount_is_told_the_largest_amount_its_field_holds() {
        let mut checked = 0;
        for (interface, field, max_len) in
            bounded_amounts().filter(|(i, f, _)| i.fields.contains(f) && f.is_caller_set())
        {
            let whole = "9".repeat(max_len);
            let too_long = format!("1{whole}");
            let largest = format!("{}.99", "9".repeat(max_len - 3));
            assert!(Amount::parse(&largest).is_ok() && Amount::parse(&whole).is_ok(), "{}", field.wire);
            let text = |wire: &str| (wire == field.wire).then_some(too_long.as_str());
            let violations = check_fields(&CATALOG, interface, text).unwrap_err();
            let message = violations
                .iter()
                .find(|v| v.field == field.wire && v.rule == Rule::TooLong)
                .map(|v| v.message.clone())
                .unwrap_or_default();
            assert!(message.contains(&format!("at most {max_len} ({largest})")), "{}: {message}", field.wire);
            checked += 1;
        }
        assert!(checked > 0, "the spec has a caller-set amount field with a max_len");
    }

    #[test]
    fn a_payment_type_not_the_rows_is_named_by_the_messages_own_field() {
        let mut checked = 0;
        for interface in CATALOG.interfaces.iter().copied() {
            let (Some(service_field), Some(pay_type_field)) =
                (interface.field_for(Concept::Service), interface.field_for(Concept::PayType))
            else {
                continue;
            };
            for row in CATALOG.services_of(interface.name) {
                let Some(own) = row.pay_type else { continue };
                let Some(other) = CATALOG.pay_types.iter().map(|p| p.wire).find(|p| *p != own) else { continue };
                let text = |wire: &str| match wire {
                    w if w == service_field.wire => Some(row.name),
                    w if w == pay_type_field.wire => Some(other),
                    _ => None,
                };
                let violations = check_fields(&CATALOG, interface, text).unwrap_err();
                let said = violations.iter().find(|v| v.field == pay_type_field.wire && v.rule == Rule::NotForService);
                let expected = format!("not one of service {}'s {}", row.name, pay_type_field.wire);
                assert!(said.is_some_and(|v| v.message.contains(&expected)), "{}: {violations}", row.name);
                checked += 1;
            }
        }
        assert!(checked > 0, "the spec has a row with a payType, sent with a service field");
    }
}
