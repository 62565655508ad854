//! The TOML tables as written in `spec/`, before any checking: the shape documented in
//! `spec/README.md`. Every value a maintainer may get wrong is `Spanned`, so an error can
//! point at it.
//!
//! A required key whose value is a keyword (`purpose`, `type`, `outcome`, …) is an `Option`
//! here: the resolver reports it missing with the words that table's key takes, which a serde
//! "missing field" error cannot (it names the key, not the table).
//!
//! Every file has the same top-level shape; a file uses the tables it needs (`wallets.toml`
//! only `[[pay_type]]`, an interface file `[interface]`, `[[field]]` and `[[response]]`).

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// A spanned string.
pub type Text = Spanned<String>;

/// One spec file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// `[[scene]]`: sets of interfaces that belong together.
    #[serde(default)]
    pub scene: Vec<SceneDef>,
    /// `[[enum]]`: value sets.
    #[serde(default, rename = "enum")]
    pub enums: Vec<EnumDef>,
    /// `[[pay_type]]`: payTypes and their wallets.
    #[serde(default)]
    pub pay_type: Vec<PayTypeDef>,
    /// `[[service_flag]]`: per-service rules that fields can refer to.
    #[serde(default)]
    pub service_flag: Vec<FlagDef>,
    /// `[[service]]`: rows of a service table.
    #[serde(default)]
    pub service: Vec<ServiceDef>,
    /// `[[object]]`: nested JSON objects.
    #[serde(default)]
    pub object: Vec<ObjectDef>,
    /// `[[field_group]]`: field rows written once, included in several tables.
    #[serde(default)]
    pub field_group: Vec<FieldGroupDef>,
    /// `[[test_amount]]`: amounts that choose an outcome in a test environment.
    #[serde(default)]
    pub test_amount: Vec<TestAmountDef>,
    /// `[interface]`: the message this file describes.
    pub interface: Option<Spanned<InterfaceDef>>,
    /// `[[field]]`: the message's fields. Each row spans its `[[field]]` header, where a row
    /// with none of the keys that name it is reported.
    #[serde(default)]
    pub field: Vec<Spanned<FieldDef>>,
    /// `[[response]]`: the reply's fields (request interfaces).
    #[serde(default)]
    pub response: Vec<Spanned<FieldDef>>,
}

/// `[[scene]]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SceneDef {
    pub name: Text,
    pub doc: Text,
    pub interfaces: Vec<Text>,
}

/// `[[enum]]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumDef {
    pub name: Text,
    pub doc: Text,
    pub values: Vec<ValueDef>,
}

/// One value of an enum, or a wallet.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueDef {
    pub wire: Text,
    pub rust: Option<Text>,
    pub doc: Text,
    /// What the program does with the value (`means = "paid"`).
    pub means: Option<Text>,
    /// A code only the sandbox answers with, not eftPay's.
    #[serde(default)]
    pub sandbox: bool,
}

/// `[[pay_type]]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PayTypeDef {
    pub wire: Text,
    pub rust: Option<Text>,
    pub doc: Text,
    pub wallets: Vec<ValueDef>,
}

/// `[[service_flag]]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlagDef {
    pub name: Text,
    pub doc: Text,
}

/// `[[service]]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceDef {
    pub name: Text,
    pub interface: Text,
    pub pay_type: Option<Text>,
    #[serde(default)]
    pub wallets: Vec<Text>,
    #[serde(default)]
    pub pay_scenes: Vec<Text>,
    #[serde(default)]
    pub langs: Vec<Text>,
    #[serde(default)]
    pub flags: Vec<Text>,
    /// Required; checked by the resolver, which names the words it takes.
    pub notifications: Option<Text>,
    /// Where the payer chooses the wallet: how eftPay notifies for some of the row's wallets,
    /// where that differs from `notifications` (`{ OCT = "never" }`).
    #[serde(default)]
    pub wallet_notifications: BTreeMap<Spanned<String>, Text>,
    #[serde(default)]
    pub defaults: BTreeMap<Spanned<String>, Text>,
    #[serde(default)]
    pub fixed: BTreeMap<Spanned<String>, Text>,
    /// `{ wire = ["A", …] }`: the values of an enum field this row takes, of all its enum's.
    #[serde(default)]
    pub values: BTreeMap<Spanned<String>, Vec<Text>>,
    pub doc: Text,
    pub rust: Option<Text>,
}

/// `[[object]]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectDef {
    pub name: Text,
    pub doc: Text,
    #[serde(default)]
    pub field: Vec<ObjectFieldDef>,
}

/// `[[object.field]]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectFieldDef {
    pub wire: Text,
    /// Required; checked by the resolver, which names the words it takes.
    #[serde(rename = "type")]
    pub ty: Option<Text>,
    pub object: Option<Text>,
    pub doc: Text,
    pub rust: Option<Text>,
}

/// `[[field_group]]` (described by a comment beside it; it has no rustdoc of its own)
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldGroupDef {
    pub name: Text,
    #[serde(default)]
    pub field: Vec<Spanned<FieldDef>>,
}

/// `[[test_amount]]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestAmountDef {
    pub pay_type: Text,
    pub cents: Spanned<i64>,
    /// Required; checked by the resolver, which names the words it takes.
    pub outcome: Option<Text>,
    pub doc: Text,
}

/// `[interface]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InterfaceDef {
    pub name: Text,
    /// Required, as is `encoding`; checked by the resolver, which names the words they take.
    pub purpose: Option<Text>,
    pub endpoint: Option<Text>,
    pub retry: Option<Text>,
    pub encoding: Option<Text>,
    /// For notifications: the acknowledgement interface answering them.
    pub reply: Option<Text>,
    /// For requests: the notification eftPay sends about what they start.
    pub notification: Option<Text>,
    /// For place-order requests: the synchronous return the payer's browser brings back.
    pub sync_return: Option<Text>,
    /// Another interface whose field tables this one starts from.
    pub extends: Option<Text>,
    /// Wire names of inherited fields this interface does not have.
    #[serde(default)]
    pub omit: Vec<Text>,
    pub doc: Text,
    #[serde(default)]
    pub at_least_one_of: Vec<Vec<Text>>,
    /// `[[interface.recognize]]`: how a notification is told apart from other messages.
    #[serde(default)]
    pub recognize: Vec<RecognizeDef>,
    pub rust: Option<Text>,
}

/// `[[interface.recognize]]`: one alternative; every condition must hold.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecognizeDef {
    pub when: Spanned<Vec<ConditionDef>>,
}

/// `{ field = "trade_type", is = ["REFUND"] }`, `{ field = "notify_type", present = true }`,
/// `{ field = "trade_type", is_not = ["REFUND"] }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionDef {
    pub field: Text,
    pub present: Option<Spanned<bool>>,
    pub is: Option<Vec<Text>>,
    pub is_not: Option<Vec<Text>>,
}

/// `[[field]]` / `[[response]]` / `[[field_group.field]]`: a field row, or `include = "group"`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    /// Includes a `[[field_group]]`'s rows here instead of describing one field.
    pub include: Option<Text>,
    pub wire: Option<Text>,
    #[serde(rename = "type")]
    pub ty: Option<Text>,
    #[serde(rename = "enum")]
    pub enum_name: Option<Text>,
    pub object: Option<Text>,
    pub max_len: Option<Spanned<i64>>,
    #[serde(default)]
    pub required: bool,
    pub required_unless: Option<Text>,
    pub required_when: Option<SiblingDef>,
    pub forbidden_with: Option<Text>,
    pub only_when: Option<SiblingDef>,
    pub concept: Option<Text>,
    pub fixed: Option<Text>,
    pub default: Option<Text>,
    #[serde(default)]
    pub no_query: bool,
    /// On a notification's field: eftPay sends back the value the order's place-order request
    /// had in its field of the same wire name (`echo = true`).
    #[serde(default)]
    pub echo: Option<Spanned<bool>>,
    pub not_above: Option<Text>,
    pub multiple_of: Option<Spanned<i64>>,
    pub min: Option<Spanned<i64>>,
    pub max: Option<Spanned<i64>>,
    pub doc: Option<Text>,
    pub rust: Option<Text>,
    /// The one of eftPay's pages that lists this row, where the interface folds several pages
    /// into one (the web scene's web and wap pages): `page = "wap"`. The page checker does not
    /// expect the row on the other pages.
    pub page: Option<Text>,
}

/// `{ field = "payType", is = ["ATOME"] }`: a condition on a sibling enum field.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiblingDef {
    pub field: Text,
    pub is: Vec<Text>,
    /// `required_when` only: other fields of the table any one of which, sent, stands in for
    /// this one ("openid or sub_openid").
    #[serde(default)]
    pub or: Vec<Text>,
}
