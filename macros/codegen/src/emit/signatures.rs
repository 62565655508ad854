//! The signature of each row constructor — which parameters the caller passes, in what order,
//! and where each argument of the request's `new` comes from — decided once, so the constructors
//! the typed API emits and the examples its docs show (and `eftpay spec` lists) cannot disagree.

use crate::model::{Concept, EnumId, Field, Interface, Service, Spec};

/// One constructor of a row: its name, its parameters in order, and where each argument of the
/// request's `new` comes from.
pub(super) struct RowConstructor<'a> {
    /// `place_order`, or `query_by_out_trade_no` per at-least-one-of member.
    pub method: String,
    /// What the caller passes, in order.
    pub params: Vec<Param<'a>>,
    /// The arguments of the request's `new`: one per mandatory caller-set field, in field order.
    pub args: Vec<Arg<'a>>,
    /// The optional fields of the request this row always requires ([`row_requires`]): the
    /// constructor takes and sets them, so leaving one out does not compile.
    pub required: Vec<&'a Field>,
    /// The at-least-one-of member the constructor sets (its last parameter).
    pub pick: Option<&'a Field>,
}

/// A parameter of a row constructor.
pub(super) enum Param<'a> {
    /// A marker of one of the row's wallets (`wallets::AlipayHk`).
    Wallet,
    /// The value of a field.
    Field(&'a Field),
}

/// Where an argument of the request's `new` comes from.
#[derive(Clone, Copy)]
pub(super) enum Arg<'a> {
    /// The wallet the caller's marker stands for.
    Wallet,
    /// The value the row gives the field ([`row_arg`]).
    Row(&'a Field),
    /// The caller's parameter of the field.
    Given(&'a Field),
}

/// The concepts whose value a row decides; of them, the wallet is chosen by the caller among the
/// row's wallets (a marker), the others are the row's own.
const ROW_DECIDED: [Concept; 4] = [Concept::Service, Concept::PayType, Concept::Wallet, Concept::PayScene];

/// Whether row `s` always requires `f`, a field the request holds as an `Option`: required
/// unless a flag the row lacks (`return_url` for a row without `return_url_not_needed`), or
/// required when a sibling the row decides takes, in every value the row allows, one of the
/// listed values. What depends on a value the caller chooses at run time stays in `validate()`.
pub(super) fn row_requires(s: &Service, i: &Interface, spec: &Spec, f: &Field) -> bool {
    if !f.is_caller_set() || f.is_mandatory() {
        return false;
    }
    let unless = match f.required_unless {
        Some(flag) => f.required && !s.flags.contains(&flag),
        None => f.required_when.is_some(),
    };
    let when = match &f.required_when {
        Some(when) => i.fields.get(when.field).is_some_and(|sibling| {
            let values = row_values_of(s, spec, sibling);
            !values.is_empty() && values.iter().all(|v| when.values.iter().any(|w| w == v))
        }),
        None => true,
    };
    unless && when
}

/// Every value row `s` lets a mandatory field it decides take (its service, its payType, its
/// wallets, its pay_scenes); empty for a field the caller gives freely.
fn row_values_of<'a>(s: &'a Service, spec: &'a Spec, f: &Field) -> Vec<&'a str> {
    let b = spec.builtin;
    if !f.is_mandatory() {
        return Vec::new();
    }
    let wires = |set: Option<EnumId>, values: &[usize]| -> Vec<&'a str> {
        set.map(|set| values.iter().map(|v| spec.value(set, *v).wire.as_str()).collect()).unwrap_or_default()
    };
    match f.concept {
        Some(Concept::Service) => vec![s.wire.as_str()],
        Some(Concept::PayType) => s.pay_type.map(|p| spec.value(b.pay_type, p).wire.as_str()).into_iter().collect(),
        Some(Concept::Wallet) => wires(Some(b.wallet), &s.wallets),
        Some(Concept::PayScene) => wires(b.pay_scene, &s.pay_scenes),
        _ => Vec::new(),
    }
}

/// The constructors of row `s` of interface `i`: one per at-least-one-of member, or one.
/// The caller passes the wallet (when the request must carry one), every mandatory field the
/// row does not decide, in field order, then every field the row always requires
/// ([`row_requires`]), then the member picked.
pub(super) fn row_constructor_signatures<'a>(s: &Service, i: &'a Interface, spec: &Spec) -> Vec<RowConstructor<'a>> {
    let purpose = i.purpose.name();
    let args: Vec<Arg<'a>> = i
        .fields
        .iter()
        .filter(|f| f.is_caller_set() && f.is_mandatory())
        .map(|f| match f.concept {
            Some(Concept::Wallet) => Arg::Wallet,
            Some(c) if ROW_DECIDED.contains(&c) => Arg::Row(f),
            _ => Arg::Given(f),
        })
        .collect();
    let required: Vec<&'a Field> = i.fields.iter().filter(|f| row_requires(s, i, spec, f)).collect();
    constructor_variants(i)
        .into_iter()
        .map(|(suffix, pick)| {
            let method = if suffix == "start" { purpose.to_owned() } else { format!("{purpose}_{suffix}") };
            let wallet = args.iter().any(|a| matches!(a, Arg::Wallet)).then_some(Param::Wallet);
            let given = args.iter().filter_map(|a| match a {
                Arg::Given(f) => Some(Param::Field(f)),
                _ => None,
            });
            let required = required.iter().copied().filter(|f| pick.is_none_or(|p| p.wire != f.wire));
            let params = wallet
                .into_iter()
                .chain(given)
                .chain(required.clone().map(Param::Field))
                .chain(pick.map(Param::Field))
                .collect();
            RowConstructor { method, params, args: args.clone(), required: required.collect(), pick }
        })
        .collect()
}

/// What row `s` gives a field it decides: the value set's Rust name, the value's Rust name and
/// its wire text.
pub(super) struct RowValue<'a> {
    pub set: &'a str,
    pub rust: &'a str,
    pub wire: &'a str,
}

/// The value row `s` gives field `f` — its service, its payType, its first wallet or pay_scene
/// (the default) — or `None` for a field the caller gives.
pub(super) fn row_arg<'a>(s: &'a Service, spec: &'a Spec, f: &Field) -> Option<RowValue<'a>> {
    let b = spec.builtin;
    let (set, rust, wire) = match f.concept? {
        Concept::Service => (b.service, s.rust.as_str(), s.wire.as_str()),
        concept => {
            let (set, value) = match concept {
                Concept::PayType => (b.pay_type, s.pay_type?),
                Concept::Wallet => (b.wallet, *s.wallets.first()?),
                Concept::PayScene => (b.pay_scene?, *s.pay_scenes.first()?),
                _ => return None,
            };
            let value = spec.value(set, value);
            (set, value.rust.as_str(), value.wire.as_str())
        }
    };
    Some(RowValue { set: &spec.enumeration(set).rust, rust, wire })
}

/// The constructors of an interface: `(method suffix, field set by it)`. With an
/// at-least-one-of group, one per member (`by_out_trade_no`); otherwise one plain constructor.
pub(super) fn constructor_variants(i: &Interface) -> Vec<(String, Option<&Field>)> {
    match i.at_least_one_of.first() {
        Some(group) => {
            group.iter().filter_map(|id| i.fields.get(*id)).map(|f| (format!("by_{}", f.rust), Some(f))).collect()
        }
        None => vec![("start".to_owned(), None)],
    }
}
