//! Purposes as types, so the client's conveniences take only requests of their purpose
//! (`Client::refund` takes a refund of any scene, never an order): every generated request says
//! which one it is (`Request::Purpose`).

use crate::rules::Purpose;

/// A purpose at the type level.
pub trait Marker {
    /// The purpose it stands for.
    const PURPOSE: Purpose;
}

macro_rules! purposes {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {
        $(
            $(#[$doc])*
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
            pub struct $name;

            impl Marker for $name {
                const PURPOSE: Purpose = Purpose::$name;
            }
        )*
    };
}

purposes! {
    /// Requests that create an order.
    PlaceOrder,
    /// Requests that look up an order or a refund.
    Query,
    /// Requests that refund.
    Refund,
    /// Requests that apply for a refund finished later.
    ApplyRefund,
    /// Requests that close an unpaid order.
    Close,
}
