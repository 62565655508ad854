//! Everything wrong with a request before it is sent, in one list: the command-line words the
//! CLI could not turn into the spec's values (an amount with three decimals, a wallet eftPay
//! does not have) and every rule `validate()` reports for the rest. Whoever fixes the command
//! sees all of it at once, not one complaint per try.

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

use eftpay::{Amount, Interface, SERVICES, Service, ServiceRules, Violations, WireEnum};

use crate::commands;
use crate::failure::Failure;

/// Stands in for an amount the CLI could not read, so that `validate()` can still check every
/// other field. It is the largest amount eftPay accepts: no rule fires on it alone, and the one
/// it can break — a refund above the total — is then reported against the unreadable amount,
/// whose own problem already replaces it (see [`Problems::finish`]).
const STAND_IN_AMOUNT: Amount = Amount::from_cents(9_999_999);

/// The problems of one request, in the order found.
#[derive(Debug)]
pub struct Problems {
    interface: &'static str,
    list: Vec<Problem>,
}

#[derive(Debug)]
struct Problem {
    /// The wire name of the field, so `validate()`'s findings for the same field can be dropped.
    field: &'static str,
    message: String,
}

impl Problems {
    /// No problems yet, for a request of `interface`.
    pub fn new(interface: Interface) -> Problems {
        Problems { interface: interface.name(), list: Vec::new() }
    }

    fn push(&mut self, field: &'static str, message: String) {
        self.list.push(Problem { field, message });
    }

    /// The amount given as `flag`, read strictly as eftPay's decimal text; when it cannot be read
    /// the problem is recorded and a stand-in returned so the rest can still be checked.
    pub fn amount(&mut self, field: &'static str, flag: &str, text: &str) -> Amount {
        Amount::parse(text).unwrap_or_else(|error| {
            self.push(field, format!("{flag}: {error}"));
            STAND_IN_AMOUNT
        })
    }

    /// A value the service's row limits (wallet, pay_scene, lang). A name eftPay does not
    /// document is recorded here with the service's own values; a documented one outside the
    /// row is left to `validate()`, which reports it with the rule it breaks.
    pub fn choice<E>(&mut self, field: &'static str, flag: &str, text: &str, rules: &ServiceRules, allowed: &[E]) -> E
    where
        E: WireEnum + FromStr<Err = Infallible>,
    {
        let Ok(value) = text.parse::<E>();
        if !value.is_known() {
            let service = rules.service.as_str();
            let names: Vec<&str> = allowed.iter().map(WireEnum::as_str).collect();
            let message = if names.is_empty() {
                format!("{flag} {text}: service {service} takes no `{field}`; leave {flag} out")
            } else {
                format!(
                    "{flag} {text}: not a {field} eftPay documents; service {service} takes {}{}",
                    one_of(&names),
                    did_you_mean(text, E::KNOWN)
                )
            };
            self.push(field, message);
        }
        value
    }

    /// Adds what `validate()` found, except for fields already reported here: their value was a
    /// stand-in or an unknown name, and the problem above says more. `Ok` when nothing is wrong.
    ///
    /// # Errors
    /// [`Failure::Invalid`] with every problem.
    pub fn finish(mut self, validated: Result<(), Violations>) -> Result<(), Failure> {
        if let Err(violations) = validated {
            let reported: Vec<&'static str> = self.list.iter().map(|problem| problem.field).collect();
            for violation in &violations {
                if !reported.contains(&violation.field) {
                    self.push(violation.field, violation.message.clone());
                }
            }
        }
        if self.list.is_empty() { Ok(()) } else { Err(Failure::Invalid(self)) }
    }
}

impl From<Violations> for Problems {
    fn from(violations: Violations) -> Problems {
        let list = violations
            .iter()
            .map(|violation| Problem { field: violation.field, message: violation.message.clone() })
            .collect();
        Problems { interface: violations.interface(), list }
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.list.len();
        let noun = if count == 1 { "problem" } else { "problems" };
        write!(f, "the {} request was not sent; fix {count} {noun} and run the command again:", self.interface)?;
        for problem in &self.list {
            write!(f, "\n  - {}", problem.message)?;
        }
        Ok(())
    }
}

/// The row of the service named by `--service`, which must be one sent as `interface`.
/// Anything else is the one problem reported: without the service's row, none of the other
/// arguments can be checked against it.
///
/// # Errors
/// [`Failure::Invalid`] naming the services `interface` takes, and the command for a service
/// of another interface.
pub fn service(text: &str, interface: Interface) -> Result<&'static ServiceRules, Failure> {
    let found = Service::from_wire(text).rules();
    if let Some(rules) = found.filter(|rules| rules.interface == interface) {
        return Ok(rules);
    }
    let takes: Vec<&str> =
        SERVICES.iter().filter(|rules| rules.interface == interface).map(|rules| rules.service.as_str()).collect();
    let list: String = takes.iter().map(|name| format!("\n      {name}")).collect();
    let message = match found {
        Some(rules) => {
            let its = rules.interface.name();
            let send_with = commands::command_for(rules.interface)
                .map_or_else(String::new, |command| format!("; send it with `{command}`"));
            format!("--service {text} is a `{its}` service{send_with}. This command takes:{list}")
        }
        None => {
            let all: Vec<&str> = SERVICES.iter().map(|rules| rules.service.as_str()).collect();
            format!(
                "--service {text} is not a service eftPay documents{}. This command takes:{list}",
                did_you_mean(text, &all)
            )
        }
    };
    let mut problems = Problems::new(interface);
    problems.push("service", message);
    Err(Failure::Invalid(problems))
}

/// `A`, `A or B`, `A, B or C`.
fn one_of(names: &[&str]) -> String {
    match names.split_last() {
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// ` (did you mean `ALIPAYHK`? names are case-sensitive)` when `text` differs from a known name
/// only in case; wire names are sent verbatim, so `alipayhk` would be refused.
fn did_you_mean(text: &str, known: &[&str]) -> String {
    known
        .iter()
        .find(|name| name.eq_ignore_ascii_case(text))
        .map_or_else(String::new, |name| format!(" (did you mean `{name}`? names are case-sensitive)"))
}
