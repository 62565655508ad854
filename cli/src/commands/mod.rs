//! One module per subcommand. Each exposes its clap `Args` and a `run` that reads its input,
//! does the work through the `eftpay` library on the catalog it is given, and writes its result.

use eftpay::Verified;
use eftpay::catalog::{Catalog, TypedFields};
use eftpay::rules::Purpose;

use crate::failure::Failure;
use crate::gateway::Gateway;
use crate::input::Environment;
use crate::request::{self, Fill, RequestArgs, Target};

pub mod close;
pub mod deliveries;
pub mod demo;
pub mod pre_order;
pub mod query;
pub mod refund;
pub mod resend;
pub mod sandbox;
pub mod sign;
pub mod spec;
pub mod spec_check;
pub mod trigger;
pub mod verify_notify;

/// What a request command sent and what came back.
pub struct Exchange {
    /// The interface and row chosen.
    pub target: Target,
    /// The fields sent (envelope and signature aside).
    pub sent: Vec<(&'static str, String)>,
    /// The verified reply.
    pub reply: Verified<TypedFields>,
}

/// Reads the configuration, chooses the interface and row, builds and checks the request, and
/// sends it — nothing is sent when anything is wrong.
///
/// # Errors
/// Not configured, an invalid request (nothing sent), the gateway's refusal or failure.
pub fn exchange(
    catalog: &'static Catalog,
    purpose: Purpose,
    args: &RequestArgs,
    env: &Environment,
) -> Result<Exchange, Failure> {
    let gateway = Gateway::from_env(env)?;
    let target = request::target(catalog, purpose, args)?;
    let sent = request::fields(&target, &args.given(purpose), &args.fields, Fill::Nothing)?;
    let reply = gateway.send(catalog, target.interface, &sent)?;
    Ok(Exchange { target, sent, reply })
}
