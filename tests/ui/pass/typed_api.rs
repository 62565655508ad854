// What the typed API accepts compiles under deny(warnings).
#![deny(warnings)]
use eftpay::{Amount, langs, pay_scenes, services, wallets};

fn main() {
    let order = services::PaymeWebPreOrder::place_order(wallets::PayMe, Amount::from_cents(81), "rrn_1", "test")
        .pay_scene(pay_scenes::App)
        .return_url("https://merchant.example/return")
        .build();
    assert!(order.validate().is_ok());
    let _ = services::AlipayWebPreOrder::place_order(wallets::AlipayCn, Amount::from_cents(1), "rrn_2", "test")
        .lang(langs::En);
}
