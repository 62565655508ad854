//! Asynchronous notifications: the order's (or refund's) notification interface, composed from
//! the books at send time, signed, POSTed to its notify address and re-delivered with doubling
//! backoff until the merchant answers with a correctly signed, current acknowledgement whose
//! return code means handled — a wrong, stale or unsigned answer counts as not delivered.
//! Whether and how often is the serving row's `notifications` for the order's wallet (a row
//! where the payer chooses may state it per wallet): until acknowledged, once, or never. Faults
//! can drop, delay or forge deliveries.

use std::sync::Arc;
use std::time::Duration;

use eftpay::ReceivedFields;
use eftpay::catalog::{InterfaceInfo, ServiceInfo};
use eftpay::client::BodyError;
use eftpay::received::MAX_BODY_BYTES;
use eftpay::rules::{Concept, Encoding, Meaning, Notifications};
use eftpay::verify::verify_fields;
use serde::{Deserialize, Serialize};

use crate::SandboxError;
use crate::faults::take;
use crate::outgoing::{Fact, Facts, Sealed, compose};
use crate::state::{Order, OrderState, RefundState};
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
    eftpay::client::http_client_builder()
        .map_err(|e| http(&e))?
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| http(&e))
}

/// Work still owed after a restart with a data file: notifications never acknowledged, and
/// applied refunds that had not finished.
///
/// What is owed is collected under the ledger lock and started after it is released: starting a
/// delivery reads the books again, and the ledger mutex is not re-entrant.
pub fn resume_pending(shared: &Arc<Shared>) {
    let mut payments = Vec::new();
    let mut refunds = Vec::new();
    let mut applied = Vec::new();
    {
        let ledger = lock(&shared.ledger);
        for order in ledger.orders() {
            if order.state == OrderState::Paid && !order.notified && order.notify_url.is_some() {
                payments.push(order.eft_trade_no.clone());
            }
            for refund in &order.refunds {
                let owed = (order.eft_trade_no.clone(), refund.refund_no.clone());
                match refund.state {
                    RefundState::Applied => applied.push(owed),
                    RefundState::Done if !refund.notified && refund.notification(shared.catalog).is_some() => {
                        refunds.push(owed)
                    }
                    RefundState::Done => {}
                }
            }
        }
    }
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

/// Starts delivering the payment notification of a paid order, if its service notifies.
pub fn notify_payment(shared: &Arc<Shared>, eft_trade_no: String) {
    let Some(order) = lock(&shared.ledger).get(&eft_trade_no).cloned() else { return };
    let (Some(url), Some(interface)) = (order.notify_url.clone(), order.payment_notification(shared.catalog)) else {
        return;
    };
    let policy = policy(order.row(shared.catalog), order.wallet.as_deref());
    start(shared, Target { interface, eft_trade_no, refund_no: None, url, policy });
}

/// Starts delivering the refund notification of a finished refund that is notified.
pub fn notify_refund(shared: &Arc<Shared>, eft_trade_no: String, refund_no: String) {
    let found =
        lock(&shared.ledger).get(&eft_trade_no).and_then(|o| Some((o.refund(&refund_no).cloned()?, o.wallet.clone())));
    let Some((refund, order_wallet)) = found else { return };
    let (Some(url), Some(interface)) = (refund.notify_url.clone(), refund.notification(shared.catalog)) else {
        return;
    };
    let policy = policy(refund.row(shared.catalog), order_wallet.as_deref());
    start(shared, Target { interface, eft_trade_no, refund_no: Some(refund_no), url, policy });
}

fn start(shared: &Arc<Shared>, target: Target) {
    if target.policy == Notifications::Never {
        return;
    }
    let task = deliver(Arc::clone(shared), target);
    shared.background.spawn(task);
}

/// An applied refund finishes after a while, then is notified.
pub fn finish_applied_refund(shared: &Arc<Shared>, eft_trade_no: String, refund_no: String) {
    let for_task = Arc::clone(shared);
    shared.background.spawn(async move {
        let shared = for_task;
        tokio::time::sleep(shared.config.apply_refund_delay).await;
        let order = lock(&shared.ledger).finish_refund(&eft_trade_no, &refund_no).cloned();
        if let Some(order) = order {
            let _ = shared.persist(&order);
            notify_refund(&shared, eft_trade_no, refund_no);
        }
    });
}

/// The notification as it stands in the books now, signed.
fn compose_now(shared: &Shared, target: &Target, order: &Order) -> Option<Sealed> {
    let mut facts = match &target.refund_no {
        Some(no) => Facts::of_refund(order, order.refund(no)?),
        None => Facts::of_order(order),
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
        let Some(order) = lock(&shared.ledger).get(&target.eft_trade_no).cloned() else { return };
        let Some(sealed) = compose_now(&shared, &target, &order) else { return };
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
            interface: target.interface.name.to_owned(),
            eft_trade_no: target.eft_trade_no.clone(),
            out_trade_no: order.out_trade_no.clone(),
            refund_no: target.refund_no.clone(),
            attempt,
            outcome,
        });
        if acknowledged {
            let order = {
                let mut ledger = lock(&shared.ledger);
                ledger.mark_notified(&target.eft_trade_no, target.refund_no.as_deref());
                ledger.get(&target.eft_trade_no).cloned()
            };
            if let Some(order) = order {
                let _ = shared.persist(&order);
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
    let bytes = eftpay::client::read_limited(response, MAX_BODY_BYTES).await.map_err(|e| match e {
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
