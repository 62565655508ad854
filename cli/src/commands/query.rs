//! `eftpay query`: asks the configured gateway for the state of an order, or of one refund of
//! it, through the query interface of the chosen scene or service, and prints the verified
//! reply. A query changes nothing at eftPay, so the client may retry it.

use eftpay::catalog::Catalog;
use eftpay::rules::Purpose;

use crate::commands::exchange;
use crate::failure::Failure;
use crate::input::Environment;
use crate::request::RequestArgs;
use crate::{output, reply};

/// Options of `eftpay query`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to query.
    #[command(flatten)]
    pub request: RequestArgs,
}

/// Sends the query and prints the reply.
///
/// # Errors
/// Not configured, an invalid request (nothing sent), the gateway's refusal or failure, or
/// stdout closed.
pub fn run(catalog: &'static Catalog, args: &Args, env: &Environment) -> Result<(), Failure> {
    let done = exchange(catalog, Purpose::Query, &args.request, env)?;
    output::print(&reply::render(&done.target, &done.sent, &done.reply))
}
