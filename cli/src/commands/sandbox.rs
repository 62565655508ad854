//! `eftpay sandbox`: runs the sandbox gateway until Ctrl-C, and prints how to point the other
//! commands (and any client) at it.

use std::net::SocketAddr;
use std::path::PathBuf;

use eftpay_sandbox::{Sandbox, SandboxConfig};

use crate::failure::Failure;
use crate::input::{self, BASE_URL_VAR, SECRET_VAR, USER_KEY_VAR};
use crate::output;

/// Arguments of `eftpay sandbox`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to listen. Keep it on loopback: the sandbox accepts fake money from anyone.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
    addr: SocketAddr,
    /// Keep orders in this SQLite file, so they survive a restart.
    #[arg(long, value_name = "FILE")]
    data: Option<PathBuf>,
}

/// Runs the sandbox until Ctrl-C.
///
/// # Errors
/// Half-configured credentials, an address that cannot be bound, an unusable data file.
pub fn run(args: &Args) -> Result<(), Failure> {
    // Credentials from the environment when both are set; otherwise the sandbox makes some up
    // and they are printed (they are the sandbox's own, not eftPay's).
    let chosen = input::optional_credentials_from_env()?;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(Failure::Runtime)?;
    runtime.block_on(async {
        let config = SandboxConfig { addr: args.addr, credentials: chosen.clone(), data_file: args.data.clone(), ..SandboxConfig::default() };
        let sandbox = Sandbox::start_with(config).await.map_err(Failure::Sandbox)?;
        let credentials = sandbox.credentials();
        let root = sandbox.base_url().trim_end_matches("/VMP").to_owned();
        let secret_line = if chosen.is_some() {
            format!("  {SECRET_VAR} as you set it\n")
        } else {
            format!(
                "  export {SECRET_VAR}={}   # generated for this run\n",
                sandbox_secret_for_display(&sandbox)
            )
        };
        output::print(&format!(
            "eftPay sandbox gateway listening on {base}\n\
             Point the SDK or the other commands at it:\n  export {BASE_URL_VAR}={base}\n  export {USER_KEY_VAR}={key}\n{secret_line}\
             Pay pages: the pay_apptrade link of each order. Control API (JSON):\n  \
             POST {root}/control/orders/<eft_trade_no>/pay|fail|cancel|expire\n  \
             GET  {root}/control/orders   {root}/control/deliveries\n  \
             POST {root}/control/faults   {{\"drop_notifications\":1,\"tamper_notifications\":0,\"delay_notifications_ms\":0,\"slow_responses_ms\":0,\"server_errors\":0}}\n\
             Data: {data}\nCtrl-C to stop.\n",
            base = sandbox.base_url(),
            key = credentials.user_confirm_key,
            data = args.data.as_ref().map_or_else(|| "in memory (use --data FILE to keep orders)".to_owned(), |p| p.display().to_string()),
        ))?;
        let _ = tokio::signal::ctrl_c().await;
        sandbox.shutdown().await;
        Ok(())
    })
}

/// The generated secret is the sandbox's own test value; showing it is how a person configures
/// a client for it. A secret the user chose is never printed.
fn sandbox_secret_for_display(sandbox: &Sandbox) -> String {
    sandbox.generated_secret().unwrap_or_default().to_owned()
}
