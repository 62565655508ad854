//! Asynchronous notifications (eftpay-api.md §6): a signed JSON POST to `notify_url`,
//! re-delivered with doubling backoff until the merchant answers with a correctly signed
//! `return_code=success` — a wrong or unsigned answer counts as not delivered. Services the
//! spec marks `once` get one attempt, `never` none. Faults can drop, delay or forge deliveries.

use std::sync::Arc;
use std::time::Duration;

use eftpay::rules::Notifications;
use eftpay::verify::verify_fields;
use eftpay::{HkTime, ReceivedFields, ReturnCode, Service};
use serde::{Deserialize, Serialize};

use crate::faults::take;
use crate::state::{Order, OrderState, RefundState};
use crate::{Shared, lock, reply, time_window};

/// Which notification.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NotificationKind {
    /// A payment notification.
    Payment,
    /// A refund notification.
    Refund,
}

/// What became of one delivery attempt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeliveryOutcome {
    /// The merchant answered with a correctly signed `success`.
    Acknowledged,
    /// Anything else: no answer, an error status, `false`, or an answer that does not verify.
    NotAcknowledged {
        /// What came back.
        reason: String,
    },
    /// Lost on the way (fault injection).
    Dropped,
    /// Sent with a wrong `sign` (fault injection); the merchant should refuse it.
    Tampered {
        /// What the merchant answered.
        reason: String,
    },
}

/// One delivery attempt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// Payment or refund.
    pub kind: NotificationKind,
    /// The order.
    pub eft_trade_no: String,
    /// The refund, for refund notifications.
    pub out_refund_no: Option<String>,
    /// 1 for the first attempt.
    pub attempt: u32,
    /// What happened.
    pub outcome: DeliveryOutcome,
}

/// The HTTP client deliveries use.
pub fn http_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_default()
}

/// Work still owed after a restart with a data file: notifications never acknowledged, and
/// apply-refunds that had not finished.
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
                let owed = (order.eft_trade_no.clone(), refund.out_refund_no.clone());
                match refund.state {
                    RefundState::Applied => applied.push(owed),
                    RefundState::Done if refund.notify_url.is_some() && !refund.notified => refunds.push(owed),
                    RefundState::Done => {}
                }
            }
        }
    }
    for eft_trade_no in payments {
        notify_payment(shared, eft_trade_no);
    }
    for (eft_trade_no, out_refund_no) in refunds {
        notify_refund(shared, eft_trade_no, out_refund_no);
    }
    for (eft_trade_no, out_refund_no) in applied {
        finish_applied_refund(shared, eft_trade_no, out_refund_no);
    }
}

fn policy(order: &Order) -> Notifications {
    Service::from_wire(&order.service).rules().map_or(Notifications::UntilAcknowledged, |r| r.notifications)
}

/// Starts delivering the payment notification of a paid order, if its service notifies.
pub fn notify_payment(shared: &Arc<Shared>, eft_trade_no: String) {
    let Some(order) = lock(&shared.ledger).get(&eft_trade_no).cloned() else { return };
    let (Some(url), policy) = (order.notify_url.clone(), policy(&order)) else { return };
    if policy == Notifications::Never {
        return;
    }
    let shared = Arc::clone(shared);
    tokio::spawn(async move {
        deliver(shared, NotificationKind::Payment, eft_trade_no, None, url, policy).await;
    });
}

/// Starts delivering the refund notification of a finished refund that gave a `notify_url`.
pub fn notify_refund(shared: &Arc<Shared>, eft_trade_no: String, out_refund_no: String) {
    let url = lock(&shared.ledger)
        .get(&eft_trade_no)
        .and_then(|o| o.refunds.iter().find(|r| r.out_refund_no == out_refund_no).and_then(|r| r.notify_url.clone()));
    let Some(url) = url else { return };
    let shared = Arc::clone(shared);
    tokio::spawn(async move {
        deliver(
            shared,
            NotificationKind::Refund,
            eft_trade_no,
            Some(out_refund_no),
            url,
            Notifications::UntilAcknowledged,
        )
        .await;
    });
}

/// An apply-refund finishes after a while, then notifies.
pub fn finish_applied_refund(shared: &Arc<Shared>, eft_trade_no: String, out_refund_no: String) {
    let shared = Arc::clone(shared);
    tokio::spawn(async move {
        tokio::time::sleep(shared.config.apply_refund_delay).await;
        let order = lock(&shared.ledger).finish_refund(&eft_trade_no, &out_refund_no).cloned();
        if let Some(order) = order {
            let _ = shared.persist(&order);
            notify_refund(&shared, eft_trade_no, out_refund_no);
        }
    });
}

/// A notification's fields, read from the books at send time (eftpay-api.md §6); the
/// synchronous return carries the payment's, less `notify_type`.
pub(crate) fn fields(
    shared: &Shared,
    kind: NotificationKind,
    order: &Order,
    out_refund_no: Option<&str>,
    now: HkTime,
) -> Vec<(&'static str, String)> {
    let paid = order.paid_at.and_then(HkTime::from_unix_seconds).map(HkTime::to_dashed).unwrap_or_default();
    let mut fields = vec![
        ("notify_type", "trade_status_sync".to_owned()),
        ("user_confirm_key", shared.credentials.user_confirm_key.clone()),
        ("trade_no", order.transaction_id.clone().unwrap_or_default()),
        ("transaction_id", order.transaction_id.clone().unwrap_or_default()),
        ("out_trade_no", order.out_trade_no.clone()),
        ("eft_trade_no", order.eft_trade_no.clone()),
        ("eftpay_trade_no", order.eft_trade_no.clone()),
        ("total_fee", order.amount.to_string()),
        ("currency", order.currency.clone()),
        ("gmt_payment", paid),
        ("wallet", order.wallet.clone()),
        ("tid", order.tid.clone().unwrap_or_default()),
        ("time", now.to_compact()),
    ];
    let refund = out_refund_no.and_then(|no| order.refunds.iter().find(|r| r.out_refund_no == no));
    match (kind, refund) {
        (NotificationKind::Refund, Some(refund)) => fields.extend([
            ("trade_type", "REFUND".to_owned()),
            ("trade_status", order.refund_status(refund).as_str().to_owned()),
            ("return_amount", refund.amount.to_string()),
            ("refund_no", refund.out_refund_no.clone()),
        ]),
        _ => fields.extend([
            ("trade_type", "SALE".to_owned()),
            ("trade_status", order.trade_status().map(|s| s.as_str().to_owned()).unwrap_or_default()),
        ]),
    }
    fields
}

async fn deliver(
    shared: Arc<Shared>,
    kind: NotificationKind,
    eft_trade_no: String,
    out_refund_no: Option<String>,
    url: String,
    policy: Notifications,
) {
    let attempts = if policy == Notifications::Once { 1 } else { shared.config.notification_attempts.max(1) };
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
        let Some(order) = lock(&shared.ledger).get(&eft_trade_no).cloned() else { return };
        let fields = fields(&shared, kind, &order, out_refund_no.as_deref(), shared.now());
        let outcome = if drop {
            DeliveryOutcome::Dropped
        } else {
            let mut body = reply::json_body(&fields, &shared.credentials, true);
            if tamper {
                body = forge(&body);
            }
            match post(&shared, &url, body).await {
                Ok(()) if !tamper => DeliveryOutcome::Acknowledged,
                Ok(()) => {
                    DeliveryOutcome::Tampered { reason: "the merchant acknowledged a forged notification".into() }
                }
                Err(reason) if tamper => DeliveryOutcome::Tampered { reason },
                Err(reason) => DeliveryOutcome::NotAcknowledged { reason },
            }
        };
        let acknowledged = outcome == DeliveryOutcome::Acknowledged;
        lock(&shared.deliveries).push(Delivery {
            kind,
            eft_trade_no: eft_trade_no.clone(),
            out_refund_no: out_refund_no.clone(),
            attempt,
            outcome,
        });
        if acknowledged {
            let order = {
                let mut ledger = lock(&shared.ledger);
                ledger.mark_notified(&eft_trade_no, out_refund_no.as_deref());
                ledger.get(&eft_trade_no).cloned()
            };
            if let Some(order) = order {
                let _ = shared.persist(&order);
            }
            return;
        }
        if attempt < attempts {
            tokio::time::sleep(backoff).await;
            backoff = backoff.saturating_mul(2);
        }
    }
}

/// A notification whose `sign` no longer matches: its last hex digit changed.
fn forge(body: &str) -> String {
    let Some(start) = body.find("\"sign\":\"").map(|i| i + 8) else { return body.to_owned() };
    let end = start + 63;
    match body.get(end..=end) {
        Some(last) => {
            let replacement = if last == "0" { "1" } else { "0" };
            format!("{}{}{}", body.get(..end).unwrap_or_default(), replacement, body.get(end + 1..).unwrap_or_default())
        }
        None => body.to_owned(),
    }
}

/// POSTs one notification; `Ok` only for a correctly signed `return_code=success` whose `time`
/// is as close to the sandbox clock as a request's must be.
async fn post(shared: &Shared, url: &str, body: String) -> Result<(), String> {
    let response = shared
        .http
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json; charset=utf-8")
        .body(body)
        .send()
        .await
        .map_err(|e| format!("no answer: {e}"))?;
    let status = response.status();
    let text = response.text().await.map_err(|e| format!("unreadable answer: {e}"))?;
    if !status.is_success() {
        return Err(format!("HTTP {status}"));
    }
    let fields = ReceivedFields::from_json(&text).map_err(|e| format!("answer is not a JSON acknowledgement: {e}"))?;
    verify_fields(&fields, &shared.credentials.secret).map_err(|e| format!("acknowledgement does not verify: {e}"))?;
    // A signed answer is only as fresh as its `time`: an old one replayed is no answer now.
    time_window::check(fields.text("time"), shared.now(), shared.config.time_tolerance)
        .map_err(|refusal| format!("acknowledgement refused: {}", refusal.text))?;
    match fields.text("return_code") {
        Some(code) if code == ReturnCode::Success.as_str() => Ok(()),
        other => Err(format!("return_code {}", other.unwrap_or("missing"))),
    }
}
