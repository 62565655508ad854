#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! `eftpay spec check PAGE`, run as the binary: the report on stdout, `diff`'s exit codes
//! (0 the page agrees, 1 it differs, 2 the page or the spec cannot be read).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use eftpay_codegen::page::MAX_PAGE_BYTES;
use support::{Status, code, run};

mod support;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn page(name: &str) -> String {
    root().join("macros/codegen/tests/pages").join(name).display().to_string()
}

fn check(page: &str, stdin: &[u8]) -> Output {
    let spec = root().join("spec");
    run(&["spec", "check", page, "--spec", &spec.display().to_string()], &[], stdin)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_page_that_agrees_exits_0() {
    let output = check(&page("qrcode_pre_order.txt"), b"");
    assert_eq!(output.status.code(), code(Status::Ok), "{}{}", text(&output.stdout), text(&output.stderr));
    assert!(text(&output.stdout).contains("interface: qrcode_pre_order"));
    assert!(text(&output.stdout).contains("The page agrees with the spec."));
}

/// The seed page (eftPay's "Place an order") with `out_trade_no` documented longer than the
/// spec has it.
fn longer_out_trade_no() -> Vec<u8> {
    let seed = std::fs::read_to_string(page("web_place_order.txt")).unwrap();
    let changed = seed.replacen("out_trade_no | String(28) |", "out_trade_no | String(32) |", 1);
    assert_ne!(seed, changed, "the seed has the row this changes");
    changed.into_bytes()
}

#[test]
fn the_seed_page_agrees_exits_0() {
    let output = check(&page("web_place_order.txt"), b"");
    assert_eq!(output.status.code(), code(Status::Ok), "{}{}", text(&output.stdout), text(&output.stderr));
    assert!(text(&output.stdout).contains("The page agrees with the spec."));
}

#[test]
fn a_page_that_differs_exits_1_and_prints_each_fix() {
    let output = check("-", &longer_out_trade_no());
    assert_eq!(output.status.code(), code(Status::PageDiffers), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(stdout.contains("out_trade_no"), "{stdout}");
    assert!(stdout.contains("   fix:\n"), "{stdout}");
    assert!(text(&output.stderr).contains("the page and the spec differ: 1 difference(s)"), "{}", text(&output.stderr));
}

#[test]
fn a_page_read_from_a_file_is_checked_the_same() {
    let path = std::env::temp_dir().join(format!("eftpay-spec-check-{}.txt", std::process::id()));
    std::fs::write(&path, longer_out_trade_no()).unwrap();
    let output = check(&path.display().to_string(), b"");
    let _ = std::fs::remove_file(&path);
    assert_eq!(output.status.code(), code(Status::PageDiffers), "{}", text(&output.stderr));
}

#[test]
fn an_unreadable_page_exits_2_saying_what_could_not_be_read() {
    let too_large = vec![b'a'; MAX_PAGE_BYTES + 1];
    for (input, says) in [
        (b"just prose, no tables\n".as_slice(), "found no pipe table"),
        (b"\xff\xfe not utf-8".as_slice(), "not UTF-8"),
        (too_large.as_slice(), "larger than"),
    ] {
        let output = check("-", input);
        assert_eq!(output.status.code(), code(Status::PageUnreadable), "{says}");
        assert!(text(&output.stderr).contains(says), "{}", text(&output.stderr));
        assert!(output.stdout.is_empty());
    }
    let output = check("/nonexistent/page.txt", b"");
    assert_eq!(output.status.code(), code(Status::PageUnreadable));
    assert!(text(&output.stderr).contains("/nonexistent/page.txt could not be read"));
}

#[test]
fn a_missing_spec_folder_exits_2() {
    let output = Command::new(env!("CARGO_BIN_EXE_eftpay"))
        .args(["spec", "check", &page("web_place_order.txt"), "--spec", "/nonexistent/spec"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), code(Status::PageUnreadable));
    assert!(text(&output.stderr).contains("no spec folder at /nonexistent/spec"));
}
