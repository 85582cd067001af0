//! Account pages: register, log in and out, profile, CSRF, validation, password, sessions.

use agora_testkit::TestApp;

use super::Web;

both_backends!(
    register_sets_cookie_and_shows_profile,
    csrf_missing_or_invalid_is_refused,
    validation_messages_beside_fields,
    login_logout_and_wrong_password,
    password_change_revokes_other_sessions,
    sessions_list_and_revoke,
    lockout_and_script_token
);

async fn register_sets_cookie_and_shows_profile(t: &TestApp) {
    let web = Web::new(t);
    let form = web.get("/account/register").await;
    let csrf_cookie = form.header("set-cookie").to_string();
    assert!(csrf_cookie.starts_with("agora_csrf=") && csrf_cookie.contains("HttpOnly"), "{csrf_cookie}");
    assert!(csrf_cookie.contains("SameSite=Lax") && !csrf_cookie.contains("Secure"), "{csrf_cookie}");
    let token = form.csrf();
    let r = web
        .post_raw(
            "/account/register",
            &[("_csrf", &token), ("email", "Lan@Example.cn"), ("password", "lantern-pass"), ("display_name", "兰 <b>")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.html);
    assert_eq!(r.location(), "/account");
    let set = r.header("set-cookie");
    assert!(set.starts_with("agora_session=") && set.contains("HttpOnly") && set.contains("SameSite=Lax"), "{set}");
    let profile = web.get("/account").await;
    assert_eq!(profile.status, 200, "{}", profile.html);
    profile.assert_secure_headers();
    assert!(profile.html.contains("lan@example.cn"), "{}", profile.html);
    assert!(profile.html.contains("兰 &#60;b&#62;"), "the name is escaped: {}", profile.html);
    assert!(profile.html.contains("My account"));
    // Logged in, the register and login pages lead to the account.
    assert_eq!(web.get("/account/login").await.location(), "/account");
    // The page session works for the JSON API too (same cookie).
    assert_eq!(t.count("customers").await, 1);
}

async fn csrf_missing_or_invalid_is_refused(t: &TestApp) {
    let web = Web::new(t);
    let fields = [("email", "x@y.cn"), ("password", "long enough pass")];
    // No cookie and no token.
    let r = web.post_raw("/account/register", &fields).await;
    assert_eq!(r.status, 403, "{}", r.html);
    r.assert_secure_headers();
    assert!(r.html.contains("Not allowed") && r.html.contains("did not come from this site"), "{}", r.html);
    // A cookie, but no token.
    web.get("/account/register").await;
    assert_eq!(web.post_raw("/account/register", &fields).await.status, 403);
    // A forged token.
    let mut forged = vec![("_csrf", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")];
    forged.extend_from_slice(&fields);
    assert_eq!(web.post_raw("/account/register", &forged).await.status, 403);
    // A valid token for another cookie.
    let token = web.get("/account/register").await.csrf();
    web.set_cookie("agora_csrf", &agora_app::crypto::new_token());
    let mut stolen = vec![("_csrf", token.as_str())];
    stolen.extend_from_slice(&fields);
    assert_eq!(web.post_raw("/account/register", &stolen).await.status, 403);
    // Logout and session revocation are forms too.
    assert_eq!(web.post_raw("/account/logout", &[]).await.status, 403);
    assert_eq!(t.count("customers").await, 0, "nothing was written");
    assert_eq!(t.count("sessions").await, 0);
    // With the right token it works.
    let r = web.submit("/account/register", "/account/register", &fields).await;
    assert_eq!(r.status, 303, "{}", r.html);
    assert_eq!(t.count("customers").await, 1);
}

async fn validation_messages_beside_fields(t: &TestApp) {
    let web = Web::new(t);
    let r = web
        .submit(
            "/account/register",
            "/account/register",
            &[("email", "not-an-email"), ("phone", "12"), ("password", "short"), ("display_name", "Mei")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.html);
    assert_eq!(r.field_error("email").as_deref(), Some("must contain &#39;@&#39;"), "{}", r.html);
    assert!(r.field_error("phone").is_some(), "{}", r.html);
    assert_eq!(r.field_error("password").as_deref(), Some("must be 8 to 128 characters"));
    assert_eq!(r.field_error("display_name"), None);
    assert_eq!(r.input_value("email").as_deref(), Some("not-an-email"));
    assert_eq!(r.input_value("phone").as_deref(), Some("12"));
    assert_eq!(r.input_value("display_name").as_deref(), Some("Mei"));
    assert_eq!(r.input_value("password"), None, "passwords are never sent back");
    assert!(!r.html.contains("short\""), "{}", r.html);
    assert!(r.html.contains("aria-invalid=\"true\" aria-describedby=\"email-error\""));
    assert_eq!(t.count("customers").await, 0);
    // In Chinese, the messages are Chinese.
    web.get("/?lang=zh-CN").await;
    let r = web.submit("/account/register", "/account/register", &[("email", ""), ("password", "")]).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.field_error("email").as_deref(), Some("请填写电子邮箱或手机号"), "{}", r.html);
    assert_eq!(r.field_error("password").as_deref(), Some("长度须为 8 到 128 个字符"));
    // A taken e-mail is shown beside the e-mail field.
    web.register("taken@example.cn").await;
    let web2 = Web::new(t);
    let r = web2
        .submit("/account/register", "/account/register", &[("email", "taken@example.cn"), ("password", "long enough")])
        .await;
    assert_eq!(r.status, 409);
    assert!(r.field_error("email").is_some(), "{}", r.html);
    assert_eq!(t.count("customers").await, 1);
}

async fn login_logout_and_wrong_password(t: &TestApp) {
    let web = Web::new(t);
    web.register("mei@example.cn").await;
    let r = web.post_raw("/account/logout", &[("_csrf", &web.get("/account").await.csrf())]).await;
    assert_eq!((r.status, r.location()), (303, "/"));
    assert!(web.cookie("agora_session").is_none(), "the session cookie is cleared");
    assert_eq!(web.get("/account").await.location(), "/account/login");
    let r = web
        .submit("/account/login", "/account/login", &[("identifier", "mei@example.cn"), ("password", "wrong-password")])
        .await;
    assert_eq!(r.status, 401);
    assert!(r.html.contains("is not correct"), "{}", r.html);
    assert_eq!(r.input_value("identifier").as_deref(), Some("mei@example.cn"));
    assert_eq!(r.input_value("password"), None);
    let r = web
        .submit(
            "/account/login",
            "/account/login",
            &[("identifier", "mei@example.cn"), ("password", "customer-pass-1")],
        )
        .await;
    assert_eq!((r.status, r.location()), (303, "/account"), "{}", r.html);
    let p = web.get("/account").await;
    assert!(p.html.contains("mei@example.cn"));
    // The revoked session of the first login no longer works.
    let active: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE revoked_at IS NULL")
        .fetch_one(t.app.db.reader())
        .await
        .unwrap();
    assert_eq!(active, 1);
}

async fn password_change_revokes_other_sessions(t: &TestApp) {
    let web = Web::new(t);
    web.register("pw@example.cn").await;
    let other = Web::new(t);
    let r = other
        .submit("/account/login", "/account/login", &[("identifier", "pw@example.cn"), ("password", "customer-pass-1")])
        .await;
    assert_eq!(r.status, 303);
    let sessions_before = t.count("sessions").await;
    // Wrong current password: message beside the field, nothing changes.
    let r = web
        .submit(
            "/account/password",
            "/account/password",
            &[("current_password", "not-my-password"), ("new_password", "brand-new-pass")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.html);
    assert_eq!(r.field_error("current_password").as_deref(), Some("is not correct"));
    let r = web
        .submit(
            "/account/password",
            "/account/password",
            &[("current_password", "customer-pass-1"), ("new_password", "x")],
        )
        .await;
    assert_eq!(r.field_error("new_password").as_deref(), Some("must be 8 to 128 characters"));
    assert_eq!(other.get("/account").await.status, 200, "the other device is still signed in");
    let r = web
        .submit(
            "/account/password",
            "/account/password",
            &[("current_password", "customer-pass-1"), ("new_password", "brand-new-pass")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.html);
    assert!(r.html.contains("Your password has been changed"));
    assert_eq!(t.count("sessions").await, sessions_before);
    assert_eq!(web.get("/account").await.status, 200, "this device stays signed in");
    assert_eq!(other.get("/account").await.location(), "/account/login", "the other device is signed out");
    let fresh = Web::new(t);
    let old = fresh
        .submit("/account/login", "/account/login", &[("identifier", "pw@example.cn"), ("password", "customer-pass-1")])
        .await;
    assert_eq!(old.status, 401);
    let new = fresh
        .submit("/account/login", "/account/login", &[("identifier", "pw@example.cn"), ("password", "brand-new-pass")])
        .await;
    assert_eq!(new.status, 303);
    // The API's endpoints are not pages: unauthenticated page requests never see problem+json.
    assert!(web.get("/account/password").await.header("content-type").starts_with("text/html"));
}

async fn sessions_list_and_revoke(t: &TestApp) {
    let web = Web::new(t);
    web.register("s@example.cn").await;
    let other = Web::new(t);
    other
        .submit("/account/login", "/account/login", &[("identifier", "s@example.cn"), ("password", "customer-pass-1")])
        .await;
    let page = web.get("/account/sessions").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.html.matches("data-session=").count(), 2, "{}", page.html);
    assert!(page.html.contains("This device"));
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM sessions ORDER BY id").fetch_all(t.app.db.reader()).await.unwrap();
    let other_id = ids[1];
    let r = web.post_raw(&format!("/account/sessions/{other_id}/revoke"), &[("_csrf", &page.csrf())]).await;
    assert_eq!((r.status, r.location()), (303, "/account/sessions"));
    assert_eq!(other.get("/account").await.location(), "/account/login");
    assert_eq!(web.get("/account/sessions").await.html.matches("data-session=").count(), 1);
    // Someone else's session is not found.
    let stranger = Web::new(t);
    stranger.register("z@example.cn").await;
    let token = stranger.get("/account/sessions").await.csrf();
    let r = stranger.post_raw(&format!("/account/sessions/{}/revoke", ids[0]), &[("_csrf", &token)]).await;
    assert_eq!(r.status, 404);
    assert!(r.html.contains("Page not found"));
    assert_eq!(web.get("/account").await.status, 200);
}

async fn lockout_and_script_token(t: &TestApp) {
    let web = Web::new(t);
    web.register("lock@example.cn").await;
    let first_session = web.cookie("agora_session").unwrap();
    // Logging in again replaces the browser's previous session.
    let token = web.get("/account").await.csrf();
    let fields = [("_csrf", token.as_str()), ("identifier", "lock@example.cn"), ("password", "customer-pass-1")];
    assert_eq!(web.post_raw("/account/login", &fields).await.status, 303);
    let second_session = web.cookie("agora_session").unwrap();
    assert_ne!(first_session, second_session);
    let active: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE revoked_at IS NULL")
        .fetch_one(t.app.db.reader())
        .await
        .unwrap();
    assert_eq!(active, 1, "the first session was revoked");
    let guest = Web::new(t);
    for _ in 0..5 {
        let r = guest
            .submit(
                "/account/login",
                "/account/login",
                &[("identifier", "lock@example.cn"), ("password", "wrong-pass")],
            )
            .await;
        assert_eq!(r.status, 401);
    }
    let r = guest
        .submit(
            "/account/login",
            "/account/login",
            &[("identifier", "lock@example.cn"), ("password", "customer-pass-1")],
        )
        .await;
    // Locked: the same answer as a wrong password, which names the lockout rule.
    assert_eq!(r.status, 401, "{}", r.html);
    assert!(r.html.contains("locked for 15 minutes"), "{}", r.html);
    assert_eq!(r.input_value("identifier").as_deref(), Some("lock@example.cn"));
    // Scripts may send the token in a header instead of a form field.
    let token = web.get("/account/sessions").await.csrf();
    let cookies = format!("agora_csrf={}; agora_session={second_session}", web.cookie("agora_csrf").unwrap());
    let url = format!("{}/account/logout", t.base_url);
    let r = t.client.raw().post(&url).header("cookie", &cookies).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 403, "no token");
    let r = t.client.raw().post(&url).header("cookie", &cookies).header("x-csrf-token", &token).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 303, "token in the header");
    assert_eq!(web.get("/account").await.location(), "/account/login", "logged out");
}
