//! The control API, for tests and people driving the sandbox by hand: pay (choosing the wallet
//! where the payer chooses), fail or expire an order; read orders and the notification log (its
//! latest entries); switch faults on. Over HTTP under `/control` (POSTs as JSON, so a page on
//! another site cannot send them), and as methods of [`Sandbox`](crate::Sandbox).

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use eftpay::rules::Meaning;
use serde::{Deserialize, Serialize};

use crate::codes::Refusal;
use crate::faults::Faults;
use crate::state::{Choice, Order, OrderState, Refund};
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

/// Moves a pending order on, saves it, and starts its notification when it was paid. Paying an
/// order whose payer chooses the wallet records `wallet` (or the first its service offers) and
/// the wallet's payType.
///
/// # Errors
/// No such order; it is no longer pending; a wallet its service does not offer.
pub fn settle(
    shared: &Arc<Shared>,
    eft_trade_no: &str,
    to: OrderState,
    wallet: Option<&str>,
) -> Result<Order, Refusal> {
    // An order past its active time is expired (and saved so) before it is refused: every
    // change records the expiries due first.
    let choice = match to {
        OrderState::Paid => choice(shared, eft_trade_no, wallet)?,
        _ => None,
    };
    let order = shared.change(|books, now| books.settle(eft_trade_no, to, choice, now))?;
    if to == OrderState::Paid {
        notifier::notify_payment(shared, order.eft_trade_no.clone());
    }
    Ok(order)
}

/// The wallet a payment is made with, when the order leaves the choice to the payer (or the
/// caller names one, which must then be the order's).
fn choice(shared: &Shared, eft_trade_no: &str, wallet: Option<&str>) -> Result<Option<Choice>, Refusal> {
    let catalog = shared.catalog;
    let order = shared.read(|books| books.get(eft_trade_no).cloned());
    let Some(order) = order else { return Ok(None) };
    let offered = catalog.service(&order.service).map_or(&[][..], |row| row.wallets);
    let wallet = match (wallet, &order.wallet) {
        (Some(wallet), Some(_)) => wallet,
        (None, Some(_)) => return Ok(None),
        (Some(wallet), None) if offered.contains(&wallet) => wallet,
        (Some(wallet), None) => {
            return Err(Refusal::new(
                Meaning::InvalidField,
                format!("{} does not offer wallet {wallet}; choose one of {}", order.service, offered.join(", ")),
            ));
        }
        (None, None) => match offered.first() {
            Some(first) => first,
            None => return Ok(None),
        },
    };
    let pay_type = catalog.pay_type_of_wallet(wallet).ok_or_else(|| {
        Refusal::new(Meaning::InvalidField, format!("wallet {wallet} belongs to no payType of the spec"))
    })?;
    Ok(Some(Choice { wallet: wallet.to_owned(), pay_type: pay_type.to_owned() }))
}

/// How many orders `GET /control/orders` lists when not told, and at most.
pub const ORDERS_LISTED: usize = 100;
/// The most `GET /control/orders?limit=N` lists: a listing is bounded like every request.
pub const ORDERS_LISTED_MAX: usize = 1000;

/// `?limit=N` on the order list.
#[derive(Deserialize)]
struct Listing {
    limit: Option<usize>,
}

/// The newest orders, newest first, up to the limit asked (at most [`ORDERS_LISTED_MAX`]).
async fn orders(State(shared): State<Arc<Shared>>, Query(listing): Query<Listing>) -> Json<Vec<Order>> {
    let limit = listing.limit.unwrap_or(ORDERS_LISTED).min(ORDERS_LISTED_MAX);
    Json(shared.read(|books| books.newest(limit).cloned().collect()))
}

/// One order, with its refunds (the JSON of [`Order`] and a `refunds` list).
#[derive(Serialize)]
struct WithRefunds<'a> {
    #[serde(flatten)]
    order: &'a Order,
    refunds: Vec<&'a Refund>,
}

async fn order(State(shared): State<Arc<Shared>>, Path(eft_trade_no): Path<String>) -> Response {
    shared.read(|books| match books.get(&eft_trade_no) {
        Some(order) => Json(WithRefunds { order, refunds: books.refunds_of(&eft_trade_no) }).into_response(),
        None => (StatusCode::NOT_FOUND, format!("no order {eft_trade_no}")).into_response(),
    })
}

/// `?wallet=…` on `pay`: the wallet the payer chooses.
#[derive(Deserialize)]
struct Paying {
    wallet: Option<String>,
}

async fn act(
    State(shared): State<Arc<Shared>>,
    Path((eft_trade_no, action)): Path<(String, String)>,
    Query(paying): Query<Paying>,
) -> Response {
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
    match settle(&shared, &eft_trade_no, to, paying.wallet.as_deref()) {
        Ok(order) => Json(order).into_response(),
        Err(refusal) => (StatusCode::CONFLICT, refusal.text).into_response(),
    }
}

async fn deliveries(State(shared): State<Arc<Shared>>) -> Json<Vec<notifier::Delivery>> {
    Json(shared.deliveries())
}

async fn faults(State(shared): State<Arc<Shared>>) -> Json<Faults> {
    Json(lock(&shared.faults).clone())
}

async fn set_faults(State(shared): State<Arc<Shared>>, Json(faults): Json<Faults>) -> Json<Faults> {
    *lock(&shared.faults) = faults.clone();
    Json(faults)
}
