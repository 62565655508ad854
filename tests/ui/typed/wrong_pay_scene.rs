// The Alipay wap service takes pay_scene WAP only; APP must not compile.
use eftpay::{Amount, OutTradeNo, pay_scenes, services, wallets};

fn main() {
    let _ = services::AlipayWapPreOrder::place_order(wallets::AlipayHk, Amount::from_cents(53), OutTradeNo::new("rrn_1"), "test", "https://merchant.example/return")
        .pay_scene(pay_scenes::App);
}
