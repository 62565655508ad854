// qrcode scene: a WeChat wallet for the Alipay qrcode service must not compile.
use eftpay::{Amount, services, wallets};

fn main() {
    let _ = services::AlipayQrcodePreOrder::place_order(wallets::WeChatHk, Amount::from_cents(200), "rrn_1", "counter");
}
