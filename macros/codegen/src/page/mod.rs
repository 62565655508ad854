//! `eftpay spec check PAGE`: what one of eftPay's doc pages says that `spec/` does not.
//!
//! eftPay publishes its API only as doc pages. When a page changes, [`check`] reads it (as
//! text: title, endpoint, pipe tables), finds the interface of the spec it describes, compares
//! every table with the spec — fields, service rows, wallets, pay_scenes, langs, test amounts,
//! object fields — and reports each difference with the spec line stating our side and the TOML
//! that brings the spec in line. spec/README.md ("When eftPay changes a page") is the
//! maintainer's guide.
//!
//! ```no_run
//! let page = std::fs::read_to_string("saved/web_PreOrder.txt")?;
//! let report = eftpay_codegen::page::check(std::path::Path::new("spec"), &page);
//! print!("{report}");
//! std::process::exit(report.verdict().code().into());
//! # Ok::<(), std::io::Error>(())
//! ```

mod compare;
mod fix;
mod locate;
mod parse;

use std::fmt;
use std::path::Path;

pub use self::locate::{Assumption, Location};
pub use self::parse::{MAX_PAGE_BYTES, Unreadable};
use crate::source::{self, SpecFile};

/// How the page and the spec compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Every table the page has agrees with the spec (assumptions may be listed).
    Agree,
    /// At least one difference, or the page describes no interface of the spec.
    Differ,
    /// The page (or the spec) could not be read.
    Unreadable,
}

impl Verdict {
    /// The exit code of `eftpay spec check`, `diff`'s convention: 0 agree, 1 differ, 2 trouble.
    pub fn code(self) -> u8 {
        match self {
            Verdict::Agree => 0,
            Verdict::Differ => 1,
            Verdict::Unreadable => 2,
        }
    }
}

/// The interface a page describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matched {
    /// The interface's spec name.
    pub interface: String,
    /// Interfaces that `extend` it or that it extends, documented on the same page and compared
    /// with it (the web Refund page's apply-refund service).
    pub related: Vec<String>,
    /// The scenes listing it.
    pub scenes: Vec<String>,
    /// Its `[interface]` table.
    pub at: Option<Location>,
    /// What on the page chose it.
    pub why: String,
}

/// One thing the page says that the spec does not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The page's table (`field table at page line 7 (…)`).
    pub table: String,
    /// What differs, page side and spec side.
    pub what: String,
    /// The spec line stating our side, when the spec states it.
    pub spec: Option<Location>,
    /// The TOML that brings the spec in line.
    pub fix: String,
}

/// What [`check`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The page's title line.
    pub title: Option<String>,
    /// Why the page or the spec could not be read.
    pub unreadable: Option<String>,
    /// The interface the page describes.
    pub matched: Option<Matched>,
    /// Why it describes none, when it does not.
    pub unmatched: Option<String>,
    /// Tables cut off part way: which, and where (what is there was compared).
    pub incomplete: Vec<String>,
    /// Tables or rows read but not compared, and why.
    pub not_compared: Vec<String>,
    /// The differences, in page order.
    pub differences: Vec<Difference>,
    /// The spec's `[assume]`s about what was compared that the page neither confirms nor
    /// contradicts.
    pub assumptions: Vec<Assumption>,
}

impl Report {
    /// The outcome.
    pub fn verdict(&self) -> Verdict {
        if self.unreadable.is_some() {
            Verdict::Unreadable
        } else if self.matched.is_none() || !self.differences.is_empty() {
            Verdict::Differ
        } else {
            Verdict::Agree
        }
    }

    fn unreadable(title: Option<String>, message: String) -> Report {
        Report { title, unreadable: Some(message), ..Report::default() }
    }
}

/// Checks a page (its text) against the spec folder `spec_dir`.
///
/// Never panics; a page larger than [`MAX_PAGE_BYTES`] is refused before it is parsed.
pub fn check(spec_dir: &Path, page_text: &str) -> Report {
    let root = spec_dir.parent().unwrap_or(spec_dir);
    match source::read_dir(spec_dir, root) {
        Ok(files) if files.is_empty() => {
            Report::unreadable(None, format!("no *.toml spec files in {}: give the spec folder", spec_dir.display()))
        }
        Ok(files) => check_files(&files, page_text),
        Err(message) => Report::unreadable(None, message),
    }
}

/// [`check`] with the spec files already read.
pub fn check_files(files: &[SpecFile], page_text: &str) -> Report {
    let checked = crate::check(files);
    if !checked.errors.is_empty() {
        return Report::unreadable(
            None,
            format!(
                "the spec has {} error(s); `cargo build` shows them all — fix those first:\n{}",
                checked.errors.len(),
                checked.errors.first().map_or("", String::as_str)
            ),
        );
    }
    let page = match parse::parse(page_text) {
        Ok(page) => page,
        Err(Unreadable(message)) => return Report::unreadable(None, format!("the page could not be read: {message}")),
    };
    compare::compare(&checked.spec, &locate::Sources::new(files), &page)
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(message) = &self.unreadable {
            return writeln!(f, "error: {message}");
        }
        if let Some(title) = &self.title {
            writeln!(f, "page: {title}")?;
        }
        match (&self.matched, &self.unmatched) {
            (Some(m), _) => {
                let at = m.at.as_ref().map(|a| format!(" ({a})")).unwrap_or_default();
                let related =
                    if m.related.is_empty() { String::new() } else { format!(" with {}", m.related.join(", ")) };
                writeln!(f, "interface: {}{at}{related}, scene {} — {}", m.interface, m.scenes.join(" / "), m.why)?;
            }
            (None, Some(why)) => writeln!(f, "interface: none of the spec's — {why}")?,
            (None, None) => {}
        }
        for cut in &self.incomplete {
            writeln!(f, "incomplete: {cut}")?;
        }
        for note in &self.not_compared {
            writeln!(f, "not compared: {note}")?;
        }
        if self.matched.is_some() {
            if self.differences.is_empty() {
                writeln!(f, "\nThe page agrees with the spec.")?;
            } else {
                writeln!(f, "\n{} difference(s):", self.differences.len())?;
            }
        }
        for (n, d) in self.differences.iter().enumerate() {
            writeln!(f, "\n{}. {}: {}", n + 1, d.table, d.what)?;
            if let Some(at) = &d.spec {
                writeln!(f, "   spec: {at}")?;
            }
            writeln!(f, "   fix:")?;
            for line in d.fix.lines() {
                writeln!(f, "     {line}")?;
            }
        }
        if !self.assumptions.is_empty() {
            writeln!(f, "\nAssumptions of the spec the page neither confirms nor contradicts:")?;
            for a in &self.assumptions {
                writeln!(f, "  {}: {}", a.at, a.text)?;
            }
        }
        Ok(())
    }
}
