//! What the CLI's integration tests share: running the `eftpay` binary with only the
//! configuration a test gives it, reading what it printed, and checking how it exited — by the
//! status's name, as `eftpay --help` documents it, never by a bare number.
#![allow(dead_code, clippy::expect_used)] // each test binary uses part of it

use std::ffi::OsStr;
use std::io::Write;
use std::process::{Command, Output, Stdio};

pub use eftpay_cli::Status;

/// The environment variables the binary reads; a test sets the ones it means and no others.
const CONFIGURATION: [&str; 4] = ["EFTPAY_BASE_URL", "EFTPAY_USER_CONFIRM_KEY", "EFTPAY_SECRET", "NO_COLOR"];

/// `eftpay args…` with none of the configuration inherited from the test's environment.
pub fn eftpay(args: &[impl AsRef<OsStr>]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_eftpay"));
    command.args(args);
    for name in CONFIGURATION {
        command.env_remove(name);
    }
    command
}

/// Runs `eftpay args…` with exactly the configuration in `env`, `stdin` on its standard input.
pub fn run(args: &[impl AsRef<OsStr>], env: &[(&str, &str)], stdin: &[u8]) -> Output {
    let mut command = eftpay(args);
    command.envs(env.iter().copied()).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().expect("the eftpay binary starts");
    let mut pipe = child.stdin.take().expect("stdin is piped");
    let input = stdin.to_vec();
    // Written from another thread so a child that answers before reading everything cannot
    // deadlock the test; a child that exits without reading (a missing secret) closes the pipe.
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&input);
    });
    let output = child.wait_with_output().expect("the eftpay binary runs");
    writer.join().expect("the stdin writer finishes");
    output
}

/// What the binary printed on stdout.
pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

/// What the binary printed on stderr.
pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// The exit code `status` stands for.
pub fn code(status: Status) -> Option<i32> {
    Some(i32::from(status.code()))
}

/// Fails, showing both streams, unless the binary exited with `status`.
#[track_caller]
pub fn assert_exit(output: &Output, status: Status) {
    assert_eq!(
        output.status.code(),
        code(status),
        "expected exit {status:?}\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
