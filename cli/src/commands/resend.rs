//! `eftpay resend ORDER`: the sandbox in EFTPAY_BASE_URL delivers an order's payment
//! notification (or, with --refund-no, a refund's) again, acknowledged before or not — to test
//! that the merchant's notify handler takes the same notification twice, as eftPay re-delivers.

use crate::failure::Failure;
use crate::input::Environment;
use crate::output;
use crate::remote::Sandbox;

/// Options of `eftpay resend`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The order: the merchant's order number (out_trade_no) or eftPay's (eft_trade_no).
    pub order: String,
    /// Deliver this refund's notification instead of the payment's.
    #[arg(long, value_name = "REFUND_NO")]
    pub refund_no: Option<String>,
}

/// Starts the delivery and says what is being delivered; the merchant's answer shows in
/// `eftpay deliveries`.
///
/// # Errors
/// No sandbox configured; nothing to deliver (not paid, no notify address, a service that does
/// not notify, no such refund) or no answer; stdout closed.
pub fn run(args: &Args, env: &Environment) -> Result<(), Failure> {
    let sandbox = Sandbox::from_env(env)?;
    let resent = sandbox.ask(sandbox.remote().resend(&args.order, args.refund_no.as_deref()))?;
    let of = resent.refund_no.as_deref().map_or_else(String::new, |no| format!(" (refund {no})"));
    output::print(&format!(
        "delivering {} of order {}{of} again; `eftpay deliveries` shows the merchant's answer\n",
        resent.interface, resent.eft_trade_no
    ))
}
