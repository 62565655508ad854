// What the typed API accepts compiles under deny(warnings), in every scene.
#![deny(warnings)]
use eftpay::{Amount, OutTradeNo, RefundAmount, RefundNo, BuyerType, QueryRequest, langs, pay_scenes, services, wallets};

fn main() {
    let order = services::PaymeWebPreOrder::place_order(wallets::PayMe, Amount::from_cents(81), OutTradeNo::new("rrn_1"), "test", "https://merchant.example/return")
        .pay_scene(pay_scenes::App)
        .build();
    assert!(order.validate().is_ok());
    let _ = services::AlipayWebPreOrder::place_order(wallets::AlipayCn, Amount::from_cents(1), OutTradeNo::new("rrn_2"), "test", "https://merchant.example/return")
        .lang(langs::En);
    let _ = QueryRequest::by_out_trade_no(OutTradeNo::new("rrn_2")).refund_no(RefundNo::new("rf_1")).build();
    let qrcode = services::AlipayQrcodePreOrder::place_order(wallets::AlipayBoth, Amount::from_cents(200), OutTradeNo::new("rrn_3"), "counter", "https://merchant.example/notify")
        .build();
    assert!(qrcode.validate().is_ok());
    let _ = services::AlipayQrcodeClose::close(wallets::AlipayHk, OutTradeNo::new("rrn_3"));
    let app = services::AppWechatPreOrder::place_order(
        wallets::WeChatHk,
        Amount::from_cents(100),
        OutTradeNo::new("rrn_4"),
        BuyerType::Android,
        "in-app order",
        "goods",
    )
    .active_time(900)
    .build();
    assert!(app.validate().is_ok());
    let _ = services::AppRefund::refund_by_out_trade_no(RefundAmount::new(Amount::from_cents(50)), RefundNo::new("rf_4"), OutTradeNo::new("rrn_4"));
    let cashier = services::CashierPreOrder::place_order(
        Amount::from_cents(100),
        OutTradeNo::new("rrn_5"),
        "cashier order",
        "https://merchant.example/return",
    )
    .lang(langs::Hk)
    .build();
    assert!(cashier.validate().is_ok());
}
