//! URL slugs.

use crate::error::DomainError;

/// A URL-safe identifier: 1–120 characters of `[a-z0-9-]`, with no leading,
/// trailing or doubled `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slug(String);

const FIELD: &str = "slug";
const MAX_LEN: usize = 120;
const FALLBACK: &str = "item";

impl Slug {
    /// Parses an already-formed slug (no normalisation is applied).
    pub fn parse(raw: &str) -> Result<Slug, DomainError> {
        if raw.is_empty() || raw.len() > MAX_LEN {
            return Err(DomainError::invalid(FIELD, "must be 1 to 120 characters"));
        }
        if !raw.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
            return Err(DomainError::invalid(FIELD, "may contain only a-z, 0-9 and '-'"));
        }
        if raw.starts_with('-') || raw.ends_with('-') || raw.contains("--") {
            return Err(DomainError::invalid(FIELD, "must not start or end with '-' or contain '--'"));
        }
        Ok(Slug(raw.to_owned()))
    }

    /// Derives a slug from free text: ASCII letters and digits are kept
    /// (lower-cased), every other run of characters becomes one `-`. The
    /// result is cut to 120 characters; if nothing is left it is `"item"`.
    pub fn from_title(title: &str) -> Slug {
        let mut out = String::new();
        let mut pending_dash = false;
        for c in title.chars() {
            if c.is_ascii_alphanumeric() {
                if pending_dash && !out.is_empty() {
                    if out.len() + 1 >= MAX_LEN {
                        break;
                    }
                    out.push('-');
                }
                pending_dash = false;
                if out.len() >= MAX_LEN {
                    break;
                }
                out.push(c.to_ascii_lowercase());
            } else {
                pending_dash = true;
            }
        }
        if out.is_empty() {
            out.push_str(FALLBACK);
        }
        Slug(out)
    }
}

super::string_newtype!(Slug);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::to_json;
    use proptest::prelude::*;

    #[test]
    fn parse_accepts_and_rejects() {
        assert_eq!(Slug::parse("red-tea-2024").unwrap().as_str(), "red-tea-2024");
        assert!(Slug::parse("a").is_ok());
        assert!(Slug::parse(&"a".repeat(120)).is_ok());
        for bad in ["", "-a", "a-", "a--b", "A", "a b", "a_b", "茶", &"a".repeat(121)] {
            let err = Slug::parse(bad).unwrap_err();
            assert_eq!(err.field(), Some("slug"), "{bad:?}");
        }
    }

    #[test]
    fn from_title_examples() {
        let s = |t: &str| Slug::from_title(t).as_str().to_owned();
        assert_eq!(s("Hello, World!"), "hello-world");
        assert_eq!(s("  West Lake Longjing 明前 2024  "), "west-lake-longjing-2024");
        assert_eq!(s("龙井茶"), "item");
        assert_eq!(s(""), "item");
        assert_eq!(s("---"), "item");
        assert_eq!(s("Crème brûlée"), "cr-me-br-l-e");
        assert_eq!(s(&"ab ".repeat(100)).len(), 119);
        assert_eq!(to_json(&Slug::from_title("A B")), "\"a-b\"");
    }

    proptest! {
        #[test]
        fn from_title_always_parses(title in ".{0,300}") {
            let slug = Slug::from_title(&title);
            prop_assert_eq!(Slug::parse(slug.as_str()), Ok(slug.clone()));
        }

        #[test]
        fn valid_slugs_are_fixed_points(raw in "[a-z0-9]{1,10}(-[a-z0-9]{1,10}){0,5}") {
            let slug = Slug::parse(&raw).unwrap();
            prop_assert_eq!(Slug::from_title(&raw), slug);
        }
    }
}
