//! The sandbox's books: orders and refunds and every state change the gateway allows. Pure
//! logic over plain data — no I/O, no clock of its own, no scene: an order is its facts (the
//! service row that serves it, its payType and wallet if known, its amounts and numbers),
//! whatever the scene calls the fields. What the spec says about an order — the interface that
//! placed it, the notification and return it goes out as — is looked up in the catalog, never
//! copied into the books, so saved books cannot disagree with the spec they are served under.
//! Each rule is unit-tested here; the HTTP layer only translates.

use std::collections::BTreeMap;

use eftpay::catalog::{Catalog, InterfaceInfo, ServiceInfo};
use eftpay::rules::{Meaning, Notifications};
use eftpay::{Amount, HkTime};
use serde::{Deserialize, Serialize};

use crate::codes::Refusal;

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

/// One refund of an order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refund {
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
    /// Refunds in the order made.
    pub refunds: Vec<Refund>,
    /// Whether the payment notification was acknowledged.
    pub notified: bool,
}

impl Order {
    /// The sum of finished and applied refunds.
    pub fn refunded(&self) -> Amount {
        self.refunds.iter().fold(Amount::ZERO, |sum, r| sum.checked_add(r.amount).unwrap_or(sum))
    }

    /// What a query of the order answers as its status; `None` for the no-state test order.
    pub fn trade_status(&self) -> Option<Meaning> {
        Some(match self.state {
            OrderState::Pending => Meaning::Processing,
            OrderState::Paid if self.refunds.is_empty() => Meaning::Paid,
            OrderState::Paid if self.refunded() >= self.amount => Meaning::Closed,
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
            RefundState::Done if self.refunded() >= self.amount => Meaning::Closed,
            RefundState::Done => Meaning::PartlyRefunded,
        }
    }

    /// Where it stands at `now`: a pending order whose active time has passed is expired,
    /// whether or not the books have recorded that yet (only [`Ledger::expire_due`] records it,
    /// so that whoever records it also saves it).
    pub(crate) fn state_at(&self, now: HkTime) -> OrderState {
        match self.expires {
            Some(expires) if self.state == OrderState::Pending && expires <= now.unix_seconds() => OrderState::Expired,
            _ => self.state,
        }
    }

    /// One of its refunds by the merchant's refund number.
    pub fn refund(&self, refund_no: &str) -> Option<&Refund> {
        self.refunds.iter().find(|r| r.refund_no == refund_no)
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

/// All orders, by eftPay order number.
#[derive(Debug, Default)]
pub struct Ledger {
    orders: BTreeMap<String, Order>,
    next: u64,
}

impl Ledger {
    /// Books holding `orders` (loaded from a data file).
    pub fn with_orders(orders: Vec<Order>) -> Self {
        let next = orders.len() as u64;
        Ledger { orders: orders.into_iter().map(|o| (o.eft_trade_no.clone(), o)).collect(), next }
    }

    /// Every order.
    pub fn orders(&self) -> impl Iterator<Item = &Order> {
        self.orders.values()
    }

    /// One order by eftPay's number.
    pub fn get(&self, eft_trade_no: &str) -> Option<&Order> {
        self.orders.get(eft_trade_no)
    }

    /// One order by either number: eftPay's first, as eftPay looks them up; when both are given
    /// they must name the same order.
    pub fn find(&self, eft_trade_no: Option<&str>, out_trade_no: Option<&str>) -> Option<&Order> {
        match (eft_trade_no, out_trade_no) {
            (Some(eft), out) => self.orders.get(eft).filter(|o| out.is_none_or(|out| o.out_trade_no == out)),
            (None, Some(out)) => self.orders.values().find(|o| o.out_trade_no == out),
            (None, None) => None,
        }
    }

    /// Closes pending orders whose active time has passed; the orders changed, for the caller to
    /// save.
    pub fn expire_due(&mut self, now: HkTime) -> Vec<String> {
        let mut changed = Vec::new();
        for order in self.orders.values_mut() {
            let state = order.state_at(now);
            if state != order.state {
                order.state = state;
                changed.push(order.eft_trade_no.clone());
            }
        }
        changed
    }

    /// Books a new order, or returns the existing one when the same request comes again; the
    /// flag is true for a new order.
    ///
    /// # Errors
    /// The order number was already used by a different request.
    pub fn place(&mut self, new: NewOrder, now: HkTime) -> Result<(&Order, bool), Refusal> {
        let existing =
            self.orders.values().find(|o| o.out_trade_no == new.out_trade_no).map(|o| o.eft_trade_no.clone());
        if let Some(eft) = existing {
            return match self.orders.get(&eft) {
                Some(order) if order.fingerprint == new.fingerprint => Ok((order, false)),
                _ => Err(Refusal::new(
                    Meaning::Duplicate,
                    format!(
                        "order number {} was already used for a different order; use a new order number",
                        new.out_trade_no
                    ),
                )),
            };
        }
        self.next += 1;
        let eft_trade_no = format!("SBX{}{:06}", now.to_compact(), self.next % 1_000_000);
        let created = now.unix_seconds();
        let order = Order {
            eft_trade_no: eft_trade_no.clone(),
            out_trade_no: new.out_trade_no,
            service: new.service,
            pay_type: new.pay_type,
            wallet: new.wallet,
            amount: new.amount,
            currency: new.currency,
            subject: new.subject,
            terminal: new.terminal,
            buyer_type: new.buyer_type,
            notify_url: new.notify_url,
            return_url: new.return_url,
            fingerprint: new.fingerprint,
            created,
            expires: new.active_time.map(|seconds| created + i64::from(seconds)),
            state: OrderState::Pending,
            paid_at: None,
            transaction_id: None,
            refunds: Vec::new(),
            notified: false,
        };
        Ok((self.orders.entry(eft_trade_no).or_insert(order), true))
    }

    /// Moves a pending order to `to` (pay, fail, cancel, expire, no state). Paying records the
    /// wallet the payer chose, for an order that had none. An order past its active time is
    /// refused as expired and left for [`expire_due`](Self::expire_due) to record.
    ///
    /// # Errors
    /// No such order; it is no longer pending; a choice of wallet for an order that has another.
    pub fn settle(
        &mut self,
        eft_trade_no: &str,
        to: OrderState,
        choice: Option<Choice>,
        now: HkTime,
    ) -> Result<&Order, Refusal> {
        let order = self.orders.get_mut(eft_trade_no).ok_or_else(|| not_found(eft_trade_no))?;
        let state = order.state_at(now);
        if state != OrderState::Pending {
            return Err(Refusal::new(
                Meaning::InvalidField,
                format!("order {eft_trade_no} is {state:?}, no longer waiting for payment"),
            ));
        }
        if let (Some(choice), Some(wallet)) = (&choice, &order.wallet)
            && choice.wallet != *wallet
        {
            return Err(Refusal::new(
                Meaning::InvalidField,
                format!("order {eft_trade_no} is paid with {wallet}, not {}", choice.wallet),
            ));
        }
        order.state = to;
        if to == OrderState::Paid {
            if let Some(choice) = choice.filter(|_| order.wallet.is_none()) {
                order.wallet = Some(choice.wallet);
                order.pay_type = Some(choice.pay_type);
            }
            order.paid_at = Some(now.unix_seconds());
            order.transaction_id = Some(format!("SBXTX{}", order.eft_trade_no.trim_start_matches("SBX")));
        }
        Ok(order)
    }

    /// Closes an unpaid order, so it can no longer be paid. An order past its active time is
    /// refused as expired and left for [`expire_due`](Self::expire_due) to record.
    ///
    /// # Errors
    /// No such order, or it is paid or already finished.
    pub fn close(&mut self, eft_trade_no: &str, now: HkTime) -> Result<&Order, Refusal> {
        let order = self.orders.get_mut(eft_trade_no).ok_or_else(|| not_found(eft_trade_no))?;
        let state = order.state_at(now);
        if state != OrderState::Pending {
            let next = if state == OrderState::Paid { "; refund it instead" } else { "" };
            return Err(Refusal::new(
                Meaning::CannotClose,
                format!("order {} is {state:?}, not open: only unpaid orders can be closed{next}", order.out_trade_no),
            ));
        }
        order.state = OrderState::Closed;
        Ok(order)
    }

    /// Records that a notification for the order (or one of its refunds) was acknowledged.
    pub fn mark_notified(&mut self, eft_trade_no: &str, refund_no: Option<&str>) {
        if let Some(order) = self.orders.get_mut(eft_trade_no) {
            match refund_no {
                None => order.notified = true,
                Some(no) => order.refunds.iter_mut().filter(|r| r.refund_no == no).for_each(|r| r.notified = true),
            }
        }
    }

    /// Refunds part or all of a paid order; the same refund asked again (same number, amount
    /// and interface) returns it unchanged. `refundable` says whether orders like this one can
    /// be refunded at all; `serving_row` which row (spec name) serves the refund, if one does.
    ///
    /// # Errors
    /// No such order; not refundable or not paid; payType, wallet or total that do not match
    /// the order; a reused refund number; more than what is left to refund.
    pub fn refund(
        &mut self,
        ask: RefundAsk,
        refundable: impl Fn(&Order) -> bool,
        serving_row: impl Fn(&Order) -> Option<String>,
        now: HkTime,
    ) -> Result<(&Order, usize), Refusal> {
        let eft = self
            .find(ask.eft_trade_no.as_deref(), ask.out_trade_no.as_deref())
            .map(|o| o.eft_trade_no.clone())
            .ok_or_else(|| {
            not_found(ask.eft_trade_no.as_deref().or(ask.out_trade_no.as_deref()).unwrap_or_default())
        })?;
        let order = self.orders.get_mut(&eft).ok_or_else(|| not_found(&eft))?;
        if let Some(index) = order.refunds.iter().position(|r| r.refund_no == ask.refund_no) {
            let same = order.refunds.get(index).is_some_and(|r| r.amount == ask.amount && r.interface == ask.interface);
            return if same {
                Ok((order, index))
            } else {
                Err(Refusal::new(
                    Meaning::Duplicate,
                    format!("refund number {} was already used for a different refund; use a new one", ask.refund_no),
                ))
            };
        }
        if !refundable(order) {
            return Err(Refusal::new(
                Meaning::NotRefundable,
                format!(
                    "orders paid with {} through {} cannot be refunded: the spec has no refund service for them",
                    order.pay_type.as_deref().unwrap_or("(no payType)"),
                    order.service
                ),
            ));
        }
        if order.state != OrderState::Paid {
            return Err(Refusal::new(
                Meaning::NotRefundable,
                format!("order {} is {:?}; only paid orders can be refunded", order.out_trade_no, order.state),
            ));
        }
        for (asked, held, what) in [(&ask.pay_type, &order.pay_type, "payType"), (&ask.wallet, &order.wallet, "wallet")]
        {
            if let Some(asked) = asked.as_ref().filter(|asked| Some(*asked) != held.as_ref()) {
                return Err(Refusal::new(
                    Meaning::InvalidField,
                    format!(
                        "{what} {asked} differs from the order's {}; send the sale's",
                        held.as_deref().unwrap_or("(none)")
                    ),
                ));
            }
        }
        if let Some(total) = ask.total.filter(|total| *total != order.amount) {
            return Err(Refusal::new(
                Meaning::InvalidField,
                format!("order total {total} is not the order's total {}", order.amount),
            ));
        }
        let left = order.amount.checked_sub(order.refunded()).unwrap_or(Amount::ZERO);
        if ask.amount > left {
            return Err(Refusal::new(
                Meaning::RefundTooLarge,
                format!("refund {} is more than the {} left to refund of {}", ask.amount, left, order.amount),
            ));
        }
        let service = serving_row(order);
        let refund_trade_no =
            format!("SBXRF{}{:02}", order.eft_trade_no.trim_start_matches("SBX"), order.refunds.len() + 1);
        order.refunds.push(Refund {
            refund_no: ask.refund_no,
            amount: ask.amount,
            state: if ask.apply { RefundState::Applied } else { RefundState::Done },
            interface: ask.interface,
            service,
            notify_url: ask.notify_url,
            refund_trade_no,
            created: now.unix_seconds(),
            notified: false,
        });
        let index = order.refunds.len() - 1;
        Ok((order, index))
    }

    /// Finishes an applied refund.
    pub fn finish_refund(&mut self, eft_trade_no: &str, refund_no: &str) -> Option<&Order> {
        let order = self.orders.get_mut(eft_trade_no)?;
        let refund = order.refunds.iter_mut().find(|r| r.refund_no == refund_no && r.state == RefundState::Applied)?;
        refund.state = RefundState::Done;
        Some(order)
    }
}

fn not_found(what: &str) -> Refusal {
    Refusal::new(Meaning::NotFound, format!("no order {what}; check the order numbers"))
}

#[cfg(test)]
mod tests {
    use eftpay::CATALOG;
    use eftpay::rules::Purpose;

    use super::*;

    // The books are scene-neutral: payTypes and wallets are opaque labels here.
    fn now() -> HkTime {
        HkTime::parse_compact("20261126120000").unwrap()
    }

    fn new_order(out: &str, cents: u64) -> NewOrder {
        NewOrder {
            out_trade_no: out.into(),
            service: "some.service".into(),
            pay_type: Some("PT".into()),
            wallet: Some("W1".into()),
            amount: Amount::from_cents(cents),
            active_time: Some(1800),
            fingerprint: format!("{out}/{cents}"),
            ..NewOrder::default()
        }
    }

    fn paid(ledger: &mut Ledger, cents: u64) -> String {
        let eft = ledger.place(new_order("rrn_1", cents), now()).unwrap().0.eft_trade_no.clone();
        ledger.settle(&eft, OrderState::Paid, None, now()).unwrap();
        eft
    }

    fn ask(cents: u64, no: &str) -> RefundAsk {
        RefundAsk {
            out_trade_no: Some("rrn_1".into()),
            pay_type: Some("PT".into()),
            wallet: Some("W1".into()),
            amount: Amount::from_cents(cents),
            total: Some(Amount::from_cents(100)),
            refund_no: no.into(),
            interface: "some_refund".into(),
            ..RefundAsk::default()
        }
    }

    fn refund(ledger: &mut Ledger, ask: RefundAsk) -> Result<(Order, usize), Refusal> {
        ledger.refund(ask, |_| true, |_| Some("some.refund.service".into()), now()).map(|(o, i)| (o.clone(), i))
    }

    #[test]
    fn the_same_request_again_returns_the_same_order() {
        let mut ledger = Ledger::default();
        let first = ledger.place(new_order("rrn_1", 53), now()).unwrap().0.eft_trade_no.clone();
        let (again, fresh) = ledger.place(new_order("rrn_1", 53), now()).unwrap();
        assert_eq!(first, again.eft_trade_no);
        assert!(!fresh);
        assert!(first.len() <= 28, "eft_trade_no is String(28)");
    }

    #[test]
    fn a_reused_out_trade_no_with_other_content_is_refused() {
        let mut ledger = Ledger::default();
        ledger.place(new_order("rrn_1", 53), now()).unwrap();
        let refusal = ledger.place(new_order("rrn_1", 54), now()).unwrap_err();
        assert_eq!(refusal.meaning, Meaning::Duplicate);
    }

    #[test]
    fn pending_orders_expire_after_active_time() {
        let mut ledger = Ledger::default();
        let mut short = new_order("rrn_1", 53);
        short.active_time = Some(60);
        let eft = ledger.place(short, now()).unwrap().0.eft_trade_no.clone();
        assert!(ledger.expire_due(now().plus_seconds(59).unwrap()).is_empty());
        assert_eq!(ledger.expire_due(now().plus_seconds(60).unwrap()), vec![eft.clone()]);
        assert_eq!(ledger.get(&eft).unwrap().trade_status(), Some(Meaning::Closed));
        assert!(ledger.settle(&eft, OrderState::Paid, None, now()).is_err(), "an expired order cannot be paid");
    }

    #[test]
    fn refusing_an_overdue_order_leaves_recording_its_expiry_to_expire_due() {
        let mut ledger = Ledger::default();
        let mut short = new_order("rrn_1", 53);
        short.active_time = Some(60);
        let eft = ledger.place(short, now()).unwrap().0.eft_trade_no.clone();
        let late = now().plus_seconds(60).unwrap();
        assert!(ledger.settle(&eft, OrderState::Paid, None, late).unwrap_err().text.contains("Expired"));
        assert_eq!(ledger.close(&eft, late).unwrap_err().meaning, Meaning::CannotClose);
        // So the expiry is reported as a change, and its caller saves it.
        assert_eq!(ledger.expire_due(late), vec![eft.clone()]);
        assert_eq!(ledger.get(&eft).unwrap().state, OrderState::Expired);
    }

    #[test]
    fn an_order_without_active_time_never_expires() {
        let mut ledger = Ledger::default();
        let mut open = new_order("rrn_1", 53);
        open.active_time = None;
        ledger.place(open, now()).unwrap();
        assert!(ledger.expire_due(now().plus_seconds(10 * 365 * 86_400).unwrap()).is_empty());
    }

    #[test]
    fn paying_an_order_without_a_wallet_records_the_payers_choice() {
        let mut ledger = Ledger::default();
        let mut cashier = new_order("rrn_1", 100);
        cashier.pay_type = None;
        cashier.wallet = None;
        let eft = ledger.place(cashier, now()).unwrap().0.eft_trade_no.clone();
        let choice = Choice { wallet: "W2".into(), pay_type: "PT2".into() };
        let order = ledger.settle(&eft, OrderState::Paid, Some(choice), now()).unwrap();
        assert_eq!((order.wallet.as_deref(), order.pay_type.as_deref()), (Some("W2"), Some("PT2")));
    }

    #[test]
    fn a_choice_of_another_wallet_than_the_orders_is_refused() {
        let mut ledger = Ledger::default();
        let eft = ledger.place(new_order("rrn_1", 100), now()).unwrap().0.eft_trade_no.clone();
        let choice = Choice { wallet: "W2".into(), pay_type: "PT".into() };
        assert_eq!(
            ledger.settle(&eft, OrderState::Paid, Some(choice), now()).unwrap_err().meaning,
            Meaning::InvalidField
        );
        assert_eq!(ledger.get(&eft).unwrap().state, OrderState::Pending);
    }

    #[test]
    fn only_unpaid_orders_close() {
        let mut ledger = Ledger::default();
        let eft = ledger.place(new_order("rrn_1", 100), now()).unwrap().0.eft_trade_no.clone();
        assert_eq!(ledger.close(&eft, now()).unwrap().trade_status(), Some(Meaning::Closed));
        assert_eq!(ledger.close(&eft, now()).unwrap_err().meaning, Meaning::CannotClose, "already closed");
        assert!(ledger.settle(&eft, OrderState::Paid, None, now()).is_err(), "a closed order cannot be paid");
        let mut ledger = Ledger::default();
        let eft = paid(&mut ledger, 100);
        assert_eq!(ledger.close(&eft, now()).unwrap_err().meaning, Meaning::CannotClose, "paid");
    }

    #[test]
    fn partial_then_full_refund_moves_the_status() {
        let mut ledger = Ledger::default();
        let eft = paid(&mut ledger, 100);
        refund(&mut ledger, ask(30, "rf_1")).unwrap();
        assert_eq!(ledger.get(&eft).unwrap().trade_status(), Some(Meaning::PartlyRefunded));
        refund(&mut ledger, ask(70, "rf_2")).unwrap();
        assert_eq!(ledger.get(&eft).unwrap().trade_status(), Some(Meaning::Closed));
    }

    #[test]
    fn a_refund_is_never_above_what_was_paid() {
        let mut ledger = Ledger::default();
        paid(&mut ledger, 100);
        refund(&mut ledger, ask(60, "rf_1")).unwrap();
        assert_eq!(refund(&mut ledger, ask(41, "rf_2")).unwrap_err().meaning, Meaning::RefundTooLarge);
    }

    #[test]
    fn the_same_refund_again_is_not_refunded_twice() {
        let mut ledger = Ledger::default();
        let eft = paid(&mut ledger, 100);
        refund(&mut ledger, ask(60, "rf_1")).unwrap();
        refund(&mut ledger, ask(60, "rf_1")).unwrap();
        assert_eq!(ledger.get(&eft).unwrap().refunded(), Amount::from_cents(60));
        assert_eq!(refund(&mut ledger, ask(10, "rf_1")).unwrap_err().meaning, Meaning::Duplicate);
    }

    #[test]
    fn unpaid_orders_are_not_refundable() {
        let mut ledger = Ledger::default();
        ledger.place(new_order("rrn_1", 100), now()).unwrap();
        assert_eq!(refund(&mut ledger, ask(10, "rf_1")).unwrap_err().meaning, Meaning::NotRefundable);
    }

    #[test]
    fn orders_without_a_refund_service_are_not_refundable() {
        let mut ledger = Ledger::default();
        paid(&mut ledger, 100);
        let refusal = ledger.refund(ask(10, "rf_1"), |_| false, |_| None, now()).unwrap_err();
        assert_eq!(refusal.meaning, Meaning::NotRefundable);
    }

    #[test]
    fn applied_refunds_finish_later() {
        let mut ledger = Ledger::default();
        let eft = paid(&mut ledger, 100);
        let mut apply = ask(100, "rf_1");
        apply.apply = true;
        let (order, index) = refund(&mut ledger, apply).unwrap();
        assert_eq!(order.refund_status(&order.refunds[index]), Meaning::ApplyAccepted);
        let order = ledger.finish_refund(&eft, "rf_1").unwrap();
        assert_eq!(order.refund_status(&order.refunds[0]), Meaning::Closed);
    }

    #[test]
    fn a_refund_number_asked_again_through_another_interface_is_another_refund() {
        let mut ledger = Ledger::default();
        paid(&mut ledger, 100);
        refund(&mut ledger, ask(10, "rf_1")).unwrap();
        let apply = RefundAsk { apply: true, interface: "some_apply_refund".into(), ..ask(10, "rf_1") };
        assert_eq!(refund(&mut ledger, apply).unwrap_err().meaning, Meaning::Duplicate);
    }

    fn catalog_refund(interface: &str, service: Option<&str>, notify_url: Option<&str>) -> Refund {
        Refund {
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
        let mut ledger = Ledger::default();
        let mut checked = 0;
        for (index, row) in CATALOG.services.iter().enumerate() {
            let Some(place) = CATALOG.interface(row.interface).filter(|i| i.purpose == Purpose::PlaceOrder) else {
                continue;
            };
            let new = NewOrder { service: row.name.into(), ..new_order(&format!("rrn_{index}"), 100) };
            let order = ledger.place(new, now()).unwrap().0;
            assert_eq!(order.placed_through(&CATALOG).map(|i| i.name), Some(place.name), "{}", row.name);
            assert_eq!(order.payment_notification(&CATALOG).map(|i| i.name), place.notification, "{}", row.name);
            assert_eq!(order.sync_return(&CATALOG).map(|i| i.name), place.sync_return, "{}", row.name);
            checked += 1;
        }
        assert!(checked > 0);
        let unknown = ledger.place(new_order("rrn_unknown", 100), now()).unwrap().0;
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

    #[test]
    fn refunds_must_name_the_sales_wallet_and_total_when_they_carry_them() {
        let mut ledger = Ledger::default();
        paid(&mut ledger, 100);
        let mut wrong_wallet = ask(10, "rf_1");
        wrong_wallet.wallet = Some("W2".into());
        assert_eq!(refund(&mut ledger, wrong_wallet).unwrap_err().meaning, Meaning::InvalidField);
        let mut wrong_total = ask(10, "rf_2");
        wrong_total.total = Some(Amount::from_cents(99));
        assert_eq!(refund(&mut ledger, wrong_total).unwrap_err().meaning, Meaning::InvalidField);
        let bare = RefundAsk { pay_type: None, wallet: None, total: None, ..ask(10, "rf_3") };
        assert!(refund(&mut ledger, bare).is_ok(), "a refund that names neither is taken");
    }

    #[test]
    fn both_numbers_must_name_the_same_order() {
        let mut ledger = Ledger::default();
        let eft = paid(&mut ledger, 100);
        assert!(ledger.find(Some(&eft), Some("rrn_1")).is_some());
        assert!(ledger.find(Some(&eft), Some("rrn_other")).is_none());
        assert!(ledger.find(None, Some("rrn_1")).is_some());
    }
}
