//! `eftpay` — the command line of eftpay-rs, on the SDK's own spec. Everything it does lives in
//! the `eftpay_cli` library, which works on any spec's catalog.

use std::process::ExitCode;

fn main() -> ExitCode {
    eftpay_cli::run(&eftpay::CATALOG, std::env::args_os())
}
