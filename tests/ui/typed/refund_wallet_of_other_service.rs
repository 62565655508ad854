// Refund services are typed the same way: an Alipay wallet cannot go to the WeChat refund.
use eftpay::{Amount, OutTradeNo, RefundAmount, RefundNo, services, wallets};

fn main() {
    let _ = services::WechatWebRefund::refund(
        wallets::AlipayCn,
        RefundAmount::new(Amount::from_cents(50)),
        Amount::from_cents(100),
        OutTradeNo::new("rrn_1"),
        RefundNo::new("refund_1"),
    );
}
