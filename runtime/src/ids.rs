//! What identifies an order and a refund, as types of their own: the order numbers and the
//! refund number are all text, and a refund's amount and its order's total are both amounts, so
//! a constructor taking them as plain `&str` and [`Amount`] would compile with two of them
//! swapped. Each is named where it is made (`OutTradeNo::new("rrn_1")`), and a swap does not
//! compile.
//!
//! ```compile_fail
//! use eftpay::{Amount, OutTradeNo, RefundAmount, RefundNo, services, wallets};
//! // The refund number where the order number belongs: does not compile.
//! let _ = services::AlipayWebRefund::refund(
//!     wallets::AlipayHk,
//!     RefundAmount::new(Amount::from_cents(50)),
//!     Amount::from_cents(100),
//!     RefundNo::new("refund_1"),
//!     OutTradeNo::new("rrn_1"),
//! );
//! ```

use std::fmt;

use crate::Amount;

macro_rules! identifier {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The number, as the merchant or eftPay wrote it.
            pub fn new(number: impl Into<String>) -> Self {
                $name(number.into())
            }

            /// The number's text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The number's text, by value.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl From<$name> for String {
            fn from(number: $name) -> String {
                number.0
            }
        }
    };
}

identifier! {
    /// The merchant's order number (`out_trade_no`): new for every order.
    OutTradeNo
}

identifier! {
    /// eftPay's order number (`eft_trade_no`, `eftpay_trade_no`), from its reply or notification.
    EftTradeNo
}

identifier! {
    /// The merchant's refund number (`out_refund_no`, `refund_no`): new for every refund.
    RefundNo
}

/// How much a refund gives back, told apart from the order's total it may not exceed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct RefundAmount(Amount);

impl RefundAmount {
    /// A refund of `amount`.
    pub const fn new(amount: Amount) -> Self {
        RefundAmount(amount)
    }

    /// The amount.
    pub const fn amount(self) -> Amount {
        self.0
    }
}

impl fmt::Display for RefundAmount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl From<RefundAmount> for Amount {
    fn from(refund: RefundAmount) -> Amount {
        refund.0
    }
}
