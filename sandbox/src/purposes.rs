//! What the gateway does with a valid request, chosen by its interface's purpose — never by its
//! name: placing an order, querying it or one of its refunds, refunding, applying for a refund
//! that finishes later, closing an unpaid order. Each returns the facts its accepted reply is
//! composed from.

use std::sync::Arc;

use eftpay::HkTime;
use eftpay::catalog::{Catalog, ServiceInfo};
use eftpay::rules::{Concept, Meaning, Purpose, TestOutcome};

use crate::codes::Refusal;
use crate::incoming::Incoming;
use crate::outgoing::Facts;
use crate::state::{NewOrder, Order, OrderState, RefundAsk, RefundState};
use crate::{Shared, control, notifier};

/// Acts on `request` as its purpose says.
///
/// # Errors
/// What eftPay would refuse: see each purpose.
pub async fn answer(shared: &Arc<Shared>, request: Incoming<'_>, now: HkTime) -> Result<Facts, Refusal> {
    match request.interface.purpose {
        Purpose::PlaceOrder => place_order(shared, request, now).await,
        Purpose::Query => query(shared, request),
        Purpose::Refund | Purpose::ApplyRefund => refund(shared, request, now).await,
        Purpose::Close => close(shared, request, now).await,
        _ => Err(Refusal::new(
            Meaning::InvalidService,
            format!("{} is not a request the gateway answers", request.interface.name),
        )),
    }
}

fn missing(request: Incoming<'_>, concept: Concept) -> Refusal {
    let wire = request.interface.field_for(concept).map_or("a required field", |f| f.wire);
    Refusal::new(Meaning::InvalidField, format!("`{wire}` is missing"))
}

/// The row serving a request's order (by its `service`, else its payType, else the only row).
fn row_of(catalog: &Catalog, request: Incoming<'_>, pay_type: Option<&str>) -> Result<&'static ServiceInfo, Refusal> {
    let service = request.text(Concept::Service);
    catalog.row_for(request.interface, service, pay_type).ok_or_else(|| {
        Refusal::new(
            Meaning::InvalidService,
            format!(
                "no service of {} serves {}; check the service and payType",
                request.interface.name,
                service.or(pay_type).unwrap_or("this request")
            ),
        )
    })
}

/// Books an order (or returns the one a retried request made), then answers with its pay link
/// or QR code. A test amount of the order's payType decides its outcome at once.
async fn place_order(shared: &Arc<Shared>, request: Incoming<'_>, now: HkTime) -> Result<Facts, Refusal> {
    let catalog = shared.catalog;
    let pay_type = request.text(Concept::PayType);
    let row = row_of(catalog, request, pay_type)?;
    let amount = request.amount(Concept::Amount)?.ok_or_else(|| missing(request, Concept::Amount))?;
    let test = pay_type.and_then(|pay_type| catalog.test_amount(pay_type, amount));
    if let Some(test) = test.filter(|t| t.outcome == TestOutcome::ServerErrorNoQrCode) {
        return Err(Refusal::new(
            Meaning::ServerError,
            format!("server error: no payment QR code (test amount .{:02} of {})", test.cents, test.pay_type),
        ));
    }
    let active_time = request.effective(row, Concept::ActiveTime).and_then(|seconds| seconds.parse::<u32>().ok());
    let new = NewOrder {
        out_trade_no: request
            .text(Concept::OutTradeNo)
            .ok_or_else(|| missing(request, Concept::OutTradeNo))?
            .to_owned(),
        service: row.name.to_owned(),
        pay_type: pay_type.map(str::to_owned),
        wallet: request.text(Concept::Wallet).map(str::to_owned),
        amount,
        currency: request.effective(row, Concept::Currency),
        subject: request.text(Concept::Subject).map(str::to_owned),
        terminal: request.text(Concept::Terminal).map(str::to_owned),
        buyer_type: request.text(Concept::BuyerType).map(str::to_owned),
        notify_url: request.text(Concept::NotifyUrl).map(str::to_owned),
        return_url: request.text(Concept::ReturnUrl).map(str::to_owned),
        active_time,
        fingerprint: request.fingerprint(),
        echoed: request.echoed(&shared.echoes),
    };
    let (mut order, fresh) = shared
        .change_in_group(move |books, _| {
            let (change, order, fresh) = books.place(new, now)?;
            Ok((change, (order, fresh)))
        })
        .await?;
    let decided = match test.map(|t| t.outcome) {
        Some(TestOutcome::Success) => Some(OrderState::Paid),
        Some(TestOutcome::Failed) => Some(OrderState::Failed),
        Some(TestOutcome::Timeout) => Some(OrderState::Expired),
        Some(TestOutcome::ServerErrorNoState) => Some(OrderState::NoState),
        _ => None,
    };
    if let Some(state) = decided.filter(|_| fresh) {
        order = control::settle(shared, &order.eft_trade_no, state, None)?;
    }
    let link = shared.pay_page_url(&order.eft_trade_no);
    let mut facts = Facts::from_order(order);
    facts.text(Concept::PayLink, Some(&link)).text(Concept::QrCode, Some(&link));
    Ok(facts)
}

/// The order (by eftPay's number first, then the merchant's), or one of its refunds when the
/// request names a refund.
fn query(shared: &Shared, request: Incoming<'_>) -> Result<Facts, Refusal> {
    let eft = request.text(Concept::EftTradeNo);
    let out = request.text(Concept::OutTradeNo);
    let refund_no = request.text(Concept::RefundNo);
    shared.read(|books| {
        let order = eft.and_then(|eft| books.get(eft)).or_else(|| out.and_then(|out| books.find(None, Some(out))));
        let order = order.ok_or_else(|| {
            Refusal::new(
                Meaning::NotFound,
                format!("no order {}; check the order numbers", eft.or(out).unwrap_or_default()),
            )
        })?;
        match refund_no {
            Some(refund_no) => {
                let refund = books.find_refund(&order.eft_trade_no, refund_no).ok_or_else(|| {
                    Refusal::new(Meaning::NotFound, format!("order {} has no refund {refund_no}", order.out_trade_no))
                })?;
                Ok(Facts::of_refund(order, refund))
            }
            None => Ok(Facts::of_order(order)),
        }
    })
}

/// Whether orders like `order` can be refunded at all: some refund interface of its scene has a
/// row for its payType. The spec gives no refund service for payTypes eftPay cannot refund,
/// such as FPS.
pub fn refundable(catalog: &Catalog, order: &Order) -> bool {
    let Some(placed_through) = order.placed_through(catalog) else { return false };
    catalog.scenes_of(placed_through.name).any(|scene| {
        [Purpose::Refund, Purpose::ApplyRefund]
            .into_iter()
            .filter_map(|purpose| catalog.scene_interface(scene, purpose))
            .any(|interface| catalog.row_for_pay_type(interface, order.pay_type.as_deref()).is_some())
    })
}

/// Refunds (or, for an apply-refund, accepts a refund that finishes later and is notified when
/// asked and its service notifies).
async fn refund(shared: &Arc<Shared>, request: Incoming<'_>, now: HkTime) -> Result<Facts, Refusal> {
    let catalog = shared.catalog;
    let interface = request.interface;
    let ask = RefundAsk {
        out_trade_no: request.text(Concept::OutTradeNo).map(str::to_owned),
        eft_trade_no: request.text(Concept::EftTradeNo).map(str::to_owned),
        pay_type: request.text(Concept::PayType).map(str::to_owned),
        wallet: request.text(Concept::Wallet).map(str::to_owned),
        amount: request.amount(Concept::RefundAmount)?.ok_or_else(|| missing(request, Concept::RefundAmount))?,
        total: request.amount(Concept::Amount)?,
        refund_no: request.text(Concept::RefundNo).ok_or_else(|| missing(request, Concept::RefundNo))?.to_owned(),
        apply: interface.purpose == Purpose::ApplyRefund,
        interface: interface.name.to_owned(),
        notify_url: request.text(Concept::NotifyUrl).map(str::to_owned),
    };
    let service = request.text(Concept::Service).map(str::to_owned);
    let serving_row = move |order: &Order| {
        catalog.row_for(interface, service.as_deref(), order.pay_type.as_deref()).map(|row| row.name.to_owned())
    };
    let (order, refund, fresh) = shared
        .change_in_group(move |books, _| {
            let (change, order, refund) = books.refund(ask, |order| refundable(catalog, order), serving_row, now)?;
            let fresh = !change.is_empty();
            Ok((change, (order, refund, fresh)))
        })
        .await?;
    if fresh && refund.state == RefundState::Applied {
        notifier::finish_applied_refund(shared, order.eft_trade_no.clone(), refund.refund_no.clone());
    }
    Ok(Facts::of_refund(&order, &refund))
}

/// Closes an unpaid order.
async fn close(shared: &Shared, request: Incoming<'_>, now: HkTime) -> Result<Facts, Refusal> {
    let eft = request.text(Concept::EftTradeNo).map(str::to_owned);
    let out = request.text(Concept::OutTradeNo).map(str::to_owned);
    let order = shared
        .change_in_group(move |books, _| {
            let (eft, out) = (eft.as_deref(), out.as_deref());
            let found = books.find(eft, out).ok_or_else(|| {
                Refusal::new(
                    Meaning::NotFound,
                    format!("no order {}; check the order numbers", eft.or(out).unwrap_or_default()),
                )
            })?;
            books.close(&found.eft_trade_no, now)
        })
        .await?;
    Ok(Facts::from_order(order))
}

#[cfg(test)]
mod tests {
    use eftpay::CATALOG;

    use super::*;

    fn order(row: &ServiceInfo) -> Order {
        Order {
            pay_type: row.pay_type.map(str::to_owned),
            state: OrderState::Paid,
            paid_at: Some(0),
            ..Order::example(row.name)
        }
    }

    #[test]
    fn an_order_is_refundable_where_a_refund_interface_of_its_scene_has_a_row_for_its_pay_type() {
        let (mut refundable_rows, mut other_rows) = (0, 0);
        for scene in CATALOG.scenes {
            let Some(place) = CATALOG.scene_interface(scene, Purpose::PlaceOrder) else { continue };
            let refunds: Vec<_> = [Purpose::Refund, Purpose::ApplyRefund]
                .into_iter()
                .filter_map(|purpose| CATALOG.scene_interface(scene, purpose))
                .collect();
            for row in CATALOG.services_of(place.name) {
                let expected = refunds.iter().any(|refund| {
                    CATALOG.services_of(refund.name).any(|r| r.pay_type.is_none() || r.pay_type == row.pay_type)
                });
                assert_eq!(refundable(&CATALOG, &order(row)), expected, "{}", row.name);
                if expected { refundable_rows += 1 } else { other_rows += 1 }
            }
        }
        // The spec has both: payTypes with a refund service and one without (FPS).
        assert!(refundable_rows > 0 && other_rows > 0, "{refundable_rows} {other_rows}");
    }
}
