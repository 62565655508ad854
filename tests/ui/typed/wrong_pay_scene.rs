// The Alipay wap service takes pay_scene WAP only; APP must not compile.
use eftpay::{Amount, pay_scenes, services, wallets};

fn main() {
    let _ = services::AlipayWapPreOrder::place_order(wallets::AlipayHk, Amount::from_cents(53), "rrn_1", "test")
        .pay_scene(pay_scenes::App);
}
