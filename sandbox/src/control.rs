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
use serde::Deserialize;

use crate::codes::Refusal;
use crate::faults::Faults;
use crate::state::{Choice, Order, OrderState};
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
    // An order past its active time is expired (and saved so) before it is refused.
    shared.expire_due();
    let now = shared.now();
    let choice = match to {
        OrderState::Paid => choice(shared, eft_trade_no, wallet)?,
        _ => None,
    };
    let order = lock(&shared.ledger).settle(eft_trade_no, to, choice, now)?.clone();
    shared.persist(&order).map_err(|e| Refusal::new(Meaning::ServerError, e.to_string()))?;
    if to == OrderState::Paid {
        notifier::notify_payment(shared, order.eft_trade_no.clone());
    }
    Ok(order)
}

/// The wallet a payment is made with, when the order leaves the choice to the payer (or the
/// caller names one, which must then be the order's).
fn choice(shared: &Shared, eft_trade_no: &str, wallet: Option<&str>) -> Result<Option<Choice>, Refusal> {
    let catalog = shared.catalog;
    let order = lock(&shared.ledger).get(eft_trade_no).cloned();
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

async fn orders(State(shared): State<Arc<Shared>>) -> Json<Vec<Order>> {
    shared.expire_due();
    Json(lock(&shared.ledger).orders().map(shown).collect())
}

async fn order(State(shared): State<Arc<Shared>>, Path(eft_trade_no): Path<String>) -> Response {
    shared.expire_due();
    match lock(&shared.ledger).get(&eft_trade_no) {
        Some(order) => Json(shown(order)).into_response(),
        None => (StatusCode::NOT_FOUND, format!("no order {eft_trade_no}")).into_response(),
    }
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
        Ok(order) => Json(shown(&order)).into_response(),
        Err(refusal) => (StatusCode::CONFLICT, refusal.text).into_response(),
    }
}

/// An order as the control API shows it: its addresses without user name or password, which a
/// merchant may have put in a notify or return URL (`https://shop:pw@…`) and which are not the
/// business of whoever reads the sandbox's orders — in the address fields and in the request's
/// fingerprint, which quotes them. The books keep them whole, to deliver to.
fn shown(order: &Order) -> Order {
    let mut order = order.clone();
    let mut replaced = Vec::new();
    let urls = [&mut order.notify_url, &mut order.return_url]
        .into_iter()
        .chain(order.refunds.iter_mut().map(|refund| &mut refund.notify_url));
    for url in urls {
        if let Some(text) = url.as_mut()
            && let Some(redacted) = without_userinfo(text)
        {
            replaced.push((std::mem::replace(text, redacted.clone()), redacted));
        }
    }
    for (whole, redacted) in replaced {
        order.fingerprint = order.fingerprint.replace(&whole, &redacted);
    }
    order
}

/// The URL with its userinfo replaced by `<redacted>`; `None` when it has none.
fn without_userinfo(text: &str) -> Option<String> {
    let Ok(mut parsed) = reqwest::Url::parse(text) else {
        // Not a URL the books would have taken; show nothing of it rather than guess its parts.
        return Some("<redacted>".to_owned());
    };
    if parsed.username().is_empty() && parsed.password().is_none() {
        return None;
    }
    let _ = parsed.set_username("");
    let _ = parsed.set_password(None);
    Some(match parsed.as_str().split_once("://") {
        Some((scheme, rest)) => format!("{scheme}://<redacted>@{rest}"),
        None => "<redacted>".to_owned(),
    })
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
