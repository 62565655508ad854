//! Writing results and messages, and laying them out as aligned text. Write errors are returned
//! or ignored, never panicked on (`println!` panics when stdout is a closed pipe, as in
//! `eftpay sign | head -c0`).

use std::collections::BTreeMap;
use std::fmt::Display;
use std::io::{IsTerminal, Write};

use eftpay::{HkTime, ReceivedValue};

use crate::failure::Failure;

/// Writes a command's result to stdout.
///
/// # Errors
/// Stdout is closed or full.
pub fn print(text: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()).map_err(Failure::WriteOutput)
}

/// Writes a line for the person at the terminal to stderr; nothing useful can be done if that fails.
pub fn note(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// Reports a failure as one line on stderr.
pub fn report(failure: &Failure) {
    note(&format!("eftpay: {failure}"));
}

/// Whether stdout is a terminal that may be sent colour: not when piped or saved (the escape
/// codes would end up in the file), nor when the user set `NO_COLOR` (no-color.org).
pub fn stdout_takes_colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
}

/// Rows of cells as aligned text: every column but the last padded to its widest cell, columns
/// two spaces apart, each line starting with `indent`.
pub fn columns(rows: &[Vec<String>], indent: &str) -> String {
    let mut widths: Vec<usize> = Vec::new();
    for row in rows {
        for (column, cell) in row.iter().enumerate() {
            let width = cell.chars().count();
            match widths.get_mut(column) {
                Some(widest) => *widest = (*widest).max(width),
                None => widths.push(width),
            }
        }
    }
    let mut text = String::new();
    for row in rows {
        text.push_str(indent);
        let last = row.len().saturating_sub(1);
        for (column, cell) in row.iter().enumerate() {
            if column == last {
                text.push_str(cell);
            } else {
                let width = widths.get(column).copied().unwrap_or(0);
                text.push_str(&format!("{cell:width$}  "));
            }
        }
        text.push('\n');
    }
    text
}

/// A reply's fields as aligned `name  value` lines, under their wire names so they can be
/// looked up in eftPay's docs; fields the reply does not carry are left out.
#[derive(Debug, Default)]
pub struct Fields {
    rows: Vec<Vec<String>>,
}

impl Fields {
    /// Adds `name` when the reply carries it.
    pub fn add(&mut self, name: &str, value: Option<impl Display>) -> &mut Fields {
        if let Some(value) = value {
            self.rows.push(vec![name.to_owned(), value.to_string()]);
        }
        self
    }

    /// Adds a time, written out and marked as Hong Kong time (eftPay's clock, UTC+8), since the
    /// compact `20230609110645` is hard to read and easy to take for local time.
    pub fn time(&mut self, name: &str, value: Option<HkTime>) -> &mut Fields {
        self.add(name, value.map(|time| format!("{} (Hong Kong time)", time.to_dashed())))
    }

    /// Adds the fields the SDK does not model, verbatim: what eftPay sent must not be hidden.
    pub fn extra(&mut self, extra: &BTreeMap<String, ReceivedValue>) -> &mut Fields {
        for (name, value) in extra {
            self.rows.push(vec![name.clone(), value.to_string()]);
        }
        self
    }

    /// The aligned lines.
    pub fn render(&self) -> String {
        columns(&self.rows, "")
    }
}
