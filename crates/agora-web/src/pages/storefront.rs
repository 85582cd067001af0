//! Storefront pages: home, search, cart. Product data arrives with the catalog; the
//! templates already loop over it.

use askama::Template;

use super::ctx::{Ctx, PageResult, page};
use axum::extract::RawQuery;

/// A product tile on a shelf.
pub struct Card {
    pub name: String,
    pub href: String,
    pub price: Option<String>,
    pub image_url: Option<String>,
}

/// A banner managed in the admin.
pub struct Banner {
    pub href: String,
    pub image_url: String,
    pub alt: String,
}

/// A titled row of product tiles.
pub struct Shelf<'a> {
    pub id: &'static str,
    pub title: &'static str,
    pub cards: &'a [Card],
}

/// What the home page shows.
#[derive(Default)]
pub struct Home {
    pub banners: Vec<Banner>,
    pub new_arrivals: Vec<Card>,
    pub bestsellers: Vec<Card>,
    pub categories: Vec<Card>,
}

impl Home {
    pub fn sections(&self) -> Vec<Shelf<'_>> {
        vec![
            Shelf { id: "new", title: "home.new_arrivals", cards: &self.new_arrivals },
            Shelf { id: "best", title: "home.bestsellers", cards: &self.bestsellers },
            Shelf { id: "categories", title: "home.categories", cards: &self.categories },
        ]
    }
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    ctx: Ctx,
    home: Home,
}

pub async fn home(ctx: Ctx) -> PageResult {
    page(&HomePage { ctx, home: Home::default() })
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    ctx: Ctx,
    query: String,
}

pub async fn search(ctx: Ctx, RawQuery(raw): RawQuery) -> PageResult {
    let raw = raw.unwrap_or_default();
    let q = form_urlencoded::parse(raw.as_bytes()).find(|(k, _)| k == "q").map(|(_, v)| v.into_owned());
    let query: String = q.unwrap_or_default().trim().chars().take(200).collect();
    page(&SearchPage { ctx, query })
}

#[derive(Template)]
#[template(path = "cart.html")]
struct CartPage {
    ctx: Ctx,
}

pub async fn cart(ctx: Ctx) -> PageResult {
    page(&CartPage { ctx })
}
