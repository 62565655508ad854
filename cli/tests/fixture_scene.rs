#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! The CLI library on an invented scene (`tests/fixtures/kiosk`) that shares no field name,
//! endpoint, code or value with eftPay's spec: `eftpay spec` lists it, the request commands
//! place, look up, give back and cancel its orders against a sandbox serving it, and the demo
//! walks it — so nothing of the real spec is written into the CLI.

use std::process::ExitCode;
use std::time::Duration;

use eftpay::Credentials;
use eftpay::catalog::Catalog;
use eftpay::rules::Purpose;
use eftpay_cli::spec::{Options, View, render};
use eftpay_cli::{Environment, Status, run_with};
use eftpay_sandbox::{OrderState, Sandbox, SandboxConfig};

#[allow(missing_docs, dead_code, unreachable_pub, clippy::all)]
mod kiosk {
    eftpay_macros::include_spec!("../tests/fixtures/kiosk");
}

static KIOSK: &Catalog = &kiosk::CATALOG;

const SECRET: &str = "test-secret-not-real";

fn exit(status: Status) -> ExitCode {
    status.into()
}

#[test]
fn spec_lists_the_kiosk_scene_its_services_and_their_rust_names() {
    let text = render(KIOSK, &Options::default()).unwrap();
    for scene in KIOSK.scenes {
        assert!(text.lines().any(|line| line == format!("scene {}", scene.name)), "{text}");
    }
    for row in KIOSK.services {
        assert!(text.lines().any(|line| line == row.name), "{}: {text}", row.name);
        assert!(text.contains(&format!("services::{}", row.rust)), "{}: {text}", row.name);
    }
    let json: serde_json::Value =
        serde_json::from_str(&render(KIOSK, &Options { json: true, ..Options::default() }).unwrap()).unwrap();
    assert_eq!(json["scenes"].as_array().unwrap().len(), KIOSK.scenes.len());
    assert_eq!(json["services"].as_array().unwrap().len(), KIOSK.services.len());
    let wallets = render(KIOSK, &Options { view: View::Wallets, ..Options::default() }).unwrap();
    for pay_type in KIOSK.pay_types {
        assert!(wallets.lines().any(|line| line.starts_with(pay_type.wire)), "{wallets}");
    }
    assert!(render(KIOSK, &Options { filter: Some("no-such".into()), ..Options::default() }).is_err());
}

/// `eftpay ARGS…` on the kiosk spec, against `sandbox`.
fn kiosk(sandbox: &Sandbox, args: &[&str]) -> ExitCode {
    let env = Environment::of([
        ("EFTPAY_BASE_URL", sandbox.base_url().to_owned()),
        ("EFTPAY_USER_CONFIRM_KEY", sandbox.credentials().user_confirm_key.clone()),
        ("EFTPAY_SECRET", SECRET.to_owned()),
    ]);
    run_with(KIOSK, std::iter::once("eftpay").chain(args.iter().copied()), &env)
}

#[test]
fn the_request_commands_run_on_the_kiosk_spec() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let config = SandboxConfig {
        catalog: KIOSK,
        credentials: Some(Credentials::new("KIOSK0000001", SECRET)),
        notification_backoff: Duration::from_millis(20),
        ..SandboxConfig::default()
    };
    let sandbox = runtime.block_on(Sandbox::start_with(config)).unwrap();
    let coin = KIOSK.services.iter().find(|row| row.notifications == eftpay::rules::Notifications::Never).unwrap();
    let card = KIOSK.services.iter().find(|row| row.wallets.len() > 1).unwrap();

    // A field the card row needs for its wallet is missing, and one the kiosk has no field for
    // is given: nothing is sent.
    let refused =
        kiosk(&sandbox, &["pre-order", "--service", card.name, "--wallet", card.wallets[0], "--amount", "2.50"]);
    assert_eq!(refused, exit(Status::InvalidRequest));
    let refused = kiosk(
        &sandbox,
        &[
            "pre-order",
            "--service",
            coin.name,
            "--amount",
            "2.50",
            "--out-trade-no",
            "k-0",
            "--return-url",
            "https://x.example/r",
        ],
    );
    assert_eq!(refused, exit(Status::InvalidRequest));
    assert!(sandbox.orders().is_empty());

    // The required object array is given by its wire name.
    let basket = KIOSK
        .scene_interface(KIOSK.scenes[0], Purpose::PlaceOrder)
        .unwrap()
        .fields
        .iter()
        .find(|f| f.kind == eftpay::rules::FieldKind::ObjectArray)
        .unwrap()
        .wire;
    let basket = format!("{basket}=[]");
    let placed = kiosk(
        &sandbox,
        &["pre-order", "--service", coin.rust, "--amount", "2.50", "--out-trade-no", "k-1", "--field", &basket],
    );
    assert_eq!(placed, exit(Status::Ok));
    let order = sandbox.order_by_out_trade_no("k-1").unwrap();
    assert_eq!(order.service, coin.name);
    sandbox.pay(&order.eft_trade_no).unwrap();

    let scene = KIOSK.scenes[0].name;
    assert_eq!(kiosk(&sandbox, &["query", "--scene", scene, "--out-trade-no", "k-1"]), exit(Status::Ok));
    let back = ["refund", "--scene", scene, "--amount", "1.00", "--out-trade-no", "k-1", "--refund-no", "v-1"];
    assert_eq!(kiosk(&sandbox, &back), exit(Status::Ok));
    assert_eq!(sandbox.refunds(&order.eft_trade_no).len(), 1);
    // A paid order cannot be cancelled: the gateway's refusal.
    assert_eq!(kiosk(&sandbox, &["close", "--scene", scene, "--out-trade-no", "k-1"]), exit(Status::Gateway));

    let second = ["pre-order", "--service", coin.name, "--amount", "1.00", "--out-trade-no", "k-2", "--field", &basket];
    assert_eq!(kiosk(&sandbox, &second), exit(Status::Ok));
    assert_eq!(kiosk(&sandbox, &["close", "--scene", scene, "--out-trade-no", "k-2"]), exit(Status::Ok));
    let closed = sandbox.order_by_out_trade_no("k-2").unwrap();
    assert_eq!(closed.state, OrderState::Closed);
    drop(sandbox);
}

#[test]
fn the_demo_walks_the_kiosk_scene_with_its_default_service() {
    let code = run_with(KIOSK, ["eftpay", "demo", "--scene", "kiosk"], &Environment::of::<String, String>([]));
    assert_eq!(code, exit(Status::Ok));
}

#[test]
fn the_demo_walks_the_kiosk_scene_with_a_service_that_does_not_notify() {
    let coin = KIOSK.services.iter().find(|row| row.notifications == eftpay::rules::Notifications::Never).unwrap();
    let code = run_with(KIOSK, ["eftpay", "demo", "--service", coin.name], &Environment::of::<String, String>([]));
    assert_eq!(code, exit(Status::Ok));
}
