//! `eftpay` — the command line of eftpay-rs: sign and verify eftPay messages.
//!
//! This file only parses arguments, dispatches to one module per subcommand and turns the
//! outcome into an exit status; what each subcommand does lives in `commands/`.

mod commands;
mod exit;
mod failure;
mod input;
mod output;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::exit::Status;

/// Sign and verify eftPay VMP messages.
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
    };
    match outcome {
        Ok(()) => Status::Ok.into(),
        Err(failure) => {
            output::report(&failure);
            failure.status().into()
        }
    }
}
