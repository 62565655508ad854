//! One module per subcommand. Each exposes its clap `Args` and a `run` that reads its input,
//! does the work through the `eftpay` library and writes its result.

pub mod sign;
pub mod verify_notify;
