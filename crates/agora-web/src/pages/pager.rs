//! "Previous page" and "next page" links of cursor-paged lists (storefront and console).
//! Cursors only lead forward, so each link also carries `back`: the cursors of the pages
//! before it, `.`-joined, the first page being the empty cursor (cursors are base64url and
//! never contain a `.`). A page reached without `back` links back to the first page.

/// The two links of a list page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pager {
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    /// `filters` are the list's own query pairs (blank ones are left out); `cursor` and
    /// `back` are the current page's; `next_cursor` comes from the use case.
    pub fn new(
        base: &str,
        filters: &[(&str, &str)],
        cursor: Option<&str>,
        back: Option<&str>,
        next_cursor: Option<&str>,
    ) -> Pager {
        Pager::named(base, ("cursor", "back"), filters, cursor, back, next_cursor)
    }

    /// As [`Pager::new`] for a second list on one page: its cursor and back parameters
    /// are called `names` (the other list's ones go in `filters`).
    pub fn named(
        base: &str,
        names: (&str, &str),
        filters: &[(&str, &str)],
        cursor: Option<&str>,
        back: Option<&str>,
        next_cursor: Option<&str>,
    ) -> Pager {
        let href = |cursor: Option<&str>, back: Option<&str>| {
            let mut q = form_urlencoded::Serializer::new(String::new());
            for (k, v) in filters.iter().filter(|(_, v)| !v.is_empty()) {
                q.append_pair(k, v);
            }
            if let Some(c) = cursor {
                q.append_pair(names.0, c);
            }
            if let Some(b) = back {
                q.append_pair(names.1, b);
            }
            let q = q.finish();
            if q.is_empty() { base.to_string() } else { format!("{base}?{q}") }
        };
        let cursor = cursor.filter(|c| !c.is_empty());
        // The cursors of the earlier pages, the first page ("") first.
        let trail: Vec<&str> = match cursor {
            None => Vec::new(),
            Some(_) => back.unwrap_or_default().split('.').collect(),
        };
        let prev = trail.split_last().map(|(last, rest)| match *last {
            "" => href(None, None),
            c => href(Some(c), Some(&rest.join("."))),
        });
        let next = next_cursor.map(|n| {
            let back = cursor.map_or(String::new(), |c| [trail.as_slice(), &[c]].concat().join("."));
            href(Some(n), Some(&back))
        });
        Pager { prev, next }
    }
}

#[cfg(test)]
mod tests {
    use super::Pager;

    fn follow(href: &str) -> (Option<String>, Option<String>) {
        let q = href.split_once('?').map_or("", |(_, q)| q);
        let get = |name: &str| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.into());
        (get("cursor"), get("back"))
    }

    #[test]
    fn walking_forward_then_back_returns_to_each_page() {
        let f = [("status", "paid"), ("q", "a&b"), ("empty", "")];
        let first = Pager::new("/admin/orders", &f, None, None, Some("c2"));
        assert_eq!(first.prev, None);
        let next = first.next.unwrap();
        assert_eq!(next, "/admin/orders?status=paid&q=a%26b&cursor=c2&back=");
        let (c, b) = follow(&next);
        let second = Pager::new("/admin/orders", &f, c.as_deref(), b.as_deref(), Some("c3"));
        assert_eq!(second.prev.as_deref(), Some("/admin/orders?status=paid&q=a%26b"));
        let (c, b) = follow(second.next.as_deref().unwrap());
        let third = Pager::new("/admin/orders", &f, c.as_deref(), b.as_deref(), Some("c4"));
        let (c, b) = follow(third.next.as_deref().unwrap());
        let fourth = Pager::new("/admin/orders", &f, c.as_deref(), b.as_deref(), None);
        assert_eq!(fourth.next, None);
        // Back from the fourth page is the third, and from there the second.
        let (c, b) = follow(fourth.prev.as_deref().unwrap());
        assert_eq!(c.as_deref(), Some("c3"));
        let third_again = Pager::new("/admin/orders", &f, c.as_deref(), b.as_deref(), Some("c4"));
        assert_eq!(third_again, third);
        assert_eq!(follow(third.prev.as_deref().unwrap()).0.as_deref(), Some("c2"));
    }

    #[test]
    fn a_page_without_back_links_to_the_first() {
        let p = Pager::new("/x", &[], Some("c9"), None, None);
        assert_eq!(p.prev.as_deref(), Some("/x"));
        assert_eq!(p.next, None);
    }
}
