//! # eftpay — Rust SDK for eftPay's VMP payment API
//!
//! eftPay (Hong Kong: Alipay, WeChat Pay, PayMe, FPS, Octopus, UnionPay, ATOME, card schemes)
//! publishes its API as tables. This crate's types are generated from those tables, kept as
//! TOML in its `spec/` folder, at compile time; the hand-written part signs, verifies, sends
//! and receives. What the code relies on about the protocol is written down in
//! `docs/protocol.md`, which the crate carries, and cited by section.
//!
//! ## Quickstart
//!
//! Place an order: pick the service, pass one of its wallets (another does not compile), and
//! send it. The client validates, signs and posts it, and verifies the reply before you see it.
//!
//! ```no_run
//! use eftpay::{Amount, Client, Credentials, OutTradeNo, services, wallets};
//!
//! # async fn checkout() -> Result<(), Box<dyn std::error::Error>> {
//! // eftPay gives each merchant a key and a secret; read them from your configuration.
//! let credentials = Credentials::new("TESTKEY00001", "test-secret-not-real");
//! // eftPay's test environment; `Client::builder(credentials).base_url(…)` for production.
//! let client = Client::new(credentials)?;
//!
//! let order = services::AlipayWebPreOrder::place_order(
//!     wallets::AlipayHk,
//!     Amount::from_cents(1250),
//!     OutTradeNo::new("order-1001"),
//!     "Coffee beans, 250 g",
//!     "https://shop.example/paid", // return_url: this service always requires it
//! )
//! .notify_url("https://shop.example/eftpay/notify");
//! let reply = client.place_order(order).await?;
//! // Accepted is not paid: send the payer to the link, and wait for the notification.
//! // `pay_apptrade()` is the link an accepted reply always carries, or an error naming it.
//! println!("pay at {}", reply.pay_apptrade()?);
//! # Ok(())
//! # }
//! ```
//!
//! Leaving out `return_url` would not compile: this service's row always requires it (the
//! spec's service table says so), and the constructor takes every such field.
//!
//! Then eftPay posts the result to `notify_url`. Verify it, check it against your order, record
//! it (idempotently: eftPay delivers it again until acknowledged), and answer with the signed
//! acknowledgement:
//!
//! ```
//! use eftpay::notify::{self, Answer};
//! use eftpay::{Amount, Credentials, SystemClock};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let credentials = Credentials::new("TESTKEY00001", "test-secret-not-real");
//! # let body = notify::sign_for_test(
//! #     r#"{"notify_type":"trade_status_sync","out_trade_no":"order-1001","eft_trade_no":"E1","total_fee":"12.50","trade_status":"TRADE_SUCCESS","time":"20261201120000","user_confirm_key":"TESTKEY00001"}"#,
//! #     &credentials.secret,
//! # )?;
//! // `body` is the request body eftPay posted.
//! // What you charged for each of your orders, from your database.
//! let charged = |order: &str| (order == "order-1001").then(|| Amount::from_cents(1250));
//! let answer = match notify::verify_notification(&body, &credentials.secret) {
//!     Ok(verified) => {
//!         let n = verified.message();
//!         // `is_paid()`: the one trade status the spec says means paid.
//!         let expected = n.out_trade_no().and_then(charged);
//!         if n.is_paid() && expected.is_some() && n.total_fee() == expected {
//!             // mark the order paid (once: the same notification may come again)
//!         } else if n.is_paid() {
//!             // paid, but not what you charged for that order: hold it for review
//!         }
//!         # assert!(n.is_paid() && n.total_fee() == expected);
//!         Answer::Handled
//!     }
//!     Err(_) => Answer::NotHandled, // not from eftPay, or damaged: never trust it
//! };
//! let ack = notify::acknowledge(answer, &credentials, &SystemClock);
//! // Respond with `ack.body`, content type `ack.content_type()`.
//! # assert!(ack.body.contains("sign"));
//! # Ok(())
//! # }
//! ```
//!
//! With the `axum` feature, `notify::axum::notification_route` is that endpoint ready-made.
//!
//! ## Refunding an order whose wallet you stored as text
//!
//! A refund names the sale's wallet. Store it with the order as its wire text
//! ([`Wallet::as_str`]) and read it back as one of the refund service's wallets with
//! [`RowWallet`]; a wallet that service does not take is refused with a
//! [`WalletNotTaken`](catalog::WalletNotTaken) naming the service and the wallets it takes:
//!
//! ```
//! use eftpay::{Amount, OutTradeNo, RefundAmount, RefundNo, RowWallet, services};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let stored = "ALIPAYHK"; // the `wallet` column of your orders table
//! let wallet: RowWallet<services::AlipayWebRefund> = stored.parse()?;
//! let refund = services::AlipayWebRefund::refund(
//!     wallet,
//!     RefundAmount::new(Amount::from_cents(250)),
//!     Amount::from_cents(1250), // the order's total
//!     OutTradeNo::new("order-1001"),
//!     RefundNo::new("refund-1"),
//! )
//! .build();
//! assert_eq!(refund.validate(), Ok(()));
//! // `client.refund(refund).await?` sends it; `reply.trade_status()?` is the refund's state.
//!
//! let error = "WECHATHK".parse::<RowWallet<services::AlipayWebRefund>>().unwrap_err();
//! assert!(error.to_string().contains("service.alipay.web.Refund"));
//! # Ok(())
//! # }
//! ```
//! Every service's page under [`services`] shows its own constructor and wallets.
//!
//! ## Where things are
//!
//! - [`services`]: the typed entry point — one marker per service, whose constructor only
//!   accepts that service's wallets; [`wallets`] holds their markers.
//! - Requests ([`PlaceOrderRequest`], [`QueryRequest`], [`RefundRequest`], …) with
//!   `validate()`, responses and notifications ([`PaymentNotification`], …).
//! - [`Client`]: sends any request and verifies its reply; [`notify`]: notifications and their
//!   acknowledgement.
//! - [`signing`] and [`verify`](mod@verify): the signature rule and its check.
//! - [`Amount`] and [`HkTime`]: money in cents and Hong Kong time; no floats anywhere.
//! - [`CATALOG`]: the whole spec as data (scenes, interfaces, services, codes and what they
//!   mean), which the client, the notification handling, the sandbox and the CLI read.
//!
//! ## Features
//!
//! | feature | what it adds | default |
//! |---|---|---|
//! | `client` | [`Client`], over `reqwest` with rustls (no process-wide TLS provider is installed) | yes |
//! | `axum` | `notify::axum`: a ready notification endpoint | no |
//! | `jiff` | [`HkTime`] to and from `jiff` types | no |
//! | `gateway` | reading requests as eftPay does, for gateways and test doubles such as `eftpay-sandbox` | no |
//!
//! Without `client`, the crate is types, signing, verification and notifications, with no HTTP
//! stack: what a webhook-only service needs.

// docs.rs builds with `--cfg docsrs` on nightly, where feature-gated items are marked as such.
#![cfg_attr(docsrs, feature(doc_cfg))]

// Generated code names runtime items as `::eftpay::…`, so it compiles here and in other crates.
extern crate self as eftpay;

// Every public item has one path (`tests/public_api.rs` checks): a type, wherever it is
// defined, is at the crate root; a public module (`eftpay::notify::…`, `eftpay::verify::…`)
// holds a topic's functions, constants and the types only that topic uses, and the root
// re-exports none of them.
mod acknowledgement;
mod amount;
mod byte_scan;
pub mod catalog;
#[cfg(feature = "client")]
mod client;
mod codec;
mod credentials;
#[cfg(feature = "gateway")]
#[cfg_attr(docsrs, doc(cfg(feature = "gateway")))]
pub mod gateway;
mod generated_support;
mod ids;
mod json_text;
mod message;
pub mod notify;
pub mod purpose;
mod reading;
mod received;
mod recognition;
pub mod rules;
mod short_text;
mod signature;
pub mod signing;
mod time;
mod unknown;
mod validation;
mod verified;
pub mod verify;
mod violations;
// Some of its methods only `gateway` users call (`OutgoingFields::text`, `signed_text`); a build
// with the feature (the workspace's clippy runs one) still reports dead code here.
#[cfg_attr(not(feature = "gateway"), allow(dead_code))]
mod wire;

/// The API generated from `spec/` (re-exported at the crate root).
mod generated {
    eftpay_macros::include_spec!("spec", doc_examples_at = "eftpay");
}

pub use amount::{Amount, AmountError};
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub use client::{Client, ClientBuilder, ClientError, GatewayError, TEST_BASE_URL, redact_url};
pub use credentials::{Credentials, Secret};
pub use generated::*;
pub use ids::{EftTradeNo, OutTradeNo, RefundAmount, RefundNo};
pub use message::{Envelope, FieldSink, IncomingMessage, IntoRequest, MissingField, OutgoingMessage, Request};
pub use received::{IncomingError, ReceiveLimits, ReceivedError, ReceivedFields, ReceivedValue};
pub use short_text::ShortText;
pub use time::{Clock, FixedClock, HkTime, SystemClock, TimeError};
pub use unknown::UnknownValue;
pub use unknown::WireEnum;
pub use verified::{Verified, VerifyError};
pub use violations::{Rule, Violation, Violations};

/// The README's examples (the crate's front page), compiled and run as doc tests so they
/// cannot go stale.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// The repository README's examples, likewise; only in the repository (a package has its own
/// README, and doc tests are not run from one).
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct RepositoryReadmeDoctests;

/// What generated code calls, and nothing else: the spec's expansion names these as
/// `::eftpay::__private::…` (as serde's and axum's macros do), so they need not be public API.
/// Not part of the API: anything here may change in any release.
#[doc(hidden)]
pub mod __private {
    pub use crate::acknowledgement::ProvenAcknowledgement;
    pub use crate::codec::Codec;
    pub use crate::json_text::{NestedJson, ObjectWriter};
    pub use crate::reading::Reading;
    pub use crate::recognition::{Condition, FieldTest, Recognition, recognize};
    pub use crate::validation::validate;
    pub use serde;
    pub use serde_json;
}
