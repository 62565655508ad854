// A misspelt option of include_spec! is refused by name, with the option it takes.
eftpay_macros::include_spec!("spec_cases/syntax_error", doc_example_at = "my_crate");

fn main() {}
