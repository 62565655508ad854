//! `eftpay` — the command line of eftpay-rs: sign and verify eftPay messages, list the API's
//! services, place, query and refund orders through a gateway, run the sandbox gateway and
//! the demo.
//!
//! This file only parses arguments, dispatches to one module per subcommand and turns the
//! outcome into an exit status; what each subcommand does lives in `commands/`.

mod commands;
mod exit;
mod failure;
mod gateway;
mod input;
mod output;
mod problems;
mod qr;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::exit::Status;

/// Sign and verify eftPay VMP messages, list the API's services, and place, query and refund
/// orders through a gateway.
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
    /// Reads the JSON body eftPay POSTs to notify_url (payment or refund notification), or with
    /// --form the form-encoded synchronous return the payer's browser POSTs to return_url. The
    /// signature is recomputed over every field received, with the secret from EFTPAY_SECRET.
    /// A valid signature is not a successful payment: only trade_status=TRADE_SUCCESS means paid.
    #[command(after_help = exit::after_help())]
    VerifyNotify(commands::verify_notify::Args),
    /// List the services, wallets and test amounts this build knows, with each service's rules.
    ///
    /// Read from the tables the SDK was generated from, so it lists exactly what the SDK and the
    /// other commands accept: for each service its interface, payType, wallets, pay_scenes
    /// (default first), langs, flags and notifications.
    #[command(after_help = exit::after_help())]
    Spec(commands::spec::Args),
    /// Place an order with the gateway and print its pay link (pay_apptrade).
    ///
    /// The request is checked against every rule of the spec first; an invalid one is not sent
    /// and every problem is listed. The reply is printed only once its signature is verified.
    /// Accepted is not paid: only trade_status=TRADE_SUCCESS (notification or query) means paid.
    /// Never retried: after a timeout, query before placing the order again.
    #[command(after_help = exit::after_help())]
    PreOrder(commands::pre_order::Args),
    /// Query a trade, or one of its refunds, at the gateway and print its state.
    ///
    /// Retried on a connection failure, a timeout or a 5xx, since a query changes nothing.
    #[command(after_help = exit::after_help())]
    Query(commands::query::Args),
    /// Refund all or part of a paid order through the gateway.
    ///
    /// Checked like pre-order before anything is sent; never retried: after a timeout, query
    /// the refund before sending it again.
    #[command(after_help = exit::after_help())]
    Refund(commands::refund::Args),
    /// Run the sandbox gateway: eftPay's endpoints, pay pages and notifications on this machine.
    ///
    /// Built from the same spec as the SDK. Credentials come from EFTPAY_USER_CONFIRM_KEY and
    /// EFTPAY_SECRET, or are generated and printed when both are unset. Runs until Ctrl-C or SIGTERM,
    /// then stops once the requests in flight are answered.
    #[command(after_help = exit::after_help())]
    Sandbox(commands::sandbox::Args),
    /// Walk through a whole payment on this machine: order, pay, notification, query, refund.
    ///
    /// Starts an embedded sandbox gateway and an embedded shop, then places an order, pays it
    /// through the pay page, receives and acknowledges the verified notification, queries it,
    /// refunds part of it, receives the refund notification and queries the refund — printing
    /// each step. Exits 0 only if every step checked out.
    #[command(after_help = exit::after_help())]
    Demo(commands::demo::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // clap prints help and version through the same path; only real errors are usage errors.
            let _ = error.print();
            return if error.use_stderr() { Status::Usage } else { Status::Ok }.into();
        }
    };
    let outcome = match &cli.command {
        Command::Sign(args) => commands::sign::run(args),
        Command::VerifyNotify(args) => commands::verify_notify::run(args),
        Command::Spec(args) => commands::spec::run(args),
        Command::PreOrder(args) => commands::pre_order::run(args),
        Command::Query(args) => commands::query::run(args),
        Command::Refund(args) => commands::refund::run(args),
        Command::Sandbox(args) => commands::sandbox::run(args),
        Command::Demo(args) => commands::demo::run(args),
    };
    match outcome {
        Ok(()) => Status::Ok.into(),
        Err(failure) => {
            output::report(&failure);
            failure.status().into()
        }
    }
}
