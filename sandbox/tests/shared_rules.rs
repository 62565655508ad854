//! The spec format's recognition rules where a second scene meets an older one, on a fixture
//! (`tests/fixtures/shared_rules`: the kiosk scene and a `booth` scene in its own files) whose
//! values this test reads from its catalog: the gateway tells two requests without a `service`
//! field on one endpoint apart by their rules, and the notification dispatch takes the more
//! specific of two rules that both hold (spec/README.md, `[[interface.recognize]]`).
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)] // test code

mod common;

use common::{Ask, post_fields, reply_meaning_in, request_fields};
use eftpay::catalog::{Catalog, InterfaceInfo};
use eftpay::rules::{Concept, FieldKind, Meaning, Notifications, Purpose};
use eftpay::{Amount, ReceivedFields};
use eftpay_sandbox::{Sandbox, SandboxConfig};

#[allow(missing_docs, dead_code, unreachable_pub, clippy::all)]
mod shared {
    eftpay_macros::include_spec!("../tests/fixtures/shared_rules");
}

static SPEC: &Catalog = &shared::CATALOG;

/// The interface of `purpose` in the scene named `scene`.
fn of(scene: &str, purpose: Purpose) -> &'static InterfaceInfo {
    SPEC.scene_interface(SPEC.scene(scene).unwrap(), purpose).unwrap()
}

/// The two queries of the fixture that share an endpoint with no `service` field: the one
/// without rules, and the one with.
fn shared_queries() -> (&'static InterfaceInfo, &'static InterfaceInfo) {
    let ruled = SPEC.request_rules.iter().find(|r| r.alternatives.iter().any(|a| !a.is_empty())).unwrap();
    let ruled = SPEC.interface(ruled.interface).unwrap();
    let plain = SPEC
        .interfaces
        .iter()
        .copied()
        .find(|i| i.endpoint == ruled.endpoint && i.name != ruled.name && i.kind() == ruled.kind())
        .unwrap();
    (plain, ruled)
}

#[tokio::test]
async fn the_gateway_reads_a_request_without_service_by_the_rule_it_satisfies() {
    let (plain, ruled) = shared_queries();
    assert_eq!(plain.endpoint, ruled.endpoint, "the fixture shares an endpoint");
    let config = SandboxConfig { catalog: SPEC, ..common::fast_config() };
    let sandbox = Sandbox::start_with(config).await.unwrap();
    let order = of("kiosk", Purpose::PlaceOrder);
    let row = SPEC.services_of(order.name).find(|row| row.notifications == Notifications::Never).unwrap();
    let placed = Ask { out_trade_no: Some("s-1"), amount: Some(Amount::from_cents(250)), ..Ask::default() };
    let reply = post_fields(&sandbox, order, &request_fields(&sandbox, order, Some(row), &placed)).await;
    assert_eq!(reply_meaning_in(SPEC, order, &reply, Concept::ReturnStatus), Some(Meaning::Accepted), "{reply:?}");
    let eft_trade_no = sandbox.order_by_out_trade_no("s-1").unwrap().eft_trade_no;

    let about = Ask { out_trade_no: Some("s-1"), ..Ask::default() };
    for query in [plain, ruled] {
        let row = SPEC.services_of(query.name).next();
        let reply = post_fields(&sandbox, query, &request_fields(&sandbox, query, row, &about)).await;
        assert_eq!(reply_meaning_in(SPEC, query, &reply, Concept::ReturnStatus), Some(Meaning::Accepted), "{reply:?}");
        // Each answers in its own table: the order number under its own wire name only.
        let own = query.response.iter().find(|f| f.concept == Some(Concept::EftTradeNo)).unwrap().wire;
        assert_eq!(reply.text(own), Some(eft_trade_no.as_str()), "{}: {reply:?}", query.name);
        for other in [plain, ruled].iter().filter(|o| o.name != query.name) {
            let theirs = other.response.iter().find(|f| f.concept == Some(Concept::EftTradeNo)).unwrap().wire;
            assert_eq!(reply.text(theirs), None, "{} answered as {}: {reply:?}", query.name, other.name);
        }
    }
}

#[test]
fn the_catalog_dispatches_each_body_to_the_most_specific_rule() {
    let (plain, ruled) = shared_queries();
    let endpoint = plain.endpoint.unwrap();
    let condition = SPEC.request_rules.iter().find(|r| r.interface == ruled.name).unwrap().alternatives[0][0].field;
    let without = ReceivedFields::from_pairs([("ticket", "t")]).unwrap();
    let with = ReceivedFields::from_pairs([("ticket", "t"), (condition, "b")]).unwrap();
    assert_eq!(SPEC.request_interface(endpoint, None, &without).unwrap().name, plain.name);
    assert_eq!(SPEC.request_interface(endpoint, None, &with).unwrap().name, ruled.name);

    // The booth's notification is the kiosk's rule and one more condition: where both hold, it
    // is the booth's; the kiosk's rule (in the kiosk's files) says nothing of booths.
    let general = of("kiosk", Purpose::PaymentNotification);
    let specific = of("booth", Purpose::PaymentNotification);
    let rule = |name: &str| SPEC.notification_rules.iter().find(|r| r.interface == name).unwrap();
    let extra =
        rule(specific.name).alternatives[0].iter().find(|c| !rule(general.name).alternatives[0].contains(c)).unwrap();
    let mut body: Vec<(&str, &str)> = rule(general.name).alternatives[0]
        .iter()
        .filter_map(|c| match c.test {
            eftpay::__private::FieldTest::OneOf(values) => Some((c.field, values[0])),
            _ => None,
        })
        .collect();
    let plain_body = ReceivedFields::from_pairs(body.iter().copied()).unwrap();
    assert_eq!(SPEC.recognize_notification(&plain_body).unwrap().name, general.name);
    body.push((extra.field, "b"));
    let booth_body = ReceivedFields::from_pairs(body.iter().copied()).unwrap();
    assert_eq!(SPEC.recognize_notification(&booth_body).unwrap().name, specific.name);
}

#[test]
fn a_one_of_requirement_is_met_by_any_of_its_fields_and_named_whole_when_not() {
    let order = of("kiosk", Purpose::PlaceOrder);
    let one_of = order.fields.iter().find(|f| !f.required_when_or.is_empty()).unwrap();
    let (other, values) = one_of.required_when.unwrap();
    let instead = one_of.required_when_or[0];
    let check = order.request_checker().unwrap();
    let row = SPEC.services_of(order.name).find(|r| r.wallets.contains(&values[0])).unwrap();
    let base: Vec<(&str, &str)> = order
        .fields
        .iter()
        .filter(|f| f.is_mandatory() && f.fixed.is_none() && f.wire != other)
        .map(|f| {
            let value = match (f.kind, f.concept) {
                (FieldKind::ObjectArray, _) => "[]",
                (FieldKind::Object, _) => "{}",
                (_, Some(Concept::PayType)) => row.pay_type.unwrap(),
                (_, Some(Concept::Wallet)) => values[0],
                (_, Some(Concept::Time)) => "20240101120000",
                (_, Some(Concept::Amount)) => "1.00",
                _ => "x",
            };
            (f.wire, value)
        })
        .chain(std::iter::once((other, values[0])))
        .collect();
    let with = |extra: Option<(&'static str, &'static str)>| {
        ReceivedFields::from_pairs(base.iter().copied().chain(extra)).unwrap()
    };
    let violations = check(&with(None)).unwrap_err();
    let said = violations.to_string();
    assert!(said.contains(one_of.wire) && said.contains(instead), "names both: {said}");
    for sent in [one_of.wire, instead] {
        let remaining = check(&with(Some((sent, "t")))).err().map(|v| v.to_string()).unwrap_or_default();
        assert!(!remaining.contains(one_of.wire), "{sent} alone meets it: {remaining}");
    }
}

#[tokio::test]
async fn a_value_one_row_does_not_take_is_refused_for_it_by_validation_and_the_gateway() {
    let order = of("kiosk", Purpose::PlaceOrder);
    let narrow = SPEC.services_of(order.name).find(|r| !r.values.is_empty()).unwrap();
    let (wire, taken) = narrow.values[0];
    let field = order.field(wire).unwrap();
    let all = SPEC.enumeration(field.enum_name.unwrap()).unwrap().values;
    let refused = all.iter().map(|v| v.wire).find(|v| !taken.contains(v)).unwrap();
    let wide = SPEC.services_of(order.name).find(|r| r.values.is_empty()).unwrap();

    let config = SandboxConfig { catalog: SPEC, ..common::fast_config() };
    let sandbox = Sandbox::start_with(config).await.unwrap();
    let send = |row: &'static eftpay::catalog::ServiceInfo, value: &'static str, number: &'static str| {
        let ask = Ask { out_trade_no: Some(number), amount: Some(Amount::from_cents(250)), ..Ask::default() };
        let mut fields = request_fields(&sandbox, order, Some(row), &ask);
        fields.retain(|(n, _)| n != order.field_for(Concept::Sign).unwrap().wire);
        fields.push((wire.to_owned(), value.to_owned()));
        let received = ReceivedFields::from_pairs(fields.iter().map(|(n, v)| (n.as_str(), v.as_str()))).unwrap();
        let sign = eftpay::signing::sign_fields(&received, &sandbox.credentials().secret);
        fields.push((order.field_for(Concept::Sign).unwrap().wire.to_owned(), sign));
        fields
    };
    let reply = post_fields(&sandbox, order, &send(narrow, refused, "v-1")).await;
    assert_eq!(reply_meaning_in(SPEC, order, &reply, Concept::ReturnStatus), Some(Meaning::InvalidField), "{reply:?}");
    let said = order.response.iter().find(|f| f.concept == Some(Concept::ReturnText)).unwrap().wire;
    assert!(reply.text(said).unwrap().contains(wire), "{reply:?}");
    let reply = post_fields(&sandbox, order, &send(narrow, taken[0], "v-2")).await;
    assert_eq!(reply_meaning_in(SPEC, order, &reply, Concept::ReturnStatus), Some(Meaning::Accepted), "{reply:?}");
    let reply = post_fields(&sandbox, order, &send(wide, refused, "v-3")).await;
    assert_eq!(reply_meaning_in(SPEC, order, &reply, Concept::ReturnStatus), Some(Meaning::Accepted), "{reply:?}");
}
