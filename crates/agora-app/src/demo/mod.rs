//! The demo shop loaded by `agora demo` on first run.

pub mod content;
pub mod rng;

use crate::App;
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

/// Loads the demo data unless the shop already has staff; returns the admin login.
pub async fn load_if_empty(app: &App) -> AppResult<DemoLogin> {
    let staff: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM staff").fetch_one(app.db.reader()).await?;
    if staff == 0 {
        let admin = NewStaff {
            email: DEMO_ADMIN_EMAIL.into(),
            password: DEMO_ADMIN_PASSWORD.into(),
            display_name: "Demo admin".into(),
            role: "admin".into(),
        };
        auth::create_staff(app, &admin, None).await?;
    }
    Ok(DemoLogin { email: DEMO_ADMIN_EMAIL.into(), password: DEMO_ADMIN_PASSWORD.into() })
}
