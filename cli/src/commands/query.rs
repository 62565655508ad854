//! `eftpay query`: asks the configured gateway for the state of a trade, or of one refund of it
//! (QRcodeTradeQuery, eftpay-api.md §4), and prints the verified reply. Query changes nothing
//! at eftPay, so the client may retry it (DESIGN principle 10).

use clap::ArgGroup;
use eftpay::{Interface, QueryRequest, QueryResponse, Verified};

use crate::failure::Failure;
use crate::gateway::Gateway;
use crate::output;
use crate::problems::Problems;

/// Options of `eftpay query`.
#[derive(Debug, clap::Args)]
#[command(group(ArgGroup::new("trade").required(true).multiple(true).args(["out_trade_no", "eft_trade_no"])))]
pub struct Args {
    /// Your order number (out_trade_no).
    #[arg(long, value_name = "NUMBER")]
    pub out_trade_no: Option<String>,
    /// eftPay's order number (eft_trade_no); eftPay looks it up first when both are given.
    #[arg(long, value_name = "NUMBER")]
    pub eft_trade_no: Option<String>,
    /// Your refund number (the refund's out_refund_no): query that refund, so trade_status is
    /// the refund's.
    #[arg(long, value_name = "NUMBER")]
    pub refund_no: Option<String>,
}

/// Reads the configuration, sends the query and prints the reply.
///
/// # Errors
/// Not configured, an invalid request (nothing sent), the gateway's refusal or failure, or
/// stdout closed.
pub fn run(args: &Args) -> Result<(), Failure> {
    let gateway = Gateway::from_env()?;
    let mut request = QueryRequest::new();
    request.out_trade_no.clone_from(&args.out_trade_no);
    request.eft_trade_no.clone_from(&args.eft_trade_no);
    request.refund_no.clone_from(&args.refund_no);
    Problems::new(Interface::Query).finish(request.validate())?;
    let reply = gateway.send(&request)?;
    output::print(&summary(&reply))
}

/// The state first: it is what a query is for.
fn summary(reply: &Verified<QueryResponse>) -> String {
    let mut fields = output::Fields::default();
    fields
        .add("trade_status", reply.trade_status.as_ref())
        .add("trade_type", reply.trade_type.as_ref())
        .add("transaction_amount", reply.transaction_amount.as_ref())
        .add("original_amount", reply.original_amount.as_ref())
        .add("currency", reply.currency.as_ref())
        .time("trade_time", reply.trade_time)
        .add("out_trade_no", reply.out_trade_no.as_ref())
        .add("eft_trade_no", reply.eft_trade_no.as_ref())
        .add("refund_no", reply.refund_no.as_ref())
        .add("transaction_id", reply.transaction_id.as_ref())
        .add("buyer_id", reply.buyer_id.as_ref())
        .add("tid", reply.tid.as_ref())
        .add("card_scheme", reply.card_scheme.as_ref())
        .add("user_confirm_key", reply.user_confirm_key.as_ref())
        .add("return_status", reply.return_status.as_ref())
        .add("return_char", reply.return_char.as_ref())
        .time("time", reply.time)
        .extra(&reply.extra);
    fields.render()
}
