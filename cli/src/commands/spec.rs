//! `eftpay spec`: the scenes, services, wallets and test amounts of a catalog — for the binary,
//! the tables the `eftpay` crate generated from `spec/` at compile time (never the TOML at run
//! time), so what it lists is exactly what the SDK, and so the other commands, accept — with the
//! Rust names a developer types for each.

use eftpay::catalog::{Catalog, InterfaceInfo, SceneInfo, ServiceInfo};
use serde_json::{Map, Value, json};

use crate::failure::Failure;
use crate::output;

/// Options of `eftpay spec`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What else `eftpay spec` does.
    #[command(subcommand)]
    pub action: Option<Action>,
    /// Only the services whose name (or Rust name) contains this text, ignoring case (`alipay`,
    /// `refund`, `qrcode`).
    #[arg(value_name = "FILTER", conflicts_with_all = ["wallets", "test_amounts"])]
    pub filter: Option<String>,
    /// Print JSON instead of aligned text.
    #[arg(long)]
    pub json: bool,
    /// List each payType's wallets (and their Rust names) instead of the scenes and services.
    #[arg(long, conflicts_with = "test_amounts")]
    pub wallets: bool,
    /// List the test amounts (the last two decimals choose the outcome in a test environment)
    /// instead of the scenes and services.
    #[arg(long)]
    pub test_amounts: bool,
}

/// `eftpay spec`'s subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Compare one of eftPay's doc pages, saved as text, with the spec folder: print each
    /// difference with the spec line stating our side and the TOML that brings the spec in line.
    ///
    /// Reads the page's endpoint and pipe tables (fields, services, pay_scenes, langs, test
    /// amounts, object sections; English or Chinese), finds the interface it describes, and lists
    /// the spec's [assume]s the page leaves open. Exits like diff: 0 the page agrees, 1 it
    /// differs (or describes no interface), 2 the page or the spec could not be read.
    Check(super::spec_check::Args),
}

/// What `eftpay spec` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    /// The scenes and the services (filtered).
    #[default]
    Services,
    /// Each payType's wallets.
    Wallets,
    /// The test amounts.
    TestAmounts,
}

/// How `eftpay spec` renders.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// What to list.
    pub view: View,
    /// JSON instead of text.
    pub json: bool,
    /// Only the services whose name or Rust name contains this, ignoring case.
    pub filter: Option<String>,
}

impl From<&Args> for Options {
    fn from(args: &Args) -> Options {
        let view = if args.wallets {
            View::Wallets
        } else if args.test_amounts {
            View::TestAmounts
        } else {
            View::Services
        };
        Options { view, json: args.json, filter: args.filter.clone() }
    }
}

/// Prints the listing asked for, or runs `eftpay spec check`.
///
/// # Errors
/// The filter matches no service, stdout is closed, or (check) the page differs from the spec
/// or cannot be read.
pub fn run(catalog: &'static Catalog, args: &Args) -> Result<(), Failure> {
    if let Some(Action::Check(check)) = &args.action {
        return super::spec_check::run(check);
    }
    output::print(&render(catalog, &Options::from(args))?)
}

/// `eftpay spec`'s output for `catalog`.
///
/// # Errors
/// [`Failure::NoServiceMatches`] when the filter matches no service.
pub fn render(catalog: &'static Catalog, options: &Options) -> Result<String, Failure> {
    Ok(match (options.view, options.json) {
        (View::Wallets, false) => wallets_text(catalog),
        (View::Wallets, true) => json_text(&wallets_json(catalog)),
        (View::TestAmounts, false) => test_amounts_text(catalog),
        (View::TestAmounts, true) => json_text(&test_amounts_json(catalog)),
        (View::Services, json) => {
            let services = matching(catalog, options.filter.as_deref())?;
            match (json, options.filter.is_some()) {
                (true, _) => json_text(&json!({
                    "scenes": catalog.scenes.iter().map(|scene| scene_json(catalog, scene)).collect::<Vec<_>>(),
                    "services": services.iter().map(|row| service_json(catalog, row)).collect::<Vec<_>>(),
                })),
                (false, true) => services_text(catalog, &services),
                (false, false) => format!("{}{}", scenes_text(catalog), services_text(catalog, &services)),
            }
        }
    })
}

/// The services whose name or Rust name contains `filter`, in table order.
fn matching(catalog: &Catalog, filter: Option<&str>) -> Result<Vec<&'static ServiceInfo>, Failure> {
    let Some(filter) = filter else {
        return Ok(catalog.services.to_vec());
    };
    let needle = filter.to_lowercase();
    let found: Vec<&'static ServiceInfo> = catalog
        .services
        .iter()
        .copied()
        .filter(|row| row.name.to_lowercase().contains(&needle) || row.rust.to_lowercase().contains(&needle))
        .collect();
    if found.is_empty() {
        return Err(Failure::NoServiceMatches { filter: filter.to_owned() });
    }
    Ok(found)
}

fn json_text(value: &Value) -> String {
    // Serialising a `Value` built here cannot fail; `null` keeps that without a panic path.
    let mut text = serde_json::to_string_pretty(value).unwrap_or_else(|_| String::from("null"));
    text.push('\n');
    text
}

fn row(name: &str, value: String) -> Vec<String> {
    vec![name.to_owned(), value]
}

/// Text over several lines as one: the spec's docs are wrapped for the TOML, not the terminal.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn dash_if_empty(values: &[&str]) -> String {
    if values.is_empty() { String::from("-") } else { values.join(", ") }
}

// ---- scenes ----

/// The interfaces of a scene, by purpose, in the order the scene lists them.
fn scene_interfaces(catalog: &Catalog, scene: &SceneInfo) -> Vec<&'static InterfaceInfo> {
    scene.interfaces.iter().filter_map(|name| catalog.interface(name)).collect()
}

fn interface_text(interface: &InterfaceInfo) -> String {
    match interface.endpoint {
        Some(endpoint) => format!("{} ({endpoint})", interface.name),
        None => interface.name.to_owned(),
    }
}

fn scenes_text(catalog: &Catalog) -> String {
    let mut text = String::new();
    for scene in catalog.scenes {
        text.push_str(&format!("scene {}\n", scene.name));
        let mut rows = vec![row("doc", one_line(scene.doc))];
        for interface in scene_interfaces(catalog, scene) {
            rows.push(row(interface.purpose.name(), interface_text(interface)));
        }
        rows.push(row("demo", format!("eftpay demo --scene {}", scene.name)));
        text.push_str(&output::columns(&rows, "  "));
        text.push('\n');
    }
    text
}

fn scene_json(catalog: &Catalog, scene: &SceneInfo) -> Value {
    let interfaces: Map<String, Value> = scene_interfaces(catalog, scene)
        .into_iter()
        .map(|interface| (interface.purpose.name().to_owned(), Value::from(interface.name)))
        .collect();
    json!({ "name": scene.name, "doc": one_line(scene.doc), "interfaces": interfaces })
}

// ---- services ----

fn pairs_text(pairs: &[(&str, &str)]) -> String {
    if pairs.is_empty() {
        String::from("-")
    } else {
        pairs.iter().map(|(wire, value)| format!("{wire}={value}")).collect::<Vec<_>>().join(", ")
    }
}

/// A row without a payType serves every payType; where it offers wallets, the payer chooses.
fn pay_type_text(row: &ServiceInfo) -> String {
    match (row.pay_type, row.wallets.is_empty()) {
        (Some(pay_type), _) => pay_type.to_owned(),
        (None, false) => String::from("- (the payer chooses among the wallets)"),
        (None, true) => String::from("- (any)"),
    }
}

/// The first pay_scene is the one sent when none is chosen.
fn pay_scenes_text(row: &ServiceInfo) -> String {
    match row.pay_scenes.split_first() {
        Some((default, rest)) => std::iter::once(format!("{default} (default)"))
            .chain(rest.iter().map(|s| (*s).to_owned()))
            .collect::<Vec<_>>()
            .join(", "),
        None => String::from("-"),
    }
}

fn wallets_rust(catalog: &Catalog, row: &ServiceInfo) -> Vec<String> {
    row.wallets.iter().filter_map(|wallet| catalog.wallet_rust(wallet)).map(|rust| format!("wallets::{rust}")).collect()
}

fn services_text(catalog: &Catalog, services: &[&'static ServiceInfo]) -> String {
    let mut text = String::new();
    for service in services {
        let interface = catalog.interface(service.interface);
        text.push_str(service.name);
        text.push('\n');
        let scenes: Vec<&str> = catalog.scenes_of(service.interface).map(|s| s.name).collect();
        let wallets_rust = wallets_rust(catalog, service);
        let mut rows = vec![
            row("interface", interface.map_or_else(|| service.interface.to_owned(), interface_text)),
            row("purpose", interface.map_or_else(String::new, |i| i.purpose.name().to_owned())),
            row("scene", dash_if_empty(&scenes)),
            row("payType", pay_type_text(service)),
            row("wallets", dash_if_empty(service.wallets)),
            row("pay_scenes", pay_scenes_text(service)),
            row("langs", dash_if_empty(service.langs)),
            row("flags", dash_if_empty(service.flags)),
            row("notifications", notifications_text(service)),
            row("defaults", pairs_text(service.defaults)),
            row("fixed", pairs_text(service.fixed)),
            row("rust", format!("services::{}", service.rust)),
        ];
        for constructor in service.constructors {
            rows.push(row("constructor", (*constructor).to_owned()));
        }
        if !wallets_rust.is_empty() {
            rows.push(row("wallet types", wallets_rust.join(", ")));
        }
        rows.push(row("doc", one_line(service.doc)));
        text.push_str(&output::columns(&rows, "  "));
        text.push('\n');
    }
    text.push_str(&legend(catalog, services));
    text.push_str(&count_line(services));
    text
}

fn service_json(catalog: &Catalog, service: &ServiceInfo) -> Value {
    let interface = catalog.interface(service.interface);
    let pairs = |list: &[(&str, &str)]| -> Map<String, Value> {
        list.iter().map(|(wire, value)| ((*wire).to_owned(), Value::from(*value))).collect()
    };
    json!({
        "service": service.name,
        "rust": format!("services::{}", service.rust),
        "constructors": service.constructors,
        "interface": service.interface,
        "purpose": interface.map(|i| i.purpose.name()),
        "endpoint": interface.and_then(|i| i.endpoint),
        "scenes": catalog.scenes_of(service.interface).map(|s| s.name).collect::<Vec<_>>(),
        "payType": service.pay_type,
        "wallets": service.wallets,
        "wallets_rust": wallets_rust(catalog, service),
        "pay_scenes": service.pay_scenes,
        "default_pay_scene": service.default_pay_scene(),
        "langs": service.langs,
        "flags": service.flags,
        "notifications": service.notifications.name(),
        "wallet_notifications": service
            .wallet_notifications
            .iter()
            .map(|(wallet, behaviour)| ((*wallet).to_owned(), Value::from(behaviour.name())))
            .collect::<Map<String, Value>>(),
        "defaults": pairs(service.defaults),
        "fixed": pairs(service.fixed),
        "doc": one_line(service.doc),
    })
}

/// The row's notification behaviour, then the wallets that differ from it
/// (`until_acknowledged; OCT: never, UNIONPAY: once`).
fn notifications_text(service: &ServiceInfo) -> String {
    let mut text = service.notifications.name().to_owned();
    let by_wallet: Vec<String> = service
        .wallet_notifications
        .iter()
        .map(|(wallet, behaviour)| format!("{wallet}: {}", behaviour.name()))
        .collect();
    if !by_wallet.is_empty() {
        text.push_str("; paid with ");
        text.push_str(&by_wallet.join(", "));
    }
    text
}

/// What each flag shown above means, once.
fn legend(catalog: &Catalog, services: &[&ServiceInfo]) -> String {
    let rows: Vec<Vec<String>> = catalog
        .flags
        .iter()
        .filter(|flag| services.iter().any(|row| row.has_flag(flag.name)))
        .map(|flag| row(flag.name, one_line(flag.doc)))
        .collect();
    if rows.is_empty() { String::new() } else { format!("flags:\n{}\n", output::columns(&rows, "  ")) }
}

/// `57 services: 19 place_order, 6 refund, …`, interfaces in order of first use.
fn count_line(services: &[&ServiceInfo]) -> String {
    let mut interfaces: Vec<(&str, usize)> = Vec::new();
    for service in services {
        match interfaces.iter_mut().find(|(name, _)| *name == service.interface) {
            Some((_, count)) => *count += 1,
            None => interfaces.push((service.interface, 1)),
        }
    }
    let parts: Vec<String> = interfaces.iter().map(|(name, count)| format!("{count} {name}")).collect();
    let noun = if services.len() == 1 { "service" } else { "services" };
    format!("{} {noun}: {}\n", services.len(), parts.join(", "))
}

// ---- wallets ----

fn wallets_text(catalog: &Catalog) -> String {
    let mut rows = vec![vec![String::from("payType"), String::from("wallets"), String::from("rust")]];
    for pay_type in catalog.pay_types {
        let wallets: Vec<&str> = pay_type.wallets.iter().map(|(wire, _)| *wire).collect();
        let rust: Vec<String> = pay_type.wallets.iter().map(|(_, rust)| format!("wallets::{rust}")).collect();
        rows.push(vec![pay_type.wire.to_owned(), wallets.join(", "), rust.join(", ")]);
    }
    output::columns(&rows, "")
}

fn wallets_json(catalog: &Catalog) -> Value {
    let pay_types: Vec<Value> = catalog
        .pay_types
        .iter()
        .map(|pay_type| {
            json!({
                "payType": pay_type.wire,
                "rust": pay_type.rust,
                "wallets": pay_type.wallets.iter().map(|(wire, _)| *wire).collect::<Vec<_>>(),
                "wallets_rust": pay_type.wallets.iter().map(|(_, rust)| format!("wallets::{rust}")).collect::<Vec<_>>(),
            })
        })
        .collect();
    Value::Array(pay_types)
}

// ---- test amounts ----

fn test_amounts_text(catalog: &Catalog) -> String {
    let mut rows = vec![vec![
        String::from("payType"),
        String::from("amount ends in"),
        String::from("outcome"),
        String::from("doc"),
    ]];
    for amount in catalog.test_amounts {
        rows.push(vec![
            amount.pay_type.to_owned(),
            format!(".{:02}", amount.cents),
            amount.outcome.name().to_owned(),
            one_line(amount.doc),
        ]);
    }
    output::columns(&rows, "")
}

fn test_amounts_json(catalog: &Catalog) -> Value {
    let amounts: Vec<Value> = catalog
        .test_amounts
        .iter()
        .map(|amount| {
            json!({
                "payType": amount.pay_type,
                "cents": amount.cents,
                "outcome": amount.outcome.name(),
                "doc": one_line(amount.doc),
            })
        })
        .collect();
    Value::Array(amounts)
}
