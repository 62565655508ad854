//! The spec as data: every scene, interface, field, service row and value set of `spec/`, as
//! the generator wrote them into [`CATALOG`](crate::CATALOG). The client, the notification
//! handling, the sandbox and the CLI read this — never a service, wallet, code or interface
//! name written in Rust — so a scene added to the spec reaches every layer.
//!
//! A fixture spec expanded by `eftpay_macros::include_spec!` gets a catalog of its own, and
//! every layer takes a `&'static Catalog`, so an invented scene runs end to end too.
//!
//! Every struct here is `#[non_exhaustive]` and built with `const fn` constructors and
//! `with_…` setters (what the generator emits), so a key the spec gains is a new setter, not a
//! breaking change; their fields stay public to read.

use crate::Amount;
use crate::codec::Codec;
pub use crate::codec::{CheckRequest, ReadTyped, TypedFields};
use crate::received::ReceivedFields;
use crate::recognition::{self, Recognition};
use crate::rules::{
    Concept, Encoding, FieldKind, InterfaceKind, Meaning, Notifications, Purpose, RetryPolicy, TestOutcome,
};

/// The whole spec.
#[derive(Debug)]
#[non_exhaustive]
pub struct Catalog {
    /// The scenes, in the spec's order.
    pub scenes: &'static [&'static SceneInfo],
    /// Every interface.
    pub interfaces: &'static [&'static InterfaceInfo],
    /// Every row of the service tables.
    pub services: &'static [&'static ServiceInfo],
    /// Every value set, `PayType`, `Wallet` and `Service` included.
    pub enums: &'static [EnumInfo],
    /// payType → wallets.
    pub pay_types: &'static [PayTypeInfo],
    /// Per-service rule flags.
    pub flags: &'static [FlagInfo],
    /// Amounts that choose an outcome in a test environment.
    pub test_amounts: &'static [TestAmountInfo],
    /// How each notification is recognized (the most specific rule that holds wins). Data for
    /// the recognition the catalog's lookups run, not for callers.
    #[doc(hidden)]
    pub notification_rules: &'static [Recognition],
    /// How each request without a `service` field is told apart from the others of its
    /// endpoint (one that states no rule holds for every body, least specific). Data for
    /// [`Catalog::request_interface`], not for callers.
    #[doc(hidden)]
    pub request_rules: &'static [Recognition],
}

/// One scene: a set of interfaces that belong together (web, qrcode, app, cashier …).
#[derive(Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SceneInfo {
    /// The spec's name (`qrcode`).
    pub name: &'static str,
    /// What the scene is for.
    pub doc: &'static str,
    /// Its interfaces, by name.
    pub interfaces: &'static [&'static str],
}

/// One interface: one message exchange.
#[derive(Debug)]
#[non_exhaustive]
pub struct InterfaceInfo {
    /// The spec's name (`place_order`).
    pub name: &'static str,
    /// The Rust stem (`PlaceOrder` → `PlaceOrderRequest`, `PlaceOrderResponse`).
    pub rust: &'static str,
    /// What it is for.
    pub purpose: Purpose,
    /// Path after the base URL, for requests.
    pub endpoint: Option<&'static str>,
    /// Wire encoding.
    pub encoding: Encoding,
    /// Whether a request may be retried automatically.
    pub retry: RetryPolicy,
    /// The message's fields, in the doc's order.
    pub fields: &'static [FieldInfo],
    /// The response's fields (requests).
    pub response: &'static [FieldInfo],
    /// Groups of fields of which at least one must be sent.
    pub at_least_one_of: &'static [&'static [&'static str]],
    /// The notification eftPay sends for what this request starts (an order's payment, an
    /// applied refund).
    pub notification: Option<&'static str>,
    /// The synchronous return the payer's browser brings back (place order).
    pub sync_return: Option<&'static str>,
    /// The merchant's answer to this notification.
    pub reply: Option<&'static str>,
    /// The spec's description.
    pub doc: &'static str,
    /// The generated types' operations (reached through [`typed_reader`](Self::typed_reader)
    /// and, for gateways, `request_checker`).
    pub(crate) codec: Codec,
}

impl InterfaceInfo {
    /// Which way it travels.
    pub fn kind(&self) -> InterfaceKind {
        self.purpose.kind()
    }

    /// A field of the message by wire name.
    pub fn field(&self, wire: &str) -> Option<&'static FieldInfo> {
        self.fields.iter().find(|f| f.wire == wire)
    }

    /// The message's fields standing for `concept`.
    pub fn fields_for(&self, concept: Concept) -> impl Iterator<Item = &'static FieldInfo> {
        self.fields.iter().filter(move |f| f.concept == Some(concept))
    }

    /// The first field of the message standing for `concept`.
    pub fn field_for(&self, concept: Concept) -> Option<&'static FieldInfo> {
        self.fields_for(concept).next()
    }

    /// The first field of the response standing for `concept`.
    pub fn response_field_for(&self, concept: Concept) -> Option<&'static FieldInfo> {
        self.response.iter().find(|f| f.concept == Some(concept))
    }

    /// The fields of what eftPay sends for this interface, which [`typed_reader`](Self::typed_reader) reads: the
    /// response's for a request, the message's otherwise.
    pub fn incoming_fields(&self) -> &'static [FieldInfo] {
        if self.kind() == InterfaceKind::Request { self.response } else { self.fields }
    }

    /// The value of the field standing for `concept` in `message`, a message of this interface
    /// as its generated incoming type holds it ([`incoming_fields`](Self::incoming_fields)).
    pub fn value_of<'a>(&self, message: &'a TypedFields, concept: Concept) -> Option<&'a str> {
        self.incoming_value(concept, |wire| message.text(wire))
    }

    /// The value of the field standing for `concept` in a message of this interface held some
    /// other way: `text` gives a field's value by wire name. Where several fields stand for the
    /// concept, the first the message carries.
    pub fn incoming_value<'a>(&self, concept: Concept, text: impl Fn(&str) -> Option<&'a str>) -> Option<&'a str> {
        value_in(self.incoming_fields(), concept, text)
    }

    /// The value of the request's field standing for `concept` among the fields `sent` (wire
    /// name, value).
    pub fn sent_value<'a>(&self, sent: &'a [(&'static str, String)], concept: Concept) -> Option<&'a str> {
        value_in(self.fields, concept, |wire| {
            sent.iter().find(|(name, _)| *name == wire).map(|(_, value)| value.as_str())
        })
    }

    /// The field `name` names, if a caller may set it to `value`: it is a field of the message,
    /// not one the sender fills in (user key, time, signature), and not fixed at another value.
    /// A fixed field given its own value is allowed; the sender sends it anyway.
    ///
    /// # Errors
    /// Why the caller may not set it.
    pub fn caller_field(&self, name: &str, value: &str) -> Result<&'static FieldInfo, FieldRefusal> {
        let field = self.field(name).ok_or(FieldRefusal::Unknown)?;
        if field.concept.is_some_and(Concept::is_envelope) {
            return Err(FieldRefusal::FilledIn);
        }
        match field.fixed {
            Some(fixed) if fixed != value => Err(FieldRefusal::Fixed { value: fixed }),
            _ => Ok(field),
        }
    }

    /// Whether requests carry a `service` field, which tells the interfaces of one endpoint apart.
    pub fn has_service_field(&self) -> bool {
        self.field_for(Concept::Service).is_some()
    }
}

/// The text of the first field of `table` standing for `concept` that `text` finds.
fn value_in<'a>(
    table: &'static [FieldInfo],
    concept: Concept,
    text: impl Fn(&str) -> Option<&'a str>,
) -> Option<&'a str> {
    table.iter().filter(|f| f.concept == Some(concept)).find_map(|f| text(f.wire))
}

/// Why a caller may not set a field of a message by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FieldRefusal {
    /// The message has no field of that name.
    #[error("the message has no such field; name one of its fields")]
    Unknown,
    /// The sender fills it in: the user key, the time, the signature.
    #[error(
        "the sender fills it in (user key and time from the credentials and the clock, the signature from the secret); leave it out"
    )]
    FilledIn,
    /// It always has one value, which the sender sends; another was given.
    #[error("it is always `{value}` and the sender sends it; leave it out")]
    Fixed {
        /// Its one value.
        value: &'static str,
    },
}

/// One field of a message.
#[derive(Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct FieldInfo {
    /// The wire name, verbatim.
    pub wire: &'static str,
    /// The Rust field name.
    pub rust: &'static str,
    /// The value's type.
    pub kind: FieldKind,
    /// The value set, for enum fields.
    pub enum_name: Option<&'static str>,
    /// What it stands for.
    pub concept: Option<Concept>,
    /// Whether it must be sent (possibly excepted by [`required_unless`](Self::required_unless)).
    pub required: bool,
    /// A service flag whose services need not send it.
    pub required_unless: Option<&'static str>,
    /// Required when another field (wire name) has one of these values.
    pub required_when: Option<(&'static str, &'static [&'static str])>,
    /// Fields (wire names) any one of which, sent, satisfies [`required_when`](Self::required_when)
    /// in this one's place: "`openid` or `sub_openid`".
    pub required_when_or: &'static [&'static str],
    /// A service flag whose services do not take it.
    pub forbidden_with: Option<&'static str>,
    /// Valid only when another field (wire name) has one of these values.
    pub only_when: Option<(&'static str, &'static [&'static str])>,
    /// For amounts: another amount field (wire name) it may not exceed.
    pub not_above: Option<&'static str>,
    /// For URLs: no query string or fragment ("cannot carry parameters").
    pub no_query: bool,
    /// In a notification: eftPay sends back the value the order's place-order request had in
    /// its field of the same wire name (spec key `echo`; docs/protocol.md §13).
    pub echo: bool,
    /// For whole numbers: a multiple of this.
    pub multiple_of: Option<u32>,
    /// For whole numbers: at least this.
    pub min: Option<u32>,
    /// For whole numbers: at most this.
    pub max: Option<u32>,
    /// At most this many characters.
    pub max_len: Option<usize>,
    /// A value always sent.
    pub fixed: Option<&'static str>,
    /// What eftPay assumes when it is left out.
    pub default: Option<&'static str>,
    /// The spec's description.
    pub doc: &'static str,
}

impl FieldInfo {
    /// The facts the vocabulary's field rules read (the generator's model answers through the
    /// same rules, so a typed struct and this catalog agree on who sets a field).
    fn facts(&self) -> eftpay_vocabulary::FieldFacts {
        eftpay_vocabulary::FieldFacts {
            concept: self.concept,
            fixed: self.fixed.is_some(),
            required: self.required,
            required_unless: self.required_unless.is_some(),
            required_when: self.required_when.is_some(),
        }
    }

    /// Whether the caller sets it (not fixed, not filled in by the client).
    pub fn is_caller_set(&self) -> bool {
        self.facts().is_caller_set()
    }

    /// Whether every message must carry it, whatever the service and the other fields.
    pub fn is_mandatory(&self) -> bool {
        self.facts().is_mandatory()
    }
}

/// A wallet read from text is not one a service takes (its row of the service table lists the
/// wallets it does): the error of the generated `RowWallet::parse`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
#[error(
    "`{given}` is not a wallet that service `{service}` takes (it takes {}): was it stored with an order of another service, or mistyped? Wallets are stored as their wire text (`Wallet::as_str`)",
    takes.join(", ")
)]
pub struct WalletNotTaken {
    /// The service's name.
    pub service: &'static str,
    /// The text read.
    pub given: String,
    /// The wallets the service takes, as on the wire.
    pub takes: &'static [&'static str],
}

/// One row of a service table.
#[derive(Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServiceInfo {
    /// The row's name: the `service` value when its interface has a `service` field, otherwise
    /// a label that is never sent.
    pub name: &'static str,
    /// The Rust name of its marker (`services::AlipayWebPreOrder`).
    pub rust: &'static str,
    /// The interface it is sent through.
    pub interface: &'static str,
    /// Its payType; `None` where the payer chooses on eftPay's page.
    pub pay_type: Option<&'static str>,
    /// Its wallets; where requests carry no wallet, the wallets the payer may choose from.
    pub wallets: &'static [&'static str],
    /// Its pay_scenes; the first is the default.
    pub pay_scenes: &'static [&'static str],
    /// Its langs; empty when `lang` may not be sent.
    pub langs: &'static [&'static str],
    /// Its per-service rules.
    pub flags: &'static [&'static str],
    /// Whether eftPay notifies what it starts, for wallets not in
    /// [`wallet_notifications`](Self::wallet_notifications). Ask
    /// [`notifications_for`](Self::notifications_for) for an order's wallet.
    pub notifications: Notifications,
    /// Where the payer chooses the wallet, how eftPay notifies for those of the row's wallets
    /// that differ from [`notifications`](Self::notifications): `(wallet, behaviour)`.
    pub wallet_notifications: &'static [(&'static str, Notifications)],
    /// What eftPay assumes for fields left out, for this service: `(wire, value)`.
    pub defaults: &'static [(&'static str, &'static str)],
    /// Values eftPay uses whatever is sent; such fields may not be sent: `(wire, value)`.
    pub fixed: &'static [(&'static str, &'static str)],
    /// Enum fields (wire name) of which this row takes only some values, with those values
    /// (scene_type: a WeChat row takes PUBLIC and H5, an Alipay row only APPLETS).
    pub values: &'static [(&'static str, &'static [&'static str])],
    /// The typed constructors of the row as a caller writes them, for people reading the
    /// catalog (`services::AlipayQrcodePreOrder::place_order(wallets::AlipayCn, transaction_amount, …)`).
    pub constructors: &'static [&'static str],
    /// The spec's description.
    pub doc: &'static str,
}

impl ServiceInfo {
    /// Checks that `text` (a wallet's wire name, as stored with an order) is one of the row's
    /// wallets; what the generated `RowWallet::parse` builds on.
    ///
    /// # Errors
    /// [`WalletNotTaken`] naming the service, the text and the wallets the row takes.
    pub fn check_wallet(&'static self, text: &str) -> Result<(), WalletNotTaken> {
        if self.wallets.contains(&text) {
            Ok(())
        } else {
            Err(WalletNotTaken { service: self.name, given: text.to_owned(), takes: self.wallets })
        }
    }

    /// Whether the row has `flag`.
    pub fn has_flag(&self, flag: &str) -> bool {
        self.flags.contains(&flag)
    }

    /// Whether eftPay notifies what the row starts when the order is paid with `wallet` (the
    /// wallet the payer chose, where requests carry none; `None` while none is known): the
    /// wallet's own behaviour where the row states one, the row's otherwise
    /// (`docs/protocol.md` §6).
    pub fn notifications_for(&self, wallet: Option<&str>) -> Notifications {
        wallet
            .and_then(|wallet| self.wallet_notifications.iter().find(|(w, _)| *w == wallet))
            .map_or(self.notifications, |(_, behaviour)| *behaviour)
    }

    /// Whether eftPay may notify what the row starts, with any of its wallets.
    pub fn may_notify(&self) -> bool {
        self.notifications != Notifications::Never
            || self.wallet_notifications.iter().any(|(_, behaviour)| *behaviour != Notifications::Never)
    }

    /// The pay_scene sent when the caller chooses none.
    pub fn default_pay_scene(&self) -> Option<&'static str> {
        self.pay_scenes.first().copied()
    }

    /// The value of `wire` eftPay uses for this service's orders when the request leaves it
    /// out (or always, when fixed): the row's fixed value, the row's default, or the field's.
    pub fn effective_default(&self, interface: &InterfaceInfo, wire: &str) -> Option<&'static str> {
        let row =
            |list: &'static [(&'static str, &'static str)]| list.iter().find(|(w, _)| *w == wire).map(|(_, v)| *v);
        row(self.fixed).or_else(|| row(self.defaults)).or_else(|| interface.field(wire).and_then(|f| f.default))
    }
}

/// A value set.
#[derive(Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct EnumInfo {
    /// The Rust type name (`TradeStatus`).
    pub name: &'static str,
    /// The spec's description.
    pub doc: &'static str,
    /// Its known values.
    pub values: &'static [ValueInfo],
}

/// One known value.
#[derive(Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ValueInfo {
    /// The text on the wire.
    pub wire: &'static str,
    /// The Rust variant name.
    pub rust: &'static str,
    /// The spec's description.
    pub doc: &'static str,
    /// What the value means to the program, when it acts on it.
    pub meaning: Option<Meaning>,
    /// A code only the sandbox uses (not eftPay's).
    pub sandbox_only: bool,
}

/// A payType and its wallets.
#[derive(Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PayTypeInfo {
    /// The wire value.
    pub wire: &'static str,
    /// The Rust variant name.
    pub rust: &'static str,
    /// Its wallets: `(wire, Rust name)`.
    pub wallets: &'static [(&'static str, &'static str)],
}

/// A per-service rule flag.
#[derive(Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct FlagInfo {
    /// The spec's name.
    pub name: &'static str,
    /// What it means.
    pub doc: &'static str,
}

/// An amount whose last two decimal digits choose an outcome in a test environment.
#[derive(Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TestAmountInfo {
    /// The payType whose test environment honours it.
    pub pay_type: &'static str,
    /// The last two decimal digits.
    pub cents: u8,
    /// What happens.
    pub outcome: TestOutcome,
    /// The spec's description.
    pub doc: &'static str,
}

// Construction, as the generator writes it: `new` takes what every entry has, `with_…` the
// rest (left out, a setter's part is `None`, empty or `false`), so a key the spec gains is a
// new setter rather than a breaking change to a struct literal.

impl Catalog {
    /// A catalog of these scenes, interfaces, service rows and value sets, with no pay types,
    /// flags, test amounts or recognition rules.
    pub const fn new(
        scenes: &'static [&'static SceneInfo],
        interfaces: &'static [&'static InterfaceInfo],
        services: &'static [&'static ServiceInfo],
        enums: &'static [EnumInfo],
    ) -> Catalog {
        Catalog {
            scenes,
            interfaces,
            services,
            enums,
            pay_types: &[],
            flags: &[],
            test_amounts: &[],
            notification_rules: &[],
            request_rules: &[],
        }
    }

    /// With these payTypes and their wallets.
    pub const fn with_pay_types(mut self, pay_types: &'static [PayTypeInfo]) -> Catalog {
        self.pay_types = pay_types;
        self
    }

    /// With these per-service rule flags.
    pub const fn with_flags(mut self, flags: &'static [FlagInfo]) -> Catalog {
        self.flags = flags;
        self
    }

    /// With these test amounts.
    pub const fn with_test_amounts(mut self, test_amounts: &'static [TestAmountInfo]) -> Catalog {
        self.test_amounts = test_amounts;
        self
    }

    /// With these notification recognition rules (generated code only).
    #[doc(hidden)]
    pub const fn with_notification_rules(mut self, rules: &'static [Recognition]) -> Catalog {
        self.notification_rules = rules;
        self
    }

    /// With these request recognition rules (generated code only).
    #[doc(hidden)]
    pub const fn with_request_rules(mut self, rules: &'static [Recognition]) -> Catalog {
        self.request_rules = rules;
        self
    }
}

impl SceneInfo {
    /// The scene `name` of these interfaces (by name).
    pub const fn new(name: &'static str, doc: &'static str, interfaces: &'static [&'static str]) -> SceneInfo {
        SceneInfo { name, doc, interfaces }
    }
}

impl InterfaceInfo {
    /// The interface `name` (Rust stem `rust`) for `purpose`, encoded as `encoding`: no
    /// endpoint, never retried, no fields, no relations, no generated types.
    pub const fn new(
        name: &'static str,
        rust: &'static str,
        purpose: Purpose,
        encoding: Encoding,
        doc: &'static str,
    ) -> InterfaceInfo {
        InterfaceInfo {
            name,
            rust,
            purpose,
            endpoint: None,
            encoding,
            retry: RetryPolicy::Never,
            fields: &[],
            response: &[],
            at_least_one_of: &[],
            notification: None,
            sync_return: None,
            reply: None,
            doc,
            codec: Codec::NONE,
        }
    }

    /// Sent to this path after the base URL.
    pub const fn with_endpoint(mut self, endpoint: &'static str) -> InterfaceInfo {
        self.endpoint = Some(endpoint);
        self
    }

    /// Retried as `retry` says.
    pub const fn with_retry(mut self, retry: RetryPolicy) -> InterfaceInfo {
        self.retry = retry;
        self
    }

    /// With these fields, in the doc's order.
    pub const fn with_fields(mut self, fields: &'static [FieldInfo]) -> InterfaceInfo {
        self.fields = fields;
        self
    }

    /// With these response fields (requests).
    pub const fn with_response(mut self, response: &'static [FieldInfo]) -> InterfaceInfo {
        self.response = response;
        self
    }

    /// With these groups of fields (wire names) of which at least one must be sent.
    pub const fn with_at_least_one_of(mut self, groups: &'static [&'static [&'static str]]) -> InterfaceInfo {
        self.at_least_one_of = groups;
        self
    }

    /// eftPay sends the notification `interface` for what this request starts.
    pub const fn with_notification(mut self, interface: &'static str) -> InterfaceInfo {
        self.notification = Some(interface);
        self
    }

    /// The payer's browser brings back the synchronous return `interface`.
    pub const fn with_sync_return(mut self, interface: &'static str) -> InterfaceInfo {
        self.sync_return = Some(interface);
        self
    }

    /// The merchant answers this notification with `interface`.
    pub const fn with_reply(mut self, interface: &'static str) -> InterfaceInfo {
        self.reply = Some(interface);
        self
    }

    /// With its generated types' operations (generated code only).
    #[doc(hidden)]
    pub const fn with_codec(mut self, codec: Codec) -> InterfaceInfo {
        self.codec = codec;
        self
    }

    /// Reads what eftPay sends for this interface (the response of a request, the message
    /// otherwise) into its generated type and writes it back as fields; `None` when the spec's
    /// expansion generated no incoming type for it (the acknowledgement).
    pub fn typed_reader(&self) -> Option<ReadTyped> {
        self.codec.typed
    }

    /// Reads a request of this interface as a gateway receives it and validates it with its
    /// generated validator; `None` for interfaces that are not requests. With the `gateway`
    /// feature.
    #[cfg(feature = "gateway")]
    #[cfg_attr(docsrs, doc(cfg(feature = "gateway")))]
    pub fn request_checker(&self) -> Option<CheckRequest> {
        self.codec.check_request
    }
}

impl FieldInfo {
    /// The field `wire` (Rust name `rust`) of kind `kind`: optional, with no value set,
    /// concept, condition, limit, fixed value or default.
    pub const fn new(wire: &'static str, rust: &'static str, kind: FieldKind, doc: &'static str) -> FieldInfo {
        FieldInfo {
            wire,
            rust,
            kind,
            enum_name: None,
            concept: None,
            required: false,
            required_unless: None,
            required_when: None,
            required_when_or: &[],
            forbidden_with: None,
            only_when: None,
            not_above: None,
            no_query: false,
            echo: false,
            multiple_of: None,
            min: None,
            max: None,
            max_len: None,
            fixed: None,
            default: None,
            doc,
        }
    }

    /// Its values are those of the value set `enum_name` (Rust name).
    pub const fn with_enum(mut self, enum_name: &'static str) -> FieldInfo {
        self.enum_name = Some(enum_name);
        self
    }

    /// It stands for `concept`.
    pub const fn with_concept(mut self, concept: Concept) -> FieldInfo {
        self.concept = Some(concept);
        self
    }

    /// It must be sent.
    pub const fn required(mut self) -> FieldInfo {
        self.required = true;
        self
    }

    /// Services with the flag `flag` need not send it.
    pub const fn with_required_unless(mut self, flag: &'static str) -> FieldInfo {
        self.required_unless = Some(flag);
        self
    }

    /// Required when the field `other` (wire name) has one of `values`.
    pub const fn with_required_when(mut self, other: &'static str, values: &'static [&'static str]) -> FieldInfo {
        self.required_when = Some((other, values));
        self
    }

    /// Any of these fields (wire names), sent, satisfies its `required_when` in its place.
    pub const fn with_required_when_or(mut self, fields: &'static [&'static str]) -> FieldInfo {
        self.required_when_or = fields;
        self
    }

    /// Services with the flag `flag` do not take it.
    pub const fn with_forbidden_with(mut self, flag: &'static str) -> FieldInfo {
        self.forbidden_with = Some(flag);
        self
    }

    /// Valid only when the field `other` (wire name) has one of `values`.
    pub const fn with_only_when(mut self, other: &'static str, values: &'static [&'static str]) -> FieldInfo {
        self.only_when = Some((other, values));
        self
    }

    /// An amount that may not exceed the amount field `other` (wire name).
    pub const fn with_not_above(mut self, other: &'static str) -> FieldInfo {
        self.not_above = Some(other);
        self
    }

    /// A URL without query string or fragment.
    pub const fn no_query(mut self) -> FieldInfo {
        self.no_query = true;
        self
    }

    /// In a notification: eftPay echoes the order's value of the same field.
    pub const fn echo(mut self) -> FieldInfo {
        self.echo = true;
        self
    }

    /// A whole number that is a multiple of `multiple`.
    pub const fn with_multiple_of(mut self, multiple: u32) -> FieldInfo {
        self.multiple_of = Some(multiple);
        self
    }

    /// A whole number of at least `min`.
    pub const fn with_min(mut self, min: u32) -> FieldInfo {
        self.min = Some(min);
        self
    }

    /// A whole number of at most `max`.
    pub const fn with_max(mut self, max: u32) -> FieldInfo {
        self.max = Some(max);
        self
    }

    /// At most `max_len` characters.
    pub const fn with_max_len(mut self, max_len: usize) -> FieldInfo {
        self.max_len = Some(max_len);
        self
    }

    /// Always sent as `value`.
    pub const fn with_fixed(mut self, value: &'static str) -> FieldInfo {
        self.fixed = Some(value);
        self
    }

    /// eftPay assumes `value` when it is left out.
    pub const fn with_default(mut self, value: &'static str) -> FieldInfo {
        self.default = Some(value);
        self
    }
}

impl ServiceInfo {
    /// The row `name` (marker `rust`) of `interface`, notifying as `notifications`: no
    /// payType, wallets, pay_scenes, langs, flags, defaults, fixed or restricted values, and no
    /// constructors.
    pub const fn new(
        name: &'static str,
        rust: &'static str,
        interface: &'static str,
        notifications: Notifications,
        doc: &'static str,
    ) -> ServiceInfo {
        ServiceInfo {
            name,
            rust,
            interface,
            pay_type: None,
            wallets: &[],
            pay_scenes: &[],
            langs: &[],
            flags: &[],
            notifications,
            wallet_notifications: &[],
            defaults: &[],
            fixed: &[],
            values: &[],
            constructors: &[],
            doc,
        }
    }

    /// Of the payType `pay_type`.
    pub const fn with_pay_type(mut self, pay_type: &'static str) -> ServiceInfo {
        self.pay_type = Some(pay_type);
        self
    }

    /// Taking these wallets.
    pub const fn with_wallets(mut self, wallets: &'static [&'static str]) -> ServiceInfo {
        self.wallets = wallets;
        self
    }

    /// With these pay_scenes, the first the default.
    pub const fn with_pay_scenes(mut self, pay_scenes: &'static [&'static str]) -> ServiceInfo {
        self.pay_scenes = pay_scenes;
        self
    }

    /// With these langs.
    pub const fn with_langs(mut self, langs: &'static [&'static str]) -> ServiceInfo {
        self.langs = langs;
        self
    }

    /// With these per-service rules.
    pub const fn with_flags(mut self, flags: &'static [&'static str]) -> ServiceInfo {
        self.flags = flags;
        self
    }

    /// Notifying as these `(wallet, behaviour)` say for those wallets.
    pub const fn with_wallet_notifications(
        mut self,
        by_wallet: &'static [(&'static str, Notifications)],
    ) -> ServiceInfo {
        self.wallet_notifications = by_wallet;
        self
    }

    /// With these `(wire, value)` defaults.
    pub const fn with_defaults(mut self, defaults: &'static [(&'static str, &'static str)]) -> ServiceInfo {
        self.defaults = defaults;
        self
    }

    /// With these `(wire, value)` values eftPay uses whatever is sent.
    pub const fn with_fixed(mut self, fixed: &'static [(&'static str, &'static str)]) -> ServiceInfo {
        self.fixed = fixed;
        self
    }

    /// Taking only these values of these enum fields: `(wire, values)`.
    pub const fn with_values(mut self, values: &'static [(&'static str, &'static [&'static str])]) -> ServiceInfo {
        self.values = values;
        self
    }

    /// With these typed constructors, as a caller writes them.
    pub const fn with_constructors(mut self, constructors: &'static [&'static str]) -> ServiceInfo {
        self.constructors = constructors;
        self
    }
}

impl EnumInfo {
    /// The value set `name` (Rust type name) of these values.
    pub const fn new(name: &'static str, doc: &'static str, values: &'static [ValueInfo]) -> EnumInfo {
        EnumInfo { name, doc, values }
    }
}

impl ValueInfo {
    /// The value `wire` (Rust variant `rust`), with no meaning, eftPay's.
    pub const fn new(wire: &'static str, rust: &'static str, doc: &'static str) -> ValueInfo {
        ValueInfo { wire, rust, doc, meaning: None, sandbox_only: false }
    }

    /// Meaning `meaning` to the program.
    pub const fn with_meaning(mut self, meaning: Meaning) -> ValueInfo {
        self.meaning = Some(meaning);
        self
    }

    /// A code only the sandbox uses.
    pub const fn sandbox_only(mut self) -> ValueInfo {
        self.sandbox_only = true;
        self
    }
}

impl PayTypeInfo {
    /// The payType `wire` (Rust variant `rust`) and its `(wire, Rust name)` wallets.
    pub const fn new(
        wire: &'static str,
        rust: &'static str,
        wallets: &'static [(&'static str, &'static str)],
    ) -> PayTypeInfo {
        PayTypeInfo { wire, rust, wallets }
    }
}

impl FlagInfo {
    /// The flag `name`.
    pub const fn new(name: &'static str, doc: &'static str) -> FlagInfo {
        FlagInfo { name, doc }
    }
}

impl TestAmountInfo {
    /// Amounts ending in `cents` choose `outcome` in `pay_type`'s test environment.
    pub const fn new(pay_type: &'static str, cents: u8, outcome: TestOutcome, doc: &'static str) -> TestAmountInfo {
        TestAmountInfo { pay_type, cents, outcome, doc }
    }
}

/// A request could not be matched to an interface of the spec.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UnknownRequest {
    /// No interface is served at the endpoint.
    #[error("no interface of the spec is served at {endpoint}")]
    Endpoint {
        /// The path asked for.
        endpoint: String,
    },
    /// The endpoint's interfaces without a `service` field are told apart by their fields, and
    /// the body has none's.
    #[error(
        "a request to {endpoint} without a service field, whose fields match no interface served there: check the fields the interface you meant requires"
    )]
    Unrecognized {
        /// The path asked for.
        endpoint: String,
    },
    /// The endpoint serves several interfaces, told apart by `service`, and none takes this one.
    #[error("invalid service {service}: not a service of an interface served at {endpoint}")]
    Service {
        /// The `service` received (empty when none was).
        service: String,
        /// The path asked for.
        endpoint: String,
    },
}

impl Catalog {
    /// A scene by name.
    pub fn scene(&self, name: &str) -> Option<&'static SceneInfo> {
        self.scenes.iter().copied().find(|s| s.name == name)
    }

    /// An interface by name.
    pub fn interface(&self, name: &str) -> Option<&'static InterfaceInfo> {
        self.interfaces.iter().copied().find(|i| i.name == name)
    }

    /// The interface of `scene` that serves `purpose`, if the scene has one.
    pub fn scene_interface(&self, scene: &SceneInfo, purpose: Purpose) -> Option<&'static InterfaceInfo> {
        scene.interfaces.iter().filter_map(|name| self.interface(name)).find(|i| i.purpose == purpose)
    }

    /// The scenes an interface belongs to.
    pub fn scenes_of(&self, interface: &str) -> impl Iterator<Item = &'static SceneInfo> {
        self.scenes.iter().copied().filter(move |s| s.interfaces.contains(&interface))
    }

    /// A service row by name.
    pub fn service(&self, name: &str) -> Option<&'static ServiceInfo> {
        self.services.iter().copied().find(|s| s.name == name)
    }

    /// The rows of an interface.
    pub fn services_of(&self, interface: &str) -> impl Iterator<Item = &'static ServiceInfo> {
        self.services.iter().copied().filter(move |s| s.interface == interface)
    }

    /// The row a message of `interface` belongs to: by its `service` when the interface has
    /// that field; otherwise by its payType when the interface's rows differ by payType;
    /// otherwise the interface's only row. `pay_type` may come from the request or, for
    /// requests about an existing order, from that order.
    pub fn row_for(
        &self,
        interface: &InterfaceInfo,
        service: Option<&str>,
        pay_type: Option<&str>,
    ) -> Option<&'static ServiceInfo> {
        if interface.has_service_field() {
            return service.and_then(|name| self.services_of(interface.name).find(|s| s.name == name));
        }
        self.row_for_pay_type(interface, pay_type)
    }

    /// The row of `interface` that handles orders of `pay_type`: the first row of that payType,
    /// else the row for every payType (one that names none). Without a payType, the interface's
    /// only row; `None` when it has several (or none), since nothing tells them apart.
    pub fn row_for_pay_type(&self, interface: &InterfaceInfo, pay_type: Option<&str>) -> Option<&'static ServiceInfo> {
        let mut rows = self.services_of(interface.name);
        match pay_type {
            Some(pay_type) => {
                let mut for_every = None;
                for row in rows {
                    match row.pay_type {
                        Some(own) if own == pay_type => return Some(row),
                        None if for_every.is_none() => for_every = Some(row),
                        _ => {}
                    }
                }
                for_every
            }
            None => {
                let first = rows.next();
                if rows.next().is_some() { None } else { first }
            }
        }
    }

    /// The request interface a body POSTed to `endpoint` with `service` (its `service` field, if
    /// any) belongs to. Interfaces sharing an endpoint are told apart by `service`; those
    /// without a `service` field by their recognition rules ([`Catalog::request_rules`]), the
    /// most specific that `fields` satisfy winning (the spec's checker proves there is one).
    ///
    /// # Errors
    /// No request interface at the endpoint, none takes the service, or none recognizes a body
    /// without one.
    pub fn request_interface(
        &self,
        endpoint: &str,
        service: Option<&str>,
        fields: &ReceivedFields,
    ) -> Result<&'static InterfaceInfo, UnknownRequest> {
        let mut at_endpoint = self.interfaces.iter().copied().filter(|i| i.endpoint == Some(endpoint)).peekable();
        if at_endpoint.peek().is_none() {
            return Err(UnknownRequest::Endpoint { endpoint: endpoint.to_owned() });
        }
        let candidates: Vec<&'static InterfaceInfo> = at_endpoint.collect();
        if let Some(row) = service.and_then(|service| self.service(service))
            && let Some(found) = candidates.iter().find(|i| i.name == row.interface && i.has_service_field())
        {
            return Ok(found);
        }
        if let Some(service) = service {
            return Err(UnknownRequest::Service { service: service.to_owned(), endpoint: endpoint.to_owned() });
        }
        let unnamed: Vec<Recognition> = self
            .request_rules
            .iter()
            .copied()
            .filter(|rule| candidates.iter().any(|i| i.name == rule.interface && !i.has_service_field()))
            .collect();
        if unnamed.is_empty() {
            return Err(UnknownRequest::Service { service: String::new(), endpoint: endpoint.to_owned() });
        }
        recognition::recognize(&unnamed, |name| fields.text(name))
            .and_then(|index| unnamed.get(index))
            .and_then(|rule| candidates.iter().copied().find(|i| i.name == rule.interface))
            .ok_or_else(|| UnknownRequest::Unrecognized { endpoint: endpoint.to_owned() })
    }

    /// The notification interface a verified body is, by the spec's recognition rules.
    pub fn recognize_notification(&self, fields: &ReceivedFields) -> Option<&'static InterfaceInfo> {
        let index = recognition::recognize(self.notification_rules, |name| fields.text(name))?;
        self.notification_rules.get(index).and_then(|rule| self.interface(rule.interface))
    }

    /// A value set by Rust name.
    pub fn enumeration(&self, name: &str) -> Option<&'static EnumInfo> {
        self.enums.iter().find(|e| e.name == name)
    }

    /// The wire value of the value set `enum_name` that means `meaning`.
    pub fn wire_for(&self, enum_name: &str, meaning: Meaning) -> Option<&'static str> {
        self.enumeration(enum_name)?.values.iter().find(|v| v.meaning == Some(meaning)).map(|v| v.wire)
    }

    /// The wire value that means `meaning`, in whichever value set has it.
    pub fn code(&self, meaning: Meaning) -> Option<&'static ValueInfo> {
        self.enums.iter().flat_map(|e| e.values.iter()).find(|v| v.meaning == Some(meaning))
    }

    /// What a wire value of the value set `enum_name` means, if the program acts on it.
    pub fn meaning_of(&self, enum_name: &str, wire: &str) -> Option<Meaning> {
        self.enumeration(enum_name)?.values.iter().find(|v| v.wire == wire).and_then(|v| v.meaning)
    }

    /// The payType a wallet belongs to.
    pub fn pay_type_of_wallet(&self, wallet: &str) -> Option<&'static str> {
        self.pay_types.iter().find(|p| p.wallets.iter().any(|(w, _)| *w == wallet)).map(|p| p.wire)
    }

    /// The Rust name of a wallet (`wallets::AlipayHk`'s `AlipayHk`).
    pub fn wallet_rust(&self, wallet: &str) -> Option<&'static str> {
        self.pay_types.iter().flat_map(|p| p.wallets.iter()).find(|(w, _)| *w == wallet).map(|(_, r)| *r)
    }

    /// The test outcome `amount` selects for `pay_type`, if it selects one.
    pub fn test_amount(&self, pay_type: &str, amount: Amount) -> Option<&'static TestAmountInfo> {
        self.test_amounts.iter().find(|t| t.pay_type == pay_type && t.cents == amount.fraction_cents())
    }

    /// A flag by name.
    pub fn flag(&self, name: &str) -> Option<&'static FlagInfo> {
        self.flags.iter().find(|f| f.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CATALOG;

    /// An interface without a `service` field whose rows differ by payType.
    fn told_apart_by_pay_type() -> &'static InterfaceInfo {
        CATALOG
            .interfaces
            .iter()
            .copied()
            .find(|i| {
                !i.has_service_field()
                    && CATALOG.services_of(i.name).filter(|row| row.pay_type.is_some()).count() > 1
                    && CATALOG.services_of(i.name).all(|row| row.pay_type.is_some())
            })
            .expect("the spec has an interface with a row per payType")
    }

    #[test]
    fn the_row_for_a_pay_type_is_its_own_and_no_other() {
        let interface = told_apart_by_pay_type();
        for row in CATALOG.services_of(interface.name) {
            let found = CATALOG.row_for_pay_type(interface, row.pay_type).unwrap();
            assert_eq!(found.pay_type, row.pay_type, "{}", row.name);
            assert_eq!(CATALOG.row_for(interface, None, row.pay_type).map(|r| r.name), Some(found.name));
        }
        // A payType none of its rows handles, and no payType among several rows, find nothing.
        assert_eq!(CATALOG.row_for_pay_type(interface, Some("NOT-A-PAY-TYPE")), None);
        assert_eq!(CATALOG.row_for_pay_type(interface, None), None);
    }

    #[test]
    fn a_row_naming_no_pay_type_handles_every_pay_type_and_none() {
        let (interface, row) = CATALOG
            .interfaces
            .iter()
            .copied()
            .find_map(|i| {
                let mut rows = CATALOG.services_of(i.name);
                match (rows.next(), rows.next()) {
                    (Some(only), None) if only.pay_type.is_none() => Some((i, only)),
                    _ => None,
                }
            })
            .expect("the spec has an interface whose only row names no payType");
        for pay_type in CATALOG.pay_types {
            assert_eq!(CATALOG.row_for_pay_type(interface, Some(pay_type.wire)).map(|r| r.name), Some(row.name));
        }
        assert_eq!(CATALOG.row_for_pay_type(interface, None).map(|r| r.name), Some(row.name));
    }

    #[test]
    fn a_caller_may_set_its_own_fields_but_not_the_envelope_or_another_fixed_value() {
        let place = CATALOG.interfaces.iter().find(|i| i.purpose == Purpose::PlaceOrder).unwrap();
        assert_eq!(place.caller_field("no-such-field", "x"), Err(FieldRefusal::Unknown));
        for field in place.fields.iter().filter(|f| f.concept.is_some_and(Concept::is_envelope)) {
            assert_eq!(place.caller_field(field.wire, "x"), Err(FieldRefusal::FilledIn), "{}", field.wire);
        }
        let amount = place.field_for(Concept::Amount).unwrap();
        assert_eq!(place.caller_field(amount.wire, "1.00"), Ok(amount));
        let (interface, fixed) = CATALOG
            .interfaces
            .iter()
            .filter(|i| i.kind() == InterfaceKind::Request)
            .find_map(|i| i.fields.iter().find(|f| f.fixed.is_some()).map(|f| (i, f)))
            .expect("the spec has a request with a fixed field");
        let value = fixed.fixed.unwrap();
        assert_eq!(interface.caller_field(fixed.wire, value), Ok(fixed));
        assert_eq!(interface.caller_field(fixed.wire, "something else"), Err(FieldRefusal::Fixed { value }));
    }

    #[test]
    fn a_concepts_value_is_read_from_the_table_of_the_message_held() {
        let place = CATALOG.interfaces.iter().find(|i| i.purpose == Purpose::PlaceOrder).unwrap();
        let reply_no = place.response_field_for(Concept::OutTradeNo).unwrap();
        let reply = TypedFields { fields: vec![(reply_no.wire, "reply-1".to_owned())], extra: Vec::new() };
        assert_eq!(reply.text(reply_no.wire), Some("reply-1"));
        assert_eq!(place.value_of(&reply, Concept::OutTradeNo), Some("reply-1"));
        assert_eq!(place.value_of(&reply, Concept::EftTradeNo), None);
        let request_no = place.field_for(Concept::OutTradeNo).unwrap();
        let sent = vec![(request_no.wire, "sent-1".to_owned())];
        assert_eq!(place.sent_value(&sent, Concept::OutTradeNo), Some("sent-1"));

        let notification = CATALOG.interfaces.iter().find(|i| i.purpose == Purpose::PaymentNotification).unwrap();
        assert_eq!(notification.incoming_fields(), notification.fields);
        let no = notification.field_for(Concept::OutTradeNo).unwrap();
        let message = TypedFields { fields: vec![(no.wire, "n-1".to_owned())], extra: Vec::new() };
        assert_eq!(notification.value_of(&message, Concept::OutTradeNo), Some("n-1"));
    }
}
