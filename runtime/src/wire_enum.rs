//! What every generated enum has in common beyond its values, written once: the expansion
//! defines the enum with its `Unknown` variant, `ALL`, `as_str`, `from_wire` and `is_known`,
//! then invokes [`__wire_enum_traits!`](crate::__wire_enum_traits) for the trait impls.

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
