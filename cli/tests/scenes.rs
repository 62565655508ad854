#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! `eftpay pre-order`, `query`, `refund` and `close` for a service of every scene of the catalog,
//! run as a person would against an embedded sandbox: the flags come from the concepts each
//! interface takes, the services and values from the catalog, and every other field the
//! request needs — one without a concept, one required only when another has some value — is
//! given as `--field NAME=VALUE` with a value read from the spec (`by_name`). A new scene needs
//! no test code.

use std::process::{Command, Output};
use std::time::Duration;

mod support;

use eftpay::catalog::{FieldInfo, InterfaceInfo, SceneInfo, ServiceInfo};
use eftpay::rules::{Concept, FieldKind, Meaning, Purpose};
use eftpay::{CATALOG, Credentials};
use eftpay_sandbox::{OrderState, Sandbox, SandboxConfig};
use support::{Status, assert_exit};

const SECRET: &str = "test-secret-not-real";

/// A sandbox on its own runtime, which keeps serving while the test runs the binary.
struct Running {
    sandbox: Sandbox,
    _runtime: tokio::runtime::Runtime,
}

fn sandbox() -> Running {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let config = SandboxConfig {
        credentials: Some(Credentials::new("TESTKEY00001", SECRET)),
        notification_backoff: Duration::from_millis(20),
        apply_refund_delay: Duration::from_millis(20),
        ..SandboxConfig::default()
    };
    let sandbox = runtime.block_on(Sandbox::start_with(config)).unwrap();
    Running { sandbox, _runtime: runtime }
}

fn eftpay(sandbox: &Sandbox, args: &[String]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_eftpay"))
        .args(args)
        .env("EFTPAY_BASE_URL", sandbox.base_url())
        .env("EFTPAY_USER_CONFIRM_KEY", "TESTKEY00001")
        .env("EFTPAY_SECRET", SECRET)
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    let printed = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(!printed.contains(SECRET), "the secret was printed: {printed}");
    output
}

fn ok(sandbox: &Sandbox, args: &[String]) -> String {
    let output = eftpay(sandbox, args);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert_eq!(
        output.status.code(),
        support::code(Status::Ok),
        "{args:?}\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// `--flag value` for each concept `interface` takes, from `values`, then `--field NAME=VALUE`
/// for every other field the request needs ([`by_name`]).
fn flags(
    interface: &InterfaceInfo,
    purpose: Purpose,
    row: Option<&ServiceInfo>,
    values: &[(&str, Concept, String)],
) -> Vec<String> {
    let mut args = concept_flags(interface, purpose, values);
    let sent: Vec<(&str, String)> = args
        .chunks(2)
        .filter_map(|pair| {
            let (flag, concept, _) = values.iter().find(|(flag, ..)| *flag == pair[0])?;
            let concept = refund_concept(flag, *concept, purpose);
            Some((interface.fields_for(concept).find(|f| f.is_caller_set())?.wire, pair[1].clone()))
        })
        .collect();
    args.extend(by_name(interface, row, sent));
    args
}

/// What `flag` sets in a request of `purpose`: in refunds --amount is the refund's.
fn refund_concept(flag: &str, concept: Concept, purpose: Purpose) -> Concept {
    match (flag, matches!(purpose, Purpose::Refund | Purpose::ApplyRefund)) {
        ("--amount", true) => Concept::RefundAmount,
        _ => concept,
    }
}

/// `--field NAME=VALUE` for each field of `interface` the request needs that neither a flag
/// (`sent`) nor the row sets: required ones, and those required when another field has a value
/// it has here. The value is the spec's: the field's default, the row's, its value set's first
/// value, or a plain value of its kind.
fn by_name(interface: &InterfaceInfo, row: Option<&ServiceInfo>, mut sent: Vec<(&str, String)>) -> Vec<String> {
    // What the command takes from the row (`eftpay` fills these in itself).
    for field in interface.fields.iter().filter(|f| f.is_caller_set()) {
        if sent.iter().any(|(wire, _)| *wire == field.wire) {
            continue;
        }
        let from_row = match field.concept {
            Some(Concept::Service) => row.map(|r| r.name),
            Some(Concept::PayType) => row.and_then(|r| r.pay_type),
            Some(Concept::PayScene) if field.required => row.and_then(ServiceInfo::default_pay_scene),
            Some(Concept::Wallet) if row.is_some_and(|r| r.wallets.len() == 1) => row.map(|r| r.wallets[0]),
            _ => None,
        };
        if let Some(value) = from_row {
            sent.push((field.wire, value.to_owned()));
        }
    }
    let needed = |field: &FieldInfo, sent: &[(&str, String)]| {
        let required =
            field.required && field.required_unless.is_none_or(|flag| row.is_some_and(|r| !r.has_flag(flag)));
        let due = field.required_when.is_some_and(|(other, values)| {
            sent.iter().any(|(wire, value)| *wire == other && values.contains(&value.as_str()))
        });
        required || due
    };
    let mut args = Vec::new();
    // Twice: a field required when another has a value may depend on one given here.
    for _ in 0..2 {
        for field in interface.fields.iter().filter(|f| f.is_caller_set()) {
            if sent.iter().any(|(wire, _)| *wire == field.wire) || !needed(field, &sent) {
                continue;
            }
            let value = spec_value(interface, row, field);
            args.push("--field".to_owned());
            args.push(format!("{}={value}", field.wire));
            sent.push((field.wire, value));
        }
    }
    args
}

/// A value of `field` from the spec: its default (the row's first), its value set's first
/// value, or a plain value of its kind within its limits.
fn spec_value(interface: &InterfaceInfo, row: Option<&ServiceInfo>, field: &FieldInfo) -> String {
    if let Some(default) = row.and_then(|r| r.effective_default(interface, field.wire)).or(field.default) {
        return default.to_owned();
    }
    let first = field.enum_name.and_then(|name| CATALOG.enumeration(name)).and_then(|e| e.values.first());
    match field.kind {
        FieldKind::Enum => first.map(|v| v.wire.to_owned()).unwrap_or_default(),
        FieldKind::Amount => "1.00".to_owned(),
        FieldKind::Seconds => field.multiple_of.unwrap_or(60).max(field.min.unwrap_or(0)).to_string(),
        FieldKind::Url => "https://merchant.example/cli".to_owned(),
        FieldKind::Object => "{}".to_owned(),
        FieldKind::ObjectArray => "[]".to_owned(),
        _ => "cli".chars().take(field.max_len.unwrap_or(3)).collect(),
    }
}

/// `--flag value` for each concept `interface` takes, from `values`.
fn concept_flags(interface: &InterfaceInfo, purpose: Purpose, values: &[(&str, Concept, String)]) -> Vec<String> {
    let refund = matches!(purpose, Purpose::Refund | Purpose::ApplyRefund);
    let mut args = Vec::new();
    for (flag, concept, value) in values {
        // In refunds --amount is the refund's; the order's amount is --total.
        let concept = match (*flag, refund) {
            ("--amount", true) => Concept::RefundAmount,
            ("--total", false) => continue,
            _ => *concept,
        };
        if interface.fields_for(concept).any(|f| f.is_caller_set()) {
            args.push((*flag).to_owned());
            args.push(value.clone());
        }
    }
    args
}

/// The row of `interface` for `pay_type`, when the interface has rows.
fn row_of(interface: &InterfaceInfo, pay_type: Option<&str>) -> Option<&'static ServiceInfo> {
    let rows: Vec<_> = CATALOG.services_of(interface.name).collect();
    rows.iter()
        .find(|r| r.pay_type.is_some() && r.pay_type == pay_type)
        .or_else(|| rows.iter().find(|r| r.pay_type.is_none()))
        .copied()
}

/// The values a request of the scene may need, by concept.
fn values(out: &str, row: &ServiceInfo, refund_no: &str) -> Vec<(&'static str, Concept, String)> {
    let buyer_type = CATALOG.enumeration("BuyerType").and_then(|e| e.values.first()).map(|v| v.wire.to_owned());
    let mut values = vec![
        ("--amount", Concept::Amount, "1.00".to_owned()),
        ("--total", Concept::Amount, "1.00".to_owned()),
        ("--out-trade-no", Concept::OutTradeNo, out.to_owned()),
        ("--subject", Concept::Subject, "Coffee".to_owned()),
        ("--body", Concept::Body, "Beans".to_owned()),
        ("--return-url", Concept::ReturnUrl, "https://merchant.example/return".to_owned()),
        ("--refund-no", Concept::RefundNo, refund_no.to_owned()),
        // Nobody listens there: the sandbox still composes and sends each notification.
        ("--notify-url", Concept::NotifyUrl, "http://127.0.0.1:9/notify".to_owned()),
    ];
    if let Some(buyer_type) = buyer_type {
        values.push(("--buyer-type", Concept::BuyerType, buyer_type));
    }
    if let (Some(wallet), Some(_)) = (row.wallets.first(), row.pay_type) {
        values.push(("--wallet", Concept::Wallet, (*wallet).to_owned()));
    }
    values
}

/// `--service ROW` when the interface has several rows (a single one is chosen by --scene).
fn service(interface: &InterfaceInfo, row: Option<&ServiceInfo>) -> Vec<String> {
    match row {
        Some(row) if CATALOG.services_of(interface.name).nth(1).is_some() => vec!["--service".into(), row.name.into()],
        _ => Vec::new(),
    }
}

fn command(name: &str, scene: &SceneInfo, rest: Vec<String>) -> Vec<String> {
    [name.to_owned(), "--scene".to_owned(), scene.name.to_owned()].into_iter().chain(rest).collect()
}

/// The spec's code for `meaning` of the value set of `interface`'s response field for `concept`.
fn code(interface: &InterfaceInfo, concept: Concept, meaning: Meaning) -> &'static str {
    let field = interface.response_field_for(concept).unwrap();
    CATALOG.wire_for(field.enum_name.unwrap(), meaning).unwrap()
}

#[test]
fn every_command_works_for_a_service_of_every_scene() {
    let running = sandbox();
    let sandbox = &running.sandbox;
    for (n, scene) in CATALOG.scenes.iter().enumerate() {
        let place = CATALOG.scene_interface(scene, Purpose::PlaceOrder).unwrap();
        // A row whose payType the scene can refund, paid without a choice of wallet where possible.
        let row = CATALOG
            .services_of(place.name)
            .find(|r| r.pay_type.is_some())
            .or_else(|| CATALOG.services_of(place.name).next())
            .unwrap();
        let out = format!("cli-{n}");
        let refund_no = format!("cli-{n}-r");
        let values = values(&out, row, &refund_no);

        let placed = ok(
            sandbox,
            &command(
                "pre-order",
                scene,
                [service(place, Some(row)), flags(place, Purpose::PlaceOrder, Some(row), &values)].concat(),
            ),
        );
        assert!(placed.starts_with("order accepted — not paid yet"), "{}: {placed}", scene.name);
        let link =
            place.response_field_for(Concept::QrCode).or_else(|| place.response_field_for(Concept::PayLink)).unwrap();
        assert!(placed.lines().any(|line| line.starts_with(link.wire)), "{}: {placed}", scene.name);
        let order = sandbox.order_by_out_trade_no(&out).unwrap();
        assert_eq!(order.service, row.name);
        sandbox.pay(&order.eft_trade_no).unwrap();
        let pay_type = sandbox.order(&order.eft_trade_no).unwrap().pay_type;
        let paid_row = CATALOG
            .services
            .iter()
            .copied()
            .find(|r| r.pay_type == pay_type.as_deref() && r.interface == place.name)
            .unwrap_or(row);
        let values = self::values(&out, paid_row, &refund_no);

        if let Some(query) = CATALOG.scene_interface(scene, Purpose::Query) {
            let query_row = row_of(query, pay_type.as_deref());
            let mut args = service(query, query_row);
            args.extend(
                flags(query, Purpose::Query, query_row, &values)
                    .into_iter()
                    .collect::<Vec<_>>()
                    .chunks(2)
                    .filter(|pair| pair[0] != "--refund-no")
                    .flatten()
                    .cloned(),
            );
            let text = ok(sandbox, &command("query", scene, args));
            let status = query.response_field_for(Concept::TradeStatus).unwrap().wire;
            assert!(
                text.lines()
                    .any(|line| line.starts_with(status)
                        && line.ends_with(code(query, Concept::TradeStatus, Meaning::Paid))),
                "{}: {text}",
                scene.name
            );
        }

        if let Some(refund) = CATALOG.scene_interface(scene, Purpose::Refund) {
            let refund_row = row_of(refund, pay_type.as_deref());
            let mut args = service(refund, refund_row);
            let mut refund_values = values.clone();
            refund_values[0].2 = "0.40".to_owned();
            args.extend(flags(refund, Purpose::Refund, refund_row, &refund_values));
            let text = ok(sandbox, &command("refund", scene, args));
            assert!(text.starts_with("refund request accepted"), "{}: {text}", scene.name);
            assert_eq!(sandbox.refunds(&order.eft_trade_no).len(), 1, "{}", scene.name);
        }

        if let Some(close) = CATALOG.scene_interface(scene, Purpose::Close) {
            let open = format!("{out}-open");
            let open_values = self::values(&open, row, &refund_no);
            ok(
                sandbox,
                &command(
                    "pre-order",
                    scene,
                    [service(place, Some(row)), flags(place, Purpose::PlaceOrder, Some(row), &open_values)].concat(),
                ),
            );
            let close_row = row_of(close, row.pay_type);
            let args = [service(close, close_row), flags(close, Purpose::Close, close_row, &open_values)].concat();
            let text = ok(sandbox, &command("close", scene, args.clone()));
            assert!(text.starts_with("order closed"), "{}: {text}", scene.name);
            let eft = sandbox.order_by_out_trade_no(&open).unwrap().eft_trade_no;
            assert_eq!(sandbox.order(&eft).unwrap().state, OrderState::Closed);
            // The paid order cannot be closed: eftPay's refusal.
            let paid = [service(close, close_row), flags(close, Purpose::Close, close_row, &values)].concat();
            let output = eftpay(sandbox, &command("close", scene, paid));
            assert_eq!(
                output.status.code(),
                support::code(Status::Gateway),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
            let refused = CATALOG.code(Meaning::CannotClose).unwrap().wire;
            assert!(
                String::from_utf8_lossy(&output.stderr).contains(refused),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
}

#[test]
fn verify_notify_reads_every_notification_the_sandbox_sends_in_every_scene() {
    use std::io::Write;
    use std::process::Stdio;

    let running = sandbox();
    let sandbox = &running.sandbox;
    for (n, scene) in CATALOG.scenes.iter().enumerate() {
        let place = CATALOG.scene_interface(scene, Purpose::PlaceOrder).unwrap();
        let Some(row) =
            CATALOG.services_of(place.name).find(|r| r.notifications != eftpay::rules::Notifications::Never)
        else {
            continue;
        };
        let out = format!("vn-{n}");
        let values = values(&out, row, "unused");
        ok(
            sandbox,
            &command(
                "pre-order",
                scene,
                [service(place, Some(row)), flags(place, Purpose::PlaceOrder, Some(row), &values)].concat(),
            ),
        );
        sandbox.pay(&sandbox.order_by_out_trade_no(&out).unwrap().eft_trade_no).unwrap();
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let notifications = loop {
        let sent: Vec<_> = sandbox
            .sent()
            .into_iter()
            .filter(|m| CATALOG.interface(m.interface).is_some_and(|i| i.purpose == Purpose::PaymentNotification))
            .collect();
        let kinds: std::collections::BTreeSet<&str> = sent.iter().map(|m| m.interface).collect();
        let expected = CATALOG
            .scenes
            .iter()
            .filter_map(|s| CATALOG.scene_interface(s, Purpose::PaymentNotification).map(|i| i.name))
            .collect::<std::collections::BTreeSet<_>>();
        if kinds == expected || std::time::Instant::now() > deadline {
            assert_eq!(kinds, expected, "every scene's payment notification was sent");
            break sent;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    for message in notifications {
        let mut child = Command::new(env!("CARGO_BIN_EXE_eftpay"))
            .arg("verify-notify")
            .env("EFTPAY_SECRET", SECRET)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(message.body.as_bytes()).unwrap();
        let output = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_eq!(
            output.status.code(),
            support::code(Status::Ok),
            "{}: {}",
            message.interface,
            String::from_utf8_lossy(&output.stderr)
        );
        let paid = CATALOG.code(Meaning::Paid).unwrap().wire;
        assert!(
            stdout.starts_with("verified: out_trade_no=vn-") && stdout.contains(&format!("trade_status={paid}")),
            "{stdout}"
        );
    }
}

#[test]
fn a_scene_without_the_interface_a_command_needs_says_which_scenes_have_one() {
    let running = sandbox();
    let without = CATALOG.scenes.iter().find(|s| CATALOG.scene_interface(s, Purpose::Close).is_none()).unwrap();
    let output = eftpay(&running.sandbox, &command("close", without, vec!["--out-trade-no".into(), "x".into()]));
    assert_exit(&output, Status::InvalidRequest);
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains(&format!("the {} scene has no close request", without.name)), "{err}");
    for scene in CATALOG.scenes.iter().filter(|s| CATALOG.scene_interface(s, Purpose::Close).is_some()) {
        assert!(err.contains(scene.name), "{err}");
    }
}
