//! eftPay's endpoints, answered from the spec: every request is read as fields, its signature
//! and merchant checked, its `time` compared with the clock, then typed and validated with the
//! same generated validators merchants use, before the books change.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use eftpay::rules::TestOutcome;
use eftpay::signing::canonical_string;
use eftpay::verify::verify_fields;
use eftpay::{
    ApplyRefundRequest, HkTime, Interface, PlaceOrderRequest, QueryRequest, ReceivedFields, RefundRequest, Service,
    TestAmount,
};

use crate::codes::{self, Refusal};
use crate::faults::take;
use crate::state::{Order, OrderState, RefundAsk};
use crate::{Shared, lock, notifier, reply, time_window};

/// The gateway's routes: one per endpoint the spec's request interfaces name, under `/VMP`.
pub fn routes() -> Router<Arc<Shared>> {
    let mut router = Router::new();
    let mut endpoints: Vec<&str> = Interface::ALL.iter().filter_map(|i| i.endpoint()).collect();
    endpoints.sort_unstable();
    endpoints.dedup();
    for endpoint in endpoints {
        let path = format!("/VMP{endpoint}");
        router = router.route(&path, post(move |state: State<Arc<Shared>>, body: Bytes| handle(state, endpoint, body)));
    }
    router
}

async fn handle(State(shared): State<Arc<Shared>>, endpoint: &'static str, body: Bytes) -> Response {
    let (slow, fail) = {
        let mut faults = lock(&shared.faults);
        (faults.slow_responses_ms, take(&mut faults.server_errors))
    };
    if slow > 0 {
        tokio::time::sleep(Duration::from_millis(slow)).await;
    }
    if fail {
        return (StatusCode::INTERNAL_SERVER_ERROR, "sandbox fault: server error").into_response();
    }
    shared.expire_due();
    let now = shared.now();
    match answer(&shared, endpoint, &body, now) {
        Ok(response) => response,
        Err(refusal) => reply::refused(&refusal, &shared.credentials, now),
    }
}

/// Checks common to every request; then the interface decides.
fn answer(shared: &Arc<Shared>, endpoint: &str, body: &[u8], now: HkTime) -> Result<Response, Refusal> {
    let fields = ReceivedFields::from_json_bytes(body).map_err(|e| Refusal::new(codes::UNREADABLE, e.to_string()))?;
    verify_fields(&fields, &shared.credentials.secret)
        .map_err(|e| Refusal::new(codes::BAD_SIGNATURE, e.to_string()))?;
    if fields.text("user_confirm_key") != Some(shared.credentials.user_confirm_key.as_str()) {
        return Err(Refusal::new(codes::UNKNOWN_MERCHANT, "user_confirm_key is not this sandbox's merchant key"));
    }
    time_window::check(fields.text("time"), now, shared.config.time_tolerance)?;
    let interface = match fields.text("service") {
        Some(service) => {
            let rules = Service::from_wire(service)
                .rules()
                .filter(|r| r.interface.endpoint() == Some(endpoint))
                .ok_or_else(|| Refusal::new(codes::INVALID_SERVICE, format!("invalid service {service}")))?;
            rules.interface
        }
        None if Interface::Query.endpoint() == Some(endpoint) => Interface::Query,
        None => return Err(Refusal::new(codes::INVALID_SERVICE, "`service` is missing")),
    };
    match interface {
        Interface::PlaceOrder => place_order(shared, &fields, now),
        Interface::Refund => refund(shared, &fields, false, now),
        Interface::ApplyRefund => refund(shared, &fields, true, now),
        Interface::Query => query(shared, &fields, now),
        _ => Err(Refusal::new(codes::INVALID_SERVICE, "not a request interface")),
    }
}

fn invalid(violations: &eftpay::Violations) -> Refusal {
    let text: Vec<String> = violations.iter().map(ToString::to_string).collect();
    Refusal::new(codes::INVALID_FIELD, text.join("; "))
}

fn place_order(shared: &Arc<Shared>, fields: &ReceivedFields, now: HkTime) -> Result<Response, Refusal> {
    let request = PlaceOrderRequest::from_received(fields).map_err(|v| invalid(&v))?;
    request.validate().map_err(|v| invalid(&v))?;
    let outcome = TestAmount::lookup(&request.pay_type, request.transaction_amount).map(|t| t.outcome);
    if outcome == Some(TestOutcome::ServerErrorNoQrCode) {
        return Err(Refusal::new(
            codes::SERVER_ERROR_NO_QR_CODE,
            "server error: no payment QR code (PAYME UAT amount .44)",
        ));
    }
    let active_time = request
        .service
        .rules()
        .filter(|r| r.has_flag(eftpay::ServiceFlag::ActiveTimeFixed))
        .map_or(request.active_time.unwrap_or(1800), |_| 600);
    let fingerprint = fingerprint(fields);
    let (order, fresh) = {
        let mut ledger = lock(&shared.ledger);
        let (order, fresh) = ledger.place(&request, fingerprint, active_time, now)?;
        (order.clone(), fresh)
    };
    shared.persist(&order).map_err(|e| Refusal::new(codes::INVALID_FIELD, e.to_string()))?;
    if fresh {
        let test_state = match outcome {
            Some(TestOutcome::Success) => Some(OrderState::Paid),
            Some(TestOutcome::Failed) => Some(OrderState::Failed),
            Some(TestOutcome::Timeout) => Some(OrderState::Expired),
            Some(TestOutcome::ServerErrorNoState) => Some(OrderState::NoState),
            _ => None,
        };
        if let Some(state) = test_state {
            crate::control::settle(shared, &order.eft_trade_no, state)?;
        }
    }
    let fields = vec![
        ("pay_apptrade", shared.pay_page_url(&order.eft_trade_no)),
        ("user_confirm_key", shared.credentials.user_confirm_key.clone()),
        ("out_trade_no", order.out_trade_no.clone()),
        ("payType", order.pay_type.clone()),
        ("buyerType", request.buyer_type.as_ref().map(|b| b.as_str().to_owned()).unwrap_or_default()),
        ("wallet", order.wallet.clone()),
        ("eft_trade_no", order.eft_trade_no.clone()),
        ("fee_type", order.currency.clone()),
        ("transaction_amount", order.amount.to_string()),
        ("tid", order.tid.clone().unwrap_or_default()),
    ];
    Ok(reply::accepted(fields, &shared.credentials, now))
}

/// What identifies a request's content: its signed fields without `time` (which differs on
/// every retry) — so a retried place-order is recognised, a conflicting one refused.
fn fingerprint(fields: &ReceivedFields) -> String {
    let kept = fields.iter().filter(|(n, _)| *n != "time" && *n != "sign").map(|(n, v)| (n.to_owned(), v.to_string()));
    ReceivedFields::from_pairs(kept).map(|f| canonical_string(&f)).unwrap_or_default()
}

fn refund(shared: &Arc<Shared>, fields: &ReceivedFields, apply: bool, now: HkTime) -> Result<Response, Refusal> {
    // Refund and apply-refund carry the same fields (eftpay-api.md §5); only notify_url differs.
    macro_rules! ask {
        ($request:ident, $notify_url:expr) => {{
            let r = $request::from_received(fields).map_err(|v| invalid(&v))?;
            r.validate().map_err(|v| invalid(&v))?;
            let notify_url = ($notify_url)(&r);
            RefundAsk {
                out_trade_no: r.out_trade_no,
                eft_trade_no: r.eft_trade_no,
                pay_type: r.pay_type.as_str().to_owned(),
                wallet: r.wallet.as_str().to_owned(),
                amount: r.return_amount,
                total_fee: r.total_fee,
                out_refund_no: r.out_refund_no,
                apply,
                notify_url,
            }
        }};
    }
    let ask = if apply {
        ask!(ApplyRefundRequest, |r: &ApplyRefundRequest| r.notify_url.clone())
    } else {
        ask!(RefundRequest, |_: &RefundRequest| None)
    };
    let (order, index) = {
        let mut ledger = lock(&shared.ledger);
        let (order, index) = ledger.refund(&ask, now)?;
        (order.clone(), index)
    };
    shared.persist(&order).map_err(|e| Refusal::new(codes::REFUND_FAILED, e.to_string()))?;
    let refund =
        order.refunds.get(index).cloned().ok_or_else(|| Refusal::new(codes::REFUND_FAILED, "refund not recorded"))?;
    if apply && refund.state == crate::state::RefundState::Applied {
        notifier::finish_applied_refund(shared, order.eft_trade_no.clone(), refund.out_refund_no.clone());
    }
    let status = order.refund_status(&refund);
    let fields = vec![
        ("out_trade_no", order.out_trade_no.clone()),
        ("out_refund_no", refund.out_refund_no.clone()),
        ("eft_trade_no", order.eft_trade_no.clone()),
        ("trade_status", status.as_str().to_owned()),
        ("refund_time", HkTime::from_unix_seconds(refund.created).map(HkTime::to_compact).unwrap_or_default()),
        ("user_confirm_key", shared.credentials.user_confirm_key.clone()),
        ("payType", order.pay_type.clone()),
        ("wallet", order.wallet.clone()),
        ("fee_type", order.currency.clone()),
        ("return_amount", refund.amount.to_string()),
        ("total_fee", order.amount.to_string()),
        ("refund_trade_no", refund.refund_trade_no.clone()),
    ];
    Ok(reply::accepted(fields, &shared.credentials, now))
}

fn query(shared: &Arc<Shared>, fields: &ReceivedFields, now: HkTime) -> Result<Response, Refusal> {
    let request = QueryRequest::from_received(fields).map_err(|v| invalid(&v))?;
    request.validate().map_err(|v| invalid(&v))?;
    let order: Order = lock(&shared.ledger)
        .find(request.eft_trade_no.as_deref(), request.out_trade_no.as_deref())
        .cloned()
        .ok_or_else(|| Refusal::new(codes::NOT_FOUND, "no such order; check out_trade_no / eft_trade_no"))?;
    let paid_at = order.paid_at.and_then(HkTime::from_unix_seconds).map(HkTime::to_dashed).unwrap_or_default();
    let mut reply = vec![
        ("out_trade_no", order.out_trade_no.clone()),
        ("eft_trade_no", order.eft_trade_no.clone()),
        ("user_confirm_key", shared.credentials.user_confirm_key.clone()),
        ("tid", order.tid.clone().unwrap_or_default()),
        ("transaction_id", order.transaction_id.clone().unwrap_or_default()),
        ("currency", order.currency.clone()),
        ("original_amount", order.amount.to_string()),
    ];
    match &request.refund_no {
        Some(refund_no) => {
            let refund = order.refunds.iter().find(|r| r.out_refund_no == *refund_no).ok_or_else(|| {
                Refusal::new(codes::NOT_FOUND, format!("order {} has no refund {refund_no}", order.out_trade_no))
            })?;
            reply.extend([
                ("refund_no", refund.out_refund_no.clone()),
                ("trade_type", "REFUND".to_owned()),
                ("trade_status", order.refund_status(refund).as_str().to_owned()),
                ("transaction_amount", refund.amount.to_string()),
                ("trade_time", HkTime::from_unix_seconds(refund.created).map(HkTime::to_dashed).unwrap_or_default()),
            ]);
        }
        None => reply.extend([
            ("trade_type", "SALE".to_owned()),
            ("trade_status", order.trade_status().map(|s| s.as_str().to_owned()).unwrap_or_default()),
            ("transaction_amount", order.amount.to_string()),
            ("trade_time", paid_at),
        ]),
    }
    Ok(reply::accepted(reply, &shared.credentials, now))
}
