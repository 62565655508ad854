//! One module per subcommand. Each exposes its clap `Args` and a `run` that reads its input,
//! does the work through the `eftpay` library and writes its result.

use eftpay::Interface;

pub mod demo;
pub mod pre_order;
pub mod query;
pub mod refund;
pub mod sandbox;
pub mod sign;
pub mod spec;
pub mod verify_notify;

/// The command that sends requests of `interface`, for messages that point a service given to
/// the wrong command at the right one; `None` for interfaces no command sends.
pub fn command_for(interface: Interface) -> Option<&'static str> {
    match interface {
        Interface::PlaceOrder => Some("eftpay pre-order"),
        Interface::Query => Some("eftpay query"),
        Interface::Refund => Some("eftpay refund"),
        Interface::ApplyRefund => Some("eftpay refund --apply"),
        _ => None,
    }
}
