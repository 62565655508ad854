// qrcode scene: a WeChat wallet for the Alipay qrcode service must not compile.
use eftpay::{Amount, OutTradeNo, services, wallets};

fn main() {
    let _ = services::AlipayQrcodePreOrder::place_order(wallets::WeChatHk, Amount::from_cents(200), OutTradeNo::new("rrn_1"), "counter", "https://merchant.example/notify");
}
