//! # eftpay — Rust SDK for eftPay's VMP payment API
//!
//! eftPay (Hong Kong: Alipay, WeChat Pay, PayMe, FPS, Octopus, UnionPay, ATOME, card schemes)
//! publishes its API as tables. This crate's types are generated from those tables, kept as
//! TOML in the repository's `spec/` folder, at compile time; the hand-written part signs,
//! verifies, sends and receives.
//!
//! - [`services`]: the typed entry point — one marker per service, whose constructor only
//!   accepts that service's wallets (a wrong wallet does not compile).
//! - Requests ([`PlaceOrderRequest`], [`QueryRequest`], [`RefundRequest`], …) with
//!   `validate()`, responses and notifications ([`PaymentNotification`], …).
//! - [`signing`] and [`verify`](mod@verify): the signature rule and its check.
//! - [`Amount`] and [`HkTime`]: money in cents and Hong Kong time; no floats anywhere.

// docs.rs builds with `--cfg docsrs` on nightly, where feature-gated items are marked as such.
#![cfg_attr(docsrs, feature(doc_cfg))]

// Generated code names runtime items as `::eftpay::…`, so it compiles here and in other crates.
extern crate self as eftpay;

pub mod amount;
pub mod catalog;
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub mod client;
pub mod credentials;
mod generated_support;
mod ids;
pub mod json_text;
pub mod message;
pub mod notify;
pub mod purpose;
pub mod received;
pub mod rules;
pub mod signing;
pub mod time;
mod unknown;
pub mod validation;
pub mod verify;
pub mod wire;

/// The API generated from `spec/` (re-exported at the crate root).
mod generated {
    eftpay_macros::include_spec!("spec");
}

pub use amount::{Amount, AmountError};
#[cfg(feature = "client")]
pub use client::{Client, ClientBuilder, ClientError, GatewayError};
pub use credentials::{Credentials, Secret};
pub use generated::*;
pub use ids::{EftTradeNo, OutTradeNo, RefundAmount, RefundNo};
pub use message::{Envelope, FieldSink, IncomingMessage, IntoRequest, OutgoingMessage, Request};
pub use received::{IncomingError, ReceivedError, ReceivedFields, ReceivedValue};
pub use time::{Clock, FixedClock, HkTime, SystemClock, TimeError};
pub use unknown::UnknownValue;
pub use validation::{Rule, Violation, Violations, WireEnum};
pub use verify::{Verified, VerifyError};

/// The README's examples, compiled and run as doc tests so they cannot go stale.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// What generated code needs from dependencies; not part of the API.
#[doc(hidden)]
pub mod __private {
    pub use serde;
    pub use serde_json;
}
