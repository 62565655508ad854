//! Talking to a running sandbox's control API (`eftpay trigger`, `resend`, `deliveries`): the
//! sandbox in EFTPAY_BASE_URL, and a single-threaded runtime to run requests on. What the
//! control API does is `eftpay_sandbox::remote`'s; this module only wires it to the command
//! line.

use std::future::Future;

use eftpay_sandbox::remote::{Remote, RemoteError};
use tokio::runtime::Runtime;

use crate::failure::Failure;
use crate::input::{self, Environment};

/// The sandbox in EFTPAY_BASE_URL, ready to ask; building it sends nothing.
pub struct Sandbox {
    remote: Remote,
    runtime: Runtime,
}

impl Sandbox {
    /// Reads EFTPAY_BASE_URL. Unlike the gateway commands, these never fall back to eftPay's
    /// test environment: only a sandbox has a control API.
    ///
    /// # Errors
    /// EFTPAY_BASE_URL unset, not UTF-8 or not a URL; a runtime that cannot start.
    pub fn from_env(env: &Environment) -> Result<Sandbox, Failure> {
        let base_url = input::sandbox_url_from_env(env)?;
        let remote = Remote::new(&base_url).map_err(Failure::from)?;
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(Failure::Runtime)?;
        Ok(Sandbox { remote, runtime })
    }

    /// Runs one request of the control API (made with [`remote`](Self::remote)) to its end.
    ///
    /// # Errors
    /// The request's.
    pub fn ask<T>(&self, request: impl Future<Output = Result<T, RemoteError>>) -> Result<T, Failure> {
        self.runtime.block_on(request).map_err(Failure::from)
    }

    /// The runtime, for commands that wait on more than one request.
    pub fn runtime(&self) -> &Runtime {
        &self.runtime
    }

    /// The control API's client.
    pub fn remote(&self) -> &Remote {
        &self.remote
    }
}

impl From<RemoteError> for Failure {
    /// A base URL that is not a sandbox's is the configuration's fault (2); a refusal or no
    /// answer, the sandbox's (5).
    fn from(error: RemoteError) -> Self {
        match error {
            RemoteError::BaseUrl { .. } | RemoteError::NotASandbox { .. } => Failure::NotASandbox(error),
            other => Failure::Remote(other),
        }
    }
}
