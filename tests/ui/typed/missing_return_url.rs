// The Alipay web service always requires `return_url` (its row lacks the flag that excuses it):
// a constructor call without it must not compile.
use eftpay::{Amount, OutTradeNo, services, wallets};

fn main() {
    let _ = services::AlipayWebPreOrder::place_order(wallets::AlipayHk, Amount::from_cents(53), OutTradeNo::new("rrn_1"), "test");
}
