//! Every message the sandbox sends — replies, notifications, synchronous returns — made the same
//! way: the target interface's field table is filled in by concept from what the sandbox knows
//! (an order, a refund, the reply's code), fixed fields get their fixed value; a notification or
//! synchronous return is read into the interface's generated type and written back from it (so
//! nothing goes out that the type does not hold), then signed with the SDK's signing. A gateway
//! reply, on every request's path, is written as composed ([`Sealed::reply`]): tests read each
//! one through its type and refuse any the type would write back otherwise. No field list is
//! written here: a scene whose tables name things differently gets its own names.

use std::collections::BTreeMap;

use eftpay::catalog::{Catalog, FieldInfo, InterfaceInfo};
use eftpay::gateway::{OutgoingField, OutgoingFields};
use eftpay::rules::{Concept, Encoding, FieldKind, Meaning};
use eftpay::{Amount, HkTime, ReceivedFields, Secret};

use crate::state::{Order, Refund};

/// One thing the sandbox knows, to be written into whichever field stands for its concept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fact {
    /// Text, written as it is.
    Text(String),
    /// Money.
    Amount(Amount),
    /// A moment, written as the field's kind says (compact or dashed).
    Time(HkTime),
    /// A value of the field's value set, by what it means.
    Meaning(Meaning),
}

/// What the sandbox knows about the subject of a message, by concept.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    by_concept: BTreeMap<Concept, Fact>,
    /// Values the order's place-order request had, by wire name, for fields marked `echo`.
    echoed: BTreeMap<String, String>,
}

impl Facts {
    /// Sets (or replaces) what `concept` stands for.
    pub fn set(&mut self, concept: Concept, fact: Fact) -> &mut Self {
        self.by_concept.insert(concept, fact);
        self
    }

    /// Sets text when there is some.
    pub fn text(&mut self, concept: Concept, text: Option<&str>) -> &mut Self {
        if let Some(text) = text.filter(|t| !t.is_empty()) {
            self.by_concept.insert(concept, Fact::Text(text.to_owned()));
        }
        self
    }

    /// Sets a moment given in Unix seconds, when there is one.
    pub fn time(&mut self, concept: Concept, unix_seconds: Option<i64>) -> &mut Self {
        if let Some(time) = unix_seconds.and_then(HkTime::from_unix_seconds) {
            self.by_concept.insert(concept, Fact::Time(time));
        }
        self
    }

    /// Sets a meaning, when there is one.
    pub fn meaning(&mut self, concept: Concept, meaning: Option<Meaning>) -> &mut Self {
        if let Some(meaning) = meaning {
            self.by_concept.insert(concept, Fact::Meaning(meaning));
        }
        self
    }

    /// What `concept` stands for, if known.
    pub fn get(&self, concept: Concept) -> Option<&Fact> {
        self.by_concept.get(&concept)
    }

    /// What the order's place-order request had in field `wire`, for a field marked `echo`.
    pub fn echoed(&self, wire: &str) -> Option<&str> {
        self.echoed.get(wire).map(String::as_str)
    }

    /// The facts of a sale: the order's numbers, amounts, payer's wallet, status and times, and
    /// the request values its notifications echo.
    pub fn of_order(order: &Order) -> Facts {
        let mut facts = Facts { echoed: order.echoed.clone(), ..Facts::default() };
        facts
            .text(Concept::OutTradeNo, Some(&order.out_trade_no))
            .text(Concept::EftTradeNo, Some(&order.eft_trade_no))
            .set(Concept::Amount, Fact::Amount(order.amount))
            .set(Concept::TradeAmount, Fact::Amount(order.amount))
            .text(Concept::Currency, order.currency.as_deref())
            .text(Concept::PayType, order.pay_type.as_deref())
            .text(Concept::Wallet, order.wallet.as_deref())
            .text(Concept::Subject, order.subject.as_deref())
            .text(Concept::Terminal, order.terminal.as_deref())
            .text(Concept::BuyerType, order.buyer_type.as_deref())
            .text(Concept::TransactionId, order.transaction_id.as_deref())
            .time(Concept::PaidAt, order.paid_at)
            .time(Concept::TradeTime, order.paid_at)
            .meaning(Concept::TradeStatus, order.trade_status())
            .meaning(Concept::TradeType, Some(Meaning::Sale));
        facts
    }

    /// [`of_order`](Self::of_order), taking the order's text instead of copying it: a request
    /// that placed or changed an order holds its own copy, which the reply is made from
    /// (BENCHMARKS.md, "Sandbox gateway": each copy of an order was a measurable part of placing
    /// one). Same facts as `of_order` gives for the same order.
    pub fn from_order(order: Order) -> Facts {
        let status = order.trade_status();
        let Order {
            out_trade_no,
            eft_trade_no,
            amount,
            currency,
            pay_type,
            wallet,
            subject,
            terminal,
            buyer_type,
            transaction_id,
            paid_at,
            echoed,
            ..
        } = order;
        let mut facts = Facts { echoed, ..Facts::default() };
        facts
            .owned_text(Concept::OutTradeNo, Some(out_trade_no))
            .owned_text(Concept::EftTradeNo, Some(eft_trade_no))
            .set(Concept::Amount, Fact::Amount(amount))
            .set(Concept::TradeAmount, Fact::Amount(amount))
            .owned_text(Concept::Currency, currency)
            .owned_text(Concept::PayType, pay_type)
            .owned_text(Concept::Wallet, wallet)
            .owned_text(Concept::Subject, subject)
            .owned_text(Concept::Terminal, terminal)
            .owned_text(Concept::BuyerType, buyer_type)
            .owned_text(Concept::TransactionId, transaction_id)
            .time(Concept::PaidAt, paid_at)
            .time(Concept::TradeTime, paid_at)
            .meaning(Concept::TradeStatus, status)
            .meaning(Concept::TradeType, Some(Meaning::Sale));
        facts
    }

    /// [`text`](Self::text), keeping the string given.
    fn owned_text(&mut self, concept: Concept, text: Option<String>) -> &mut Self {
        if let Some(text) = text.filter(|t| !t.is_empty()) {
            self.by_concept.insert(concept, Fact::Text(text));
        }
        self
    }

    /// The facts of one refund of `order`: the sale's, with the refund's number, amount, time
    /// and status in place of the sale's.
    pub fn of_refund(order: &Order, refund: &Refund) -> Facts {
        let mut facts = Facts::of_order(order);
        facts
            .text(Concept::RefundNo, Some(&refund.refund_no))
            .text(Concept::RefundTradeNo, Some(&refund.refund_trade_no))
            .set(Concept::RefundAmount, Fact::Amount(refund.amount))
            .set(Concept::TradeAmount, Fact::Amount(refund.amount))
            .time(Concept::RefundTime, Some(refund.created))
            .time(Concept::TradeTime, Some(refund.created))
            .meaning(Concept::TradeStatus, Some(order.refund_status(refund)))
            .meaning(Concept::TradeType, Some(Meaning::RefundTrade));
        facts
    }
}

/// Why a message could not be made; each is a mismatch between the spec and the sandbox.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OutgoingError {
    /// The interface has no generated type for what eftPay sends.
    #[error("interface {interface} has no generated type for what eftPay sends; the spec must give it one")]
    NoCodec {
        /// The interface.
        interface: &'static str,
    },
    /// The composed fields do not read as the generated type.
    #[error("the sandbox composed a {interface} its generated type refuses ({reason}); report this as a sandbox bug")]
    Unreadable {
        /// The interface.
        interface: &'static str,
        /// Why.
        reason: String,
    },
    /// The composed fields hold something the generated type does not model.
    #[error("the sandbox composed fields {fields:?} that {interface} does not model; report this as a sandbox bug")]
    Unmodelled {
        /// The interface.
        interface: &'static str,
        /// The fields.
        fields: Vec<String>,
    },
    /// The generated type writes a composed reply back otherwise than it was composed (checked
    /// in builds with debug assertions only: see [`Sealed::reply`]).
    #[error(
        "the sandbox composed a {interface} reply whose fields {fields:?} its generated type writes back otherwise; \
         report this as a sandbox bug"
    )]
    Rewritten {
        /// The interface.
        interface: &'static str,
        /// The fields (wire names) written back otherwise (values left out: one may be the
        /// merchant key).
        fields: Vec<String>,
    },
}

/// The fields of `table` that `facts` fill in, in the table's order: fixed fields with their
/// fixed value, fields marked `echo` with the order's request value (as sent, so nothing is
/// re-rendered), fields standing for a known concept with that fact written in the field's form.
/// The signature is left out (it is computed over the result).
pub fn compose(catalog: &Catalog, table: &'static [FieldInfo], facts: &Facts) -> Vec<(&'static str, String)> {
    table
        .iter()
        .filter(|field| field.concept != Some(Concept::Sign))
        .filter_map(|field| {
            if let Some(fixed) = field.fixed {
                return Some((field.wire, fixed.to_owned()));
            }
            if field.echo {
                return facts.echoed(field.wire).map(|value| (field.wire, value.to_owned()));
            }
            let fact = facts.get(field.concept?)?;
            render(catalog, field, fact).map(|value| (field.wire, value))
        })
        .collect()
}

fn render(catalog: &Catalog, field: &FieldInfo, fact: &Fact) -> Option<String> {
    match fact {
        Fact::Text(text) => Some(text.clone()),
        Fact::Amount(amount) => Some(amount.to_string()),
        Fact::Time(time) => Some(match field.kind {
            FieldKind::DateTime => time.to_dashed(),
            _ => time.to_compact(),
        }),
        Fact::Meaning(meaning) => catalog.wire_for(field.enum_name?, *meaning).map(str::to_owned),
    }
}

/// A message ready to send: the fields its generated type holds, and its signature.
#[derive(Clone, Debug)]
pub struct Sealed {
    /// The interface whose type it is (for a reply: the request's interface).
    pub interface: &'static InterfaceInfo,
    /// Its fields, as the type wrote them: what is signed and what the body carries.
    pub fields: OutgoingFields,
    /// The signature field's wire name and value; `None` for an unsigned reply.
    pub sign: Option<(&'static str, String)>,
}

impl Sealed {
    /// Reads `fields` into `interface`'s generated type and writes them back from it, then signs
    /// them when `secret` is given (under the table's signature field). A field `table` types as
    /// an object or an array of objects goes out as JSON, the others as text.
    ///
    /// # Errors
    /// The type refuses a field, or does not model one.
    pub fn new(
        interface: &'static InterfaceInfo,
        table: &'static [FieldInfo],
        fields: Vec<(&'static str, String)>,
        secret: Option<&Secret>,
    ) -> Result<Sealed, OutgoingError> {
        let typed = interface.typed_reader().ok_or(OutgoingError::NoCodec { interface: interface.name })?;
        let received =
            ReceivedFields::from_pairs(fields.iter().filter(|(_, v)| !v.is_empty()).map(|(n, v)| (*n, v.as_str())))
                .map_err(|e| OutgoingError::Unreadable { interface: interface.name, reason: e.to_string() })?;
        let typed = typed(&received)
            .map_err(|e| OutgoingError::Unreadable { interface: interface.name, reason: e.to_string() })?;
        if !typed.extra.is_empty() {
            return Err(OutgoingError::Unmodelled { interface: interface.name, fields: typed.extra });
        }
        let fields = written(table, typed.fields);
        Ok(Sealed { interface, sign: signature(table, &fields, secret), fields })
    }

    /// A gateway reply: `fields` (composed from the request interface's response table by
    /// [`compose`]) written as they are and signed when `secret` is given — without reading
    /// them into the generated type first, which [`new`](Self::new) does for notifications and
    /// synchronous returns. A reply is on every request's path, and that read-back cost about
    /// as much as the rest of composing and signing it (BENCHMARKS.md, "Sandbox gateway"); what
    /// [`compose`] writes is already in the form the type writes back: fixed values, echoed
    /// values as sent, amounts and times rendered by the SDK's own types, codes from the
    /// spec's value sets, and text as the sandbox holds it.
    ///
    /// Builds with debug assertions (every test) still read each reply through its type and
    /// refuse one the type would not write back unchanged, so a spec whose reply tables the
    /// composition does not fit is caught by the tests that answer its requests.
    ///
    /// # Errors
    /// With debug assertions: the type refuses a field, does not model one, or writes one back
    /// otherwise.
    pub fn reply(
        interface: &'static InterfaceInfo,
        fields: Vec<(&'static str, String)>,
        secret: Option<&Secret>,
    ) -> Result<Sealed, OutgoingError> {
        let table = interface.response;
        if cfg!(debug_assertions) {
            let typed = Sealed::new(interface, table, fields.clone(), None)?;
            let direct = written(table, fields.clone());
            let differ: Vec<String> = table
                .iter()
                .filter(|f| typed.fields.text(f.wire) != direct.text(f.wire))
                .map(|f| f.wire.to_owned())
                .collect();
            if !differ.is_empty() {
                return Err(OutgoingError::Rewritten { interface: interface.name, fields: differ });
            }
        }
        let fields = written(table, fields);
        Ok(Sealed { interface, sign: signature(table, &fields, secret), fields })
    }

    /// Every field with the signature last, as text (a nested value as its JSON text).
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.fields.iter().map(|field| (field.name, field.value)).chain(self.sign.iter().map(|(n, v)| (*n, v.as_str())))
    }

    /// The body in `encoding`: JSON as the SDK writes it (nested values as JSON), or a form for
    /// the synchronous return the payer's browser carries.
    pub fn body(&self, encoding: Encoding) -> String {
        match encoding {
            Encoding::Form => {
                let mut form = form_urlencoded::Serializer::new(String::new());
                for (name, value) in self.pairs() {
                    form.append_pair(name, value);
                }
                form.finish()
            }
            _ => self.fields.json_with(self.sign.as_ref().map(|(name, value)| (*name, value.as_str()))),
        }
    }

    /// The same message with a signature that no longer matches (fault injection): its last
    /// hex digit changed.
    pub fn forged(mut self) -> Sealed {
        if let Some((_, sign)) = &mut self.sign {
            let last = sign.pop();
            sign.push(if last == Some('0') { '1' } else { '0' });
        }
        self
    }

    /// The value of the field standing for `concept`, if the message carries it.
    pub fn value(&self, concept: Concept) -> Option<&str> {
        self.interface.incoming_value(concept, |wire| self.fields.text(wire))
    }
}

/// `fields` as sent and signed: empty values left out, in byte order of name, a field `table`
/// types as an object or an array of objects as JSON, the others as text.
fn written(table: &'static [FieldInfo], fields: Vec<(&'static str, String)>) -> OutgoingFields {
    let nested = |name: &str| {
        table.iter().any(|f| f.wire == name && matches!(f.kind, FieldKind::Object | FieldKind::ObjectArray))
    };
    OutgoingFields::from_fields(
        fields.into_iter().map(|(name, value)| OutgoingField { name, nested: nested(name), value }).collect(),
    )
}

/// The signature of `fields` under `secret`, with the wire name of `table`'s signature field;
/// `None` unsigned (no secret, or a table without a signature field).
fn signature(
    table: &'static [FieldInfo],
    fields: &OutgoingFields,
    secret: Option<&Secret>,
) -> Option<(&'static str, String)> {
    match (secret, table.iter().find(|f| f.concept == Some(Concept::Sign))) {
        (Some(secret), Some(field)) => Some((field.wire, fields.sign(secret))),
        _ => None,
    }
}

/// A message the sandbox sent, as it went on the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sent {
    /// The interface whose message it is (for a reply: the request's interface, whose response
    /// table it follows).
    pub interface: &'static str,
    /// How it was encoded.
    pub encoding: Encoding,
    /// The body.
    pub body: String,
}

#[cfg(test)]
mod tests {
    use eftpay::CATALOG;
    use eftpay::rules::Purpose;

    use super::*;

    fn order() -> Order {
        Order {
            amount: Amount::from_cents(1234),
            subject: Some("Coffee".into()),
            state: crate::state::OrderState::Paid,
            paid_at: Some(1_700_000_000),
            transaction_id: Some("TX1".into()),
            ..Order::example("")
        }
    }

    #[test]
    fn facts_taken_from_an_order_are_the_facts_read_from_it() {
        use crate::state::OrderState;
        let states = [
            OrderState::Pending,
            OrderState::Paid,
            OrderState::Failed,
            OrderState::Cancelled,
            OrderState::Expired,
            OrderState::Closed,
            OrderState::NoState,
        ];
        let chosen =
            Order { wallet: Some("W".into()), pay_type: Some("P".into()), currency: Some("HKD".into()), ..order() };
        let empty = Order { subject: Some(String::new()), terminal: Some(String::new()), ..order() };
        let echoing = Order {
            terminal: Some("T1".into()),
            buyer_type: Some("MOBILE".into()),
            echoed: [("attach".to_owned(), "x=1".to_owned())].into_iter().collect(),
            ..order()
        };
        for base in [order(), chosen, empty, echoing] {
            for state in states {
                let order = Order { state, ..base.clone() };
                assert_eq!(Facts::from_order(order.clone()), Facts::of_order(&order), "{order:?}");
            }
        }
    }

    #[test]
    fn every_notification_is_composed_from_its_own_table_and_reads_back_whole() {
        let notifications = CATALOG.interfaces.iter().filter(|i| {
            matches!(i.purpose, Purpose::PaymentNotification | Purpose::RefundNotification | Purpose::SyncReturn)
        });
        let mut count = 0;
        for interface in notifications {
            let fields = compose(&CATALOG, interface.fields, &Facts::of_order(&order()));
            let sealed =
                Sealed::new(interface, interface.fields, fields, Some(&Secret::new("test-secret-not-real"))).unwrap();
            assert_eq!(sealed.value(Concept::OutTradeNo), Some("rrn_1"), "{}", interface.name);
            assert_eq!(sealed.value(Concept::Amount), Some("12.34"), "{}", interface.name);
            assert!(sealed.sign.is_some());
            count += 1;
        }
        assert!(count > 0);
    }

    #[test]
    fn times_follow_the_fields_kind() {
        let paid_at = HkTime::from_unix_seconds(1_700_000_000).unwrap();
        for interface in CATALOG.interfaces {
            for field in interface.fields.iter().chain(interface.response).filter(|f| f.fixed.is_none()) {
                let mut facts = Facts::default();
                let Some(concept) = field.concept else { continue };
                facts.set(concept, Fact::Time(paid_at));
                let composed = compose(&CATALOG, std::slice::from_ref(field), &facts);
                match field.kind {
                    FieldKind::DateTime => assert_eq!(composed[0].1, paid_at.to_dashed()),
                    FieldKind::Time => assert_eq!(composed[0].1, paid_at.to_compact()),
                    _ => {}
                }
            }
        }
    }

    /// A message the real spec's gateway never sends but a spec may: a notification carrying an
    /// array of objects that hold arrays of objects.
    mod nested {
        use eftpay::IncomingError;
        // How the expansion hands the catalog a generated type's reader; this hand-made
        // interface hands its own.
        use eftpay::__private::Codec;
        use eftpay::catalog::TypedFields;

        use super::*;

        const fn field(wire: &'static str, kind: FieldKind, concept: Concept) -> FieldInfo {
            FieldInfo::new(wire, wire, kind, "").with_concept(concept)
        }

        const MODELLED: [&str; 3] = ["basket", "ticket", "time"];

        static FIELDS: [FieldInfo; 4] = [
            FieldInfo::new("basket", "basket", FieldKind::ObjectArray, ""),
            field("ticket", FieldKind::Text, Concept::OutTradeNo),
            field("time", FieldKind::Time, Concept::Time),
            field("sign", FieldKind::Text, Concept::Sign),
        ];

        /// What a generated type does with the fields it models: keeps each, a nested one as its
        /// compact JSON text.
        fn typed(fields: &ReceivedFields) -> Result<TypedFields, IncomingError> {
            let kept = MODELLED.iter().filter_map(|wire| fields.text(wire).map(|text| (*wire, text.to_owned())));
            Ok(TypedFields::new(kept.collect(), fields.unknown(&MODELLED).into_keys().collect()))
        }

        pub(super) static BASKET_EVENT: InterfaceInfo =
            InterfaceInfo::new("basket_event", "BasketEvent", Purpose::PaymentNotification, Encoding::Json, "")
                .with_fields(&FIELDS)
                .with_codec(Codec { check_request: None, typed: Some(typed) });
    }

    #[test]
    fn a_nested_field_goes_out_as_json_not_as_a_quoted_string_and_verifies() {
        let secret = Secret::new("test-secret-not-real");
        let basket = r#"[{"sku":"A1","options":[{"name":"size","value":"L"}]}]"#;
        let interface = &nested::BASKET_EVENT;
        let fields =
            vec![("ticket", "T1".to_owned()), ("basket", basket.to_owned()), ("time", "20240101120000".to_owned())];
        let sealed = Sealed::new(interface, interface.fields, fields, Some(&secret)).unwrap();
        let body = sealed.body(Encoding::Json);
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert!(json["basket"].is_array(), "{body}");
        assert_eq!(json["basket"][0]["options"][0]["value"], "L", "{body}");
        let received = ReceivedFields::from_json(&body).unwrap();
        eftpay::verify::verify_fields(&received, &secret).unwrap();
        assert_eq!(sealed.value(Concept::OutTradeNo), Some("T1"));
    }

    #[test]
    fn an_unsigned_reply_goes_out_without_a_signature() {
        let interface = CATALOG.interfaces.iter().find(|i| i.purpose == Purpose::PlaceOrder).unwrap();
        let mut facts = Facts::default();
        facts.meaning(Concept::ReturnStatus, Some(Meaning::InvalidService));
        let fields = compose(&CATALOG, interface.response, &facts);
        let sealed = Sealed::new(interface, interface.response, fields, None).unwrap();
        let body = sealed.body(Encoding::Json);
        let received = ReceivedFields::from_json(&body).unwrap();
        let status = interface.response_field_for(Concept::ReturnStatus).unwrap();
        assert_eq!(received.text(status.wire), CATALOG.code(Meaning::InvalidService).map(|v| v.wire), "{body}");
        let sign = interface.response_field_for(Concept::Sign).unwrap();
        assert_eq!(received.get(sign.wire), None, "{body}");
    }

    #[test]
    fn a_reply_is_written_as_its_generated_type_writes_it() {
        let secret = Secret::new("test-secret-not-real");
        let mut count = 0;
        for interface in
            CATALOG.interfaces.iter().filter(|i| i.request_checker().is_some() && i.typed_reader().is_some())
        {
            let mut facts = Facts::of_order(&order());
            facts
                .meaning(Concept::ReturnStatus, Some(Meaning::Accepted))
                .set(Concept::Time, Fact::Time(HkTime::from_unix_seconds(1_700_000_000).unwrap()));
            let fields = compose(&CATALOG, interface.response, &facts);
            let typed = Sealed::new(interface, interface.response, fields.clone(), Some(&secret)).unwrap();
            let reply = Sealed::reply(interface, fields, Some(&secret)).unwrap();
            assert_eq!(reply.fields, typed.fields, "{}", interface.name);
            assert_eq!(reply.sign, typed.sign, "{}", interface.name);
            assert_eq!(reply.body(Encoding::Json), typed.body(Encoding::Json), "{}", interface.name);
            count += 1;
        }
        assert!(count > 0);
    }

    /// Builds with debug assertions read each reply through its type: one the type would not
    /// write back unchanged is refused, naming the field and not its value.
    #[cfg(debug_assertions)]
    #[test]
    fn a_reply_its_type_writes_back_otherwise_is_refused_in_tests() {
        let (interface, amount) = CATALOG
            .interfaces
            .iter()
            .filter(|i| i.request_checker().is_some() && i.typed_reader().is_some())
            .find_map(|i| Some((*i, i.response.iter().find(|f| f.kind == FieldKind::Amount)?)))
            .unwrap();
        // An amount its type reads but writes back in its own form.
        let fields = vec![(amount.wire, "1.5".to_owned())];
        let error = Sealed::reply(interface, fields, None).unwrap_err();
        assert!(matches!(&error, OutgoingError::Rewritten { fields, .. } if fields == &[amount.wire]), "{error}");
        assert!(!error.to_string().contains("1.5"), "{error}");
    }

    #[test]
    fn a_forged_message_keeps_its_fields_and_loses_its_signature() {
        let interface = CATALOG.interfaces.iter().find(|i| i.purpose == Purpose::PaymentNotification).unwrap();
        let fields = compose(&CATALOG, interface.fields, &Facts::of_order(&order()));
        let sealed = Sealed::new(interface, interface.fields, fields, Some(&Secret::new("k"))).unwrap();
        let forged = sealed.clone().forged();
        assert_eq!(forged.fields, sealed.fields);
        assert_ne!(forged.sign, sealed.sign);
        let received = ReceivedFields::from_json(&forged.body(Encoding::Json)).unwrap();
        assert!(eftpay::verify::verify_fields(&received, &Secret::new("k")).is_err());
    }
}
