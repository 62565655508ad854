//! Everything wrong with a request before it is sent, in one list, worded in terms of the flags
//! the person typed: whoever fixes the command sees all of it at once, not one complaint per try.

use std::fmt;

use eftpay::Violations;

/// The problems of one request, in the order found.
#[derive(Debug)]
pub struct Problems {
    /// What was not sent: an interface name (`qrcode_pre_order`) or, before one was chosen,
    /// the purpose (`place_order`).
    what: String,
    list: Vec<String>,
}

impl Problems {
    /// No problems yet, for a request of `what`.
    pub fn new(what: impl Into<String>) -> Problems {
        Problems { what: what.into(), list: Vec::new() }
    }

    /// Records a problem.
    pub fn push(&mut self, message: String) {
        if !self.list.contains(&message) {
            self.list.push(message);
        }
    }

    /// `Ok` when nothing is wrong.
    ///
    /// # Errors
    /// The problems themselves, when there is one or more (a `Failure::Invalid` by `?`).
    pub fn into_result(self) -> Result<(), Problems> {
        if self.list.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl From<Violations> for Problems {
    fn from(violations: Violations) -> Problems {
        Problems {
            what: violations.interface().to_owned(),
            list: violations.iter().map(|violation| violation.message.clone()).collect(),
        }
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.list.len();
        let noun = if count == 1 { "problem" } else { "problems" };
        write!(f, "the {} request was not sent; fix {count} {noun} and run the command again:", self.what)?;
        for problem in &self.list {
            write!(f, "\n  - {problem}")?;
        }
        Ok(())
    }
}

/// `A`, `A or B`, `A, B or C`.
pub fn one_of<S: AsRef<str>>(names: &[S]) -> String {
    match names.split_last() {
        Some((last, [])) => last.as_ref().to_owned(),
        Some((last, rest)) => {
            let rest: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
            format!("{} or {}", rest.join(", "), last.as_ref())
        }
        None => String::new(),
    }
}

/// ` (did you mean `ALIPAYHK`? names are case-sensitive)` when `text` differs from a known name
/// only in case; wire names are sent verbatim, so `alipayhk` would be refused.
pub fn did_you_mean(text: &str, known: &[&str]) -> String {
    known
        .iter()
        .find(|name| name.eq_ignore_ascii_case(text))
        .map_or_else(String::new, |name| format!(" (did you mean `{name}`? names are case-sensitive)"))
}

#[cfg(test)]
mod tests {
    use super::{Problems, did_you_mean, one_of};

    #[test]
    fn lists_read_as_words() {
        assert_eq!(one_of(&["A"]), "A");
        assert_eq!(one_of(&["A", "B", "C"]), "A, B or C");
        assert_eq!(one_of::<&str>(&[]), "");
        assert_eq!(did_you_mean("abc", &["ABC"]), " (did you mean `ABC`? names are case-sensitive)");
        assert_eq!(did_you_mean("abd", &["ABC"]), "");
    }

    #[test]
    fn the_same_problem_is_listed_once() {
        let mut problems = Problems::new("x");
        problems.push("a".into());
        problems.push("a".into());
        assert_eq!(problems.to_string(), "the x request was not sent; fix 1 problem and run the command again:\n  - a");
    }
}
