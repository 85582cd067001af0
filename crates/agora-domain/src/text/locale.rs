//! User-interface locales.

use std::fmt;

use crate::error::DomainError;
use crate::serde_str::string_serde;

/// A supported user-interface locale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Locale {
    /// English (the default).
    #[default]
    En,
    /// Simplified Chinese.
    ZhCn,
    /// Traditional Chinese.
    ZhTw,
}

const FIELD: &str = "locale";

/// Quality values are kept in thousandths (`q=0.8` → 800) to avoid floats.
const Q_MAX: u32 = 1000;

impl Locale {
    /// Every supported locale, in display order.
    pub const ALL: [Locale; 3] = [Locale::En, Locale::ZhCn, Locale::ZhTw];

    /// Parses a language tag, case-insensitively, accepting `_` for `-`.
    ///
    /// `en` and any `en-*` map to [`Locale::En`]; `zh`, `zh-CN`, `zh-SG`,
    /// `zh-Hans…` map to [`Locale::ZhCn`]; `zh-TW`, `zh-HK`, `zh-MO`,
    /// `zh-Hant…` map to [`Locale::ZhTw`].
    pub fn parse(raw: &str) -> Result<Locale, DomainError> {
        let tag = raw.trim().to_ascii_lowercase().replace('_', "-");
        let mut parts = tag.split('-');
        let lang = parts.next().unwrap_or_default();
        let rest: Vec<&str> = parts.collect();
        if rest.iter().any(|p| p.is_empty()) {
            return Err(DomainError::invalid(FIELD, "is not a language tag"));
        }
        match lang {
            "en" => Ok(Locale::En),
            "zh" => Ok(chinese_variant(&rest)),
            _ => Err(DomainError::invalid(FIELD, "must be one of en, zh-CN, zh-TW")),
        }
    }

    /// The canonical tag: `"en"`, `"zh-CN"` or `"zh-TW"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::ZhCn => "zh-CN",
            Locale::ZhTw => "zh-TW",
        }
    }

    /// Picks the best supported locale from an `Accept-Language` header.
    ///
    /// Entries are ranked by their `q` value (default 1; `q=0` excludes the
    /// entry); ties go to the earlier entry. Unsupported tags and `*` are
    /// skipped. Falls back to [`Locale::En`].
    pub fn from_accept_language(header: &str) -> Locale {
        let mut best: Option<(u32, Locale)> = None;
        for entry in header.split(',') {
            let mut params = entry.split(';');
            let tag = params.next().unwrap_or_default().trim();
            let Ok(locale) = Locale::parse(tag) else {
                continue;
            };
            let q = params
                .filter_map(|p| p.split_once('='))
                .filter(|(key, _)| key.trim().eq_ignore_ascii_case("q"))
                .map(|(_, value)| parse_q(value.trim()))
                .next()
                .unwrap_or(Some(Q_MAX));
            let Some(q) = q.filter(|q| *q > 0) else {
                continue;
            };
            if best.is_none_or(|(best_q, _)| q > best_q) {
                best = Some((q, locale));
            }
        }
        best.map_or(Locale::En, |(_, locale)| locale)
    }
}

/// Maps the subtags after `zh` to a script family.
fn chinese_variant(subtags: &[&str]) -> Locale {
    let traditional = subtags.iter().any(|s| matches!(*s, "hant" | "tw" | "hk" | "mo"));
    let simplified = subtags.contains(&"hans");
    if traditional && !simplified { Locale::ZhTw } else { Locale::ZhCn }
}

/// Parses an RFC 9110 `qvalue` into thousandths; `None` if malformed.
fn parse_q(raw: &str) -> Option<u32> {
    let (int, frac) = raw.split_once('.').unwrap_or((raw, ""));
    let int_ok = matches!(int, "0" | "1");
    if !int_ok || frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut value = if int == "1" { Q_MAX } else { 0 };
    let mut scale = 100;
    for b in frac.bytes() {
        value += u32::from(b - b'0') * scale;
        scale /= 10;
    }
    Some(value.min(Q_MAX))
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

string_serde!(Locale);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{from_value, to_json, to_value};

    #[test]
    fn parse_variants() {
        let p = |s: &str| Locale::parse(s).unwrap();
        assert_eq!(p("en"), Locale::En);
        assert_eq!(p("EN-us"), Locale::En);
        assert_eq!(p("en-GB"), Locale::En);
        assert_eq!(p("zh"), Locale::ZhCn);
        assert_eq!(p("zh-CN"), Locale::ZhCn);
        assert_eq!(p("zh_cn"), Locale::ZhCn);
        assert_eq!(p("zh-Hans"), Locale::ZhCn);
        assert_eq!(p("zh-Hans-CN"), Locale::ZhCn);
        assert_eq!(p("zh-SG"), Locale::ZhCn);
        assert_eq!(p("zh-TW"), Locale::ZhTw);
        assert_eq!(p("ZH-tw"), Locale::ZhTw);
        assert_eq!(p("zh-Hant"), Locale::ZhTw);
        assert_eq!(p("zh-Hant-TW"), Locale::ZhTw);
        assert_eq!(p("zh-HK"), Locale::ZhTw);
        assert_eq!(p(" zh-MO "), Locale::ZhTw);
        for bad in ["", "fr", "english", "zh-", "en--US", "*"] {
            let err = Locale::parse(bad).unwrap_err();
            assert_eq!(err.field(), Some("locale"), "{bad:?}");
        }
    }

    #[test]
    fn round_trips() {
        for locale in Locale::ALL {
            assert_eq!(Locale::parse(locale.as_str()), Ok(locale));
            assert_eq!(locale.to_string(), locale.as_str());
            let json = to_json(&locale);
            assert_eq!(json, format!("\"{}\"", locale.as_str()));
            assert_eq!(from_value::<Locale>(to_value(locale.as_str())).unwrap(), locale);
        }
        assert_eq!(Locale::default(), Locale::En);
    }

    #[test]
    fn accept_language() {
        let a = Locale::from_accept_language;
        assert_eq!(a(""), Locale::En);
        assert_eq!(a("fr-FR, de;q=0.9"), Locale::En);
        assert_eq!(a("zh-CN,zh;q=0.9,en;q=0.8"), Locale::ZhCn);
        assert_eq!(a("en;q=0.5, zh-TW;q=0.8"), Locale::ZhTw);
        assert_eq!(a("fr, zh-HK;q=0.3, en;q=0.2"), Locale::ZhTw);
        assert_eq!(a("zh-TW;q=0, en;q=0.1"), Locale::En);
        assert_eq!(a("zh-TW;q=0"), Locale::En);
        assert_eq!(a("*, zh;q=0.5"), Locale::ZhCn);
        assert_eq!(a("zh-Hant;q=0.9, zh-Hans;q=0.9"), Locale::ZhTw);
        assert_eq!(a("en-US,en;q=0.9,zh-CN;q=1.0"), Locale::En);
        assert_eq!(a("en;q=0.999, zh-cn;Q=1"), Locale::ZhCn);
        assert_eq!(a("zh-CN;q=bogus, en;q=0.1"), Locale::En);
        assert_eq!(a("zh-CN; charset=x; q=0.7, en;q=0.6"), Locale::ZhCn);
    }

    #[test]
    fn q_values() {
        assert_eq!(parse_q("1"), Some(1000));
        assert_eq!(parse_q("1.0"), Some(1000));
        assert_eq!(parse_q("0.5"), Some(500));
        assert_eq!(parse_q("0.123"), Some(123));
        assert_eq!(parse_q("0."), Some(0));
        assert_eq!(parse_q("0.1234"), None);
        assert_eq!(parse_q("2"), None);
        assert_eq!(parse_q("1.5"), Some(1000));
        assert_eq!(parse_q(""), None);
    }
}
