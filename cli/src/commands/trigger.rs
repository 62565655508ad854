//! `eftpay trigger pay|fail|cancel|expire ORDER`: what a payer (or time) does to an order, done
//! to an order of the sandbox in EFTPAY_BASE_URL through its control API — instead of a browser
//! on the pay page, or curl.

use eftpay_sandbox::remote::Action;

use crate::failure::Failure;
use crate::input::Environment;
use crate::output;
use crate::remote::Sandbox;

/// Options of `eftpay trigger`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What happens to the order.
    #[arg(value_parser = action)]
    pub action: Action,
    /// The order: the merchant's order number (out_trade_no) or eftPay's (eft_trade_no).
    pub order: String,
    /// With `pay`: the wallet the payer chooses, for an order that leaves the choice to the payer.
    #[arg(long, value_name = "WALLET")]
    pub wallet: Option<String>,
}

/// The actions `trigger` takes: every control action but `resend` (its own command).
fn action(word: &str) -> Result<Action, String> {
    Action::from_word(word).filter(|a| *a != Action::Resend).ok_or_else(|| {
        let words: Vec<&str> = Action::ALL.iter().filter(|a| **a != Action::Resend).map(|a| a.as_str()).collect();
        format!("use one of {}", words.join(", "))
    })
}

/// Moves the order on and prints where it now stands.
///
/// # Errors
/// No sandbox configured; the sandbox refused (no such order, not pending) or did not answer;
/// stdout closed.
pub fn run(args: &Args, env: &Environment) -> Result<(), Failure> {
    let sandbox = Sandbox::from_env(env)?;
    let order = sandbox.ask(sandbox.remote().trigger(&args.order, args.action, args.wallet.as_deref()))?;
    let mut fields = output::Fields::default();
    fields
        .add("order", format!("{} (eftPay {})", order.out_trade_no, order.eft_trade_no))
        .add("state", format!("{:?}", order.state))
        .add("amount", order.amount);
    if let Some(wallet) = &order.wallet {
        fields.add("wallet", wallet);
    }
    output::print(&fields.render())
}
