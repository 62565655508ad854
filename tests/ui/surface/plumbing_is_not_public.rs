// What only generated code calls lives under `eftpay::__private`; none of these is public API,
// so none of these paths resolves.
use eftpay::NOTIFICATION_RULES;
use eftpay::catalog::Codec;
use eftpay::json_text::ObjectWriter;
use eftpay::message::Request;
use eftpay::rules::{Condition, FieldTest, Recognition, recognize};
use eftpay::validation::validate;
use eftpay::wire::OutgoingFields;

fn main() {}
