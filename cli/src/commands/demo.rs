//! `eftpay demo`: the whole payment flow on this machine, explained as it runs — an embedded
//! sandbox gateway, an embedded merchant, and the SDK between them. Every step is checked; the
//! command exits 0 only if all of them check out.

use std::time::Duration;

use eftpay::notify::Notification;
use eftpay::{
    Amount, ApplyRefundRequest, Client, PayType, QueryRequest, ReturnStatus, Service, TradeStatus, Wallet, services,
    wallets,
};
use eftpay_sandbox::browser::Payer;
use eftpay_sandbox::merchant::Merchant;
use eftpay_sandbox::{DeliveryOutcome, NotificationKind, OrderState, Sandbox, SandboxConfig};

use crate::failure::Failure;
use crate::output;
use crate::qr;

/// Arguments of `eftpay demo`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Wait for you to open the pay link in a browser and press Pay, instead of paying through
    /// the page's form automatically.
    #[arg(long)]
    interactive: bool,
    /// How long to wait for payment with --interactive, in seconds.
    #[arg(long, default_value_t = 600, value_name = "SECONDS")]
    wait: u64,
}

/// How long the automatic parts may take before a step counts as failed.
const STEP_TIMEOUT: Duration = Duration::from_secs(15);

/// Runs the demo.
///
/// # Errors
/// A step did not check out, the sandbox could not start, or output could not be written.
pub fn run(args: &Args) -> Result<(), Failure> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(Failure::Runtime)?;
    runtime.block_on(demo(args))
}

/// Prints one step heading.
fn step(number: u32, title: &str, detail: &str) -> Result<(), Failure> {
    output::print(&format!("\n{number:>2}. {title}\n    {detail}\n"))
}

/// Prints a checked fact.
fn ok(line: &str) -> Result<(), Failure> {
    output::print(&format!("    ✓ {line}\n"))
}

/// Waits until the sandbox saw the shop acknowledge a notification of `kind` for the order.
async fn acknowledged(sandbox: &Sandbox, eft_trade_no: &str, kind: NotificationKind) -> bool {
    let deadline = tokio::time::Instant::now() + STEP_TIMEOUT;
    while tokio::time::Instant::now() < deadline {
        let done = sandbox
            .deliveries()
            .iter()
            .any(|d| d.eft_trade_no == eft_trade_no && d.kind == kind && d.outcome == DeliveryOutcome::Acknowledged);
        if done {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

/// Waits up to `wait` for the person at the terminal to pay on the pay page, watching the
/// order at the sandbox: the gateway's own record says whether it was paid, while the
/// notification that should follow is checked by the next step.
///
/// # Errors
/// The order was settled some other way (failed, cancelled, expired), or not at all in time.
async fn paid_by_hand(sandbox: &Sandbox, eft_trade_no: &str, wait: Duration) -> Result<(), Failure> {
    // A --wait too large to add to the clock (`--wait 18446744073709551615`) waits for ever.
    let deadline = tokio::time::Instant::now().checked_add(wait);
    loop {
        match sandbox.order(eft_trade_no).map(|order| order.state) {
            Some(OrderState::Paid) => return Ok(()),
            Some(OrderState::Pending) => {}
            Some(state) => return Err(fail("payment", format!("the order was not paid: it is {state:?}"))),
            None => return Err(fail("payment", format!("the sandbox has no order {eft_trade_no}"))),
        }
        if deadline.is_some_and(|deadline| tokio::time::Instant::now() >= deadline) {
            return Err(fail(
                "payment",
                format!(
                    "no payment within {} s: open the link and press Pay, or run without --interactive",
                    wait.as_secs()
                ),
            ));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn fail(step: &'static str, reason: impl Into<String>) -> Failure {
    Failure::DemoStep { step, reason: reason.into() }
}

async fn demo(args: &Args) -> Result<(), Failure> {
    output::print(
        "eftpay demo — a payment from order to refund, on this machine.\n\
         A sandbox gateway stands in for eftPay, a small web server for your shop; the SDK sits between them.\n",
    )?;

    step(1, "Start the sandbox gateway", "eftPay's endpoints, built from the same spec as the SDK, on 127.0.0.1.")?;
    let config = SandboxConfig {
        notification_backoff: Duration::from_millis(200),
        apply_refund_delay: Duration::from_millis(300),
        ..SandboxConfig::default()
    };
    let sandbox = Sandbox::start_with(config).await.map_err(Failure::Sandbox)?;
    let credentials = sandbox.credentials().clone();
    ok(&format!(
        "listening at {}; test merchant key {} with a generated secret",
        sandbox.base_url(),
        credentials.user_confirm_key
    ))?;

    step(2, "Start the shop", "Its notify_url verifies what eftPay sends and answers with a signed acknowledgement.")?;
    let merchant = Merchant::start(credentials.clone()).await.map_err(Failure::Sandbox)?;
    ok(&format!("notify_url {}   return_url {}", merchant.notify_url(), merchant.return_url()))?;
    let client = Client::builder(credentials).base_url(sandbox.base_url()).build()?;

    let out_trade_no = format!("demo-{}", eftpay::Clock::now(&eftpay::SystemClock).to_compact());
    let total = Amount::from_cents(1250);
    step(
        3,
        "Place an order",
        &format!("WeChat Pay (WECHATHK), HKD {total}, order {out_trade_no}: typed, validated, signed, sent."),
    )?;
    let order =
        services::WechatWebPreOrder::place_order(wallets::WeChatHk, total, out_trade_no.clone(), "Coffee beans, 250 g")
            .notify_url(merchant.notify_url())
            .return_url(merchant.return_url());
    let reply = client.place_order(order).await.map_err(|e| fail("place order", e.to_string()))?;
    if reply.return_status != Some(ReturnStatus::Accepted) {
        return Err(fail("place order", format!("return_status {:?}", reply.return_status)));
    }
    let eft_trade_no = reply.eft_trade_no.clone().ok_or_else(|| fail("place order", "no eft_trade_no in the reply"))?;
    ok(&format!("accepted (return_status 00, reply signature verified); eftPay order number {eft_trade_no}"))?;
    ok("accepted is not paid: only TRADE_SUCCESS means paid")?;

    let link = reply.pay_apptrade.clone().ok_or_else(|| fail("pay link", "no pay_apptrade in the reply"))?;
    step(4, "Send the payer to the pay link", &format!("pay_apptrade = {link}"))?;

    if args.interactive {
        output::print(&format!(
            "\n{}\n    Open the link above (or scan it), press Pay. Waiting up to {} s…\n",
            qr::render(&link, output::stdout_takes_colour()).unwrap_or_default(),
            args.wait
        ))?;
        paid_by_hand(&sandbox, &eft_trade_no, Duration::from_secs(args.wait)).await?;
        step(5, "Payment", "You paid on the pay page.")?;
    } else {
        step(5, "Pay", "Open the pay page and press Pay, through the page's own HTML form, as a browser would.")?;
        let paid = Payer::new().pay(&link).await.map_err(|e| fail("pay", e.to_string()))?;
        match (&paid.returned_to, merchant.returns().first()) {
            (Some(to), Some(back)) if back.trade_status == Some(TradeStatus::TradeSuccess) => {
                ok(&format!(
                    "the browser was sent to {to} with a signed synchronous return: TRADE_SUCCESS (for the payer's eyes only)"
                ))?;
            }
            _ => return Err(fail("pay", "the browser did not come back to return_url with a verified return")),
        }
    }

    step(
        6,
        "Receive the notification",
        "eftPay POSTs a signed notification to notify_url until the shop acknowledges it.",
    )?;
    let notifications = merchant.wait_for_notifications(1, STEP_TIMEOUT).await;
    match notifications.first() {
        Some(Notification::Payment(p))
            if p.trade_status == Some(TradeStatus::TradeSuccess) && p.total_fee == Some(total) =>
        {
            ok(&format!("verified payment notification: {out_trade_no} TRADE_SUCCESS, HKD {total}"))?;
        }
        other => {
            return Err(fail("notification", format!("expected a verified TRADE_SUCCESS notification, got {other:?}")));
        }
    }

    if !acknowledged(&sandbox, &eft_trade_no, NotificationKind::Payment).await {
        return Err(fail("notification", "the gateway never received a correctly signed `success` acknowledgement"));
    }
    ok("the shop's signed `success` acknowledgement verified at the gateway: no more re-deliveries")?;

    step(7, "Query the order", "Query is authoritative; use it whenever a notification may be missing.")?;
    let mut query = QueryRequest::new();
    query.out_trade_no = Some(out_trade_no.clone());
    let state = client.query(query.clone()).await.map_err(|e| fail("query", e.to_string()))?;
    if state.trade_status != Some(TradeStatus::TradeSuccess) {
        return Err(fail("query", format!("trade_status {:?}", state.trade_status)));
    }
    ok("trade_status TRADE_SUCCESS")?;

    let part = Amount::from_cents(250);
    let refund_no = format!("{out_trade_no}-r1");
    step(8, "Refund part of it", &format!("apply-refund HKD {part} of HKD {total}, refund number {refund_no}."))?;
    let mut refund = ApplyRefundRequest::new(
        Service::WechatWebApplyRefund,
        part,
        total,
        out_trade_no.clone(),
        PayType::WeChat,
        Wallet::WeChatHk,
        refund_no.clone(),
    );
    refund.notify_url = Some(merchant.notify_url());
    let applied = client.apply_refund(refund).await.map_err(|e| fail("refund", e.to_string()))?;
    if applied.trade_status != Some(TradeStatus::ApplySuccess) {
        return Err(fail("refund", format!("trade_status {:?}", applied.trade_status)));
    }
    ok("accepted as APPLY_SUCCESS: eftPay finishes it later and notifies")?;

    step(9, "Receive the refund notification", "Sent to the apply-refund request's notify_url.")?;
    let notifications = merchant.wait_for_notifications(2, STEP_TIMEOUT).await;
    match notifications.iter().find(|n| matches!(n, Notification::Refund(_))) {
        Some(Notification::Refund(r))
            if r.return_amount == Some(part) && r.trade_status == Some(TradeStatus::TradeRefund) =>
        {
            ok(&format!("verified refund notification: HKD {part} refunded, TRADE_REFUND"))?;
        }
        other => {
            return Err(fail(
                "refund notification",
                format!("expected a verified TRADE_REFUND notification, got {other:?}"),
            ));
        }
    }
    if !acknowledged(&sandbox, &eft_trade_no, NotificationKind::Refund).await {
        return Err(fail("refund notification", "the gateway never received a correctly signed acknowledgement"));
    }
    ok("acknowledged with a signed `success`")?;

    step(10, "Query the refund", &format!("Query with refund_no {refund_no}."))?;
    query.refund_no = Some(refund_no);
    let refunded = client.query(query).await.map_err(|e| fail("refund query", e.to_string()))?;
    if refunded.trade_status != Some(TradeStatus::TradeRefund) || refunded.transaction_amount != Some(part) {
        return Err(fail(
            "refund query",
            format!("trade_status {:?}, amount {:?}", refunded.trade_status, refunded.transaction_amount),
        ));
    }
    ok(&format!("refund TRADE_REFUND, HKD {part}; the order stays partly refunded"))?;

    output::print(
        "\nAll 10 steps checked out. Next: `eftpay sandbox` to keep a gateway running, `eftpay spec` for every service.\n",
    )?;
    sandbox.shutdown().await;
    Ok(())
}
