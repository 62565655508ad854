//! `eftpay spec`: the services, wallets and test amounts this build knows, read from the tables
//! the `eftpay` crate generated from `spec/` at compile time (never from the TOML at run time),
//! so what it lists is exactly what the SDK, and so the other commands, accept.

use eftpay::rules::{Notifications, TestOutcome};
use eftpay::{Interface, PayType, SERVICES, ServiceFlag, ServiceRules, TEST_AMOUNTS, Wallet, WireEnum};
use serde_json::{Value, json};

use crate::failure::Failure;
use crate::output;

/// Options of `eftpay spec`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only the services whose name contains this text, ignoring case (`alipay`, `refund`).
    #[arg(value_name = "FILTER", conflicts_with_all = ["wallets", "test_amounts"])]
    pub filter: Option<String>,
    /// Print JSON (an array of objects) instead of aligned text.
    #[arg(long)]
    pub json: bool,
    /// List each payType's wallets instead of the services.
    #[arg(long, conflicts_with = "test_amounts")]
    pub wallets: bool,
    /// List the test amounts (PAYME UAT: the last two decimals choose the outcome) instead of the
    /// services.
    #[arg(long)]
    pub test_amounts: bool,
}

/// Prints the table asked for.
///
/// # Errors
/// The filter matches no service, or stdout is closed.
pub fn run(args: &Args) -> Result<(), Failure> {
    let text = if args.wallets {
        if args.json { json_text(&wallets_json()) } else { wallets_text() }
    } else if args.test_amounts {
        if args.json { json_text(&test_amounts_json()) } else { test_amounts_text() }
    } else {
        let services = matching(args.filter.as_deref())?;
        if args.json { json_text(&services_json(&services)) } else { services_text(&services) }
    };
    output::print(&text)
}

/// The services whose name contains `filter`, in table order.
fn matching(filter: Option<&str>) -> Result<Vec<&'static ServiceRules>, Failure> {
    let Some(filter) = filter else {
        return Ok(SERVICES.iter().collect());
    };
    let needle = filter.to_lowercase();
    let found: Vec<&ServiceRules> =
        SERVICES.iter().filter(|rules| rules.service.as_str().to_lowercase().contains(&needle)).collect();
    if found.is_empty() {
        return Err(Failure::NoServiceMatches { filter: filter.to_owned() });
    }
    Ok(found)
}

fn json_text(value: &Value) -> String {
    // Serialising a `Value` built here cannot fail; `Null` keeps that without a panic path.
    let mut text = serde_json::to_string_pretty(value).unwrap_or_else(|_| String::from("null"));
    text.push('\n');
    text
}

// ---- services ----

fn services_text(services: &[&ServiceRules]) -> String {
    let mut text = String::new();
    for rules in services {
        text.push_str(rules.service.as_str());
        text.push('\n');
        let rows = vec![
            row("interface", interface_text(rules.interface)),
            row("payType", rules.pay_type.as_str().to_owned()),
            row("wallets", list(rules.wallets)),
            row("pay_scenes", pay_scenes_text(rules)),
            row(
                "langs",
                if rules.langs.is_empty() { String::from("- (lang may not be sent)") } else { list(rules.langs) },
            ),
            row("flags", flags_text(rules.flags)),
            row("notifications", notifications_word(rules.notifications).to_owned()),
            row("doc", rules.doc.to_owned()),
        ];
        text.push_str(&output::columns(&rows, "  "));
        text.push('\n');
    }
    text.push_str(&legend(services));
    text.push_str(&count_line(services));
    text
}

fn services_json(services: &[&ServiceRules]) -> Value {
    let services: Vec<Value> = services
        .iter()
        .map(|rules| {
            json!({
                "service": rules.service.as_str(),
                "interface": rules.interface.name(),
                "endpoint": rules.interface.endpoint(),
                "payType": rules.pay_type.as_str(),
                "wallets": names(rules.wallets),
                "pay_scenes": names(rules.pay_scenes),
                "default_pay_scene": rules.default_pay_scene().map(WireEnum::as_str),
                "langs": names(rules.langs),
                "flags": rules.flags.iter().map(|flag| flag.name()).collect::<Vec<_>>(),
                "notifications": notifications_word(rules.notifications),
                "doc": rules.doc,
            })
        })
        .collect();
    Value::Array(services)
}

fn row(name: &str, value: String) -> Vec<String> {
    vec![name.to_owned(), value]
}

fn interface_text(interface: Interface) -> String {
    match interface.endpoint() {
        Some(endpoint) => format!("{} ({endpoint})", interface.name()),
        None => interface.name().to_owned(),
    }
}

/// The first pay_scene is the one sent when none is chosen (spec/README.md, `pay_scenes`).
fn pay_scenes_text(rules: &ServiceRules) -> String {
    let mut scenes = rules.pay_scenes.iter().map(WireEnum::as_str);
    match scenes.next() {
        Some(default) => std::iter::once(format!("{default} (default)"))
            .chain(scenes.map(String::from))
            .collect::<Vec<_>>()
            .join(", "),
        None => String::from("- (pay_scene may not be sent)"),
    }
}

fn flags_text(flags: &[ServiceFlag]) -> String {
    if flags.is_empty() {
        String::from("-")
    } else {
        flags.iter().map(|flag| flag.name()).collect::<Vec<_>>().join(", ")
    }
}

/// What each flag shown above means, once.
fn legend(services: &[&ServiceRules]) -> String {
    let rows: Vec<Vec<String>> = ServiceFlag::ALL
        .iter()
        .filter(|flag| services.iter().any(|rules| rules.has_flag(**flag)))
        .map(|flag| row(flag.name(), flag.doc().to_owned()))
        .collect();
    if rows.is_empty() { String::new() } else { format!("flags:\n{}\n", output::columns(&rows, "  ")) }
}

/// `26 services: 19 place_order, 6 refund, 1 apply_refund`, interfaces in order of first use.
fn count_line(services: &[&ServiceRules]) -> String {
    let mut interfaces: Vec<(Interface, usize)> = Vec::new();
    for rules in services {
        match interfaces.iter_mut().find(|(interface, _)| *interface == rules.interface) {
            Some((_, count)) => *count += 1,
            None => interfaces.push((rules.interface, 1)),
        }
    }
    let parts: Vec<String> =
        interfaces.iter().map(|(interface, count)| format!("{count} {}", interface.name())).collect();
    let noun = if services.len() == 1 { "service" } else { "services" };
    format!("{} {noun}: {}\n", services.len(), parts.join(", "))
}

/// The spec's word for how a service notifies (spec/README.md, `notifications`).
fn notifications_word(notifications: Notifications) -> &'static str {
    match notifications {
        Notifications::UntilAcknowledged => "until_acknowledged",
        Notifications::Once => "once",
        Notifications::Never => "never",
        _ => "unknown",
    }
}

fn names<E: WireEnum>(values: &[E]) -> Vec<&str> {
    values.iter().map(WireEnum::as_str).collect()
}

fn list<E: WireEnum>(values: &[E]) -> String {
    names(values).join(", ")
}

// ---- wallets ----

/// Every known payType with the wallets that belong to it (`Wallet::pay_type`).
fn wallets_by_pay_type() -> Vec<(&'static PayType, Vec<&'static Wallet>)> {
    PayType::ALL
        .iter()
        .map(|pay_type| {
            (pay_type, Wallet::ALL.iter().filter(|wallet| wallet.pay_type().as_ref() == Some(pay_type)).collect())
        })
        .collect()
}

fn wallets_text() -> String {
    let mut rows = vec![row("payType", String::from("wallets"))];
    for (pay_type, wallets) in wallets_by_pay_type() {
        let wallets: Vec<&str> = wallets.iter().map(|wallet| wallet.as_str()).collect();
        rows.push(row(pay_type.as_str(), wallets.join(", ")));
    }
    output::columns(&rows, "")
}

fn wallets_json() -> Value {
    let pay_types: Vec<Value> = wallets_by_pay_type()
        .into_iter()
        .map(|(pay_type, wallets)| {
            json!({
                "payType": pay_type.as_str(),
                "wallets": wallets.iter().map(|wallet| wallet.as_str()).collect::<Vec<_>>(),
            })
        })
        .collect();
    Value::Array(pay_types)
}

// ---- test amounts ----

fn test_amounts_text() -> String {
    let mut rows = vec![vec![
        String::from("payType"),
        String::from("amount ends in"),
        String::from("outcome"),
        String::from("doc"),
    ]];
    for amount in TEST_AMOUNTS {
        rows.push(vec![
            amount.pay_type.as_str().to_owned(),
            format!(".{:02}", amount.cents),
            outcome_word(amount.outcome).to_owned(),
            amount.doc.to_owned(),
        ]);
    }
    output::columns(&rows, "")
}

fn test_amounts_json() -> Value {
    let amounts: Vec<Value> = TEST_AMOUNTS
        .iter()
        .map(|amount| {
            json!({
                "payType": amount.pay_type.as_str(),
                "cents": amount.cents,
                "outcome": outcome_word(amount.outcome),
                "doc": amount.doc,
            })
        })
        .collect();
    Value::Array(amounts)
}

/// The spec's word for a test outcome (spec/README.md, `[[test_amount]]`).
fn outcome_word(outcome: TestOutcome) -> &'static str {
    match outcome {
        TestOutcome::Success => "success",
        TestOutcome::Timeout => "timeout",
        TestOutcome::Failed => "failed",
        TestOutcome::ServerErrorNoQrCode => "server_error_no_qr_code",
        TestOutcome::ServerErrorNoState => "server_error_no_state",
        _ => "unknown",
    }
}
