#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The `eftpay` binary as scripts see it: stdout, stderr and exit codes.

use std::path::Path;
use std::process::{Output, Stdio};

mod support;

use eftpay::signing::sign_fields;
use eftpay::{ReceivedFields, Secret};
use support::{Status, assert_exit, code, run, stderr, stdout};

const SECRET: &str = "test-secret-not-real";
const OTHER_SECRET: &str = "test-secret-not-real-other";

/// eftPay's published payment notification example (the shape of `docs/protocol.md` §6), signed
/// with a secret nobody has.
const DOC_NOTIFICATION: &str = r#"{"currency":"HKD","eft_trade_no":"20005269520084311t5rutcv1734","eftpay_trade_no":"20005269520084311t5rutcv1734","gmt_payment":"2019-09-24 02:20:29","notify_type":"trade_status_sync","out_trade_no":"rrn_1686280005975","sign":"9fdff8df93645e4b24919543f46c6b1219f80e7f47341d0c04834ee303903449","time":"20230609110645","total_fee":"1","trade_no":"2019082422001386450540290447","trade_status":"TRADE_SUCCESS","user_confirm_key":"S0003469","wallet":"ALIPAYCN","transaction_id":"2020012022001386451433772415","trade_type":"SALE"}"#;

const REFUND_NOTIFICATION: &str = r#"{"notify_type":"trade_status_sync","user_confirm_key":"S0003469","out_trade_no":"rrn_1686280005998","eft_trade_no":"08520005269190824010701722","total_fee":"0.53","return_amount":"0.20","refund_no":"rf_1686280009001","trade_status":"TRADE_REFUND","trade_type":"REFUND","currency":"HKD","time":"20230609120500"}"#;

/// Runs `eftpay args…` with `stdin` and, if given, `EFTPAY_SECRET` (nothing inherited).
fn eftpay(args: &[&str], secret: Option<&str>, stdin: &[u8]) -> Output {
    let env: Vec<(&str, &str)> = secret.map(|secret| ("EFTPAY_SECRET", secret)).into_iter().collect();
    run(args, &env, stdin)
}

fn last_line(text: &str) -> &str {
    text.lines().last().unwrap_or("")
}

/// The library's sign of a JSON message: what the binary must agree with.
fn library_sign(json: &str, secret: &str) -> String {
    sign_fields(&ReceivedFields::from_json(json).unwrap(), &Secret::new(secret))
}

/// `json` with its `sign` set (or replaced) to the library's sign under `secret`.
fn signed(json: &str, secret: &str) -> String {
    let mut object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(json).unwrap();
    object.insert("sign".into(), library_sign(json, secret).into());
    serde_json::to_string(&object).unwrap()
}

// ---- sign ----

#[test]
fn sign_prints_the_library_sign_as_64_lowercase_hex_on_the_last_line() {
    let message = r#"{"out_trade_no":"rrn_1","total_fee":100,"items":[{"price":0.50}],"tid":""}"#;
    let output = eftpay(&["sign"], Some(SECRET), message.as_bytes());
    assert_exit(&output, Status::Ok);
    let sign = last_line(&stdout(&output)).to_owned();
    assert_eq!(sign.len(), 64);
    assert!(sign.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)), "{sign}");
    assert_eq!(sign, library_sign(message, SECRET));
}

#[test]
fn sign_ignores_a_sign_already_in_the_input() {
    let without = eftpay(&["sign"], Some(SECRET), br#"{"a":"1","b":"2"}"#);
    let with = eftpay(&["sign"], Some(SECRET), br#"{"a":"1","sign":"0000","b":"2"}"#);
    assert_exit(&with, Status::Ok);
    assert_eq!(stdout(&with), stdout(&without));
}

#[test]
fn explain_shows_the_signed_string_behind_a_secret_placeholder_and_the_left_out_fields() {
    let message = r#"{"b":"2","sign":"old","tid":"","a":"1","refund_no":null}"#;
    let output = eftpay(&["sign", "--explain"], Some(SECRET), message.as_bytes());
    assert_exit(&output, Status::Ok);
    let text = stdout(&output);
    assert!(text.lines().any(|line| line == "<secret>a=1&b=2"), "{text}");
    assert!(text.lines().any(|line| line.trim_start().starts_with("sign:") && line.contains("never signed")), "{text}");
    assert!(text.lines().any(|line| line.trim_start() == "tid: empty string"), "{text}");
    assert!(text.lines().any(|line| line.trim_start() == "refund_no: null"), "{text}");
    assert_eq!(last_line(&text), library_sign(message, SECRET));
}

#[test]
fn explain_never_prints_the_secret() {
    let output = eftpay(&["sign", "--explain"], Some(SECRET), br#"{"a":"1"}"#);
    assert_exit(&output, Status::Ok);
    assert!(!stdout(&output).contains(SECRET));
    assert!(!stderr(&output).contains(SECRET));
}

#[test]
fn sign_agrees_with_every_golden_vector() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/tests/golden/signing_vectors.json");
    let vectors: Vec<serde_json::Value> = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert!(!vectors.is_empty(), "no vectors in {}", path.display());
    let mut wrong = Vec::new();
    for vector in &vectors {
        let field = |key: &str| vector[key].as_str().unwrap_or_else(|| panic!("vector field `{key}`: {vector}"));
        let (name, secret, message) = (field("name"), field("secret"), field("message"));
        let output = eftpay(&["sign", "--explain"], Some(secret), message.as_bytes());
        let text = stdout(&output);
        let problem = if output.status.code() != code(Status::Ok) {
            Some(format!("exit {:?}: {}", output.status.code(), stderr(&output)))
        } else if last_line(&text) != field("sign") {
            Some(format!("sign {} instead of {}", last_line(&text), field("sign")))
        } else if !text.contains(&format!("<secret>{}\n", field("canonical"))) {
            Some(format!("the explanation does not show the canonical string:\n{text}"))
        } else if text.contains(secret) {
            Some(String::from("the secret was printed"))
        } else {
            None
        };
        if let Some(problem) = problem {
            wrong.push(format!("{name}: {problem}"));
        }
    }
    assert!(wrong.is_empty(), "{} of {} vectors wrong:\n{}", wrong.len(), vectors.len(), wrong.join("\n"));
}

#[test]
fn sign_refuses_duplicate_fields_as_unreadable_input() {
    let output = eftpay(&["sign"], Some(SECRET), br#"{"a":"1","a":"2"}"#);
    assert_exit(&output, Status::UnreadableInput);
    assert!(stderr(&output).contains("`a` appears more than once"), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
}

// ---- input size ----

/// `eftpay sign` and `eftpay verify-notify` read at most this much: the library's limit for a
/// received message.
const MAX_INPUT_BYTES: usize = eftpay::ReceiveLimits::DEFAULT.max_body_bytes;

/// A JSON object of exactly `len` bytes, one field padded out.
fn json_of_len(len: usize) -> Vec<u8> {
    let frame = r#"{"a":""}"#.len();
    format!(r#"{{"a":"{}"}}"#, "x".repeat(len - frame)).into_bytes()
}

#[test]
fn refuses_input_larger_than_the_stated_limit_naming_it() {
    let too_large = json_of_len(MAX_INPUT_BYTES + 1);
    for args in [&["sign"][..], &["verify-notify"][..], &["verify-notify", "--form"][..]] {
        let output = eftpay(args, Some(SECRET), &too_large);
        assert_exit(&output, Status::UnreadableInput);
        let err = stderr(&output);
        assert!(err.contains(&format!("more than {MAX_INPUT_BYTES} bytes")), "{args:?}: {err}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn reads_a_message_that_fills_the_input_limit_exactly() {
    let at_limit = json_of_len(MAX_INPUT_BYTES);
    let output = eftpay(&["sign"], Some(SECRET), &at_limit);
    assert_exit(&output, Status::Ok);
    assert_eq!(last_line(&stdout(&output)), library_sign(std::str::from_utf8(&at_limit).unwrap(), SECRET));

    let mut notification = signed(DOC_NOTIFICATION, SECRET).into_bytes();
    notification.resize(MAX_INPUT_BYTES, b' ');
    assert_exit(&eftpay(&["verify-notify"], Some(SECRET), &notification), Status::Ok);
}

// ---- configuration and usage ----

#[test]
fn missing_secret_is_a_configuration_error_that_says_what_to_export() {
    let output = eftpay(&["sign"], None, br#"{"a":"1"}"#);
    assert_exit(&output, Status::Usage);
    assert!(stderr(&output).contains("export EFTPAY_SECRET="), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
}

#[test]
fn empty_secret_is_a_configuration_error() {
    for args in [&["sign"][..], &["verify-notify"][..]] {
        let output = eftpay(args, Some(""), DOC_NOTIFICATION.as_bytes());
        assert_exit(&output, Status::Usage);
        assert!(stderr(&output).contains("EFTPAY_SECRET is empty"), "{}", stderr(&output));
    }
}

#[test]
fn unknown_arguments_are_usage_errors() {
    assert_exit(&eftpay(&["frobnicate"], Some(SECRET), b""), Status::Usage);
    assert_exit(&eftpay(&["sign", "--no-such-flag"], Some(SECRET), b""), Status::Usage);
    assert_exit(&eftpay(&[], Some(SECRET), b""), Status::Usage);
}

#[test]
fn help_documents_every_exit_code() {
    // `sandbox` and the control commands list only their own (tests/control.rs).
    let commands = ["sign", "verify-notify", "spec", "pre-order", "query", "refund", "close", "demo"];
    let helps = std::iter::once(vec!["--help"]).chain(commands.iter().map(|command| vec![*command, "--help"]));
    for args in helps {
        let output = eftpay(&args, None, b"");
        assert_exit(&output, Status::Ok);
        let text = stdout(&output);
        assert!(text.contains("Exit codes:"), "{text}");
        for code in ["0", "1", "2", "3", "4", "5", "6", "7"] {
            assert!(text.lines().any(|line| line.trim_start().starts_with(&format!("{code}  "))), "{code}: {text}");
        }
        assert!(text.contains("EFTPAY_SECRET"), "{text}");
    }
}

// ---- verify-notify ----

#[test]
fn verify_notify_accepts_a_correctly_signed_notification_and_summarises_it() {
    let output = eftpay(&["verify-notify"], Some(SECRET), signed(DOC_NOTIFICATION, SECRET).as_bytes());
    assert_exit(&output, Status::Ok);
    assert_eq!(stdout(&output), "verified: out_trade_no=rrn_1686280005975 trade_status=TRADE_SUCCESS amount=1.00\n");
    assert!(output.stderr.is_empty(), "{}", stderr(&output));
}

#[test]
fn verify_notify_shows_the_refund_amount_of_a_refund_notification() {
    let output = eftpay(&["verify-notify"], Some(SECRET), signed(REFUND_NOTIFICATION, SECRET).as_bytes());
    assert_exit(&output, Status::Ok);
    assert_eq!(
        stdout(&output),
        "verified: out_trade_no=rrn_1686280005998 trade_status=TRADE_REFUND amount=0.53 refund_amount=0.20\n"
    );
}

#[test]
fn verify_notify_rejects_a_notification_whose_total_fee_was_changed() {
    let tampered = signed(DOC_NOTIFICATION, SECRET).replace(r#""total_fee":"1""#, r#""total_fee":"1000""#);
    assert!(tampered.contains(r#""total_fee":"1000""#));
    let output = eftpay(&["verify-notify"], Some(SECRET), tampered.as_bytes());
    assert_exit(&output, Status::VerificationFailed);
    assert!(stderr(&output).contains("changed, or signed with another secret"), "{}", stderr(&output));
    assert_eq!(stderr(&output).lines().count(), 1, "{}", stderr(&output));
    assert!(output.stdout.is_empty());
}

#[test]
fn verify_notify_rejects_a_notification_signed_with_another_secret_without_printing_either() {
    let output = eftpay(&["verify-notify"], Some(SECRET), signed(DOC_NOTIFICATION, OTHER_SECRET).as_bytes());
    assert_exit(&output, Status::VerificationFailed);
    let (out, err) = (stdout(&output), stderr(&output));
    assert!(err.contains("signed with another secret"), "{err}");
    assert!(!out.contains(SECRET) && !err.contains(SECRET), "a secret was printed: {out}{err}");
}

#[test]
fn the_documented_example_notification_parses_and_fails_only_its_signature() {
    let output = eftpay(&["verify-notify"], Some(SECRET), DOC_NOTIFICATION.as_bytes());
    assert_exit(&output, Status::VerificationFailed);
    assert!(stderr(&output).contains("does not match"), "{}", stderr(&output));
}

#[test]
fn verify_notify_rejects_a_notification_without_sign() {
    let output = eftpay(&["verify-notify"], Some(SECRET), br#"{"out_trade_no":"rrn_1","total_fee":"1"}"#);
    assert_exit(&output, Status::VerificationFailed);
    assert!(stderr(&output).contains("no `sign`"), "{}", stderr(&output));
}

#[test]
fn verify_notify_rejects_a_sign_that_is_not_64_hex_characters() {
    let output = eftpay(&["verify-notify"], Some(SECRET), br#"{"out_trade_no":"rrn_1","sign":"abc"}"#);
    assert_exit(&output, Status::VerificationFailed);
    assert!(stderr(&output).contains("64 hex"), "{}", stderr(&output));
}

#[test]
fn verify_notify_accepts_a_correctly_signed_form_return() {
    // The values as decoded: the sign covers decoded text, not the percent-encoding.
    let pairs = [
        ("out_trade_no", "rrn_1686280005975"),
        ("trade_status", "TRADE_SUCCESS"),
        ("total_fee", "0.53"),
        ("gmt_payment", "2019-09-24 02:20:29"),
        ("time", "20230609110645"),
    ];
    let sign = sign_fields(&ReceivedFields::from_pairs(pairs).unwrap(), &Secret::new(SECRET));
    let body = format!(
        "out_trade_no=rrn_1686280005975&trade_status=TRADE_SUCCESS&total_fee=0.53\
         &gmt_payment=2019-09-24+02%3A20%3A29&time=20230609110645&sign={sign}\n"
    );
    let output = eftpay(&["verify-notify", "--form"], Some(SECRET), body.as_bytes());
    assert_exit(&output, Status::Ok);
    assert_eq!(stdout(&output), "verified: out_trade_no=rrn_1686280005975 trade_status=TRADE_SUCCESS amount=0.53\n");

    let tampered = body.replace("total_fee=0.53", "total_fee=0.01");
    assert_exit(&eftpay(&["verify-notify", "--form"], Some(SECRET), tampered.as_bytes()), Status::VerificationFailed);
}

#[test]
fn verify_notify_refuses_text_that_is_not_json_as_unreadable() {
    let output = eftpay(&["verify-notify"], Some(SECRET), b"this is not json");
    assert_exit(&output, Status::UnreadableInput);
    assert!(stderr(&output).contains("not a JSON object"), "{}", stderr(&output));
}

#[test]
fn verify_notify_refuses_json_that_is_not_an_object_as_unreadable() {
    for body in [&b"[1,2]"[..], b"\"text\"", b"42", b"null", b""] {
        assert_exit(&eftpay(&["verify-notify"], Some(SECRET), body), Status::UnreadableInput);
    }
}

#[test]
fn verify_notify_refuses_duplicate_fields_even_when_signed() {
    let body = signed(DOC_NOTIFICATION, SECRET).replacen('{', r#"{"total_fee":"1000","#, 1);
    let output = eftpay(&["verify-notify"], Some(SECRET), body.as_bytes());
    assert_exit(&output, Status::UnreadableInput);
    assert!(stderr(&output).contains("`total_fee` appears more than once"), "{}", stderr(&output));

    let form = eftpay(&["verify-notify", "--form"], Some(SECRET), b"a=1&a=2");
    assert_exit(&form, Status::UnreadableInput);
}

#[test]
fn verify_notify_refuses_bytes_that_are_not_utf8() {
    for args in [&["verify-notify"][..], &["verify-notify", "--form"][..]] {
        let output = eftpay(args, Some(SECRET), b"{\"a\":\"\xff\xfe\"}");
        assert_exit(&output, Status::UnreadableInput);
        assert!(stderr(&output).contains("UTF-8"), "{}", stderr(&output));
    }
}

#[test]
fn a_signed_field_without_its_documented_form_is_unreadable_not_forged() {
    let body = signed(&DOC_NOTIFICATION.replace(r#""total_fee":"1""#, r#""total_fee":"one""#), SECRET);
    let output = eftpay(&["verify-notify"], Some(SECRET), body.as_bytes());
    assert_exit(&output, Status::UnreadableInput);
    assert!(stderr(&output).contains("total_fee"), "{}", stderr(&output));
}

#[test]
fn verify_notify_never_panics_and_always_explains_in_one_line() {
    let deep = format!("{{\"a\":{}{}}}", "[".repeat(10_000), "]".repeat(10_000));
    let bodies: Vec<Vec<u8>> = vec![
        b"{".to_vec(),
        b"}".to_vec(),
        b"{\"sign\":null}".to_vec(),
        b"{\"sign\":123}".to_vec(),
        b"{\"sign\":{\"a\":1}}".to_vec(),
        format!("{{\"sign\":\"{}\"}}", "é".repeat(32)).into_bytes(),
        format!("{{\"sign\":\"{}\"}}", "zz".repeat(32)).into_bytes(),
        b"{\"total_fee\":1e999999,\"sign\":\"\"}".to_vec(),
        b"\xef\xbb\xbf{}".to_vec(),
        b"\0\0\0".to_vec(),
        b"=&=&&sign=%ZZ%".to_vec(),
        deep.into_bytes(),
    ];
    for body in &bodies {
        for args in [&["verify-notify"][..], &["verify-notify", "--form"][..]] {
            let output = eftpay(args, Some(SECRET), body);
            let code = output.status.code();
            assert!(matches!(code, Some(1 | 3)), "{args:?} {:?}: exit {code:?}", String::from_utf8_lossy(body));
            let err = stderr(&output);
            assert!(err.starts_with("eftpay: ") && err.lines().count() == 1, "{args:?}: {err}");
        }
    }
}

// ---- demo ----

#[test]
fn interactive_demo_without_a_payment_fails_the_payment_step_and_never_says_you_paid() {
    let output = support::eftpay(&["demo", "--interactive", "--wait", "1"])
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("the eftpay binary runs");
    assert_exit(&output, Status::DemoFailed);
    assert!(!stdout(&output).contains("You paid"), "{}", stdout(&output));
    let err = stderr(&output);
    assert!(err.contains("no payment within 1 s"), "{err}");
    assert!(err.contains("run without --interactive"), "{err}");
}

#[test]
fn interactive_demo_says_you_paid_once_the_pay_page_was_used() {
    use std::io::{BufRead, BufReader, Read};

    let mut child = support::eftpay(&["demo", "--interactive", "--wait", "120"])
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the eftpay binary starts");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
    let place = eftpay::CATALOG.scene_interface(eftpay::CATALOG.scenes[0], eftpay::rules::Purpose::PlaceOrder).unwrap();
    let link_field = place.response_field_for(eftpay::rules::Concept::PayLink).unwrap().wire;
    let mut seen = String::new();
    let link = loop {
        let mut line = String::new();
        assert_ne!(stdout.read_line(&mut line).unwrap(), 0, "the demo ended without a pay link:\n{seen}");
        seen.push_str(&line);
        if let Some(link) = line.trim().strip_prefix(&format!("{link_field} = ")) {
            break link.to_owned();
        }
    };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(eftpay_sandbox::browser::Payer::new().pay(&link)).expect("the pay page takes the payment");
    stdout.read_to_string(&mut seen).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), code(Status::Ok), "stdout:\n{seen}\nstderr:\n{}", stderr(&output));
    assert!(seen.contains("You paid on the pay page."), "{seen}");
    assert!(seen.contains(" steps checked out."), "{seen}");
}

#[test]
fn verify_notify_refuses_a_signed_reply_that_is_not_a_notification() {
    let reply = r#"{"return_status":"00","user_confirm_key":"S0003469","out_trade_no":"rrn_1","pay_apptrade":"https://pay.example/x","transaction_amount":"999.00","time":"20230609110646"}"#;
    let output = eftpay(&["verify-notify"], Some(SECRET), signed(reply, SECRET).as_bytes());
    assert_exit(&output, Status::VerificationFailed);
    assert!(stderr(&output).contains("is not a notification"), "{}", stderr(&output));
    assert!(output.stdout.is_empty(), "{}", stdout(&output));
}

#[test]
fn verify_notify_tells_a_refund_by_its_refund_no_as_the_library_does() {
    let refund = r#"{"notify_type":"trade_status_sync","out_trade_no":"rrn_1","refund_no":"rf_1","return_amount":"0.20","total_fee":"1.00","trade_status":"TRADE_REFUND","time":"20230609120500"}"#;
    let output = eftpay(&["verify-notify"], Some(SECRET), signed(refund, SECRET).as_bytes());
    assert_exit(&output, Status::Ok);
    assert_eq!(
        stdout(&output),
        "verified: out_trade_no=rrn_1 trade_status=TRADE_REFUND amount=1.00 refund_amount=0.20\n"
    );
}

#[test]
fn verify_notify_escapes_signed_values_so_they_cannot_forge_a_line_or_reach_the_terminal() {
    let forged = DOC_NOTIFICATION.replace(
        r#""out_trade_no":"rrn_1686280005975""#,
        r#""out_trade_no":"rrn_1\nverified: out_trade_no=x trade_status=TRADE_SUCCESS amount=999.00\u001b[2J""#,
    );
    let output = eftpay(&["verify-notify"], Some(SECRET), signed(&forged, SECRET).as_bytes());
    assert_exit(&output, Status::Ok);
    let out = stdout(&output);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(!out.contains('\u{1b}'), "{out:?}");
    assert!(out.contains(r"rrn_1\nverified:"), "{out}");
}

#[test]
fn help_shows_only_the_flags_some_interface_of_the_command_takes() {
    use eftpay::CATALOG;
    use eftpay::rules::{Concept, Purpose};
    let takes = |purpose: Purpose, concept: Concept| {
        CATALOG
            .interfaces
            .iter()
            .filter(|i| i.purpose == purpose)
            .any(|i| i.fields_for(concept).any(|f| f.is_caller_set()))
    };
    for (command, purpose) in [("pre-order", Purpose::PlaceOrder), ("query", Purpose::Query), ("close", Purpose::Close)]
    {
        let text = stdout(&eftpay(&[command, "--help"], None, b""));
        for (flag, concept) in [
            ("--subject ", Concept::Subject),
            ("--return-url ", Concept::ReturnUrl),
            ("--refund-no ", Concept::RefundNo),
        ] {
            assert_eq!(text.contains(flag), takes(purpose, concept), "{command} {flag}: {text}");
        }
        assert!(text.contains("--field <NAME=VALUE>"), "{text}");
    }
}
