//! Talking to the configured gateway: a client built from the environment (EFTPAY_BASE_URL,
//! EFTPAY_USER_CONFIRM_KEY, EFTPAY_SECRET) and a single-threaded runtime to run one request on.
//! Validating, signing, sending, verifying and the retry rules are the library's
//! (`eftpay::Client::send_fields`); this module only wires them to the command line.

use eftpay::catalog::{Catalog, InterfaceInfo, TypedFields};
use eftpay::{Client, Verified};
use tokio::runtime::Runtime;

use crate::failure::Failure;
use crate::input::{self, Environment};

/// The configured gateway, ready to send; building it sends nothing.
pub struct Gateway {
    client: Client,
    runtime: Runtime,
}

impl Gateway {
    /// Reads the configuration and builds the client, so a configuration error is reported
    /// before any request is looked at.
    ///
    /// # Errors
    /// Credentials unset, empty or not UTF-8; a base URL or user key the client refuses; a
    /// runtime that cannot start.
    pub fn from_env(env: &Environment) -> Result<Gateway, Failure> {
        let credentials = input::credentials_from_env(env)?;
        let base_url = input::base_url_from_env(env)?;
        let client = Client::builder(credentials).base_url(base_url).build()?;
        // One request per run: a current-thread runtime is all it needs, and starts no threads.
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(Failure::Runtime)?;
        Ok(Gateway { client, runtime })
    }

    /// Sends the request `fields` make up through `interface` of `catalog` and waits for its
    /// verified reply.
    ///
    /// # Errors
    /// The request is invalid (nothing sent), eftPay refused it, could not be reached, or its
    /// reply cannot be trusted.
    pub fn send(
        &self,
        catalog: &'static Catalog,
        interface: &'static InterfaceInfo,
        fields: &[(&'static str, String)],
    ) -> Result<Verified<TypedFields>, Failure> {
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(name, value)| (*name, value.as_str())).collect();
        self.runtime.block_on(self.client.send_fields(catalog, interface, &pairs)).map_err(Failure::from)
    }
}
