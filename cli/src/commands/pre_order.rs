//! `eftpay pre-order`: places an order (PreOrder, eftpay-api.md §3) with the configured gateway
//! and shows the verified reply — above all the `pay_apptrade` link the payer opens, optionally
//! as a QR code. The request is the dynamic `PlaceOrderRequest`, checked in full before
//! anything is sent.

use eftpay::{BuyerType, FeeType, Interface, PayScene, PlaceOrderRequest, PlaceOrderResponse, Verified};

use crate::failure::Failure;
use crate::gateway::Gateway;
use crate::problems::{self, Problems};
use crate::{output, qr};

/// Options of `eftpay pre-order`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The place-order service, verbatim (`eftpay spec` lists them).
    #[arg(long, value_name = "SERVICE")]
    pub service: String,
    /// The wallet, one of the service's (`eftpay spec SERVICE` lists them).
    #[arg(long, value_name = "WALLET")]
    pub wallet: String,
    /// transaction_amount: decimal text with at most two decimals, e.g. 0.53.
    #[arg(long, value_name = "AMOUNT")]
    pub amount: String,
    /// Your order number (out_trade_no), new for every order; at most 28 characters.
    #[arg(long, value_name = "NUMBER")]
    pub out_trade_no: String,
    /// What is paid for (subject), shown to the payer.
    #[arg(long, value_name = "TEXT")]
    pub subject: String,
    /// pay_scene; default: the service's first (`eftpay spec SERVICE`).
    #[arg(long, value_name = "SCENE")]
    pub pay_scene: Option<String>,
    /// The payment page's language (lang: cn, en, hk), for services that take one.
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
    /// Where eftPay sends the payment notification (notify_url).
    #[arg(long, value_name = "URL")]
    pub notify_url: Option<String>,
    /// Where the payer's browser returns after paying (return_url); no `?` parameters.
    #[arg(long, value_name = "URL")]
    pub return_url: Option<String>,
    /// A description of the goods (body).
    #[arg(long, value_name = "TEXT")]
    pub body: Option<String>,
    /// The payer's device (buyerType: ios, android, others).
    #[arg(long, value_name = "TYPE")]
    pub buyer_type: Option<String>,
    /// The currency (fee_type: HKD or CNY); eftPay's default is HKD.
    #[arg(long, value_name = "CURRENCY")]
    pub fee_type: Option<String>,
    /// How long the order may be paid, in seconds (active_time); eftPay's default is 1800.
    #[arg(long, value_name = "SECONDS")]
    pub active_time: Option<u32>,
    /// Also print the pay link as a QR code to scan with a phone: black on white on a terminal,
    /// plain characters (dark modules drawn) when piped.
    #[arg(long)]
    pub qr: bool,
}

/// Reads the configuration, builds and checks the request, sends it and prints the reply.
///
/// # Errors
/// Not configured, an invalid request (nothing sent), the gateway's refusal or failure, or
/// stdout closed.
pub fn run(args: &Args) -> Result<(), Failure> {
    let gateway = Gateway::from_env()?;
    let request = request(args)?;
    let reply = gateway.send(&request)?;
    let mut text = summary(&reply);
    if args.qr {
        text.push_str(&qr_code(reply.pay_apptrade.as_deref()));
    }
    output::print(&text)
}

/// The request the arguments describe: payType from the service's row, pay_scene its default
/// unless chosen, every problem found at once.
fn request(args: &Args) -> Result<PlaceOrderRequest, Failure> {
    let rules = problems::service(&args.service, Interface::PlaceOrder)?;
    let mut problems = Problems::new(Interface::PlaceOrder);
    let amount = problems.amount("transaction_amount", "--amount", &args.amount);
    let wallet = problems.choice("wallet", "--wallet", &args.wallet, rules, rules.wallets);
    let pay_scene = match &args.pay_scene {
        Some(text) => problems.choice("pay_scene", "--pay-scene", text, rules, rules.pay_scenes),
        // The spec requires pay_scenes of every place-order service; the doc's own default is WEB.
        None => rules.default_pay_scene().cloned().unwrap_or(PayScene::Web),
    };
    let mut request = PlaceOrderRequest::new(
        rules.service.clone(),
        amount,
        &args.out_trade_no,
        rules.pay_type.clone(),
        &args.subject,
        wallet,
        pay_scene,
    );
    request.lang = args.lang.as_deref().map(|text| problems.choice("lang", "--lang", text, rules, rules.langs));
    request.notify_url.clone_from(&args.notify_url);
    request.return_url.clone_from(&args.return_url);
    request.body.clone_from(&args.body);
    request.buyer_type = args.buyer_type.as_deref().map(BuyerType::from_wire);
    request.fee_type = args.fee_type.as_deref().map(FeeType::from_wire);
    request.active_time = args.active_time;
    problems.finish(request.validate())?;
    Ok(request)
}

/// The reply, led by what `00` does and does not mean (eftpay-api.md §1).
fn summary(reply: &Verified<PlaceOrderResponse>) -> String {
    let mut fields = output::Fields::default();
    fields
        .add("return_status", reply.return_status.as_ref())
        .add("return_char", reply.return_char.as_ref())
        .add("eft_trade_no", reply.eft_trade_no.as_ref())
        .add("out_trade_no", reply.out_trade_no.as_ref())
        .add("transaction_amount", reply.transaction_amount.as_ref())
        .add("fee_type", reply.fee_type.as_ref())
        .add("payType", reply.pay_type.as_ref())
        .add("wallet", reply.wallet.as_ref())
        .add("buyerType", reply.buyer_type.as_ref())
        .add("tid", reply.tid.as_ref())
        .add("user_confirm_key", reply.user_confirm_key.as_ref())
        .time("time", reply.time)
        .extra(&reply.extra)
        .add("pay_apptrade", reply.pay_apptrade.as_ref());
    format!(
        "order accepted — not paid yet: send the payer to pay_apptrade; only trade_status TRADE_SUCCESS (in the \
         notification or `eftpay query`) means paid\n{}",
        fields.render()
    )
}

/// The pay link as a QR code, or why there is none; the order exists either way, so neither
/// case is a failure of the command.
fn qr_code(pay_apptrade: Option<&str>) -> String {
    let Some(link) = pay_apptrade else {
        output::note("eftpay: the reply has no pay_apptrade link, so there is no QR code to show");
        return String::new();
    };
    match qr::render(link, output::stdout_takes_colour()) {
        Ok(code) => format!("\n{code}"),
        Err(error) => {
            output::note(&format!("eftpay: the pay link cannot be drawn as a QR code ({error}); open it instead"));
            String::new()
        }
    }
}
