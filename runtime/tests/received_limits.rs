//! What a received body may be, checked before its signature can be: at most `MAX_BODY_BYTES`
//! (checked before parsing), at most `MAX_FIELDS` top-level fields (reading stops at the first
//! one too many), read in time linear in its size, and with no field name that makes the signed
//! text ambiguous.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)] // test code

use std::fmt::Write as _;

use eftpay::notify;
use eftpay::{Notification, ReceiveLimits};

const MAX_BODY_BYTES: usize = ReceiveLimits::DEFAULT.max_body_bytes;
const MAX_FIELDS: usize = ReceiveLimits::DEFAULT.max_fields;
use eftpay::{ReceivedError, ReceivedFields, Secret, VerifyError};

/// A JSON object of `count` distinct fields `f0`, `f1`, … with value `"v"`, left open so a test
/// can append to it; close it with `}`.
fn open_json(count: usize) -> String {
    let mut body = String::from("{");
    for i in 0..count {
        if i > 0 {
            body.push(',');
        }
        write!(body, "\"f{i}\":\"v\"").unwrap();
    }
    body
}

fn json(count: usize) -> String {
    open_json(count) + "}"
}

/// A form body of `count` distinct fields `f0=v&f1=v&…`.
fn form(count: usize) -> String {
    (0..count).map(|i| format!("f{i}=v")).collect::<Vec<_>>().join("&")
}

/// As large as axum's default body limit allows (2 MiB), of as many distinct fields as fit: the
/// body that took 30 s of CPU when each field was compared with every earlier one.
fn two_mib_of_fields() -> String {
    let mut body = String::from("{");
    let mut i = 0usize;
    loop {
        let field = format!("\"f{i}\":\"v\",");
        if body.len() + field.len() + 1 > 2 * 1024 * 1024 {
            break;
        }
        body.push_str(&field);
        i += 1;
    }
    body.pop();
    body.push('}');
    assert!(i > 150_000, "{i} fields");
    body
}

/// Limits high enough for anything a test builds: what is left is the cost of reading.
const UNLIMITED: ReceiveLimits = ReceiveLimits { max_body_bytes: usize::MAX, max_fields: usize::MAX };

#[test]
fn refuses_a_body_over_the_size_limit_before_parsing() {
    let body = two_mib_of_fields();
    let too_large = ReceivedError::TooLarge { limit: MAX_BODY_BYTES, size: body.len() };
    assert_eq!(ReceivedFields::from_json(&body).unwrap_err(), too_large);
    assert_eq!(ReceivedFields::from_json_bytes(body.as_bytes()).unwrap_err(), too_large);
    let secret = Secret::new("test-secret-not-real");
    assert_eq!(notify::verify_notification(&body, &secret).unwrap_err(), VerifyError::Body(too_large));

    let form = form(200_000);
    let too_large = ReceivedError::TooLarge { limit: MAX_BODY_BYTES, size: form.len() };
    assert_eq!(ReceivedFields::from_form(&form).unwrap_err(), too_large);
    assert_eq!(notify::verify_return::<eftpay::SyncReturn>(&form, &secret).unwrap_err(), VerifyError::Body(too_large));

    // Not even looked at: text that is not JSON (or not UTF-8) is refused for its size alone.
    let junk = "x".repeat(MAX_BODY_BYTES + 1);
    assert_eq!(
        ReceivedFields::from_json(&junk).unwrap_err(),
        ReceivedError::TooLarge { limit: MAX_BODY_BYTES, size: MAX_BODY_BYTES + 1 }
    );
    assert_eq!(
        ReceivedFields::from_json_bytes(&vec![0xff; MAX_BODY_BYTES + 1]).unwrap_err(),
        ReceivedError::TooLarge { limit: MAX_BODY_BYTES, size: MAX_BODY_BYTES + 1 }
    );
    // At the limit, the body is parsed (and here found not to be JSON).
    assert!(matches!(ReceivedFields::from_json(&junk[..MAX_BODY_BYTES]), Err(ReceivedError::NotJsonObject { .. })));
}

#[test]
fn refuses_more_fields_than_the_limit_and_reads_no_further() {
    let at_limit = json(MAX_FIELDS);
    assert!(at_limit.len() < MAX_BODY_BYTES);
    assert_eq!(ReceivedFields::from_json(&at_limit).unwrap().len(), MAX_FIELDS);
    assert_eq!(ReceivedFields::from_form(&form(MAX_FIELDS)).unwrap().len(), MAX_FIELDS);

    let too_many = ReceivedError::TooManyFields { limit: MAX_FIELDS };
    // What follows the first field too many — broken JSON, a duplicate — is never reached.
    let json_body = open_json(MAX_FIELDS + 1) + ", this is not JSON";
    assert!(json_body.len() < MAX_BODY_BYTES);
    assert_eq!(ReceivedFields::from_json(&json_body).unwrap_err(), too_many);
    let form_body = form(MAX_FIELDS + 1) + "&f0=duplicate";
    assert_eq!(ReceivedFields::from_form(&form_body).unwrap_err(), too_many);
    // Pairs are not taken beyond the limit: an endless supply ends in a refusal.
    let endless = (0usize..).map(|i| (format!("f{i}"), "v"));
    assert_eq!(ReceivedFields::from_pairs(endless).unwrap_err(), too_many);
}

/// 200,000 fields: comparing each name with every earlier one is 2·10¹⁰ comparisons, which does
/// not finish within a test run; a linear reader takes a fraction of a second.
#[test]
fn reading_is_linear_in_the_number_of_fields() {
    const COUNT: usize = 200_000;
    let body = json(COUNT);
    let fields = ReceivedFields::from_json_within(&body, UNLIMITED).unwrap();
    assert_eq!(fields.len(), COUNT);
    assert_eq!(fields.text("f199999"), Some("v"));

    let form_body = form(COUNT);
    assert_eq!(ReceivedFields::from_form_within(&form_body, UNLIMITED).unwrap().len(), COUNT);
}

#[test]
fn a_duplicate_after_many_fields_is_still_found() {
    const COUNT: usize = 200_000;
    let duplicate = ReceivedError::DuplicateField { field: "f0".into() };
    let body = open_json(COUNT) + r#","f0":"again"}"#;
    assert_eq!(ReceivedFields::from_json_within(&body, UNLIMITED).unwrap_err(), duplicate);
    let form_body = form(COUNT) + "&f0=again";
    assert_eq!(ReceivedFields::from_form_within(&form_body, UNLIMITED).unwrap_err(), duplicate);
}

/// A genuine refund notification, its two refund fields merged into one name that carries the
/// `&` and `=` of the signed text: the signed text is unchanged, so the `sign` still matches,
/// but without `refund_no` and `return_amount` the message would read as a payment.
#[test]
fn refuses_a_refund_re_encoded_as_a_payment_through_a_field_name() {
    let secret = Secret::new("test-secret-not-real");
    let genuine = notify::sign_for_test(
        r#"{"notify_type":"trade_status_sync","out_trade_no":"rrn_1","refund_no":"RF1","return_amount":"0.20","total_fee":"1.00","trade_status":"TRADE_SUCCESS"}"#,
        &secret,
    )
    .unwrap();
    let verified = notify::verify_notification(&genuine, &secret).unwrap();
    assert!(matches!(verified.message(), Notification::Refund(_)));

    let forged =
        genuine.replace(r#""refund_no":"RF1","return_amount":"0.20""#, r#""refund_no=RF1&return_amount":"0.20""#);
    assert_ne!(forged, genuine);
    assert_eq!(
        notify::verify_notification(&forged, &secret).unwrap_err(),
        VerifyError::Body(ReceivedError::AmbiguousFieldName { field: "refund_no=RF1&return_amount".into() })
    );
}

#[test]
fn refusals_say_what_the_limit_is_and_that_the_body_is_not_from_eftpay() {
    let texts = [
        ReceivedError::TooLarge { limit: MAX_BODY_BYTES, size: MAX_BODY_BYTES + 1 }.to_string(),
        ReceivedError::TooManyFields { limit: MAX_FIELDS }.to_string(),
    ];
    assert!(texts[0].contains(&MAX_BODY_BYTES.to_string()), "{}", texts[0]);
    assert!(texts[1].contains(&MAX_FIELDS.to_string()), "{}", texts[1]);
    for text in texts {
        assert!(text.contains("not an eftPay message"), "{text}");
    }
}
