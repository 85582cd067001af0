//! The demo shop loaded by `agora demo` into an empty database: a category tree with
//! products in three languages, SKUs by colour and size, stock in two warehouses, shipping
//! methods and a pickup point, customers, and orders in every state.
//!
//! Everything goes through the same use cases as the API (audited as the demo admin), so
//! the demo data obeys every rule the shop enforces. Orders are paid through the sandbox
//! wallet, whose notifications reach the shop's webhook over HTTP: the server must already
//! be serving at `settings.public_url` when [`load_orders`] runs.

mod catalog;
pub mod content;
mod orders;
pub mod rng;

use crate::App;
use crate::audit::Actor;
use crate::auth::{self, NewStaff};
use crate::error::AppResult;

/// The admin login printed for the demo.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub email: String,
    pub password: String,
}

const DEMO_ADMIN_EMAIL: &str = "admin@demo.agora.shop";
const DEMO_ADMIN_PASSWORD: &str = "agora-demo-admin";
/// Password of every demo customer (customer01@demo.agora.shop …).
pub const DEMO_CUSTOMER_PASSWORD: &str = "agora-demo-customer";
const SEED: u64 = 20_261_122;

/// What a fresh demo load created, for the caller to report.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub categories: usize,
    pub products: usize,
    pub skus: usize,
    pub customers: usize,
    pub orders: usize,
}

/// The demo admin's login; creates the account and the catalog when the shop has no staff
/// yet. Returns what was loaded (None when the shop already had data).
pub async fn load_if_empty(app: &App) -> AppResult<(DemoLogin, Option<(Actor, Loaded)>)> {
    let login = DemoLogin { email: DEMO_ADMIN_EMAIL.into(), password: DEMO_ADMIN_PASSWORD.into() };
    let staff: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM staff").fetch_one(app.db.reader()).await?;
    if staff > 0 {
        return Ok((login, None));
    }
    let admin = NewStaff {
        email: DEMO_ADMIN_EMAIL.into(),
        password: DEMO_ADMIN_PASSWORD.into(),
        display_name: "Demo admin".into(),
        role: "admin".into(),
    };
    let member = auth::create_staff(app, &admin, None).await?;
    let actor = Actor { staff_id: member.id, request_id: "demo-load".into() };
    let mut rng = rng::Rng::new(SEED);
    let mut loaded = Loaded::default();
    catalog::load(app, &actor, &mut rng, &mut loaded).await?;
    loaded.customers = orders::customers(app, 20).await?;
    Ok((login, Some((actor, loaded))))
}

/// Places and advances the demo's orders (needs the server to be serving).
pub async fn load_orders(app: &App, actor: &Actor, loaded: &mut Loaded) -> AppResult<()> {
    let mut rng = rng::Rng::new(SEED ^ 0xA60A);
    loaded.orders = orders::load(app, actor, &mut rng, loaded.customers).await?;
    Ok(())
}
