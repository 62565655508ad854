// The ICBC wap service is not in the lang table, so it takes no lang at all.
use eftpay::{Amount, OutTradeNo, langs, services, wallets};

fn main() {
    let _ = services::IcbcWapPreOrder::place_order(wallets::IcbcWap, Amount::from_cents(53), OutTradeNo::new("rrn_1"), "test", "https://merchant.example/return")
        .lang(langs::En);
}
