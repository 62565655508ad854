//! What a gateway needs and a merchant does not (with the `gateway` feature): the sandbox, and
//! any test double of eftPay, reads requests as eftPay does and writes eftPay's messages back
//! as fields. A merchant's build leaves this out; the typed API and the client do not need it.
//!
//! - [`OutgoingFields`]: a message collected as the fields it sends, from a typed message or
//!   from fields given by name ([`OutgoingField`]), signed and written as one.
//! - [`check_fields`]: the checks `validate()` runs, over a request given as field texts.
//! - With the `client` feature, [`http_client_builder`] (the client's TLS setup, for a
//!   gateway's own outgoing calls) and [`read_limited`] (a response body read up to a limit).

#[cfg(feature = "client")]
pub use crate::client::transport::{BodyError, http_client_builder, read_limited};
pub use crate::validation::check_fields;
pub use crate::wire::{OutgoingField, OutgoingFields, SentField};
