//! Parsed text newtypes: once constructed, a value is known to be valid.

mod email;
mod locale;
mod password;
mod phone;
mod slug;

pub use email::Email;
pub use locale::Locale;
pub use password::Password;
pub use phone::Phone;
pub use slug::Slug;

/// Implements `as_str`, `Display` and string serde for a `String` newtype.
macro_rules! string_newtype {
    ($ty:ident) => {
        impl $ty {
            /// The normalised text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        crate::serde_str::string_serde!($ty);
    };
}

use string_newtype;
