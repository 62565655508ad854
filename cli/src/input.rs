//! What every subcommand reads: the merchant secret from the environment (never from an
//! argument, which other users of the machine can see in the process list) and the message
//! from stdin.

use std::io::{IsTerminal, Read};

use eftpay::Secret;

use crate::failure::Failure;
use crate::output;

/// The environment variable holding the merchant secret.
pub const SECRET_VAR: &str = "EFTPAY_SECRET";

/// The merchant secret, exactly as set: not trimmed, since leading or trailing spaces would be
/// part of what eftPay signs with.
///
/// # Errors
/// Unset, empty, or not UTF-8.
pub fn secret_from_env() -> Result<Secret, Failure> {
    let value = std::env::var_os(SECRET_VAR).ok_or(Failure::MissingSecret)?;
    if value.is_empty() {
        return Err(Failure::EmptySecret);
    }
    value.into_string().map(Secret::new).map_err(|_| Failure::SecretNotUtf8)
}

/// All of stdin, as bytes (UTF-8 is checked by whoever parses it).
///
/// # Errors
/// Stdin cannot be read.
pub fn read_stdin() -> Result<Vec<u8>, Failure> {
    let mut stdin = std::io::stdin().lock();
    // Someone who typed the command without a pipe would otherwise see it hang silently.
    if stdin.is_terminal() {
        output::note("eftpay: reading the message from stdin; end it with Ctrl-D");
    }
    let mut body = Vec::new();
    stdin.read_to_end(&mut body).map_err(Failure::ReadInput)?;
    Ok(body)
}
