//! `eftpay sandbox`: runs the sandbox gateway until Ctrl-C or SIGTERM, prints how to point the
//! other commands (and any client) at it, and logs each request it answers and each
//! notification it delivers on stderr, as they happen.

use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::time::Duration;

use eftpay::Credentials;
use eftpay::catalog::Catalog;
use eftpay_sandbox::{Faults, Sandbox, SandboxConfig, SandboxError};

use crate::env_vars::{BASE_URL_VAR, SECRET_VAR, USER_KEY_VAR};
use crate::failure::Failure;
use crate::input;
use crate::output;

/// The longest `--addr` read: a DNS name (253 bytes), brackets and a port.
const MAX_ADDR: usize = 300;

/// Arguments of `eftpay sandbox`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to listen: an address or a host name, and a port (`localhost:8080`). Keep it on
    /// loopback: anyone who can reach the sandbox can pay its orders and switch its faults on.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT", value_parser = listen_addr)]
    addr: ListenAddr,
    /// Keep orders in this SQLite file, so they survive a restart.
    #[arg(long, value_name = "FILE")]
    data: Option<PathBuf>,
}

/// `--addr` resolved: the addresses to try in turn, IPv4 first, and the host name it was given
/// by (not an address), which the sandbox then answers to and links with.
#[derive(Clone, Debug)]
struct ListenAddr {
    first: SocketAddr,
    others: Vec<SocketAddr>,
    host: Option<String>,
}

fn listen_addr(text: &str) -> Result<ListenAddr, String> {
    let hint = "give HOST:PORT, e.g. 127.0.0.1:8080 or localhost:8080";
    if text.len() > MAX_ADDR {
        return Err(format!("longer than {MAX_ADDR} bytes, too long for HOST:PORT; {hint}"));
    }
    let mut all: Vec<SocketAddr> =
        text.to_socket_addrs().map_err(|e| format!("cannot resolve `{text}` ({e}); {hint}"))?.collect();
    all.sort_by_key(SocketAddr::is_ipv6);
    all.dedup();
    let mut all = all.into_iter();
    let first = all.next().ok_or_else(|| format!("`{text}` resolves to no address; {hint}"))?;
    Ok(ListenAddr { first, others: all.collect(), host: host_name(text) })
}

/// The host part of `HOST:PORT` when it is a name, not an IP address: the sandbox refuses
/// requests addressed to names that are not its own, so a name it listens by must be its own.
fn host_name(text: &str) -> Option<String> {
    let (host, _port) = text.rsplit_once(':')?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() || host.parse::<std::net::IpAddr>().is_ok() { None } else { Some(host.to_owned()) }
}

/// Logs the sandbox's events (a line per request answered and per notification delivery) on
/// stderr, like `stripe listen`: at `info` for the sandbox, `warn` for the rest, unless
/// `RUST_LOG` says otherwise. The events carry no secret or signature (the sandbox's own tests
/// check that), so nothing here needs to filter them.
fn log_events() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn,eftpay_sandbox=info"));
    // Already installed (a second run in one process, a test): keep the one there is.
    let _ =
        tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_target(false).try_init();
}

/// What is left, after the sandbox has stopped, for the runtime's own threads (a notification's
/// DNS lookup still running) before the process exits regardless.
const RUNTIME_STOP: Duration = Duration::from_secs(1);

/// Runs the sandbox until Ctrl-C or SIGTERM, then stops once the requests in flight are
/// answered — within the sandbox's shutdown timeout, plus [`RUNTIME_STOP`] — (a second signal
/// stops it at once).
///
/// # Errors
/// Half-configured credentials, an address that cannot be bound, an unusable data file.
pub fn run(catalog: &'static Catalog, args: &Args, env: &input::Environment) -> Result<(), Failure> {
    // Credentials from the environment when both are set; otherwise the sandbox makes some up
    // and they are printed (they are the sandbox's own, not eftPay's).
    let chosen = input::optional_credentials_from_env(env)?;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(Failure::Runtime)?;
    let outcome = runtime.block_on(async {
        // Listening for the signals starts before anything is served, so an early one is not lost.
        let mut stop = StopSignals::listen().map_err(Failure::Runtime)?;
        // Logging starts before the sandbox does: with a data file it resumes deliveries owed
        // at once, and their first lines would otherwise go nowhere.
        log_events();
        let sandbox = start(catalog, args, chosen.as_ref()).await?;
        if !sandbox.addr().ip().is_loopback() {
            output::note(&exposure_warning(sandbox.addr()));
        }
        print_banner(args, &sandbox, chosen.is_some())?;
        let signal = stop.next().await;
        output::note(&format!(
            "{signal}: stopping once the requests in flight are answered, within {:?} ({signal} again stops now)",
            SandboxConfig::default().shutdown_timeout
        ));
        tokio::select! {
            () = sandbox.shutdown() => {}
            _ = stop.next() => output::note("stopped without waiting for the requests in flight"),
        }
        Ok(())
    });
    // Dropping a runtime would wait for its blocking threads without end.
    runtime.shutdown_timeout(RUNTIME_STOP);
    outcome
}

/// Starts the sandbox on the first of the resolved addresses that can be bound.
async fn start(catalog: &'static Catalog, args: &Args, chosen: Option<&Credentials>) -> Result<Sandbox, Failure> {
    let config = |addr: SocketAddr| SandboxConfig {
        addr,
        host: args.addr.host.clone(),
        catalog,
        credentials: chosen.cloned(),
        data_file: args.data.clone(),
        ..SandboxConfig::default()
    };
    let mut outcome = Sandbox::start_with(config(args.addr.first)).await;
    for &addr in &args.addr.others {
        match outcome {
            Err(SandboxError::Bind { .. }) => outcome = Sandbox::start_with(config(addr)).await,
            _ => break,
        }
    }
    outcome.map_err(Failure::Sandbox)
}

fn exposure_warning(addr: SocketAddr) -> String {
    let reach = if addr.ip().is_unspecified() {
        format!(
            " Other machines open it at http://<this machine's address>:{}; the links below use loopback.",
            addr.port()
        )
    } else {
        String::new()
    };
    format!(
        "warning: the sandbox listens on {addr}, which other machines can reach: anyone who can reach it can pay \
         its orders with fake money, read them and switch its faults on. Use --addr 127.0.0.1:{port} unless you \
         mean to share it.{reach}",
        port = addr.port()
    )
}

fn print_banner(args: &Args, sandbox: &Sandbox, chose_credentials: bool) -> Result<(), Failure> {
    let credentials = sandbox.credentials();
    let root = sandbox.base_url().trim_end_matches("/VMP").to_owned();
    let secret_line = if chose_credentials {
        format!("  {SECRET_VAR} as you set it\n")
    } else {
        format!("  export {SECRET_VAR}={}   # generated for this run\n", sandbox_secret_for_display(sandbox))
    };
    // The control API takes its POSTs as JSON only (so a page on another site cannot send them).
    let json = "-H 'content-type: application/json'";
    // Written from the sandbox's own type, so the example names every fault there is. A struct
    // of numbers always serialises; were it ever not to, the example would show `{}`.
    let faults = serde_json::to_string(&Faults { drop_notifications: 1, ..Faults::default() })
        .unwrap_or_else(|_| "{}".to_owned());
    output::print(&format!(
        "eftPay sandbox gateway listening on {base}\n\
         Point the SDK or the other commands at it:\n  export {BASE_URL_VAR}={base}\n  export {USER_KEY_VAR}={key}\n{secret_line}\
         Pay pages: the pay link (or QR code content) of each order's reply. Control API (POSTs as JSON):\n  \
         curl -X POST {json} {root}/control/orders/<eft_trade_no>/pay   # or fail, cancel, expire\n  \
         curl {root}/control/orders   curl {root}/control/deliveries\n  \
         curl -X POST {json} -d '{faults}' {root}/control/faults\n\
         Data: {data}\nCtrl-C (or SIGTERM) stops it once the requests in flight are answered (within {grace:?}).\n",
        base = sandbox.base_url(),
        key = credentials.user_confirm_key,
        grace = SandboxConfig::default().shutdown_timeout,
        data = args
            .data
            .as_ref()
            .map_or_else(|| "in memory (use --data FILE to keep orders)".to_owned(), |p| p.display().to_string()),
    ))
}

/// Ctrl-C (SIGINT) and, on Unix, SIGTERM — what `kill`, systemd and container runtimes send to
/// stop a service; without handling it the process would end with requests half answered.
struct StopSignals {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl StopSignals {
    /// Starts listening for the signals.
    fn listen() -> std::io::Result<StopSignals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(StopSignals { interrupt: signal(SignalKind::interrupt())?, terminate: signal(SignalKind::terminate())? })
        }
        #[cfg(not(unix))]
        Ok(StopSignals {})
    }

    /// Waits for the next signal; names it.
    async fn next(&mut self) -> &'static str {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.interrupt.recv() => "Ctrl-C",
                _ = self.terminate.recv() => "SIGTERM",
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            "Ctrl-C"
        }
    }
}

/// The generated secret is the sandbox's own test value; showing it is how a person configures
/// a client for it. A secret the user chose is never printed.
fn sandbox_secret_for_display(sandbox: &Sandbox) -> String {
    sandbox.generated_secret().unwrap_or_default().to_owned()
}
