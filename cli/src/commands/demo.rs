//! `eftpay demo`: one scene's whole payment flow on this machine, explained as it runs — an
//! embedded sandbox gateway, an embedded shop, and the SDK between them. The steps follow from
//! the purposes the scene's interfaces serve (a scene with a close interface gets a close step,
//! one whose service notifies gets a notification step …); every step is checked, and the
//! command exits 0 only if all of them check out.

use std::time::Duration;

use eftpay::catalog::{Catalog, InterfaceInfo, SceneInfo, ServiceInfo, TypedFields};
use eftpay::rules::{Concept, Meaning, Notifications, Purpose};
use eftpay::{Amount, Client, ClientError, Verified};
use eftpay_sandbox::browser::Payer;
use eftpay_sandbox::merchant::{Merchant, Received};
use eftpay_sandbox::{DeliveryOutcome, OrderState, Sandbox, SandboxConfig};

use crate::failure::Failure;
use crate::problems::{Problems, one_of};
use crate::request::{self, Fill, Given, Target};
use crate::{output, qr, reply};

/// Arguments of `eftpay demo`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scene to walk through (default: the spec's first); `eftpay spec` lists them.
    #[arg(long, value_name = "SCENE")]
    scene: Option<String>,
    /// The place-order service to pay with (default: the scene's first that notifies until
    /// acknowledged and can be refunded in the scene).
    #[arg(long, value_name = "SERVICE")]
    service: Option<String>,
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

/// How often the demo looks again while it waits.
const POLL: Duration = Duration::from_millis(20);

/// Runs the demo.
///
/// # Errors
/// An unknown scene or service, a step that did not check out, a sandbox that could not start,
/// or output that could not be written.
pub fn run(catalog: &'static Catalog, args: &Args) -> Result<(), Failure> {
    let scene = request::find_scene(catalog, args.scene.as_deref())?;
    let plan = Plan::of(catalog, scene, args.service.as_deref())?;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(Failure::Runtime)?;
    runtime.block_on(demo(&plan, args))
}

fn fail(step: &'static str, reason: impl Into<String>) -> Failure {
    Failure::DemoStep { step, reason: reason.into() }
}

/// The interfaces and service rows the scene's flow goes through, chosen from the catalog.
struct Plan {
    catalog: &'static Catalog,
    scene: &'static SceneInfo,
    place: &'static InterfaceInfo,
    row: &'static ServiceInfo,
    query: Option<&'static InterfaceInfo>,
    /// The refund interface (apply-refund where the scene has one for the row's payType) and its
    /// row for the order's payType.
    refund: Option<(&'static InterfaceInfo, Option<&'static ServiceInfo>)>,
    close: Option<&'static InterfaceInfo>,
}

/// The row of `interface` for orders of `pay_type` ([`Catalog::row_for_pay_type`]); an
/// interface without rows takes every order rowless. `Err` when it has rows but none fits.
fn row_for_pay_type(
    catalog: &Catalog,
    interface: &InterfaceInfo,
    pay_type: Option<&str>,
) -> Result<Option<&'static ServiceInfo>, ()> {
    if catalog.services_of(interface.name).next().is_none() {
        return Ok(None);
    }
    catalog.row_for_pay_type(interface, pay_type).map(Some).ok_or(())
}

impl Plan {
    fn of(catalog: &'static Catalog, scene: &'static SceneInfo, service: Option<&str>) -> Result<Plan, Failure> {
        let at = |purpose| catalog.scene_interface(scene, purpose);
        let Some(place) = at(Purpose::PlaceOrder) else {
            let mut problems = Problems::new(Purpose::PlaceOrder.name());
            problems
                .push(format!("the {} scene has no place-order interface, so there is no payment to walk", scene.name));
            return Err(Failure::Invalid(problems));
        };
        let refunds: Vec<&'static InterfaceInfo> =
            [Purpose::ApplyRefund, Purpose::Refund].into_iter().filter_map(at).collect();
        let refund_for = |row: &ServiceInfo| {
            refunds.iter().find_map(|i| row_for_pay_type(catalog, i, row.pay_type).ok().map(|r| (*i, r)))
        };
        let rows: Vec<&'static ServiceInfo> = catalog.services_of(place.name).collect();
        let row = match service {
            Some(text) => match request::find_row(catalog, text).filter(|row| row.interface == place.name) {
                Some(row) => row,
                None => {
                    let names: Vec<&str> = rows.iter().map(|row| row.name).collect();
                    let mut problems = Problems::new(place.name);
                    problems.push(format!(
                        "--service {text} is not a place-order service of the {} scene; it has {}",
                        scene.name,
                        one_of(&names)
                    ));
                    return Err(Failure::Invalid(problems));
                }
            },
            None => {
                // The refund interface the scene prefers (apply-refund first) decides, so the
                // flow shows the most the scene has; then any refundable row; then any row.
                let refundable_by = |row: &ServiceInfo, interface: &InterfaceInfo| {
                    row_for_pay_type(catalog, interface, row.pay_type).is_ok()
                };
                let chosen = refunds
                    .iter()
                    .find_map(|interface| {
                        rows.iter().find(|row| {
                            row.notifications == Notifications::UntilAcknowledged && refundable_by(row, interface)
                        })
                    })
                    .or_else(|| rows.iter().find(|row| refund_for(row).is_some()))
                    .or_else(|| rows.first());
                let Some(row) = chosen.copied() else {
                    let mut problems = Problems::new(place.name);
                    problems.push(format!("the {} scene's {} has no service to order with", scene.name, place.name));
                    return Err(Failure::Invalid(problems));
                };
                row
            }
        };
        Ok(Plan {
            catalog,
            scene,
            place,
            row,
            query: at(Purpose::Query),
            refund: refund_for(row),
            close: at(Purpose::Close),
        })
    }

    fn target(&self, interface: &'static InterfaceInfo, row: Option<&'static ServiceInfo>) -> Target {
        Target { catalog: self.catalog, purpose: interface.purpose, interface, row, scene: Some(self.scene) }
    }
}

/// The value of the reply's field standing for `concept`.
fn value<'a>(interface: &InterfaceInfo, reply: &'a Verified<TypedFields>, concept: Concept) -> Option<&'a str> {
    interface.value_of(reply.message(), concept)
}

/// What the reply's value standing for `concept` means.
fn meaning(
    catalog: &Catalog,
    interface: &InterfaceInfo,
    reply: &Verified<TypedFields>,
    concept: Concept,
) -> Option<Meaning> {
    let field = interface.response_field_for(concept)?;
    catalog.meaning_of(field.enum_name?, value(interface, reply, concept)?)
}

/// What a received message's value standing for `concept` means.
fn received_meaning(catalog: &Catalog, received: &Received, concept: Concept) -> Option<Meaning> {
    let field = received.interface.field_for(concept)?;
    catalog.meaning_of(field.enum_name?, received.value(concept)?)
}

/// `TRADE_SUCCESS`: the spec's code for `meaning` in the value set of `interface`'s field for
/// `concept`, for the person reading along.
fn code(catalog: &Catalog, interface: &InterfaceInfo, concept: Concept, meaning: Meaning) -> String {
    interface
        .response_field_for(concept)
        .or_else(|| interface.field_for(concept))
        .and_then(|field| catalog.wire_for(field.enum_name?, meaning))
        .map_or_else(|| format!("{meaning:?}"), str::to_owned)
}

/// The flag values of a request, for the concepts its interface takes.
struct Ask {
    interface: &'static InterfaceInfo,
    given: Vec<Given>,
}

impl Ask {
    fn new(interface: &'static InterfaceInfo) -> Ask {
        Ask { interface, given: Vec::new() }
    }

    /// Sets `concept` when the interface has a field for it; `flag` names it if it is refused.
    fn set(mut self, flag: &'static str, concept: Concept, value: Option<impl Into<String>>) -> Ask {
        let takes = self.interface.fields_for(concept).any(|f| f.is_caller_set());
        if let (true, Some(value)) = (takes, value) {
            self.given.push(Given { flag, concept, value: value.into() });
        }
        self
    }
}

/// The printed steps and checks, and the parts the flow runs on.
struct Demo<'a> {
    plan: &'a Plan,
    sandbox: &'a Sandbox,
    merchant: &'a Merchant,
    client: Client,
    steps: u32,
}

impl Demo<'_> {
    fn step(&mut self, title: &str, detail: &str) -> Result<(), Failure> {
        self.steps += 1;
        output::print(&format!("\n{:>2}. {title}\n    {}\n", self.steps, output::printable(detail)))
    }

    fn ok(&self, line: &str) -> Result<(), Failure> {
        output::print(&format!("    ✓ {}\n", output::printable(line)))
    }

    /// Builds, checks and sends a request; its reply, verified.
    async fn send(
        &self,
        step: &'static str,
        target: &Target,
        ask: Ask,
    ) -> Result<(Vec<(&'static str, String)>, Verified<TypedFields>), Failure> {
        self.try_send(step, target, ask).await?.map_err(|e| fail(step, output::with_causes(&e)))
    }

    /// Builds and checks a request (a problem fails `step`), sends it, and hands back what the
    /// client made of it.
    async fn try_send(
        &self,
        step: &'static str,
        target: &Target,
        ask: Ask,
    ) -> Result<Result<(Vec<(&'static str, String)>, Verified<TypedFields>), ClientError>, Failure> {
        let sent = request::fields(target, &ask.given, &[], Fill::Required).map_err(|e| fail(step, e.to_string()))?;
        let pairs: Vec<(&str, &str)> = sent.iter().map(|(name, value)| (*name, value.as_str())).collect();
        let reply = self.client.send_fields(self.plan.catalog, target.interface, &pairs).await;
        Ok(reply.map(|reply| (sent, reply)))
    }

    /// Waits for the merchant to receive a verified message of `purpose` about `out`.
    async fn received(&self, purpose: Purpose, out: &str) -> Option<Received> {
        let deadline = tokio::time::Instant::now() + STEP_TIMEOUT;
        loop {
            let found = self
                .merchant
                .received()
                .into_iter()
                .find(|r| r.interface.purpose == purpose && r.value(Concept::OutTradeNo) == Some(out));
            if found.is_some() || tokio::time::Instant::now() >= deadline {
                return found;
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until the sandbox saw the shop acknowledge a delivery of `notification` about
    /// `out`.
    async fn acknowledged(&self, notification: &str, out: &str) -> bool {
        let deadline = tokio::time::Instant::now() + STEP_TIMEOUT;
        while tokio::time::Instant::now() < deadline {
            let done = self.sandbox.deliveries().iter().any(|d| {
                d.interface == notification && d.out_trade_no == out && d.outcome == DeliveryOutcome::Acknowledged
            });
            if done {
                return true;
            }
            tokio::time::sleep(POLL).await;
        }
        false
    }
}

/// A new order number from the time, short enough for the interface's order-number field with
/// room for the `-r1` and `-2` the refund and the second order add.
fn order_number(place: &InterfaceInfo, digits: &str) -> String {
    let room = place.field_for(Concept::OutTradeNo).and_then(|f| f.max_len).unwrap_or(64).saturating_sub(3);
    let long = format!("demo-{digits}");
    if long.len() <= room {
        return long;
    }
    let keep = room.saturating_sub(1).min(digits.len());
    format!("d{}", digits.get(digits.len() - keep..).unwrap_or(digits))
}

/// An amount from `cents` up that chooses no outcome other than success in a test environment
/// for `pay_type`, so the demo's payment is an ordinary one.
fn ordinary_amount(catalog: &Catalog, pay_type: Option<&str>, cents: u64) -> Amount {
    (cents..cents + 100)
        .map(Amount::from_cents)
        .find(|amount| {
            pay_type
                .and_then(|p| catalog.test_amount(p, *amount))
                .is_none_or(|t| t.outcome == eftpay::rules::TestOutcome::Success)
        })
        .unwrap_or(Amount::from_cents(cents))
}

/// Waits up to `wait` for the person at the terminal to pay on the pay page, watching the
/// order at the sandbox: the gateway's own record says whether it was paid.
///
/// # Errors
/// The order was settled some other way (failed, cancelled, expired), or not at all in time.
async fn paid_by_hand(sandbox: &Sandbox, out_trade_no: &str, wait: Duration) -> Result<(), Failure> {
    // A --wait too large to add to the clock (`--wait 18446744073709551615`) waits for ever.
    let deadline = tokio::time::Instant::now().checked_add(wait);
    loop {
        match sandbox.order_by_out_trade_no(out_trade_no).map(|order| order.state) {
            Some(OrderState::Paid) => return Ok(()),
            Some(OrderState::Pending) => {}
            Some(state) => return Err(fail("payment", format!("the order was not paid: it is {state:?}"))),
            None => return Err(fail("payment", format!("the sandbox has no order {out_trade_no}"))),
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

async fn demo(plan: &Plan, args: &Args) -> Result<(), Failure> {
    let catalog = plan.catalog;
    output::print(&format!(
        "eftpay demo --scene {} — {}\nA sandbox gateway stands in for eftPay, a small web server for your shop; the SDK \
         sits between them.\n",
        plan.scene.name,
        output::printable(&plan.scene.doc.split_whitespace().collect::<Vec<_>>().join(" "))
    ))?;

    let config = SandboxConfig {
        catalog,
        notification_backoff: Duration::from_millis(200),
        apply_refund_delay: Duration::from_millis(300),
        ..SandboxConfig::default()
    };
    let sandbox = Sandbox::start_with(config).await.map_err(Failure::Sandbox)?;
    let credentials = sandbox.credentials().clone();
    let merchant = Merchant::start_in(catalog, credentials.clone()).await.map_err(Failure::Sandbox)?;
    let client = Client::builder(credentials.clone()).base_url(sandbox.base_url()).build()?;
    let mut demo = Demo { plan, sandbox: &sandbox, merchant: &merchant, client, steps: 0 };

    demo.step("Start the sandbox gateway", "eftPay's endpoints, built from the same spec as the SDK, on 127.0.0.1.")?;
    demo.ok(&format!(
        "listening at {}; test merchant key {} with a generated secret",
        sandbox.base_url(),
        credentials.user_confirm_key
    ))?;
    demo.step(
        "Start the shop",
        "Its notify_url verifies what eftPay sends and answers with a signed acknowledgement.",
    )?;
    demo.ok(&format!("notify_url {}   return_url {}", merchant.notify_url(), merchant.return_url()))?;

    let out = order_number(plan.place, &eftpay::Clock::now(&eftpay::SystemClock).to_compact());
    let outcome = flow(&mut demo, args, &out).await;
    let steps = demo.steps;
    sandbox.shutdown().await;
    outcome?;
    let others: Vec<&str> = catalog.scenes.iter().map(|s| s.name).filter(|name| *name != plan.scene.name).collect();
    let other_scenes = if others.is_empty() {
        String::new()
    } else {
        format!(", `eftpay demo --scene NAME` for the other scenes ({})", others.join(", "))
    };
    output::print(&format!(
        "\nAll {steps} steps checked out. Next: `eftpay sandbox` to keep a gateway running, `eftpay spec` for every \
         service{other_scenes}.\n"
    ))
}

/// The steps after the start-up: order, pay, notification, return, query, refund, close.
async fn flow(demo: &mut Demo<'_>, args: &Args, out: &str) -> Result<(), Failure> {
    let plan = demo.plan;
    let catalog = plan.catalog;
    let (place, row) = (plan.place, plan.row);
    let total = ordinary_amount(catalog, row.pay_type, 1250);
    let part = Amount::from_cents(total.cents() / 5);
    let notify_url = demo.merchant.notify_url();
    let return_url = demo.merchant.return_url();

    // ---- place the order ----
    let forbids_return =
        place.field_for(Concept::ReturnUrl).and_then(|f| f.forbidden_with).is_some_and(|flag| row.has_flag(flag));
    demo.step(
        "Place an order",
        &format!(
            "Service {} ({}), {total}, order {out}: checked against the spec, signed, sent through {}.",
            row.name,
            row.pay_type.unwrap_or("the payer chooses the wallet"),
            place.name
        ),
    )?;
    let order = Ask::new(place)
        .set("--amount", Concept::Amount, Some(total.to_string()))
        .set("--out-trade-no", Concept::OutTradeNo, Some(out))
        .set("--subject", Concept::Subject, Some("Coffee beans, 250 g"))
        .set("--body", Concept::Body, Some("Single origin, whole beans"))
        .set("--notify-url", Concept::NotifyUrl, Some(notify_url.clone()))
        .set("--return-url", Concept::ReturnUrl, (!forbids_return).then(|| return_url.clone()));
    let target = plan.target(place, Some(row));
    let (sent, placed) = demo.send("place order", &target, order).await?;
    if meaning(catalog, place, &placed, Concept::ReturnStatus) != Some(Meaning::Accepted) {
        return Err(fail("place order", "the reply does not say the order was accepted"));
    }
    let sent_wallet = place.sent_value(&sent, Concept::Wallet).map(str::to_owned);
    demo.ok(&format!(
        "accepted ({} {}, reply signature verified){}",
        place.response_field_for(Concept::ReturnStatus).map_or("return status", |f| f.wire),
        code(catalog, place, Concept::ReturnStatus, Meaning::Accepted),
        value(place, &placed, Concept::EftTradeNo).map_or_else(String::new, |n| format!("; eftPay order number {n}"))
    ))?;
    let paid_code = plan
        .query
        .map_or_else(|| format!("{:?}", Meaning::Paid), |q| code(catalog, q, Concept::TradeStatus, Meaning::Paid));
    demo.ok(&format!("accepted is not paid: only {paid_code} means paid"))?;

    // ---- send the payer to the link ----
    let link_field =
        reply::link_field(place).ok_or_else(|| fail("pay link", "the reply has no link or QR code field"))?;
    let link = value(place, &placed, link_field.concept.unwrap_or(Concept::PayLink))
        .ok_or_else(|| fail("pay link", format!("no {} in the reply", link_field.wire)))?
        .to_owned();
    let how = if link_field.concept == Some(Concept::QrCode) {
        "Show the payer the QR code"
    } else {
        "Send the payer to the pay link"
    };
    demo.step(how, &format!("{} = {link}", link_field.wire))?;

    // ---- pay ----
    let chosen_wallet = if row.pay_type.is_none() { row.wallets.first().copied() } else { None };
    if args.interactive {
        output::print(&format!(
            "\n{}\n    Open the link above (or scan it), press Pay. Waiting up to {} s…\n",
            qr::render(&link, output::stdout_takes_colour()).unwrap_or_default(),
            args.wait
        ))?;
        paid_by_hand(demo.sandbox, out, Duration::from_secs(args.wait)).await?;
        demo.step("Payment", "You paid on the pay page.")?;
    } else {
        let detail = match chosen_wallet {
            Some(wallet) => format!(
                "Open the pay page, choose {wallet} among the wallets it offers and press Pay, as a browser would."
            ),
            None => "Open the pay page and press Pay, through the page's own HTML form, as a browser would.".to_owned(),
        };
        demo.step("Pay", &detail)?;
        let payer = Payer::new();
        let paid = match chosen_wallet {
            Some(wallet) => payer.pay_with(&link, wallet).await,
            None => payer.pay(&link).await,
        }
        .map_err(|e| fail("pay", output::with_causes(&e)))?;
        let state = demo.sandbox.order_by_out_trade_no(out).map(|order| order.state);
        if state != Some(OrderState::Paid) {
            return Err(fail("pay", format!("the gateway has the order as {state:?}, not paid")));
        }
        demo.ok("paid at the gateway")?;
        // ---- the synchronous return ----
        if place.sync_return.is_some() && !forbids_return && place.field_for(Concept::ReturnUrl).is_some() {
            let back = demo.received(Purpose::SyncReturn, out).await;
            match (&paid.returned_to, back) {
                (Some(to), Some(back))
                    if received_meaning(catalog, &back, Concept::TradeStatus) == Some(Meaning::Paid) =>
                {
                    demo.ok(&format!(
                        "the browser was sent to {to} with a signed synchronous return ({}): {paid_code}, for the \
                         payer's eyes only",
                        back.interface.name
                    ))?;
                }
                _ => return Err(fail("pay", "the browser did not come back to return_url with a verified return")),
            }
        }
    }
    let wallet = sent_wallet.or_else(|| demo.sandbox.order_by_out_trade_no(out).and_then(|order| order.wallet));
    if let (Some(wallet), true) = (&wallet, row.pay_type.is_none()) {
        demo.ok(&format!("the payer chose {wallet} on eftPay's page"))?;
    }
    let pay_type = row.pay_type.or_else(|| wallet.as_deref().and_then(|w| catalog.pay_type_of_wallet(w)));

    // ---- the notification ----
    // Whether eftPay notifies may depend on the wallet (the payer's choice, in the cashier).
    let notifies = row.notifications_for(wallet.as_deref());
    match place.notification.filter(|_| notifies != Notifications::Never) {
        Some(notification) => {
            demo.step(
                "Receive the notification",
                &format!("eftPay POSTs a signed {notification} to notify_url until the shop acknowledges it."),
            )?;
            let Some(got) = demo.received(Purpose::PaymentNotification, out).await else {
                return Err(fail("notification", format!("no verified {notification} about {out} arrived")));
            };
            let amount_ok = got.value(Concept::Amount).and_then(|a| Amount::parse(a).ok()) == Some(total);
            if received_meaning(catalog, &got, Concept::TradeStatus) != Some(Meaning::Paid) || !amount_ok {
                return Err(fail(
                    "notification",
                    format!("expected {paid_code} for {total}, got {:?}", got.fields.fields),
                ));
            }
            demo.ok(&format!("verified {}: {out} {paid_code}, {total}", got.interface.name))?;
            if notifies == Notifications::UntilAcknowledged {
                if !demo.acknowledged(got.interface.name, out).await {
                    return Err(fail("notification", "the gateway never received a correctly signed acknowledgement"));
                }
                demo.ok("the shop's signed acknowledgement verified at the gateway: no more re-deliveries")?;
            }
        }
        None => {
            let paid_with = wallet.as_deref().map(|w| format!(" paid with {w}")).unwrap_or_default();
            demo.step(
                "No notification",
                &format!("Service {}{paid_with} does not notify: the shop queries instead.", row.name),
            )?;
            demo.ok("nothing to wait for")?;
        }
    }

    // ---- query ----
    let query = match plan.query {
        Some(query) => {
            let query_row = row_for_pay_type(catalog, query, pay_type).ok().flatten();
            demo.step(
                "Query the order",
                &format!("{}: query is authoritative; use it whenever a notification may be missing.", query.name),
            )?;
            let ask = Ask::new(query).set("--out-trade-no", Concept::OutTradeNo, Some(out)).set(
                "--wallet",
                Concept::Wallet,
                wallet.clone(),
            );
            let (_, state) = demo.send("query", &plan.target(query, query_row), ask).await?;
            if meaning(catalog, query, &state, Concept::TradeStatus) != Some(Meaning::Paid) {
                return Err(fail(
                    "query",
                    format!("the order's state is {:?}", value(query, &state, Concept::TradeStatus)),
                ));
            }
            demo.ok(&paid_code)?;
            Some((query, query_row))
        }
        None => None,
    };

    // ---- refund part of it ----
    if let Some((refund, refund_row)) = plan.refund {
        let refund_no = format!("{out}-r1");
        let apply = refund.purpose == Purpose::ApplyRefund;
        demo.step(
            if apply { "Apply for a partial refund" } else { "Refund part of it" },
            &format!("{}: {part} of {total}, refund number {refund_no}.", refund.name),
        )?;
        let ask = Ask::new(refund)
            .set("--amount", Concept::RefundAmount, Some(part.to_string()))
            .set("--total", Concept::Amount, Some(total.to_string()))
            .set("--out-trade-no", Concept::OutTradeNo, Some(out))
            .set("--refund-no", Concept::RefundNo, Some(refund_no.clone()))
            .set("--wallet", Concept::Wallet, wallet.clone())
            .set("--notify-url", Concept::NotifyUrl, Some(notify_url.clone()));
        let (_, refunded) = demo.send("refund", &plan.target(refund, refund_row), ask).await?;
        let expected = if apply { Meaning::ApplyAccepted } else { Meaning::PartlyRefunded };
        if meaning(catalog, refund, &refunded, Concept::TradeStatus) != Some(expected) {
            return Err(fail(
                "refund",
                format!("the refund's state is {:?}", value(refund, &refunded, Concept::TradeStatus)),
            ));
        }
        let state = code(catalog, refund, Concept::TradeStatus, expected);
        demo.ok(&if apply {
            format!("accepted as {state}: eftPay finishes it later")
        } else {
            format!("refunded: {state}")
        })?;
        let refunded_code = code(catalog, refund, Concept::TradeStatus, Meaning::PartlyRefunded);

        let notifies = refund_row.map_or(Notifications::UntilAcknowledged, |r| r.notifications_for(wallet.as_deref()))
            != Notifications::Never;
        if let Some(notification) = refund.notification.filter(|_| notifies) {
            demo.step(
                "Receive the refund notification",
                &format!("A signed {notification}, sent to the request's notify_url."),
            )?;
            let Some(got) = demo.received(Purpose::RefundNotification, out).await else {
                return Err(fail("refund notification", format!("no verified {notification} about {out} arrived")));
            };
            let amount_ok = got.value(Concept::RefundAmount).and_then(|a| Amount::parse(a).ok()) == Some(part);
            if received_meaning(catalog, &got, Concept::TradeStatus) != Some(Meaning::PartlyRefunded) || !amount_ok {
                return Err(fail(
                    "refund notification",
                    format!("expected {refunded_code} for {part}, got {:?}", got.fields.fields),
                ));
            }
            demo.ok(&format!("verified {}: {part} refunded, {refunded_code}", got.interface.name))?;
            if !demo.acknowledged(got.interface.name, out).await {
                return Err(fail(
                    "refund notification",
                    "the gateway never received a correctly signed acknowledgement",
                ));
            }
            demo.ok("acknowledged with a signed answer")?;
        }

        if let Some((query, query_row)) = query.filter(|(q, _)| q.field_for(Concept::RefundNo).is_some()) {
            demo.step("Query the refund", &format!("{} with refund number {refund_no}.", query.name))?;
            // An applied refund finishes a moment later: ask until it has.
            let deadline = tokio::time::Instant::now() + STEP_TIMEOUT;
            let state = loop {
                let ask = Ask::new(query)
                    .set("--out-trade-no", Concept::OutTradeNo, Some(out))
                    .set("--refund-no", Concept::RefundNo, Some(refund_no.clone()))
                    .set("--wallet", Concept::Wallet, wallet.clone());
                let (_, state) = demo.send("refund query", &plan.target(query, query_row), ask).await?;
                let done = meaning(catalog, query, &state, Concept::TradeStatus) == Some(Meaning::PartlyRefunded);
                if done || tokio::time::Instant::now() >= deadline {
                    break state;
                }
                tokio::time::sleep(POLL).await;
            };
            let status = meaning(catalog, query, &state, Concept::TradeStatus);
            let amount = value(query, &state, Concept::TradeAmount).and_then(|a| Amount::parse(a).ok());
            let kind = meaning(catalog, query, &state, Concept::TradeType);
            if status != Some(Meaning::PartlyRefunded)
                || query.response_field_for(Concept::TradeAmount).is_some() && amount != Some(part)
                || query.response_field_for(Concept::TradeType).is_some() && kind != Some(Meaning::RefundTrade)
            {
                return Err(fail("refund query", format!("the refund is {status:?} for {amount:?} ({kind:?})")));
            }
            demo.ok(&format!("the refund is {refunded_code}, {part}; the order stays partly refunded"))?;
        }
    }

    // ---- close ----
    if let Some(close) = plan.close {
        let close_row = row_for_pay_type(catalog, close, pay_type).ok().flatten();
        let open = format!("{out}-2");
        demo.step(
            "Close an unpaid order",
            &format!("A second order, {open}, is placed and closed with {} before it is paid.", close.name),
        )?;
        let second = Ask::new(place)
            .set("--amount", Concept::Amount, Some(total.to_string()))
            .set("--out-trade-no", Concept::OutTradeNo, Some(open.as_str()))
            .set("--subject", Concept::Subject, Some("Coffee beans, 250 g"))
            .set("--body", Concept::Body, Some("Single origin, whole beans"))
            .set("--return-url", Concept::ReturnUrl, (!forbids_return).then(|| return_url.clone()))
            .set("--notify-url", Concept::NotifyUrl, Some(notify_url.clone()))
            .set("--wallet", Concept::Wallet, wallet.clone());
        demo.send("close", &plan.target(place, Some(row)), second).await?;
        let ask = |number: &str| {
            Ask::new(close).set("--out-trade-no", Concept::OutTradeNo, Some(number)).set(
                "--wallet",
                Concept::Wallet,
                wallet.clone(),
            )
        };
        let target = plan.target(close, close_row);
        let (_, closed) = demo.send("close", &target, ask(&open)).await?;
        if close.response_field_for(Concept::TradeStatus).is_some()
            && meaning(catalog, close, &closed, Concept::TradeStatus) != Some(Meaning::Closed)
        {
            return Err(fail(
                "close",
                format!("the closed order is {:?}", value(close, &closed, Concept::TradeStatus)),
            ));
        }
        if demo.sandbox.order_by_out_trade_no(&open).map(|order| order.state) != Some(OrderState::Closed) {
            return Err(fail("close", "the gateway does not have the order as closed"));
        }
        demo.ok(&format!("{open} closed: {}", code(catalog, close, Concept::TradeStatus, Meaning::Closed)))?;
        match demo.try_send("close", &target, ask(out)).await? {
            Err(refused) if refused.gateway().and_then(|r| r.meaning()) == Some(Meaning::CannotClose) => {
                let refusal = refused.gateway();
                demo.ok(&format!(
                    "closing the paid order {out} is refused: {} {} — refund it instead",
                    refusal.map_or("return status", |r| r.field()),
                    refusal.map_or("", |r| r.code())
                ))?;
            }
            Err(other) => {
                return Err(fail(
                    "close",
                    format!("closing the paid order was refused otherwise: {}", output::with_causes(&other)),
                ));
            }
            Ok(_) => return Err(fail("close", "the gateway closed a paid order")),
        }
    }
    Ok(())
}
