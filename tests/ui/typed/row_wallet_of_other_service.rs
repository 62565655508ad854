// A wallet read from text is checked against one service's row; it is not a wallet of another.
use eftpay::{Amount, OutTradeNo, RefundAmount, RefundNo, RowWallet, services};

fn main() {
    let wallet: RowWallet<services::AlipayWebRefund> = "ALIPAYHK".parse().unwrap();
    let _ = services::WechatWebRefund::refund(
        wallet,
        RefundAmount::new(Amount::from_cents(50)),
        Amount::from_cents(100),
        OutTradeNo::new("rrn_1"),
        RefundNo::new("refund_1"),
    );
}
