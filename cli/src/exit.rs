//! The exit statuses scripts can rely on, and the `--help` text that documents them. The table
//! below is the only place a status number is written, so the help cannot drift from the code.

use std::process::ExitCode;

use eftpay::TEST_BASE_URL;

use crate::env_vars::{BASE_URL_VAR, SECRET_VAR, USER_KEY_VAR};

/// How the command ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Done; for `verify-notify`, the signature is valid; for a gateway command, eftPay accepted
    /// the request.
    Ok,
    /// The message was read but its signature is missing, malformed or wrong.
    VerificationFailed,
    /// Bad arguments or configuration (EFTPAY_SECRET or EFTPAY_USER_CONFIRM_KEY unset, empty or
    /// not UTF-8; an unusable EFTPAY_BASE_URL).
    Usage,
    /// The input is not a message: larger than any message, not UTF-8, not a JSON object,
    /// duplicate fields, or a signed field that does not have its documented form.
    UnreadableInput,
    /// The result could not be written to stdout.
    OutputFailed,
    /// The gateway did not accept the request: eftPay refused it (a return status other than
    /// the one meaning accepted), it could not be reached, or its reply could not be trusted.
    Gateway,
    /// The request breaks the spec's rules (a flag its interface does not take, an unreadable
    /// value, a rule `validate()` checks); nothing was sent.
    InvalidRequest,
    /// A step of `eftpay demo` did not check out.
    DemoFailed,
    /// `eftpay spec check`: the page and the spec differ. The check exits like `diff` (0 same,
    /// 1 different, 2 trouble), so its two failures share the numbers of the statuses above.
    PageDiffers,
    /// `eftpay spec check`: the page or the spec could not be read.
    PageUnreadable,
}

impl Status {
    /// Every status, in the order `--help` lists them.
    const ALL: [Status; 10] = [
        Status::Ok,
        Status::VerificationFailed,
        Status::Usage,
        Status::UnreadableInput,
        Status::OutputFailed,
        Status::Gateway,
        Status::InvalidRequest,
        Status::DemoFailed,
        Status::PageDiffers,
        Status::PageUnreadable,
    ];

    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Status::Ok => 0,
            Status::VerificationFailed => 1,
            Status::Usage => 2,
            Status::UnreadableInput => 3,
            Status::OutputFailed => 4,
            Status::Gateway => 5,
            Status::InvalidRequest => 6,
            Status::DemoFailed => 7,
            Status::PageDiffers => 1,
            Status::PageUnreadable => 2,
        }
    }

    fn meaning(self) -> &'static str {
        match self {
            Status::Ok => {
                "ok (verify-notify: the signature is valid; pre-order, query, refund, close: eftPay accepted the \
                 request) — only the paid trade status means paid"
            }
            Status::VerificationFailed => "verification failed: missing, malformed or wrong signature",
            Status::Usage => {
                "usage or configuration error: bad arguments, EFTPAY_SECRET or EFTPAY_USER_CONFIRM_KEY unset or empty, \
                 an unusable EFTPAY_BASE_URL"
            }
            Status::UnreadableInput => {
                "unreadable input: too large for a message, not UTF-8, not a JSON object, duplicate fields, or a field \
                 without its documented form"
            }
            Status::OutputFailed => "the result could not be written to stdout",
            Status::Gateway => {
                "the gateway did not accept the request: eftPay refused it (a return status other than accepted), \
                 could not be reached, or sent a reply that cannot be trusted; the message says whether to query \
                 before sending again (trigger, resend, deliveries: the sandbox refused or did not answer)"
            }
            Status::InvalidRequest => {
                "invalid request: it breaks the spec's rules, each listed by the flag to fix; nothing was sent"
            }
            Status::DemoFailed => "demo: a step of the payment flow did not check out (the output says which and why)",
            Status::PageDiffers => {
                "spec check: the page and the spec differ, or the page describes no interface of the spec (each \
                 difference is listed with its TOML fix)"
            }
            Status::PageUnreadable => "spec check: the page or the spec could not be read (the message says what)",
        }
    }
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> ExitCode {
        ExitCode::from(status.code())
    }
}

/// The statuses of the control commands (`trigger`, `resend`, `deliveries`).
pub const CONTROL: &[Status] = &[Status::Ok, Status::Usage, Status::OutputFailed, Status::Gateway];

/// The statuses of `eftpay sandbox`.
pub const SANDBOX: &[Status] = &[Status::Ok, Status::Usage, Status::OutputFailed];

/// Which environment variables a command reads, for its `--help`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reads {
    /// Every command's variables (the top-level help and the gateway commands).
    All,
    /// `eftpay sandbox`: the credentials it accepts.
    Sandbox,
    /// The control commands: the sandbox's address.
    Control,
}

/// The text shown after `--help`: every exit code, and the environment.
pub fn after_help() -> String {
    after_help_for(&Status::ALL, Reads::All)
}

/// The text shown after a command's `--help`: the exit codes it can end with, and the
/// variables it reads.
pub fn after_help_for(statuses: &[Status], reads: Reads) -> String {
    let mut text = String::from("Exit codes:\n");
    for status in statuses {
        text.push_str(&format!("  {}  {}\n", status.code(), status.meaning()));
    }
    text.push_str("\nEnvironment:\n");
    let variables = match reads {
        Reads::All => vec![
            (SECRET_VAR, String::from("the merchant secret eftPay issued with your user_confirm_key (never printed)")),
            (USER_KEY_VAR, String::from("your user_confirm_key (pre-order, query, refund, close)")),
            (BASE_URL_VAR, format!("where the gateway is (pre-order, query, refund, close); default {TEST_BASE_URL}")),
        ],
        Reads::Sandbox => vec![
            (SECRET_VAR, String::from("the merchant secret the sandbox accepts (never printed); generated when unset")),
            (USER_KEY_VAR, String::from("the user_confirm_key the sandbox accepts; generated when unset")),
        ],
        Reads::Control => {
            vec![(BASE_URL_VAR, String::from("the sandbox to drive, as `eftpay sandbox` printed it (required)"))]
        }
    };
    let width = variables.iter().map(|(name, _)| name.len()).max().unwrap_or(0);
    for (name, meaning) in variables {
        text.push_str(&format!("  {name:width$}  {meaning}\n"));
    }
    text.truncate(text.trim_end().len());
    text
}
