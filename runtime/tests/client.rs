#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The HTTP client against a real HTTP server on 127.0.0.1 that plays eftPay: it records every
//! request and answers as each test scripts it, signing its replies with the same fake secret.

mod capture;
mod fake_gateway;

use std::sync::Arc;
use std::time::{Duration, Instant};

use eftpay::{ReceiveLimits, redact_url};

const MAX_BODY_BYTES: usize = ReceiveLimits::DEFAULT.max_body_bytes;
use eftpay::rules::Meaning;
use eftpay::services::{
    AlipayQrcodeClose, AlipayQrcodePreOrder, AlipayWebPreOrder, AlipayWebRefund, WechatWebApplyRefund,
};
use eftpay::signing::{canonical_string, sign_fields};
use eftpay::verify::verify_fields;
use eftpay::wallets::{AlipayBoth, AlipayHk, WeChatHk};
use eftpay::{
    Amount, CATALOG, Client, ClientBuilder, ClientError, Clock, Credentials, FixedClock, HkTime, Interface,
    OutgoingMessage, PlaceOrderRequest, QueryRequest, ReceivedFields, ReceivedValue, RefundRequest, ReturnStatus, Rule,
    Secret, TradeStatus, TradeType, VerifyError,
};
use fake_gateway::{FakeGateway, Reply, signed_with};

const USER_KEY: &str = "TESTKEY00001";
const SECRET: &str = "test-secret-not-real";
const SENTINEL: &str = "SENTINEL-SECRET-0001";
const NOW: &str = "20240102030405";

// ---------------------------------------------------------------------------------------------
// The fake gateway
// ---------------------------------------------------------------------------------------------

// What only this file asks of the shared fake (runtime/tests/fake_gateway): a client for it.
impl FakeGateway {
    /// A client for this server with the test secret, a fixed clock and a backoff of a few ms.
    fn client(&self) -> ClientBuilder {
        self.client_with_secret(SECRET)
    }

    fn client_with_secret(&self, secret: &str) -> ClientBuilder {
        // The trailing slash is the client's to trim.
        Client::builder(Credentials::new(USER_KEY, secret))
            .base_url(format!("{}/", self.base_url))
            .clock(Arc::new(FixedClock::new(HkTime::parse_compact(NOW).unwrap())))
            .retry_backoff(Duration::from_millis(5))
    }
}

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

fn signed(pairs: &[(&str, &str)]) -> String {
    signed_with(SECRET, pairs)
}

/// HTTP 500 for the first `failures` requests, then `pairs`, signed.
fn fails_then_answers(n: usize, failures: usize, pairs: &[(&str, &str)]) -> Reply {
    if n < failures { Reply::status(500, "internal error") } else { Reply::ok(signed(pairs)) }
}

const PLACE_ORDER_ACCEPTED: &[(&str, &str)] = &[
    ("return_status", "00"),
    ("time", NOW),
    ("pay_apptrade", "https://pay.example/alipay/abc"),
    ("user_confirm_key", USER_KEY),
    ("out_trade_no", "rrn_1"),
    ("payType", "Alipay"),
    ("wallet", "ALIPAYHK"),
    ("eft_trade_no", "20005269520084311t5rutcv1734"),
    ("transaction_amount", "0.53"),
];

const QUERY_ANSWERED: &[(&str, &str)] = &[
    ("return_status", "00"),
    ("time", NOW),
    ("out_trade_no", "rrn_1"),
    ("eft_trade_no", "20005269520084311t5rutcv1734"),
    ("trade_status", "TRADE_SUCCESS"),
    ("trade_type", "SALE"),
    ("user_confirm_key", USER_KEY),
];

fn place_order() -> PlaceOrderRequest {
    AlipayWebPreOrder::place_order(
        AlipayHk,
        Amount::parse("0.53").unwrap(),
        eftpay::OutTradeNo::new("rrn_1"),
        "test",
        "https://merchant.example/return",
    )
    .notify_url("https://merchant.example/notify")
    .into()
}

fn query() -> QueryRequest {
    let mut request = QueryRequest::new();
    request.out_trade_no = Some("rrn_1".to_owned());
    request
}

fn amount(text: &str) -> Amount {
    Amount::parse(text).unwrap()
}

/// A port on 127.0.0.1 with nothing listening.
async fn closed_port() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap().port()
}

// ---------------------------------------------------------------------------------------------
// Sending
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn validation_failure_makes_no_network_call() {
    let gateway = FakeGateway::always(Reply::ok(signed(QUERY_ANSWERED))).await;
    let client = gateway.client().build().unwrap();

    let error = client.query(QueryRequest::new()).await.unwrap_err();

    let violations = error.violations().expect("an invalid request is reported with its violations");
    assert!(violations.has("eft_trade_no", Rule::AtLeastOneOf), "{violations}");
    assert_eq!(gateway.request_count(), 0);
}

#[tokio::test]
async fn place_order_sends_a_signed_json_body_the_server_can_verify() {
    let gateway = FakeGateway::always(Reply::ok(signed(PLACE_ORDER_ACCEPTED))).await;
    let client = gateway.client().build().unwrap();

    let reply = client.place_order(place_order()).await.unwrap();

    assert_eq!(reply.pay_apptrade.as_deref(), Some("https://pay.example/alipay/abc"));
    let requests = gateway.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.path, "/VMP/Servlet/JSAPIService.do");
    assert_eq!(request.content_type.as_deref(), Some("application/json; charset=utf-8"));
    let fields = request.fields();
    verify_fields(&fields, &Secret::new(SECRET)).expect("the server verifies the request's signature");
    // The body carries exactly the signed fields (docs/protocol.md §2): every one is a field the
    // message signs, none is empty, and nothing else but `sign` is there.
    let mut names: Vec<&str> = fields.iter().map(|(name, _)| name).filter(|name| *name != "sign").collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "notify_url",
            "out_trade_no",
            "payType",
            "pay_scene",
            "return_url",
            "service",
            "subject",
            "time",
            "transaction_amount",
            "user_confirm_key",
            "wallet"
        ]
    );
    assert!(names.iter().all(|name| PlaceOrderRequest::SIGNED_FIELDS.contains(name)));
    assert_eq!(canonical_string(&fields).matches('&').count() + 1, names.len(), "every field is signed");
    assert_eq!(fields.text("time"), Some(NOW));
    assert_eq!(fields.text("user_confirm_key"), Some(USER_KEY));
    assert_eq!(fields.text("transaction_amount"), Some("0.53"));
}

#[tokio::test]
async fn query_by_refund_no() {
    let gateway = FakeGateway::start(|_, request| {
        let fields = request.fields();
        Reply::ok(signed(&[
            ("return_status", "00"),
            ("time", NOW),
            ("out_trade_no", fields.text("out_trade_no").unwrap()),
            ("refund_no", fields.text("refund_no").unwrap()),
            ("eft_trade_no", "20005269520084311t5rutcv1734"),
            ("user_confirm_key", USER_KEY),
            ("trade_status", "TRADE_REFUND"),
            ("trade_type", "REFUND"),
            ("transaction_amount", "0.20"),
        ]))
    })
    .await;
    let client = gateway.client().build().unwrap();
    let mut request = query();
    request.refund_no = Some("refund_1".to_owned());

    let reply = client.query(request).await.unwrap();

    let sent = &gateway.requests()[0];
    assert_eq!(sent.path, "/VMP/Servlet/QRcodeTradeQuery.do");
    assert_eq!(sent.fields().text("querytype"), Some("OUT_TRADE"));
    assert_eq!(sent.fields().text("refund_no"), Some("refund_1"));
    assert_eq!(reply.refund_no.as_deref(), Some("refund_1"));
    assert_eq!(reply.trade_type, Some(TradeType::Refund));
    assert_eq!(reply.trade_status, Some(TradeStatus::TradeRefund));
    assert_eq!(reply.transaction_amount, Some(amount("0.20")));
}

#[tokio::test]
async fn client_and_its_futures_can_move_between_threads() {
    fn assert_shareable<T: Send + Sync + Clone + 'static>(_: &T) {}
    let gateway = FakeGateway::always(Reply::ok(signed(PLACE_ORDER_ACCEPTED))).await;
    let client = gateway.client().build().unwrap();

    assert_shareable(&client);
    // `tokio::spawn` only takes futures that are `Send`, as web frameworks' handlers must be.
    let reply = tokio::spawn(async move { client.place_order(place_order()).await }).await.unwrap();

    reply.unwrap();
}

// ---------------------------------------------------------------------------------------------
// Replies
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn tampered_response_is_rejected() {
    let tampered = signed(PLACE_ORDER_ACCEPTED).replace("https://pay.example/alipay/abc", "https://evil.example/");
    let gateway = FakeGateway::always(Reply::ok(tampered)).await;
    let client = gateway.client().build().unwrap();

    let error = client.place_order(place_order()).await.unwrap_err();

    assert!(
        matches!(error, ClientError::Verification { cause: VerifyError::Mismatch, .. }),
        "expected a signature mismatch, got {error:?}"
    );
}

#[tokio::test]
async fn unsigned_accepted_reply_is_rejected() {
    let unsigned = r#"{"return_status":"00","time":"20240102030405","pay_apptrade":"https://pay.example/x"}"#;
    let gateway = FakeGateway::always(Reply::ok(unsigned.to_owned())).await;
    let client = gateway.client().build().unwrap();

    let error = client.place_order(place_order()).await.unwrap_err();

    assert!(matches!(error, ClientError::Verification { cause: VerifyError::MissingSignature, .. }), "{error:?}");
}

#[tokio::test]
async fn unsigned_negative_status_reply_is_a_gateway_error() {
    let body = r#"{"return_status":"-13","return_char":"invalid service"}"#;
    let gateway = FakeGateway::always(Reply::ok(body.to_owned())).await;
    let client = gateway.client().build().unwrap();

    let error = client.place_order(place_order()).await.unwrap_err();

    let refusal = error.gateway().unwrap_or_else(|| panic!("expected a gateway error, got {error:?}"));
    assert_eq!(refusal.meaning(), Some(Meaning::InvalidService));
    assert_eq!(refusal.code(), "-13");
    assert_eq!(refusal.code_as::<ReturnStatus>(), ReturnStatus::InvalidService);
    assert_eq!(refusal.text(), Some("invalid service"));
    assert!(!refusal.is_verified());
    assert!(error.to_string().contains("unverified"), "{error}");
}

#[tokio::test]
async fn unsigned_non_negative_error_reply_is_not_trusted() {
    let body = r#"{"return_status":"12","return_char":"time mismatch"}"#;
    let gateway = FakeGateway::always(Reply::ok(body.to_owned())).await;
    let client = gateway.client().build().unwrap();

    let error = client.place_order(place_order()).await.unwrap_err();

    assert!(matches!(error, ClientError::Verification { cause: VerifyError::MissingSignature, .. }), "{error:?}");
}

#[tokio::test]
async fn signed_error_reply_is_a_gateway_error_with_code_and_text() {
    let body = signed(&[("return_status", "12"), ("return_char", "time mismatch"), ("time", NOW)]);
    let gateway = FakeGateway::always(Reply::ok(body)).await;
    let client = gateway.client().build().unwrap();

    let error = client.place_order(place_order()).await.unwrap_err();

    let refusal = error.gateway().unwrap_or_else(|| panic!("expected a gateway error, got {error:?}"));
    assert_eq!(refusal.meaning(), Some(Meaning::TimeMismatch));
    assert_eq!(refusal.text(), Some("time mismatch"));
    assert!(refusal.is_verified());
    assert!(error.to_string().contains("clock"), "the message says what to do: {error}");
}

#[tokio::test]
async fn error_reply_with_a_wrong_signature_is_rejected() {
    // Even a negative code, which eftPay sends unsigned, must verify once it carries a `sign`.
    let body = signed(&[("return_status", "-13"), ("return_char", "invalid service")])
        .replace("invalid service", "call +852 0000 0000 for help");
    let gateway = FakeGateway::always(Reply::ok(body)).await;
    let client = gateway.client().build().unwrap();

    let error = client.place_order(place_order()).await.unwrap_err();

    assert!(matches!(error, ClientError::Verification { cause: VerifyError::Mismatch, .. }), "{error:?}");
}

#[tokio::test]
async fn unknown_return_status_is_kept_verbatim() {
    let body = signed(&[("return_status", "77"), ("return_char", "something new"), ("time", NOW)]);
    let gateway = FakeGateway::always(Reply::ok(body)).await;
    let client = gateway.client().build().unwrap();

    let error = client.query(query()).await.unwrap_err();

    let refusal = error.gateway().unwrap_or_else(|| panic!("expected a gateway error, got {error:?}"));
    assert_eq!(refusal.meaning(), None);
    assert!(!refusal.code_as::<ReturnStatus>().is_known());
    assert_eq!(refusal.code(), "77");
    assert_eq!(gateway.request_count(), 1, "a refusal is an answer and is not retried");
}

#[tokio::test]
async fn http_error_status_is_reported() {
    let page = format!("<html><body>Not Found{}</body></html>", " padding".repeat(100));
    let gateway = FakeGateway::always(Reply::status(404, &page)).await;
    let client = gateway.client().build().unwrap();

    let error = client.place_order(place_order()).await.unwrap_err();

    match &error {
        ClientError::HttpStatus { status, excerpt, .. } => {
            assert_eq!(*status, 404);
            assert!(excerpt.starts_with("<html><body>Not Found"), "{excerpt}");
            assert!(excerpt.chars().count() < 200, "the excerpt is truncated: {excerpt}");
        }
        other => panic!("expected an HTTP status error, got {other:?}"),
    }
    assert!(error.to_string().contains("404"), "{error}");
}

#[tokio::test]
async fn non_json_reply_is_reported() {
    let gateway = FakeGateway::always(Reply::status(200, "<html>down for maintenance</html>")).await;
    let client = gateway.client().build().unwrap();

    let error = client.place_order(place_order()).await.unwrap_err();

    match &error {
        ClientError::NotJson { excerpt, .. } => assert_eq!(excerpt, "<html>down for maintenance</html>"),
        other => panic!("expected a not-JSON error, got {other:?}"),
    }
}

#[tokio::test]
async fn unknown_response_fields_are_kept_in_extra() {
    let mut pairs = PLACE_ORDER_ACCEPTED.to_vec();
    pairs.push(("subject", "test"));
    pairs.push(("brandNewField", "42"));
    let gateway = FakeGateway::always(Reply::ok(signed(&pairs))).await;
    let client = gateway.client().build().unwrap();

    let reply = client.place_order(place_order()).await.unwrap();

    assert_eq!(reply.extra.get("subject"), Some(&ReceivedValue::Text("test".to_owned())));
    assert_eq!(reply.extra.get("brandNewField"), Some(&ReceivedValue::Text("42".to_owned())));
    assert_eq!(reply.fields().text("brandNewField"), Some("42"));
}

// ---------------------------------------------------------------------------------------------
// Replies belong to their requests
// ---------------------------------------------------------------------------------------------

/// Ten days before [`NOW`].
const TEN_DAYS_AGO: &str = "20231223030405";

/// `pairs` with the value of `name` replaced (or added).
fn with(
    pairs: &[(&'static str, &'static str)],
    name: &'static str,
    value: &'static str,
) -> Vec<(&'static str, &'static str)> {
    let mut pairs: Vec<_> = pairs.iter().copied().filter(|(n, _)| *n != name).collect();
    pairs.push((name, value));
    pairs
}

fn refund_accepted(out_refund_no: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("return_status", "00"),
        ("time", NOW),
        ("out_trade_no", "rrn_1"),
        ("out_refund_no", out_refund_no),
        ("trade_status", "TRADE_REFUND"),
        ("user_confirm_key", USER_KEY),
        ("return_amount", "0.53"),
    ]
}

fn refund() -> RefundRequest {
    AlipayWebRefund::refund(
        AlipayHk,
        eftpay::RefundAmount::new(amount("0.53")),
        amount("0.53"),
        eftpay::OutTradeNo::new("rrn_1"),
        eftpay::RefundNo::new("refund_1"),
    )
    .into()
}

#[tokio::test]
async fn refuses_a_query_reply_about_another_order() {
    let gateway = FakeGateway::always(Reply::ok(signed(&with(QUERY_ANSWERED, "out_trade_no", "SOMEONE_ELSES")))).await;
    let client = gateway.client().build().unwrap();

    let error = client.query(query()).await.unwrap_err();

    assert!(
        matches!(&error, ClientError::Mismatch { field: "out_trade_no", asked, answered, .. }
            if asked == "rrn_1" && answered == "SOMEONE_ELSES"),
        "{error:?}"
    );
    let text = error.to_string();
    assert!(text.contains("`out_trade_no`") && text.contains("must not be trusted"), "{text}");
    assert!(text.contains("query the trade"), "says what to do: {text}");
    assert!(!text.contains('\n'), "one line: {text}");
    assert_eq!(gateway.request_count(), 1, "a reply about another order is an answer, not retried");
}

#[tokio::test]
async fn refuses_a_query_reply_about_another_refund_or_eftpay_order() {
    let gateway = FakeGateway::always(Reply::ok(signed(&with(QUERY_ANSWERED, "refund_no", "refund_2")))).await;
    let client = gateway.client().build().unwrap();
    let mut request = query();
    request.refund_no = Some("refund_1".to_owned());

    let error = client.query(request).await.unwrap_err();

    assert!(matches!(error, ClientError::Mismatch { field: "refund_no", .. }), "{error:?}");

    let gateway = FakeGateway::always(Reply::ok(signed(&with(QUERY_ANSWERED, "eft_trade_no", "E2")))).await;
    let client = gateway.client().build().unwrap();
    let mut request = query();
    request.eft_trade_no = Some("E1".to_owned());

    let error = client.query(request).await.unwrap_err();

    assert!(matches!(error, ClientError::Mismatch { field: "eft_trade_no", .. }), "{error:?}");
}

#[tokio::test]
async fn fields_the_request_did_not_send_are_not_compared() {
    // Asked by out_trade_no alone: the reply may name eftPay's number and a refund freely.
    let mut pairs = with(QUERY_ANSWERED, "eft_trade_no", "20005269520084311t5rutcv1734");
    pairs.push(("refund_no", "refund_9"));
    let gateway = FakeGateway::always(Reply::ok(signed(&pairs))).await;
    let client = gateway.client().build().unwrap();

    let reply = client.query(query()).await.unwrap();

    assert_eq!(reply.eft_trade_no.as_deref(), Some("20005269520084311t5rutcv1734"));
}

#[tokio::test]
async fn refuses_a_refund_reply_about_another_refund() {
    let gateway = FakeGateway::always(Reply::ok(signed(&refund_accepted("SOMEONE_ELSES_REFUND")))).await;
    let client = gateway.client().build().unwrap();

    let error = client.refund(refund()).await.unwrap_err();

    assert!(matches!(error, ClientError::Mismatch { field: "out_refund_no", .. }), "{error:?}");
    assert!(error.to_string().contains("`out_refund_no`"), "{error}");
}

#[tokio::test]
async fn accepts_a_refund_reply_about_the_same_refund() {
    let gateway = FakeGateway::always(Reply::ok(signed(&refund_accepted("refund_1")))).await;
    let client = gateway.client().build().unwrap();

    let reply = client.refund(refund()).await.unwrap();

    assert_eq!(reply.out_refund_no.as_deref(), Some("refund_1"));
}

#[tokio::test]
async fn refuses_a_place_order_reply_for_another_merchant() {
    let pairs = with(PLACE_ORDER_ACCEPTED, "user_confirm_key", "OTHERKEY0001");
    let gateway = FakeGateway::always(Reply::ok(signed(&pairs))).await;
    let client = gateway.client().build().unwrap();

    let error = client.place_order(place_order()).await.unwrap_err();

    assert!(matches!(error, ClientError::Mismatch { field: "user_confirm_key", .. }), "{error:?}");
}

/// `pairs` without `name`.
fn without(pairs: &[(&'static str, &'static str)], name: &str) -> Vec<(&'static str, &'static str)> {
    pairs.iter().copied().filter(|(n, _)| *n != name).collect()
}

/// The reply `pairs` gets to `request`, or its error.
async fn answer_to<R: eftpay::Request>(
    pairs: &[(&str, &str)],
    request: R,
) -> Result<eftpay::Verified<R::Response>, ClientError> {
    let gateway = FakeGateway::always(Reply::ok(signed(pairs))).await;
    gateway.client().build().unwrap().send(&request).await
}

#[tokio::test]
async fn refuses_a_query_reply_without_the_order_number_asked_about() {
    let pairs = with(&without(QUERY_ANSWERED, "out_trade_no"), "eft_trade_no", "ANOTHER_ORDERS_NUMBER");
    let error = answer_to(&pairs, query()).await.unwrap_err();
    assert!(matches!(error, ClientError::Incomplete { field: "out_trade_no", .. }), "{error:?}");
    let text = error.to_string();
    assert!(text.contains("has no `out_trade_no`") && text.contains("must not be trusted"), "{text}");
}

#[tokio::test]
async fn refuses_a_place_order_reply_without_the_order_number() {
    let error = answer_to(&without(PLACE_ORDER_ACCEPTED, "out_trade_no"), place_order()).await.unwrap_err();
    assert!(matches!(error, ClientError::Incomplete { field: "out_trade_no", .. }), "{error:?}");
}

#[tokio::test]
async fn refuses_a_refund_query_answered_by_the_orders_reply() {
    let mut request = query();
    request.refund_no = Some("refund_1".to_owned());
    let error = answer_to(QUERY_ANSWERED, request).await.unwrap_err();
    assert!(matches!(error, ClientError::Incomplete { field: "refund_no", .. }), "{error:?}");
}

#[tokio::test]
async fn refuses_a_query_answered_by_a_place_order_reply() {
    let error = answer_to(PLACE_ORDER_ACCEPTED, query()).await.unwrap_err();
    assert!(matches!(error, ClientError::Incomplete { field: "trade_status", .. }), "{error:?}");
    assert!(error.to_string().contains("its reply table requires it"), "{error}");
}

#[tokio::test]
async fn refuses_a_place_order_answered_by_a_query_reply() {
    let pairs = with(QUERY_ANSWERED, "transaction_amount", "0.53");
    let error = answer_to(&pairs, place_order()).await.unwrap_err();
    assert!(matches!(error, ClientError::Incomplete { field: "pay_apptrade", .. }), "{error:?}");
}

#[tokio::test]
async fn refuses_a_place_order_reply_with_another_amount() {
    let pairs = with(PLACE_ORDER_ACCEPTED, "transaction_amount", "10000.00");
    let error = answer_to(&pairs, place_order()).await.unwrap_err();
    assert!(
        matches!(&error, ClientError::Mismatch { field: "transaction_amount", asked, answered, .. }
            if asked == "0.53" && answered == "10000.00"),
        "{error:?}"
    );
}

#[tokio::test]
async fn refuses_a_refund_reply_with_another_refund_amount() {
    let pairs = with(&refund_accepted("refund_1"), "return_amount", "99.00");
    let error = answer_to(&pairs, refund()).await.unwrap_err();
    assert!(matches!(error, ClientError::Mismatch { field: "return_amount", .. }), "{error:?}");
}

#[tokio::test]
async fn amounts_are_compared_as_amounts_not_as_text() {
    // eftPay writes whole amounts without decimals (docs/protocol.md §5).
    let pairs = with(&refund_accepted("refund_1"), "return_amount", "0.530");
    assert!(answer_to(&pairs, refund()).await.is_err(), "three decimals are no amount");
    let mut whole = refund();
    whole.return_amount = amount("1.00");
    whole.total_fee = amount("1.00");
    let pairs = with(&with(&refund_accepted("refund_1"), "return_amount", "1"), "total_fee", "1.0");
    answer_to(&pairs, whole).await.unwrap();
}

#[tokio::test]
async fn a_reply_may_leave_out_what_its_table_does_not_require() {
    // Only what is required and what names the request must come back; the rest is optional.
    let pairs = [
        ("return_status", "00"),
        ("time", NOW),
        ("out_trade_no", "rrn_1"),
        ("eft_trade_no", "E1"),
        ("trade_status", "TRADE_SUCCESS"),
        ("trade_type", "SALE"),
        ("user_confirm_key", USER_KEY),
        ("a_field_from_a_later_version", "kept"),
    ];
    let reply = answer_to(&pairs, query()).await.unwrap();
    assert!(reply.extra.contains_key("a_field_from_a_later_version"));
}

#[tokio::test]
async fn refuses_a_reply_ten_days_old() {
    let gateway = FakeGateway::always(Reply::ok(signed(&with(QUERY_ANSWERED, "time", TEN_DAYS_AGO)))).await;
    let client = gateway.client().build().unwrap();

    let error = client.query(query()).await.unwrap_err();

    assert!(
        matches!(
            error,
            ClientError::ReplyOutsideWindow { field: "time", skew_seconds: -864_000, window_seconds: 300, .. }
        ),
        "{error:?}"
    );
    let text = error.to_string();
    assert!(text.contains("`time`") && text.contains("864000 s before"), "{text}");
    assert!(text.contains("played back") && text.contains("clock"), "names the likely causes: {text}");
    assert_eq!(gateway.request_count(), 1, "an old reply is an answer, not retried");
}

#[tokio::test]
async fn accepts_a_reply_within_the_window() {
    // Four minutes either way of the request's time: within the default five.
    for time in ["20240102030005", "20240102030805"] {
        let gateway = FakeGateway::always(Reply::ok(signed(&with(QUERY_ANSWERED, "time", time)))).await;
        let client = gateway.client().build().unwrap();

        client.query(query()).await.unwrap_or_else(|e| panic!("{time}: {e}"));

        // The window is the builder's to set.
        let narrow = gateway.client().reply_time_window(Duration::from_secs(60)).build().unwrap();
        let error = narrow.query(query()).await.unwrap_err();
        assert!(matches!(error, ClientError::ReplyOutsideWindow { window_seconds: 60, .. }), "{error:?}");
    }
}

#[tokio::test]
async fn refuses_an_accepted_reply_without_time() {
    let pairs: Vec<_> = QUERY_ANSWERED.iter().copied().filter(|(name, _)| *name != "time").collect();
    let gateway = FakeGateway::always(Reply::ok(signed(&pairs))).await;
    let client = gateway.client().build().unwrap();

    let error = client.query(query()).await.unwrap_err();

    assert!(matches!(error, ClientError::UndatedReply { field: "time", .. }), "{error:?}");
}

#[tokio::test]
async fn refuses_a_signed_refusal_ten_days_old() {
    // Played back, an old refusal could make a merchant send a refund again.
    let body = signed(&[("return_status", "30"), ("return_char", "refund failed"), ("time", TEN_DAYS_AGO)]);
    let gateway = FakeGateway::always(Reply::ok(body)).await;
    let client = gateway.client().build().unwrap();

    let error = client.refund(refund()).await.unwrap_err();

    assert!(error.gateway().is_none(), "{error:?}");
    assert!(matches!(error, ClientError::ReplyOutsideWindow { field: "time", .. }), "{error:?}");
}

#[tokio::test]
async fn a_time_mismatch_refusal_is_reported_whatever_its_time() {
    // eftPay's answer to a request whose clock is off carries eftPay's time, far from the
    // request's by definition; it says what to do itself.
    let body = signed(&[("return_status", "12"), ("return_char", "time mismatch"), ("time", TEN_DAYS_AGO)]);
    let gateway = FakeGateway::always(Reply::ok(body)).await;
    let client = gateway.client().build().unwrap();

    let error = client.place_order(place_order()).await.unwrap_err();

    let refusal = error.gateway().unwrap_or_else(|| panic!("expected a gateway error, got {error:?}"));
    assert_eq!(refusal.meaning(), Some(Meaning::TimeMismatch));
}

#[tokio::test]
async fn a_reply_over_the_received_limit_is_too_large() {
    let mut pairs = QUERY_ANSWERED.to_vec();
    let padding = "x".repeat(MAX_BODY_BYTES);
    pairs.push(("padding", &padding));
    let gateway = FakeGateway::always(Reply::ok(signed(&pairs))).await;
    let client = gateway.client().build().unwrap();

    let error = client.query(query()).await.unwrap_err();

    assert!(matches!(error, ClientError::ReplyTooLarge { limit: MAX_BODY_BYTES, .. }), "{error:?}");
}

// ---------------------------------------------------------------------------------------------
// Retries and timeouts
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn query_is_retried_on_5xx_within_bounds() {
    let gateway = FakeGateway::start(|n, _| fails_then_answers(n, 2, QUERY_ANSWERED)).await;
    let client = gateway.client().build().unwrap();

    let reply = client.query(query()).await.unwrap();

    assert_eq!(reply.trade_status, Some(TradeStatus::TradeSuccess));
    assert_eq!(gateway.request_count(), 3);
}

#[tokio::test]
async fn query_gives_up_after_the_bound() {
    let gateway = FakeGateway::always(Reply::status(503, "busy")).await;
    let client = gateway.client().query_attempts(4).build().unwrap();

    let error = client.query(query()).await.unwrap_err();

    assert!(matches!(error, ClientError::HttpStatus { status: 503, attempts: 4, .. }), "{error:?}");
    assert_eq!(gateway.request_count(), 4);
}

#[tokio::test]
async fn query_is_retried_after_a_timeout() {
    let gateway = FakeGateway::start(|n, _| {
        let reply = Reply::ok(signed(QUERY_ANSWERED));
        if n == 0 { reply.after(Duration::from_secs(10)) } else { reply }
    })
    .await;
    let client = gateway.client().timeout(Duration::from_millis(200)).build().unwrap();

    client.query(query()).await.unwrap();

    assert_eq!(gateway.request_count(), 2);
}

#[tokio::test]
async fn query_is_retried_when_it_cannot_connect() {
    let base_url = format!("http://127.0.0.1:{}/VMP", closed_port().await);
    let client = Client::builder(Credentials::new(USER_KEY, SECRET))
        .base_url(base_url)
        .retry_backoff(Duration::from_millis(5))
        .query_attempts(2)
        .build()
        .unwrap();

    let error = client.query(query()).await.unwrap_err();

    assert!(matches!(error, ClientError::Connect { attempts: 2, .. }), "{error:?}");
}

#[tokio::test]
async fn each_attempt_is_signed_with_a_fresh_time() {
    /// A clock that moves one second each time it is read.
    #[derive(Debug)]
    struct Ticking(FixedClock);
    impl Clock for Ticking {
        fn now(&self) -> HkTime {
            let now = self.0.now();
            self.0.advance(1);
            now
        }
    }
    let gateway = FakeGateway::start(|n, _| fails_then_answers(n, 2, QUERY_ANSWERED)).await;
    let clock = Ticking(FixedClock::new(HkTime::parse_compact(NOW).unwrap()));
    let client = gateway.client().clock(Arc::new(clock)).build().unwrap();

    client.query(query()).await.unwrap();

    let times: Vec<String> = gateway.requests().iter().map(|r| r.fields().text("time").unwrap().to_owned()).collect();
    assert_eq!(times, ["20240102030405", "20240102030406", "20240102030407"]);
    for request in gateway.requests() {
        verify_fields(&request.fields(), &Secret::new(SECRET)).unwrap();
    }
}

#[tokio::test]
async fn place_order_is_not_retried_on_5xx() {
    let gateway = FakeGateway::always(Reply::status(500, "internal error")).await;
    let client = gateway.client().query_attempts(5).build().unwrap();

    let error = client.place_order(place_order()).await.unwrap_err();

    assert!(matches!(error, ClientError::HttpStatus { status: 500, attempts: 1, .. }), "{error:?}");
    assert_eq!(gateway.request_count(), 1);
}

#[tokio::test]
async fn refund_is_not_retried() {
    let gateway = FakeGateway::always(Reply::ok(String::new()).after(Duration::from_secs(10))).await;
    let client = gateway.client().query_attempts(5).timeout(Duration::from_millis(200)).build().unwrap();
    let refund = AlipayWebRefund::refund(
        AlipayHk,
        eftpay::RefundAmount::new(amount("0.53")),
        amount("0.53"),
        eftpay::OutTradeNo::new("rrn_1"),
        eftpay::RefundNo::new("refund_1"),
    );

    let error = client.refund(refund).await.unwrap_err();

    assert!(matches!(error, ClientError::Timeout { attempts: 1, .. }), "{error:?}");
    assert_eq!(gateway.request_count(), 1);
}

#[tokio::test]
async fn apply_refund_is_not_retried() {
    let gateway = FakeGateway::always(Reply::status(503, "busy")).await;
    let client = gateway.client().query_attempts(5).build().unwrap();
    let refund = WechatWebApplyRefund::apply_refund(
        WeChatHk,
        eftpay::RefundAmount::new(amount("0.53")),
        amount("1.00"),
        eftpay::OutTradeNo::new("rrn_1"),
        eftpay::RefundNo::new("refund_1"),
    );

    let error = client.apply_refund(refund).await.unwrap_err();

    assert!(matches!(error, ClientError::HttpStatus { status: 503, attempts: 1, .. }), "{error:?}");
    assert_eq!(gateway.request_count(), 1);
}

#[tokio::test]
async fn timeout_is_honoured() {
    let gateway = FakeGateway::always(Reply::ok(signed(QUERY_ANSWERED)).after(Duration::from_secs(30))).await;
    let client = gateway.client().query_attempts(1).timeout(Duration::from_millis(200)).build().unwrap();
    let started = Instant::now();

    let error = client.query(query()).await.unwrap_err();

    assert!(matches!(error, ClientError::Timeout { .. }), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
}

// ---------------------------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------------------------

/// Every text an error offers: its Display and Debug, and those of each `source()`.
fn every_text(error: &(dyn std::error::Error + 'static)) -> Vec<String> {
    let mut texts = Vec::new();
    let mut next = Some(error);
    while let Some(error) = next {
        texts.extend([error.to_string(), format!("{error:?}"), format!("{error:#?}")]);
        next = error.source();
    }
    texts
}

#[tokio::test]
async fn credentials_in_the_base_url_are_refused_and_never_echoed() {
    let port = closed_port().await;
    let urls = [
        format!("https://merchant:{SENTINEL}@vmp.example/VMP"),
        format!("http://merchant:{SENTINEL}@127.0.0.1:{port}/VMP"),
        format!("https://{SENTINEL}@vmp.example/VMP"),
        format!("https://vmp.example/VMP?secret={SENTINEL}"),
        format!("http://127.0.0.1:{port}/VMP?secret={SENTINEL}"),
        format!("https://vmp.example/VMP#{SENTINEL}"),
        format!("https://merchant:{SENTINEL}@vmp.example/VMP?secret={SENTINEL}"),
        format!("merchant:{SENTINEL}@vmp.example/VMP"),
        format!("ftp://merchant:{SENTINEL}@vmp.example/VMP"),
    ];
    for url in urls {
        let builder = Client::builder(Credentials::new(USER_KEY, SECRET)).base_url(&url);
        let shown = format!("{builder:?}");
        assert!(!shown.contains(SENTINEL) && !shown.contains("merchant"), "{shown}");

        let error = builder.build().unwrap_err();

        assert!(matches!(error, ClientError::Config { .. }), "{url}: {error:?}");
        for text in every_text(&error) {
            assert!(!text.contains(SENTINEL) && !text.contains("merchant"), "{url} echoed: {text}");
        }
    }
}

#[tokio::test]
async fn connect_errors_carry_the_url_without_secrets() {
    let client = Client::builder(Credentials::new(USER_KEY, SENTINEL))
        .base_url(format!("http://127.0.0.1:{}/VMP", closed_port().await))
        .build()
        .unwrap();

    let error = client.place_order(place_order()).await.unwrap_err();

    assert!(matches!(error, ClientError::Connect { .. }), "{error:?}");
    for text in every_text(&error) {
        assert!(!text.contains(SENTINEL), "{text}");
    }
    assert!(error.to_string().contains("/VMP/Servlet/JSAPIService.do"), "names where it went: {error}");
}

#[test]
fn redact_url_removes_userinfo_query_and_fragment() {
    let redacted = redact_url(&format!("https://merchant:{SENTINEL}@vmp.example/VMP?secret={SENTINEL}#{SENTINEL}"));
    assert_eq!(redacted, "https://<redacted>@vmp.example/VMP?<redacted>#<redacted>");
}

/// The error the client reports for `reply`, using the sentinel secret.
async fn sentinel_error(reply: Reply) -> ClientError {
    let gateway = FakeGateway::always(reply).await;
    let client = gateway.client_with_secret(SENTINEL).timeout(Duration::from_millis(200)).build().unwrap();
    client.place_order(place_order()).await.unwrap_err()
}

#[tokio::test]
async fn sentinel_secret_never_appears_in_errors() {
    let secret = Secret::new(SENTINEL);
    let accepted = signed_with(SENTINEL, PLACE_ORDER_ACCEPTED);
    let tampered = accepted.replace("0.53", "0.54");
    let tampered_fields = ReceivedFields::from_json(&tampered).unwrap();
    // What the client computes when it checks the tampered reply: neither may leak.
    let expected_signature = sign_fields(&tampered_fields, &secret);
    let signed_string = canonical_string(&tampered_fields);

    let connect = {
        let client = Client::builder(Credentials::new(USER_KEY, SENTINEL))
            .base_url(format!("http://127.0.0.1:{}", closed_port().await))
            .build()
            .unwrap();
        client.place_order(place_order()).await.unwrap_err()
    };
    let invalid = {
        let client = Client::builder(Credentials::new(USER_KEY, SENTINEL)).build().unwrap();
        client.query(QueryRequest::new()).await.unwrap_err()
    };
    let errors = vec![
        invalid,
        connect,
        sentinel_error(Reply::ok(tampered)).await,
        sentinel_error(Reply::ok(accepted.replace(r#""sign""#, r#""unsigned""#))).await,
        sentinel_error(Reply::ok(r#"{"return_status":"-13","return_char":"invalid service"}"#.to_owned())).await,
        sentinel_error(Reply::ok(signed_with(SENTINEL, &[("return_status", "12"), ("return_char", "time mismatch")])))
            .await,
        sentinel_error(Reply::ok(signed_with(SENTINEL, &[("time", NOW)]))).await,
        sentinel_error(Reply::status(500, "internal error")).await,
        sentinel_error(Reply::status(200, "not json")).await,
        sentinel_error(Reply::ok(accepted).after(Duration::from_secs(10))).await,
    ];

    let mut kinds = Vec::new();
    for error in &errors {
        for text in [error.to_string(), format!("{error:?}"), format!("{error:#?}")] {
            assert!(!text.contains(SENTINEL), "the secret leaked: {text}");
            assert!(!text.contains(&expected_signature), "the expected signature leaked: {text}");
            assert!(!text.contains(&signed_string), "the signed string leaked: {text}");
        }
        kinds.push(format!("{error:?}").split([' ', '(', '{']).next().unwrap().to_owned());
    }
    assert_eq!(
        kinds,
        [
            "Invalid",
            "Connect",
            "Verification",
            "Verification",
            "Gateway",
            "Gateway",
            "NoReturnStatus",
            "HttpStatus",
            "NotJson",
            "Timeout"
        ],
        "every kind of error was triggered"
    );
}

// ---------------------------------------------------------------------------------------------
// Any scene, by purpose
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn place_order_takes_an_order_of_any_scene() {
    let gateway = FakeGateway::always(Reply::ok(signed(&[
        ("return_status", "00"),
        ("time", NOW),
        ("out_trade_no", "rrn_qr"),
        ("user_confirm_key", USER_KEY),
        ("qr_code", "https://qr.example/abc"),
    ])))
    .await;
    let client = gateway.client().build().unwrap();
    let order = AlipayQrcodePreOrder::place_order(
        AlipayBoth,
        amount("0.53"),
        eftpay::OutTradeNo::new("rrn_qr"),
        "test",
        "https://m.example/n",
    );

    let reply = client.place_order(order).await.unwrap();

    assert_eq!(reply.qr_code.as_deref(), Some("https://qr.example/abc"));
    assert_eq!(gateway.requests()[0].fields().text("service"), Some("service.alipay.qrcode.PreOrder"));
}

#[tokio::test]
async fn close_sends_a_close_request_once() {
    let gateway = FakeGateway::always(Reply::status(503, "busy")).await;
    let client = gateway.client().query_attempts(5).build().unwrap();

    let error = client.close(AlipayQrcodeClose::close(AlipayHk, eftpay::OutTradeNo::new("rrn_1"))).await.unwrap_err();

    assert!(matches!(error, ClientError::HttpStatus { status: 503, attempts: 1, .. }), "{error:?}");
    assert_eq!(gateway.requests()[0].fields().text("out_trade_no"), Some("rrn_1"));
}

// ---------------------------------------------------------------------------------------------
// Requests given as fields by name
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn send_fields_signs_exactly_the_given_fields_and_the_envelope() {
    let gateway = FakeGateway::always(Reply::ok(signed(QUERY_ANSWERED))).await;
    let client = gateway.client().build().unwrap();

    let reply = client.send_fields(&CATALOG, Interface::Query.info(), &[("out_trade_no", "rrn_1")]).await.unwrap();

    let request = &gateway.requests()[0];
    assert_eq!(request.path, "/VMP/Servlet/QRcodeTradeQuery.do");
    assert_eq!(request.content_type.as_deref(), Some("application/json; charset=utf-8"));
    let fields = request.fields();
    verify_fields(&fields, &Secret::new(SECRET)).expect("the server verifies the request's signature");
    let names: Vec<&str> = fields.iter().map(|(name, _)| name).collect();
    // The caller's field, the fixed one, the envelope, in byte order; the signature last.
    assert_eq!(names, ["out_trade_no", "querytype", "time", "user_confirm_key", "sign"]);
    assert_eq!(fields.text("querytype"), Some("OUT_TRADE"));
    assert_eq!(fields.text("time"), Some(NOW));
    assert!(reply.fields.contains(&("trade_status", "TRADE_SUCCESS".to_owned())), "{reply:?}");
    assert_eq!(reply.fields().text("trade_status"), Some("TRADE_SUCCESS"));
}

#[tokio::test]
async fn send_fields_sends_the_same_body_as_the_typed_request() {
    let gateway = FakeGateway::always(Reply::ok(signed(PLACE_ORDER_ACCEPTED))).await;
    let client = gateway.client().build().unwrap();
    let typed = place_order();
    let mut given = Vec::new();
    typed.write_fields(&eftpay::Envelope { user_confirm_key: "", time: "" }, &mut Given(&mut given));
    let given: Vec<(&str, &str)> = given.iter().map(|(n, v)| (*n, v.as_str())).filter(|(_, v)| !v.is_empty()).collect();

    client.place_order(typed.clone()).await.unwrap();
    let reply = client.send_fields(&CATALOG, PlaceOrderRequest::INFO, &given).await.unwrap();

    let requests = gateway.requests();
    assert_eq!(requests[0].body, requests[1].body, "one signing and one body for both paths");
    assert!(reply.fields.contains(&("pay_apptrade", "https://pay.example/alipay/abc".to_owned())));
}

/// Collects what a typed request writes, as a caller holding fields would give them.
struct Given<'a>(&'a mut Vec<(&'static str, String)>);

impl eftpay::FieldSink for Given<'_> {
    fn text(&mut self, name: &'static str, value: &str) {
        self.0.push((name, value.to_owned()));
    }
    fn json(&mut self, name: &'static str, compact_json: &str) {
        self.0.push((name, compact_json.to_owned()));
    }
}

#[tokio::test]
async fn send_fields_validates_with_the_interfaces_own_rules() {
    let gateway = FakeGateway::always(Reply::ok(signed(QUERY_ANSWERED))).await;
    let client = gateway.client().build().unwrap();

    let error = client.send_fields(&CATALOG, Interface::Query.info(), &[("refund_no", "rf_1")]).await.unwrap_err();

    let violations = error.violations().unwrap_or_else(|| panic!("expected violations, got {error:?}"));
    assert!(violations.has("eft_trade_no", Rule::AtLeastOneOf), "{violations}");
    assert_eq!(gateway.request_count(), 0);
}

#[tokio::test]
async fn send_fields_refuses_names_it_cannot_send() {
    let gateway = FakeGateway::always(Reply::ok(signed(QUERY_ANSWERED))).await;
    let client = gateway.client().build().unwrap();
    let query = Interface::Query.info();
    /// (fields given, the field refused, what the refusal says)
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);
    let cases: [Case<'_>; 5] = [
        (&[("out_trade_no", "rrn_1"), ("out_trade_n", "x")], "out_trade_n", "no such field"),
        (&[("out_trade_no", "rrn_1"), ("time", "20240102030405")], "time", "fills it in"),
        (&[("out_trade_no", "rrn_1"), ("sign", "00")], "sign", "fills it in"),
        (&[("out_trade_no", "rrn_1"), ("querytype", "OTHER")], "querytype", "always `OUT_TRADE`"),
        (&[("out_trade_no", "rrn_1"), ("out_trade_no", "rrn_2")], "out_trade_no", "twice"),
    ];

    for (given, name, says) in cases {
        let error = client.send_fields(&CATALOG, query, given).await.unwrap_err();
        assert!(matches!(&error, ClientError::Field { field, .. } if field == name), "{given:?}: {error:?}");
        assert!(error.to_string().contains(says), "{error}");
    }
    // The fixed value itself may be given.
    client.send_fields(&CATALOG, query, &[("out_trade_no", "rrn_1"), ("querytype", "OUT_TRADE")]).await.unwrap();
    assert_eq!(gateway.request_count(), 1);
}

#[tokio::test]
async fn send_fields_refuses_an_interface_that_is_not_a_request() {
    let client = Client::new(Credentials::new(USER_KEY, SECRET)).unwrap();
    for interface in [Interface::PaymentNotification, Interface::Acknowledgement] {
        let error = client.send_fields(&CATALOG, interface.info(), &[]).await.unwrap_err();
        assert!(matches!(error, ClientError::Unsupported { .. }), "{error:?}");
    }
}

#[tokio::test]
async fn send_fields_refuses_a_reply_about_another_order() {
    let gateway = FakeGateway::always(Reply::ok(signed(&with(QUERY_ANSWERED, "out_trade_no", "SOMEONE_ELSES")))).await;
    let client = gateway.client().build().unwrap();

    let error = client.send_fields(&CATALOG, Interface::Query.info(), &[("out_trade_no", "rrn_1")]).await.unwrap_err();

    assert!(matches!(error, ClientError::Mismatch { field: "out_trade_no", .. }), "{error:?}");
}

#[tokio::test]
async fn send_fields_refuses_a_reply_ten_days_old_and_retries_a_query() {
    let gateway = FakeGateway::always(Reply::ok(signed(&with(QUERY_ANSWERED, "time", TEN_DAYS_AGO)))).await;
    let client = gateway.client().build().unwrap();
    let error = client.send_fields(&CATALOG, Interface::Query.info(), &[("out_trade_no", "rrn_1")]).await.unwrap_err();
    assert!(matches!(error, ClientError::ReplyOutsideWindow { field: "time", .. }), "{error:?}");

    let gateway = FakeGateway::start(|n, _| fails_then_answers(n, 2, QUERY_ANSWERED)).await;
    let client = gateway.client().build().unwrap();
    client.send_fields(&CATALOG, Interface::Query.info(), &[("out_trade_no", "rrn_1")]).await.unwrap();
    assert_eq!(gateway.request_count(), 3);
}

#[tokio::test]
async fn a_verified_field_that_is_not_its_type_is_a_verification_error_on_both_paths() {
    let gateway = FakeGateway::always(Reply::ok(signed(&with(QUERY_ANSWERED, "transaction_amount", "lots")))).await;
    let client = gateway.client().build().unwrap();

    let typed = client.query(query()).await.unwrap_err();
    let named = client.send_fields(&CATALOG, Interface::Query.info(), &[("out_trade_no", "rrn_1")]).await.unwrap_err();

    for error in [typed, named] {
        assert!(matches!(error, ClientError::Verification { cause: VerifyError::Field(_), .. }), "{error:?}");
        assert!(error.to_string().contains("transaction_amount"), "{error}");
    }
}

// ---------------------------------------------------------------------------------------------
// Refusals and their advice
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_refusal_is_advised_by_what_its_code_means() {
    let unsigned_bad_signature = r#"{"return_status":"-2","return_char":"bad sign"}"#;
    let gateway = FakeGateway::always(Reply::ok(unsigned_bad_signature.to_owned())).await;
    let client = gateway.client().build().unwrap();

    let error = client.query(query()).await.unwrap_err();

    let refusal = error.gateway().unwrap_or_else(|| panic!("expected a gateway error, got {error:?}"));
    assert_eq!(refusal.meaning(), Some(Meaning::BadSignature));
    assert_eq!(refusal.field(), "return_status");
    assert!(error.to_string().contains("secret"), "says what to check: {error}");
}

// ---------------------------------------------------------------------------------------------
// Tracing
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_failed_call_is_one_warning_with_its_error() {
    let (captured, _guard) = capture::capture();
    let refused = r#"{"return_status":"-2","return_char":"bad sign"}"#;
    let gateway = FakeGateway::always(Reply::ok(refused.to_owned())).await;
    let client = gateway.client_with_secret(SENTINEL).build().unwrap();

    client.query(query()).await.unwrap_err();

    let text = captured.text();
    let events: Vec<String> = captured.lines().into_iter().filter(|l| l.contains(" eftpay::client")).collect();
    assert_eq!(events.len(), 1, "a refusal is an answer, not retried: {text}");
    let event = &events[0];
    assert!(event.starts_with("event WARN eftpay::client") && event.contains("eftPay request failed"), "{text}");
    for field in [" attempt=1 ", " http_status=200 ", " return_status=-2 ", " elapsed_ms=", " error="] {
        assert!(event.contains(field), "{field} missing: {event}");
    }
    assert!(!text.contains(SENTINEL), "the secret was recorded: {text}");
}

#[tokio::test]
async fn tracing_records_each_call_and_never_the_secret_or_a_signature() {
    let (captured, _guard) = capture::capture();
    let gateway = FakeGateway::start(|n, request| {
        let answer = if request.path.ends_with(Interface::Query.info().endpoint.unwrap()) {
            QUERY_ANSWERED
        } else {
            PLACE_ORDER_ACCEPTED
        };
        if n < 1 { Reply::status(500, "internal error") } else { Reply::ok(signed_with(SENTINEL, answer)) }
    })
    .await;
    let client = gateway.client_with_secret(SENTINEL).build().unwrap();

    client.query(query()).await.unwrap();
    client.send_fields(&CATALOG, Interface::Query.info(), &[("out_trade_no", "rrn_1")]).await.unwrap();
    client.place_order(place_order()).await.unwrap();

    let text = captured.text();
    let lines = captured.lines();
    let spans: Vec<&String> = lines.iter().filter(|l| l.contains(" eftpay_request")).collect();
    assert_eq!(spans.len(), 3, "one span per call: {text}");
    assert!(spans[0].contains("interface=query") && spans[0].contains("purpose=query"), "{text}");
    assert!(spans[2].contains("interface=place_order") && spans[2].contains("purpose=place_order"), "{text}");
    // Recorded on the span once per call: the order number only, never what an attempt learned.
    let ids: Vec<String> = spans.iter().filter_map(|l| l.split(' ').nth(1)).map(str::to_owned).collect();
    let records: Vec<&String> = lines
        .iter()
        .filter(|l| l.split(' ').nth(1).is_some_and(|id| l.starts_with("record ") && ids.iter().any(|i| i == id)))
        .collect();
    assert_eq!(records.len(), 3, "{text}");
    assert!(records.iter().all(|l| l.ends_with(" out_trade_no=rrn_1")), "{text}");

    // One event per retried attempt, one per completed call, each field once in it.
    let events = |message: &str| -> Vec<&String> {
        lines.iter().filter(|l| l.starts_with("event INFO eftpay::client") && l.contains(message)).collect()
    };
    let retried = events("sending it again");
    assert_eq!(retried.len(), 1, "{text}");
    assert!(retried[0].contains(" attempt=1 ") && retried[0].contains(" http_status=500 "), "{text}");
    let completed = events("eftPay request completed");
    assert_eq!(completed.len(), 3, "{text}");
    assert!(completed[0].contains(" attempt=2 "), "the query succeeded on its second attempt: {text}");
    for event in &completed {
        for field in [" http_status=200", " return_status=00", " elapsed_ms="] {
            assert!(event.contains(field), "{field} missing: {event}");
        }
    }
    for event in retried.iter().chain(&completed) {
        for field in [" attempt=", " http_status=", " return_status=", " elapsed_ms="] {
            assert!(event.matches(field).count() <= 1, "{field} twice: {event}");
        }
    }
    assert!(!text.contains("event WARN"), "nothing failed: {text}");

    let mut signatures: Vec<String> = Vec::new();
    for request in gateway.requests() {
        let fields = request.fields();
        signatures.push(fields.text("sign").unwrap().to_owned());
        signatures.push(canonical_string(&fields));
    }
    let reply = ReceivedFields::from_json(&signed_with(SENTINEL, QUERY_ANSWERED)).unwrap();
    signatures.push(reply.text("sign").unwrap().to_owned());
    signatures.push(canonical_string(&reply));
    assert!(!text.contains(SENTINEL), "the secret was recorded: {text}");
    for signature in signatures {
        assert!(!text.contains(&signature), "a signature or signed string was recorded: {signature} in {text}");
    }
}
