//! `eftpay refund`: refunds all or part of a paid order through the configured gateway
//! (Refund, or with `--apply` ApplyRefund, eftpay-api.md §5) and prints the verified reply.
//! Never retried: once a refund may have left, only a query tells whether it was made.

use eftpay::{Amount, ApplyRefundRequest, BuyerType, Interface, PayScene, RefundRequest, ServiceRules, Wallet};

use crate::failure::Failure;
use crate::gateway::Gateway;
use crate::output;
use crate::problems::{self, Problems};

/// Options of `eftpay refund`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The refund service, verbatim (`eftpay spec refund` lists them).
    #[arg(long, value_name = "SERVICE")]
    pub service: String,
    /// The wallet of the sale.
    #[arg(long, value_name = "WALLET")]
    pub wallet: String,
    /// How much to refund (return_amount), at most the order's total, e.g. 0.10.
    #[arg(long, value_name = "AMOUNT")]
    pub amount: String,
    /// The order's total (total_fee), e.g. 0.53.
    #[arg(long, value_name = "AMOUNT")]
    pub total_fee: String,
    /// Your order number of the sale (out_trade_no).
    #[arg(long, value_name = "NUMBER")]
    pub out_trade_no: String,
    /// Your refund number (out_refund_no), new for every refund; `eftpay query --refund-no`
    /// follows it.
    #[arg(long, value_name = "NUMBER")]
    pub out_refund_no: String,
    /// eftPay's order number of the sale (eft_trade_no).
    #[arg(long, value_name = "NUMBER")]
    pub eft_trade_no: Option<String>,
    /// Why the money goes back (reason).
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// The sale's pay_scene, one of the service's.
    #[arg(long, value_name = "SCENE")]
    pub pay_scene: Option<String>,
    /// The payer's device (buyerType: ios, android, others).
    #[arg(long, value_name = "TYPE")]
    pub buyer_type: Option<String>,
    /// Apply for the refund instead (apply-refund services such as service.wechat.web.ApplyRefund):
    /// eftPay accepts it as APPLY_SUCCESS and finishes it later.
    #[arg(long)]
    pub apply: bool,
    /// With --apply: where eftPay sends the refund notification (notify_url).
    #[arg(long, value_name = "URL", requires = "apply")]
    pub notify_url: Option<String>,
}

/// The reply to either request, led by what `00` means for a refund (eftpay-api.md §5). A
/// macro because `RefundResponse` and `ApplyRefundResponse` carry the same fields but are
/// distinct types with no trait in common.
macro_rules! summary {
    ($reply:expr, $args:expr) => {{
        let reply = &$reply;
        let mut fields = output::Fields::default();
        fields
            .add("trade_status", reply.trade_status.as_ref())
            .add("return_amount", reply.return_amount.as_ref())
            .add("total_fee", reply.total_fee.as_ref())
            .add("fee_type", reply.fee_type.as_ref())
            .time("refund_time", reply.refund_time)
            .add("out_trade_no", reply.out_trade_no.as_ref())
            .add("out_refund_no", reply.out_refund_no.as_ref())
            .add("eft_trade_no", reply.eft_trade_no.as_ref())
            .add("refund_trade_no", reply.refund_trade_no.as_ref())
            .add("payType", reply.pay_type.as_ref())
            .add("wallet", reply.wallet.as_ref())
            .add("buyerType", reply.buyer_type.as_ref())
            .add("user_confirm_key", reply.user_confirm_key.as_ref())
            .add("return_status", reply.return_status.as_ref())
            .add("return_char", reply.return_char.as_ref())
            .time("time", reply.time)
            .extra(&reply.extra);
        format!(
            "refund request accepted — trade_status is the refund's state; `eftpay query --out-trade-no {} \
             --refund-no {}` follows it\n{}",
            $args.out_trade_no,
            $args.out_refund_no,
            fields.render()
        )
    }};
}

/// Reads the configuration, builds and checks the request, sends it and prints the reply.
///
/// # Errors
/// Not configured, an invalid request (nothing sent), the gateway's refusal or failure, or
/// stdout closed.
pub fn run(args: &Args) -> Result<(), Failure> {
    let gateway = Gateway::from_env()?;
    let text = if args.apply {
        let reply = gateway.send(&apply_refund_request(args)?)?;
        summary!(reply, args)
    } else {
        let reply = gateway.send(&refund_request(args)?)?;
        summary!(reply, args)
    };
    output::print(&text)
}

/// What both refund requests are built from: the service's row and the arguments read against
/// it, with the problems found so far.
struct Common {
    rules: &'static ServiceRules,
    problems: Problems,
    return_amount: Amount,
    total_fee: Amount,
    wallet: Wallet,
    pay_scene: Option<PayScene>,
    buyer_type: Option<BuyerType>,
}

impl Common {
    fn read(args: &Args, interface: Interface) -> Result<Common, Failure> {
        let rules = problems::service(&args.service, interface)?;
        let mut problems = Problems::new(interface);
        let return_amount = problems.amount("return_amount", "--amount", &args.amount);
        let total_fee = problems.amount("total_fee", "--total-fee", &args.total_fee);
        let wallet = problems.choice("wallet", "--wallet", &args.wallet, rules, rules.wallets);
        let pay_scene = args
            .pay_scene
            .as_deref()
            .map(|text| problems.choice("pay_scene", "--pay-scene", text, rules, rules.pay_scenes));
        let buyer_type = args.buyer_type.as_deref().map(BuyerType::from_wire);
        Ok(Common { rules, problems, return_amount, total_fee, wallet, pay_scene, buyer_type })
    }
}

fn refund_request(args: &Args) -> Result<RefundRequest, Failure> {
    let common = Common::read(args, Interface::Refund)?;
    let mut request = RefundRequest::new(
        common.rules.service.clone(),
        common.return_amount,
        common.total_fee,
        &args.out_trade_no,
        common.rules.pay_type.clone(),
        common.wallet,
        &args.out_refund_no,
    );
    request.eft_trade_no.clone_from(&args.eft_trade_no);
    request.reason.clone_from(&args.reason);
    request.pay_scene = common.pay_scene;
    request.buyer_type = common.buyer_type;
    common.problems.finish(request.validate())?;
    Ok(request)
}

fn apply_refund_request(args: &Args) -> Result<ApplyRefundRequest, Failure> {
    let common = Common::read(args, Interface::ApplyRefund)?;
    let mut request = ApplyRefundRequest::new(
        common.rules.service.clone(),
        common.return_amount,
        common.total_fee,
        &args.out_trade_no,
        common.rules.pay_type.clone(),
        common.wallet,
        &args.out_refund_no,
    );
    request.eft_trade_no.clone_from(&args.eft_trade_no);
    request.reason.clone_from(&args.reason);
    request.pay_scene = common.pay_scene;
    request.buyer_type = common.buyer_type;
    request.notify_url.clone_from(&args.notify_url);
    common.problems.finish(request.validate())?;
    Ok(request)
}
