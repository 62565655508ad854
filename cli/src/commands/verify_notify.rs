//! `eftpay verify-notify`: checks the signature of a notification or synchronous return the way
//! a merchant's handler must — over every field received — and prints what it says.
//! Verification and recognition are the library's (`eftpay::notify::verify_notification_in`:
//! any notification of the catalog, told apart by the spec's rules); this module words the
//! outcome, naming values by what they stand for.

use std::fmt;

use eftpay::VerifyError;
use eftpay::catalog::{Catalog, InterfaceInfo, TypedFields};
use eftpay::notify;
use eftpay::rules::{Concept, Encoding, Purpose};
use eftpay::verify;
use eftpay::{IncomingError, ReceivedError, ReceivedFields, Secret};

use crate::failure::Failure;
use crate::{input, output};

/// Options of `eftpay verify-notify`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Read a form-encoded synchronous return (the POST to return_url) instead of a JSON
    /// notification.
    #[arg(long)]
    pub form: bool,
}

/// Reads the secret and a message, verifies it and prints a one-line summary.
///
/// # Errors
/// No usable secret, unreadable input, a bad signature, or stdout closed.
pub fn run(catalog: &'static Catalog, args: &Args, env: &input::Environment) -> Result<(), Failure> {
    let secret = input::secret_from_env(env)?;
    let body = input::read_stdin()?;
    let summary =
        if args.form { verify_return(catalog, &body, &secret)? } else { verify_notification(catalog, &body, &secret)? };
    output::print(&format!("{summary}\n"))
}

/// A JSON notification of any kind the catalog has: every received field is verified, and a
/// signed body that no rule recognizes as a notification (a reply, an acknowledgement) is
/// refused.
fn verify_notification(catalog: &'static Catalog, body: &[u8], secret: &Secret) -> Result<Summary, Failure> {
    let text = std::str::from_utf8(body).map_err(|_| ReceivedError::NotUtf8)?;
    let recognized = notify::verify_notification_in(catalog, text, secret).map_err(refused)?;
    Ok(Summary::of(recognized.interface, recognized.verified.message()))
}

/// A signed message that is not the kind asked for fails verification (exit status 1) like a
/// forged one: whatever it says, it was not sent as what it is being checked as. Other
/// errors are sorted as everywhere else.
fn refused(error: VerifyError) -> Failure {
    match error {
        VerifyError::Field(unrecognized @ IncomingError::Unrecognized { .. }) => {
            Failure::Rejected(VerifyError::Field(unrecognized))
        }
        other => Failure::from(other),
    }
}

/// The synchronous return, a form-encoded POST of the payment's fields, read as the catalog's
/// form-encoded return.
fn verify_return(catalog: &'static Catalog, body: &[u8], secret: &Secret) -> Result<Summary, Failure> {
    let text = std::str::from_utf8(body).map_err(|_| ReceivedError::NotUtf8)?;
    // A form body has no raw line breaks (they are encoded as %0A), so trailing ones can only
    // come from `echo` or a saved file; left in, they would become part of the last value.
    let text = text.trim_end_matches(['\r', '\n']);
    let fields = ReceivedFields::from_form(text)?;
    let Some(interface) =
        catalog.interfaces.iter().copied().find(|i| i.purpose == Purpose::SyncReturn && i.encoding == Encoding::Form)
    else {
        // Checked first, so that a forged body is reported as forged whatever the spec lacks.
        verify::verify_fields(&fields, secret)?;
        return Err(refused(IncomingError::Unrecognized { expected: "form-encoded synchronous return" }.into()));
    };
    let verified = verify::verify_typed(interface, fields, secret)?;
    Ok(Summary::of(interface, verified.message()))
}

/// What a verified message says, as one line of `name=value` words (`-` when absent), named by
/// what each value stands for. Every value is escaped ([`output::printable`]): a signed value
/// with a line break or a terminal escape must not forge a second `verified:` line or reach the
/// terminal as a control sequence.
struct Summary {
    out_trade_no: Option<String>,
    trade_status: Option<String>,
    amount: Option<String>,
    /// `Some` for refund notifications: the refund's amount, which may be absent.
    refund_amount: Option<Option<String>>,
}

impl Summary {
    fn of(interface: &InterfaceInfo, typed: &TypedFields) -> Summary {
        let value = |concept: Concept| interface.value_of(typed, concept).map(str::to_owned);
        Summary {
            out_trade_no: value(Concept::OutTradeNo),
            trade_status: value(Concept::TradeStatus),
            amount: value(Concept::Amount),
            refund_amount: (interface.purpose == Purpose::RefundNotification).then(|| value(Concept::RefundAmount)),
        }
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "verified: out_trade_no={} trade_status={} amount={}",
            or_dash(self.out_trade_no.as_deref()),
            or_dash(self.trade_status.as_deref()),
            or_dash(self.amount.as_deref()),
        )?;
        if let Some(refund_amount) = &self.refund_amount {
            write!(f, " refund_amount={}", or_dash(refund_amount.as_deref()))?;
        }
        Ok(())
    }
}

fn or_dash(value: Option<&str>) -> String {
    value.map_or_else(|| String::from("-"), |value| output::printable(value).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_acknowledgement_fails_verification_as_no_notification() {
        let credentials = eftpay::Credentials::new("TESTKEY00001", "test-secret-not-real");
        let clock = eftpay::FixedClock::new(eftpay::HkTime::parse_compact("20230609110700").unwrap());
        let ack = notify::acknowledge(notify::Answer::Handled, &credentials, &clock);

        let Err(failure) = verify_notification(&eftpay::CATALOG, ack.body.as_bytes(), &credentials.secret) else {
            panic!("an acknowledgement was accepted as a notification");
        };

        assert!(
            matches!(failure, Failure::Rejected(VerifyError::Field(IncomingError::Unrecognized { .. }))),
            "{failure:?}"
        );
        assert_eq!(failure.status(), crate::exit::Status::VerificationFailed);
        assert!(
            failure.to_string().starts_with("verification failed: the message is signed but is not a notification")
        );
    }
}
