//! `eftpay refund`: refunds all or part of a paid order through the refund interface of the
//! chosen scene or service (with `--apply`, its apply-refund interface: eftPay accepts and
//! finishes it later), and prints the verified reply. Never retried: once a refund may have
//! left, only a query tells whether it was made.

use eftpay::catalog::Catalog;
use eftpay::rules::Purpose;

use crate::commands::exchange;
use crate::failure::Failure;
use crate::input::Environment;
use crate::request::RequestArgs;
use crate::{output, reply};

/// Options of `eftpay refund`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to refund: --amount is the amount refunded, --total the order's.
    #[command(flatten)]
    pub request: RequestArgs,
    /// Apply for the refund instead (apply-refund services): eftPay accepts the application
    /// and finishes the refund later, notifying where the service does.
    #[arg(long)]
    pub apply: bool,
}

/// Sends the refund and prints the reply.
///
/// # Errors
/// Not configured, an invalid request (nothing sent), the gateway's refusal or failure, or
/// stdout closed.
pub fn run(catalog: &'static Catalog, args: &Args, env: &Environment) -> Result<(), Failure> {
    let purpose = if args.apply { Purpose::ApplyRefund } else { Purpose::Refund };
    let done = exchange(catalog, purpose, &args.request, env)?;
    output::print(&reply::render(&done.target, &done.sent, &done.reply))
}
