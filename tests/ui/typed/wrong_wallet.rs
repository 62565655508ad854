// A WeChat wallet for an Alipay service must not compile.
use eftpay::{Amount, OutTradeNo, services, wallets};

fn main() {
    let _ = services::AlipayWebPreOrder::place_order(wallets::WeChatCn, Amount::from_cents(53), OutTradeNo::new("rrn_1"), "test", "https://merchant.example/return");
}
