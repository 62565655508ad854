// app scene: the service rows have no `service` field on the wire, yet a wrong wallet still
// does not compile.
use eftpay::{Amount, OutTradeNo, BuyerType, services, wallets};

fn main() {
    let _ = services::AppAlipayPreOrder::place_order(
        wallets::WeChatCn,
        Amount::from_cents(100),
        OutTradeNo::new("rrn_1"),
        BuyerType::Ios,
        "in-app order",
        "goods",
    );
}
