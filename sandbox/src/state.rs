//! What an order and a refund are, and how their state reads: plain data — no I/O, no clock of
//! its own, no scene. An order is its facts (the service row that serves it, its payType and
//! wallet if known, its amounts and numbers), whatever the scene calls the fields. What the spec
//! says about an order — the interface that placed it, the notification and return it goes out
//! as — is looked up in the catalog, never copied into the books, so saved books cannot disagree
//! with the spec they are served under. The books that hold them, and the rules that change
//! them, are [`books`](crate::books).

use eftpay::catalog::{Catalog, InterfaceInfo, ServiceInfo};
use eftpay::rules::{Meaning, Notifications};
use eftpay::{Amount, HkTime};
use serde::{Deserialize, Serialize};

/// Where an order stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderState {
    /// Waiting for the payer.
    Pending,
    /// Paid.
    Paid,
    /// The payment failed.
    Failed,
    /// The payer cancelled.
    Cancelled,
    /// Not paid within its active time.
    Expired,
    /// Closed unpaid by the merchant.
    Closed,
    /// The test order that exists but has no state.
    NoState,
}

/// Where a refund stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RefundState {
    /// Accepted by an apply-refund; finishes later.
    Applied,
    /// Done.
    Done,
}

/// One refund of an order. Refunds are kept apart from their order (an order refunded ten
/// thousand times is still one small order), each under its own numbers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refund {
    /// The order refunded (the sandbox's order number).
    #[serde(default)]
    pub eft_trade_no: String,
    /// Its place in the sandbox's refund sequence, which its refund number is made from; never
    /// used twice, across restarts and crashes alike.
    #[serde(default)]
    pub seq: u64,
    /// The merchant's refund number.
    pub refund_no: String,
    /// How much.
    pub amount: Amount,
    /// Its state.
    pub state: RefundState,
    /// The refund or apply-refund interface (spec name) it was asked through. Kept because
    /// nothing else tells it: an order may be refunded through more than one, and the refund
    /// may be served by no row of it.
    pub interface: String,
    /// The service row (spec name) that served it, when one did.
    pub service: Option<String>,
    /// Where its notification goes, if anywhere.
    pub notify_url: Option<String>,
    /// The sandbox's refund number.
    pub refund_trade_no: String,
    /// When it was made (Unix seconds).
    pub created: i64,
    /// Whether the refund notification was acknowledged.
    pub notified: bool,
}

/// One order, with everything the gateway needs to answer for it later, in any scene.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    /// Its place in the sandbox's order sequence, which its order number is made from; never
    /// used twice, across restarts and crashes alike.
    #[serde(default)]
    pub seq: u64,
    /// The sandbox's order number.
    pub eft_trade_no: String,
    /// The merchant's order number.
    pub out_trade_no: String,
    /// The service row (spec name) that serves it; the place-order interface that made it is
    /// the row's.
    pub service: String,
    /// Its payType; `None` while the payer has not chosen one (a cashier order).
    pub pay_type: Option<String>,
    /// Its wallet; `None` while the payer has not chosen one (a cashier order).
    pub wallet: Option<String>,
    /// Order total.
    pub amount: Amount,
    /// Currency, when the order has one (sent, or the interface's default).
    pub currency: Option<String>,
    /// What the payer sees.
    pub subject: Option<String>,
    /// The merchant's terminal number, echoed back.
    pub terminal: Option<String>,
    /// The payer's device type, echoed back.
    pub buyer_type: Option<String>,
    /// Where notifications go.
    pub notify_url: Option<String>,
    /// Where the payer's browser goes after paying.
    pub return_url: Option<String>,
    /// The signed fields of the request that made it (without time and signature), to tell a
    /// retried request from a conflicting one.
    pub fingerprint: String,
    /// Created (Unix seconds).
    pub created: i64,
    /// Expires (Unix seconds); `None` when the order has no active time.
    pub expires: Option<i64>,
    /// State.
    pub state: OrderState,
    /// Paid (Unix seconds).
    pub paid_at: Option<i64>,
    /// The "wallet's" transaction number, made up at payment.
    pub transaction_id: Option<String>,
    /// The sum of its refunds, finished and applied.
    #[serde(default)]
    pub refunded: Amount,
    /// How many refunds it has.
    #[serde(default)]
    pub refund_count: u32,
    /// Whether the payment notification was acknowledged.
    pub notified: bool,
    /// The values of the place-order request that its notifications send back, by wire name:
    /// the request's fields of the names the spec marks `echo` in a notification of its scene
    /// (docs/protocol.md §13). Kept in the row's JSON, so rows written before have none and
    /// load as they were.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub echoed: std::collections::BTreeMap<String, String>,
}

impl Order {
    /// What a query of the order answers as its status; `None` for the no-state test order.
    pub fn trade_status(&self) -> Option<Meaning> {
        Some(match self.state {
            OrderState::Pending => Meaning::Processing,
            OrderState::Paid if self.refund_count == 0 => Meaning::Paid,
            OrderState::Paid if self.refunded >= self.amount => Meaning::Closed,
            OrderState::Paid => Meaning::PartlyRefunded,
            OrderState::Failed => Meaning::Failed,
            OrderState::Cancelled | OrderState::Expired | OrderState::Closed => Meaning::Closed,
            OrderState::NoState => return None,
        })
    }

    /// The status of one of its refunds.
    pub fn refund_status(&self, refund: &Refund) -> Meaning {
        match refund.state {
            RefundState::Applied => Meaning::ApplyAccepted,
            RefundState::Done if self.refunded >= self.amount => Meaning::Closed,
            RefundState::Done => Meaning::PartlyRefunded,
        }
    }

    /// Where it stands at `now`: a pending order whose active time has passed is expired,
    /// whether or not the books have recorded that yet (only
    /// [`Books::expire_due`](crate::books::Books::expire_due) records it, so that the expiry is
    /// committed like any other change).
    pub(crate) fn state_at(&self, now: HkTime) -> OrderState {
        match self.expires {
            Some(expires) if self.state == OrderState::Pending && expires <= now.unix_seconds() => OrderState::Expired,
            _ => self.state,
        }
    }
}

// What the spec says about an order or a refund, looked up in the catalog each time: the books
// keep what the requests said (the order's row, the refund's interface and row) and the rest
// follows from those. A copy kept in the books could disagree with the spec served.
impl Order {
    /// The service row that serves it.
    pub(crate) fn row(&self, catalog: &Catalog) -> Option<&'static ServiceInfo> {
        catalog.service(&self.service)
    }

    /// The place-order interface that made it: its row's (service names are unique in a spec).
    pub(crate) fn placed_through(&self, catalog: &Catalog) -> Option<&'static InterfaceInfo> {
        catalog.interface(self.row(catalog)?.interface)
    }

    /// The notification its payment goes out as: its place-order interface's.
    pub(crate) fn payment_notification(&self, catalog: &Catalog) -> Option<&'static InterfaceInfo> {
        catalog.interface(self.placed_through(catalog)?.notification?)
    }

    /// The synchronous return the payer's browser brings back: its place-order interface's.
    pub(crate) fn sync_return(&self, catalog: &Catalog) -> Option<&'static InterfaceInfo> {
        catalog.interface(self.placed_through(catalog)?.sync_return?)
    }
}

impl Refund {
    /// The refund or apply-refund interface it was asked through.
    pub(crate) fn asked_through(&self, catalog: &Catalog) -> Option<&'static InterfaceInfo> {
        catalog.interface(&self.interface)
    }

    /// The service row that served it, when one did.
    pub(crate) fn row(&self, catalog: &Catalog) -> Option<&'static ServiceInfo> {
        catalog.service(self.service.as_deref()?)
    }

    /// The notification it goes out as: its interface's, when the request gave a notify
    /// address and the row that served it notifies at all.
    pub(crate) fn notification(&self, catalog: &Catalog) -> Option<&'static InterfaceInfo> {
        self.notify_url.as_ref()?;
        self.row(catalog).filter(|row| row.notifications != Notifications::Never)?;
        catalog.interface(self.asked_through(catalog)?.notification?)
    }
}

/// What a place-order request books, read from it by concept.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewOrder {
    /// The merchant's order number.
    pub out_trade_no: String,
    /// The service row (spec name).
    pub service: String,
    /// payType, when the request names one.
    pub pay_type: Option<String>,
    /// Wallet, when the request names one.
    pub wallet: Option<String>,
    /// Order total.
    pub amount: Amount,
    /// Currency (sent or defaulted).
    pub currency: Option<String>,
    /// What the payer sees.
    pub subject: Option<String>,
    /// Terminal number.
    pub terminal: Option<String>,
    /// Device type.
    pub buyer_type: Option<String>,
    /// Where notifications go.
    pub notify_url: Option<String>,
    /// Where the payer's browser returns.
    pub return_url: Option<String>,
    /// How long it may be paid, in seconds; `None`: no limit.
    pub active_time: Option<u32>,
    /// What identifies the request's content (see [`Order::fingerprint`]).
    pub fingerprint: String,
    /// What its notifications send back (see [`Order::echoed`]).
    pub echoed: std::collections::BTreeMap<String, String>,
}

/// The wallet a payer chose on the pay page, with its payType.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    /// The wallet.
    pub wallet: String,
    /// Its payType.
    pub pay_type: String,
}

/// What a refund request asks for, read from it by concept.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RefundAsk {
    /// The order by the merchant's number, when given.
    pub out_trade_no: Option<String>,
    /// The order by eftPay's number, when given (looked up first; both must agree).
    pub eft_trade_no: Option<String>,
    /// payType, when the request carries one (must be the order's).
    pub pay_type: Option<String>,
    /// Wallet, when the request carries one (must be the order's).
    pub wallet: Option<String>,
    /// The refund.
    pub amount: Amount,
    /// The order total the merchant believes, when the request carries it.
    pub total: Option<Amount>,
    /// The merchant's refund number.
    pub refund_no: String,
    /// Apply-refund (finishes later) rather than refund.
    pub apply: bool,
    /// The interface it came through (spec name).
    pub interface: String,
    /// Where the refund notification goes, when the request gave one.
    pub notify_url: Option<String>,
}

#[cfg(test)]
impl Order {
    /// A pending order of `service` for 1.00, for tests to adjust.
    pub(crate) fn example(service: &str) -> Order {
        Order {
            seq: 1,
            eft_trade_no: "SBX1".into(),
            out_trade_no: "rrn_1".into(),
            service: service.into(),
            pay_type: None,
            wallet: None,
            amount: Amount::from_cents(100),
            currency: None,
            subject: None,
            terminal: None,
            buyer_type: None,
            notify_url: None,
            return_url: None,
            fingerprint: String::new(),
            echoed: Default::default(),
            created: 0,
            expires: None,
            state: OrderState::Pending,
            paid_at: None,
            transaction_id: None,
            refunded: Amount::ZERO,
            refund_count: 0,
            notified: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use eftpay::CATALOG;
    use eftpay::rules::Purpose;

    use super::*;

    fn catalog_refund(interface: &str, service: Option<&str>, notify_url: Option<&str>) -> Refund {
        Refund {
            eft_trade_no: "SBX1".into(),
            seq: 1,
            refund_no: "rf_1".into(),
            amount: Amount::from_cents(10),
            state: RefundState::Done,
            interface: interface.into(),
            service: service.map(str::to_owned),
            notify_url: notify_url.map(str::to_owned),
            refund_trade_no: "SBXRF1".into(),
            created: 0,
            notified: false,
        }
    }

    #[test]
    fn an_orders_interfaces_follow_from_its_service_row() {
        let mut checked = 0;
        for row in CATALOG.services {
            let Some(place) = CATALOG.interface(row.interface).filter(|i| i.purpose == Purpose::PlaceOrder) else {
                continue;
            };
            let order = Order::example(row.name);
            assert_eq!(order.placed_through(&CATALOG).map(|i| i.name), Some(place.name), "{}", row.name);
            assert_eq!(order.payment_notification(&CATALOG).map(|i| i.name), place.notification, "{}", row.name);
            assert_eq!(order.sync_return(&CATALOG).map(|i| i.name), place.sync_return, "{}", row.name);
            checked += 1;
        }
        assert!(checked > 0);
        let unknown = Order::example("some.service");
        assert_eq!(unknown.placed_through(&CATALOG).map(|i| i.name), None, "a row the spec does not have");
    }

    #[test]
    fn only_a_refund_with_a_notify_url_through_a_row_that_notifies_is_notified() {
        let refunds = || {
            CATALOG.interfaces.iter().copied().filter(|i| matches!(i.purpose, Purpose::Refund | Purpose::ApplyRefund))
        };
        let (interface, row) = refunds()
            .filter(|i| i.notification.is_some())
            .find_map(|i| CATALOG.services_of(i.name).find(|r| r.notifications != Notifications::Never).map(|r| (i, r)))
            .expect("the spec has a refund row that notifies");
        let url = Some("http://127.0.0.1:9/notify");
        let notification = |refund: Refund| refund.notification(&CATALOG).map(|i| i.name);
        assert_eq!(notification(catalog_refund(interface.name, Some(row.name), url)), interface.notification);
        assert_eq!(notification(catalog_refund(interface.name, Some(row.name), None)), None, "no address");
        assert_eq!(notification(catalog_refund(interface.name, None, url)), None, "served by no row");
        let (interface, never) = refunds()
            .find_map(|i| CATALOG.services_of(i.name).find(|r| r.notifications == Notifications::Never).map(|r| (i, r)))
            .expect("the spec has a refund row that never notifies");
        assert_eq!(notification(catalog_refund(interface.name, Some(never.name), url)), None, "{}", never.name);
    }
}
