//! A verified reply as the person at the terminal reads it: a line saying what acceptance means
//! for the request's purpose, then every field of the reply under its wire name, in the order of
//! the interface's response table (fields the spec does not list after them, verbatim), each
//! escaped so that nothing received can forge a line or reach the terminal as a control sequence.

use eftpay::catalog::{Catalog, FieldInfo, InterfaceInfo, TypedFields};
use eftpay::rules::{Concept, FieldKind, Meaning, Purpose};
use eftpay::{HkTime, Verified};

use crate::output;
use crate::request::Target;

/// The lead line and the fields.
pub fn render(target: &Target, sent: &[(&'static str, String)], reply: &Verified<TypedFields>) -> String {
    let lead = output::printable(&lead(target, sent)).into_owned();
    format!("{lead}\n{}", fields(target.interface, reply))
}

/// Every field of the reply, `sign` left out.
pub fn fields(interface: &InterfaceInfo, reply: &Verified<TypedFields>) -> String {
    let typed = reply.message();
    let mut lines = output::Fields::default();
    for field in interface.response.iter().filter(|f| f.concept != Some(Concept::Sign)) {
        if let Some(value) = typed.text(field.wire) {
            lines.add(field.wire, shown(field, value));
        }
    }
    // What this version of the spec does not list is shown too: nothing eftPay sent is hidden.
    for name in &typed.extra {
        if let Some(value) = reply.fields().get(name) {
            lines.add(name, value);
        }
    }
    lines.render()
}

/// A time written out and marked as Hong Kong time (eftPay's clock, UTC+8): the compact
/// `20230609110645` is hard to read and easy to take for local time.
fn shown(field: &FieldInfo, value: &str) -> String {
    let time = match field.kind {
        FieldKind::Time => HkTime::parse_compact(value).ok(),
        FieldKind::DateTime => HkTime::parse_dashed(value).ok(),
        _ => None,
    };
    time.map_or_else(|| value.to_owned(), |time| format!("{} (Hong Kong time)", time.to_dashed()))
}

/// The response field that links the payer to the payment: a QR code's content, else a link.
pub fn link_field(interface: &InterfaceInfo) -> Option<&'static FieldInfo> {
    interface.response_field_for(Concept::QrCode).or_else(|| interface.response_field_for(Concept::PayLink))
}

/// `trade_status TRADE_SUCCESS`: the state field and its value meaning `meaning`, in the
/// messages that report on `interface`'s orders (its notification, its scene's query).
fn status_words(target: &Target, meaning: Meaning) -> String {
    let catalog = target.catalog;
    let reporting = target
        .interface
        .notification
        .and_then(|name| catalog.interface(name))
        .and_then(|i| i.field_for(Concept::TradeStatus))
        .or_else(|| target.interface.response_field_for(Concept::TradeStatus))
        .or_else(|| {
            let query = target.scene.and_then(|scene| catalog.scene_interface(scene, Purpose::Query))?;
            query.response_field_for(Concept::TradeStatus)
        });
    match reporting.and_then(|field| Some((field.wire, catalog.wire_for(field.enum_name?, meaning)?))) {
        Some((wire, code)) => format!("{wire} {code}"),
        None => "the trade status meaning paid".to_owned(),
    }
}

/// The command that follows up on a request about an order: its query, in its scene.
fn follow_up(target: &Target, sent: &[(&'static str, String)]) -> Option<String> {
    let catalog: &Catalog = target.catalog;
    let scene = target.scene?;
    let query = catalog.scene_interface(scene, Purpose::Query)?;
    let mut command = String::from("eftpay query");
    if catalog.scenes.first().is_some_and(|first| first.name != scene.name) {
        command.push_str(&format!(" --scene {}", scene.name));
    }
    let mut rows = catalog.services_of(query.name);
    if rows.next().is_some() && rows.next().is_some() {
        match target.interface.sent_value(sent, Concept::Wallet) {
            Some(wallet) => command.push_str(&format!(" --wallet {wallet}")),
            None => command.push_str(" --service SERVICE"),
        }
    }
    match target.interface.sent_value(sent, Concept::OutTradeNo) {
        Some(number) => command.push_str(&format!(" --out-trade-no {number}")),
        None => {
            command.push_str(&format!(" --eft-trade-no {}", target.interface.sent_value(sent, Concept::EftTradeNo)?))
        }
    }
    if let Some(refund) = target.interface.sent_value(sent, Concept::RefundNo)
        && query.field_for(Concept::RefundNo).is_some()
    {
        command.push_str(&format!(" --refund-no {refund}"));
    }
    Some(command)
}

/// What acceptance means for the request's purpose.
fn lead(target: &Target, sent: &[(&'static str, String)]) -> String {
    let follow = |what: &str| {
        follow_up(target, sent).map_or_else(String::new, |command| format!("; `{command}` follows {what}"))
    };
    match target.purpose {
        Purpose::PlaceOrder => {
            let link = link_field(target.interface).map_or("the pay link", |field| field.wire);
            format!(
                "order accepted — not paid yet: send the payer to {link}; only {} (in the notification or `eftpay \
                 query`) means paid",
                status_words(target, Meaning::Paid)
            )
        }
        Purpose::Query => "the trade as eftPay has it (the refund's, when a refund number was given):".to_owned(),
        Purpose::Refund => format!("refund request accepted — the state below is the refund's{}", follow("it")),
        Purpose::ApplyRefund => format!(
            "refund application accepted — {} means eftPay finishes it later{}",
            status_words(target, Meaning::ApplyAccepted),
            follow("it")
        ),
        Purpose::Close => format!("order closed — it can no longer be paid{}", follow("its state")),
        _ => "accepted".to_owned(),
    }
}
