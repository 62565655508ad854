//! Macros the generated code invokes, so what is the same for every expansion is written once
//! here: the trait impls every generated enum shares (the expansion defines the enum with its
//! `Unknown` variant, `ALL`, `as_str`, `from_wire` and `is_known`), and the switch that keeps
//! gateway-only code out of merchants' builds.

/// Implements `WireEnum`, `FromStr`, `Display`, `Serialize` and `Deserialize` for a generated
/// spec value set. Not part of the public API: its input is whatever the generator emits.
#[doc(hidden)]
#[macro_export]
macro_rules! __wire_enum_traits {
    ($name:ident) => {
        impl $crate::WireEnum for $name {
            const TYPE_NAME: &'static str = stringify!($name);
            const ALL: &'static [Self] = $name::ALL;
            fn as_str(&self) -> &str {
                $name::as_str(self)
            }
            fn is_known(&self) -> bool {
                $name::is_known(self)
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = ::core::convert::Infallible;
            /// Never fails: unknown text becomes `Unknown` (use `is_known` to insist on a
            /// documented value).
            fn from_str(text: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok($name::from_wire(text))
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                let text =
                    <::std::borrow::Cow<'de, str> as $crate::__private::serde::Deserialize>::deserialize(deserializer)?;
                ::core::result::Result::Ok($name::from_wire(&text))
            }
        }
    };
}

/// Expands to its items when the crate's `gateway` feature is on, to nothing otherwise: what
/// only a gateway needs (reading requests as received) is generated inside it, so a merchant's
/// build does not compile it. The feature is this crate's, wherever the spec is expanded.
#[cfg(feature = "gateway")]
#[doc(hidden)]
#[macro_export]
macro_rules! __gateway {
    ($($item:tt)*) => { $($item)* };
}

/// See the `gateway` variant: without the feature, nothing.
#[cfg(not(feature = "gateway"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __gateway {
    ($($item:tt)*) => {};
}

/// `Some(f)` with the `gateway` feature, `None` without: a catalog entry of a gateway-only
/// operation.
#[cfg(feature = "gateway")]
#[doc(hidden)]
#[macro_export]
macro_rules! __gateway_fn {
    ($f:expr) => {
        ::core::option::Option::Some($f)
    };
}

/// See the `gateway` variant: without the feature, `None`.
#[cfg(not(feature = "gateway"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __gateway_fn {
    ($f:expr) => {
        ::core::option::Option::None
    };
}
