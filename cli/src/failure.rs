//! Why a command failed, worded for the person at the terminal, and which exit status that is.
//! No variant carries the secret, a signature or the signed string: whoever reads a failure
//! (a person, a log) must not learn either.

use eftpay::{ClientError, IncomingError, ReceivedError, VerifyError};

use crate::env_vars::{BASE_URL_VAR, SECRET_VAR, USER_KEY_VAR};
use crate::exit::Status;
use crate::problems::Problems;

/// A command's failure; its `Display` is what is printed on stderr: one line, or for an invalid
/// request one line per problem.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The secret is not configured.
    #[error("{SECRET_VAR} is not set: run `export {SECRET_VAR}=…` with your merchant secret first")]
    MissingSecret,
    /// The secret is configured as the empty string, which would sign with no secret at all.
    #[error("{SECRET_VAR} is empty: run `export {SECRET_VAR}=…` with your merchant secret first")]
    EmptySecret,
    /// The secret is not text, so it cannot be the secret eftPay issued.
    #[error(
        "{SECRET_VAR} is not UTF-8 text: run `export {SECRET_VAR}=…` with your merchant secret as eftPay issued it"
    )]
    SecretNotUtf8,
    /// Standard input could not be read.
    #[error("unreadable input: could not read stdin: {0}")]
    ReadInput(#[source] std::io::Error),
    /// Stdin holds more than any eftPay message; only the limit and one byte more were read.
    #[error(
        "unreadable input: stdin holds more than {limit} bytes, the most eftpay reads; pipe in one eftPay message (a few KiB at most)"
    )]
    InputTooLarge {
        /// The most that is read, in bytes.
        limit: usize,
    },
    /// The input is not a message.
    #[error("unreadable input: {0}")]
    Unreadable(ReceivedError),
    /// The signature checked out, but a field is not what its type requires.
    #[error("unreadable input: the signature is valid but {0}")]
    InvalidField(IncomingError),
    /// The signature is missing, malformed or wrong.
    #[error("verification failed: {0}")]
    Rejected(VerifyError),
    /// The result could not be written.
    #[error("could not write the result to stdout: {0}")]
    WriteOutput(#[source] std::io::Error),
    /// Credentials a gateway command needs are not configured; names every missing variable.
    #[error("{}", not_configured(missing))]
    NotConfigured {
        /// The unset or empty variables.
        missing: Vec<&'static str>,
    },
    /// A configuration variable is not text.
    #[error("{var} is not UTF-8 text: run `export {var}=…` with the value as eftPay issued it")]
    EnvNotUtf8 {
        /// The variable.
        var: &'static str,
    },
    /// The client refused its configuration (a base URL that is not an http(s) URL or carries
    /// credentials, a user key longer than eftPay issues). The message quotes the base URL
    /// redacted, so a password pasted into it is not printed.
    #[error("{0} (configured by {BASE_URL_VAR}, {USER_KEY_VAR} and {SECRET_VAR})")]
    ClientConfig(#[source] ClientError),
    /// The request breaks rules; it was not sent.
    #[error("{0}")]
    Invalid(Problems),
    /// The gateway refused the request, could not be reached, or replied with something that
    /// cannot be trusted. Its message says whether the request may have been acted on.
    #[error("{0}")]
    Gateway(#[source] ClientError),
    /// The async runtime the client runs on could not start; nothing was sent.
    #[error("could not start the network runtime ({0}); nothing was sent")]
    Runtime(#[source] std::io::Error),
    /// The sandbox could not start.
    #[error("the sandbox could not start: {0}")]
    Sandbox(#[source] eftpay_sandbox::SandboxError),
    /// A control command (`trigger`, `resend`, `deliveries`) without a sandbox to talk to.
    #[error(
        "{BASE_URL_VAR} is not set: start `eftpay sandbox` and run the `export {BASE_URL_VAR}=…` line it prints \
         (only the sandbox has a control API)"
    )]
    NoSandbox,
    /// EFTPAY_BASE_URL does not point at a sandbox.
    #[error("{0}")]
    NotASandbox(#[source] eftpay_sandbox::remote::RemoteError),
    /// The sandbox refused the control request, or could not be reached.
    #[error("{0}")]
    Remote(#[source] eftpay_sandbox::remote::RemoteError),
    /// A step of `eftpay demo` did not check out.
    #[error("demo step `{step}` did not check out: {reason}")]
    DemoStep {
        /// The step.
        step: &'static str,
        /// What went wrong.
        reason: String,
    },
    /// `eftpay spec FILTER` matched no service.
    #[error("no service name contains `{filter}`; `eftpay spec` lists them all")]
    NoServiceMatches {
        /// The filter as given.
        filter: String,
    },
    /// `eftpay spec check`: the page or the spec could not be read; says what.
    #[error("{0}")]
    PageUnreadable(String),
    /// `eftpay spec check`: the page and the spec differ (the report is on stdout).
    #[error("{}", page_differs(*differences))]
    PageDiffers {
        /// How many differences; none when the page describes no interface of the spec.
        differences: usize,
    },
    /// A scene the spec does not have.
    #[error("--scene {scene} is not a scene of the spec; its scenes are: {known}")]
    UnknownScene {
        /// The name as given.
        scene: String,
        /// The spec's scenes, comma-separated.
        known: String,
    },
}

/// "EFTPAY_USER_CONFIRM_KEY and EFTPAY_SECRET are not set: run `export A=… B=…` …".
fn not_configured(missing: &[&'static str]) -> String {
    let verb = if missing.len() == 1 { "is" } else { "are" };
    let exports: Vec<String> = missing.iter().map(|name| format!("{name}=…")).collect();
    let values: Vec<&str> = missing
        .iter()
        .map(|name| match *name {
            USER_KEY_VAR => "user_confirm_key",
            SECRET_VAR => "merchant secret",
            _ => "value",
        })
        .collect();
    format!(
        "{} {verb} not set: run `export {}` with the {} eftPay issued you first",
        missing.join(" and "),
        exports.join(" "),
        values.join(" and ")
    )
}

fn page_differs(differences: usize) -> String {
    match differences {
        0 => String::from("the page describes no interface of the spec (the report above says why)"),
        n => format!("the page and the spec differ: {n} difference(s), each with its TOML fix above"),
    }
}

impl Failure {
    /// The exit status scripts see.
    pub fn status(&self) -> Status {
        match self {
            Failure::MissingSecret
            | Failure::EmptySecret
            | Failure::SecretNotUtf8
            | Failure::NotConfigured { .. }
            | Failure::EnvNotUtf8 { .. }
            | Failure::ClientConfig(_)
            | Failure::NoServiceMatches { .. }
            | Failure::UnknownScene { .. }
            | Failure::NoSandbox
            | Failure::NotASandbox(_)
            | Failure::Sandbox(_) => Status::Usage,
            Failure::DemoStep { .. } => Status::DemoFailed,
            Failure::ReadInput(_)
            | Failure::InputTooLarge { .. }
            | Failure::Unreadable(_)
            | Failure::InvalidField(_) => Status::UnreadableInput,
            Failure::Rejected(_) => Status::VerificationFailed,
            Failure::WriteOutput(_) => Status::OutputFailed,
            Failure::Gateway(_) | Failure::Runtime(_) | Failure::Remote(_) => Status::Gateway,
            Failure::Invalid(_) => Status::InvalidRequest,
            Failure::PageDiffers { .. } => Status::PageDiffers,
            Failure::PageUnreadable(_) => Status::PageUnreadable,
        }
    }
}

impl From<Problems> for Failure {
    fn from(problems: Problems) -> Failure {
        Failure::Invalid(problems)
    }
}

impl From<ReceivedError> for Failure {
    fn from(error: ReceivedError) -> Self {
        Failure::Unreadable(error)
    }
}

impl From<VerifyError> for Failure {
    /// A body that cannot be read is an input problem, not a failed verification: a script
    /// should tell "someone sent garbage" (3) from "someone sent a forged message" (1).
    fn from(error: VerifyError) -> Self {
        match error {
            VerifyError::Body(error) => Failure::Unreadable(error),
            VerifyError::Field(error) => Failure::InvalidField(error),
            other => Failure::Rejected(other),
        }
    }
}

impl From<ClientError> for Failure {
    /// Sorted by who has to act: the configuration (2), the request (6), or the gateway (5).
    fn from(error: ClientError) -> Self {
        match error {
            ClientError::Config { .. } => Failure::ClientConfig(error),
            ClientError::Invalid { violations } => Failure::Invalid(Problems::from(violations)),
            other => Failure::Gateway(other),
        }
    }
}
