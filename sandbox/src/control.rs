//! The control API, for tests and people driving the sandbox by hand: pay, fail or expire an
//! order; read orders and the notification log; switch faults on. Over HTTP under `/control`
//! (POSTs as JSON, so a page on another site cannot send them), and as methods of
//! [`Sandbox`](crate::Sandbox).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};

use crate::codes::Refusal;
use crate::faults::Faults;
use crate::state::{Order, OrderState};
use crate::{Shared, lock, notifier};

/// `/control/…` routes.
pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/control/orders", get(orders))
        .route("/control/orders/{eft_trade_no}", get(order))
        .route("/control/orders/{eft_trade_no}/{action}", post(act))
        .route("/control/deliveries", get(deliveries))
        .route("/control/faults", get(faults).post(set_faults))
        .route_layer(axum::middleware::from_fn(crate::cross_site::require_json))
}

/// Moves a pending order on, saves it, and starts its notification when it was paid.
///
/// # Errors
/// No such order, or it is no longer pending.
pub fn settle(shared: &Arc<Shared>, eft_trade_no: &str, to: OrderState) -> Result<Order, Refusal> {
    let now = shared.now();
    let order = lock(&shared.ledger).settle(eft_trade_no, to, now)?.clone();
    shared.persist(&order).map_err(|e| Refusal::new(crate::codes::INVALID_FIELD, e.to_string()))?;
    if to == OrderState::Paid {
        notifier::notify_payment(shared, order.eft_trade_no.clone());
    }
    Ok(order)
}

async fn orders(State(shared): State<Arc<Shared>>) -> Json<Vec<Order>> {
    shared.expire_due();
    Json(lock(&shared.ledger).orders().cloned().collect())
}

async fn order(State(shared): State<Arc<Shared>>, Path(eft_trade_no): Path<String>) -> Response {
    shared.expire_due();
    match lock(&shared.ledger).get(&eft_trade_no) {
        Some(order) => Json(order.clone()).into_response(),
        None => (StatusCode::NOT_FOUND, format!("no order {eft_trade_no}")).into_response(),
    }
}

async fn act(State(shared): State<Arc<Shared>>, Path((eft_trade_no, action)): Path<(String, String)>) -> Response {
    let to = match action.as_str() {
        "pay" => OrderState::Paid,
        "fail" => OrderState::Failed,
        "cancel" => OrderState::Cancelled,
        "expire" => OrderState::Expired,
        other => {
            return (StatusCode::NOT_FOUND, format!("unknown action {other}; use pay, fail, cancel or expire"))
                .into_response();
        }
    };
    match settle(&shared, &eft_trade_no, to) {
        Ok(order) => Json(order).into_response(),
        Err(refusal) => (StatusCode::CONFLICT, refusal.text).into_response(),
    }
}

async fn deliveries(State(shared): State<Arc<Shared>>) -> Json<Vec<notifier::Delivery>> {
    Json(lock(&shared.deliveries).clone())
}

async fn faults(State(shared): State<Arc<Shared>>) -> Json<Faults> {
    Json(lock(&shared.faults).clone())
}

async fn set_faults(State(shared): State<Arc<Shared>>, Json(faults): Json<Faults>) -> Json<Faults> {
    *lock(&shared.faults) = faults.clone();
    Json(faults)
}
