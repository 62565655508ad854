//! A gateway request from the command line: which interface and service row the flags mean, the
//! fields they set — found in the interface's field table by concept, never by a wire name
//! written here — and every problem with them, worded by the flag to fix.
//!
//! The flags are the same for every request command; what a flag sets depends on the command's
//! purpose only for amounts (`refund --amount` is the amount refunded, `--total` the order's).
//! A flag whose concept the chosen interface does not have is refused by name, and `--field
//! NAME=VALUE` sets any field by its wire name.

use eftpay::Amount;
use eftpay::catalog::{Catalog, FieldInfo, FieldRefusal, InterfaceInfo, SceneInfo, ServiceInfo};
use eftpay::gateway::check_fields;
use eftpay::rules::{Concept, FieldKind, Purpose};
use eftpay::{Rule, Violation};

use crate::failure::Failure;
use crate::problems::{Problems, did_you_mean, one_of};

/// The options every request command (pre-order, query, refund, close) shares.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct RequestArgs {
    /// The service: its name as `eftpay spec` lists it (the `service` sent, or the row's name for
    /// interfaces without one, like app.wechat.PreOrder), or its Rust name (AlipayQrcodePreOrder).
    #[arg(long, value_name = "SERVICE")]
    pub service: Option<String>,
    /// Without --service: the scene whose interface to use (default: the spec's first scene);
    /// `eftpay spec` lists them.
    #[arg(long, value_name = "SCENE")]
    pub scene: Option<String>,
    /// The order's amount, decimal text with at most two decimals (0.53); for `refund`, the
    /// amount refunded.
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
    pub amount: Option<String>,
    /// The order's total amount (refunds name the total of the sale they refund).
    #[arg(long, visible_alias = "total-fee", value_name = "AMOUNT", allow_hyphen_values = true)]
    pub total: Option<String>,
    /// The amount refunded (the same as `refund --amount`).
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
    pub refund_amount: Option<String>,
    /// Your order number, new for every order.
    #[arg(long, value_name = "NUMBER")]
    pub out_trade_no: Option<String>,
    /// eftPay's order number.
    #[arg(long, value_name = "NUMBER")]
    pub eft_trade_no: Option<String>,
    /// Your refund number, whatever its wire name: new for every refund; `eftpay query
    /// --refund-no` follows it.
    #[arg(long, visible_alias = "out-refund-no", value_name = "NUMBER")]
    pub refund_no: Option<String>,
    /// What is paid for, shown to the payer.
    #[arg(long, value_name = "TEXT")]
    pub subject: Option<String>,
    /// A description of the goods.
    #[arg(long, value_name = "TEXT")]
    pub body: Option<String>,
    /// The wallet, one of the service's (`eftpay spec SERVICE`); a service with one wallet
    /// needs none.
    #[arg(long, value_name = "WALLET")]
    pub wallet: Option<String>,
    /// The payment scene; default: the service's first (`eftpay spec SERVICE`).
    #[arg(long, value_name = "PAY_SCENE")]
    pub pay_scene: Option<String>,
    /// The payment page's language, for services that take one.
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
    /// Where eftPay sends the notification.
    #[arg(long, value_name = "URL")]
    pub notify_url: Option<String>,
    /// Where the payer's browser returns after paying; no `?` parameters.
    #[arg(long, value_name = "URL")]
    pub return_url: Option<String>,
    /// The payer's device type.
    #[arg(long, value_name = "TYPE")]
    pub buyer_type: Option<String>,
    /// The currency.
    #[arg(long, visible_alias = "fee-type", value_name = "CURRENCY")]
    pub currency: Option<String>,
    /// How long the order may be paid, in seconds.
    #[arg(long, value_name = "SECONDS", allow_hyphen_values = true)]
    pub active_time: Option<String>,
    /// Why the money goes back.
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Your terminal number.
    #[arg(long, value_name = "TERMINAL")]
    pub tid: Option<String>,
    /// Any field of the request by its wire name (repeatable), for fields no flag above sets.
    #[arg(long = "field", value_name = "NAME=VALUE", value_parser = named_field)]
    pub fields: Vec<NamedField>,
}

/// `--field NAME=VALUE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedField {
    /// The wire name.
    pub name: String,
    /// The value, verbatim.
    pub value: String,
}

fn named_field(text: &str) -> Result<NamedField, String> {
    match text.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok(NamedField { name: name.to_owned(), value: value.to_owned() }),
        _ => Err(format!("`{text}` is not NAME=VALUE; give the field's wire name, `=` and its value")),
    }
}

/// A value given by a flag, and the concept it stands for in the command's purpose.
#[derive(Debug, Clone)]
pub struct Given {
    /// The flag as typed (`--amount`).
    pub flag: &'static str,
    /// What it sets.
    pub concept: Concept,
    /// The value, verbatim.
    pub value: String,
}

/// Whether the purpose moves money back, where `--amount` is the amount refunded.
fn refunds(purpose: Purpose) -> bool {
    matches!(purpose, Purpose::Refund | Purpose::ApplyRefund)
}

/// One request flag: the one place that says what it sets and where its value is, so reading the
/// flags given, naming a field's flag and hiding unused flags cannot disagree.
#[derive(Clone, Copy)]
pub struct Flag {
    /// The flag as typed (`--amount`).
    pub name: &'static str,
    /// The clap id of its argument: the [`RequestArgs`] field it is read into.
    id: &'static str,
    /// What it sets.
    concept: Concept,
    /// What it sets in a request that moves money back, where that differs: `refund --amount`
    /// is the amount refunded.
    when_refunding: Option<Concept>,
    /// Its value; `None` for `--service`, which chooses the row rather than setting a field.
    value: Option<fn(&RequestArgs) -> Option<&String>>,
}

impl Flag {
    /// What the flag sets in a request of `purpose`.
    pub fn concept(&self, purpose: Purpose) -> Concept {
        match self.when_refunding {
            Some(concept) if refunds(purpose) => concept,
            _ => self.concept,
        }
    }
}

impl std::fmt::Debug for Flag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Flag").field("name", &self.name).field("concept", &self.concept).finish_non_exhaustive()
    }
}

/// A flag that sets a field.
const fn sets(
    name: &'static str,
    id: &'static str,
    concept: Concept,
    value: fn(&RequestArgs) -> Option<&String>,
) -> Flag {
    Flag { name, id, concept, when_refunding: None, value: Some(value) }
}

/// Every request flag, in the order messages prefer them: the first flag setting a concept is the
/// one named when a field nothing set is missing (`refund`: `--amount` for the amount refunded,
/// `--total` for the order's).
pub const FLAGS: [Flag; 19] = [
    Flag {
        when_refunding: Some(Concept::RefundAmount),
        ..sets("--amount", "amount", Concept::Amount, |args| args.amount.as_ref())
    },
    sets("--total", "total", Concept::Amount, |args| args.total.as_ref()),
    sets("--refund-amount", "refund_amount", Concept::RefundAmount, |args| args.refund_amount.as_ref()),
    sets("--out-trade-no", "out_trade_no", Concept::OutTradeNo, |args| args.out_trade_no.as_ref()),
    sets("--eft-trade-no", "eft_trade_no", Concept::EftTradeNo, |args| args.eft_trade_no.as_ref()),
    sets("--refund-no", "refund_no", Concept::RefundNo, |args| args.refund_no.as_ref()),
    sets("--subject", "subject", Concept::Subject, |args| args.subject.as_ref()),
    sets("--body", "body", Concept::Body, |args| args.body.as_ref()),
    sets("--wallet", "wallet", Concept::Wallet, |args| args.wallet.as_ref()),
    sets("--pay-scene", "pay_scene", Concept::PayScene, |args| args.pay_scene.as_ref()),
    sets("--lang", "lang", Concept::Lang, |args| args.lang.as_ref()),
    sets("--notify-url", "notify_url", Concept::NotifyUrl, |args| args.notify_url.as_ref()),
    sets("--return-url", "return_url", Concept::ReturnUrl, |args| args.return_url.as_ref()),
    sets("--buyer-type", "buyer_type", Concept::BuyerType, |args| args.buyer_type.as_ref()),
    sets("--currency", "currency", Concept::Currency, |args| args.currency.as_ref()),
    sets("--active-time", "active_time", Concept::ActiveTime, |args| args.active_time.as_ref()),
    sets("--reason", "reason", Concept::RefundReason, |args| args.reason.as_ref()),
    sets("--tid", "tid", Concept::Terminal, |args| args.tid.as_ref()),
    // The row decides the service; the flag is only named when the row's value is refused.
    Flag { name: "--service", id: "service", concept: Concept::Service, when_refunding: None, value: None },
];

/// The flag named for `concept` in a request of `purpose`.
fn flag_for(purpose: Purpose, concept: Concept) -> Option<&'static Flag> {
    FLAGS.iter().find(|flag| flag.concept(purpose) == concept)
}

impl RequestArgs {
    /// The flags given, with what they set for `purpose`.
    pub fn given(&self, purpose: Purpose) -> Vec<Given> {
        FLAGS
            .iter()
            .filter_map(|flag| {
                let value = (flag.value?)(self)?;
                Some(Given { flag: flag.name, concept: flag.concept(purpose), value: value.clone() })
            })
            .collect()
    }
}

/// Hides the flags of a request command that no interface of its purposes takes in `catalog`, so
/// `--help` shows what can be used; a hidden flag is still read, and refused by name.
pub fn hide_unused_flags(command: clap::Command, catalog: &Catalog, purposes: &[Purpose]) -> clap::Command {
    let Some(purpose) = purposes.first() else { return command };
    let mut command = command;
    for flag in &FLAGS {
        let concept = flag.concept(*purpose);
        if concept == Concept::Service {
            continue;
        }
        let used = catalog
            .interfaces
            .iter()
            .filter(|i| purposes.contains(&i.purpose))
            .any(|i| caller_field(i, concept).is_some());
        if !used {
            command = command.mut_arg(flag.id, |arg| arg.hide(true));
        }
    }
    command
}

/// The field of `interface` the caller sets for `concept`.
fn caller_field(interface: &InterfaceInfo, concept: Concept) -> Option<&'static FieldInfo> {
    interface.fields_for(concept).find(|f| f.is_caller_set())
}

/// The interface and service row a command's flags chose.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    /// The spec.
    pub catalog: &'static Catalog,
    /// What the request is for.
    pub purpose: Purpose,
    /// The interface sent.
    pub interface: &'static InterfaceInfo,
    /// Its service row; `None` when the interface has none.
    pub row: Option<&'static ServiceInfo>,
    /// The scene it was chosen in (the first with the interface, when chosen by service).
    pub scene: Option<&'static SceneInfo>,
}

/// The row named `text`: its name, or its Rust marker's (`AlipayQrcodePreOrder`,
/// `services::AlipayQrcodePreOrder`).
pub fn find_row(catalog: &Catalog, text: &str) -> Option<&'static ServiceInfo> {
    let rust = text.strip_prefix("services::").unwrap_or(text);
    catalog.services.iter().copied().find(|row| row.name == text || row.rust == rust)
}

/// The scene named `text`, or without one the spec's first.
///
/// # Errors
/// [`Failure::UnknownScene`] naming the spec's scenes.
pub fn find_scene(catalog: &Catalog, text: Option<&str>) -> Result<&'static SceneInfo, Failure> {
    let found = match text {
        Some(name) => catalog.scene(name),
        None => catalog.scenes.first().copied(),
    };
    found.ok_or_else(|| Failure::UnknownScene {
        scene: text.unwrap_or_default().to_owned(),
        known: catalog.scenes.iter().map(|s| s.name).collect::<Vec<_>>().join(", "),
    })
}

/// Every row of an interface of one of `purposes`.
fn rows_for(catalog: &Catalog, purposes: &[Purpose]) -> Vec<&'static ServiceInfo> {
    catalog
        .services
        .iter()
        .copied()
        .filter(|row| catalog.interface(row.interface).is_some_and(|i| purposes.contains(&i.purpose)))
        .collect()
}

/// The interface and row `args` choose for a request of `purpose`: the row named by --service,
/// or the interface of `purpose` in --scene (default: the first) and its only row (or, for an
/// interface with a row per payType, the row of --wallet's payType).
///
/// # Errors
/// [`Failure::Invalid`] for a service that is not one of `purpose`, a scene without such an
/// interface, or a choice only --service can make; [`Failure::UnknownScene`].
pub fn target(catalog: &'static Catalog, purpose: Purpose, args: &RequestArgs) -> Result<Target, Failure> {
    let mut problems = Problems::new(purpose.name());
    if let Some(text) = &args.service {
        let Some(row) = find_row(catalog, text) else {
            problems.push(unknown_service(catalog, purpose, text));
            return Err(Failure::Invalid(problems));
        };
        let Some(interface) = catalog.interface(row.interface).filter(|i| i.purpose == purpose) else {
            problems.push(service_of_another_command(catalog, purpose, text, row));
            return Err(Failure::Invalid(problems));
        };
        let scene = match &args.scene {
            Some(name) => {
                let scene = find_scene(catalog, Some(name))?;
                if !scene.interfaces.contains(&interface.name) {
                    let its: Vec<&str> = catalog.scenes_of(interface.name).map(|s| s.name).collect();
                    problems.push(format!(
                        "--service {text} is a service of the {} scene, not of --scene {name}; leave --scene out",
                        one_of(&its)
                    ));
                    return Err(Failure::Invalid(problems));
                }
                Some(scene)
            }
            None => catalog.scenes_of(interface.name).next(),
        };
        return Ok(Target { catalog, purpose, interface, row: Some(row), scene });
    }
    let scene = find_scene(catalog, args.scene.as_deref())?;
    let Some(interface) = catalog.scene_interface(scene, purpose) else {
        let with: Vec<&str> =
            catalog.scenes.iter().filter(|s| catalog.scene_interface(s, purpose).is_some()).map(|s| s.name).collect();
        let hint = if with.is_empty() {
            "no scene of the spec has one".to_owned()
        } else {
            format!("use --scene {}", one_of(&with))
        };
        problems.push(format!("the {} scene has no {} request; {hint}", scene.name, purpose.name()));
        return Err(Failure::Invalid(problems));
    };
    let rows: Vec<&'static ServiceInfo> = catalog.services_of(interface.name).collect();
    let row = match rows.as_slice() {
        [] => None,
        [only] => Some(*only),
        _ => {
            // A wallet belongs to one payType, and the rows of such an interface differ by payType.
            let by_wallet =
                args.wallet.as_deref().and_then(|wallet| catalog.pay_type_of_wallet(wallet)).and_then(|pay| {
                    let mut of_pay = rows.iter().filter(|row| row.pay_type == Some(pay));
                    match (of_pay.next(), of_pay.next()) {
                        (Some(row), None) => Some(*row),
                        _ => None,
                    }
                });
            match by_wallet {
                Some(row) => Some(row),
                None => {
                    let names: Vec<String> = rows.iter().map(|row| format!("\n      {}", row.name)).collect();
                    let wallet = if interface.field_for(Concept::Wallet).is_some() { " (or a --wallet)" } else { "" };
                    problems.push(format!(
                        "--service is required{wallet}: the {} scene's {} request has a service per payment type:{}",
                        scene.name,
                        purpose.name(),
                        names.concat()
                    ));
                    return Err(Failure::Invalid(problems));
                }
            }
        }
    };
    Ok(Target { catalog, purpose, interface, row, scene: Some(scene) })
}

/// What this command takes, one per line: its services, and the scenes it needs none in.
fn what_it_takes(catalog: &Catalog, purpose: Purpose) -> String {
    let mut text: String = rows_for(catalog, &[purpose]).iter().map(|row| format!("\n      {}", row.name)).collect();
    let free: Vec<&str> = catalog
        .scenes
        .iter()
        .filter(|scene| {
            catalog.scene_interface(scene, purpose).is_some_and(|i| catalog.services_of(i.name).nth(1).is_none())
        })
        .map(|scene| scene.name)
        .collect();
    if !free.is_empty() {
        text.push_str(&format!("\n      (or no --service, with --scene {})", one_of(&free)));
    }
    text
}

fn unknown_service(catalog: &Catalog, purpose: Purpose, text: &str) -> String {
    let all: Vec<&str> = catalog.services.iter().map(|row| row.name).collect();
    format!(
        "--service {text} is not a service of the spec{}. This command takes:{}",
        did_you_mean(text, &all),
        what_it_takes(catalog, purpose)
    )
}

fn service_of_another_command(catalog: &Catalog, purpose: Purpose, text: &str, row: &ServiceInfo) -> String {
    let its = catalog.interface(row.interface).map(|i| i.purpose);
    let send_with = its.and_then(command_for).map_or_else(String::new, |command| format!("; send it with `{command}`"));
    format!(
        "--service {text} is for `{}`{send_with}. This command takes:{}",
        its.map_or(row.interface, Purpose::name),
        what_it_takes(catalog, purpose)
    )
}

/// The commands that send a request, and the purposes of the interfaces each sends.
pub const REQUEST_COMMANDS: [(&str, &[Purpose]); 4] = [
    ("pre-order", &[Purpose::PlaceOrder]),
    ("query", &[Purpose::Query]),
    ("refund", &[Purpose::Refund, Purpose::ApplyRefund]),
    ("close", &[Purpose::Close]),
];

/// The command that sends requests of `purpose` ([`REQUEST_COMMANDS`]; an applied refund with
/// `--apply`), for messages that point a service given to the wrong command at the right one;
/// `None` for purposes no command sends.
pub fn command_for(purpose: Purpose) -> Option<String> {
    let (name, _) = REQUEST_COMMANDS.iter().find(|(_, purposes)| purposes.contains(&purpose))?;
    let flag = if purpose == Purpose::ApplyRefund { " --apply" } else { "" };
    Some(format!("eftpay {name}{flag}"))
}

/// Whether the fields nothing set are filled in with plain values (the demo) or left to the
/// rules to report (the commands).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// Leave them out.
    Nothing,
    /// Fill every required field nothing set: the row's first value, or a plain value of its kind.
    Required,
}

/// Who set a field, for naming it in a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Flag(&'static str),
    Named,
    /// The service row: its service, payType, default pay_scene or only wallet.
    Row,
    /// A plain value of the field's kind ([`Fill::Required`]).
    Placeholder,
}

/// The fields of a request being built, with who set each.
struct Draft<'a> {
    target: &'a Target,
    fields: Vec<(&'static FieldInfo, String, Source)>,
    /// Wires whose problem is already reported; what the rules say about them would say less.
    reported: Vec<&'static str>,
    problems: Problems,
}

impl Draft<'_> {
    fn get(&self, wire: &str) -> Option<&str> {
        self.fields.iter().find(|(f, _, _)| f.wire == wire).map(|(_, v, _)| v.as_str())
    }

    fn source(&self, wire: &str) -> Option<Source> {
        self.fields.iter().find(|(f, _, _)| f.wire == wire).map(|(_, _, s)| *s)
    }

    /// The words that name `wire` for the person at the terminal: the flag that set it, or the
    /// flag (or `--field`) that would.
    fn label(&self, wire: &str) -> String {
        match self.source(wire) {
            Some(Source::Flag(flag)) => flag.to_owned(),
            Some(Source::Named) => format!("--field {wire}"),
            Some(Source::Row) if self.chosen_by_service(wire) => "--service".to_owned(),
            Some(Source::Row | Source::Placeholder) | None => self.setter(wire),
        }
    }

    /// The flag (or `--field`) that sets `wire`.
    fn setter(&self, wire: &str) -> String {
        let concept = self.target.interface.field(wire).and_then(|f| f.concept);
        concept
            .and_then(|concept| flag_for(self.target.purpose, concept))
            .filter(|flag| flag.concept(self.target.purpose) != Concept::Service)
            .map_or_else(|| format!("--field {wire}=…"), |flag| flag.name.to_owned())
    }

    /// Whether only another service changes `wire`'s value: the row's service and payType.
    fn chosen_by_service(&self, wire: &str) -> bool {
        let concept = self.target.interface.field(wire).and_then(|f| f.concept);
        matches!(concept, Some(Concept::Service | Concept::PayType))
    }

    /// "`wire` is value", saying where the value came from when no flag of the command line set
    /// it: a rule that depends on a value the row chose must not name a flag nobody gave.
    fn condition(&self, wire: &str, value: &str) -> String {
        match self.source(wire) {
            Some(Source::Row) if self.chosen_by_service(wire) => match self.target.row {
                Some(row) => {
                    format!("`{wire}` is {value}, as service {} sends it (--service chooses another)", row.name)
                }
                None => format!("`{wire}` is {value}"),
            },
            Some(Source::Row) => match self.target.row {
                Some(row) => format!(
                    "`{wire}` is {value}, the default of service {} ({} chooses another)",
                    row.name,
                    self.setter(wire)
                ),
                None => format!("`{wire}` is {value}"),
            },
            Some(Source::Placeholder) => {
                format!("`{wire}` is {value}, a plain value the command chose ({} chooses another)", self.setter(wire))
            }
            Some(Source::Flag(_) | Source::Named) | None => format!("{} is {value}", self.label(wire)),
        }
    }

    fn set(&mut self, field: &'static FieldInfo, value: String, source: Source) {
        self.fields.push((field, value, source));
    }
}

/// The fields of a request: the flags by concept, `--field`s by name, the row's service, payType
/// and defaults, checked by every rule of the interface before anything is sent.
///
/// # Errors
/// [`Failure::Invalid`] listing every problem, each naming the flag to fix.
pub fn fields(
    target: &Target,
    given: &[Given],
    named: &[NamedField],
    fill: Fill,
) -> Result<Vec<(&'static str, String)>, Failure> {
    let interface = target.interface;
    let mut draft = Draft { target, fields: Vec::new(), reported: Vec::new(), problems: Problems::new(interface.name) };
    for item in given {
        take_flag(&mut draft, item);
    }
    for item in named {
        take_named(&mut draft, item);
    }
    take_row(&mut draft, fill);
    let mut problems = std::mem::replace(&mut draft.problems, Problems::new(interface.name));
    if let Err(violations) = check_fields(target.catalog, interface, |wire| draft.get(wire)) {
        for violation in violations.iter().filter(|v| !draft.reported.contains(&v.field)) {
            problems.push(phrase(&draft, violation));
        }
    }
    problems.into_result()?;
    Ok(draft.fields.into_iter().map(|(field, value, _)| (field.wire, value)).collect())
}

/// A flag's value, by its concept.
fn take_flag(draft: &mut Draft<'_>, item: &Given) {
    let interface = draft.target.interface;
    let Some(field) = caller_field(interface, item.concept) else {
        draft.problems.push(format!("{} takes no {}; leave it out", interface.name, item.flag));
        return;
    };
    if let Some(Source::Flag(other)) = draft.source(field.wire) {
        draft.problems.push(format!("{other} and {} both set `{}`; give one", item.flag, field.wire));
        return;
    }
    match field.kind {
        FieldKind::Amount => {
            if let Err(error) = Amount::parse(&item.value) {
                draft.problems.push(format!("{}: {error}", item.flag));
                draft.reported.push(field.wire);
            }
        }
        FieldKind::Enum => check_choice(draft, field, item),
        _ => {}
    }
    draft.set(field, item.value.clone(), Source::Flag(item.flag));
}

/// A value of a value set: one the spec does not know is reported with the values the service
/// (or the spec) takes; a known one outside the row is left to the rules.
fn check_choice(draft: &mut Draft<'_>, field: &'static FieldInfo, item: &Given) {
    let catalog = draft.target.catalog;
    let Some(values) = field.enum_name.and_then(|name| catalog.enumeration(name)) else { return };
    let known: Vec<&str> = values.values.iter().map(|v| v.wire).collect();
    if known.contains(&item.value.as_str()) {
        return;
    }
    let noun = item.flag.trim_start_matches('-').replace('-', " ");
    let column: Option<&[&str]> = draft.target.row.and_then(|row| match item.concept {
        Concept::Wallet => Some(row.wallets),
        Concept::PayScene => Some(row.pay_scenes),
        Concept::Lang => Some(row.langs),
        _ => None,
    });
    let (flag, value) = (item.flag, &item.value);
    let message = match (column, draft.target.row) {
        (Some([]), Some(row)) => format!("{flag} {value}: service {} takes no {flag}; leave it out", row.name),
        (Some(allowed), Some(row)) => format!(
            "{flag} {value}: not a {noun} the spec documents; service {} takes {}{}",
            row.name,
            one_of(allowed),
            did_you_mean(value, &known)
        ),
        _ => format!(
            "{flag} {value}: not a {noun} the spec documents; use {}{}",
            one_of(&known),
            did_you_mean(value, &known)
        ),
    };
    draft.problems.push(message);
    draft.reported.push(field.wire);
}

/// `--field NAME=VALUE`: what the caller may set by name is the catalog's rule
/// ([`InterfaceInfo::caller_field`]), worded here for the flag.
fn take_named(draft: &mut Draft<'_>, item: &NamedField) {
    let interface = draft.target.interface;
    let name = &item.name;
    let field = match interface.caller_field(name, &item.value) {
        Ok(field) => field,
        Err(refusal) => {
            draft.problems.push(refused_by_name(interface, name, refusal));
            return;
        }
    };
    if field.fixed.is_some() {
        // Its own fixed value: the command sends it anyway.
        return;
    }
    if draft.source(field.wire).is_some() {
        let other = draft.label(field.wire);
        draft.problems.push(format!("--field {name} and {other} both set `{name}`; give one"));
        return;
    }
    draft.set(field, item.value.clone(), Source::Named);
}

/// Why `--field NAME=…` may not be given, in the command's words.
fn refused_by_name(interface: &InterfaceInfo, name: &str, refusal: FieldRefusal) -> String {
    match refusal {
        FieldRefusal::Unknown => {
            let known: Vec<&str> = interface.fields.iter().filter(|f| f.is_caller_set()).map(|f| f.wire).collect();
            let names: Vec<&str> = interface.fields.iter().map(|f| f.wire).collect();
            format!(
                "--field {name}: {} has no field `{name}`{}; its fields are: {}",
                interface.name,
                did_you_mean(name, &names),
                known.join(", ")
            )
        }
        FieldRefusal::FilledIn => format!(
            "--field {name}: the command fills it in (user key and time from the configuration and the clock, the \
             signature from EFTPAY_SECRET); leave it out"
        ),
        FieldRefusal::Fixed { value } => {
            format!("--field {name}: it is always `{value}` and the command sends it; leave it out")
        }
        other => format!("--field {name}: {other}"),
    }
}

/// What the row decides (service, payType), its defaults (the first pay_scene, its only
/// wallet), and with [`Fill::Required`] a plain value for every other field the message needs.
/// A field required only when another field has some value is filled after the others, so the
/// value it depends on is already known.
fn take_row(draft: &mut Draft<'_>, fill: Fill) {
    let caller_set: Vec<&'static FieldInfo> =
        draft.target.interface.fields.iter().filter(|f| f.is_caller_set()).collect();
    let (conditional, unconditional): (Vec<_>, Vec<_>) =
        caller_set.into_iter().partition(|f| f.required_when.is_some());
    for field in unconditional.into_iter().chain(conditional) {
        take_row_field(draft, field, fill);
    }
}

/// Whether this message must carry `field`: always, for this service, or because of the value
/// another field already has.
fn required_here(draft: &Draft<'_>, field: &FieldInfo) -> bool {
    if field.is_mandatory() {
        return true;
    }
    if let Some(flag) = field.required_unless {
        return field.required && draft.target.row.is_some_and(|row| !row.has_flag(flag));
    }
    field.required_when.is_some_and(|(other, values)| draft.get(other).is_some_and(|v| values.contains(&v)))
        && !field.required_when_or.iter().any(|instead| draft.get(instead).is_some())
}

fn take_row_field(draft: &mut Draft<'_>, field: &'static FieldInfo, fill: Fill) {
    let target = draft.target;
    let catalog = target.catalog;
    if draft.get(field.wire).is_some() {
        return;
    }
    let required = required_here(draft, field);
    let row = target.row;
    let from_row = match field.concept {
        Some(Concept::Service) => row.map(|r| r.name),
        Some(Concept::PayType) => row.and_then(|r| r.pay_type),
        Some(Concept::PayScene) if required || fill == Fill::Required => row.and_then(ServiceInfo::default_pay_scene),
        Some(Concept::Wallet) if row.is_some_and(|r| r.wallets.len() == 1) || fill == Fill::Required => {
            row.and_then(|r| r.wallets.first().copied())
        }
        Some(Concept::Lang) if fill == Fill::Required && required => row.and_then(|r| r.langs.first().copied()),
        _ => None,
    };
    if let Some(value) = from_row {
        draft.set(field, value.to_owned(), Source::Row);
        return;
    }
    if fill == Fill::Required && required {
        let plain = match field.kind {
            FieldKind::Enum => field
                .enum_name
                .and_then(|name| catalog.enumeration(name))
                .and_then(|e| e.values.first())
                .map(|v| v.wire.to_owned()),
            FieldKind::Amount => Some("1.00".to_owned()),
            FieldKind::Seconds => Some(field.min.unwrap_or(0).max(field.multiple_of.unwrap_or(60)).to_string()),
            FieldKind::Text => Some("eftpay demo".to_owned()),
            FieldKind::Object => Some("{}".to_owned()),
            FieldKind::ObjectArray => Some("[]".to_owned()),
            _ => None,
        };
        if let Some(value) = plain {
            draft.set(field, value, Source::Placeholder);
        }
    }
}

/// A broken rule in terms of the flags: the field's flag (or `--field`) where the rule names a
/// field, and the service's words rather than the spec's flag names.
fn phrase(draft: &Draft<'_>, violation: &Violation) -> String {
    let target = draft.target;
    let field = target.interface.field(violation.field);
    let label = draft.label(violation.field);
    match (violation.rule, field) {
        (Rule::Required, Some(field)) => {
            if field.required_unless.is_some()
                && let Some(row) = target.row
            {
                return format!("{label} is required for service {}", row.name);
            }
            if let Some((other, _)) = field.required_when
                && let Some(value) = draft.get(other)
            {
                let either: Vec<String> = core::iter::once(label.clone())
                    .chain(field.required_when_or.iter().map(|wire| draft.label(wire)))
                    .collect();
                return format!("{} is required when {}", one_of(&either), draft.condition(other, value));
            }
            format!("{label} is required")
        }
        (Rule::AtLeastOneOf, _) => {
            let group = target.interface.at_least_one_of.iter().find(|g| g.contains(&violation.field));
            let labels: Vec<String> = group.map_or_else(Vec::new, |g| g.iter().map(|wire| draft.label(wire)).collect());
            format!("give at least one of {}", one_of(&labels))
        }
        (Rule::NotAllowedForService, Some(field)) => match target.row {
            Some(row) => match row.fixed.iter().find(|(wire, _)| *wire == field.wire) {
                Some((_, value)) => format!("service {} fixes {label} at {value}; leave it out", row.name),
                None => format!("service {} takes no {label}; leave it out", row.name),
            },
            None => format!("{} takes no {label}; leave it out", target.interface.name),
        },
        _ => {
            // The rule's own words, with every field it quotes named by its flag.
            let mut message = violation.message.clone();
            for field in target.interface.fields {
                let quoted = format!("`{}`", field.wire);
                if message.contains(&quoted) {
                    message = message.replace(&quoted, &draft.label(field.wire));
                }
            }
            message
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::{Args, FromArgMatches};
    use eftpay::rules::{Concept, Purpose};

    use super::{FLAGS, Fill, Given, NamedField, RequestArgs, Target, fields, flag_for, named_field};

    /// The minimal fixture plus `visit_note`, required when `pay_scene` is the value the only
    /// row gives by default (`tests/fixtures/row_default/README.md`).
    #[allow(missing_docs, dead_code, unreachable_pub, clippy::all)]
    mod row_default {
        eftpay_macros::include_spec!("tests/fixtures/row_default");
    }

    #[test]
    fn a_field_required_by_a_value_the_row_chose_names_where_the_value_came_from() {
        let catalog = &row_default::CATALOG;
        let interface = catalog.interfaces.iter().copied().find(|i| i.purpose == Purpose::PlaceOrder).unwrap();
        let row = catalog.services_of(interface.name).next().unwrap();
        let target = Target {
            catalog,
            purpose: Purpose::PlaceOrder,
            interface,
            row: Some(row),
            scene: catalog.scenes.first().copied(),
        };
        let given = |flag: &'static str, concept, value: &str| Given { flag, concept, value: value.to_owned() };
        let named = |name: &str, value: &str| NamedField { name: name.to_owned(), value: value.to_owned() };
        // The fixture's amount, order number and return address have no concept: given by name.
        let base = vec![given("--wallet", Concept::Wallet, row.wallets[0])];
        let by_name = vec![
            named("transaction_amount", "1.00"),
            named("out_trade_no", "o-1"),
            named("return_url", "https://merchant.example/r"),
        ];
        let default = row.default_pay_scene().unwrap();
        // The row's default, not a flag: the message names the row and the flag that would change it.
        let error = fields(&target, &base, &by_name, Fill::Nothing).unwrap_err().to_string();
        let expected = format!(
            "--field visit_note=… is required when `pay_scene` is {default}, the default of service {} (--pay-scene \
             chooses another)",
            row.name
        );
        assert!(error.contains(&expected), "{error}");
        assert!(!error.contains("--service is"), "{error}");
        // Given by its flag, the flag is named.
        let flagged = [base.clone(), vec![given("--pay-scene", Concept::PayScene, default)]].concat();
        let error = fields(&target, &flagged, &by_name, Fill::Nothing).unwrap_err().to_string();
        assert!(error.contains(&format!("--field visit_note=… is required when --pay-scene is {default}")), "{error}");
        // With the field given by name, nothing is missing; the demo's placeholders fill it too.
        let complete = [by_name.clone(), vec![named("visit_note", "hello")]].concat();
        fields(&target, &base, &complete, Fill::Nothing).unwrap();
        fields(&target, &base, &by_name, Fill::Required).unwrap();
    }

    fn command() -> clap::Command {
        RequestArgs::augment_args(clap::Command::new("request"))
    }

    #[test]
    fn every_request_flag_is_in_the_one_table_under_its_clap_id_and_name() {
        let command = command();
        // `--scene` chooses the scene and `--field` sets fields by name: neither sets a concept.
        let mut ids: Vec<&str> = command
            .get_arguments()
            .map(|arg| arg.get_id().as_str())
            .filter(|id| !["scene", "fields"].contains(id))
            .collect();
        let mut table: Vec<&str> = FLAGS.iter().map(|flag| flag.id).collect();
        ids.sort_unstable();
        table.sort_unstable();
        assert_eq!(ids, table);
        for flag in &FLAGS {
            let arg = command.get_arguments().find(|arg| arg.get_id() == flag.id).unwrap();
            assert_eq!(arg.get_long().map(|long| format!("--{long}")).as_deref(), Some(flag.name));
        }
    }

    #[test]
    fn every_flag_given_is_read_with_its_own_value() {
        let mut argv = vec!["request".to_owned()];
        for flag in &FLAGS {
            argv.push(flag.name.to_owned());
            argv.push(format!("value of {}", flag.name));
        }
        let matches = command().try_get_matches_from(argv).unwrap();
        let args = RequestArgs::from_arg_matches(&matches).unwrap();
        let given = args.given(Purpose::PlaceOrder);
        let setting: Vec<_> =
            FLAGS.iter().filter(|flag| flag.concept(Purpose::PlaceOrder) != Concept::Service).collect();
        assert_eq!(given.len(), setting.len(), "{given:?}");
        for (given, flag) in given.iter().zip(setting) {
            assert_eq!((given.flag, given.value.as_str()), (flag.name, format!("value of {}", flag.name).as_str()));
        }
    }

    #[test]
    fn amount_is_the_amount_refunded_in_a_refund_and_the_orders_total_otherwise() {
        assert_eq!(flag_for(Purpose::PlaceOrder, Concept::Amount).map(|f| f.name), Some("--amount"));
        assert_eq!(flag_for(Purpose::PlaceOrder, Concept::RefundAmount).map(|f| f.name), Some("--refund-amount"));
        assert_eq!(flag_for(Purpose::Refund, Concept::RefundAmount).map(|f| f.name), Some("--amount"));
        assert_eq!(flag_for(Purpose::ApplyRefund, Concept::Amount).map(|f| f.name), Some("--total"));
    }

    #[test]
    fn a_named_field_splits_at_the_first_equals_sign() {
        let field = named_field("items=[{\"a\":\"b=c\"}]").unwrap();
        assert_eq!((field.name.as_str(), field.value.as_str()), ("items", "[{\"a\":\"b=c\"}]"));
        assert_eq!(named_field("tid=").unwrap().value, "");
        assert!(named_field("=x").is_err());
        assert!(named_field("tid").is_err());
    }
}
