//! The sandbox's books: every order and refund, indexed for each lookup a request makes, and
//! the rules for every state change the gateway allows.
//!
//! # Plan, commit, apply
//! A rule never changes the books. It reads them and returns a [`Change`] — the rows it would
//! write — with what the caller answers. The caller commits the change to the data file (one
//! SQLite transaction, [`Store::commit`](crate::store::Store::commit)) and only then applies it
//! here ([`Books::apply`]), so memory never says what the file does not: a write that fails
//! changes nothing, and the request is refused with the system-error answer. A group commit
//! (`writer.rs`) applies each change of its group as it is planned, so the next request of the
//! group sees it, but with [`Books::apply_undoable`] and under the lock until the commit: a
//! failed commit is taken back ([`Books::undo`]) before anyone reads the books.
//!
//! # Concurrency
//! One writer at a time: the books and the data file sit behind one mutex
//! ([`Shared::change`](crate::Shared::change)), and every change is planned, committed and
//! applied while it is held. SQLite takes one writer at a time anyway, and each change is a
//! handful of indexed reads and writes (microseconds; the file is in WAL mode, synchronous
//! NORMAL: no `fsync` per commit), so one lock costs less than the coordination of shards
//! would; the work of a request that does not touch the books — reading the body, checking the
//! signature, validating, composing and signing the reply — runs outside it, in parallel. With a
//! data file, the gateway's requests go to one writer thread that commits the changes queued
//! while it was busy in one transaction (group commit, `writer.rs`): each planned against the
//! books as the ones before it in the group left them, all taken back if the commit fails.
//!
//! # Cost
//! No request does work proportional to the orders or refunds kept (docs/RELIABILITY.md): an
//! order is found by either number through an index, a refund by its order and refund
//! number, and expiry takes only the orders that are due from a deadline-ordered set. The
//! indexes are B-trees ([`Books`]), so no insert moves every order kept. Listing
//! orders (the control API) walks the newest first and stops at its limit.

use std::collections::{BTreeMap, BTreeSet};

use eftpay::rules::Meaning;
use eftpay::{Amount, HkTime};

use crate::codes::Refusal;
use crate::state::{Choice, NewOrder, Order, OrderState, Refund, RefundAsk, RefundState};

/// How many numbers [`Books::place`] tries past one already taken before it gives up. A number
/// is taken only when a data file written by an earlier version used it (its numbers had
/// another shape), so a handful always suffices.
const NUMBER_ATTEMPTS: u64 = 64;

/// The order number `"SBX"`, `compact` (the time, 14 digits) and `seq` (at least six digits):
/// `format!("SBX{compact}{seq:06}")` written without the formatting machinery, which was a
/// measurable part of placing an order (BENCHMARKS.md, "Sandbox gateway").
fn order_number(compact: &str, seq: u64) -> String {
    let mut digits = [0u8; 20];
    let mut rest = seq;
    let mut start = digits.len();
    while start > 0 && (rest > 0 || digits.len() - start < 6) {
        start -= 1;
        if let Some(digit) = digits.get_mut(start) {
            *digit = b'0' + u8::try_from(rest % 10).unwrap_or_default();
        }
        rest /= 10;
    }
    let digits = std::str::from_utf8(digits.get(start..).unwrap_or_default()).unwrap_or_default();
    let mut number = String::with_capacity(3 + compact.len() + digits.len());
    number.push_str("SBX");
    number.push_str(compact);
    number.push_str(digits);
    number
}

/// Rows a rule would write: committed to the data file first, then applied to the books.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Change {
    /// Orders written: new (`true`: inserted, never replacing a row) or changed.
    pub orders: Vec<(Order, bool)>,
    /// Refunds written: new (`true`) or changed.
    pub refunds: Vec<(Refund, bool)>,
}

impl Change {
    /// Whether it writes nothing.
    pub fn is_empty(&self) -> bool {
        self.orders.is_empty() && self.refunds.is_empty()
    }

    fn order(order: Order, new: bool) -> Change {
        Change { orders: vec![(order, new)], refunds: Vec::new() }
    }
}

/// What changes applied with [`Books::apply_undoable`] replaced: enough to take them back.
#[derive(Debug, Default)]
pub struct Undo {
    /// Each order written, with the version it replaced (`None`: it was new).
    orders: Vec<(String, Option<Order>)>,
    /// Each refund written (order, refund number), with the version it replaced.
    refunds: Vec<(String, String, Option<Refund>)>,
    /// The sequences as they were when the undo started.
    last_order: u64,
    last_refund: u64,
}

impl Undo {
    /// An undo starting from `books` as they stand.
    pub fn of(books: &Books) -> Undo {
        Undo { last_order: books.last_order, last_refund: books.last_refund, ..Undo::default() }
    }
}

/// Every order and refund, with the indexes the requests look them up by.
///
/// Every index is a B-tree, O(log n) a lookup or an insert, which never moves its entries all at
/// once. A hash map, full, moves every entry into a table twice its size within the one insert
/// that fills it — at 917,504 orders 283–317 ms under the books' lock, a request doing work
/// proportional to the orders kept (docs/RELIABILITY.md); a map that spreads the move over the
/// inserts after it still made the windows of orders holding each doubling the costliest
/// (BENCHMARKS.md, "Sandbox gateway", round 15). The B-tree's slowest insert into a million
/// order numbers is 1.5–2.9 ms (`cargo bench -p eftpay-sandbox --bench index_growth`), its cost
/// per order flat from the first order to the millionth, and it hashes nothing, so keys chosen
/// by a merchant cannot make it collide.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Books {
    /// By eftPay order number. Boxed: a B-tree moves entries within a node as it inserts, and a
    /// pointer is cheaper to move than the whole order.
    orders: BTreeMap<String, Box<Order>>,
    /// The merchant's order number → eftPay's (each is unique).
    by_out_trade_no: BTreeMap<String, String>,
    /// Order sequence → eftPay order number, for listing the newest first.
    by_seq: BTreeMap<u64, String>,
    /// Pending orders with an active time, by when they expire.
    deadlines: BTreeSet<(i64, String)>,
    /// Refunds by eftPay order number, then by the merchant's refund number.
    refunds: BTreeMap<String, BTreeMap<String, Refund>>,
    /// The last order and refund sequence numbers used (persisted: the highest in the file).
    last_order: u64,
    last_refund: u64,
}

impl Books {
    /// Books holding what a data file holds: each order put straight into the books and
    /// their indexes, not first gathered into a [`Change`] — a restart on a million orders
    /// loaded in a median 3.8 s instead of 4.3 s (BENCHMARKS.md, "Sandbox gateway"). Equal to
    /// applying the same rows as one change (tested).
    pub fn with(orders: Vec<Order>, refunds: Vec<Refund>) -> Books {
        let mut books = Books::default();
        for order in orders {
            books.insert_order(order);
        }
        books.apply(Change { orders: Vec::new(), refunds: refunds.into_iter().map(|r| (r, true)).collect() });
        books
    }

    /// Every order, in no particular order.
    pub fn orders(&self) -> impl Iterator<Item = &Order> {
        self.orders.values().map(|order| &**order)
    }

    /// The newest `limit` orders, newest first.
    pub fn newest(&self, limit: usize) -> impl Iterator<Item = &Order> {
        self.by_seq.values().rev().filter_map(|eft| self.get(eft)).take(limit)
    }

    /// One order by eftPay's number.
    pub fn get(&self, eft_trade_no: &str) -> Option<&Order> {
        self.orders.get(eft_trade_no).map(|order| &**order)
    }

    /// One order by either number: eftPay's first, as eftPay looks them up; when both are given
    /// they must name the same order.
    pub fn find(&self, eft_trade_no: Option<&str>, out_trade_no: Option<&str>) -> Option<&Order> {
        match (eft_trade_no, out_trade_no) {
            (Some(eft), out) => self.get(eft).filter(|o| out.is_none_or(|out| o.out_trade_no == out)),
            (None, Some(out)) => self.by_out_trade_no.get(out).and_then(|eft| self.get(eft)),
            (None, None) => None,
        }
    }

    /// The order `number` names, whichever number it is: eftPay's first, as eftPay looks them
    /// up, then the merchant's.
    pub fn named(&self, number: &str) -> Option<&Order> {
        self.find(Some(number), None).or_else(|| self.find(None, Some(number)))
    }

    /// One refund of an order, by the merchant's refund number.
    pub fn find_refund(&self, eft_trade_no: &str, refund_no: &str) -> Option<&Refund> {
        self.refunds.get(eft_trade_no)?.get(refund_no)
    }

    /// Every refund of an order, in the order made.
    pub fn refunds_of(&self, eft_trade_no: &str) -> Vec<&Refund> {
        let mut refunds: Vec<&Refund> = self.refunds.get(eft_trade_no).into_iter().flat_map(BTreeMap::values).collect();
        refunds.sort_unstable_by_key(|r| r.seq);
        refunds
    }

    /// Every refund, in no particular order.
    pub fn all_refunds(&self) -> impl Iterator<Item = &Refund> {
        self.refunds.values().flat_map(BTreeMap::values)
    }

    /// Takes a committed change into the books (and their indexes).
    pub fn apply(&mut self, change: Change) {
        self.apply_keeping(change, None);
    }

    /// Takes a change into the books and records in `undo` what it replaced, so that
    /// [`undo`](Self::undo) can take it back: a group commit plans each request against the
    /// changes of those before it in the same transaction, and takes them all back if the
    /// transaction fails (`crate::writer`).
    pub fn apply_undoable(&mut self, change: Change, undo: &mut Undo) {
        self.apply_keeping(change, Some(undo));
    }

    fn apply_keeping(&mut self, change: Change, mut undo: Option<&mut Undo>) {
        for (order, _) in change.orders {
            // The key is copied for an undo only: loading a million orders makes no copy more.
            let eft = undo.is_some().then(|| order.eft_trade_no.clone());
            let replaced = self.insert_order(order);
            if let (Some(undo), Some(eft)) = (undo.as_deref_mut(), eft) {
                undo.orders.push((eft, replaced));
            }
        }
        for (refund, _) in change.refunds {
            self.last_refund = self.last_refund.max(refund.seq);
            let key = undo.is_some().then(|| (refund.eft_trade_no.clone(), refund.refund_no.clone()));
            let refunds = self.refunds.entry(refund.eft_trade_no.clone()).or_default();
            let replaced = refunds.insert(refund.refund_no.clone(), refund);
            if let (Some(undo), Some((eft, refund_no))) = (undo.as_deref_mut(), key) {
                undo.refunds.push((eft, refund_no, replaced));
            }
        }
    }

    /// Puts `order` in the books and its indexes; returns the version it replaced.
    fn insert_order(&mut self, order: Order) -> Option<Order> {
        self.last_order = self.last_order.max(order.seq);
        let eft = order.eft_trade_no.clone();
        if let Some(old) = self.orders.get(&eft)
            && let Some(expires) = old.expires
        {
            self.deadlines.remove(&(expires, eft.clone()));
        }
        if let (OrderState::Pending, Some(expires)) = (order.state, order.expires) {
            self.deadlines.insert((expires, eft.clone()));
        }
        self.by_out_trade_no.insert(order.out_trade_no.clone(), eft.clone());
        self.by_seq.insert(order.seq, eft.clone());
        self.orders.insert(eft, Box::new(order)).map(|old| *old)
    }

    /// Takes the order `eft_trade_no` out of the books and every index.
    fn remove_order(&mut self, eft_trade_no: &str) {
        let Some(order) = self.orders.remove(eft_trade_no) else { return };
        if let Some(expires) = order.expires {
            self.deadlines.remove(&(expires, order.eft_trade_no.clone()));
        }
        if self.by_out_trade_no.get(&order.out_trade_no).is_some_and(|eft| eft == eft_trade_no) {
            self.by_out_trade_no.remove(&order.out_trade_no);
        }
        if self.by_seq.get(&order.seq).is_some_and(|eft| eft == eft_trade_no) {
            self.by_seq.remove(&order.seq);
        }
    }

    /// Takes back every change applied with `undo` since it was [started](Undo::of), newest
    /// first: the books are again what they were.
    pub fn undo(&mut self, undo: Undo) {
        for (eft, refund_no, replaced) in undo.refunds.into_iter().rev() {
            let Some(refunds) = self.refunds.get_mut(&eft) else { continue };
            match replaced {
                Some(refund) => {
                    refunds.insert(refund_no, refund);
                }
                None => {
                    refunds.remove(&refund_no);
                    if refunds.is_empty() {
                        self.refunds.remove(&eft);
                    }
                }
            }
        }
        for (eft, replaced) in undo.orders.into_iter().rev() {
            self.remove_order(&eft);
            if let Some(order) = replaced {
                self.insert_order(order);
            }
        }
        (self.last_order, self.last_refund) = (undo.last_order, undo.last_refund);
    }

    /// Expires the pending orders whose active time has passed at `now`: only those, taken
    /// from the deadline-ordered set.
    pub fn expire_due(&self, now: HkTime) -> Change {
        let now = now.unix_seconds();
        let due = self.deadlines.iter().take_while(|(expires, _)| *expires <= now);
        let orders = due
            .filter_map(|(_, eft)| self.get(eft))
            .filter(|order| order.state == OrderState::Pending)
            .map(|order| (Order { state: OrderState::Expired, ..order.clone() }, false))
            .collect();
        Change { orders, refunds: Vec::new() }
    }

    /// Books a new order, or returns the existing one when the same request comes again (with
    /// nothing to write); the flag is true for a new order.
    ///
    /// # Errors
    /// The order number was already used by a different request; no free order number (a data
    /// file whose numbers this sandbox cannot follow).
    pub fn place(&self, new: NewOrder, now: HkTime) -> Result<(Change, Order, bool), Refusal> {
        if let Some(order) = self.find(None, Some(&new.out_trade_no)) {
            return if order.fingerprint == new.fingerprint {
                Ok((Change::default(), order.clone(), false))
            } else {
                Err(Refusal::new(
                    Meaning::Duplicate,
                    format!(
                        "order number {} was already used for a different order; use a new order number",
                        new.out_trade_no
                    ),
                ))
            };
        }
        // eftPay's numbers are String(28): "SBX", the time (14 digits) and the sequence (six
        // digits or more, so 11 more digits fit). The sequence alone makes a number unique.
        let compact = now.to_compact();
        let (seq, eft_trade_no) = (1..=NUMBER_ATTEMPTS)
            .filter_map(|n| self.last_order.checked_add(n))
            .map(|seq| (seq, order_number(&compact, seq)))
            .find(|(_, eft)| !self.orders.contains_key(eft))
            .ok_or_else(|| Refusal::new(Meaning::ServerError, "no free order number; start with another data file"))?;
        let created = now.unix_seconds();
        let order = Order {
            seq,
            eft_trade_no,
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
            echoed: new.echoed,
            created,
            expires: new.active_time.map(|seconds| created + i64::from(seconds)),
            state: OrderState::Pending,
            paid_at: None,
            transaction_id: None,
            refunded: Amount::ZERO,
            refund_count: 0,
            notified: false,
        };
        Ok((Change::order(order.clone(), true), order, true))
    }

    /// Moves a pending order to `to` (pay, fail, cancel, expire, no state). Paying records the
    /// wallet the payer chose, for an order that had none. An order past its active time is
    /// refused as expired and left for [`expire_due`](Self::expire_due) to record.
    ///
    /// # Errors
    /// No such order; it is no longer pending; a choice of wallet for an order that has another.
    pub fn settle(
        &self,
        eft_trade_no: &str,
        to: OrderState,
        choice: Option<Choice>,
        now: HkTime,
    ) -> Result<(Change, Order), Refusal> {
        let mut order = self.get(eft_trade_no).ok_or_else(|| not_found(eft_trade_no))?.clone();
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
        Ok((Change::order(order.clone(), false), order))
    }

    /// Closes an unpaid order, so it can no longer be paid. An order past its active time is
    /// refused as expired and left for [`expire_due`](Self::expire_due) to record.
    ///
    /// # Errors
    /// No such order, or it is paid or already finished.
    pub fn close(&self, eft_trade_no: &str, now: HkTime) -> Result<(Change, Order), Refusal> {
        let mut order = self.get(eft_trade_no).ok_or_else(|| not_found(eft_trade_no))?.clone();
        let state = order.state_at(now);
        if state != OrderState::Pending {
            let next = if state == OrderState::Paid { "; refund it instead" } else { "" };
            return Err(Refusal::new(
                Meaning::CannotClose,
                format!("order {} is {state:?}, not open: only unpaid orders can be closed{next}", order.out_trade_no),
            ));
        }
        order.state = OrderState::Closed;
        Ok((Change::order(order.clone(), false), order))
    }

    /// Records that a notification for the order (or one of its refunds) was acknowledged;
    /// nothing to write when there is no such order or refund, or it was recorded already.
    pub fn mark_notified(&self, eft_trade_no: &str, refund_no: Option<&str>) -> Change {
        match refund_no {
            None => self
                .get(eft_trade_no)
                .filter(|o| !o.notified)
                .map(|o| Change::order(Order { notified: true, ..o.clone() }, false)),
            Some(no) => self
                .find_refund(eft_trade_no, no)
                .filter(|r| !r.notified)
                .map(|r| Change { orders: Vec::new(), refunds: vec![(Refund { notified: true, ..r.clone() }, false)] }),
        }
        .unwrap_or_default()
    }

    /// Refunds part or all of a paid order; the same refund asked again (same number, amount
    /// and interface) returns it unchanged, with nothing to write. `refundable` says whether
    /// orders like this one can be refunded at all; `serving_row` which row (spec name) serves
    /// the refund, if one does. Returns the order as it will stand, and the refund.
    ///
    /// # Errors
    /// No such order; not refundable or not paid; payType, wallet or total that do not match
    /// the order; a reused refund number; more than what is left to refund.
    pub fn refund(
        &self,
        ask: RefundAsk,
        refundable: impl Fn(&Order) -> bool,
        serving_row: impl Fn(&Order) -> Option<String>,
        now: HkTime,
    ) -> Result<(Change, Order, Refund), Refusal> {
        let order = self.find(ask.eft_trade_no.as_deref(), ask.out_trade_no.as_deref()).ok_or_else(|| {
            not_found(ask.eft_trade_no.as_deref().or(ask.out_trade_no.as_deref()).unwrap_or_default())
        })?;
        if let Some(refund) = self.find_refund(&order.eft_trade_no, &ask.refund_no) {
            return if refund.amount == ask.amount && refund.interface == ask.interface {
                Ok((Change::default(), order.clone(), refund.clone()))
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
        let left = order.amount.checked_sub(order.refunded).unwrap_or(Amount::ZERO);
        if ask.amount > left {
            return Err(Refusal::new(
                Meaning::RefundTooLarge,
                format!("refund {} is more than the {} left to refund of {}", ask.amount, left, order.amount),
            ));
        }
        let seq = self
            .last_refund
            .checked_add(1)
            .ok_or_else(|| Refusal::new(Meaning::ServerError, "no free refund number; start with another data file"))?;
        let refund = Refund {
            eft_trade_no: order.eft_trade_no.clone(),
            seq,
            refund_no: ask.refund_no,
            amount: ask.amount,
            state: if ask.apply { RefundState::Applied } else { RefundState::Done },
            interface: ask.interface,
            service: serving_row(order),
            notify_url: ask.notify_url,
            // String(28) like the order's: "SBXRF", the time (14 digits), the sequence.
            refund_trade_no: format!("SBXRF{}{seq:06}", now.to_compact()),
            created: now.unix_seconds(),
            notified: false,
        };
        let order = Order {
            refunded: order.refunded.checked_add(ask.amount).unwrap_or(order.amount),
            refund_count: order.refund_count.saturating_add(1),
            ..order.clone()
        };
        let change = Change { orders: vec![(order.clone(), false)], refunds: vec![(refund.clone(), true)] };
        Ok((change, order, refund))
    }

    /// Finishes an applied refund; `None` when there is no such refund waiting.
    pub fn finish_refund(&self, eft_trade_no: &str, refund_no: &str) -> Option<(Change, Order, Refund)> {
        let order = self.get(eft_trade_no)?;
        let refund = self.find_refund(eft_trade_no, refund_no).filter(|r| r.state == RefundState::Applied)?;
        let refund = Refund { state: RefundState::Done, ..refund.clone() };
        let change = Change { orders: Vec::new(), refunds: vec![(refund.clone(), false)] };
        Some((change, order.clone(), refund))
    }
}

fn not_found(what: &str) -> Refusal {
    Refusal::new(Meaning::NotFound, format!("no order {what}; check the order numbers"))
}

#[cfg(test)]
mod tests {
    use super::*;

    // The books are scene-neutral: services, payTypes and wallets are opaque labels here.
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

    /// Takes a planned change into the books, as a commit would.
    fn committed<T>(books: &mut Books, planned: Result<(Change, T), Refusal>) -> Result<T, Refusal> {
        let (change, planned) = planned?;
        books.apply(change);
        Ok(planned)
    }

    #[test]
    fn an_order_number_is_the_time_and_the_sequence_in_six_digits_or_more() {
        for seq in [0, 1, 42, 999_999, 1_000_000, 123_456_789, u64::MAX] {
            assert_eq!(order_number("20240101120000", seq), format!("SBX20240101120000{seq:06}"));
        }
    }

    fn place(books: &mut Books, new: NewOrder) -> String {
        let planned = books.place(new, now()).map(|(change, order, _)| (change, order.eft_trade_no));
        committed(books, planned).unwrap()
    }

    fn settle(books: &mut Books, eft: &str, to: OrderState, choice: Option<Choice>) -> Result<Order, Refusal> {
        let planned = books.settle(eft, to, choice, now());
        committed(books, planned)
    }

    fn close(books: &mut Books, eft: &str, at: HkTime) -> Result<Order, Refusal> {
        let planned = books.close(eft, at);
        committed(books, planned)
    }

    fn paid(books: &mut Books, cents: u64) -> String {
        let eft = place(books, new_order("rrn_1", cents));
        settle(books, &eft, OrderState::Paid, None).unwrap();
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

    fn refund(books: &mut Books, ask: RefundAsk) -> Result<(Order, Refund), Refusal> {
        let planned = books
            .refund(ask, |_| true, |_| Some("some.refund.service".into()), now())
            .map(|(change, order, refund)| (change, (order, refund)));
        committed(books, planned)
    }

    fn expire(books: &mut Books, at: HkTime) -> Vec<String> {
        let change = books.expire_due(at);
        let expired = change.orders.iter().map(|(o, _)| o.eft_trade_no.clone()).collect();
        books.apply(change);
        expired
    }

    #[test]
    fn a_rule_changes_nothing_until_its_change_is_applied() {
        let mut books = Books::default();
        let (change, order, fresh) = books.place(new_order("rrn_1", 53), now()).unwrap();
        assert!(fresh && books.get(&order.eft_trade_no).is_none() && books.find(None, Some("rrn_1")).is_none());
        books.apply(change);
        let (change, settled) = books.settle(&order.eft_trade_no, OrderState::Paid, None, now()).unwrap();
        assert_eq!(settled.state, OrderState::Paid);
        assert_eq!(books.get(&order.eft_trade_no).unwrap().state, OrderState::Pending, "planned, not applied");
        books.apply(change);
        assert_eq!(books.get(&order.eft_trade_no).unwrap().state, OrderState::Paid);
    }

    #[test]
    fn books_built_from_a_file_equal_the_rows_applied_one_by_one() {
        // Orders in every state, with and without an active time, out of sequence order, and
        // one order twice (a damaged file): the later row wins either way.
        let mut books = Books::default();
        let mut orders = Vec::new();
        for n in 0..12u64 {
            let eft = place(&mut books, new_order(&format!("rrn_{n}"), 53 + n));
            let mut order = books.get(&eft).unwrap().clone();
            order.expires = (n % 3 != 0).then_some(1_000 + i64::try_from(n % 4).unwrap());
            order.state = if n % 2 == 0 { OrderState::Pending } else { OrderState::Paid };
            orders.push(order);
        }
        orders.reverse();
        let mut again = orders[3].clone();
        again.state = OrderState::Paid;
        orders.push(again);
        let mut twice_pending = orders[5].clone();
        twice_pending.expires = Some(5_000);
        twice_pending.state = OrderState::Pending;
        orders.push(twice_pending);
        let one_by_one = {
            let mut books = Books::default();
            books.apply(Change { orders: orders.iter().cloned().map(|o| (o, true)).collect(), refunds: Vec::new() });
            books
        };
        let built = Books::with(orders, Vec::new());
        assert_eq!(built, one_by_one);
        assert!(!built.deadlines.is_empty() && built.deadlines.len() < 12, "{:?}", built.deadlines);
    }

    #[test]
    fn the_same_request_again_returns_the_same_order_and_writes_nothing() {
        let mut books = Books::default();
        let first = place(&mut books, new_order("rrn_1", 53));
        let (change, again, fresh) = books.place(new_order("rrn_1", 53), now()).unwrap();
        assert_eq!((first.as_str(), fresh), (again.eft_trade_no.as_str(), false));
        assert!(change.is_empty());
        assert!(first.len() <= 28, "eft_trade_no is String(28)");
    }

    #[test]
    fn a_reused_out_trade_no_with_other_content_is_refused() {
        let mut books = Books::default();
        place(&mut books, new_order("rrn_1", 53));
        assert_eq!(books.place(new_order("rrn_1", 54), now()).unwrap_err().meaning, Meaning::Duplicate);
    }

    #[test]
    fn order_numbers_follow_the_highest_kept_never_the_count() {
        // Books loaded from a file whose orders are not numbered 1..n (a crash, a migration):
        // the next number follows the highest, and a number already taken is skipped.
        let mut books = Books::default();
        let eft = place(&mut books, new_order("rrn_1", 53));
        let mut kept = books.get(&eft).unwrap().clone();
        kept.seq = 41;
        let mut taken = kept.clone();
        taken.seq = 7;
        taken.out_trade_no = "rrn_2".into();
        taken.eft_trade_no = format!("SBX{}000042", now().to_compact());
        let books = Books::with(vec![kept, taken.clone()], Vec::new());
        let (_, next, _) = books.place(new_order("rrn_3", 53), now()).unwrap();
        assert_eq!(next.seq, 43, "42 would give the number order 7 has");
        assert_ne!(next.eft_trade_no, taken.eft_trade_no);
    }

    #[test]
    fn orders_are_found_by_either_number_and_both_must_agree() {
        let mut books = Books::default();
        let eft = paid(&mut books, 100);
        assert!(books.find(Some(&eft), Some("rrn_1")).is_some());
        assert!(books.find(Some(&eft), Some("rrn_other")).is_none());
        assert_eq!(books.find(None, Some("rrn_1")).map(|o| o.eft_trade_no.as_str()), Some(eft.as_str()));
        assert!(books.find(None, None).is_none());
    }

    #[test]
    fn pending_orders_expire_after_active_time() {
        let mut books = Books::default();
        let eft = place(&mut books, NewOrder { active_time: Some(60), ..new_order("rrn_1", 53) });
        assert!(expire(&mut books, now().plus_seconds(59).unwrap()).is_empty());
        assert_eq!(expire(&mut books, now().plus_seconds(60).unwrap()), vec![eft.clone()]);
        assert_eq!(books.get(&eft).unwrap().trade_status(), Some(Meaning::Closed));
        assert!(settle(&mut books, &eft, OrderState::Paid, None).is_err(), "an expired order cannot be paid");
        assert!(expire(&mut books, now().plus_seconds(3600).unwrap()).is_empty(), "expired once");
    }

    #[test]
    fn expiry_takes_only_the_orders_that_are_due() {
        let mut books = Books::default();
        for n in 0..100 {
            place(&mut books, NewOrder { active_time: Some(60 + n), ..new_order(&format!("rrn_{n}"), 53) });
        }
        place(&mut books, NewOrder { active_time: None, ..new_order("rrn_open", 53) });
        let paid = place(&mut books, NewOrder { active_time: Some(1), ..new_order("rrn_paid", 53) });
        settle(&mut books, &paid, OrderState::Paid, None).unwrap();
        assert_eq!(books.deadlines.len(), 100, "only pending orders with an active time wait for a deadline");
        assert_eq!(expire(&mut books, now().plus_seconds(69).unwrap()).len(), 10);
        assert_eq!(books.deadlines.len(), 90);
    }

    #[test]
    fn refusing_an_overdue_order_leaves_recording_its_expiry_to_expire_due() {
        let mut books = Books::default();
        let eft = place(&mut books, NewOrder { active_time: Some(60), ..new_order("rrn_1", 53) });
        let late = now().plus_seconds(60).unwrap();
        assert!(books.settle(&eft, OrderState::Paid, None, late).unwrap_err().text.contains("Expired"));
        assert_eq!(close(&mut books, &eft, late).unwrap_err().meaning, Meaning::CannotClose);
        assert_eq!(expire(&mut books, late), vec![eft.clone()]);
        assert_eq!(books.get(&eft).unwrap().state, OrderState::Expired);
    }

    #[test]
    fn an_order_without_active_time_never_expires() {
        let mut books = Books::default();
        place(&mut books, NewOrder { active_time: None, ..new_order("rrn_1", 53) });
        assert!(expire(&mut books, now().plus_seconds(10 * 365 * 86_400).unwrap()).is_empty());
    }

    #[test]
    fn paying_an_order_without_a_wallet_records_the_payers_choice() {
        let mut books = Books::default();
        let eft = place(&mut books, NewOrder { pay_type: None, wallet: None, ..new_order("rrn_1", 100) });
        let choice = Choice { wallet: "W2".into(), pay_type: "PT2".into() };
        let order = settle(&mut books, &eft, OrderState::Paid, Some(choice)).unwrap();
        assert_eq!((order.wallet.as_deref(), order.pay_type.as_deref()), (Some("W2"), Some("PT2")));
    }

    #[test]
    fn a_choice_of_another_wallet_than_the_orders_is_refused() {
        let mut books = Books::default();
        let eft = place(&mut books, new_order("rrn_1", 100));
        let choice = Choice { wallet: "W2".into(), pay_type: "PT".into() };
        assert_eq!(
            settle(&mut books, &eft, OrderState::Paid, Some(choice)).unwrap_err().meaning,
            Meaning::InvalidField
        );
        assert_eq!(books.get(&eft).unwrap().state, OrderState::Pending);
    }

    #[test]
    fn only_unpaid_orders_close() {
        let mut books = Books::default();
        let eft = place(&mut books, new_order("rrn_1", 100));
        assert_eq!(close(&mut books, &eft, now()).unwrap().trade_status(), Some(Meaning::Closed));
        assert_eq!(close(&mut books, &eft, now()).unwrap_err().meaning, Meaning::CannotClose, "already closed");
        assert!(settle(&mut books, &eft, OrderState::Paid, None).is_err(), "a closed order cannot be paid");
        let mut books = Books::default();
        let eft = paid(&mut books, 100);
        assert_eq!(close(&mut books, &eft, now()).unwrap_err().meaning, Meaning::CannotClose, "paid");
    }

    #[test]
    fn partial_then_full_refund_moves_the_status() {
        let mut books = Books::default();
        let eft = paid(&mut books, 100);
        refund(&mut books, ask(30, "rf_1")).unwrap();
        assert_eq!(books.get(&eft).unwrap().trade_status(), Some(Meaning::PartlyRefunded));
        refund(&mut books, ask(70, "rf_2")).unwrap();
        assert_eq!(books.get(&eft).unwrap().trade_status(), Some(Meaning::Closed));
        let refunds: Vec<_> = books.refunds_of(&eft).into_iter().map(|r| r.refund_no.as_str()).collect();
        assert_eq!(refunds, ["rf_1", "rf_2"], "in the order made");
    }

    #[test]
    fn a_refund_is_never_above_what_was_paid() {
        let mut books = Books::default();
        paid(&mut books, 100);
        refund(&mut books, ask(60, "rf_1")).unwrap();
        assert_eq!(refund(&mut books, ask(41, "rf_2")).unwrap_err().meaning, Meaning::RefundTooLarge);
    }

    #[test]
    fn the_same_refund_again_is_not_refunded_twice() {
        let mut books = Books::default();
        let eft = paid(&mut books, 100);
        let (_, first) = refund(&mut books, ask(60, "rf_1")).unwrap();
        let (change, _, again) =
            books.refund(ask(60, "rf_1"), |_| true, |_| Some("some.refund.service".into()), now()).unwrap();
        assert!(change.is_empty());
        assert_eq!(first, again);
        assert_eq!(books.get(&eft).unwrap().refunded, Amount::from_cents(60));
        assert_eq!(refund(&mut books, ask(10, "rf_1")).unwrap_err().meaning, Meaning::Duplicate);
    }

    #[test]
    fn refund_numbers_are_unique_and_fit_the_field() {
        let mut books = Books::default();
        paid(&mut books, 100_000);
        let mut numbers = std::collections::HashSet::new();
        for n in 0..50 {
            let (_, refund) = refund(&mut books, RefundAsk { total: None, ..ask(1, &format!("rf_{n}")) }).unwrap();
            assert!(refund.refund_trade_no.len() <= 28, "{}", refund.refund_trade_no);
            assert!(numbers.insert(refund.refund_trade_no));
        }
    }

    #[test]
    fn unpaid_orders_are_not_refundable() {
        let mut books = Books::default();
        place(&mut books, new_order("rrn_1", 100));
        assert_eq!(refund(&mut books, ask(10, "rf_1")).unwrap_err().meaning, Meaning::NotRefundable);
    }

    #[test]
    fn orders_without_a_refund_service_are_not_refundable() {
        let mut books = Books::default();
        paid(&mut books, 100);
        let refusal = books.refund(ask(10, "rf_1"), |_| false, |_| None, now()).unwrap_err();
        assert_eq!(refusal.meaning, Meaning::NotRefundable);
    }

    #[test]
    fn applied_refunds_finish_later() {
        let mut books = Books::default();
        let eft = paid(&mut books, 100);
        let (order, applied) = refund(&mut books, RefundAsk { apply: true, ..ask(100, "rf_1") }).unwrap();
        assert_eq!(order.refund_status(&applied), Meaning::ApplyAccepted);
        let (change, order, finished) = books.finish_refund(&eft, "rf_1").unwrap();
        books.apply(change);
        assert_eq!(order.refund_status(&finished), Meaning::Closed);
        assert!(books.finish_refund(&eft, "rf_1").is_none(), "finished once");
    }

    #[test]
    fn a_refund_number_asked_again_through_another_interface_is_another_refund() {
        let mut books = Books::default();
        paid(&mut books, 100);
        refund(&mut books, ask(10, "rf_1")).unwrap();
        let apply = RefundAsk { apply: true, interface: "some_apply_refund".into(), ..ask(10, "rf_1") };
        assert_eq!(refund(&mut books, apply).unwrap_err().meaning, Meaning::Duplicate);
    }

    #[test]
    fn refunds_must_name_the_sales_wallet_and_total_when_they_carry_them() {
        let mut books = Books::default();
        paid(&mut books, 100);
        let wrong_wallet = RefundAsk { wallet: Some("W2".into()), ..ask(10, "rf_1") };
        assert_eq!(refund(&mut books, wrong_wallet).unwrap_err().meaning, Meaning::InvalidField);
        let wrong_total = RefundAsk { total: Some(Amount::from_cents(99)), ..ask(10, "rf_2") };
        assert_eq!(refund(&mut books, wrong_total).unwrap_err().meaning, Meaning::InvalidField);
        let bare = RefundAsk { pay_type: None, wallet: None, total: None, ..ask(10, "rf_3") };
        assert!(refund(&mut books, bare).is_ok(), "a refund that names neither is taken");
    }

    #[test]
    fn acknowledgements_are_recorded_once() {
        let mut books = Books::default();
        let eft = paid(&mut books, 100);
        refund(&mut books, ask(10, "rf_1")).unwrap();
        for refund_no in [None, Some("rf_1")] {
            let change = books.mark_notified(&eft, refund_no);
            assert!(!change.is_empty());
            books.apply(change);
            assert!(books.mark_notified(&eft, refund_no).is_empty(), "already recorded");
        }
        assert!(books.get(&eft).unwrap().notified && books.find_refund(&eft, "rf_1").unwrap().notified);
        assert!(books.mark_notified("SBX_none", None).is_empty());
    }

    #[test]
    fn undo_takes_back_every_change_applied_with_it() {
        let mut books = Books::default();
        paid(&mut books, 100);
        place(&mut books, NewOrder { active_time: Some(60), ..new_order("rrn_2", 53) });
        let before = books.clone();
        let mut undo = Undo::of(&books);
        // A new order, two refunds of one order (changing it twice), an expiry.
        let (change, ..) = books.place(new_order("rrn_3", 53), now()).unwrap();
        books.apply_undoable(change, &mut undo);
        for (cents, no) in [(30, "rf_1"), (20, "rf_2")] {
            let (change, ..) = books.refund(ask(cents, no), |_| true, |_| None, now()).unwrap();
            books.apply_undoable(change, &mut undo);
        }
        let expiry = books.expire_due(now().plus_seconds(1800).unwrap());
        assert_eq!(expiry.orders.len(), 2, "rrn_2 and rrn_3");
        books.apply_undoable(expiry, &mut undo);
        assert_ne!(books, before);
        books.undo(undo);
        assert_eq!(books, before, "every index and sequence as it was");
    }

    #[test]
    fn orders_are_found_by_either_number_while_the_indexes_grow_and_an_undo_takes_back_all() {
        // Thousands of orders, so the indexes grow through many splits of their nodes, with
        // lookups by both numbers after every insert and undos of 300 orders along the way.
        let mut books = Books::default();
        let mut numbers = Vec::new();
        for n in 0..3_000u64 {
            let out = format!("rrn_{n}");
            let eft = place(&mut books, new_order(&out, 53));
            for k in [0, n / 2, n] {
                let expected = numbers.get(usize::try_from(k).unwrap()).unwrap_or(&eft);
                let order = books.find(None, Some(&format!("rrn_{k}"))).unwrap();
                assert_eq!(&order.eft_trade_no, expected, "rrn_{k} after {n} orders");
                assert!(books.get(expected).is_some());
            }
            numbers.push(eft);
            if n % 500 == 250 {
                let before = books.clone();
                let mut undo = Undo::of(&books);
                for m in 0..300 {
                    let (change, ..) = books.place(new_order(&format!("undone_{n}_{m}"), 53), now()).unwrap();
                    books.apply_undoable(change, &mut undo);
                }
                books.undo(undo);
                assert_eq!(books, before, "after {n} orders");
            }
        }
        assert_eq!(books.orders().count(), 3_000);
    }

    #[test]
    fn the_newest_orders_are_listed_first_up_to_the_limit() {
        let mut books = Books::default();
        let numbers: Vec<String> = (0..5).map(|n| place(&mut books, new_order(&format!("rrn_{n}"), 53))).collect();
        let listed: Vec<&str> = books.newest(3).map(|o| o.eft_trade_no.as_str()).collect();
        assert_eq!(listed, [numbers[4].as_str(), numbers[3].as_str(), numbers[2].as_str()]);
    }
}
