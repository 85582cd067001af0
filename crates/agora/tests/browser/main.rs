//! Browser tests in real headless Chromium (Debian's `chromium` and `chromium-driver`,
//! installed by `.ci/browser-deps`). They run only with `AGORA_BROWSER_TESTS=1`; otherwise
//! this binary says it skipped them. Each scenario gets a fresh shop (SQLite) and a fresh
//! browser profile, and saves screenshots under `<target>/browser-screenshots/<scenario>/`.

mod admin;
mod driver;
#[allow(dead_code)]
#[path = "../it/orders/fixtures.rs"]
mod fixtures;
mod scenarios;
mod store;

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::time::Duration;

use futures_util::FutureExt;

use driver::Driver;

type Scenario = fn(&Driver) -> Pin<Box<dyn Future<Output = ()> + '_>>;

const SCENARIOS: [(&str, Scenario); 9] = [
    ("guest_buys_through_category_and_filter", |d| Box::pin(store::guest_buys_through_category_and_filter(d))),
    ("store_pages_fit_a_phone", |d| Box::pin(store::store_pages_fit_a_phone(d))),
    ("product_page_switches_to_chinese", |d| Box::pin(store::product_page_switches_to_chinese(d))),
    ("register_login_and_profile", |d| Box::pin(scenarios::register_login_and_profile(d))),
    ("language_switch_shows_chinese", |d| Box::pin(scenarios::language_switch_shows_chinese(d))),
    ("mobile_viewport_has_no_horizontal_scroll", |d| Box::pin(scenarios::mobile_viewport_has_no_horizontal_scroll(d))),
    ("admin_ships_order_with_tracking", |d| Box::pin(admin::admin_ships_order_with_tracking(d))),
    ("admin_dashboard_chart_and_mobile", |d| Box::pin(admin::admin_dashboard_chart_and_mobile(d))),
    ("admin_creates_product_with_sku_matrix", |d| Box::pin(admin::admin_creates_product_with_sku_matrix(d))),
];

fn main() {
    if std::env::var("AGORA_BROWSER_TESTS").as_deref() != Ok("1") {
        println!("browser tests skipped: set AGORA_BROWSER_TESTS=1 to run them (needs .ci/browser-deps)");
        return;
    }
    // `cargo test browser_name` passes a filter; flags such as --nocapture are ignored.
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(4).enable_all().build().expect("runtime");
    let failed = runtime.block_on(run(filter));
    if failed > 0 {
        std::process::exit(1);
    }
}

async fn run(filter: Option<String>) -> usize {
    let driver = Driver::start().await;
    println!("screenshots: {}", driver::screenshot_root().display());
    let chosen: Vec<_> =
        SCENARIOS.iter().filter(|(name, _)| filter.as_deref().is_none_or(|f| name.contains(f))).collect();
    let ran = chosen.len();
    println!("running {ran} browser tests");
    let mut failed = Vec::new();
    for (name, scenario) in chosen {
        let outcome =
            tokio::time::timeout(Duration::from_secs(120), AssertUnwindSafe(scenario(&driver)).catch_unwind()).await;
        let ok = matches!(outcome, Ok(Ok(())));
        println!("test {name} ... {}", if ok { "ok" } else { "FAILED" });
        if !ok {
            failed.push(*name);
        }
    }
    if !failed.is_empty() {
        println!("\nfailed browser tests: {}", failed.join(", "));
    }
    println!("screenshots: {}", driver::screenshot_root().display());
    println!("browser: {} passed, {} failed", ran - failed.len(), failed.len());
    failed.len()
}
