//! The example on each `services::…` page: the row's constructor called with a plain value
//! of every argument's type, the Rust names of the wallets it takes, the fields the row needs
//! beyond the constructor's, and `validate()` passing — written as a doc test, so rustdoc
//! compiles and runs every one and an example cannot drift from the API it shows.
//!
//! Values are chosen by the field's type and rules alone (its maximum length, its bounds), never
//! by its name: a new service gets its example with no change here.

use std::fmt::Write as _;

use super::signatures::{Param, row_arg, row_constructor_signatures};
use super::wrapper;
use crate::model::{Concept, Field, FieldType, Interface, Service, Spec};

/// The `# Example` section of row `s`'s page, its paths starting at `at` (`eftpay`); `None`
/// when an argument has a type no plain value is written for.
pub(super) fn service_example(s: &Service, spec: &Spec, at: &str) -> Option<String> {
    let i = spec.interface(s.interface);
    let signature = row_constructor_signatures(s, i, spec).into_iter().next()?;
    let wallet = s.wallets.first().map(|w| spec.value(spec.builtin.wallet, *w));
    let mut args = Vec::new();
    for param in &signature.params {
        args.push(match param {
            Param::Wallet => format!("{at}::wallets::{}", wallet?.rust),
            Param::Field(f) => row_sample(s, f, spec, at).or_else(|| sample(f, spec, at))?,
        });
    }
    let mut code = format!("let request = {at}::services::{}::{}(\n", s.rust, signature.method);
    for arg in &args {
        let _ = writeln!(code, "    {arg},");
    }
    code.push(')');
    for (setter, value) in setters(s, i, spec, at, &signature.params)? {
        let _ = write!(code, "\n.{setter}({value})");
    }
    code.push_str("\n.build();\n");
    code.push_str("// The checks the client runs before sending it:\nassert_eq!(request.validate(), Ok(()));\n");
    let _ = writeln!(code, "// Sent with `client.{}(request).await?`.", i.purpose.name());

    let mut text = String::from("# Example\n\n");
    if !s.wallets.is_empty() {
        let names: Vec<String> = s
            .wallets
            .iter()
            .map(|w| {
                let v = spec.value(spec.builtin.wallet, *w);
                format!("`wallets::{}` ({})", v.rust, v.wire)
            })
            .collect();
        let names = names.join(", ");
        if i.fields.iter().any(|f| f.is_caller_set() && f.concept == Some(Concept::Wallet)) {
            let _ = writeln!(text, "Wallets it takes: {names}; any other does not compile.\n");
        } else {
            let _ = writeln!(text, "The request names no wallet: the payer chooses among {names}.\n");
        }
    }
    let _ = write!(text, "```\n{code}```");
    Some(text)
}

/// Setters for the fields the row needs besides the constructor's: those required when a field
/// the row decides has the value the example sends (the constructor takes what the row always
/// requires); and the wallet, where the request takes one but the constructor does not.
fn setters(s: &Service, i: &Interface, spec: &Spec, at: &str, params: &[Param<'_>]) -> Option<Vec<(String, String)>> {
    let passes_wallet = params.iter().any(|p| matches!(p, Param::Wallet));
    let passed = |f: &Field| params.iter().any(|p| matches!(p, Param::Field(given) if given.wire == f.wire));
    let mut set = Vec::new();
    for f in i.fields.iter().filter(|f| f.is_caller_set() && !f.is_mandatory() && !passed(f)) {
        let needed = match (f.required_unless, &f.required_when) {
            (Some(flag), _) => f.required && !s.flags.contains(&flag),
            (None, Some(when)) => {
                let other = i.fields.get(when.field)?;
                let given = match row_arg(s, spec, other) {
                    Some(value) => Some(value.wire.to_owned()),
                    // A constructor argument: the value the example passes for it.
                    None if params.iter().any(|p| matches!(p, Param::Field(p) if p.wire == other.wire)) => {
                        example_wire(s, spec, other)
                    }
                    None => None,
                };
                given.is_some_and(|value| when.values.contains(&value))
            }
            (None, None) => false,
        };
        let wallet_setter = f.concept == Some(Concept::Wallet) && !passes_wallet && !s.wallets.is_empty();
        if wallet_setter {
            let wallet = spec.value(spec.builtin.wallet, *s.wallets.first()?);
            set.push((f.rust.clone(), format!("{at}::wallets::{}", wallet.rust)));
        } else if needed {
            set.push((f.rust.clone(), sample(f, spec, at)?));
        }
    }
    Some(set)
}

/// The wire value the example passes for enum field `f`: the first the row takes (its `values`),
/// else the first of the value set (as [`stored_sample`] writes it).
fn example_wire(s: &Service, spec: &Spec, f: &Field) -> Option<String> {
    if let Some((_, taken)) = s.values.iter().find(|(wire, _)| *wire == f.wire) {
        return taken.first().cloned();
    }
    let FieldType::Enum(id) = f.ty else { return None };
    spec.enumeration(id).values.iter().find(|v| !v.sandbox_only).map(|v| v.wire.clone())
}

/// For an enum field whose values the row restricts (`values`), the first it takes, as Rust
/// source; `None` for any other field.
fn row_sample(s: &Service, f: &Field, spec: &Spec, at: &str) -> Option<String> {
    let (_, taken) = s.values.iter().find(|(wire, _)| *wire == f.wire)?;
    let FieldType::Enum(id) = f.ty else { return None };
    let e = spec.enumeration(id);
    let v = e.values.iter().find(|v| taken.first() == Some(&v.wire))?;
    Some(format!("{at}::{}::{}", e.rust, v.rust))
}

/// A plain value of `f`'s parameter type that keeps its rules, as Rust source: a value of the
/// stored type, wrapped where the parameter takes a [`Wrapper`](super::Wrapper).
fn sample(f: &Field, spec: &Spec, at: &str) -> Option<String> {
    let stored = stored_sample(f, spec, at)?;
    Some(match wrapper(f) {
        Some(wrapper) => format!("{at}::{}::new({stored})", wrapper.name),
        None => stored,
    })
}

/// A plain value of `f`'s stored type that keeps its rules, as Rust source.
fn stored_sample(f: &Field, spec: &Spec, at: &str) -> Option<String> {
    let text = |plain: &str| {
        let cut: String = plain.chars().take(f.max_len.unwrap_or(usize::MAX)).collect();
        format!("{cut:?}")
    };
    Some(match f.ty {
        FieldType::Text => text(sample_text(f)),
        FieldType::Url => text("https://merchant.example/eftpay"),
        FieldType::Amount => format!("{at}::Amount::from_cents(100)"),
        FieldType::Seconds => seconds(f.multiple_of, f.min, f.max)?.to_string(),
        FieldType::Enum(id) => {
            let e = spec.enumeration(id);
            let v = e.values.iter().find(|v| !v.sandbox_only)?;
            format!("{at}::{}::{}", e.rust, v.rust)
        }
        FieldType::Object(id) => format!("{at}::{}::default()", spec.object(id).rust),
        FieldType::ObjectArray(_) => "Vec::new()".to_owned(),
        FieldType::Time | FieldType::DateTime => {
            format!("{at}::HkTime::from_parts(2026, 12, 1, 12, 0, 0).expect(\"a valid time\")")
        }
    })
}

/// Text that reads as what an identifying field holds (an order number looks like one), so the
/// example reads naturally; any other text field gets `example`.
fn sample_text(f: &Field) -> &'static str {
    match f.concept {
        Some(Concept::OutTradeNo) => "order-1",
        Some(Concept::EftTradeNo) => "EFT0001",
        Some(Concept::RefundNo) => "refund-1",
        _ => "example",
    }
}

/// The smallest positive number of seconds within a field's bounds and a multiple of its step.
fn seconds(step: Option<u32>, min: Option<u32>, max: Option<u32>) -> Option<u32> {
    let step = step.unwrap_or(1).max(1);
    let least = min.unwrap_or(step).max(1);
    let value = least.div_ceil(step).checked_mul(step)?;
    (value <= max.unwrap_or(u32::MAX)).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_keep_the_fields_bounds_and_step() {
        assert_eq!(seconds(None, None, None), Some(1));
        assert_eq!(seconds(Some(60), Some(61), None), Some(120));
        assert_eq!(seconds(Some(60), None, None), Some(60));
        assert_eq!(seconds(Some(60), Some(61), Some(100)), None, "no multiple of 60 between 61 and 100");
    }
}
