//! Why a command failed, worded for the person at the terminal, and which exit status that is.
//! No variant carries the secret, a signature or the signed string (DESIGN principle 7).

use eftpay::{IncomingError, ReceivedError, VerifyError};

use crate::exit::Status;
use crate::input::SECRET_VAR;

/// A command's failure; its `Display` is the one line printed on stderr.
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
    ReadInput(std::io::Error),
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
    WriteOutput(std::io::Error),
}

impl Failure {
    /// The exit status scripts see.
    pub fn status(&self) -> Status {
        match self {
            Failure::MissingSecret | Failure::EmptySecret | Failure::SecretNotUtf8 => Status::Usage,
            Failure::ReadInput(_) | Failure::Unreadable(_) | Failure::InvalidField(_) => Status::UnreadableInput,
            Failure::Rejected(_) => Status::VerificationFailed,
            Failure::WriteOutput(_) => Status::OutputFailed,
        }
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
