//! What eftPay sends parses leniently (unknown values and fields kept), verifies strictly, and
//! gets a signed acknowledgement; the test helper signs bodies merchants' own tests can use.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)] // test code

#[cfg(feature = "axum")]
mod capture;

/// The minimal fixture spec of the integration tests, expanded here: a spec with its own
/// catalog, notification and recognition rule, and no acknowledgement.
mod minimal {
    eftpay_macros::include_spec!("../tests/fixtures/minimal");
}

use eftpay::Notification;
use eftpay::notify::{self, AckError, Answer};
use eftpay::rules::Purpose;
use eftpay::signing::sign_fields;
use eftpay::verify::verify_fields;
use eftpay::{
    BuyerType, CATALOG, Credentials, FixedClock, HkTime, IncomingError, IncomingMessage, PlaceOrderResponse,
    ReceivedFields, Secret, SyncReturn, TradeStatus, TradeType, VerifyError, Wallet,
};

/// The seed's response example (note `"buyerType": "andriod"` and the undocumented `subject`).
const SEED_RESPONSE: &str = r#"{
"user_confirm_key": "S0003469", "return_status": "00", "return_char": "", "wallet": "ALIPAYHK",
"pay_apptrade": "https://vmp.eftpay.com.cn/VMP/web/payPage?userkey=12345678&outTradeNo=20190824010716&sign=5c24f30f758d86e2ba1cc1a291aa6d392f563180584f071d2d725eff52947f05",
"subject": "test测试", "transaction_amount": "0.04", "eft_trade_no": "08520005269190824010701722",
"sign": "26c89dd6684dd6f60569a502c920793ca82bb39f86fe0250bdb2256db8100d11", "fee_type": "HKD",
"tid": "tid_3378", "buyerType": "andriod", "out_trade_no": "rrn_1686280006002", "time": "20230609110646", "payType": "Alipay"
}"#;

/// The payment notification example of docs/protocol.md §6 (its secret is not public).
const DOC_NOTIFICATION: &str = r#"{"currency":"HKD","eft_trade_no":"20005269520084311t5rutcv1734","eftpay_trade_no":"20005269520084311t5rutcv1734","gmt_payment":"2019-09-24 02:20:29","notify_type":"trade_status_sync","out_trade_no":"rrn_1686280005975","sign":"9fdff8df93645e4b24919543f46c6b1219f80e7f47341d0c04834ee303903449","time":"20230609110645","total_fee":"1","trade_no":"2019082422001386450540290447","trade_status":"TRADE_SUCCESS","user_confirm_key":"S0003469","wallet":"ALIPAYCN","transaction_id":"2020012022001386451433772415","trade_type":"SALE"}"#;

const SECRET: &str = "test-secret-not-real";

#[test]
fn the_seed_response_example_parses_with_misspelt_values_and_unknown_fields() {
    let fields = ReceivedFields::from_json(SEED_RESPONSE).unwrap();
    let response = PlaceOrderResponse::from_fields(&fields).unwrap();
    assert_eq!(response.buyer_type, Some(BuyerType::from_wire("andriod")));
    assert!(!response.buyer_type.as_ref().unwrap().is_known());
    assert_eq!(response.wallet, Some(Wallet::AlipayHk));
    assert_eq!(response.transaction_amount.unwrap().to_string(), "0.04");
    assert_eq!(response.return_char, None, "an empty return_char counts as absent");
    assert_eq!(response.extra.get("subject").map(ToString::to_string), Some("test测试".to_owned()));
}

#[test]
fn the_doc_notification_example_parses_and_fails_only_its_signature() {
    let fields = ReceivedFields::from_json(DOC_NOTIFICATION).unwrap();
    let Notification::Payment(payment) = Notification::from_fields(&fields).unwrap() else { panic!("a payment") };
    assert_eq!(payment.trade_status, Some(TradeStatus::TradeSuccess));
    assert_eq!(payment.trade_type, Some(TradeType::Sale));
    assert_eq!(payment.total_fee.unwrap().cents(), 100, "\"1\" is one dollar");
    assert_eq!(payment.gmt_payment, Some(HkTime::parse_dashed("2019-09-24 02:20:29").unwrap()));
    assert_eq!(notify::verify_notification(DOC_NOTIFICATION, &Secret::new(SECRET)).unwrap_err(), VerifyError::Mismatch);
}

#[test]
fn a_signed_payment_notification_verifies_into_a_payment() {
    let body = notify::sign_for_test(DOC_NOTIFICATION, &Secret::new(SECRET)).unwrap();
    let verified = notify::verify_notification(&body, &Secret::new(SECRET)).unwrap();
    assert!(matches!(verified.message(), Notification::Payment(_)));
    assert_eq!(verified.out_trade_no(), Some("rrn_1686280005975"));
    assert_eq!(verified.trade_status(), Some(&TradeStatus::TradeSuccess));
}

#[test]
fn a_refund_notification_is_told_from_a_payment() {
    let body = notify::sign_for_test(
        r#"{"notify_type":"trade_status_sync","out_trade_no":"rrn_1","refund_no":"rf_1","return_amount":"0.20","total_fee":"1.00","trade_status":"TRADE_REFUND","trade_type":"REFUND","rejectReason":""}"#,
        &Secret::new(SECRET),
    )
    .unwrap();
    let verified = notify::verify_notification(&body, &Secret::new(SECRET)).unwrap();
    let Notification::Refund(refund) = verified.message() else { panic!("a refund") };
    assert_eq!(refund.return_amount.unwrap().to_string(), "0.20");
    assert_eq!(refund.total_fee.unwrap().to_string(), "1.00", "total_fee stays the order total");
    assert_eq!(refund.refund_no.as_deref(), Some("rf_1"));
}

#[test]
fn sign_for_test_keeps_values_exactly_and_replaces_an_old_sign() {
    let body =
        notify::sign_for_test(r#"{"a":1e2,"b":null,"c":{"x":[1, 2]},"sign":"old"}"#, &Secret::new(SECRET)).unwrap();
    assert!(body.starts_with(r#"{"a":1e2,"b":null,"c":{"x":[1,2]},"sign":""#), "{body}");
    assert_eq!(verify_fields(&ReceivedFields::from_json(&body).unwrap(), &Secret::new(SECRET)), Ok(()));
}

#[test]
fn a_tampered_notification_is_refused() {
    let body = notify::sign_for_test(DOC_NOTIFICATION, &Secret::new(SECRET)).unwrap();
    let tampered = body.replace(r#""total_fee":"1""#, r#""total_fee":"1000""#);
    assert_eq!(notify::verify_notification(&tampered, &Secret::new(SECRET)).unwrap_err(), VerifyError::Mismatch);
}

#[test]
fn the_acknowledgement_is_signed_and_carries_only_its_fields() {
    let credentials = Credentials::new("TESTKEY00001", SECRET);
    let clock = FixedClock::new(HkTime::parse_compact("20230609110700").unwrap());
    let ack = notify::acknowledge(Answer::Handled, &credentials, &clock);
    let fields = ReceivedFields::from_json(&ack.body).unwrap();
    let names: Vec<&str> = fields.iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["return_code", "time", "sign"]);
    assert_eq!(fields.text("return_code"), Some("success"));
    assert_eq!(verify_fields(&fields, &credentials.secret), Ok(()));
    assert_eq!(ack.content_type(), "application/json; charset=utf-8");
    let refused = notify::acknowledge(Answer::NotHandled, &credentials, &clock);
    assert!(refused.body.starts_with(r#"{"return_code":"false""#));
}

#[test]
fn the_synchronous_return_is_verified_from_its_form() {
    let secret = Secret::new(SECRET);
    let pairs =
        [("out_trade_no", "rrn_1"), ("total_fee", "0.53"), ("trade_status", "TRADE_SUCCESS"), ("subject", "測試 & =")];
    let sign = sign_fields(&ReceivedFields::from_pairs(pairs).unwrap(), &secret);
    let mut form = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        form.append_pair(k, v);
    }
    form.append_pair("sign", &sign);
    let body = form.finish();
    let verified = notify::verify_return::<SyncReturn>(&body, &secret).unwrap();
    assert_eq!(verified.trade_status, Some(TradeStatus::TradeSuccess));
    assert_eq!(verified.extra.get("subject").map(ToString::to_string), Some("測試 & =".to_owned()));
    assert_eq!(
        notify::verify_return::<SyncReturn>(&body.replace("0.53", "5.30"), &secret).unwrap_err(),
        VerifyError::Mismatch
    );
}

#[test]
fn a_sentinel_secret_never_appears_in_any_text() {
    let sentinel = "SENTINEL-SECRET-0001";
    let secret = Secret::new(sentinel);
    let credentials = Credentials::new("TESTKEY00001", sentinel);
    let body = notify::sign_for_test(DOC_NOTIFICATION, &secret).unwrap();
    let expected_sign = ReceivedFields::from_json(&body).unwrap().text("sign").unwrap().to_owned();
    let mut texts =
        vec![format!("{secret:?}"), format!("{secret}"), format!("{credentials:?}"), format!("{credentials:#?}")];
    for error in [
        notify::verify_notification(&body.replace("rrn_", "xrn_"), &secret).unwrap_err(),
        notify::verify_notification("{}", &secret).unwrap_err(),
        notify::verify_notification("not json", &secret).unwrap_err(),
        notify::verify_notification(r#"{"a":"1","a":"2"}"#, &secret).unwrap_err(),
        notify::verify_notification(&notify::sign_for_test(r#"{"total_fee":"x"}"#, &secret).unwrap(), &secret)
            .unwrap_err(),
    ] {
        texts.push(error.to_string());
        texts.push(format!("{error:?}"));
    }
    for text in texts {
        assert!(!text.contains(sentinel), "{text}");
        assert!(!text.contains(&expected_sign), "{text}");
    }
}

#[test]
fn a_refund_notification_without_trade_type_is_still_a_refund_by_its_refund_no() {
    // One rule for every caller: the spec's recognition rules (refund_no alone marks a refund).
    let body = notify::sign_for_test(
        r#"{"notify_type":"trade_status_sync","out_trade_no":"rrn_1","refund_no":"rf_1","total_fee":"1.00","trade_status":"TRADE_REFUND"}"#,
        &Secret::new(SECRET),
    )
    .unwrap();
    let verified = notify::verify_notification(&body, &Secret::new(SECRET)).unwrap();
    assert!(matches!(verified.message(), Notification::Refund(_)), "{:?}", verified.message());
}

#[test]
fn a_re_signed_place_order_reply_is_not_accepted_as_a_notification() {
    let reply = notify::sign_for_test(SEED_RESPONSE, &Secret::new(SECRET)).unwrap();
    let error = notify::verify_notification(&reply, &Secret::new(SECRET)).unwrap_err();
    assert_eq!(error, VerifyError::Field(IncomingError::Unrecognized { expected: "notification" }));
}

#[test]
fn a_signed_query_reply_with_notification_fields_is_not_a_notification() {
    let reply = notify::sign_for_test(
        r#"{"return_status":"00","notify_type":"trade_status_sync","out_trade_no":"rrn_1","trade_status":"TRADE_SUCCESS","trade_type":"SALE"}"#,
        &Secret::new(SECRET),
    )
    .unwrap();
    assert!(matches!(
        notify::verify_notification(&reply, &Secret::new(SECRET)),
        Err(VerifyError::Field(IncomingError::Unrecognized { .. }))
    ));
}

#[test]
fn the_merchants_own_acknowledgement_is_not_a_notification() {
    let credentials = Credentials::new("S0003469", SECRET);
    let clock = FixedClock::new(HkTime::parse_compact("20230609110700").unwrap());
    let ack = notify::acknowledge(Answer::Handled, &credentials, &clock);
    assert!(matches!(
        notify::verify_notification(&ack.body, &credentials.secret),
        Err(VerifyError::Field(IncomingError::Unrecognized { .. }))
    ));
}

#[test]
fn a_notification_reports_its_age_from_its_signed_time() {
    let body = notify::sign_for_test(DOC_NOTIFICATION, &Secret::new(SECRET)).unwrap();
    let verified = notify::verify_notification(&body, &Secret::new(SECRET)).unwrap();
    let now = HkTime::parse_compact("20230609111645").unwrap();
    assert_eq!(verified.time(), Some(HkTime::parse_compact("20230609110645").unwrap()));
    assert_eq!(verified.age(now), Some(600));
}

#[test]
fn an_opt_in_maximum_age_refuses_an_old_notification_replayed() {
    use std::time::Duration;
    let body = notify::sign_for_test(DOC_NOTIFICATION, &Secret::new(SECRET)).unwrap();
    let ten_days_later = FixedClock::new(HkTime::parse_compact("20230619110645").unwrap());
    let error =
        notify::verify_notification_within(&body, &Secret::new(SECRET), Duration::from_secs(3600), &ten_days_later)
            .unwrap_err();
    assert_eq!(error, VerifyError::Stale { age_seconds: 864_000, max_seconds: 3600 });
    let a_minute_later = FixedClock::new(HkTime::parse_compact("20230609110745").unwrap());
    assert!(
        notify::verify_notification_within(&body, &Secret::new(SECRET), Duration::from_secs(3600), &a_minute_later)
            .is_ok()
    );
}

#[test]
fn a_maximum_age_refuses_a_notification_without_time() {
    use std::time::Duration;
    let body = notify::sign_for_test(
        r#"{"notify_type":"trade_status_sync","out_trade_no":"rrn_1","trade_status":"TRADE_SUCCESS"}"#,
        &Secret::new(SECRET),
    )
    .unwrap();
    let clock = FixedClock::new(HkTime::parse_compact("20230609110745").unwrap());
    let error =
        notify::verify_notification_within(&body, &Secret::new(SECRET), Duration::from_secs(60), &clock).unwrap_err();
    assert_eq!(error, VerifyError::Undated);
}

// ---------------------------------------------------------------------------------------------
// Through a catalog
// ---------------------------------------------------------------------------------------------

#[test]
fn the_acknowledgement_is_built_from_the_catalogs_acknowledgement_interface() {
    let credentials = Credentials::new("TESTKEY00001", SECRET);
    let clock = FixedClock::new(HkTime::parse_compact("20230609110700").unwrap());
    for (answer, code) in [(Answer::Handled, "success"), (Answer::NotHandled, "false")] {
        let ack = notify::acknowledge_in(&CATALOG, answer, &credentials, &clock).unwrap();
        assert_eq!(ack, notify::acknowledge(answer, &credentials, &clock));
        assert_eq!((ack.answer, ack.code), (answer, code));
        let fields = ReceivedFields::from_json(&ack.body).unwrap();
        assert_eq!(fields.text("return_code"), Some(code));
        assert_eq!(fields.text("time"), Some("20230609110700"));
        assert_eq!(verify_fields(&fields, &credentials.secret), Ok(()));
    }
}

#[test]
fn a_spec_without_an_acknowledgement_cannot_acknowledge() {
    let credentials = Credentials::new("TESTKEY00001", SECRET);
    let clock = FixedClock::new(HkTime::parse_compact("20230609110700").unwrap());
    let error = notify::acknowledge_in(&minimal::CATALOG, Answer::Handled, &credentials, &clock).unwrap_err();
    assert_eq!(error, AckError::NoInterface);
    assert!(error.to_string().contains("add one to the spec"), "{error}");
}

#[test]
fn verify_notification_in_recognizes_each_notification_through_the_catalog() {
    let secret = Secret::new(SECRET);
    let payment = notify::sign_for_test(DOC_NOTIFICATION, &secret).unwrap();
    let refund = notify::sign_for_test(
        r#"{"notify_type":"trade_status_sync","out_trade_no":"rrn_1","refund_no":"rf_1","total_fee":"1.00","trade_status":"TRADE_REFUND"}"#,
        &secret,
    )
    .unwrap();

    let payment = notify::verify_notification_in(&CATALOG, &payment, &secret).unwrap();
    let refund = notify::verify_notification_in(&CATALOG, &refund, &secret).unwrap();

    assert_eq!(payment.interface.purpose, Purpose::PaymentNotification);
    assert!(payment.verified.fields.contains(&("trade_status", "TRADE_SUCCESS".to_owned())), "{payment:?}");
    assert_eq!(payment.verified.fields().text("out_trade_no"), Some("rrn_1686280005975"));
    assert_eq!(refund.interface.purpose, Purpose::RefundNotification);
    assert!(refund.verified.fields.contains(&("refund_no", "rf_1".to_owned())), "{refund:?}");
}

#[test]
fn verify_notification_in_refuses_what_is_not_a_notification_or_not_intact() {
    let secret = Secret::new(SECRET);
    let credentials = Credentials::new("S0003469", SECRET);
    let clock = FixedClock::new(HkTime::parse_compact("20230609110700").unwrap());
    let reply = notify::sign_for_test(SEED_RESPONSE, &secret).unwrap();
    let ack = notify::acknowledge(Answer::Handled, &credentials, &clock).body;
    for body in [reply, ack] {
        let error = notify::verify_notification_in(&CATALOG, &body, &secret).unwrap_err();
        assert_eq!(error, VerifyError::Field(IncomingError::Unrecognized { expected: "notification" }), "{body}");
    }
    let tampered = notify::sign_for_test(DOC_NOTIFICATION, &secret).unwrap().replace("rrn_", "xrn_");
    assert_eq!(notify::verify_notification_in(&CATALOG, &tampered, &secret).unwrap_err(), VerifyError::Mismatch);
    let malformed = notify::sign_for_test(r#"{"notify_type":"trade_status_sync","total_fee":"x"}"#, &secret).unwrap();
    assert!(matches!(notify::verify_notification_in(&CATALOG, &malformed, &secret), Err(VerifyError::Field(_))));
}

#[test]
fn a_fixture_specs_notification_is_recognized_by_its_own_catalog() {
    let secret = Secret::new(SECRET);
    let body =
        notify::sign_for_test(r#"{"notify_type":"anything","out_trade_no":"rrn_1","time":"20230609110645"}"#, &secret)
            .unwrap();

    let recognized = notify::verify_notification_in(&minimal::CATALOG, &body, &secret).unwrap();

    assert_eq!(recognized.interface.name, "payment_notification");
    assert!(std::ptr::eq(recognized.interface, minimal::Interface::PaymentNotification.info()));
    assert!(recognized.verified.fields.contains(&("out_trade_no", "rrn_1".to_owned())));
    let reply = notify::sign_for_test(r#"{"notify_type":"x","return_status":"00"}"#, &secret).unwrap();
    assert!(matches!(
        notify::verify_notification_in(&minimal::CATALOG, &reply, &secret),
        Err(VerifyError::Field(IncomingError::Unrecognized { .. }))
    ));
}

// ---------------------------------------------------------------------------------------------
// The axum route
// ---------------------------------------------------------------------------------------------

#[cfg(feature = "axum")]
mod route {
    use std::sync::Arc;

    use eftpay::notify::axum::{notification_route_in, notification_route_with_clock};
    use eftpay::{Clock, Credentials, FixedClock, HkTime, Secret, notify};

    use super::{DOC_NOTIFICATION, SECRET, capture, minimal};

    const SENTINEL: &str = "SENTINEL-SECRET-0001";

    fn clock() -> Arc<dyn Clock> {
        Arc::new(FixedClock::new(HkTime::parse_compact("20230609110700").unwrap()))
    }

    /// Serves `route` at `/notify` on 127.0.0.1 and returns its URL.
    async fn serve(route: axum::routing::MethodRouter) -> String {
        let app = axum::Router::new().route("/notify", route);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        format!("http://{address}/notify")
    }

    async fn post(url: &str, body: String) -> (u16, String) {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let response =
            eftpay::gateway::http_client_builder().unwrap().build().unwrap().post(url).body(body).send().await.unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    }

    #[tokio::test]
    async fn every_refused_body_is_logged_with_its_reason_and_nothing_of_it() {
        let (captured, _guard) = capture::capture();
        let credentials = Credentials::new("TESTKEY00001", SENTINEL);
        let url = serve(notification_route_with_clock(credentials, clock(), |_| async {
            Ok::<(), std::convert::Infallible>(())
        }))
        .await;
        let secret = Secret::new(SENTINEL);
        let genuine = notify::sign_for_test(DOC_NOTIFICATION, &secret).unwrap();
        let tampered = genuine.replace("rrn_1686280005975", "BODY-MARKER-0001");
        let reply =
            notify::sign_for_test(r#"{"return_status":"00","notify_type":"BODY-MARKER-0002"}"#, &secret).unwrap();
        let malformed =
            notify::sign_for_test(r#"{"notify_type":"x","total_fee":"BODY-MARKER-0003"}"#, &secret).unwrap();

        for body in [tampered, reply, malformed, "BODY-MARKER-0004".to_owned()] {
            let (status, ack) = post(&url, body).await;
            assert_eq!(status, 400);
            assert!(ack.starts_with(r#"{"return_code":"false""#), "{ack}");
        }
        let (status, ack) = post(&url, genuine.clone()).await;
        assert_eq!(status, 200);
        assert!(ack.starts_with(r#"{"return_code":"success""#), "{ack}");

        let text = captured.text();
        let warnings: Vec<&str> = text.lines().filter(|l| l.starts_with("event WARN eftpay::notify")).collect();
        assert_eq!(warnings.len(), 4, "{text}");
        for reason in ["signature does not match", "no rule of the spec recognizes", "documented form", "JSON"] {
            assert!(warnings.iter().any(|w| w.contains(reason)), "{reason}: {text}");
        }
        assert!(!text.contains("BODY-MARKER") && !text.contains(SENTINEL), "{text}");
        let sign = eftpay::ReceivedFields::from_json(&genuine).unwrap().text("sign").unwrap().to_owned();
        assert!(!text.contains(&sign), "{text}");
    }

    #[tokio::test]
    async fn a_fixture_specs_route_takes_its_notification_type() {
        let (captured, _guard) = capture::capture();
        let credentials = Credentials::new("TESTKEY00001", SECRET);
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let handler_seen = Arc::clone(&seen);
        let route = notification_route_in(
            &minimal::CATALOG,
            credentials,
            clock(),
            move |_: axum::extract::State<()>, n: eftpay::Verified<minimal::Notification>| {
                let seen = Arc::clone(&handler_seen);
                async move {
                    let minimal::Notification::Payment(payment) = n.into_message();
                    seen.lock().unwrap().push(payment.out_trade_no);
                    Ok::<(), std::convert::Infallible>(())
                }
            },
        );
        let url = serve(route).await;
        let body =
            notify::sign_for_test(r#"{"notify_type":"x","out_trade_no":"rrn_1"}"#, &Secret::new(SECRET)).unwrap();

        let (status, _) = post(&url, body).await;

        // The fixture's spec has no acknowledgement: the notification is handled, and the
        // missing answer reported.
        assert_eq!(seen.lock().unwrap().as_slice(), [Some("rrn_1".to_owned())]);
        assert_eq!(status, 500);
        assert!(captured.text().contains("no acknowledgement interface"), "{}", captured.text());
    }

    /// An error with a cause, as a database layer's would be.
    #[derive(Debug)]
    struct Outer(std::io::Error);

    impl std::fmt::Display for Outer {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("could not record the payment")
        }
    }

    impl std::error::Error for Outer {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    #[tokio::test]
    async fn the_handler_takes_the_routers_state_and_its_error_is_logged_with_its_causes() {
        use axum::extract::State;
        use eftpay::notify::axum::notification_route_with_state;

        let (captured, _guard) = capture::capture();
        let credentials = Credentials::new("TESTKEY00001", SECRET);
        // The state: how many notifications were handled; fails from the second on.
        let handled = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let route = notification_route_with_state(
            credentials,
            |State(handled): State<Arc<std::sync::atomic::AtomicUsize>>, _notification| async move {
                if handled.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
                    Ok(())
                } else {
                    Err(Outer(std::io::Error::other("disk I/O error (SQLITE_IOERR)")))
                }
            },
        );
        let app = axum::Router::new().route("/notify", route).with_state(Arc::clone(&handled));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/notify", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        let body = notify::sign_for_test(DOC_NOTIFICATION, &Secret::new(SECRET)).unwrap();

        let (_, first) = post(&url, body.clone()).await;
        let (_, second) = post(&url, body).await;

        assert_eq!(handled.load(std::sync::atomic::Ordering::SeqCst), 2, "the router's state reached the handler");
        assert!(first.starts_with(r#"{"return_code":"success""#), "{first}");
        assert!(second.starts_with(r#"{"return_code":"false""#), "{second}");
        let text = captured.text();
        assert!(
            text.contains("could not record the payment: disk I/O error (SQLITE_IOERR)"),
            "the handler's error and its cause: {text}"
        );
    }
}
