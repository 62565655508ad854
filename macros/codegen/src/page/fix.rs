//! The TOML that brings the spec in line with a page, ready to paste: a key to set in a row
//! (with the line it replaces), a row to add (and after which line), a row to remove (its
//! lines). Keys and tables are the ones spec/README.md documents.

use super::locate::{Extent, Location};
use super::parse::PageType;

/// A TOML string, quoted and escaped.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `["A", "B"]`.
pub fn list(values: &[String]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| quote(v)).collect();
    format!("[{}]", quoted.join(", "))
}

/// Set `key = value` in the row at `row` (replacing the line `replaces`, when the key is there).
pub fn set(row: &Location, key: &str, value: &str, replaces: Option<&Location>, note: Option<&str>) -> String {
    let place = match replaces {
        Some(line) => format!("in {line}, replace the line with"),
        None => format!("in the row at {row}, add"),
    };
    let note = note.map(|n| format!(" ({n})")).unwrap_or_default();
    format!("{place}{note}:\n{key} = {value}")
}

/// Remove the line `line` (a key of a row).
pub fn remove_line(line: &Location, what: &str) -> String {
    format!("remove {line} ({what})")
}

/// Remove a whole row.
pub fn remove_row(extent: &Extent, what: &str, note: Option<&str>) -> String {
    let note = note.map(|n| format!("; {n}")).unwrap_or_default();
    format!("remove {}:{}-{} ({what}{note})", extent.at.file, extent.at.line, extent.last)
}

/// Add `row` after `after` (a line), or at the end of `file`.
pub fn add(after: Option<&Location>, file: &str, row: &str) -> String {
    let place = match after {
        Some(line) => format!("add after {line}"),
        None => format!("add to {file}"),
    };
    format!("{place}:\n{row}")
}

/// The `type` (and `max_len`) keys of a `[[field]]` row for a page type.
pub fn field_type_keys(ty: &PageType) -> String {
    match ty {
        PageType::Text(Some(n)) => format!("type = \"string\"\nmax_len = {n}"),
        PageType::Object => "type = \"object\"\nobject = \"…\"  # the [[object]] of its section".to_owned(),
        PageType::ObjectArray => "type = \"array\"\nobject = \"…\"  # the [[object]] of its section".to_owned(),
        _ => "type = \"string\"".to_owned(),
    }
}

/// The `type` key of an `[[object.field]]` row for a page type.
pub fn object_field_type(ty: &PageType) -> String {
    match ty {
        PageType::Integer => "type = \"integer\"".to_owned(),
        PageType::TextArray => "type = \"string_array\"".to_owned(),
        PageType::Object => "type = \"object\"\nobject = \"…\"".to_owned(),
        PageType::ObjectArray => "type = \"object_array\"\nobject = \"…\"".to_owned(),
        _ => "type = \"string\"".to_owned(),
    }
}

/// A description cell as a `doc` value: a sentence.
pub fn doc(description: &str) -> String {
    let text = description.trim();
    let text = if text.is_empty() { "(no description on the page)" } else { text };
    if text.ends_with(['.', '。']) { quote(text) } else { quote(&format!("{text}.")) }
}
