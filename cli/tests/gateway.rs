#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! `eftpay pre-order`, `query` and `refund` against the workspace's fake gateway on 127.0.0.1
//! (runtime/tests/fake_gateway, shared with the SDK client's tests): it records each HTTP request
//! and answers a scripted JSON reply, signed with the same fake secret the command is given.

use std::ffi::OsStr;
use std::io::ErrorKind;
use std::net::TcpListener;
use std::process::Output;

#[path = "../../runtime/tests/fake_gateway/mod.rs"]
mod fake_gateway;
mod support;

use eftpay::rules::Purpose;
use eftpay::verify::verify_fields;
use eftpay::{CATALOG, HkTime, Secret};
use fake_gateway::{FakeGateway, Recorded, signed_with};
use support::{Status, assert_exit, stderr, stdout};

const USER_KEY: &str = "TESTKEY00001";
const SECRET: &str = "test-secret-not-real";

const PAY_LINK: &str = "https://pay.example/cashier?token=abc123";

// ---- the gateway's side ----

/// How a command shows a compact `time`.
fn shown_time(compact: &str) -> String {
    format!("{} (Hong Kong time)", HkTime::parse_compact(compact).unwrap().to_dashed())
}

/// A listener nothing answers on: after a command ran, [`no_connection_was_made`] tells whether
/// it tried to connect (the kernel queues a connection whether or not it is accepted).
fn silent_listener() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://{}/VMP", listener.local_addr().unwrap());
    (listener, base_url)
}

fn no_connection_was_made(listener: &TcpListener) -> bool {
    listener.set_nonblocking(true).unwrap();
    matches!(listener.accept(), Err(e) if e.kind() == ErrorKind::WouldBlock)
}

// ---- running the binary ----

/// Runs `eftpay args…` against `base_url` with the fake credentials.
fn eftpay(args: &[impl AsRef<OsStr>], base_url: &str) -> Output {
    eftpay_with(
        args,
        &[("EFTPAY_BASE_URL", base_url), ("EFTPAY_USER_CONFIRM_KEY", USER_KEY), ("EFTPAY_SECRET", SECRET)],
    )
}

/// Runs `eftpay args…` with exactly the EFTPAY_* variables in `env` (none inherited).
fn eftpay_with(args: &[impl AsRef<OsStr>], env: &[(&str, &str)]) -> Output {
    let output = support::eftpay(args).envs(env.iter().copied()).output().expect("the eftpay binary runs");
    let printed = format!("{}{}", stdout(&output), stderr(&output));
    assert!(!printed.contains(SECRET), "the secret was printed: {printed}");
    output
}

/// The value on the `name  value` line of a reply listing.
fn shown(text: &str, name: &str) -> String {
    text.lines()
        .find_map(|line| line.strip_prefix(name).filter(|rest| rest.starts_with(' ')))
        .map(|rest| rest.trim().to_owned())
        .unwrap_or_else(|| panic!("no `{name}` line in:\n{text}"))
}

const PRE_ORDER: [&str; 11] = [
    "pre-order",
    "--service",
    "service.alipay.web.PreOrder",
    "--wallet",
    "ALIPAYHK",
    "--amount",
    "0.53",
    "--out-trade-no",
    "rrn_1",
    "--subject",
    "test",
];

/// A valid pre-order, plus `extra` arguments.
fn pre_order(extra: &[&str]) -> Vec<String> {
    PRE_ORDER.iter().chain(extra).map(|arg| (*arg).to_owned()).collect()
}

/// A refund of order `rrn_1` through `service`: `amounts` is (refund, order total); plus `extra`.
fn refund(service: &str, wallet: &str, amounts: (&str, &str), refund_no: &str, extra: &[&str]) -> Vec<String> {
    let (amount, total_fee) = amounts;
    let args = ["refund", "--service", service, "--wallet", wallet, "--amount", amount, "--total-fee", total_fee];
    let order = ["--out-trade-no", "rrn_1", "--out-refund-no", refund_no];
    args.iter().chain(&order).chain(extra).map(|arg| (*arg).to_owned()).collect()
}

fn accepted_order() -> FakeGateway {
    FakeGateway::answering(|request| {
        let out_trade_no = request.field("out_trade_no").unwrap_or_default();
        signed_with(
            SECRET,
            &[
                ("return_status", "00"),
                ("time", &request.time()),
                ("pay_apptrade", PAY_LINK),
                ("user_confirm_key", USER_KEY),
                ("out_trade_no", &out_trade_no),
                ("payType", "Alipay"),
                ("wallet", "ALIPAYHK"),
                ("eft_trade_no", "20005269520084311t5rutcv1734"),
                ("fee_type", "HKD"),
                ("transaction_amount", "0.53"),
                ("subject", "test"),
            ],
        )
    })
}

// ---- configuration ----

#[test]
fn missing_credentials_are_a_configuration_error_that_says_what_to_export() {
    let (listener, base_url) = silent_listener();
    let output = eftpay_with(&pre_order(&["--return-url", "https://m.example/r"]), &[("EFTPAY_BASE_URL", &base_url)]);
    assert_exit(&output, Status::Usage);
    assert!(stderr(&output).contains("export EFTPAY_USER_CONFIRM_KEY=… EFTPAY_SECRET=…"), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
    assert!(no_connection_was_made(&listener));
}

#[test]
fn a_missing_secret_alone_is_named_alone() {
    let (listener, base_url) = silent_listener();
    let env = [("EFTPAY_BASE_URL", base_url.as_str()), ("EFTPAY_USER_CONFIRM_KEY", USER_KEY)];
    let output = eftpay_with(&["query", "--out-trade-no", "rrn_1"], &env);
    assert_exit(&output, Status::Usage);
    assert!(stderr(&output).contains("run `export EFTPAY_SECRET=…`"), "{}", stderr(&output));
    assert!(no_connection_was_made(&listener));
}

#[test]
fn a_base_url_that_is_not_http_is_a_configuration_error() {
    let output = eftpay(&["query", "--out-trade-no", "rrn_1"], "ftp://gateway.example/VMP");
    assert_exit(&output, Status::Usage);
    assert!(stderr(&output).contains("EFTPAY_BASE_URL"), "{}", stderr(&output));
}

#[test]
fn help_documents_the_gateway_environment() {
    let text = stdout(&eftpay_with(&["pre-order", "--help"], &[]));
    for name in ["EFTPAY_BASE_URL", "EFTPAY_USER_CONFIRM_KEY", "EFTPAY_SECRET", "https://vmp.eftpay.com.cn/VMP"] {
        assert!(text.contains(name), "{name}: {text}");
    }
}

// ---- invalid requests are never sent ----

#[test]
fn an_invalid_pre_order_lists_every_problem_and_is_not_sent() {
    let (listener, base_url) = silent_listener();
    let args = [
        "pre-order",
        "--service",
        "service.alipay.web.PreOrder",
        "--wallet",
        "WECHATHK",
        "--amount",
        "0.531",
        "--out-trade-no",
        "rrn_1",
        "--subject",
        "test",
        "--return-url",
        "https://m.example/return?order=1",
    ];
    let output = eftpay(&args, &base_url);
    assert_exit(&output, Status::InvalidRequest);
    let err = stderr(&output);
    assert!(err.contains("fix 3 problems"), "{err}");
    assert!(err.contains("--wallet WECHATHK is not one of service service.alipay.web.PreOrder's wallets"), "{err}");
    assert!(err.contains("ALIPAYCN or ALIPAYHK"), "{err}");
    assert!(err.contains("--amount: amount `0.531` has 3 decimals"), "{err}");
    assert!(err.contains("--return-url cannot carry parameters"), "{err}");
    assert!(!err.contains("`wallet`") && !err.contains("`return_url`"), "problems name flags, not wire fields: {err}");
    assert!(output.stdout.is_empty());
    assert!(no_connection_was_made(&listener));
}

#[test]
fn an_unknown_wallet_name_lists_the_services_wallets() {
    let (listener, base_url) = silent_listener();
    let mut args = pre_order(&["--return-url", "https://m.example/r"]);
    args[4] = "alipayhk".into();
    let output = eftpay(&args, &base_url);
    assert_exit(&output, Status::InvalidRequest);
    let err = stderr(&output);
    assert!(err.contains("--wallet alipayhk: not a wallet the spec documents"), "{err}");
    assert!(err.contains("takes ALIPAYCN or ALIPAYHK (did you mean `ALIPAYHK`?"), "{err}");
    assert_eq!(err.matches("alipayhk").count(), 1, "reported once, not again by validate(): {err}");
    assert!(no_connection_was_made(&listener));
}

#[test]
fn an_unknown_service_lists_the_services_the_command_takes() {
    let (listener, base_url) = silent_listener();
    let mut args = pre_order(&[]);
    args[2] = "service.alipay.web.PreOrdr".into();
    let output = eftpay(&args, &base_url);
    assert_exit(&output, Status::InvalidRequest);
    let err = stderr(&output);
    assert!(err.contains("service.alipay.web.PreOrdr is not a service of the spec"), "{err}");
    let purpose_of = |row: &eftpay::catalog::ServiceInfo| CATALOG.interface(row.interface).map(|i| i.purpose);
    for row in CATALOG.services.iter().filter(|row| purpose_of(row) == Some(Purpose::PlaceOrder)) {
        assert!(err.lines().any(|line| line.trim() == row.name), "{} not offered: {err}", row.name);
    }
    for row in CATALOG.services.iter().filter(|row| purpose_of(row) != Some(Purpose::PlaceOrder)) {
        assert!(!err.lines().any(|line| line.trim() == row.name), "{} offered: {err}", row.name);
    }
    assert!(no_connection_was_made(&listener));
}

#[test]
fn a_refund_service_given_to_pre_order_points_at_the_refund_command() {
    let (listener, base_url) = silent_listener();
    let mut args = pre_order(&[]);
    args[2] = "service.wechat.web.ApplyRefund".into();
    let output = eftpay(&args, &base_url);
    assert_exit(&output, Status::InvalidRequest);
    assert!(stderr(&output).contains("send it with `eftpay refund --apply`"), "{}", stderr(&output));
    assert!(no_connection_was_made(&listener));
}

#[test]
fn an_invalid_refund_is_not_sent() {
    let (listener, base_url) = silent_listener();
    let args = refund("service.alipay.web.Refund", "ALIPAYHK", ("0.60", "0.53"), "rf_1", &[]);
    let output = eftpay(&args, &base_url);
    assert_exit(&output, Status::InvalidRequest);
    assert!(stderr(&output).contains("--amount 0.60 is more than --total 0.53"), "{}", stderr(&output));
    assert!(no_connection_was_made(&listener));
}

#[test]
fn a_flag_the_interface_does_not_take_is_refused_by_name() {
    let (listener, base_url) = silent_listener();
    let args = refund(
        "service.alipay.web.Refund",
        "ALIPAYHK",
        ("0.10", "0.53"),
        "rf_1",
        &["--notify-url", "https://m.example/notify"],
    );
    let output = eftpay(&args, &base_url);
    assert_exit(&output, Status::InvalidRequest);
    assert!(stderr(&output).contains("refund takes no --notify-url"), "{}", stderr(&output));
    assert!(no_connection_was_made(&listener));
}

#[test]
fn query_needs_one_of_the_order_numbers() {
    let (listener, base_url) = silent_listener();
    for args in [&["query"][..], &["query", "--refund-no", "rf_1"][..]] {
        let output = eftpay(args, &base_url);
        assert_exit(&output, Status::InvalidRequest);
        let err = stderr(&output);
        assert!(err.contains("give at least one of --eft-trade-no or --out-trade-no"), "{err}");
    }
    assert!(no_connection_was_made(&listener));
}

// ---- accepted requests ----

#[test]
fn pre_order_sends_a_signed_request_and_prints_the_verified_pay_link() {
    let gateway = accepted_order();
    let output = eftpay(&pre_order(&["--return-url", "https://m.example/r", "--lang", "en"]), &gateway.base_url);
    assert_exit(&output, Status::Ok);
    let text = stdout(&output);
    assert_eq!(shown(&text, "pay_apptrade"), PAY_LINK);
    assert_eq!(shown(&text, "eft_trade_no"), "20005269520084311t5rutcv1734");
    assert_eq!(shown(&text, "return_status"), "00");
    assert_eq!(shown(&text, "transaction_amount"), "0.53");
    assert_eq!(shown(&text, "time"), shown_time(&gateway.only_request().time()));
    assert_eq!(shown(&text, "subject"), "test", "fields the SDK does not model are shown too");
    assert!(text.starts_with("order accepted — not paid yet"), "{text}");

    let request = gateway.only_request();
    assert_eq!(request.path, "/VMP/Servlet/JSAPIService.do");
    verify_fields(&request.fields(), &Secret::new(SECRET)).expect("the request is signed with EFTPAY_SECRET");
    assert_eq!(request.field("user_confirm_key").as_deref(), Some(USER_KEY));
    assert_eq!(request.field("payType").as_deref(), Some("Alipay"), "payType comes from the service's row");
    assert_eq!(request.field("pay_scene").as_deref(), Some("WEB"), "the service's default pay_scene");
    assert_eq!(request.field("transaction_amount").as_deref(), Some("0.53"));
    assert_eq!(request.field("lang").as_deref(), Some("en"));
}

#[test]
fn pre_order_qr_prints_the_pay_link_as_a_block_of_qr_characters() {
    let gateway = accepted_order();
    let output = eftpay(&pre_order(&["--return-url", "https://m.example/r", "--qr"]), &gateway.base_url);
    assert_exit(&output, Status::Ok);
    let text = stdout(&output);
    let is_qr_line = |line: &str| !line.is_empty() && line.chars().all(|c| matches!(c, ' ' | '█' | '▀' | '▄'));
    let block: Vec<&str> = text.lines().skip_while(|line| !is_qr_line(line)).take_while(|l| is_qr_line(l)).collect();
    assert!(block.len() >= 10, "no QR block in:\n{text}");
    let width = block[0].chars().count();
    assert!(block.iter().all(|line| line.chars().count() == width), "ragged QR block:\n{text}");
    assert!(block[0].trim().is_empty() && block[block.len() - 1].trim().is_empty(), "no quiet zone:\n{text}");
    assert!(block.iter().all(|line| line.starts_with("    ") && line.ends_with("    ")), "no quiet zone:\n{text}");
    assert!(text.contains("█▀▀▀▀▀█"), "no finder pattern:\n{text}");
    assert!(!text.contains('\u{1b}'), "no colour codes when stdout is not a terminal");
}

#[test]
fn query_prints_the_trades_state_amount_and_times() {
    let gateway = FakeGateway::answering(|request| {
        signed_with(
            SECRET,
            &[
                ("return_status", "00"),
                ("time", &request.time()),
                ("out_trade_no", "rrn_1"),
                ("eft_trade_no", "20005269520084311t5rutcv1734"),
                ("user_confirm_key", USER_KEY),
                ("trade_status", "TRADE_SUCCESS"),
                ("trade_type", "SALE"),
                ("trade_time", "2024-01-02 03:04:59"),
                ("transaction_amount", "0.53"),
                ("currency", "HKD"),
            ],
        )
    });
    let output = eftpay(&["query", "--out-trade-no", "rrn_1"], &gateway.base_url);
    assert_exit(&output, Status::Ok);
    let text = stdout(&output);
    assert_eq!(shown(&text, "trade_status"), "TRADE_SUCCESS");
    assert_eq!(shown(&text, "trade_type"), "SALE");
    assert_eq!(shown(&text, "transaction_amount"), "0.53");
    assert_eq!(shown(&text, "trade_time"), "2024-01-02 03:04:59 (Hong Kong time)");
    assert_eq!(shown(&text, "time"), shown_time(&gateway.only_request().time()));

    let request = gateway.only_request();
    assert_eq!(request.path, "/VMP/Servlet/QRcodeTradeQuery.do");
    assert_eq!(request.field("out_trade_no").as_deref(), Some("rrn_1"));
    assert_eq!(request.field("querytype").as_deref(), Some("OUT_TRADE"));
    assert_eq!(request.field("eft_trade_no"), None);
}

#[test]
fn refund_sends_the_refund_and_prints_its_state() {
    let gateway = FakeGateway::answering(|request| {
        signed_with(
            SECRET,
            &[
                ("return_status", "00"),
                ("time", &request.time()),
                ("out_trade_no", "rrn_1"),
                ("out_refund_no", "rf_1"),
                ("user_confirm_key", USER_KEY),
                ("trade_status", "TRADE_REFUND"),
                ("refund_time", "20240102040000"),
                ("return_amount", "0.10"),
                ("total_fee", "0.53"),
            ],
        )
    });
    let args = refund("service.alipay.web.Refund", "ALIPAYHK", ("0.10", "0.53"), "rf_1", &["--reason", "R"]);
    let output = eftpay(&args, &gateway.base_url);
    assert_exit(&output, Status::Ok);
    let text = stdout(&output);
    assert_eq!(shown(&text, "trade_status"), "TRADE_REFUND");
    assert_eq!(shown(&text, "return_amount"), "0.10");
    assert_eq!(shown(&text, "refund_time"), "2024-01-02 04:00:00 (Hong Kong time)");
    assert!(text.contains("eftpay query --out-trade-no rrn_1 --refund-no rf_1"), "{text}");

    let request = gateway.only_request();
    assert_eq!(request.path, "/VMP/Servlet/JSAPIService.do");
    verify_fields(&request.fields(), &Secret::new(SECRET)).unwrap();
    assert_eq!(request.field("service").as_deref(), Some("service.alipay.web.Refund"));
    assert_eq!(request.field("payType").as_deref(), Some("Alipay"));
    assert_eq!(request.field("return_amount").as_deref(), Some("0.10"));
    assert_eq!(request.field("reason").as_deref(), Some("R"));
    assert_eq!(request.field("notify_url"), None);
}

#[test]
fn refund_apply_sends_an_apply_refund_with_its_notify_url() {
    let gateway = FakeGateway::answering(|request| {
        signed_with(
            SECRET,
            &[
                ("return_status", "00"),
                ("time", &request.time()),
                ("trade_status", "APPLY_SUCCESS"),
                ("out_trade_no", "rrn_1"),
                ("user_confirm_key", USER_KEY),
                ("out_refund_no", "rf_2"),
            ],
        )
    });
    let args = refund(
        "service.wechat.web.ApplyRefund",
        "WECHATHK",
        ("0.10", "0.53"),
        "rf_2",
        &["--apply", "--notify-url", "https://m.example/refund-notify"],
    );
    let output = eftpay(&args, &gateway.base_url);
    assert_exit(&output, Status::Ok);
    assert_eq!(shown(&stdout(&output), "trade_status"), "APPLY_SUCCESS");
    let request = gateway.only_request();
    assert_eq!(request.field("service").as_deref(), Some("service.wechat.web.ApplyRefund"));
    assert_eq!(request.field("notify_url").as_deref(), Some("https://m.example/refund-notify"));
}

#[test]
fn an_apply_refund_service_without_apply_says_to_add_it() {
    let (listener, base_url) = silent_listener();
    let args = refund("service.wechat.web.ApplyRefund", "WECHATHK", ("0.10", "0.53"), "rf_2", &[]);
    let output = eftpay(&args, &base_url);
    assert_exit(&output, Status::InvalidRequest);
    assert!(stderr(&output).contains("send it with `eftpay refund --apply`"), "{}", stderr(&output));
    assert!(no_connection_was_made(&listener));
}

// ---- the gateway says no, or cannot be trusted ----

#[test]
fn a_gateway_refusal_exits_5_with_the_code_and_reason() {
    let gateway =
        FakeGateway::answering(|_| String::from(r#"{"return_status":"-13","return_char":"invalid service"}"#));
    let output = eftpay(&pre_order(&["--return-url", "https://m.example/r"]), &gateway.base_url);
    assert_exit(&output, Status::Gateway);
    let err = stderr(&output);
    assert!(err.contains(r#"return_status "-13""#), "{err}");
    assert!(err.contains("invalid service"), "{err}");
    assert!(err.contains("unsigned"), "an unsigned refusal is reported as unverified: {err}");
    assert!(output.stdout.is_empty());
    assert_eq!(gateway.requests().len(), 1, "a place-order request is never retried");
}

#[test]
fn a_reply_signed_with_another_secret_is_not_trusted() {
    let gateway = FakeGateway::answering(|_| {
        signed_with("test-secret-not-real-other", &[("return_status", "00"), ("pay_apptrade", PAY_LINK)])
    });
    let output = eftpay(&pre_order(&["--return-url", "https://m.example/r"]), &gateway.base_url);
    assert_exit(&output, Status::Gateway);
    assert!(stderr(&output).contains("cannot be trusted"), "{}", stderr(&output));
    assert!(!stdout(&output).contains(PAY_LINK), "an unverified link must not be shown");
}

#[test]
fn an_unreachable_gateway_exits_5_and_says_nothing_was_sent() {
    // Port 1 is privileged and unused: the connection is refused at once.
    let output = eftpay(&pre_order(&["--return-url", "https://m.example/r"]), "http://127.0.0.1:1/VMP");
    assert_exit(&output, Status::Gateway);
    assert!(stderr(&output).contains("could not connect"), "{}", stderr(&output));
}

#[test]
fn query_refuses_a_reply_about_another_order() {
    let gateway = FakeGateway::answering(|request| {
        signed_with(
            SECRET,
            &[
                ("return_status", "00"),
                ("time", &request.time()),
                ("out_trade_no", "SOMEONE_ELSES"),
                ("trade_status", "TRADE_SUCCESS"),
                ("trade_type", "SALE"),
                ("transaction_amount", "0.53"),
            ],
        )
    });
    let output = eftpay(&["query", "--out-trade-no", "h1"], &gateway.base_url);
    assert_exit(&output, Status::Gateway);
    let err = stderr(&output);
    assert!(err.contains("`out_trade_no`") && err.contains("must not be trusted"), "{err}");
    assert!(!stdout(&output).contains("TRADE_SUCCESS"), "a reply about another order is never shown as this one's");
    assert_eq!(gateway.requests().len(), 1, "not retried");
}

// ---- a reply that is not the answer to this request ----

/// A query reply about order `out_trade_no`, with `extra` (an empty value leaves a field out).
fn query_reply(request: &Recorded, out_trade_no: &str, extra: &[(&str, &str)]) -> String {
    let time = request.time();
    let mut pairs = vec![
        ("return_status", "00"),
        ("time", time.as_str()),
        ("out_trade_no", out_trade_no),
        ("eft_trade_no", "20005269520084311t5rutcv1734"),
        ("user_confirm_key", USER_KEY),
        ("trade_status", "TRADE_SUCCESS"),
        ("trade_type", "SALE"),
        ("transaction_amount", "0.53"),
    ];
    pairs.retain(|(name, _)| !extra.iter().any(|(other, _)| other == name));
    pairs.extend(extra.iter().copied());
    pairs.retain(|(_, value)| !value.is_empty());
    signed_with(SECRET, &pairs)
}

/// A place-order reply for the request, with `changes` (an empty value leaves a field out).
fn place_order_reply(request: &Recorded, changes: &[(&str, &str)]) -> String {
    let (time, out_trade_no) = (request.time(), request.field("out_trade_no").unwrap_or_default());
    let mut pairs = vec![
        ("return_status", "00"),
        ("time", time.as_str()),
        ("pay_apptrade", PAY_LINK),
        ("user_confirm_key", USER_KEY),
        ("out_trade_no", out_trade_no.as_str()),
        ("eft_trade_no", "20005269520084311t5rutcv1734"),
        ("transaction_amount", "0.53"),
    ];
    pairs.retain(|(name, _)| !changes.iter().any(|(other, _)| other == name));
    pairs.extend(changes.iter().copied().filter(|(_, value)| !value.is_empty()));
    signed_with(SECRET, &pairs)
}

/// The command exited 5 naming `field`, and printed nothing of the reply as an answer.
fn refused_naming(output: &Output, field: &str) {
    assert_exit(output, Status::Gateway);
    let err = stderr(output);
    assert!(err.contains(&format!("`{field}`")) && err.contains("must not be trusted"), "{err}");
    assert!(stdout(output).is_empty(), "nothing of the reply is shown: {}", stdout(output));
}

#[test]
fn a_query_reply_without_the_order_number_asked_about_is_refused() {
    let gateway =
        FakeGateway::answering(|request| query_reply(request, "", &[("eft_trade_no", "SOMEONE_ELSES_EFT_NO")]));
    let output = eftpay(&["query", "--out-trade-no", "h1"], &gateway.base_url);
    refused_naming(&output, "out_trade_no");
    assert!(stderr(&output).contains("has no `out_trade_no`"), "{}", stderr(&output));
}

#[test]
fn a_place_order_reply_without_the_order_number_is_refused() {
    let gateway = FakeGateway::answering(|request| place_order_reply(request, &[("out_trade_no", "")]));
    let output = eftpay(&pre_order(&["--return-url", "https://m.example/r"]), &gateway.base_url);
    refused_naming(&output, "out_trade_no");
    assert!(!stdout(&output).contains(PAY_LINK));
}

#[test]
fn a_refund_query_answered_by_the_orders_reply_is_refused() {
    // The order-level reply has no refund number: its TRADE_SUCCESS is the sale's, not the refund's.
    let gateway = FakeGateway::answering(|request| query_reply(request, "h1", &[]));
    let output = eftpay(&["query", "--out-trade-no", "h1", "--refund-no", "rf_1"], &gateway.base_url);
    refused_naming(&output, "refund_no");
}

#[test]
fn a_query_answered_by_the_orders_place_order_reply_is_refused() {
    let gateway = FakeGateway::answering(|request| place_order_reply(request, &[]));
    let output = eftpay(&["query", "--out-trade-no", "h1"], &gateway.base_url);
    refused_naming(&output, "trade_status");
}

#[test]
fn a_place_order_answered_by_a_query_reply_is_refused() {
    let gateway = FakeGateway::answering(|request| {
        let out_trade_no = request.field("out_trade_no").unwrap_or_default();
        query_reply(request, &out_trade_no, &[])
    });
    let output = eftpay(&pre_order(&["--return-url", "https://m.example/r"]), &gateway.base_url);
    refused_naming(&output, "pay_apptrade");
}

#[test]
fn a_place_order_reply_with_another_amount_is_refused() {
    let gateway = FakeGateway::answering(|request| place_order_reply(request, &[("transaction_amount", "10000.00")]));
    let mut args = pre_order(&["--return-url", "https://m.example/r"]);
    args[6] = "1.00".into();
    let output = eftpay(&args, &gateway.base_url);
    refused_naming(&output, "transaction_amount");
    assert!(stderr(&output).contains(r#""10000.00", the request's "1.00""#), "{}", stderr(&output));
}

#[test]
fn a_refund_reply_with_another_refunded_amount_is_refused() {
    let gateway = FakeGateway::answering(|request| {
        signed_with(
            SECRET,
            &[
                ("return_status", "00"),
                ("time", &request.time()),
                ("out_trade_no", "rrn_1"),
                ("out_refund_no", "rf_1"),
                ("user_confirm_key", USER_KEY),
                ("trade_status", "TRADE_REFUND"),
                ("return_amount", "99.00"),
            ],
        )
    });
    let args = refund("service.alipay.web.Refund", "ALIPAYHK", ("0.50", "1.00"), "rf_1", &[]);
    let output = eftpay(&args, &gateway.base_url);
    refused_naming(&output, "return_amount");
}

#[test]
fn a_reply_ten_days_old_is_refused() {
    let gateway = FakeGateway::answering(|request| {
        let sent = HkTime::parse_compact(&request.time()).unwrap();
        let old = sent.plus_seconds(-10 * 24 * 60 * 60).unwrap().to_compact();
        signed_with(
            SECRET,
            &[("return_status", "00"), ("time", &old), ("out_trade_no", "h1"), ("trade_status", "TRADE_SUCCESS")],
        )
    });
    let output = eftpay(&["query", "--out-trade-no", "h1"], &gateway.base_url);
    assert_exit(&output, Status::Gateway);
    let err = stderr(&output);
    assert!(err.contains("`time`") && err.contains("864000 s before"), "{err}");
    assert!(!stdout(&output).contains("TRADE_SUCCESS"), "{}", stdout(&output));
}

#[test]
fn credentials_in_the_base_url_are_refused_and_never_printed() {
    const SENTINEL: &str = "SENTINEL-PW-0001";
    let (listener, base_url) = silent_listener();
    let authority = base_url.trim_start_matches("http://");
    for url in [
        format!("http://merchant:{SENTINEL}@{authority}"),
        format!("http://{SENTINEL}@{authority}"),
        format!("{base_url}?secret={SENTINEL}"),
        format!("{base_url}#{SENTINEL}"),
        format!("http://merchant:{SENTINEL}@{authority}?secret={SENTINEL}"),
        format!("merchant:{SENTINEL}@{authority}"),
        // Does not parse: no part of it can be told from a secret.
        format!("http://127.0.0.1:{SENTINEL}/VMP"),
        SENTINEL.to_owned(),
    ] {
        let output = eftpay(&["query", "--out-trade-no", "h1"], &url);
        assert_exit(&output, Status::Usage);
        let printed = format!("{}{}", stdout(&output), stderr(&output));
        assert!(!printed.contains(SENTINEL) && !printed.contains("merchant"), "{url} echoed: {printed}");
        assert!(stderr(&output).contains("EFTPAY_BASE_URL"), "{}", stderr(&output));
    }
    assert!(no_connection_was_made(&listener), "nothing is sent to a URL that carries credentials");
}

// ---- flags, named in every problem ----

#[test]
fn an_amount_of_minus_one_is_read_as_a_value_and_refused_as_an_amount() {
    let (listener, base_url) = silent_listener();
    let mut args = pre_order(&["--return-url", "https://m.example/r"]);
    args[6] = "-1".into();
    let output = eftpay(&args, &base_url);
    assert_exit(&output, Status::InvalidRequest);
    let err = stderr(&output);
    assert!(err.contains("--amount: amount `-1` has a sign"), "{err}");
    assert!(no_connection_was_made(&listener));
}

#[test]
fn a_flag_the_interface_has_no_field_for_names_the_flag_and_the_interface() {
    let (listener, base_url) = silent_listener();
    let args = [
        "pre-order",
        "--service",
        "AlipayQrcodePreOrder",
        "--wallet",
        "ALIPAYHK",
        "--amount",
        "1.00",
        "--out-trade-no",
        "q1",
        "--subject",
        "s",
        "--return-url",
        "https://m.example/r",
        "--lang",
        "en",
        "--notify-url",
        "https://m.example/n",
    ];
    let output = eftpay(&args, &base_url);
    assert_exit(&output, Status::InvalidRequest);
    let err = stderr(&output);
    assert!(err.contains("qrcode_pre_order takes no --return-url"), "{err}");
    assert!(err.contains("qrcode_pre_order takes no --lang"), "{err}");
    assert!(err.contains("fix 2 problems"), "every problem at once: {err}");
    assert!(no_connection_was_made(&listener));
}

#[test]
fn a_field_a_service_needs_is_named_by_its_flag_not_by_the_specs_words() {
    let (listener, base_url) = silent_listener();
    let output = eftpay(&pre_order(&[]), &base_url);
    assert_exit(&output, Status::InvalidRequest);
    let err = stderr(&output);
    assert!(err.contains("--return-url is required for service service.alipay.web.PreOrder"), "{err}");
    for flag in CATALOG.flags {
        assert!(!err.contains(flag.name), "the spec's flag {} leaked into: {err}", flag.name);
    }
    assert!(!err.contains("seed"), "{err}");
    assert!(no_connection_was_made(&listener));
}

#[test]
fn field_sets_any_field_by_its_wire_name_and_refuses_names_the_interface_lacks() {
    let gateway = accepted_order();
    let output = eftpay(&pre_order(&["--return-url", "https://m.example/r", "--field", "tid=T-9"]), &gateway.base_url);
    assert_exit(&output, Status::Ok);
    assert_eq!(gateway.only_request().field("tid").as_deref(), Some("T-9"));

    let (listener, base_url) = silent_listener();
    let args = pre_order(&["--return-url", "https://m.example/r", "--field", "tidd=1", "--field", "sign=x"]);
    let output = eftpay(&args, &base_url);
    assert_exit(&output, Status::InvalidRequest);
    let err = stderr(&output);
    assert!(err.contains("--field tidd: place_order has no field `tidd`"), "{err}");
    assert!(err.contains("--field sign: the command fills it in"), "{err}");
    assert!(no_connection_was_made(&listener));
}

#[test]
fn field_refuses_another_value_for_a_fixed_field_and_takes_its_own() {
    let (query, fixed) = CATALOG
        .interfaces
        .iter()
        .filter(|i| i.purpose == Purpose::Query && CATALOG.services_of(i.name).next().is_none())
        .find_map(|i| i.fields.iter().find(|f| f.fixed.is_some()).map(|f| (i, f)))
        .expect("a query without rows has a fixed field");
    let scene = CATALOG.scenes_of(query.name).next().unwrap();
    let value = fixed.fixed.unwrap();
    let (listener, base_url) = silent_listener();
    let other = format!("{}=NOT-{value}", fixed.wire);
    let own = format!("{}={value}", fixed.wire);
    let args = ["query", "--scene", scene.name, "--out-trade-no", "rrn_1", "--field", &other, "--field", &own];
    let output = eftpay(&args, &base_url);
    assert_exit(&output, Status::InvalidRequest);
    let err = stderr(&output);
    assert!(err.contains(&format!("--field {}: it is always `{value}`", fixed.wire)), "{err}");
    assert_eq!(err.matches(&format!("--field {}", fixed.wire)).count(), 1, "its own value is taken: {err}");
    assert!(no_connection_was_made(&listener));
}

#[test]
fn a_field_given_by_flag_and_by_name_is_refused() {
    let (listener, base_url) = silent_listener();
    let args = pre_order(&["--return-url", "https://m.example/r", "--field", "subject=other"]);
    let output = eftpay(&args, &base_url);
    assert_exit(&output, Status::InvalidRequest);
    assert!(stderr(&output).contains("--field subject and --subject both set `subject`"), "{}", stderr(&output));
    assert!(no_connection_was_made(&listener));
}

#[test]
fn refund_amount_and_amount_are_one_flag_in_a_refund() {
    let (listener, base_url) = silent_listener();
    let args = [
        "refund",
        "--service",
        "service.alipay.web.Refund",
        "--wallet",
        "ALIPAYHK",
        "--amount",
        "0.10",
        "--refund-amount",
        "0.20",
        "--total",
        "0.53",
        "--out-trade-no",
        "rrn_1",
        "--refund-no",
        "rf_1",
    ];
    let output = eftpay(&args, &base_url);
    assert_exit(&output, Status::InvalidRequest);
    assert!(stderr(&output).contains("--amount and --refund-amount both set `return_amount`"), "{}", stderr(&output));
    assert!(no_connection_was_made(&listener));
}

// ---- errors name their causes ----

#[test]
fn a_refused_connection_and_an_unknown_host_read_differently() {
    let refused = eftpay(&["query", "--out-trade-no", "h1"], "http://127.0.0.1:1/VMP");
    assert_exit(&refused, Status::Gateway);
    let refused = stderr(&refused);
    assert!(refused.contains("cause:") && refused.contains("refused"), "{refused}");

    let unknown = eftpay(&["query", "--out-trade-no", "h1"], "http://no-such-host.invalid/VMP");
    assert_exit(&unknown, Status::Gateway);
    let unknown = stderr(&unknown);
    assert!(unknown.contains("cause:") && unknown.to_lowercase().contains("dns"), "{unknown}");
    assert_ne!(refused.split("cause:").nth(1), unknown.split("cause:").nth(1));
    assert_eq!(unknown.lines().count(), 1, "{unknown}");
}
