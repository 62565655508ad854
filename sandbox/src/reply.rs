//! The gateway's replies: composed from the request interface's response table (see
//! [`outgoing`](crate::outgoing)), signed whenever the code is `00` or above and sent bare below
//! it, and logged (interface, service, order, code — never a secret or a signature).

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use eftpay::HkTime;
use eftpay::catalog::InterfaceInfo;
use eftpay::rules::{Concept, Encoding, Meaning};

use crate::Shared;
use crate::codes::{Refusal, is_signed};
use crate::outgoing::{Fact, Facts, Sealed, compose};

/// What a request was about, for the log line of its reply.
#[derive(Clone, Copy, Debug, Default)]
pub struct About<'a> {
    /// The `service` (row) it named.
    pub service: Option<&'a str>,
    /// The merchant's order number it named.
    pub out_trade_no: Option<&'a str>,
}

/// An accepted reply: the code meaning accepted, the merchant key, the time and `facts`.
pub fn accepted(
    shared: &Shared,
    interface: &'static InterfaceInfo,
    mut facts: Facts,
    now: HkTime,
    about: About<'_>,
) -> Response {
    facts
        .meaning(Concept::ReturnStatus, Some(Meaning::Accepted))
        .text(Concept::UserConfirmKey, Some(&shared.credentials.user_confirm_key))
        .set(Concept::Time, Fact::Time(now));
    let out_trade_no = about.out_trade_no.map(str::to_owned).or_else(|| match facts.get(Concept::OutTradeNo) {
        Some(Fact::Text(text)) => Some(text.clone()),
        _ => None,
    });
    let about = About { out_trade_no: out_trade_no.as_deref(), ..about };
    send(shared, interface, &facts, true, about)
}

/// A refusal: its code and text; with the merchant key, the time and a signature unless the
/// code is negative.
pub fn refused(
    shared: &Shared,
    interface: &'static InterfaceInfo,
    refusal: &Refusal,
    now: HkTime,
    about: About<'_>,
) -> Response {
    let Some(code) = refusal.code(shared.catalog) else {
        tracing::warn!(interface = interface.name, meaning = ?refusal.meaning, "the spec has no return_status for this refusal");
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!(
                "the spec served has no return_status value meaning {:?}; add one (with `sandbox = true`) to its value sets. \
                 The refusal was: {}",
                refusal.meaning, refusal.text
            ),
        )
            .into_response();
    };
    let signed = is_signed(code);
    let mut facts = Facts::default();
    facts.meaning(Concept::ReturnStatus, Some(refusal.meaning)).text(Concept::ReturnText, Some(&refusal.text));
    if signed {
        facts
            .text(Concept::UserConfirmKey, Some(&shared.credentials.user_confirm_key))
            .set(Concept::Time, Fact::Time(now));
    }
    send(shared, interface, &facts, signed, about)
}

fn send(shared: &Shared, interface: &'static InterfaceInfo, facts: &Facts, signed: bool, about: About<'_>) -> Response {
    let fields = compose(shared.catalog, interface.response, facts);
    let secret = signed.then_some(&shared.credentials.secret);
    match Sealed::reply(interface, fields, secret) {
        Ok(sealed) => {
            let body = sealed.body(Encoding::Json);
            tracing::info!(
                interface = interface.name,
                service = about.service.unwrap_or_default(),
                out_trade_no = about.out_trade_no.unwrap_or_default(),
                return_status = sealed.value(Concept::ReturnStatus).unwrap_or_default(),
                "request answered"
            );
            shared.record(interface.name, Encoding::Json, &body);
            ([(header::CONTENT_TYPE, "application/json; charset=utf-8")], body).into_response()
        }
        Err(error) => {
            tracing::warn!(interface = interface.name, %error, "reply could not be composed");
            (StatusCode::INTERNAL_SERVER_ERROR, error.to_string()).into_response()
        }
    }
}
