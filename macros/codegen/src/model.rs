//! The checked spec: what the emitters work from. Every name has been resolved to an index
//! (an enum, a value of it, an interface, a field, a flag), so emitting cannot fail: an emitter
//! never looks a name up, though it may compare two items it holds by their names.

pub use eftpay_vocabulary::{
    Concept, Encoding, FieldFacts, FieldKind, Meaning, Notifications, ObjectFieldKind, Purpose, RetryPolicy,
    TestOutcome,
};

/// Index of a value set in [`Spec::enums`].
pub type EnumId = usize;
/// Index of a value within its value set.
pub type ValueId = usize;
/// Index of an object in [`Spec::objects`].
pub type ObjectId = usize;
/// Index of an interface in [`Spec::interfaces`].
pub type InterfaceId = usize;
/// Index of a field within its table.
pub type FieldId = usize;
/// Index of a flag in [`Spec::flags`].
pub type FlagId = usize;

/// The whole spec, checked.
#[derive(Debug, Default, Clone)]
pub struct Spec {
    /// Value sets, including the ones built from other tables (`PayType`, `Wallet`, `Service`).
    pub enums: Vec<Enum>,
    /// The value sets the schema itself relies on.
    pub builtin: Builtin,
    /// For each wallet (by value index of `Wallet`), the value index of its payType.
    pub wallet_pay_type: Vec<ValueId>,
    /// Per-service rule flags.
    pub flags: Vec<Flag>,
    /// Nested objects.
    pub objects: Vec<Object>,
    /// The interfaces (one per file with `[interface]`).
    pub interfaces: Vec<Interface>,
    /// The service table rows, of every interface.
    pub services: Vec<Service>,
    /// The scenes.
    pub scenes: Vec<Scene>,
    /// Test-environment amounts.
    pub test_amounts: Vec<TestAmount>,
}

/// Where the value sets the generator builds or requires are.
#[derive(Debug, Default, Clone, Copy)]
pub struct Builtin {
    /// `PayType`, from the `[[pay_type]]` tables.
    pub pay_type: EnumId,
    /// `Wallet`, from the `[[pay_type]]` tables.
    pub wallet: EnumId,
    /// `Service`, from the `[[service]]` rows.
    pub service: EnumId,
    /// `PayScene`, if the spec declares it.
    pub pay_scene: Option<EnumId>,
    /// `Lang`, if the spec declares it.
    pub lang: Option<EnumId>,
}

// Ids are handed out by the resolver as it pushes each entry, and entries are never removed, so
// indexing by them cannot fail; the emitters index rather than search by name.
#[allow(clippy::indexing_slicing)]
impl Spec {
    /// The enum with index `id`.
    pub fn enumeration(&self, id: EnumId) -> &Enum {
        &self.enums[id]
    }

    /// A value of an enum.
    pub fn value(&self, id: EnumId, value: ValueId) -> &EnumValue {
        &self.enums[id].values[value]
    }

    /// An interface.
    pub fn interface(&self, id: InterfaceId) -> &Interface {
        &self.interfaces[id]
    }

    /// An object.
    pub fn object(&self, id: ObjectId) -> &Object {
        &self.objects[id]
    }

    /// A flag.
    pub fn flag(&self, id: FlagId) -> &Flag {
        &self.flags[id]
    }
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
    /// What the program does with it.
    pub meaning: Option<Meaning>,
    /// Only the sandbox uses it.
    pub sandbox_only: bool,
}

/// A per-service rule flag (`return_url_not_needed`, …).
#[derive(Debug, Clone)]
pub struct Flag {
    /// Name as written in the spec.
    pub name: String,
    /// Rustdoc.
    pub doc: String,
}

/// One row of a service table.
#[derive(Debug, Clone)]
pub struct Service {
    /// The row's name: the `service` value, or a label for interfaces without that field.
    pub wire: String,
    /// Rust name (enum variant and marker type).
    pub rust: String,
    /// Its interface.
    pub interface: InterfaceId,
    /// Its payType (value of `PayType`).
    pub pay_type: Option<ValueId>,
    /// Its wallets (values of `Wallet`).
    pub wallets: Vec<ValueId>,
    /// Its pay_scenes (values of `PayScene`); the first is the default.
    pub pay_scenes: Vec<ValueId>,
    /// Its langs (values of `Lang`).
    pub langs: Vec<ValueId>,
    /// Its flags.
    pub flags: Vec<FlagId>,
    /// Notification behaviour.
    pub notifications: Notifications,
    /// Notification behaviour for some of its wallets (values of `Wallet`), where it differs.
    pub wallet_notifications: Vec<(ValueId, Notifications)>,
    /// `(wire, value)` eftPay assumes when the field is left out, for this service.
    pub defaults: Vec<(String, String)>,
    /// `(wire, value)` eftPay uses whatever is sent; the field may not be sent.
    pub fixed: Vec<(String, String)>,
    /// Enum fields (wire name) whose values this row restricts, with the values it takes.
    pub values: Vec<(String, Vec<String>)>,
    /// Rustdoc.
    pub doc: String,
}

/// A scene: interfaces that belong together.
#[derive(Debug, Clone)]
pub struct Scene {
    /// The spec's name.
    pub name: String,
    /// What it is for.
    pub doc: String,
    /// Its interfaces.
    pub interfaces: Vec<InterfaceId>,
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
    /// Another object.
    Object(ObjectId),
    /// An array of another object.
    ObjectArray(ObjectId),
}

impl ObjectFieldType {
    /// The type of an object field whose `type` is `kind`, naming `target` (the object of an
    /// `object` or `object_array`; ignored for the other kinds). `None` for a kind this
    /// generator does not emit.
    pub fn of(kind: ObjectFieldKind, target: ObjectId) -> Option<ObjectFieldType> {
        Some(match kind {
            ObjectFieldKind::Text => ObjectFieldType::Text,
            ObjectFieldKind::Integer => ObjectFieldType::Integer,
            ObjectFieldKind::TextArray => ObjectFieldType::TextArray,
            ObjectFieldKind::Object => ObjectFieldType::Object(target),
            ObjectFieldKind::ObjectArray => ObjectFieldType::ObjectArray(target),
            _ => return None,
        })
    }
}

/// One interface of the API.
#[derive(Debug, Clone)]
pub struct Interface {
    /// `name` from the spec (`place_order`).
    pub name: String,
    /// Rust stem (`PlaceOrder`).
    pub rust: String,
    /// What it is for.
    pub purpose: Purpose,
    /// Path below the base URL, for requests.
    pub endpoint: Option<String>,
    /// Whether a request may be retried automatically.
    pub retry: RetryPolicy,
    /// Wire encoding.
    pub encoding: Encoding,
    /// Acknowledgement answering this notification.
    pub reply: Option<InterfaceId>,
    /// Notification eftPay sends about what this request starts.
    pub notification: Option<InterfaceId>,
    /// Synchronous return of this place-order request.
    pub sync_return: Option<InterfaceId>,
    /// Rustdoc.
    pub doc: String,
    /// Groups of fields of which at least one must be set.
    pub at_least_one_of: Vec<Vec<FieldId>>,
    /// The message's fields in doc order.
    pub fields: Vec<Field>,
    /// The response's fields (requests).
    pub response: Vec<Field>,
    /// How a notification, or a request without a `service` field among the others of its
    /// endpoint, is recognized: alternatives, each a list of conditions that must all hold
    /// (empty for other purposes, and for a request that is the only one or the least specific).
    pub recognize: Vec<Vec<Condition>>,
}

impl Interface {
    /// The first field with `concept`.
    pub fn field_with(&self, concept: Concept) -> Option<(FieldId, &Field)> {
        self.fields.iter().enumerate().find(|(_, f)| f.concept == Some(concept))
    }

    /// Whether the message carries a `service` field.
    pub fn has_service_field(&self) -> bool {
        self.field_with(Concept::Service).is_some()
    }

    /// The alternatives a request without a `service` field is recognized by among the others
    /// of its endpoint: its rules, or — with none — one that holds for every body (the least
    /// specific).
    pub fn request_alternatives(&self) -> Vec<Vec<Condition>> {
        if self.recognize.is_empty() { vec![Vec::new()] } else { self.recognize.clone() }
    }
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

/// One condition of a recognition rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// The field's wire name.
    pub field: String,
    /// What it must satisfy.
    pub test: FieldTest,
}

/// The values one field may take under some conditions: whether it may be absent, and which
/// texts it may carry (a finite set, or every text but a finite set). The algebra behind the
/// checker's proofs that two rules are disjoint or that one is more specific than another.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Allowed {
    absent: bool,
    values: Values,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Values {
    Only(Vec<String>),
    AllBut(Vec<String>),
}

impl Allowed {
    const ANY: Allowed = Allowed { absent: true, values: Values::AllBut(Vec::new()) };

    fn of(test: &FieldTest) -> Allowed {
        match test {
            FieldTest::Present => Allowed { absent: false, values: Values::AllBut(Vec::new()) },
            FieldTest::Absent => Allowed { absent: true, values: Values::Only(Vec::new()) },
            FieldTest::OneOf(v) => Allowed { absent: false, values: Values::Only(v.clone()) },
            FieldTest::NoneOf(v) => Allowed { absent: true, values: Values::AllBut(v.clone()) },
        }
    }

    /// What `conditions` allow `field` to be (anything when they do not mention it).
    fn under(conditions: &[Condition], field: &str) -> Allowed {
        conditions.iter().filter(|c| c.field == field).fold(Allowed::ANY, |a, c| a.and(&Allowed::of(&c.test)))
    }

    fn and(&self, other: &Allowed) -> Allowed {
        let values = match (&self.values, &other.values) {
            (Values::Only(a), Values::Only(b)) => Values::Only(a.iter().filter(|v| b.contains(v)).cloned().collect()),
            (Values::Only(a), Values::AllBut(b)) | (Values::AllBut(b), Values::Only(a)) => {
                Values::Only(a.iter().filter(|v| !b.contains(v)).cloned().collect())
            }
            (Values::AllBut(a), Values::AllBut(b)) => {
                Values::AllBut(a.iter().chain(b.iter().filter(|v| !a.contains(v))).cloned().collect())
            }
        };
        Allowed { absent: self.absent && other.absent, values }
    }

    fn is_empty(&self) -> bool {
        !self.absent && matches!(&self.values, Values::Only(v) if v.is_empty())
    }

    /// Whether every state this allows, `other` allows too.
    fn within(&self, other: &Allowed) -> bool {
        let values = match (&self.values, &other.values) {
            (Values::Only(a), Values::Only(b)) => a.iter().all(|v| b.contains(v)),
            (Values::Only(a), Values::AllBut(b)) => !a.iter().any(|v| b.contains(v)),
            // Infinitely many texts are never within a finite set.
            (Values::AllBut(_), Values::Only(_)) => false,
            (Values::AllBut(a), Values::AllBut(b)) => b.iter().all(|v| a.contains(v)),
        };
        values && (!self.absent || other.absent)
    }
}

/// Fields some condition of `a` or `b` is about.
fn fields_of<'a>(a: &'a [Condition], b: &'a [Condition]) -> Vec<&'a str> {
    let mut fields: Vec<&str> = a.iter().chain(b).map(|c| c.field.as_str()).collect();
    fields.sort_unstable();
    fields.dedup();
    fields
}

/// Whether no body can satisfy every condition of `a` and every condition of `b`: some field
/// cannot be what both allow.
pub fn disjoint(a: &[Condition], b: &[Condition]) -> bool {
    fields_of(a, b).into_iter().any(|f| Allowed::under(a, f).and(&Allowed::under(b, f)).is_empty())
}

/// Whether every body satisfying all of `a` satisfies all of `b` (`a` is at least as specific).
/// Conservative: `false` when it cannot be shown field by field.
pub fn implies(a: &[Condition], b: &[Condition]) -> bool {
    b.iter().all(|c| Allowed::under(a, &c.field).within(&Allowed::under(b, &c.field)))
}

/// The conditions of `b` that `a` would need so that it implies `b`: those about fields on which
/// `a` allows more than `b`.
pub fn missing_for_implication<'b>(a: &[Condition], b: &'b [Condition]) -> Vec<&'b Condition> {
    b.iter().filter(|c| !Allowed::under(a, &c.field).within(&Allowed::under(b, &c.field))).collect()
}

/// The specificity rank of each alternative of each rule in one group of rules that are tried
/// against the same bodies (the notifications; the requests without a `service` field on one
/// endpoint): one more than the highest rank of the alternatives it strictly implies, so that
/// where a body satisfies several (which the checker allows only when they are strictly ordered)
/// the highest rank is the most specific. An empty alternative (a request without rules) matches
/// everything and ranks 0.
pub fn specificity(rules: &[&[Vec<Condition>]]) -> Vec<Vec<u16>> {
    let all: Vec<(usize, &[Condition])> =
        rules.iter().enumerate().flat_map(|(r, alts)| alts.iter().map(move |a| (r, a.as_slice()))).collect();
    let mut rank = vec![0u16; all.len()];
    // Longest chain below each alternative; a strict order has chains no longer than the
    // alternatives, so as many passes as alternatives settle it.
    for _ in 0..all.len() {
        for (i, (_, a)) in all.iter().enumerate() {
            let below = all
                .iter()
                .enumerate()
                .filter(|(j, (_, b))| *j != i && implies(a, b) && !implies(b, a))
                .filter_map(|(j, _)| rank.get(j).copied())
                .max();
            if let (Some(below), Some(slot)) = (below, rank.get_mut(i)) {
                *slot = (*slot).max(below.saturating_add(1));
            }
        }
    }
    let mut ranks = rank.into_iter();
    rules.iter().map(|alts| alts.iter().filter_map(|_| ranks.next()).collect()).collect()
}

/// A field's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    /// One of an enum's values.
    Enum(EnumId),
    /// A nested object.
    Object(ObjectId),
    /// An array of nested objects.
    ObjectArray(ObjectId),
}

impl FieldType {
    /// The vocabulary's kind of the type (the runtime's `rules::FieldKind`, the spec's word).
    pub fn kind(self) -> FieldKind {
        match self {
            FieldType::Text => FieldKind::Text,
            FieldType::Amount => FieldKind::Amount,
            FieldType::Url => FieldKind::Url,
            FieldType::Time => FieldKind::Time,
            FieldType::DateTime => FieldKind::DateTime,
            FieldType::Seconds => FieldKind::Seconds,
            FieldType::Enum(_) => FieldKind::Enum,
            FieldType::Object(_) => FieldKind::Object,
            FieldType::ObjectArray(_) => FieldKind::ObjectArray,
        }
    }

    /// The type of a field whose `type` is `kind`, naming `target` (the value set of an `enum`,
    /// the object of an `object` or `array`; ignored for the other kinds). `None` for a kind
    /// this generator does not emit.
    pub fn of(kind: FieldKind, target: usize) -> Option<FieldType> {
        Some(match kind {
            FieldKind::Text => FieldType::Text,
            FieldKind::Amount => FieldType::Amount,
            FieldKind::Url => FieldType::Url,
            FieldKind::Time => FieldType::Time,
            FieldKind::DateTime => FieldType::DateTime,
            FieldKind::Seconds => FieldType::Seconds,
            FieldKind::Enum => FieldType::Enum(target),
            FieldKind::Object => FieldType::Object(target),
            FieldKind::ObjectArray => FieldType::ObjectArray(target),
            _ => return None,
        })
    }
}

/// A condition on a sibling enum field of the same table: `only_when`, `required_when`.
#[derive(Debug, Clone)]
pub struct Sibling {
    /// The other field.
    pub field: FieldId,
    /// Its values (wire text).
    pub values: Vec<String>,
    /// `required_when` only: fields any one of which, sent, satisfies the requirement in this
    /// one's place (a one-of requirement).
    pub or: Vec<FieldId>,
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
    pub required_unless: Option<FlagId>,
    /// Required when a sibling has one of some values.
    pub required_when: Option<Sibling>,
    /// Flag of services for which the field may not be sent.
    pub forbidden_with: Option<FlagId>,
    /// Valid only when a sibling has one of some values.
    pub only_when: Option<Sibling>,
    /// Tie to a service column, the envelope, or what it stands for.
    pub concept: Option<Concept>,
    /// A value that is always sent (outgoing) or that eftPay always sends (incoming).
    pub fixed: Option<String>,
    /// What eftPay assumes when it is left out.
    pub default: Option<String>,
    /// URL may not carry a query string.
    pub no_query: bool,
    /// A notification's field whose value is the one the order's place-order request had in
    /// its field of the same wire name.
    pub echo: bool,
    /// Amount field that may not exceed another amount field.
    pub not_above: Option<FieldId>,
    /// A whole number that must be a multiple of this.
    pub multiple_of: Option<u32>,
    /// A whole number at least this.
    pub min: Option<u32>,
    /// A whole number at most this.
    pub max: Option<u32>,
    /// Rustdoc.
    pub doc: String,
}

impl Field {
    /// The facts the vocabulary's field rules read (`eftpay_vocabulary::FieldFacts`, also
    /// behind the runtime's `FieldInfo`).
    fn facts(&self) -> FieldFacts {
        FieldFacts {
            concept: self.concept,
            fixed: self.fixed.is_some(),
            required: self.required,
            required_unless: self.required_unless.is_some(),
            required_when: self.required_when.is_some(),
        }
    }

    /// Whether the caller sets this field (not fixed, not filled in by the client).
    pub fn is_caller_set(&self) -> bool {
        self.facts().is_caller_set()
    }

    /// Whether an outgoing struct holds it as a plain value rather than an `Option`.
    pub fn is_mandatory(&self) -> bool {
        self.facts().is_mandatory()
    }
}

/// One test amount row.
#[derive(Debug, Clone)]
pub struct TestAmount {
    /// payType value index.
    pub pay_type: ValueId,
    /// The last two decimal digits that select the outcome.
    pub cents: u8,
    /// What happens.
    pub outcome: TestOutcome,
    /// Rustdoc.
    pub doc: String,
}
