//! `eftpay close`: closes an unpaid order through the close interface of the chosen scene or
//! service, so it can no longer be paid, and prints the verified reply. Never retried.

use eftpay::catalog::Catalog;
use eftpay::rules::Purpose;

use crate::commands::exchange;
use crate::failure::Failure;
use crate::input::Environment;
use crate::request::RequestArgs;
use crate::{output, reply};

/// Options of `eftpay close`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to close.
    #[command(flatten)]
    pub request: RequestArgs,
}

/// Sends the close request and prints the reply.
///
/// # Errors
/// Not configured, an invalid request (nothing sent), the gateway's refusal (a paid order
/// cannot be closed) or failure, or stdout closed.
pub fn run(catalog: &'static Catalog, args: &Args, env: &Environment) -> Result<(), Failure> {
    let done = exchange(catalog, Purpose::Close, &args.request, env)?;
    output::print(&reply::render(&done.target, &done.sent, &done.reply))
}
