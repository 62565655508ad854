//! `eftpay deliveries`: the notifications the sandbox in EFTPAY_BASE_URL delivered, where, and
//! what the merchant answered — its latest entries, or with --follow each new one as it
//! happens (until interrupted).

use std::time::Duration;

use eftpay_sandbox::{Delivery, DeliveryOutcome};

use crate::failure::Failure;
use crate::input::Environment;
use crate::output;
use crate::remote::Sandbox;

/// How often --follow asks for new deliveries.
const POLL: Duration = Duration::from_millis(300);

/// Options of `eftpay deliveries`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Keep printing deliveries as they happen, until interrupted (Ctrl-C).
    #[arg(long)]
    pub follow: bool,
    /// Only the deliveries of this order (the merchant's order number or eftPay's).
    #[arg(long, value_name = "ORDER")]
    pub order: Option<String>,
}

/// Prints the delivery log (and, following, what is added to it).
///
/// # Errors
/// No sandbox configured; no answer from it; stdout closed.
pub fn run(args: &Args, env: &Environment) -> Result<(), Failure> {
    let sandbox = Sandbox::from_env(env)?;
    let mut after = 0;
    loop {
        let batch = sandbox.ask(sandbox.remote().deliveries(after))?;
        let mut lines = String::new();
        for delivery in &batch {
            after = after.max(delivery.id);
            let of_order = |order: &str| delivery.eft_trade_no == order || delivery.out_trade_no == order;
            if args.order.as_deref().is_none_or(of_order) {
                lines.push_str(&line(delivery));
            }
        }
        output::print(&lines)?;
        if !args.follow {
            return Ok(());
        }
        sandbox.runtime().block_on(async { tokio::time::sleep(POLL).await });
    }
}

/// One delivery, on one line: values from outside (order numbers, the merchant's answer) made
/// printable.
fn line(delivery: &Delivery) -> String {
    let outcome = match &delivery.outcome {
        DeliveryOutcome::Acknowledged => "acknowledged".to_owned(),
        DeliveryOutcome::NotAcknowledged { reason } => format!("not acknowledged: {reason}"),
        DeliveryOutcome::Dropped => "dropped (fault injected)".to_owned(),
        DeliveryOutcome::Tampered { reason } => format!("sent with a forged sign (fault injected): {reason}"),
    };
    let refund = delivery.refund_no.as_deref().map_or_else(String::new, |no| format!(" refund {no}"));
    let text = format!(
        "#{} {} order {} ({}){refund} attempt {} to {}: {outcome}",
        delivery.id, delivery.interface, delivery.out_trade_no, delivery.eft_trade_no, delivery.attempt, delivery.url
    );
    format!("{}\n", output::printable(&text))
}
