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
    let Some(c) = catalog(locale) else { return bare.to_string() };
    if let Some(text) = c.get(&format!("msg.{bare}")) {
        return text.clone();
    }
    // Messages with numbers or names in them: keys with `{}` holes, filled in order; the
    // longest matching pattern wins ("must be 1 to {} characters" over "must be 1 to {}").
    c.iter()
        .filter_map(|(key, text)| key.strip_prefix("msg.").filter(|k| k.contains("{}")).map(|k| (k, text)))
        .filter_map(|(pattern, text)| Some((pattern.len(), fill(text, &holes(pattern, bare)?)?)))
        .max_by_key(|(len, _)| *len)
        .map_or_else(|| bare.to_string(), |(_, text)| text)
}

/// The values in the `{}` holes of `pattern` when `text` matches it.
fn holes<'a>(pattern: &str, text: &'a str) -> Option<Vec<&'a str>> {
    let pieces: Vec<&str> = pattern.split("{}").collect();
    let mut rest = text.strip_prefix(pieces[0])?;
    let mut values = Vec::new();
    for (i, piece) in pieces.iter().enumerate().skip(1) {
        let end = if i == pieces.len() - 1 {
            rest.strip_suffix(piece).map(str::len)?
        } else {
            rest.find(piece).filter(|_| !piece.is_empty())?
        };
        let value = &rest[..end];
        if value.is_empty() {
            return None;
        }
        values.push(value);
        rest = &rest[end + piece.len()..];
    }
    Some(values)
}

fn fill(template: &str, values: &[&str]) -> Option<String> {
    let mut out = String::new();
    let mut pieces = template.split("{}");
    out.push_str(pieces.next()?);
    for (piece, value) in pieces.zip(values.iter().chain(std::iter::repeat(&""))) {
        out.push_str(value);
        out.push_str(piece);
    }
    Some(out)
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

    /// The message literals of the use cases and domain rules (`invalid(…, "…")`,
    /// `e.add(…, "…")`, `conflict(…, "…")`, `unique_violation(…, "…")`, `message: "…"`),
    /// with `format!` arguments as `{}` holes. Each can reach a page beside a field.
    fn use_case_messages() -> std::collections::BTreeSet<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut paths = Vec::new();
        files(&root.join("../agora-app/src"), &mut paths);
        files(&root.join("../agora-domain/src"), &mut paths);
        let mut out = std::collections::BTreeSet::new();
        for path in paths.iter().filter(|p| p.extension().is_some_and(|e| e == "rs")) {
            let text = std::fs::read_to_string(path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            for call in ["invalid(", ".add(", "conflict(", "unique_violation(", "message: "] {
                for (at, _) in code.match_indices(call) {
                    let args = call_args(&code[at + call.len()..], call == "message: ");
                    if let Some(m) = args.and_then(last_literal) {
                        out.insert(m);
                    }
                }
            }
        }
        out
    }

    /// The text up to the call's closing parenthesis (or, for a field, the end of the value).
    fn call_args(rest: &str, field: bool) -> Option<&str> {
        let (mut depth, mut in_str, mut escaped) = (0i32, false, false);
        for (i, ch) in rest.char_indices() {
            match ch {
                _ if in_str && escaped => escaped = false,
                '\\' if in_str => escaped = true,
                '"' => in_str = !in_str,
                '(' | '{' | '[' if !in_str => depth += 1,
                ')' | '}' | ']' if !in_str && depth == 0 => return Some(&rest[..i]),
                ')' | '}' | ']' if !in_str => depth -= 1,
                ',' | ';' if !in_str && depth == 0 && field => return Some(&rest[..i]),
                _ => {}
            }
        }
        None
    }

    /// The last string literal of `args`, `{…}` placeholders as `{}`.
    fn last_literal(args: &str) -> Option<String> {
        let mut parts = args.split('"');
        parts.next();
        let literals: Vec<&str> = parts.step_by(2).collect();
        let last = literals.iter().rev().find(|l| l.contains(' ') && l.chars().any(char::is_alphabetic))?;
        let mut out = String::new();
        let mut hole = false;
        for ch in last.replace("{{", "\u{1}").replace("}}", "\u{2}").chars() {
            match ch {
                '{' => hole = true,
                '}' => {
                    hole = false;
                    out.push_str("{}");
                }
                _ if hole => {}
                _ => out.push(ch),
            }
        }
        Some(out.replace('\u{1}', "{").replace('\u{2}', "}").replace("\\'", "'"))
    }

    #[test]
    fn every_use_case_message_is_translated() {
        let messages = use_case_messages();
        assert!(messages.len() > 60, "found only {} messages: {messages:?}", messages.len());
        for locale in [Locale::ZhCn, Locale::ZhTw] {
            let c = catalog(locale).unwrap();
            let missing: Vec<&String> = messages.iter().filter(|m| !c.contains_key(&format!("msg.{m}"))).collect();
            assert!(
                missing.is_empty(),
                "{locale}: {} untranslated messages:\n{}",
                missing.len(),
                missing.iter().map(|m| format!("{m:?}")).collect::<Vec<_>>().join("\n")
            );
        }
    }

    #[test]
    fn messages_with_numbers_are_translated() {
        assert_eq!(holes("at most {} tags", "at most 30 tags"), Some(vec!["30"]));
        assert_eq!(
            holes("cannot {} an order that is {}", "cannot pay an order that is paid"),
            Some(vec!["pay", "paid"])
        );
        assert_eq!(holes("at most {} tags", "at most tags"), None);
        assert_eq!(message(Locale::ZhCn, "must be at most 40 characters"), "不能超过 40 个字符");
        assert_eq!(message(Locale::ZhTw, "must be 1 to 64 characters"), "須為 1 到 64 個字元");
        assert_eq!(message(Locale::ZhCn, "at most 30 tags"), "最多 30 个标签");
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
