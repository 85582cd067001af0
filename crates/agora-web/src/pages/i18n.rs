//! Interface texts for zh-CN, zh-TW and en: TOML catalogs embedded in the binary,
//! flattened to `section.key` and looked up by the templates through `Ctx::t`.

use std::collections::HashMap;
use std::sync::LazyLock;

use agora_domain::Locale;

/// Raw catalogs, in the order of [`Locale::ALL`].
const SOURCES: [(Locale, &str); 3] = [
    (Locale::En, include_str!("../../i18n/en.toml")),
    (Locale::ZhCn, include_str!("../../i18n/zh-CN.toml")),
    (Locale::ZhTw, include_str!("../../i18n/zh-TW.toml")),
];

type Catalog = HashMap<String, String>;

static CATALOGS: LazyLock<Vec<(Locale, Catalog)>> =
    LazyLock::new(|| SOURCES.iter().map(|(locale, text)| (*locale, parse(locale.as_str(), text))).collect());

/// Parses one catalog; a broken catalog is logged and left empty (the key test catches it).
fn parse(name: &str, text: &str) -> Catalog {
    let mut out = Catalog::new();
    match toml::from_str::<toml::Table>(text) {
        Ok(table) => flatten("", &table, &mut out),
        Err(e) => tracing::error!(catalog = name, error = %e, "interface catalog does not parse"),
    }
    out
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut Catalog) {
    for (key, value) in table {
        let full = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
        match value {
            toml::Value::Table(inner) => flatten(&full, inner, out),
            toml::Value::String(text) => {
                out.insert(full, text.clone());
            }
            _ => tracing::error!(key = %full, "interface text is not a string"),
        }
    }
}

fn catalog(locale: Locale) -> Option<&'static Catalog> {
    CATALOGS.iter().find(|(l, _)| *l == locale).map(|(_, c)| c)
}

/// The text for `key` in `locale`; falls back to English, then to the key itself.
pub fn text(locale: Locale, key: &str) -> &str {
    catalog(locale)
        .and_then(|c| c.get(key))
        .or_else(|| catalog(Locale::En).and_then(|c| c.get(key)))
        .map_or(key, String::as_str)
}

/// A validation message from the use cases, translated when the catalog knows it.
/// The domain's `invalid <field>: ` prefix is dropped: the message stands beside its field.
pub fn message(locale: Locale, message: &str) -> String {
    let bare = match message.strip_prefix("invalid ").and_then(|rest| rest.split_once(": ")) {
        Some((field, rest)) if !field.contains(' ') => rest,
        _ => message,
    };
    catalog(locale).and_then(|c| c.get(&format!("msg.{bare}"))).cloned().unwrap_or_else(|| bare.to_string())
}

/// The name of a locale in its own language, for the switcher.
pub fn native_name(locale: Locale) -> &'static str {
    match locale {
        Locale::En => "English",
        Locale::ZhCn => "简体中文",
        Locale::ZhTw => "繁體中文",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(locale: Locale) -> Vec<String> {
        let mut k: Vec<String> = catalog(locale).map(|c| c.keys().cloned().collect()).unwrap_or_default();
        k.sort();
        k
    }

    #[test]
    fn every_key_exists_in_every_catalog() {
        let en = keys(Locale::En);
        assert!(en.len() > 50, "the English catalog parsed: {} keys", en.len());
        for locale in Locale::ALL {
            let other = keys(locale);
            let missing: Vec<_> = en.iter().filter(|k| !other.contains(k)).collect();
            let extra: Vec<_> = other.iter().filter(|k| !en.contains(k)).collect();
            assert!(missing.is_empty() && extra.is_empty(), "{locale}: missing {missing:?}, extra {extra:?}");
            for key in &other {
                assert!(!text(locale, key).trim().is_empty(), "{locale}: {key} is empty");
            }
        }
    }

    fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() { files(&path, out) } else { out.push(path) }
        }
    }

    /// Every `"section.key"` literal in the templates and page code names a catalog entry.
    #[test]
    fn every_key_used_exists() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut paths = Vec::new();
        files(&root.join("templates"), &mut paths);
        files(&root.join("src/pages"), &mut paths);
        let sections = [
            "shop", "nav", "footer", "home", "search", "cart", "account", "admin", "error", "store", "product",
            "checkout", "orders",
        ];
        let mut checked = 0;
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap();
            for literal in text.split('"') {
                let Some((section, rest)) = literal.split_once('.') else { continue };
                let looks_like_key = !rest.is_empty() && rest.chars().all(|c| c.is_ascii_lowercase() || c == '_');
                if sections.contains(&section) && looks_like_key && rest != "html" && literal != "no.such.key" {
                    assert_ne!(text_of(literal), literal, "{} uses unknown key {literal}", path.display());
                    checked += 1;
                }
            }
        }
        assert!(checked > 50, "only {checked} keys found");
    }

    fn text_of(key: &str) -> &str {
        text(Locale::En, key)
    }

    #[test]
    fn lookup_and_fallbacks() {
        assert_eq!(text(Locale::En, "nav.cart"), "Cart");
        assert_eq!(text(Locale::ZhCn, "nav.cart"), "购物车");
        assert_eq!(text(Locale::ZhTw, "nav.cart"), "購物車");
        assert_eq!(text(Locale::ZhCn, "no.such.key"), "no.such.key");
        assert_eq!(message(Locale::ZhCn, "must be 8 to 128 characters"), "长度须为 8 到 128 个字符");
        assert_eq!(message(Locale::ZhCn, "something new"), "something new");
        assert_eq!(message(Locale::ZhTw, "invalid email: must contain '@'"), "必須包含「@」");
        assert_eq!(message(Locale::En, "invalid phone: something else"), "something else");
    }
}
