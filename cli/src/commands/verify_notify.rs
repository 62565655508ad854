//! `eftpay verify-notify`: checks the signature of a notification or synchronous return
//! (eftpay-api.md §6) the way a merchant's handler must — over every field received — and
//! prints what it says. Verification is the library's (`eftpay::verify`); this module picks
//! the message type and words the outcome.

use std::fmt;

use eftpay::notify::{self, Notification};
use eftpay::verify::verify;
use eftpay::{Amount, ReceivedError, ReceivedFields, Secret, SyncReturn, TradeStatus};

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
pub fn run(args: &Args) -> Result<(), Failure> {
    let secret = input::secret_from_env()?;
    let body = input::read_stdin()?;
    let summary = if args.form { verify_return(&body, &secret)? } else { verify_notification(&body, &secret)? };
    output::print(&format!("{summary}\n"))
}

/// A JSON notification, read by the library's one rule (`eftpay::notify::verify_notification`,
/// from the spec's recognition rules): every received field is verified, and a signed body that
/// is not a notification (a reply, an acknowledgement) is refused.
fn verify_notification(body: &[u8], secret: &Secret) -> Result<Summary, Failure> {
    let text = std::str::from_utf8(body).map_err(|_| ReceivedError::NotUtf8)?;
    let verified = notify::verify_notification(text, secret)?;
    let notification = verified.message();
    let refund_amount = match notification {
        Notification::Refund(refund) => Some(refund.return_amount),
        _ => None,
    };
    Ok(Summary {
        out_trade_no: notification.out_trade_no().map(ToOwned::to_owned),
        trade_status: notification.trade_status().cloned(),
        amount: notification.total_fee(),
        refund_amount,
    })
}

/// The synchronous return, a form-encoded POST of the payment's fields (§6).
fn verify_return(body: &[u8], secret: &Secret) -> Result<Summary, Failure> {
    let text = std::str::from_utf8(body).map_err(|_| ReceivedError::NotUtf8)?;
    // A form body has no raw line breaks (they are encoded as %0A), so trailing ones can only
    // come from `echo` or a saved file; left in, they would become part of the last value.
    let text = text.trim_end_matches(['\r', '\n']);
    let sync = verify::<SyncReturn>(ReceivedFields::from_form(text)?, secret)?;
    Ok(Summary {
        out_trade_no: sync.out_trade_no.clone(),
        trade_status: sync.trade_status.clone(),
        amount: sync.total_fee,
        refund_amount: None,
    })
}

/// What a verified message says, as one line of `name=value` words (`-` when absent). Every
/// value is escaped ([`output::printable`]): a signed value with a line break or a terminal
/// escape must not forge a second `verified:` line or reach the terminal as a control sequence.
struct Summary {
    out_trade_no: Option<String>,
    trade_status: Option<TradeStatus>,
    amount: Option<Amount>,
    /// `Some` for refund notifications: the refund's amount, which may be absent.
    refund_amount: Option<Option<Amount>>,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "verified: out_trade_no={} trade_status={} amount={}",
            or_dash(self.out_trade_no.as_ref()),
            or_dash(self.trade_status.as_ref()),
            or_dash(self.amount.as_ref()),
        )?;
        if let Some(refund_amount) = &self.refund_amount {
            write!(f, " refund_amount={}", or_dash(refund_amount.as_ref()))?;
        }
        Ok(())
    }
}

fn or_dash<T: fmt::Display>(value: Option<&T>) -> String {
    value.map_or_else(|| String::from("-"), |value| output::printable(&value.to_string()).into_owned())
}
