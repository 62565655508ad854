//! Asynchronous notifications: the order's (or refund's) notification interface, composed from
//! the books at send time, signed, POSTed to its notify address and re-delivered with doubling
//! backoff until the merchant answers with a correctly signed, current acknowledgement whose
//! return code means handled — a wrong, stale or unsigned answer counts as not delivered.
//! Whether and how often is the serving row's `notifications` for the order's wallet (a row
//! where the payer chooses may state it per wallet): until acknowledged, once, or never. Faults
//! can drop, delay or forge deliveries.

use std::sync::Arc;
use std::time::Duration;

use eftpay::ReceiveLimits;
use eftpay::ReceivedFields;
use eftpay::catalog::{InterfaceInfo, ServiceInfo};
use eftpay::gateway::BodyError;
use eftpay::rules::{Concept, Encoding, Meaning, Notifications};
use eftpay::verify::verify_fields;
use serde::{Deserialize, Serialize};

use crate::SandboxError;
use crate::faults::take;
use crate::outgoing::{Fact, Facts, Sealed, compose};
use crate::state::{Order, OrderState, Refund, RefundState};
use crate::{Shared, lock, time_window};

/// What became of one delivery attempt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeliveryOutcome {
    /// The merchant answered with a correctly signed acknowledgement meaning handled.
    Acknowledged,
    /// Anything else: no answer, an error status, "not handled", or an answer that does not
    /// verify.
    NotAcknowledged {
        /// What came back.
        reason: String,
    },
    /// Lost on the way (fault injection).
    Dropped,
    /// Sent with a wrong signature (fault injection); the merchant should refuse it.
    Tampered {
        /// What the merchant answered.
        reason: String,
    },
}

/// One delivery attempt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// Its place in the delivery log: ids only grow, so a reader can ask for what came after
    /// the last it saw (`GET /control/deliveries?after=ID`).
    #[serde(default)]
    pub id: u64,
    /// Where it went: the notify address, without any user name or password in it.
    #[serde(default)]
    pub url: String,
    /// The notification interface delivered (spec name).
    pub interface: String,
    /// The order.
    pub eft_trade_no: String,
    /// The merchant's order number.
    pub out_trade_no: String,
    /// The refund, for refund notifications.
    pub refund_no: Option<String>,
    /// 1 for the first attempt.
    pub attempt: u32,
    /// What happened.
    pub outcome: DeliveryOutcome,
}

/// The HTTP client deliveries use: the SDK's TLS settings (nothing installed process-wide),
/// no redirects, ten seconds per delivery.
///
/// # Errors
/// The HTTP stack cannot start (no usable certificate store).
pub fn http_client() -> Result<reqwest::Client, SandboxError> {
    let http = |e: &dyn std::fmt::Display| SandboxError::Http(e.to_string());
    eftpay::gateway::http_client_builder()
        .map_err(|e| http(&e))?
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| http(&e))
}

/// Work still owed after a restart with a data file: notifications never acknowledged, and
/// applied refunds that had not finished.
///
/// What is owed is collected under the records' lock and started after it is released:
/// starting a delivery reads the books again, and the lock is not re-entrant. This walks every
/// order once, at start, never for a request.
pub fn resume_pending(shared: &Arc<Shared>) {
    let mut payments = Vec::new();
    let mut refunds = Vec::new();
    let mut applied = Vec::new();
    shared.read(|books| {
        for order in books.orders() {
            if order.state == OrderState::Paid && !order.notified && order.notify_url.is_some() {
                payments.push(order.eft_trade_no.clone());
            }
        }
        for refund in books.all_refunds() {
            let owed = (refund.eft_trade_no.clone(), refund.refund_no.clone());
            match refund.state {
                RefundState::Applied => applied.push(owed),
                RefundState::Done if !refund.notified && refund.notification(shared.catalog).is_some() => {
                    refunds.push(owed)
                }
                RefundState::Done => {}
            }
        }
    });
    for eft_trade_no in payments {
        notify_payment(shared, eft_trade_no);
    }
    for (eft_trade_no, refund_no) in refunds {
        notify_refund(shared, eft_trade_no, refund_no);
    }
    for (eft_trade_no, refund_no) in applied {
        finish_applied_refund(shared, eft_trade_no, refund_no);
    }
}

/// How often `row` notifies what was paid with `wallet` (where the payer chose it, the row may
/// say per wallet: `docs/protocol.md` §6); no row is taken to notify until acknowledged, as
/// eftPay's notify address does by default.
fn policy(row: Option<&ServiceInfo>, wallet: Option<&str>) -> Notifications {
    row.map_or(Notifications::UntilAcknowledged, |r| r.notifications_for(wallet))
}

/// What a delivery is about.
#[derive(Clone, Debug)]
struct Target {
    interface: &'static InterfaceInfo,
    eft_trade_no: String,
    refund_no: Option<String>,
    url: String,
    policy: Notifications,
}

/// The notification an order's payment (or, with `refund_no`, one of its refunds) goes out as:
/// its interface, address and policy; or why it has none.
fn target(shared: &Shared, eft_trade_no: &str, refund_no: Option<&str>) -> Result<Target, String> {
    let catalog = shared.catalog;
    let (order, refund) = shared.read(|books| {
        let refund = refund_no.and_then(|no| books.find_refund(eft_trade_no, no));
        (books.get(eft_trade_no).cloned(), refund.cloned())
    });
    let order = order.ok_or_else(|| format!("no order {eft_trade_no}"))?;
    let (interface, url, policy) = match refund_no {
        None => {
            if order.state != OrderState::Paid {
                return Err(format!(
                    "order {} is {:?}: only a paid order is notified",
                    order.out_trade_no, order.state
                ));
            }
            let policy = policy(order.row(catalog), order.wallet.as_deref());
            let interface = order.payment_notification(catalog).filter(|_| policy != Notifications::Never);
            let interface = interface.ok_or_else(|| {
                format!(
                    "{} does not notify payments made with {}",
                    order.service,
                    order.wallet.as_deref().unwrap_or("its wallets")
                )
            })?;
            let url = order
                .notify_url
                .clone()
                .ok_or_else(|| format!("order {} has no notify address", order.out_trade_no))?;
            (interface, url, policy)
        }
        Some(no) => {
            let refund = refund.ok_or_else(|| format!("order {} has no refund {no}", order.out_trade_no))?;
            if refund.state != RefundState::Done {
                return Err(format!("refund {no} is still applied for: it is notified once it finishes"));
            }
            let interface = refund.notification(catalog).ok_or_else(|| {
                format!(
                    "refund {no} is not notified: its request gave no notify address, or its service does not notify"
                )
            })?;
            let url = refund.notify_url.clone().unwrap_or_default();
            let policy = policy(refund.row(catalog), order.wallet.as_deref());
            if policy == Notifications::Never {
                return Err(format!("refund {no} is not notified: its service does not notify for this wallet"));
            }
            (interface, url, policy)
        }
    };
    Ok(Target {
        interface,
        eft_trade_no: eft_trade_no.to_owned(),
        refund_no: refund_no.map(str::to_owned),
        url,
        policy,
    })
}

/// Starts delivering the payment notification of a paid order, if its service notifies.
pub fn notify_payment(shared: &Arc<Shared>, eft_trade_no: String) {
    if let Ok(target) = target(shared, &eft_trade_no, None) {
        start(shared, target);
    }
}

/// Starts delivering the refund notification of a finished refund that is notified.
pub fn notify_refund(shared: &Arc<Shared>, eft_trade_no: String, refund_no: String) {
    if let Ok(target) = target(shared, &eft_trade_no, Some(&refund_no)) {
        start(shared, target);
    }
}

/// Delivers an order's payment notification (or one of its refund's) again, acknowledged
/// before or not, as eftPay re-delivers: for merchants testing that their handler takes the
/// same notification twice. The notification interface delivered.
///
/// # Errors
/// Why the order or refund has no notification to deliver.
pub fn resend(shared: &Arc<Shared>, eft_trade_no: &str, refund_no: Option<&str>) -> Result<&'static str, String> {
    let target = target(shared, eft_trade_no, refund_no)?;
    let interface = target.interface.name;
    start(shared, target);
    Ok(interface)
}

fn start(shared: &Arc<Shared>, target: Target) {
    let task = deliver(Arc::clone(shared), target);
    shared.background.spawn(task);
}

/// An applied refund finishes after a while, then is notified.
pub fn finish_applied_refund(shared: &Arc<Shared>, eft_trade_no: String, refund_no: String) {
    let for_task = Arc::clone(shared);
    shared.background.spawn(async move {
        let shared = for_task;
        tokio::time::sleep(shared.config.apply_refund_delay).await;
        let finished = shared.change(|books, _| {
            Ok(books
                .finish_refund(&eft_trade_no, &refund_no)
                .map_or_else(Default::default, |(change, ..)| (change, ())))
        });
        match finished {
            Ok(()) => notify_refund(&shared, eft_trade_no, refund_no),
            // Still applied, in the books as in the file: finished at the next start.
            Err(refusal) => tracing::warn!(refund_no, reason = refusal.text, "an applied refund could not be finished"),
        }
    });
}

/// The notification as it stands in the books now, signed.
fn compose_now(shared: &Shared, target: &Target, order: &Order, refund: Option<&Refund>) -> Option<Sealed> {
    let mut facts = match (&target.refund_no, refund) {
        (Some(_), Some(refund)) => Facts::of_refund(order, refund),
        (Some(_), None) => return None,
        (None, _) => Facts::of_order(order),
    };
    facts
        .text(Concept::UserConfirmKey, Some(&shared.credentials.user_confirm_key))
        .set(Concept::Time, Fact::Time(shared.now()));
    let interface = target.interface;
    let fields = compose(shared.catalog, interface.fields, &facts);
    match Sealed::new(interface, interface.fields, fields, Some(&shared.credentials.secret)) {
        Ok(sealed) => Some(sealed),
        Err(error) => {
            tracing::warn!(interface = interface.name, %error, "notification could not be composed");
            None
        }
    }
}

async fn deliver(shared: Arc<Shared>, target: Target) {
    let attempts = if target.policy == Notifications::Once { 1 } else { shared.config.notification_attempts.max(1) };
    let mut backoff = shared.config.notification_backoff;
    for attempt in 1..=attempts {
        let (drop, tamper, delay) = {
            let mut faults = lock(&shared.faults);
            let drop = take(&mut faults.drop_notifications);
            // One fault per attempt: a lost notification cannot also be forged.
            let tamper = !drop && take(&mut faults.tamper_notifications);
            (drop, tamper, faults.delay_notifications_ms)
        };
        if delay > 0 {
            tokio::time::sleep(Duration::from_millis(delay)).await;
        }
        let found = shared.read(|books| {
            let refund = target.refund_no.as_deref().and_then(|no| books.find_refund(&target.eft_trade_no, no));
            books.get(&target.eft_trade_no).map(|order| (order.clone(), refund.cloned()))
        });
        let Some((order, refund)) = found else { return };
        let Some(sealed) = compose_now(&shared, &target, &order, refund.as_ref()) else { return };
        let outcome = if drop {
            DeliveryOutcome::Dropped
        } else {
            let sealed = if tamper { sealed.forged() } else { sealed };
            let body = sealed.body(target.interface.encoding);
            shared.record(target.interface.name, target.interface.encoding, &body);
            match post(&shared, &target, body).await {
                Ok(()) if !tamper => DeliveryOutcome::Acknowledged,
                Ok(()) => {
                    DeliveryOutcome::Tampered { reason: "the merchant acknowledged a forged notification".into() }
                }
                Err(reason) if tamper => DeliveryOutcome::Tampered { reason },
                Err(reason) => DeliveryOutcome::NotAcknowledged { reason },
            }
        };
        tracing::info!(
            interface = target.interface.name,
            out_trade_no = order.out_trade_no.as_str(),
            attempt,
            outcome = ?outcome,
            "notification delivery"
        );
        let acknowledged = outcome == DeliveryOutcome::Acknowledged;
        shared.log_delivery(Delivery {
            id: 0,
            url: shown_url(&target.url),
            interface: target.interface.name.to_owned(),
            eft_trade_no: target.eft_trade_no.clone(),
            out_trade_no: order.out_trade_no.clone(),
            refund_no: target.refund_no.clone(),
            attempt,
            outcome,
        });
        if acknowledged {
            let marked = shared
                .change(|books, _| Ok((books.mark_notified(&target.eft_trade_no, target.refund_no.as_deref()), ())));
            if let Err(refusal) = marked {
                // Not acknowledged in the books nor the file: delivered again at the next start.
                tracing::warn!(reason = refusal.text, "an acknowledgement could not be saved");
            }
            return;
        }
        if attempt < attempts {
            // A timer waits at least its tick even for no time; without a backoff, only let
            // other work run.
            if backoff.is_zero() {
                tokio::task::yield_now().await;
            } else {
                tokio::time::sleep(backoff).await;
            }
            backoff = backoff.saturating_mul(2);
        }
    }
}

/// POSTs one notification; `Ok` only for a correctly signed acknowledgement (the interface the
/// notification names as its reply) whose return code means handled and whose time is as close
/// to the sandbox clock as a request's must be.
async fn post(shared: &Shared, target: &Target, body: String) -> Result<(), String> {
    let content_type = match target.interface.encoding {
        Encoding::Form => "application/x-www-form-urlencoded",
        _ => "application/json; charset=utf-8",
    };
    let response = shared
        .http
        .post(&target.url)
        .header(reqwest::header::CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .map_err(|e| format!("no answer: {}", e.without_url()))?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("HTTP {status}"));
    }
    // The merchant chose this address: its answer is read up to the received-message limit,
    // never whole on its word (the timeout alone would let it send for ten seconds).
    let bytes =
        eftpay::gateway::read_limited(response, ReceiveLimits::DEFAULT.max_body_bytes).await.map_err(|e| match e {
            BodyError::TooLarge { limit } => {
                format!("answer too large: over {limit} bytes, larger than any acknowledgement; not read further")
            }
            other => format!("unreadable answer: {other}"),
        })?;
    let text = String::from_utf8(bytes).map_err(|_| "answer is not UTF-8 text".to_owned())?;
    let ack = target.interface.reply.and_then(|name| shared.catalog.interface(name)).ok_or_else(|| {
        format!("the spec names no acknowledgement for {}; nothing can acknowledge it", target.interface.name)
    })?;
    let fields = match ack.encoding {
        Encoding::Form => ReceivedFields::from_form(&text),
        _ => ReceivedFields::from_json(&text),
    }
    .map_err(|e| format!("answer is not an acknowledgement: {e}"))?;
    verify_fields(&fields, &shared.credentials.secret).map_err(|e| format!("acknowledgement does not verify: {e}"))?;
    // A signed answer is only as fresh as its time: an old one replayed is no answer now.
    if let Some(time) = ack.field_for(Concept::Time) {
        time_window::check(time.wire, fields.text(time.wire), shared.now(), shared.config.time_tolerance)
            .map_err(|refusal| format!("acknowledgement refused: {}", refusal.text))?;
    }
    let code = ack.field_for(Concept::ReturnCode);
    let value = code.and_then(|f| fields.text(f.wire));
    let meaning = code.and_then(|f| f.enum_name).zip(value).and_then(|(e, v)| shared.catalog.meaning_of(e, v));
    match meaning {
        Some(Meaning::Handled) => Ok(()),
        _ => Err(format!("{} {}", code.map_or("return code", |f| f.wire), value.unwrap_or("missing"))),
    }
}

/// An address as logs and the control API show it: without the user name and password a
/// merchant may have put in it (`https://shop:pw@…`), replaced by `<redacted>`; the books keep
/// it whole, to deliver to.
pub(crate) fn shown_url(text: &str) -> String {
    let Ok(mut parsed) = reqwest::Url::parse(text) else {
        // Not a URL the books would have taken; show nothing of it rather than guess its parts.
        return "<redacted>".to_owned();
    };
    if parsed.username().is_empty() && parsed.password().is_none() {
        return text.to_owned();
    }
    let _ = parsed.set_username("");
    let _ = parsed.set_password(None);
    match parsed.as_str().split_once("://") {
        Some((scheme, rest)) => format!("{scheme}://<redacted>@{rest}"),
        None => "<redacted>".to_owned(),
    }
}
