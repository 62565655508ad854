//! Writing results and messages, and laying them out as aligned text. Write errors are returned
//! or ignored, never panicked on (`println!` panics when stdout is a closed pipe, as in
//! `eftpay sign | head -c0`).
//!
//! Text that came from outside (a notification's fields, a gateway's reply or error text) is
//! shown through [`printable`], so that a value cannot start a line of its own or send the
//! terminal an escape sequence.

use std::borrow::Cow;
use std::fmt::{Display, Write as _};
use std::io::{IsTerminal, Write};

use crate::failure::Failure;

/// Writes a command's result to stdout.
///
/// # Errors
/// Stdout is closed or full.
pub fn print(text: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()).map_err(Failure::WriteOutput)
}

/// `text` with every character that could change what the terminal shows, other than by being
/// printed, written as a visible escape: `\n`, `\r`, `\t`, and `\u{1b}` style for the rest.
///
/// Use it for every value that came from outside before it is printed for a person to read. A
/// signed value is only as honest as whoever signed it: a newline in `out_trade_no` would
/// otherwise print a second, forged `verified: …` line; an ESC could recolour, move the cursor
/// or retitle the terminal; a bidi override could show `1.00` where the text says `00.1`.
///
/// Escaped: every control character (C0 including newline, carriage return, tab and ESC; DEL;
/// C1, U+0080 to U+009F), the line and paragraph separators U+2028 and U+2029, and the bidi
/// embeddings, overrides and isolates U+202A to U+202E and U+2066 to U+2069. Everything else,
/// backslashes included, is left as it is: the aim is that nothing received can change the
/// screen, not a reversible encoding. Borrows when nothing needs escaping, which is the usual
/// case.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => escaped.push_str("\\n"),
            '\r' => escaped.push_str("\\r"),
            '\t' => escaped.push_str("\\t"),
            c if needs_escape(c) => {
                let _ = write!(escaped, "\\u{{{:x}}}", u32::from(c));
            }
            c => escaped.push(c),
        }
    }
    Cow::Owned(escaped)
}

/// Whether [`printable`] escapes `c`.
fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Writes a line for the person at the terminal to stderr, through [`printable`] so it stays
/// one line; nothing useful can be done if writing fails.
pub fn note(line: &str) {
    write_stderr(&printable(line));
}

/// Reports a failure on stderr: one line, or for an invalid request one line per problem. Error
/// texts can quote what a gateway or a message said (a `return_char`, a field's value), so every
/// line goes through [`printable`].
pub fn report(failure: &Failure) {
    write_stderr(&reported(failure));
}

/// The text [`report`] writes: the failure and every cause under it, so a refused connection,
/// a name that does not resolve and a TLS failure read differently. Only an invalid request's
/// problem list is several lines by design (its lines are about the command's own arguments);
/// in every other failure a line break can only have come from received data, and is escaped
/// with the rest.
fn reported(failure: &Failure) -> String {
    match failure {
        Failure::Invalid(_) => format!("eftpay: {failure}").split('\n').map(printable).collect::<Vec<_>>().join("\n"),
        _ => printable(&format!("eftpay: {}", with_causes(failure))).into_owned(),
    }
}

/// How many causes [`with_causes`] follows: chains are short; the bound only keeps a
/// (mistakenly) circular one from running for ever.
const MOST_CAUSES: usize = 16;

/// `error`'s message followed by each cause under it (`source()`) that it does not already
/// quote: `…; cause: error sending request: client error (Connect): tcp connect error: Connection
/// refused (os error 111)`.
pub fn with_causes(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut separator = "; cause: ";
    let mut next = error.source();
    for _ in 0..MOST_CAUSES {
        let Some(cause) = next else { break };
        let said = cause.to_string();
        if !said.is_empty() && !text.contains(&said) {
            text.push_str(separator);
            text.push_str(&said);
            separator = ": ";
        }
        next = cause.source();
    }
    text
}

/// Writes `text` and a newline to stderr as it is.
fn write_stderr(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// Whether stdout is a terminal that may be sent colour: not when piped or saved (the escape
/// codes would end up in the file), nor when the user set `NO_COLOR` (no-color.org).
pub fn stdout_takes_colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
}

/// Rows of cells as aligned text: every column but the last padded to its widest cell, columns
/// two spaces apart, each line starting with `indent`. Every cell goes through [`printable`], so
/// a cell is always one line of plain text whatever it holds.
pub fn columns(rows: &[Vec<String>], indent: &str) -> String {
    let rows: Vec<Vec<Cow<'_, str>>> =
        rows.iter().map(|row| row.iter().map(|cell| printable(cell)).collect()).collect();
    let mut widths: Vec<usize> = Vec::new();
    for row in &rows {
        for (column, cell) in row.iter().enumerate() {
            let width = cell.chars().count();
            match widths.get_mut(column) {
                Some(widest) => *widest = (*widest).max(width),
                None => widths.push(width),
            }
        }
    }
    let mut text = String::new();
    for row in &rows {
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

/// A message's fields as aligned `name  value` lines, under their wire names so they can be
/// looked up in eftPay's docs. Names and values are shown through [`printable`] (by
/// [`columns`]), since both come from the message.
#[derive(Debug, Default)]
pub struct Fields {
    rows: Vec<Vec<String>>,
}

impl Fields {
    /// Adds a line.
    pub fn add(&mut self, name: &str, value: impl Display) -> &mut Fields {
        self.rows.push(vec![name.to_owned(), value.to_string()]);
        self
    }

    /// The aligned lines.
    pub fn render(&self) -> String {
        columns(&self.rows, "")
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::{Fields, columns, printable, reported, with_causes};
    use crate::failure::Failure;
    use crate::problems::Problems;

    #[test]
    fn a_newline_in_a_value_cannot_forge_a_line() {
        let forged = "rrn_1\nverified: out_trade_no=rrn_1 trade_status=TRADE_SUCCESS amount=999.00";
        assert_eq!(printable(forged), "rrn_1\\nverified: out_trade_no=rrn_1 trade_status=TRADE_SUCCESS amount=999.00");
        assert_eq!(printable("a\r\tb"), "a\\r\\tb");
    }

    #[test]
    fn escape_sequences_never_reach_the_terminal() {
        assert_eq!(printable("\u{1b}[2J\u{1b}]0;pwned\u{7}ok"), "\\u{1b}[2J\\u{1b}]0;pwned\\u{7}ok");
        assert_eq!(printable("a\u{0}b\u{7f}c"), "a\\u{0}b\\u{7f}c");
    }

    #[test]
    fn c1_controls_are_escaped() {
        // U+009B is a one-character CSI on terminals that take 8-bit controls.
        assert_eq!(printable("\u{9b}2J\u{80}\u{9f}"), "\\u{9b}2J\\u{80}\\u{9f}");
        assert_eq!(printable("\u{a0}é"), "\u{a0}é");
    }

    #[test]
    fn bidi_overrides_and_isolates_are_escaped() {
        assert_eq!(printable("amount=\u{202e}00.1\u{202c}"), "amount=\\u{202e}00.1\\u{202c}");
        for c in ('\u{202a}'..='\u{202e}').chain('\u{2066}'..='\u{2069}').chain(['\u{2028}', '\u{2029}']) {
            assert_eq!(printable(&c.to_string()), format!("\\u{{{:x}}}", u32::from(c)));
        }
    }

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        let text = "rrn_1686280005975 咖啡豆 C:\\path 100%";
        assert!(matches!(printable(text), Cow::Borrowed(same) if same == text));
    }

    #[test]
    fn fields_show_received_names_and_values_on_one_line_each() {
        let mut fields = Fields::default();
        fields.add("out_trade_no", "rrn_1\nreturn_status  00").add("re\u{1b}[31mturn_char", "ok");
        let text = fields.render();
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(text.contains("rrn_1\\nreturn_status  00"), "{text}");
        assert!(!text.contains('\u{1b}'), "{text}");
    }

    #[test]
    fn columns_align_on_the_escaped_width() {
        let rows = vec![vec!["a\tb".to_owned(), "x".to_owned()], vec!["abcdef".to_owned(), "y".to_owned()]];
        assert_eq!(columns(&rows, ""), "a\\tb    x\nabcdef  y\n");
    }

    #[test]
    fn a_reported_failure_quoting_received_text_stays_one_line() {
        let failure = Failure::DemoStep {
            step: "query",
            reason: "eftPay refused: \u{1b}[32m\nverified: amount=999.00\u{85}".to_owned(),
        };
        let text = reported(&failure);
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(text.ends_with("eftPay refused: \\u{1b}[32m\\nverified: amount=999.00\\u{85}"), "{text}");
    }

    #[test]
    fn a_reported_problem_list_keeps_one_line_per_problem() {
        let mut problems = Problems::new("place_order");
        problems.push("--service NO\u{1b}PE is not a service of the spec".to_owned());
        problems.push("--amount: amount `x` contains `x`".to_owned());
        let failure = Failure::Invalid(problems);
        let text = reported(&failure);
        assert_eq!(text.lines().count(), 3, "{text}");
        assert!(text.contains("--service NO\\u{1b}PE"), "{text}");
        assert!(!text.contains('\u{1b}'), "{text}");
    }

    #[derive(Debug, thiserror::Error)]
    #[error("{text}")]
    struct Layer {
        text: &'static str,
        #[source]
        under: Option<Box<Layer>>,
    }

    #[test]
    fn a_reported_failure_names_every_cause_it_does_not_already_quote() {
        let refused = Layer { text: "Connection refused (os error 111)", under: None };
        let connect = Layer { text: "tcp connect error", under: Some(Box::new(refused)) };
        let top = Layer { text: "could not connect to http://127.0.0.1:1/VMP", under: Some(Box::new(connect)) };
        assert_eq!(
            with_causes(&top),
            "could not connect to http://127.0.0.1:1/VMP; cause: tcp connect error: Connection refused (os error 111)"
        );
        let quoted = Layer {
            text: "cannot listen: tcp connect error",
            under: Some(Box::new(Layer { text: "tcp connect error", under: None })),
        };
        assert_eq!(with_causes(&quoted), "cannot listen: tcp connect error");
    }
}
