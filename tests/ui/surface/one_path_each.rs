// Every public item has one path: types at the crate root (`eftpay::Client`,
// `eftpay::Verified`, `eftpay::Notification`, `eftpay::ReceivedFields`), never also under a module.
use eftpay::client::Client;
use eftpay::notify::Notification;
use eftpay::received::ReceivedFields;
use eftpay::verify::Verified;

fn main() {}
