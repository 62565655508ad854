//! Spec errors: collected while the whole spec is walked, then reported together.
//!
//! The collector is consumed by [`Diagnostics::finish`]. Unlike serde_derive's `Ctxt`, which
//! panics when dropped unchecked, nothing enforces that `finish` is called: `#[must_use]` only
//! warns where a collector is discarded as a value, not where one is filled and then dropped.
//! The pass's one collector is finished by [`check`](crate::check), which renders every error.

use std::fmt;
use std::ops::Range;

use crate::source::SpecFile;

/// One thing wrong with the spec, pointing at the text that is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Index into the spec's files.
    pub file: usize,
    /// Byte range of the offending text within that file.
    pub span: Range<usize>,
    /// What is wrong.
    pub message: String,
    /// What would fix it.
    pub help: Option<String>,
}

/// Collects diagnostics during one pass over the spec.
#[derive(Debug, Default)]
#[must_use = "collected spec errors must be reported with `finish`"]
pub struct Diagnostics {
    errors: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty collector.
    pub fn new() -> Self {
        Diagnostics::default()
    }

    /// Records an error at `span` of file `file`. The same error at the same place is kept
    /// once: a row included in several tables (a field group, an inherited field) is checked
    /// in each, but its mistake is reported once.
    pub fn error(&mut self, file: usize, span: Range<usize>, message: impl Into<String>, help: impl Into<String>) {
        let help = help.into();
        let diagnostic = Diagnostic { file, span, message: message.into(), help: (!help.is_empty()).then_some(help) };
        if !self.errors.contains(&diagnostic) {
            self.errors.push(diagnostic);
        }
    }

    /// Ends the pass: every error collected, in the order found.
    pub fn finish(self) -> Vec<Diagnostic> {
        self.errors
    }
}

/// A diagnostic rendered against its file, ready to print:
///
/// ```text
/// spec/services.toml:41:12: unknown wallet `ALIPAYXX`
///    |
/// 41 | wallets = ["ALIPAYCN", "ALIPAYXX"]
///    |                        ^^^^^^^^^^
///    = help: declare it in a [[pay_type]] of spec/wallets.toml, or use one of: ALIPAYCN, ALIPAYHK
/// ```
pub struct Rendered<'a> {
    /// The diagnostic.
    pub diagnostic: &'a Diagnostic,
    /// The spec's files, indexed by `Diagnostic::file`.
    pub files: &'a [SpecFile],
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.diagnostic;
        let Some(file) = self.files.get(d.file) else {
            // Rendered against files it was not found in (a caller's mistake): still say what
            // is wrong rather than nothing.
            return write!(f, "{}", d.message);
        };
        let pos = file.position(d.span.start);
        let excerpt = file.excerpt(&d.span);
        write!(f, "{}:{}:{}: {}\n{}", file.display, pos.line, pos.column, d.message, excerpt)?;
        if let Some(help) = &d.help {
            let width = pos.line.to_string().len();
            write!(f, "\n{} = help: {}", " ".repeat(width), help)?;
        }
        Ok(())
    }
}
