//! The control API, for tests and people driving the sandbox by hand: pay (choosing the wallet
//! where the payer chooses), fail, cancel or expire an order; deliver its notification again;
//! read orders and the notification log (its latest entries, or those after one seen); switch
//! faults on. Over HTTP under `/control` (POSTs as JSON, so a page on another site cannot send
//! them), where an order is named by either number; as methods of [`Sandbox`](crate::Sandbox);
//! and from another process through [`Remote`](crate::remote::Remote) (`eftpay trigger`,
//! `resend`, `deliveries`).

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
use crate::notifier::{self, shown_url};
use crate::state::{Choice, Order, OrderState, Refund};
use crate::{Shared, lock};

/// What `POST /control/orders/{order}/{action}` does to an order: the actions a payer takes on
/// the pay page, expiry, and delivering its notification again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Action {
    /// Pay it (notifications follow).
    Pay,
    /// Fail it.
    Fail,
    /// Cancel it, as the payer would.
    Cancel,
    /// Expire it now, as if its active time had passed.
    Expire,
    /// Deliver its payment notification (or a refund's) again.
    Resend,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 5] = [Action::Pay, Action::Fail, Action::Cancel, Action::Expire, Action::Resend];

    /// Its word in the control API's path.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Pay => "pay",
            Action::Fail => "fail",
            Action::Cancel => "cancel",
            Action::Expire => "expire",
            Action::Resend => "resend",
        }
    }

    /// The action a word names.
    pub fn from_word(word: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|action| action.as_str() == word)
    }

    /// The state it moves a pending order to; `None` for [`Action::Resend`].
    fn settles_to(self) -> Option<OrderState> {
        match self {
            Action::Pay => Some(OrderState::Paid),
            Action::Fail => Some(OrderState::Failed),
            Action::Cancel => Some(OrderState::Cancelled),
            Action::Expire => Some(OrderState::Expired),
            Action::Resend => None,
        }
    }
}

/// What `resend` started delivering.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resent {
    /// The notification interface (spec name).
    pub interface: String,
    /// The order.
    pub eft_trade_no: String,
    /// The refund, for a refund notification.
    pub refund_no: Option<String>,
}

/// `/control/…` routes.
pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/control/orders", get(orders))
        .route("/control/orders/{order}", get(order))
        .route("/control/orders/{order}/{action}", post(act))
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
    Json(shared.read(|books| books.newest(limit).map(shown).collect()))
}

/// One order, with its refunds (the JSON of [`Order`] and a `refunds` list).
#[derive(Serialize)]
struct WithRefunds {
    #[serde(flatten)]
    order: Order,
    refunds: Vec<Refund>,
}

/// The eftPay number of the order `number` names, whichever number it is.
fn order_named(shared: &Shared, number: &str) -> Option<String> {
    shared.read(|books| books.named(number).map(|o| o.eft_trade_no.clone()))
}

fn no_such_order(number: &str) -> Response {
    (StatusCode::NOT_FOUND, format!("no order {number}: name it by eftPay's number or the merchant's")).into_response()
}

async fn order(State(shared): State<Arc<Shared>>, Path(number): Path<String>) -> Response {
    shared.read(|books| match books.named(&number) {
        Some(order) => {
            let refunds = books.refunds_of(&order.eft_trade_no).into_iter().map(shown_refund).collect();
            Json(WithRefunds { order: shown(order), refunds }).into_response()
        }
        None => no_such_order(&number),
    })
}

/// `?wallet=…` on `pay`: the wallet the payer chooses; `?refund_no=…` on `resend`: the refund
/// whose notification to deliver.
#[derive(Deserialize)]
struct Details {
    wallet: Option<String>,
    refund_no: Option<String>,
}

async fn act(
    State(shared): State<Arc<Shared>>,
    Path((number, action)): Path<(String, String)>,
    Query(details): Query<Details>,
) -> Response {
    let Some(action) = Action::from_word(&action) else {
        let words: Vec<&str> = Action::ALL.iter().map(|a| a.as_str()).collect();
        return (StatusCode::NOT_FOUND, format!("unknown action {action}; use {}", words.join(", "))).into_response();
    };
    let Some(eft_trade_no) = order_named(&shared, &number) else { return no_such_order(&number) };
    match action.settles_to() {
        Some(to) => match settle(&shared, &eft_trade_no, to, details.wallet.as_deref()) {
            Ok(order) => Json(shown(&order)).into_response(),
            Err(refusal) => (StatusCode::CONFLICT, refusal.text).into_response(),
        },
        None => match notifier::resend(&shared, &eft_trade_no, details.refund_no.as_deref()) {
            Ok(interface) => {
                Json(Resent { interface: interface.to_owned(), eft_trade_no, refund_no: details.refund_no })
                    .into_response()
            }
            Err(reason) => (StatusCode::CONFLICT, reason).into_response(),
        },
    }
}

/// An order as the control API shows it: its addresses without user name or password, which a
/// merchant may have put in a notify or return URL (`https://shop:pw@…`) and which are not the
/// business of whoever reads the sandbox's orders — in the address fields and in the request's
/// fingerprint, which quotes them. The books keep them whole, to deliver to.
fn shown(order: &Order) -> Order {
    let mut order = order.clone();
    let mut replaced = Vec::new();
    for url in [&mut order.notify_url, &mut order.return_url] {
        if let Some(text) = url.as_mut() {
            let redacted = shown_url(text);
            if redacted != *text {
                replaced.push((std::mem::replace(text, redacted.clone()), redacted));
            }
        }
    }
    for (whole, redacted) in replaced {
        order.fingerprint = order.fingerprint.replace(&whole, &redacted);
    }
    order
}

/// A refund as the control API shows it: its notify address without user name or password.
fn shown_refund(refund: &Refund) -> Refund {
    Refund { notify_url: refund.notify_url.as_deref().map(shown_url), ..refund.clone() }
}

/// `?after=ID` on the delivery log: only what came after delivery ID.
#[derive(Deserialize)]
struct After {
    after: Option<u64>,
}

async fn deliveries(State(shared): State<Arc<Shared>>, Query(after): Query<After>) -> Json<Vec<notifier::Delivery>> {
    Json(shared.deliveries(after.after.unwrap_or(0)))
}

async fn faults(State(shared): State<Arc<Shared>>) -> Json<Faults> {
    Json(lock(&shared.faults).clone())
}

async fn set_faults(State(shared): State<Arc<Shared>>, Json(faults): Json<Faults>) -> Json<Faults> {
    *lock(&shared.faults) = faults.clone();
    Json(faults)
}
