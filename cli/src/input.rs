//! What the subcommands read: the merchant secret, user key and gateway from the environment
//! (never from an argument, which other users of the machine can see in the process list) and
//! the message from stdin.

use std::ffi::OsString;
use std::io::{IsTerminal, Read};

use eftpay::TEST_BASE_URL;
use eftpay::{Credentials, Secret};

use crate::env_vars::{BASE_URL_VAR, SECRET_VAR, USER_KEY_VAR};
use crate::failure::Failure;
use crate::output;

/// Where the configuration variables come from: the process environment, or (for callers of the
/// library, such as tests) exactly the variables given — the process's are then not read.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    given: Option<Vec<(String, OsString)>>,
}

impl Environment {
    /// The process environment.
    pub fn process() -> Environment {
        Environment { given: None }
    }

    /// Exactly these variables (`("EFTPAY_SECRET", "…")`), none from the process.
    pub fn of<K: Into<String>, V: Into<OsString>>(vars: impl IntoIterator<Item = (K, V)>) -> Environment {
        Environment { given: Some(vars.into_iter().map(|(name, value)| (name.into(), value.into())).collect()) }
    }

    fn var(&self, name: &str) -> Option<OsString> {
        match &self.given {
            None => std::env::var_os(name),
            Some(vars) => vars.iter().find(|(given, _)| given == name).map(|(_, value)| value.clone()),
        }
    }
}

/// The merchant secret, exactly as set: not trimmed, since leading or trailing spaces would be
/// part of what eftPay signs with.
///
/// # Errors
/// Unset, empty, or not UTF-8.
pub fn secret_from_env(env: &Environment) -> Result<Secret, Failure> {
    let value = env.var(SECRET_VAR).ok_or(Failure::MissingSecret)?;
    if value.is_empty() {
        return Err(Failure::EmptySecret);
    }
    value.into_string().map(Secret::new).map_err(|_| Failure::SecretNotUtf8)
}

/// The user key and secret for a gateway command, exactly as set (see [`secret_from_env`]).
/// Every variable that is unset or empty is named in the one error, so a single `export` line
/// fixes them all.
///
/// # Errors
/// A variable unset, empty, or not UTF-8.
pub fn credentials_from_env(env: &Environment) -> Result<Credentials, Failure> {
    match (setting(env, USER_KEY_VAR), setting(env, SECRET_VAR)) {
        (Setting::Text(key), Setting::Text(secret)) => Ok(Credentials::new(key, secret)),
        (key, secret) => {
            let settings = [(USER_KEY_VAR, key), (SECRET_VAR, secret)];
            let missing: Vec<&'static str> =
                settings.iter().filter(|(_, s)| matches!(s, Setting::Missing)).map(|(name, _)| *name).collect();
            if missing.is_empty() {
                let var = settings.iter().find(|(_, s)| matches!(s, Setting::NotUtf8)).map_or(SECRET_VAR, |(n, _)| n);
                Err(Failure::EnvNotUtf8 { var })
            } else {
                Err(Failure::NotConfigured { missing })
            }
        }
    }
}

/// Credentials when both variables are set, `None` when neither is (the sandbox then makes its
/// own); one without the other is a mistake worth stopping for.
///
/// # Errors
/// Only one of the two set, or a value that is not UTF-8.
pub fn optional_credentials_from_env(env: &Environment) -> Result<Option<Credentials>, Failure> {
    match (setting(env, USER_KEY_VAR), setting(env, SECRET_VAR)) {
        (Setting::Missing, Setting::Missing) => Ok(None),
        _ => credentials_from_env(env).map(Some),
    }
}

/// The gateway's base URL: EFTPAY_BASE_URL, or eftPay's test environment when it is unset or
/// empty. Its form is checked by the client builder, which knows what a usable one is.
///
/// # Errors
/// The variable is not UTF-8.
pub fn base_url_from_env(env: &Environment) -> Result<String, Failure> {
    match setting(env, BASE_URL_VAR) {
        Setting::Text(url) => Ok(url),
        Setting::Missing => {
            // Said every time: an order placed in one environment does not exist in the other.
            output::note(&format!(
                "eftpay: {BASE_URL_VAR} is not set; using eftPay's test environment {TEST_BASE_URL}"
            ));
            Ok(TEST_BASE_URL.to_owned())
        }
        Setting::NotUtf8 => Err(Failure::EnvNotUtf8 { var: BASE_URL_VAR }),
    }
}

/// The base URL of the sandbox the control commands talk to; required, since eftPay's own
/// gateways have no control API.
///
/// # Errors
/// EFTPAY_BASE_URL unset, empty or not UTF-8.
pub fn sandbox_url_from_env(env: &Environment) -> Result<String, Failure> {
    match setting(env, BASE_URL_VAR) {
        Setting::Text(url) => Ok(url),
        Setting::Missing => Err(Failure::NoSandbox),
        Setting::NotUtf8 => Err(Failure::EnvNotUtf8 { var: BASE_URL_VAR }),
    }
}

/// One environment variable; empty counts as unset, since nothing eftPay issues is empty.
enum Setting {
    Text(String),
    Missing,
    NotUtf8,
}

fn setting(env: &Environment, name: &str) -> Setting {
    match env.var(name) {
        Some(value) if !value.is_empty() => value.into_string().map_or(Setting::NotUtf8, Setting::Text),
        _ => Setting::Missing,
    }
}

/// The most `eftpay sign` and `eftpay verify-notify` read from stdin: the library's limit for
/// a received message, since that is what the input is. A bound keeps a mistaken
/// `eftpay sign < big.log` from filling memory before it can be refused.
pub const MAX_INPUT_BYTES: usize = eftpay::ReceiveLimits::DEFAULT.max_body_bytes;

/// All of stdin, as bytes (UTF-8 is checked by whoever parses it), up to [`MAX_INPUT_BYTES`].
///
/// # Errors
/// Stdin cannot be read, or holds more than [`MAX_INPUT_BYTES`].
pub fn read_stdin() -> Result<Vec<u8>, Failure> {
    let stdin = std::io::stdin().lock();
    // Someone who typed the command without a pipe would otherwise see it hang silently.
    if stdin.is_terminal() {
        output::note("eftpay: reading the message from stdin; end it with Ctrl-D");
    }
    read_limited(stdin, MAX_INPUT_BYTES)
}

/// At most `limit` bytes of `source`. One byte more than the limit is read, and no more, to
/// tell a message that fills the limit exactly from one that is too large.
fn read_limited(source: impl Read, limit: usize) -> Result<Vec<u8>, Failure> {
    let mut body = Vec::new();
    let most = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    source.take(most).read_to_end(&mut body).map_err(Failure::ReadInput)?;
    if body.len() > limit {
        return Err(Failure::InputTooLarge { limit });
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::read_limited;
    use crate::failure::Failure;

    /// Counts the bytes handed out, so the test can tell how much of an endless source was read.
    struct Endless {
        handed_out: usize,
    }

    impl Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            buf.fill(b' ');
            self.handed_out += buf.len();
            Ok(buf.len())
        }
    }

    #[test]
    fn reads_no_more_than_one_byte_past_the_limit() {
        let mut endless = Endless { handed_out: 0 };
        let read = read_limited(&mut endless, 100);
        assert!(matches!(read, Err(Failure::InputTooLarge { limit: 100 })), "{read:?}");
        assert_eq!(endless.handed_out, 101);
    }

    #[test]
    fn reads_a_message_that_fills_the_limit_exactly() {
        let body = read_limited(&[b'x'; 100][..], 100).unwrap();
        assert_eq!(body.len(), 100);
    }
}
