//! `eftpay spec check PAGE.txt`: what one of eftPay's doc pages, saved as text, says that the
//! spec does not — a thin shell over `eftpay_codegen::page::check`, which reads the spec's TOML
//! (not the compiled catalog: a difference names the spec line to edit and the TOML to paste).
//! Exits like `diff`: 0 the page agrees, 1 it differs, 2 the page or the spec could not be read.

use std::io::Read;
use std::path::{Path, PathBuf};

use eftpay_codegen::page::{self, MAX_PAGE_BYTES, Verdict};

use crate::failure::Failure;
use crate::output;

/// Options of `eftpay spec check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The page, saved as text (`-` reads stdin): title, endpoint and its pipe tables.
    #[arg(value_name = "PAGE")]
    pub page: PathBuf,
    /// The spec folder to compare with.
    #[arg(long, value_name = "DIR", default_value = "spec")]
    pub spec: PathBuf,
}

/// Checks the page and prints the report on stdout.
///
/// # Errors
/// The page or the spec cannot be read ([`Failure::PageUnreadable`]), they differ
/// ([`Failure::PageDiffers`], after the report is printed), or stdout is closed.
pub fn run(args: &Args) -> Result<(), Failure> {
    let text = read_page(&args.page)?;
    if !args.spec.is_dir() {
        return Err(Failure::PageUnreadable(format!(
            "no spec folder at {}: run from the repository root or pass --spec DIR",
            args.spec.display()
        )));
    }
    let report = page::check(&args.spec, &text);
    if let Some(message) = &report.unreadable {
        return Err(Failure::PageUnreadable(message.clone()));
    }
    // The report quotes the page, which is outside input: nothing in it may drive the terminal.
    let shown: Vec<String> = report.to_string().lines().map(|l| output::printable(l).into_owned()).collect();
    output::print(&format!("{}\n", shown.join("\n")))?;
    match report.verdict() {
        Verdict::Agree => Ok(()),
        Verdict::Differ => Err(Failure::PageDiffers { differences: report.differences.len() }),
        Verdict::Unreadable => Err(Failure::PageUnreadable(String::from("the page could not be read"))),
    }
}

/// The page's text, refused past [`MAX_PAGE_BYTES`] before more is read.
fn read_page(path: &Path) -> Result<String, Failure> {
    let unreadable =
        |why: String| Failure::PageUnreadable(format!("the page {} could not be read: {why}", path.display()));
    let limit = u64::try_from(MAX_PAGE_BYTES).unwrap_or(u64::MAX).saturating_add(1);
    let mut bytes = Vec::new();
    let read = if path == Path::new("-") {
        std::io::stdin().lock().take(limit).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|file| file.take(limit).read_to_end(&mut bytes))
    };
    read.map_err(|e| unreadable(e.to_string()))?;
    if bytes.len() > MAX_PAGE_BYTES {
        return Err(unreadable(format!("it is larger than {MAX_PAGE_BYTES} bytes, more than any eftPay page")));
    }
    String::from_utf8(bytes).map_err(|e| {
        unreadable(format!("it is not UTF-8 text (byte {}); save the page as UTF-8 text", e.utf8_error().valid_up_to()))
    })
}
