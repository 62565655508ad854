// cashier scene: the payer chooses the wallet on eftPay's page, so the constructor takes none.
use eftpay::{Amount, OutTradeNo, services, wallets};

fn main() {
    let _ = services::CashierPreOrder::place_order(
        wallets::AlipayHk,
        Amount::from_cents(100),
        OutTradeNo::new("rrn_1"),
        "cashier order",
        "https://merchant.example/return",
    );
}
