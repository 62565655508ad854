//! The TOML tables as written in `spec/`, before any checking: the shape documented in
//! `spec/README.md`. Every value a maintainer may get wrong is `Spanned`, so an error can
//! point at it.
//!
//! Every file has the same top-level shape; a file uses the tables it needs (`wallets.toml`
//! only `[[pay_type]]`, an interface file `[interface]`, `[[field]]` and `[[response]]`).

use serde::Deserialize;
use toml::Spanned;

/// A spanned string.
pub type Text = Spanned<String>;

/// One spec file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// `[[enum]]`: value sets.
    #[serde(default, rename = "enum")]
    pub enums: Vec<EnumDef>,
    /// `[[pay_type]]`: payTypes and their wallets.
    #[serde(default)]
    pub pay_type: Vec<PayTypeDef>,
    /// `[[service_flag]]`: per-service rules that fields can refer to.
    #[serde(default)]
    pub service_flag: Vec<FlagDef>,
    /// `[[service]]`: rows of the service table.
    #[serde(default)]
    pub service: Vec<ServiceDef>,
    /// `[[object]]`: nested JSON objects.
    #[serde(default)]
    pub object: Vec<ObjectDef>,
    /// `[[test_amount]]`: amounts that choose an outcome in a test environment.
    #[serde(default)]
    pub test_amount: Vec<TestAmountDef>,
    /// `[interface]`: the message this file describes.
    pub interface: Option<Spanned<InterfaceDef>>,
    /// `[[field]]`: the message's fields.
    #[serde(default)]
    pub field: Vec<FieldDef>,
    /// `[[response]]`: the reply's fields (request interfaces).
    #[serde(default)]
    pub response: Vec<FieldDef>,
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
    pub pay_type: Text,
    pub wallets: Vec<Text>,
    #[serde(default)]
    pub pay_scenes: Vec<Text>,
    #[serde(default)]
    pub langs: Vec<Text>,
    #[serde(default)]
    pub flags: Vec<Text>,
    pub notifications: Text,
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
    #[serde(rename = "type")]
    pub ty: Text,
    pub doc: Text,
    pub rust: Option<Text>,
}

/// `[[test_amount]]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestAmountDef {
    pub pay_type: Text,
    pub cents: Spanned<i64>,
    pub outcome: Text,
    pub doc: Text,
}

/// `[interface]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InterfaceDef {
    pub name: Text,
    pub kind: Text,
    pub endpoint: Option<Text>,
    pub retry: Option<Text>,
    pub encoding: Text,
    pub reply: Option<Text>,
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

/// `[[field]]` / `[[response]]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    pub wire: Text,
    #[serde(rename = "type")]
    pub ty: Text,
    #[serde(rename = "enum")]
    pub enum_name: Option<Text>,
    pub object: Option<Text>,
    pub max_len: Option<Spanned<i64>>,
    #[serde(default)]
    pub required: bool,
    pub required_unless: Option<Text>,
    pub forbidden_with: Option<Text>,
    pub only_when: Option<OnlyWhenDef>,
    pub concept: Option<Text>,
    pub fixed: Option<Text>,
    #[serde(default)]
    pub no_query: bool,
    pub not_above: Option<Text>,
    pub doc: Text,
    pub rust: Option<Text>,
}

/// `only_when = { field = "payType", values = ["ATOME"] }`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnlyWhenDef {
    pub field: Text,
    pub values: Vec<Text>,
}
