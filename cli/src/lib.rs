//! The `eftpay` command line as a library: every subcommand works on a
//! [`eftpay::catalog::Catalog`] — the spec as data — and never on a service, wallet,
//! code, field or interface name written here, so the same code serves eftPay's spec
//! (`&eftpay::CATALOG`, what the binary passes) and any other spec expanded by
//! `eftpay_macros::include_spec!`.
//!
//! [`run`] parses the arguments and runs a command, as the binary does; [`spec::render`] gives
//! `eftpay spec`'s text or JSON for a catalog without printing it.

mod commands;
mod env_vars;
mod exit;
mod failure;
mod gateway;
mod input;
mod output;
mod problems;
mod qr;
mod remote;
mod reply;
mod request;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use eftpay::catalog::Catalog;

pub use crate::exit::Status;
pub use crate::failure::Failure;
pub use crate::input::Environment;
pub use crate::problems::Problems;

/// `eftpay spec` as text or JSON, for any catalog.
pub mod spec {
    pub use crate::commands::spec::{Options, View, render};
}

/// Sign and verify eftPay VMP messages, list the API's scenes and services, and place, query,
/// refund and close orders through a gateway.
#[derive(Debug, Parser)]
#[command(name = "eftpay", version, after_help = exit::after_help())]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Sign a JSON message read on stdin; print its `sign` as the last line.
    ///
    /// Every top-level field except `sign` is signed (a `sign` already in the input is ignored);
    /// null and empty-string fields are left out; numbers are signed as written, nested objects
    /// and arrays as compact JSON. The merchant secret is read from EFTPAY_SECRET.
    #[command(after_help = exit::after_help())]
    Sign(commands::sign::Args),
    /// Verify a notification read on stdin; print a one-line summary if its signature is valid.
    ///
    /// Reads the JSON body eftPay POSTs to notify_url (any notification of the spec, recognized
    /// by the spec's rules), or with --form the form-encoded synchronous return the payer's
    /// browser POSTs to return_url. The signature is recomputed over every field received, with
    /// the secret from EFTPAY_SECRET. A valid signature is not a successful payment: only the
    /// paid trade status means paid.
    #[command(after_help = exit::after_help())]
    VerifyNotify(commands::verify_notify::Args),
    /// List the scenes, services, wallets and test amounts this build knows, with each
    /// service's rules and the Rust names to type.
    ///
    /// Read from the tables the SDK was generated from, so it lists exactly what the SDK and the
    /// other commands accept: the scenes and their interfaces by purpose; for each service its
    /// interface, scene, payType, wallets, pay_scenes (default first), langs, flags,
    /// notifications, defaults and fixed values, and its Rust marker and constructor.
    #[command(after_help = exit::after_help())]
    Spec(commands::spec::Args),
    /// Place an order with the gateway and print the verified reply: the pay link or QR code.
    ///
    /// The request is checked against every rule of the spec first; an invalid one is not sent
    /// and every problem is listed, in terms of the flags given. The reply is printed only once
    /// its signature is verified. Accepted is not paid: only the paid trade status (notification
    /// or query) means paid. Never retried: after a timeout, query before placing the order again.
    #[command(after_help = exit::after_help())]
    PreOrder(commands::pre_order::Args),
    /// Query an order, or one of its refunds, at the gateway and print its state.
    ///
    /// Retried on a connection failure, a timeout or a 5xx, since a query changes nothing.
    #[command(after_help = exit::after_help())]
    Query(commands::query::Args),
    /// Refund all or part of a paid order through the gateway (--apply: apply for a refund
    /// eftPay finishes later).
    ///
    /// Checked like pre-order before anything is sent; never retried: after a timeout, query
    /// the refund before sending it again.
    #[command(after_help = exit::after_help())]
    Refund(commands::refund::Args),
    /// Close an unpaid order, in the scenes that have a close request, so it can no longer be
    /// paid.
    ///
    /// Checked like pre-order before anything is sent; never retried. A paid order cannot be
    /// closed: refund it instead.
    #[command(after_help = exit::after_help())]
    Close(commands::close::Args),
    /// Run the sandbox gateway: eftPay's endpoints, pay pages and notifications on this machine.
    ///
    /// Built from the same spec as the SDK. Credentials come from EFTPAY_USER_CONFIRM_KEY and
    /// EFTPAY_SECRET, or are generated and printed when both are unset. Every request answered
    /// and every notification delivered is logged on stderr (RUST_LOG chooses what). Runs until
    /// Ctrl-C or SIGTERM, then stops once the requests in flight are answered.
    #[command(after_help = exit::after_help_for(exit::SANDBOX, exit::Reads::Sandbox))]
    Sandbox(commands::sandbox::Args),
    /// Walk through a whole payment of one scene on this machine: order, pay, notification,
    /// return, query, refund, close.
    ///
    /// Starts an embedded sandbox gateway and an embedded shop, then runs every step the
    /// scene's interfaces allow, printing each and checking it. Exits 0 only if every step
    /// checked out.
    #[command(after_help = exit::after_help())]
    Demo(commands::demo::Args),
    /// Pay, fail, cancel or expire an order of the sandbox in EFTPAY_BASE_URL, as its payer (or
    /// time) would.
    ///
    /// ORDER is the merchant's order number or eftPay's. Paying starts the order's notification
    /// and makes the synchronous return, exactly as paying on the pay page does.
    #[command(after_help = exit::after_help_for(exit::CONTROL, exit::Reads::Control))]
    Trigger(commands::trigger::Args),
    /// Have the sandbox in EFTPAY_BASE_URL deliver an order's notification again (or a
    /// refund's, with --refund-no), acknowledged before or not.
    ///
    /// For testing that a notify handler takes the same notification twice, as eftPay
    /// re-delivers until acknowledged. `eftpay deliveries` shows the merchant's answer.
    #[command(after_help = exit::after_help_for(exit::CONTROL, exit::Reads::Control))]
    Resend(commands::resend::Args),
    /// List the notifications the sandbox in EFTPAY_BASE_URL delivered: where, which attempt,
    /// and what the merchant answered.
    ///
    /// The latest the sandbox keeps, oldest first; --follow keeps printing new ones until
    /// interrupted.
    #[command(after_help = exit::after_help_for(exit::CONTROL, exit::Reads::Control))]
    Deliveries(commands::deliveries::Args),
}

/// The command line for `catalog`: flags of the gateway commands that no interface of their
/// purpose takes are hidden from `--help` (they are still read, and refused by name).
fn command(catalog: &'static Catalog) -> clap::Command {
    let mut cli = Cli::command();
    for (name, purposes) in request::REQUEST_COMMANDS {
        cli = cli.mut_subcommand(name, |sub| request::hide_unused_flags(sub, catalog, purposes));
    }
    cli
}

/// Runs the `eftpay` command line on `args` (the program name first, as `std::env::args_os`
/// gives them) with `catalog` and the process environment, printing results on stdout and
/// problems on stderr; the exit code is one of [`Status`]'s.
pub fn run<I, T>(catalog: &'static Catalog, args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    run_with(catalog, args, &Environment::process())
}

/// [`run`] with the configuration variables (EFTPAY_SECRET, EFTPAY_USER_CONFIRM_KEY,
/// EFTPAY_BASE_URL) taken from `env`.
pub fn run_with<I, T>(catalog: &'static Catalog, args: I, env: &Environment) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let parsed = command(catalog).try_get_matches_from(args).and_then(|matches| Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(error) => {
            // clap prints help and version through the same path; only real errors are usage errors.
            let _ = error.print();
            return if error.use_stderr() { Status::Usage } else { Status::Ok }.into();
        }
    };
    let outcome = match &cli.command {
        Command::Sign(args) => commands::sign::run(args, env),
        Command::VerifyNotify(args) => commands::verify_notify::run(catalog, args, env),
        Command::Spec(args) => commands::spec::run(catalog, args),
        Command::PreOrder(args) => commands::pre_order::run(catalog, args, env),
        Command::Query(args) => commands::query::run(catalog, args, env),
        Command::Refund(args) => commands::refund::run(catalog, args, env),
        Command::Close(args) => commands::close::run(catalog, args, env),
        Command::Sandbox(args) => commands::sandbox::run(catalog, args, env),
        Command::Demo(args) => commands::demo::run(catalog, args),
        Command::Trigger(args) => commands::trigger::run(args, env),
        Command::Resend(args) => commands::resend::run(args, env),
        Command::Deliveries(args) => commands::deliveries::run(args, env),
    };
    match outcome {
        Ok(()) => Status::Ok.into(),
        Err(failure) => {
            output::report(&failure);
            failure.status().into()
        }
    }
}
