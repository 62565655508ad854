//! The sandbox's books: orders and refunds and every state change the gateway allows. Pure
//! logic over plain data — no I/O, no clock of its own — so each rule is unit-tested here and
//! the HTTP layer only translates.

use std::collections::BTreeMap;

use eftpay::{Amount, HkTime, PlaceOrderRequest, ServiceFlag, TradeStatus};
use serde::{Deserialize, Serialize};

use crate::codes::{self, Refusal};

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
    /// Not paid within `active_time`.
    Expired,
    /// The PAYME UAT `.45` order: it exists but has no state.
    NoState,
}

/// Where a refund stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RefundState {
    /// Accepted by apply-refund; finishes later.
    Applied,
    /// Done.
    Done,
}

/// One refund of an order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refund {
    /// The merchant's refund number.
    pub out_refund_no: String,
    /// How much.
    pub amount: Amount,
    /// Its state.
    pub state: RefundState,
    /// Whether it came through apply-refund.
    pub applied: bool,
    /// Where its notification goes (apply-refund only).
    pub notify_url: Option<String>,
    /// The sandbox's refund number.
    pub refund_trade_no: String,
    /// When it was made (Unix seconds).
    pub created: i64,
    /// Whether the refund notification was acknowledged.
    pub notified: bool,
}

/// One order, with everything the gateway needs to answer for it later.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    /// The sandbox's order number.
    pub eft_trade_no: String,
    /// The merchant's order number.
    pub out_trade_no: String,
    /// `service` wire value.
    pub service: String,
    /// `payType` wire value.
    pub pay_type: String,
    /// `wallet` wire value.
    pub wallet: String,
    /// `pay_scene` wire value.
    pub pay_scene: String,
    /// Order total.
    pub amount: Amount,
    /// Currency wire value.
    pub currency: String,
    /// What the payer sees.
    pub subject: String,
    /// Terminal number, echoed back.
    pub tid: Option<String>,
    /// Where notifications go.
    pub notify_url: Option<String>,
    /// Where the payer's browser goes after paying.
    pub return_url: Option<String>,
    /// The signed fields of the request that made it (without `time`, `sign`), to tell a
    /// retried request from a conflicting one.
    pub fingerprint: String,
    /// Created (Unix seconds).
    pub created: i64,
    /// Expires (Unix seconds).
    pub expires: i64,
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

    /// The `trade_status` a query of the order answers; `None` for the no-state test order.
    pub fn trade_status(&self) -> Option<TradeStatus> {
        Some(match self.state {
            OrderState::Pending => TradeStatus::TradeProcessing,
            OrderState::Paid if self.refunds.is_empty() => TradeStatus::TradeSuccess,
            OrderState::Paid if self.refunded() >= self.amount => TradeStatus::TradeClosed,
            OrderState::Paid => TradeStatus::TradeRefund,
            OrderState::Failed => TradeStatus::TradeFail,
            OrderState::Cancelled | OrderState::Expired => TradeStatus::TradeClosed,
            OrderState::NoState => return None,
        })
    }

    /// The `trade_status` of one of its refunds.
    pub fn refund_status(&self, refund: &Refund) -> TradeStatus {
        match refund.state {
            RefundState::Applied => TradeStatus::ApplySuccess,
            RefundState::Done if self.refunded() >= self.amount => TradeStatus::TradeClosed,
            RefundState::Done => TradeStatus::TradeRefund,
        }
    }

    /// Whether the service the order was placed with allows refunds (seed tip: FPS does not).
    pub fn refundable_service(&self) -> bool {
        eftpay::Service::from_wire(&self.service).rules().is_none_or(|r| !r.has_flag(ServiceFlag::NoRefund))
    }
}

/// What a refund request asks for, as the ledger needs it.
#[derive(Clone, Debug)]
pub struct RefundAsk {
    /// The order, by the merchant's number.
    pub out_trade_no: String,
    /// The order, by eftPay's number, when given (must agree).
    pub eft_trade_no: Option<String>,
    /// `payType` wire value.
    pub pay_type: String,
    /// `wallet` wire value.
    pub wallet: String,
    /// The refund.
    pub amount: Amount,
    /// The order total the merchant believes.
    pub total_fee: Amount,
    /// The merchant's refund number.
    pub out_refund_no: String,
    /// Apply-refund (finishes later) rather than refund.
    pub apply: bool,
    /// Where the refund notification goes.
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

    /// One order by either number (eftPay's first, as eftPay looks them up; eftpay-api.md §4).
    pub fn find(&self, eft_trade_no: Option<&str>, out_trade_no: Option<&str>) -> Option<&Order> {
        match eft_trade_no {
            Some(eft) => self.orders.get(eft),
            None => self.orders.values().find(|o| Some(o.out_trade_no.as_str()) == out_trade_no),
        }
    }

    /// Closes pending orders whose `active_time` has passed.
    pub fn expire_due(&mut self, now: HkTime) -> Vec<String> {
        let now = now.unix_seconds();
        let mut changed = Vec::new();
        for order in self.orders.values_mut().filter(|o| o.state == OrderState::Pending && o.expires <= now) {
            order.state = OrderState::Expired;
            changed.push(order.eft_trade_no.clone());
        }
        changed
    }

    /// Books a new order, or returns the existing one when the same request comes again; the
    /// flag is true for a new order.
    ///
    /// # Errors
    /// `out_trade_no` already used by a different request.
    pub fn place(
        &mut self,
        request: &PlaceOrderRequest,
        fingerprint: String,
        active_time: u32,
        now: HkTime,
    ) -> Result<(&Order, bool), Refusal> {
        let existing =
            self.orders.values().find(|o| o.out_trade_no == request.out_trade_no).map(|o| o.eft_trade_no.clone());
        if let Some(eft) = existing {
            return match self.orders.get(&eft) {
                Some(order) if order.fingerprint == fingerprint => Ok((order, false)),
                _ => Err(Refusal::new(
                    codes::DUPLICATE,
                    format!(
                        "out_trade_no {} was already used for a different order; use a new out_trade_no",
                        request.out_trade_no
                    ),
                )),
            };
        }
        self.next += 1;
        let eft_trade_no = format!("SBX{}{:06}", now.to_compact(), self.next % 1_000_000);
        let created = now.unix_seconds();
        let order = Order {
            eft_trade_no: eft_trade_no.clone(),
            out_trade_no: request.out_trade_no.clone(),
            service: request.service.as_str().to_owned(),
            pay_type: request.pay_type.as_str().to_owned(),
            wallet: request.wallet.as_str().to_owned(),
            pay_scene: request.pay_scene.as_str().to_owned(),
            amount: request.transaction_amount,
            currency: request.fee_type.as_ref().map_or("HKD", |f| f.as_str()).to_owned(),
            subject: request.subject.clone(),
            tid: request.tid.clone().filter(|t| !t.is_empty()),
            notify_url: request.notify_url.clone().filter(|u| !u.is_empty()),
            return_url: request.return_url.clone().filter(|u| !u.is_empty()),
            fingerprint,
            created,
            expires: created + i64::from(active_time),
            state: OrderState::Pending,
            paid_at: None,
            transaction_id: None,
            refunds: Vec::new(),
            notified: false,
        };
        Ok((self.orders.entry(eft_trade_no).or_insert(order), true))
    }

    /// Moves a pending order to `to` (pay, fail, cancel, expire, no state).
    ///
    /// # Errors
    /// No such order, or it is no longer pending.
    pub fn settle(&mut self, eft_trade_no: &str, to: OrderState, now: HkTime) -> Result<&Order, Refusal> {
        let order = self.orders.get_mut(eft_trade_no).ok_or_else(|| not_found(eft_trade_no))?;
        if order.state == OrderState::Pending && order.expires <= now.unix_seconds() {
            order.state = OrderState::Expired;
        }
        if order.state != OrderState::Pending {
            return Err(Refusal::new(
                codes::INVALID_FIELD,
                format!("order {eft_trade_no} is {:?}, no longer waiting for payment", order.state),
            ));
        }
        order.state = to;
        if to == OrderState::Paid {
            order.paid_at = Some(now.unix_seconds());
            order.transaction_id = Some(format!("SBXTX{}", order.eft_trade_no.trim_start_matches("SBX")));
        }
        Ok(order)
    }

    /// Records that a notification for the order (or one of its refunds) was acknowledged.
    pub fn mark_notified(&mut self, eft_trade_no: &str, out_refund_no: Option<&str>) {
        if let Some(order) = self.orders.get_mut(eft_trade_no) {
            match out_refund_no {
                None => order.notified = true,
                Some(no) => order.refunds.iter_mut().filter(|r| r.out_refund_no == no).for_each(|r| r.notified = true),
            }
        }
    }

    /// Refunds part or all of a paid order; the same refund asked again returns it unchanged.
    ///
    /// # Errors
    /// No such order; not paid; service without refund; payType, wallet or total that do not
    /// match the order; a reused refund number; more than what is left to refund.
    pub fn refund(&mut self, ask: &RefundAsk, now: HkTime) -> Result<(&Order, usize), Refusal> {
        let eft = self
            .find(ask.eft_trade_no.as_deref(), Some(&ask.out_trade_no))
            .filter(|o| o.out_trade_no == ask.out_trade_no)
            .map(|o| o.eft_trade_no.clone())
            .ok_or_else(|| not_found(&ask.out_trade_no))?;
        let order = self.orders.get_mut(&eft).ok_or_else(|| not_found(&eft))?;
        if let Some(index) = order.refunds.iter().position(|r| r.out_refund_no == ask.out_refund_no) {
            let same = order.refunds.get(index).is_some_and(|r| r.amount == ask.amount && r.applied == ask.apply);
            return if same {
                Ok((order, index))
            } else {
                Err(Refusal::new(
                    codes::DUPLICATE,
                    format!(
                        "out_refund_no {} was already used for a different refund; use a new one",
                        ask.out_refund_no
                    ),
                ))
            };
        }
        if !order.refundable_service() {
            return Err(Refusal::new(
                codes::NOT_REFUNDABLE,
                format!("orders of {} cannot be refunded (eftPay: no refund for this service)", order.service),
            ));
        }
        if order.state != OrderState::Paid {
            return Err(Refusal::new(
                codes::NOT_REFUNDABLE,
                format!("order {} is {:?}; only paid orders can be refunded", order.out_trade_no, order.state),
            ));
        }
        if ask.pay_type != order.pay_type || ask.wallet != order.wallet {
            return Err(Refusal::new(
                codes::INVALID_FIELD,
                format!(
                    "payType/wallet {}/{} differ from the order's {}/{}; send the sale's",
                    ask.pay_type, ask.wallet, order.pay_type, order.wallet
                ),
            ));
        }
        if ask.total_fee != order.amount {
            return Err(Refusal::new(
                codes::INVALID_FIELD,
                format!("total_fee {} is not the order total {}", ask.total_fee, order.amount),
            ));
        }
        let left = order.amount.checked_sub(order.refunded()).unwrap_or(Amount::ZERO);
        if ask.amount > left {
            return Err(Refusal::new(
                codes::REFUND_TOO_LARGE,
                format!("refund {} is more than the {} left to refund of {}", ask.amount, left, order.amount),
            ));
        }
        let refund_trade_no =
            format!("SBXRF{}{:02}", order.eft_trade_no.trim_start_matches("SBX"), order.refunds.len() + 1);
        order.refunds.push(Refund {
            out_refund_no: ask.out_refund_no.clone(),
            amount: ask.amount,
            state: if ask.apply { RefundState::Applied } else { RefundState::Done },
            applied: ask.apply,
            notify_url: ask.notify_url.clone().filter(|u| !u.is_empty()),
            refund_trade_no,
            created: now.unix_seconds(),
            notified: false,
        });
        let index = order.refunds.len() - 1;
        Ok((order, index))
    }

    /// Finishes an applied refund.
    pub fn finish_refund(&mut self, eft_trade_no: &str, out_refund_no: &str) -> Option<&Order> {
        let order = self.orders.get_mut(eft_trade_no)?;
        let refund =
            order.refunds.iter_mut().find(|r| r.out_refund_no == out_refund_no && r.state == RefundState::Applied)?;
        refund.state = RefundState::Done;
        Some(order)
    }
}

fn not_found(what: &str) -> Refusal {
    Refusal::new(codes::NOT_FOUND, format!("no order {what}; check out_trade_no / eft_trade_no"))
}

#[cfg(test)]
mod tests {
    use eftpay::{services, wallets};

    use super::*;

    fn now() -> HkTime {
        HkTime::parse_compact("20261126120000").unwrap()
    }

    fn request(out: &str, cents: u64) -> PlaceOrderRequest {
        services::AlipayWebPreOrder::place_order(wallets::AlipayHk, Amount::from_cents(cents), out, "test")
            .return_url("https://merchant.example/return")
            .build()
    }

    fn paid(ledger: &mut Ledger, cents: u64) -> String {
        let eft = ledger.place(&request("rrn_1", cents), "f".into(), 1800, now()).unwrap().0.eft_trade_no.clone();
        ledger.settle(&eft, OrderState::Paid, now()).unwrap();
        eft
    }

    fn ask(cents: u64, no: &str) -> RefundAsk {
        RefundAsk {
            out_trade_no: "rrn_1".into(),
            eft_trade_no: None,
            pay_type: "Alipay".into(),
            wallet: "ALIPAYHK".into(),
            amount: Amount::from_cents(cents),
            total_fee: Amount::from_cents(100),
            out_refund_no: no.into(),
            apply: false,
            notify_url: None,
        }
    }

    #[test]
    fn the_same_request_again_returns_the_same_order() {
        let mut ledger = Ledger::default();
        let first = ledger.place(&request("rrn_1", 53), "f".into(), 1800, now()).unwrap().0.eft_trade_no.clone();
        let again = ledger.place(&request("rrn_1", 53), "f".into(), 1800, now()).unwrap().0.eft_trade_no.clone();
        assert_eq!(first, again);
        assert!(first.len() <= 28, "eft_trade_no is String(28)");
    }

    #[test]
    fn a_reused_out_trade_no_with_other_content_is_refused() {
        let mut ledger = Ledger::default();
        ledger.place(&request("rrn_1", 53), "f".into(), 1800, now()).unwrap();
        let refusal = ledger.place(&request("rrn_1", 54), "g".into(), 1800, now()).unwrap_err();
        assert_eq!(refusal.code, codes::DUPLICATE);
    }

    #[test]
    fn pending_orders_expire_after_active_time() {
        let mut ledger = Ledger::default();
        let eft = ledger.place(&request("rrn_1", 53), "f".into(), 60, now()).unwrap().0.eft_trade_no.clone();
        assert!(ledger.expire_due(now().plus_seconds(59).unwrap()).is_empty());
        assert_eq!(ledger.expire_due(now().plus_seconds(60).unwrap()), vec![eft.clone()]);
        assert_eq!(ledger.get(&eft).unwrap().trade_status(), Some(TradeStatus::TradeClosed));
        assert!(ledger.settle(&eft, OrderState::Paid, now()).is_err(), "an expired order cannot be paid");
    }

    #[test]
    fn partial_then_full_refund_moves_the_status() {
        let mut ledger = Ledger::default();
        let eft = paid(&mut ledger, 100);
        ledger.refund(&ask(30, "rf_1"), now()).unwrap();
        assert_eq!(ledger.get(&eft).unwrap().trade_status(), Some(TradeStatus::TradeRefund));
        ledger.refund(&ask(70, "rf_2"), now()).unwrap();
        assert_eq!(ledger.get(&eft).unwrap().trade_status(), Some(TradeStatus::TradeClosed));
    }

    #[test]
    fn a_refund_is_never_above_what_was_paid() {
        let mut ledger = Ledger::default();
        paid(&mut ledger, 100);
        ledger.refund(&ask(60, "rf_1"), now()).unwrap();
        assert_eq!(ledger.refund(&ask(41, "rf_2"), now()).unwrap_err().code, codes::REFUND_TOO_LARGE);
    }

    #[test]
    fn the_same_refund_again_is_not_refunded_twice() {
        let mut ledger = Ledger::default();
        let eft = paid(&mut ledger, 100);
        ledger.refund(&ask(60, "rf_1"), now()).unwrap();
        ledger.refund(&ask(60, "rf_1"), now()).unwrap();
        assert_eq!(ledger.get(&eft).unwrap().refunded(), Amount::from_cents(60));
        assert_eq!(ledger.refund(&ask(10, "rf_1"), now()).unwrap_err().code, codes::DUPLICATE);
    }

    #[test]
    fn unpaid_orders_are_not_refundable() {
        let mut ledger = Ledger::default();
        ledger.place(&request("rrn_1", 100), "f".into(), 1800, now()).unwrap();
        assert_eq!(ledger.refund(&ask(10, "rf_1"), now()).unwrap_err().code, codes::NOT_REFUNDABLE);
    }

    #[test]
    fn fps_orders_are_not_refundable() {
        let mut ledger = Ledger::default();
        let fps = services::FpsWebPreOrder::place_order(wallets::Fps, Amount::from_cents(100), "rrn_1", "t")
            .return_url("https://merchant.example/r")
            .build();
        let eft = ledger.place(&fps, "f".into(), 1800, now()).unwrap().0.eft_trade_no.clone();
        ledger.settle(&eft, OrderState::Paid, now()).unwrap();
        let mut fps_ask = ask(10, "rf_1");
        fps_ask.pay_type = "FPS".into();
        fps_ask.wallet = "FPS".into();
        assert_eq!(ledger.refund(&fps_ask, now()).unwrap_err().code, codes::NOT_REFUNDABLE);
    }

    #[test]
    fn applied_refunds_finish_later() {
        let mut ledger = Ledger::default();
        let eft = paid(&mut ledger, 100);
        let mut apply = ask(100, "rf_1");
        apply.apply = true;
        let (order, index) = ledger.refund(&apply, now()).unwrap();
        let refund = order.refunds[index].clone();
        assert_eq!(order.refund_status(&refund), TradeStatus::ApplySuccess);
        let order = ledger.finish_refund(&eft, "rf_1").unwrap();
        assert_eq!(order.refund_status(&order.refunds[0]), TradeStatus::TradeClosed);
    }

    #[test]
    fn refunds_must_name_the_sales_wallet_and_total() {
        let mut ledger = Ledger::default();
        paid(&mut ledger, 100);
        let mut wrong_wallet = ask(10, "rf_1");
        wrong_wallet.wallet = "ALIPAYCN".into();
        assert_eq!(ledger.refund(&wrong_wallet, now()).unwrap_err().code, codes::INVALID_FIELD);
        let mut wrong_total = ask(10, "rf_2");
        wrong_total.total_fee = Amount::from_cents(99);
        assert_eq!(ledger.refund(&wrong_total, now()).unwrap_err().code, codes::INVALID_FIELD);
    }
}
