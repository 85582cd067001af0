//! What a shopper does in a real browser.

use std::time::Duration;

use fantoccini::Locator;
use serde_json::Value;

use crate::driver::{Browser, Driver, shop};

pub const WAIT: Duration = Duration::from_secs(15);

pub async fn fill(b: &Browser, css: &str, text: &str) {
    let input = b.client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"));
    input.clear().await.expect("clear");
    input.send_keys(text).await.expect("type");
}

pub async fn click(b: &Browser, css: &str) {
    b.client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).click().await.expect("click");
}

pub async fn wait_for(b: &Browser, css: &str) -> fantoccini::elements::Element {
    b.client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("waiting for {css}: {e}"))
}

pub async fn js(b: &Browser, script: &str) -> Value {
    b.client.execute(script, Vec::new()).await.expect("script")
}

pub async fn path(b: &Browser) -> String {
    b.client.current_url().await.expect("url").path().to_string()
}

/// Register through the form, see the profile, log out, log in again through the form.
pub async fn register_login_and_profile(d: &Driver) {
    let t = shop().await;
    let mut b = d.browser(false).await;
    b.screenshots("register_login_and_profile");
    b.client.goto(&format!("{}/", t.base_url)).await.expect("home");
    b.shot("home").await;
    click(&b, "[data-testid=account-link]").await;
    wait_for(&b, "form[action='/account/login']").await;
    click(&b, "a[href='/account/register']").await;
    wait_for(&b, "form[action='/account/register']").await;
    // First a mistake: the message appears beside the field and the value is kept.
    fill(&b, "#email", "browser-shopper").await;
    fill(&b, "#password", "short").await;
    click(&b, "form[action='/account/register'] button[type=submit]").await;
    let error = wait_for(&b, "#email-error").await;
    assert!(error.text().await.expect("text").contains('@'));
    let kept = b.client.find(Locator::Css("#email")).await.expect("email").prop("value").await.expect("value");
    assert_eq!(kept.as_deref(), Some("browser-shopper"));
    b.shot("register-errors").await;
    fill(&b, "#email", "browser@example.cn").await;
    fill(&b, "#password", "browser-pass-1").await;
    fill(&b, "#display_name", "Browser Shopper").await;
    b.shot("register-filled").await;
    click(&b, "form[action='/account/register'] button[type=submit]").await;
    let profile = wait_for(&b, "[data-testid=profile]").await;
    assert_eq!(path(&b).await, "/account");
    assert!(profile.text().await.expect("text").contains("browser@example.cn"));
    b.shot("profile-after-register").await;
    // Log out, then log in through the form.
    click(&b, "form[action='/account/logout'] button").await;
    wait_for(&b, "a[href='/account/login'][data-testid=account-link]").await;
    b.shot("logged-out").await;
    b.client.goto(&format!("{}/account/login", t.base_url)).await.expect("login page");
    fill(&b, "#identifier", "browser@example.cn").await;
    fill(&b, "#password", "browser-pass-1").await;
    click(&b, "form[action='/account/login'] button[type=submit]").await;
    let profile = wait_for(&b, "[data-testid=profile]").await;
    let text = profile.text().await.expect("text");
    assert!(text.contains("browser@example.cn") && text.contains("Browser Shopper"), "{text}");
    b.shot("profile-after-login").await;
    b.close().await;
}

/// The language switcher turns the interface Chinese and the choice sticks.
pub async fn language_switch_shows_chinese(d: &Driver) {
    let t = shop().await;
    let mut b = d.browser(false).await;
    b.screenshots("language_switch_shows_chinese");
    b.client.goto(&format!("{}/account/login", t.base_url)).await.expect("login page");
    assert_eq!(js(&b, "return document.documentElement.lang").await, "en");
    b.shot("english").await;
    click(&b, "a[data-lang='zh-CN']").await;
    b.client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("html[lang='zh-CN']"))
        .await
        .expect("the page turns Simplified Chinese");
    assert_eq!(path(&b).await, "/account/login", "the switch stays on the same page");
    let body = b.client.find(Locator::Css("main")).await.expect("main").text().await.expect("text");
    assert!(body.contains("登录") && body.contains("电子邮箱或手机号"), "{body}");
    b.shot("simplified-chinese").await;
    // The choice is remembered on the next page.
    b.client.goto(&format!("{}/", t.base_url)).await.expect("home");
    assert_eq!(js(&b, "return document.documentElement.lang").await, "zh-CN");
    let home = b.client.find(Locator::Css("main")).await.expect("main").text().await.expect("text");
    assert!(home.contains("新品上架"), "{home}");
    click(&b, "a[data-lang='zh-TW']").await;
    wait_for(&b, "html[lang='zh-TW']").await;
    let home = b.client.find(Locator::Css("main")).await.expect("main").text().await.expect("text");
    assert!(home.contains("熱銷排行"), "{home}");
    b.shot("traditional-chinese").await;
    b.close().await;
}

/// At 375×812 the pages fit the screen: nothing scrolls sideways.
pub async fn mobile_viewport_has_no_horizontal_scroll(d: &Driver) {
    let t = shop().await;
    let mut b = d.browser(true).await;
    b.screenshots("mobile_viewport_has_no_horizontal_scroll");
    for (name, page) in [
        ("home", "/"),
        ("login", "/account/login"),
        ("register", "/account/register"),
        ("home-zh", "/?lang=zh-CN"),
        ("admin-login-zh", "/admin/login"),
    ] {
        b.client.goto(&format!("{}{page}", t.base_url)).await.expect("page");
        let sizes = js(&b, "return [document.documentElement.scrollWidth, window.innerWidth]").await;
        let (scroll, inner) = (sizes[0].as_i64().expect("scrollWidth"), sizes[1].as_i64().expect("innerWidth"));
        assert_eq!(inner, 375, "the viewport is 375 px wide");
        assert!(scroll <= inner, "{page}: scrollWidth {scroll} > innerWidth {inner}");
        b.shot(name).await;
    }
    b.close().await;
}
