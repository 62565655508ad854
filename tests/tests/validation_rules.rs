//! Every validation rule the spec states, as a table: for each rule a request that keeps it
//! (validates) and one that breaks it (reports exactly that field and rule). Requests are built
//! through the dynamic API, which — unlike the typed one — lets a caller get things wrong.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)] // tables of test cases

use eftpay::{
    Address, Amount, ApplyRefundRequest, CustomerInfo, Lang, PayScene, PayType, PlaceOrderRequest, QueryRequest,
    RefundRequest, Rule, Service, Wallet,
};

fn amount(text: &str) -> Amount {
    Amount::parse(text).unwrap()
}

/// A valid Alipay web order.
fn order() -> PlaceOrderRequest {
    let mut r = PlaceOrderRequest::new(
        Service::AlipayWebPreOrder,
        amount("0.53"),
        eftpay::OutTradeNo::new("rrn_1686280005998"),
        PayType::Alipay,
        "test",
        Wallet::AlipayHk,
        PayScene::Web,
    );
    r.return_url = Some("https://merchant.example/return".into());
    r
}

/// The same order for another service, with the service's own payType, first wallet and scene.
fn order_for(service: Service) -> PlaceOrderRequest {
    let rules = service.info().unwrap();
    let mut r = order();
    r.service = service.clone();
    r.pay_type = PayType::from_wire(rules.pay_type.unwrap());
    r.wallet = Wallet::from_wire(rules.wallets[0]);
    r.pay_scene = PayScene::from_wire(rules.pay_scenes[0]);
    r
}

type Edit = fn(&mut PlaceOrderRequest);

/// (rule under test, edit that keeps the rule, edit that breaks it, field, rule reported)
const PLACE_ORDER_CASES: &[(&str, Edit, Edit, &str, Rule)] = &[
    (
        "required text may not be empty",
        |r| r.subject = "x".into(),
        |r| r.subject = String::new(),
        "subject",
        Rule::Required,
    ),
    (
        "text within String(n)",
        |r| r.out_trade_no = "a".repeat(28),
        |r| r.out_trade_no = "a".repeat(29),
        "out_trade_no",
        Rule::TooLong,
    ),
    (
        "length counts characters, not bytes",
        |r| r.body = Some("測".repeat(128)),
        |r| r.body = Some("測".repeat(129)),
        "body",
        Rule::TooLong,
    ),
    (
        "amount text within String(8)",
        |r| r.transaction_amount = amount("99999.99"),
        |r| r.transaction_amount = Amount::from_cents(10_000_000),
        "transaction_amount",
        Rule::TooLong,
    ),
    (
        "amount above zero",
        |r| r.transaction_amount = amount("0.01"),
        |r| r.transaction_amount = Amount::ZERO,
        "transaction_amount",
        Rule::OutOfRange,
    ),
    (
        "enum value must be known",
        |r| r.fee_type = Some(eftpay::FeeType::Cny),
        |r| r.fee_type = Some(eftpay::FeeType::from_wire("USD")),
        "fee_type",
        Rule::UnknownValue,
    ),
    (
        "service must be known",
        |r| r.service = Service::AlipayWebPreOrder,
        |r| r.service = Service::from_wire("service.alipay.web.Nope"),
        "service",
        Rule::UnknownValue,
    ),
    (
        "service of this interface",
        |r| r.service = Service::AlipayWebQrcode,
        |r| r.service = Service::AlipayWebRefund,
        "service",
        Rule::WrongInterface,
    ),
    (
        "payType of the service",
        |r| r.pay_type = PayType::Alipay,
        |r| r.pay_type = PayType::WeChat,
        "payType",
        Rule::NotForService,
    ),
    (
        "wallet of the service",
        |r| r.wallet = Wallet::AlipayCn,
        |r| r.wallet = Wallet::WeChatHk,
        "wallet",
        Rule::NotForService,
    ),
    (
        "pay_scene of the service",
        |r| r.pay_scene = PayScene::Web,
        |r| r.pay_scene = PayScene::Wap,
        "pay_scene",
        Rule::NotForService,
    ),
    (
        "lang the service offers",
        |r| r.lang = Some(Lang::Hk),
        |r| r.lang = Some(Lang::from_wire("fr")),
        "lang",
        Rule::UnknownValue,
    ),
    (
        "lang only for services in the lang table",
        |r| r.lang = None,
        |r| {
            r.service = Service::AlipayWapPreOrder;
            r.pay_scene = PayScene::Wap;
            r.lang = Some(Lang::En)
        },
        "lang",
        Rule::NotAllowedForService,
    ),
    (
        "return_url required outside the QR services",
        |r| {
            r.service = Service::AlipayWebQrcode;
            r.return_url = None
        },
        |r| r.return_url = None,
        "return_url",
        Rule::Required,
    ),
    (
        "return_url is an http(s) URL",
        |r| r.return_url = Some("http://merchant.example/r".into()),
        |r| r.return_url = Some("merchant.example/r".into()),
        "return_url",
        Rule::InvalidUrl,
    ),
    (
        "return_url carries no parameters",
        |r| r.return_url = Some("https://merchant.example/r".into()),
        |r| r.return_url = Some("https://merchant.example/r?id=1".into()),
        "return_url",
        Rule::InvalidUrl,
    ),
    (
        "notify_url may carry parameters but needs a host",
        |r| r.notify_url = Some("https://merchant.example/n?x=1".into()),
        |r| r.notify_url = Some("https:///n".into()),
        "notify_url",
        Rule::InvalidUrl,
    ),
    (
        "active_time at least one second",
        |r| r.active_time = Some(600),
        |r| r.active_time = Some(0),
        "active_time",
        Rule::OutOfRange,
    ),
    (
        "NUVEI fixes active_time",
        |r| *r = order_for(Service::NuveiWebPreOrder),
        |r| {
            *r = order_for(Service::NuveiWebPreOrder);
            r.active_time = Some(600)
        },
        "active_time",
        Rule::NotAllowedForService,
    ),
    (
        "scheme only for UnionPay and PAYME",
        |r| {
            *r = order_for(Service::PaymeWebPreOrder);
            r.scheme = Some("app://x".into())
        },
        |r| r.scheme = Some("app://x".into()),
        "scheme",
        Rule::OnlyWhen,
    ),
    (
        "packageName only for UnionPay",
        |r| {
            *r = order_for(Service::UnionpayOnlineWebPreOrder);
            r.package_name = Some("com.x".into())
        },
        |r| {
            *r = order_for(Service::PaymeWebPreOrder);
            r.package_name = Some("com.x".into())
        },
        "packageName",
        Rule::OnlyWhen,
    ),
    (
        "ATOME objects only for ATOME",
        |r| {
            *r = order_for(Service::AtomeV2WapPreOrder);
            r.customer_info = Some(CustomerInfo::default())
        },
        |r| r.shipping_address = Some(Address::default()),
        "shippingAddress",
        Rule::OnlyWhen,
    ),
    (
        "app_link only for wallet BOCVMPUPI",
        |r| r.app_link = None,
        |r| {
            *r = order_for(Service::BocvmpUnionpayWebPreOrder);
            r.app_link = Some("app://back".into())
        },
        "app_link",
        Rule::OnlyWhen,
    ),
];

#[test]
fn the_base_order_is_valid() {
    assert_eq!(order().validate(), Ok(()));
}

#[test]
fn every_place_order_rule_has_a_passing_and_a_failing_case() {
    for (rule, keep, breaks, field, expected) in PLACE_ORDER_CASES {
        let mut ok = order();
        keep(&mut ok);
        assert_eq!(ok.validate(), Ok(()), "{rule}: the passing case should validate");

        let mut bad = order();
        breaks(&mut bad);
        let violations = bad.validate().expect_err(rule);
        assert!(violations.has(field, *expected), "{rule}: expected {field}/{expected:?}, got:\n{violations}");
        assert_eq!(violations.len(), 1, "{rule}: expected one violation, got:\n{violations}");
    }
}

#[test]
fn every_service_of_the_spec_accepts_its_own_row() {
    use eftpay::OutgoingMessage;
    let exempting: Vec<&str> = PlaceOrderRequest::INFO.fields.iter().filter_map(|f| f.required_unless).collect();
    for rules in eftpay::CATALOG.services_of(PlaceOrderRequest::INFO.name) {
        let mut r = order_for(Service::from_wire(rules.name));
        if exempting.iter().any(|flag| rules.has_flag(flag)) {
            r.return_url = None;
        }
        for wallet in rules.wallets {
            for scene in rules.pay_scenes {
                r.wallet = Wallet::from_wire(wallet);
                r.pay_scene = PayScene::from_wire(scene);
                assert_eq!(r.validate(), Ok(()), "{} {wallet} {scene}", rules.name);
            }
        }
    }
}

#[test]
fn all_violations_are_reported_at_once() {
    let mut r = order();
    r.subject = String::new();
    r.wallet = Wallet::WeChatCn;
    r.return_url = None;
    let violations = r.validate().unwrap_err();
    assert_eq!(violations.len(), 3, "{violations}");
    let text = violations.to_string();
    assert!(
        text.contains(
            "`wallet` WECHATCN is not one of service service.alipay.web.PreOrder's wallets; use ALIPAYCN or ALIPAYHK"
        ),
        "{text}"
    );
}

fn refund() -> RefundRequest {
    RefundRequest::new(
        Service::AlipayWebRefund,
        eftpay::RefundAmount::new(amount("0.50")),
        amount("1.00"),
        eftpay::OutTradeNo::new("rrn_1"),
        PayType::Alipay,
        Wallet::AlipayCn,
        eftpay::RefundNo::new("refund_1"),
    )
}

#[test]
fn refund_may_not_exceed_the_order_total() {
    assert_eq!(refund().validate(), Ok(()));
    let mut full = refund();
    full.return_amount = amount("1.00");
    assert_eq!(full.validate(), Ok(()));
    let mut above = refund();
    above.return_amount = amount("1.01");
    let v = above.validate().unwrap_err();
    assert!(v.has("return_amount", Rule::AboveLimit), "{v}");
    assert_eq!(v.len(), 1);
}

#[test]
fn refund_service_must_be_a_refund_service() {
    let mut r = refund();
    r.service = Service::AlipayWebPreOrder;
    assert!(r.validate().unwrap_err().has("service", Rule::WrongInterface));
    r.service = Service::WechatWebApplyRefund;
    assert!(r.validate().unwrap_err().has("service", Rule::WrongInterface));
}

#[test]
fn apply_refund_takes_a_notify_url() {
    let mut r = ApplyRefundRequest::new(
        Service::WechatWebApplyRefund,
        eftpay::RefundAmount::new(amount("0.50")),
        amount("1.00"),
        eftpay::OutTradeNo::new("rrn_1"),
        PayType::WeChat,
        Wallet::WeChatHk,
        eftpay::RefundNo::new("refund_1"),
    );
    r.notify_url = Some("https://merchant.example/refund-notify".into());
    assert_eq!(r.validate(), Ok(()));
}

#[test]
fn query_needs_at_least_one_order_number() {
    let mut q = QueryRequest::default();
    let v = q.validate().unwrap_err();
    assert!(v.has("eft_trade_no", Rule::AtLeastOneOf), "{v}");
    q.out_trade_no = Some(String::new());
    assert!(q.validate().is_err(), "an empty number counts as none");
    q.out_trade_no = Some("rrn_1".into());
    assert_eq!(q.validate(), Ok(()));
    let mut q = QueryRequest::default();
    q.eft_trade_no = Some("08520005269190824010701722".into());
    assert_eq!(q.validate(), Ok(()));
}

#[test]
fn fixed_fields_are_always_signed() {
    use eftpay::OutgoingMessage;
    assert!(QueryRequest::SIGNED_FIELDS.contains(&"querytype"));
}

#[test]
fn signed_fields_are_in_byte_order_and_never_include_sign() {
    use eftpay::OutgoingMessage;
    for fields in [PlaceOrderRequest::SIGNED_FIELDS, QueryRequest::SIGNED_FIELDS, RefundRequest::SIGNED_FIELDS] {
        assert!(fields.windows(2).all(|w| w[0].as_bytes() < w[1].as_bytes()), "{fields:?}");
        assert!(!fields.contains(&"sign"));
    }
    let i = |name: &str| PlaceOrderRequest::SIGNED_FIELDS.iter().position(|f| *f == name).unwrap();
    assert!(i("payType") < i("pay_scene"), "uppercase sorts before underscore");
}

#[test]
fn a_gateway_reads_back_exactly_what_was_sent() {
    let credentials = eftpay::Credentials::new("TESTKEY00001", "test-secret-not-real");
    let mut sent = order();
    sent.customer_info = None;
    sent.body = Some("測試 & =".into());
    sent.active_time = Some(600);
    let body =
        eftpay::signing::signed_json(&sent, &credentials, eftpay::HkTime::parse_compact("20230609110645").unwrap());
    let fields = eftpay::ReceivedFields::from_json(&body.json).unwrap();
    assert_eq!(PlaceOrderRequest::from_received(&fields), Ok(sent));
}

#[test]
fn a_gateway_reports_missing_and_malformed_fields() {
    let fields = eftpay::ReceivedFields::from_json(
        r#"{"service":"service.alipay.web.PreOrder","transaction_amount":"1.234","payType":"Alipay","wallet":"ALIPAYHK","pay_scene":"WEB","subject":"x"}"#,
    )
    .unwrap();
    let violations = PlaceOrderRequest::from_received(&fields).unwrap_err();
    assert!(violations.has("transaction_amount", Rule::Malformed), "{violations}");
    assert!(violations.has("out_trade_no", Rule::Required), "{violations}");
    assert!(!violations.has("transaction_amount", Rule::Required), "malformed is not also reported missing");
    assert_eq!(violations.len(), 2, "{violations}");
}

// ---- rules of the other scenes, stated as data in their tables ----

#[test]
fn app_active_time_must_be_a_multiple_of_60() {
    use eftpay::{AppPreOrderRequest, BuyerType};
    let mut order = AppPreOrderRequest::new(
        amount("1.00"),
        eftpay::OutTradeNo::new("rrn_app_1"),
        PayType::WeChat,
        BuyerType::Ios,
        "app order",
        Wallet::WeChatHk,
        "goods",
        PayScene::App,
    );
    order.active_time = Some(900);
    assert_eq!(order.validate(), Ok(()));
    order.active_time = Some(901);
    let v = order.validate().unwrap_err();
    assert!(v.has("active_time", Rule::OutOfRange), "{v}");
    assert!(v.to_string().contains("multiple of 60"), "{v}");
}

#[test]
fn an_interface_without_a_service_field_still_checks_payment_type_and_wallet() {
    use eftpay::{AppPreOrderRequest, BuyerType};
    let order = |pay_type: PayType, wallet: Wallet| {
        AppPreOrderRequest::new(
            amount("1.00"),
            eftpay::OutTradeNo::new("rrn_app_2"),
            pay_type,
            BuyerType::Android,
            "s",
            wallet,
            "b",
            PayScene::App,
        )
    };
    assert_eq!(order(PayType::Alipay, Wallet::AlipayHk).validate(), Ok(()));
    let v = order(PayType::Alipay, Wallet::WeChatHk).validate().unwrap_err();
    assert!(v.has("wallet", Rule::NotForService), "{v}");
    let v = order(PayType::Atome, Wallet::Atome).validate().unwrap_err();
    assert!(v.has("payType", Rule::NotForService), "{v}");
}

#[test]
fn a_cashier_order_carries_no_payment_type_or_wallet() {
    use eftpay::CashierPreOrderRequest;
    let mut order = CashierPreOrderRequest::new(
        Service::CashierPreOrder,
        amount("1.00"),
        eftpay::OutTradeNo::new("rrn_cashier_1"),
        "s",
        PayScene::Wap,
        "https://merchant.example/return",
    );
    assert_eq!(order.validate(), Ok(()));
    order.pay_scene = PayScene::Web;
    assert!(order.validate().unwrap_err().has("pay_scene", Rule::NotForService));
}

#[test]
fn qrcode_requests_name_the_wallet_payment_type_on_the_wire() {
    use eftpay::{OutgoingMessage, QrcodePreOrderRequest};
    assert!(QrcodePreOrderRequest::SIGNED_FIELDS.contains(&"payment_type"));
    assert!(QrcodePreOrderRequest::SIGNED_FIELDS.contains(&"paytype"));
    let order = eftpay::services::AlipayQrcodePreOrder::place_order(
        eftpay::wallets::AlipayBoth,
        amount("2.00"),
        eftpay::OutTradeNo::new("rrn_qr_1"),
        "counter",
        "https://merchant.example/notify",
    )
    .build();
    assert_eq!(order.validate(), Ok(()));
    let mut wrong = order.clone();
    wrong.payment_type = Wallet::WeChatHk;
    assert!(wrong.validate().unwrap_err().has("payment_type", Rule::NotForService));
}

#[test]
fn every_service_of_every_scene_validates_as_its_typed_constructor_builds_it() {
    // Rows are data; their count is read from the catalog, never written here.
    let rows = eftpay::CATALOG.services.len();
    assert!(rows > 0);
    for row in eftpay::CATALOG.services {
        let info = eftpay::CATALOG.interface(row.interface).unwrap();
        assert!(info.purpose.kind() == eftpay::rules::InterfaceKind::Request, "{}", row.name);
    }
}
