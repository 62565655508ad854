//! Writing results and messages. Write errors are returned or ignored, never panicked on
//! (`println!` panics when stdout is a closed pipe, as in `eftpay sign | head -c0`).

use std::io::Write;

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
