// Refund services are typed the same way: an Alipay wallet cannot go to the WeChat refund.
use eftpay::{Amount, services, wallets};

fn main() {
    let _ = services::WechatWebRefund::refund(
        wallets::AlipayCn,
        Amount::from_cents(50),
        Amount::from_cents(100),
        "rrn_1",
        "refund_1",
    );
}
