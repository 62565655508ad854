// The minimal fixture spec with one mistake, staged by tests/ui.rs: see SPEC_CASES there.
eftpay_macros::include_spec!("spec_cases/wallet_enum_without_concept");

fn main() {}
