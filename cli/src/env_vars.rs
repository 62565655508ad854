//! The names of the environment variables the commands read. Their own module because the
//! exit-code help, the error messages and the readers all name them, and none of those should
//! depend on another to do so.

/// The environment variable holding the merchant secret.
pub const SECRET_VAR: &str = "EFTPAY_SECRET";

/// The environment variable holding the merchant's `user_confirm_key`.
pub const USER_KEY_VAR: &str = "EFTPAY_USER_CONFIRM_KEY";

/// The environment variable holding the gateway's base URL.
pub const BASE_URL_VAR: &str = "EFTPAY_BASE_URL";
