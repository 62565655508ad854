//! The checked spec: what the emitter works from. Every name here has been resolved and every
//! cross-reference checked, so emitting cannot fail.

/// The whole spec, checked.
#[derive(Debug, Default, Clone)]
pub struct Spec {
    /// Value sets, including the ones built from other tables (`PayType`, `Wallet`, `Service`).
    pub enums: Vec<Enum>,
    /// `wallet wire → payType wire`, from wallets.toml.
    pub wallet_pay_types: Vec<(String, String)>,
    /// Per-service rule flags.
    pub flags: Vec<Flag>,
    /// The service table.
    pub services: Vec<Service>,
    /// Nested objects.
    pub objects: Vec<Object>,
    /// The interfaces (one per file with `[interface]`).
    pub interfaces: Vec<Interface>,
    /// Test-environment amounts.
    pub test_amounts: Vec<TestAmount>,
}

/// A value set.
#[derive(Debug, Clone)]
pub struct Enum {
    /// Rust type name.
    pub rust: String,
    /// Rustdoc.
    pub doc: String,
    /// Known values.
    pub values: Vec<EnumValue>,
}

/// One known value.
#[derive(Debug, Clone)]
pub struct EnumValue {
    /// Text on the wire.
    pub wire: String,
    /// Rust variant name.
    pub rust: String,
    /// Rustdoc.
    pub doc: String,
}

/// A per-service rule flag (`return_url_not_needed`, …).
#[derive(Debug, Clone)]
pub struct Flag {
    /// Name as written in the spec.
    pub name: String,
    /// Rust variant name.
    pub rust: String,
    /// Rustdoc.
    pub doc: String,
}

/// Whether and how eftPay notifies for a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notifications {
    /// Re-delivered until acknowledged.
    UntilAcknowledged,
    /// Sent once.
    Once,
    /// Never sent.
    Never,
}

/// One row of the service table.
#[derive(Debug, Clone)]
pub struct Service {
    /// `service` value on the wire.
    pub wire: String,
    /// Rust name (enum variant and marker type).
    pub rust: String,
    /// Interface `name`.
    pub interface: String,
    /// payType wire value.
    pub pay_type: String,
    /// Wallet wire values.
    pub wallets: Vec<String>,
    /// pay_scene wire values; the first is the default.
    pub pay_scenes: Vec<String>,
    /// lang wire values; empty when `lang` may not be sent.
    pub langs: Vec<String>,
    /// Flag names.
    pub flags: Vec<String>,
    /// Notification behaviour.
    pub notifications: Notifications,
    /// Rustdoc.
    pub doc: String,
}

/// A nested JSON object.
#[derive(Debug, Clone)]
pub struct Object {
    /// Rust type name.
    pub rust: String,
    /// Rustdoc.
    pub doc: String,
    /// Its fields in the order they are sent.
    pub fields: Vec<ObjectField>,
}

/// A field of a nested object.
#[derive(Debug, Clone)]
pub struct ObjectField {
    /// Wire name.
    pub wire: String,
    /// Rust field name.
    pub rust: String,
    /// Its type.
    pub ty: ObjectFieldType,
    /// Rustdoc.
    pub doc: String,
}

/// Types a nested object's field can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectFieldType {
    /// A string.
    Text,
    /// A JSON integer.
    Integer,
    /// An array of strings.
    TextArray,
}

/// What kind of message an interface describes, and so which way it travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InterfaceKind {
    /// Merchant → eftPay, with a response.
    Request,
    /// eftPay → merchant, answered by an acknowledgement.
    Notification,
    /// Merchant → eftPay, the answer to a notification.
    Acknowledgement,
    /// eftPay → merchant through the payer's browser; no answer.
    Return,
}

impl InterfaceKind {
    /// Whether the merchant builds and signs this message (as opposed to receiving it).
    pub fn is_outgoing(self) -> bool {
        matches!(self, InterfaceKind::Request | InterfaceKind::Acknowledgement)
    }
}

/// How a message is encoded on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// `application/json`.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
}

/// One interface of the API.
#[derive(Debug, Clone)]
pub struct Interface {
    /// `name` from the spec (`place_order`).
    pub name: String,
    /// Rust stem (`PlaceOrder`).
    pub rust: String,
    /// Direction.
    pub kind: InterfaceKind,
    /// Path below the base URL, for requests.
    pub endpoint: Option<String>,
    /// Whether a request may be retried automatically.
    pub retry_safe: bool,
    /// Wire encoding.
    pub encoding: Encoding,
    /// Interface answering this one (notifications).
    pub reply: Option<String>,
    /// Rustdoc.
    pub doc: String,
    /// Groups of fields of which at least one must be set.
    pub at_least_one_of: Vec<Vec<String>>,
    /// The message's fields in doc order.
    pub fields: Vec<Field>,
    /// The response's fields (requests).
    pub response: Vec<Field>,
    /// How a notification is recognised: alternatives, each a list of conditions that must
    /// all hold (empty for other kinds).
    pub recognize: Vec<Vec<Condition>>,
}

/// A test on one received field (`[[interface.recognize]]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldTest {
    /// Carries a value.
    Present,
    /// Absent or empty.
    Absent,
    /// Carries one of these values.
    OneOf(Vec<String>),
    /// Absent, or carries none of these values.
    NoneOf(Vec<String>),
}

impl FieldTest {
    /// Whether no field value can satisfy both tests.
    pub fn contradicts(&self, other: &FieldTest) -> bool {
        use FieldTest::*;
        match (self, other) {
            (Present, Absent) | (Absent, Present) => true,
            (OneOf(_), Absent) | (Absent, OneOf(_)) => true,
            (OneOf(a), OneOf(b)) => !a.iter().any(|v| b.contains(v)),
            (OneOf(a), NoneOf(b)) | (NoneOf(b), OneOf(a)) => a.iter().all(|v| b.contains(v)),
            _ => false,
        }
    }
}

/// One condition of a recognition rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// The field's wire name.
    pub field: String,
    /// What it must satisfy.
    pub test: FieldTest,
}

/// What a field stands for beyond its own value: ties it to a service column or to a value
/// the client fills in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Concept {
    /// The `service` name.
    Service,
    /// The payType; must equal the service's.
    PayType,
    /// The wallet; must be one of the service's.
    Wallet,
    /// The pay_scene; must be one of the service's.
    PayScene,
    /// The lang; must be one of the service's, and is only allowed where it has some.
    Lang,
    /// The merchant's user key, filled in by the client.
    UserConfirmKey,
    /// The message time, filled in by the client.
    Time,
    /// The signature, computed by the client.
    Sign,
    /// The merchant's order number.
    OutTradeNo,
    /// eftPay's order number.
    EftTradeNo,
    /// The merchant's refund number.
    RefundNo,
}

impl Concept {
    /// The enum a field with this concept must be typed with, if any.
    pub fn required_enum(self) -> Option<&'static str> {
        match self {
            Concept::Service => Some("Service"),
            Concept::PayType => Some("PayType"),
            Concept::Wallet => Some("Wallet"),
            Concept::PayScene => Some("PayScene"),
            Concept::Lang => Some("Lang"),
            Concept::UserConfirmKey
            | Concept::Time
            | Concept::Sign
            | Concept::OutTradeNo
            | Concept::EftTradeNo
            | Concept::RefundNo => None,
        }
    }

    /// Whether the client fills this field in rather than the caller.
    pub fn is_envelope(self) -> bool {
        matches!(self, Concept::UserConfirmKey | Concept::Time | Concept::Sign)
    }
}

/// A field's type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType {
    /// Bounded string.
    Text,
    /// Money, decimal text with at most 2 decimals.
    Amount,
    /// An http(s) URL.
    Url,
    /// `yyyyMMddHHmmss`.
    Time,
    /// `yyyy-MM-dd HH:mm:ss`.
    DateTime,
    /// Whole seconds, sent as text.
    Seconds,
    /// One of an enum's values (Rust type name).
    Enum(String),
    /// A nested object (Rust type name).
    Object(String),
    /// An array of nested objects (Rust type name).
    ObjectArray(String),
}

/// `only_when`: the field may only be sent when another field has one of some values.
#[derive(Debug, Clone)]
pub struct OnlyWhen {
    /// Wire name of the other field.
    pub field: String,
    /// Its allowed wire values.
    pub values: Vec<String>,
}

/// One field of a message.
#[derive(Debug, Clone)]
pub struct Field {
    /// Wire name, verbatim.
    pub wire: String,
    /// Rust field name.
    pub rust: String,
    /// Type.
    pub ty: FieldType,
    /// Maximum length in characters.
    pub max_len: Option<usize>,
    /// Required (possibly excepted by `required_unless`).
    pub required: bool,
    /// Flag of services for which a required field is not needed.
    pub required_unless: Option<String>,
    /// Flag of services for which the field may not be sent.
    pub forbidden_with: Option<String>,
    /// Sibling condition.
    pub only_when: Option<OnlyWhen>,
    /// Tie to a service column or the envelope.
    pub concept: Option<Concept>,
    /// A value that is always sent.
    pub fixed: Option<String>,
    /// URL may not carry a query string.
    pub no_query: bool,
    /// Amount field that may not exceed another amount field (wire name).
    pub not_above: Option<String>,
    /// Rustdoc.
    pub doc: String,
}

impl Field {
    /// Whether the caller sets this field (not fixed, not filled in by the client).
    pub fn is_caller_set(&self) -> bool {
        self.fixed.is_none() && !self.concept.is_some_and(Concept::is_envelope)
    }

    /// Whether an outgoing struct holds it as a plain value rather than an `Option`.
    pub fn is_mandatory(&self) -> bool {
        self.required && self.required_unless.is_none()
    }
}

/// Outcomes a test amount can select.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestOutcome {
    /// A successful payment.
    Success,
    /// The payment times out.
    Timeout,
    /// The payment fails.
    Failed,
    /// Server error, no QR code is returned.
    ServerErrorNoQrCode,
    /// Server error, the transaction has no state.
    ServerErrorNoState,
}

/// One test amount row.
#[derive(Debug, Clone)]
pub struct TestAmount {
    /// payType wire value.
    pub pay_type: String,
    /// The last two decimal digits that select the outcome.
    pub cents: u8,
    /// What happens.
    pub outcome: TestOutcome,
    /// Rustdoc.
    pub doc: String,
}
