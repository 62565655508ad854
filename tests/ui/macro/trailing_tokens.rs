// Anything after the options is refused with what is expected there.
eftpay_macros::include_spec!("spec_cases/syntax_error", doc_examples_at = "my_crate" extra);

fn main() {}
