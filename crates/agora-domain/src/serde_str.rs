//! Shared serde glue for types that travel as a single validated string.

/// Implements `Serialize` (as `as_str()`) and `Deserialize` (through `parse`)
/// for a type exposing `fn as_str(&self) -> &str` and
/// `fn parse(&str) -> Result<Self, DomainError>`.
macro_rules! string_serde {
    ($ty:ty) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = <String as serde::Deserialize>::deserialize(deserializer)?;
                <$ty>::parse(&raw).map_err(serde::de::Error::custom)
            }
        }
    };
}

pub(crate) use string_serde;
