//! The typed per-service API, and a spec change that is only a TOML row.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)] // test code

use eftpay::{
    Amount, Credentials, HkTime, OutgoingMessage, PayScene, PayType, Service, Wallet, pay_scenes, services, wallets,
};

#[test]
fn typed_order_fills_service_pay_type_and_default_scene() {
    let order = services::AlipayWapPreOrder::place_order(
        wallets::AlipayCn,
        Amount::from_cents(53),
        eftpay::OutTradeNo::new("rrn_1"),
        "test",
        "https://merchant.example/return",
    )
    .build();
    assert_eq!(order.service, Service::AlipayWapPreOrder);
    assert_eq!(order.pay_type, PayType::Alipay);
    assert_eq!(order.wallet, Wallet::AlipayCn);
    assert_eq!(order.pay_scene, PayScene::Wap, "the service's first pay_scene is its default");
    assert_eq!(order.validate(), Ok(()));
}

#[test]
fn typed_pay_scene_choice_among_the_services_own() {
    let order = services::PaymeWebPreOrder::place_order(
        wallets::PayMe,
        Amount::from_cents(81),
        eftpay::OutTradeNo::new("rrn_1"),
        "test",
        "https://merchant.example/return",
    )
    .pay_scene(pay_scenes::App)
    .build();
    assert_eq!(order.pay_scene, PayScene::App);
    assert_eq!(order.validate(), Ok(()));
}

#[test]
fn typed_refund_needs_no_pay_type_or_service() {
    let refund = services::AlipayWebRefund::refund(
        wallets::AlipayHk,
        eftpay::RefundAmount::new(Amount::from_cents(50)),
        Amount::from_cents(100),
        eftpay::OutTradeNo::new("rrn_1"),
        eftpay::RefundNo::new("refund_1"),
    )
    .reason("customer changed their mind")
    .build();
    assert_eq!(refund.pay_type, PayType::Alipay);
    assert_eq!(refund.validate(), Ok(()));
}

#[test]
fn service_rules_come_from_the_table() {
    use eftpay::OutgoingMessage;
    let nuvei = services::NuveiWebPreOrder::info();
    assert_eq!(nuvei.effective_default(eftpay::PlaceOrderRequest::INFO, "active_time"), Some("600"));
    assert_eq!(nuvei.notifications, eftpay::rules::Notifications::Once);
    let alipay = services::AlipayWebPreOrder::info();
    assert_eq!(alipay.effective_default(eftpay::PlaceOrderRequest::INFO, "active_time"), Some("1800"));
    let wechat_app = services::AppWechatPreOrder::info();
    assert_eq!(wechat_app.effective_default(eftpay::AppPreOrderRequest::INFO, "active_time"), Some("900"));
    assert!(Service::FpsWebPreOrder.info().is_some());
    assert_eq!(Service::from_wire("service.new.thing").info(), None);
}

#[test]
fn payme_uat_amounts_select_outcomes() {
    use eftpay::rules::TestOutcome;
    let outcome = |text: &str| {
        eftpay::CATALOG.test_amount(PayType::PayMe.as_str(), Amount::parse(text).unwrap()).map(|t| t.outcome)
    };
    assert_eq!(outcome("0.81"), Some(TestOutcome::Success));
    assert_eq!(outcome("12.80"), Some(TestOutcome::Timeout));
    assert_eq!(outcome("0.77"), Some(TestOutcome::Failed));
    assert_eq!(outcome("0.44"), Some(TestOutcome::ServerErrorNoQrCode));
    assert_eq!(outcome("0.45"), Some(TestOutcome::ServerErrorNoState));
    assert_eq!(outcome("0.50"), None);
    assert!(eftpay::CATALOG.test_amount(PayType::Alipay.as_str(), Amount::parse("0.81").unwrap()).is_none());
}

#[test]
fn one_extra_service_row_yields_a_working_typed_service() {
    use eftpay_tests::extra_service as spec;
    // The same fixture without the row does not have the service.
    assert!(!eftpay_tests::minimal::Service::ALL.iter().any(|s| s.as_str() == "service.other.app.PreOrder"));

    let order =
        spec::services::OtherAppPreOrder::place_order(spec::wallets::OtherWallet, Amount::from_cents(100), "rrn_9")
            .build();
    assert_eq!(order.service.as_str(), "service.other.app.PreOrder");
    assert_eq!(order.pay_type, spec::PayType::Other);
    assert_eq!(order.pay_scene, spec::PayScene::App);
    assert_eq!(order.validate(), Ok(()), "the row's flag makes return_url optional");

    let credentials = Credentials::new("TESTKEY00001", "test-secret-not-real");
    let body = eftpay::signing::signed_json(&order, &credentials, HkTime::parse_compact("20230609110645").unwrap());
    let fields = eftpay::ReceivedFields::from_json(&body.json).unwrap();
    assert_eq!(eftpay::verify::verify_fields(&fields, &credentials.secret), Ok(()));
    assert_eq!(fields.text("wallet"), Some("OTHERW"));
    assert_eq!(fields.text("service"), Some("service.other.app.PreOrder"));
}

#[test]
fn signed_body_carries_exactly_the_signed_fields() {
    let order = services::AlipayWebPreOrder::place_order(
        wallets::AlipayHk,
        Amount::from_cents(53),
        eftpay::OutTradeNo::new("rrn_1"),
        "test",
        "https://merchant.example/return",
    )
    .tid("")
    .build();
    let credentials = Credentials::new("S0003469", "test-secret-not-real");
    let body = eftpay::signing::signed_json(&order, &credentials, HkTime::parse_compact("20230609110645").unwrap());
    let fields = eftpay::ReceivedFields::from_json(&body.json).unwrap();
    let names: Vec<&str> = fields.iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        [
            "out_trade_no",
            "payType",
            "pay_scene",
            "return_url",
            "service",
            "subject",
            "time",
            "transaction_amount",
            "user_confirm_key",
            "wallet",
            "sign"
        ],
        "empty tid left out; fields in byte order; sign last"
    );
    for name in &names[..names.len() - 1] {
        assert!(eftpay::PlaceOrderRequest::SIGNED_FIELDS.contains(name));
    }
}

#[test]
fn incoming_messages_serialise_under_their_wire_names_with_unknown_fields_inline() {
    use eftpay::IncomingMessage;
    let fields = eftpay::ReceivedFields::from_json(
        r#"{"notify_type":"trade_status_sync","out_trade_no":"rrn_1","total_fee":"1.00","gmt_payment":"2023-06-09 11:06:45","trade_status":"TRADE_SUCCESS","novel":"kept"}"#,
    )
    .unwrap();
    let notification = eftpay::Notification::from_fields(&fields).unwrap();
    let json = serde_json::to_value(&notification).unwrap();
    assert_eq!(json["out_trade_no"], "rrn_1");
    assert_eq!(json["trade_status"], "TRADE_SUCCESS");
    assert_eq!(json["total_fee"], "1.00");
    assert_eq!(json["gmt_payment"], "2023-06-09T11:06:45+08:00");
    assert_eq!(json["novel"], "kept", "fields the SDK does not model are kept");
    assert!(json.get("tid").is_none(), "fields not received are left out");
}

/// The parameters of a constructor as the catalog shows it (`services::X::refund(a, b)`).
fn parameters(constructor: &str) -> Vec<&str> {
    let inner = constructor.split_once('(').unwrap().1.trim_end_matches(')');
    inner.split(", ").collect()
}

/// The caller-set fields of `service`'s interface that are required unless a flag: required for
/// the rows without it, not for the rows with it.
fn excusable_fields(service: &eftpay::catalog::ServiceInfo) -> Vec<&'static eftpay::catalog::FieldInfo> {
    let interface = eftpay::CATALOG.interface(service.interface).unwrap();
    interface.fields.iter().filter(|f| f.is_caller_set() && f.required && f.required_unless.is_some()).collect()
}

#[test]
fn every_row_constructor_takes_the_fields_its_row_always_requires() {
    let mut taken = 0;
    for service in eftpay::CATALOG.services {
        for field in excusable_fields(service) {
            let excused = service.has_flag(field.required_unless.unwrap());
            for constructor in service.constructors {
                let takes = parameters(constructor).contains(&field.rust);
                assert_eq!(
                    takes, !excused,
                    "{constructor}: `{}` (required unless {:?})",
                    field.wire, field.required_unless
                );
                taken += usize::from(takes);
            }
        }
    }
    assert!(taken > 0, "the spec has rows that always require an otherwise optional field");
}

#[test]
fn a_row_constructor_sets_what_it_takes_so_the_request_validates() {
    let order = services::AlipayWebPreOrder::place_order(
        wallets::AlipayHk,
        Amount::from_cents(53),
        eftpay::OutTradeNo::new("rrn_1"),
        "test",
        "https://merchant.example/return",
    )
    .build();
    assert_eq!(order.return_url.as_deref(), Some("https://merchant.example/return"));
    assert_eq!(order.validate(), Ok(()));
}

#[test]
fn a_wallet_stored_as_text_parses_into_each_of_the_rows_wallets_only() {
    use eftpay::RowWallet;
    let rules = services::AlipayWebRefund::info();
    let wallet = eftpay::CATALOG.enumeration("Wallet").unwrap();
    for value in wallet.values {
        let parsed = RowWallet::<services::AlipayWebRefund>::parse(value.wire);
        if rules.wallets.contains(&value.wire) {
            let parsed = parsed.unwrap();
            assert_eq!(parsed.as_wallet().as_str(), value.wire);
            let refund = services::AlipayWebRefund::refund(
                parsed,
                eftpay::RefundAmount::new(Amount::from_cents(50)),
                Amount::from_cents(100),
                eftpay::OutTradeNo::new("rrn_1"),
                eftpay::RefundNo::new("refund_1"),
            )
            .build();
            assert_eq!(refund.wallet.as_str(), value.wire);
            assert_eq!(refund.validate(), Ok(()));
        } else {
            let error = parsed.unwrap_err();
            assert_eq!((error.service, error.given.as_str(), error.takes), (rules.name, value.wire, rules.wallets));
            let message = error.to_string();
            assert!(message.contains(rules.name) && message.contains(value.wire), "{message}");
        }
    }
    assert!("not a wallet".parse::<RowWallet<services::AlipayWebRefund>>().is_err());
}

#[test]
fn is_paid_is_true_for_the_status_the_spec_says_means_paid_only() {
    use eftpay::IncomingMessage;
    use eftpay::rules::Meaning;
    let statuses = eftpay::CATALOG.enumeration("TradeStatus").unwrap();
    assert!(statuses.values.iter().any(|v| v.meaning == Some(Meaning::Paid)));
    for value in statuses.values.iter().map(|v| v.wire).chain(["TRADE_NOT_YET_INVENTED"]) {
        let body = format!(r#"{{"notify_type":"trade_status_sync","out_trade_no":"rrn_1","trade_status":"{value}"}}"#);
        let fields = eftpay::ReceivedFields::from_json(&body).unwrap();
        let notification = eftpay::PaymentNotification::from_fields(&fields).unwrap();
        let paid = eftpay::CATALOG.meaning_of("TradeStatus", value) == Some(Meaning::Paid);
        assert_eq!(notification.is_paid(), paid, "{value}");
        let reply =
            format!(r#"{{"return_status":"00","out_trade_no":"rrn_1","eft_trade_no":"E1","trade_status":"{value}"}}"#);
        let query = eftpay::QueryResponse::from_fields(&eftpay::ReceivedFields::from_json(&reply).unwrap()).unwrap();
        assert_eq!(query.is_paid(), paid, "{value}");
    }
    let paid = statuses.values.iter().find(|v| v.meaning == Some(Meaning::Paid)).unwrap().wire;
    let payment = format!(r#"{{"notify_type":"trade_status_sync","trade_type":"SALE","trade_status":"{paid}"}}"#);
    let refund = format!(r#"{{"notify_type":"trade_status_sync","trade_type":"REFUND","trade_status":"{paid}"}}"#);
    let read =
        |body: &str| eftpay::Notification::from_fields(&eftpay::ReceivedFields::from_json(body).unwrap()).unwrap();
    assert!(read(&payment).is_paid());
    let refund = read(&refund);
    assert_eq!(refund.interface(), eftpay::Interface::RefundNotification);
    assert!(!refund.is_paid(), "a refund's status is the refund's, not a payment");
    let none = eftpay::ReceivedFields::from_json(r#"{"notify_type":"trade_status_sync"}"#).unwrap();
    assert!(!eftpay::PaymentNotification::from_fields(&none).unwrap().is_paid(), "no status is not paid");
}

#[test]
fn an_accepted_replys_required_field_is_a_value_or_an_error_naming_it() {
    use eftpay::IncomingMessage;
    let reply = |json: &str| {
        eftpay::PlaceOrderResponse::from_fields(&eftpay::ReceivedFields::from_json(json).unwrap()).unwrap()
    };
    let accepted = reply(r#"{"return_status":"00","out_trade_no":"rrn_1","pay_apptrade":"https://pay.example/1"}"#);
    assert_eq!(accepted.pay_apptrade(), Ok("https://pay.example/1"));
    assert_eq!(accepted.out_trade_no(), Ok("rrn_1"));
    let refused = reply(r#"{"return_status":"-13"}"#);
    let error = refused.pay_apptrade().unwrap_err();
    assert_eq!((error.message(), error.field()), ("place_order response", "pay_apptrade"));
    assert!(error.to_string().contains("`pay_apptrade`"), "{error}");
    let required: Vec<&str> =
        eftpay::PlaceOrderRequest::INFO.response.iter().filter(|f| f.required).map(|f| f.wire).collect();
    assert!(required.contains(&"pay_apptrade"), "the accessor exists because the spec requires the field");
}
