//! `eftpay pre-order`: places an order through the place-order interface of the chosen scene or
//! service and shows the verified reply — above all the link or QR code the payer opens,
//! optionally drawn as a QR code. The request is checked in full before anything is sent.

use eftpay::Verified;
use eftpay::catalog::{Catalog, TypedFields};
use eftpay::rules::Purpose;

use crate::commands::exchange;
use crate::failure::Failure;
use crate::input::Environment;
use crate::request::RequestArgs;
use crate::{output, qr, reply};

/// Options of `eftpay pre-order`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The order.
    #[command(flatten)]
    pub request: RequestArgs,
    /// Also print the reply's QR code content (or else its pay link) as a QR code to scan with a
    /// phone: black on white on a terminal, plain characters (dark modules drawn) when piped.
    #[arg(long)]
    pub qr: bool,
}

/// Places the order and prints the reply.
///
/// # Errors
/// Not configured, an invalid request (nothing sent), the gateway's refusal or failure, or
/// stdout closed.
pub fn run(catalog: &'static Catalog, args: &Args, env: &Environment) -> Result<(), Failure> {
    let done = exchange(catalog, Purpose::PlaceOrder, &args.request, env)?;
    let mut text = reply::render(&done.target, &done.sent, &done.reply);
    if args.qr {
        text.push_str(&qr_code(done.target.interface, &done.reply));
    }
    output::print(&text)
}

/// The link as a QR code, or why there is none; the order exists either way, so neither case is
/// a failure of the command.
fn qr_code(interface: &eftpay::catalog::InterfaceInfo, reply: &Verified<TypedFields>) -> String {
    let link = reply::link_field(interface).and_then(|field| reply.message().text(field.wire));
    let Some(link) = link else {
        output::note("eftpay: the reply has no QR code content or pay link, so there is no QR code to show");
        return String::new();
    };
    match qr::render(link, output::stdout_takes_colour()) {
        Ok(code) => format!("\n{code}"),
        Err(error) => {
            output::note(&format!("eftpay: the link cannot be drawn as a QR code ({error}); open it instead"));
            String::new()
        }
    }
}
