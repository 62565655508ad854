//! The exit statuses scripts can rely on, and the `--help` text that documents them. The table
//! below is the only place a status number is written, so the help cannot drift from the code.

use std::process::ExitCode;

/// How the command ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Done; for `verify-notify`, the signature is valid.
    Ok,
    /// The message was read but its signature is missing, malformed or wrong.
    VerificationFailed,
    /// Bad arguments or configuration (EFTPAY_SECRET unset, empty or not UTF-8).
    Usage,
    /// The input is not a message: not UTF-8, not a JSON object, duplicate fields, or a signed
    /// field that does not have its documented form.
    UnreadableInput,
    /// The result could not be written to stdout.
    OutputFailed,
}

impl Status {
    /// Every status, in the order `--help` lists them.
    const ALL: [Status; 5] =
        [Status::Ok, Status::VerificationFailed, Status::Usage, Status::UnreadableInput, Status::OutputFailed];

    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Status::Ok => 0,
            Status::VerificationFailed => 1,
            Status::Usage => 2,
            Status::UnreadableInput => 3,
            Status::OutputFailed => 4,
        }
    }

    fn meaning(self) -> &'static str {
        match self {
            Status::Ok => "ok (verify-notify: the signature is valid; only trade_status=TRADE_SUCCESS means paid)",
            Status::VerificationFailed => "verification failed: missing, malformed or wrong signature",
            Status::Usage => "usage or configuration error: bad arguments, EFTPAY_SECRET unset or empty",
            Status::UnreadableInput => {
                "unreadable input: not UTF-8, not a JSON object, duplicate fields, or a field without its documented form"
            }
            Status::OutputFailed => "the result could not be written to stdout",
        }
    }
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> ExitCode {
        ExitCode::from(status.code())
    }
}

/// The text shown after every `--help`: exit codes and the environment.
pub fn after_help() -> String {
    let mut text = String::from("Exit codes:\n");
    for status in Status::ALL {
        text.push_str(&format!("  {}  {}\n", status.code(), status.meaning()));
    }
    text.push_str(
        "\nEnvironment:\n  EFTPAY_SECRET  the merchant secret eftPay issued with your user_confirm_key \
         (required; never printed)",
    );
    text
}
