//! Customer registration, login, sessions, lockout.

use agora_testkit::TestApp;
use serde_json::json;

both_backends!(register_login_logout, duplicate_and_bad_registration, sessions_list_and_revoke, lockout_after_failures);

async fn register_login_logout(t: &TestApp) {
    let c = &t.client;
    let r =
        c.post("/api/v1/auth/register", &json!({"email": "Mei@Example.com", "password": "correct horse"}), None).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["account"]["email"], "mei@example.com");
    let r = c
        .post("/api/v1/auth/login", &json!({"identifier": "mei@example.com", "password": "correct horse"}), None)
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let token = r.body["token"].as_str().unwrap().to_string();
    let me = c.get("/api/v1/auth/me", Some(&token)).await;
    assert_eq!(me.status, 200);
    assert_eq!(me.body["email"], "mei@example.com");
    // The session cookie authenticates API reads only; a change needs the bearer header
    // (a cross-site form would carry the cookie).
    let cookie = format!("agora_session={token}");
    let read = c.send(c.raw().get(c.url("/api/v1/auth/me")).header("cookie", &cookie)).await;
    assert_eq!(read.status, 200, "{}", read.text);
    let write = c.raw().post(c.url("/api/v1/auth/logout")).header("cookie", &cookie).json(&json!({}));
    c.send(write).await.assert_problem(401, "unauthenticated");
    assert_eq!(c.get("/api/v1/auth/me", Some(&token)).await.status, 200, "still logged in");
    c.post_raw("/api/v1/auth/register", "text/plain+json", b"{}".to_vec(), None)
        .await
        .assert_problem(415, "unsupported_media_type");
    assert_eq!(c.post("/api/v1/auth/logout", &json!({}), Some(&token)).await.status, 204);
    c.get("/api/v1/auth/me", Some(&token)).await.assert_problem(401, "unauthenticated");
    c.get("/api/v1/auth/me", None).await.assert_problem(401, "unauthenticated");
    // Tokens are stored hashed: the raw token never appears in the database.
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE token_hash = $1")
        .bind(&token)
        .fetch_one(t.app.db.reader())
        .await
        .unwrap();
    assert_eq!(stored, 0);
    // Phone registration and login with a Chinese mobile number.
    let r = c.post("/api/v1/auth/register", &json!({"phone": "138 0013 8000", "password": "another pass"}), None).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["account"]["phone"], "+8613800138000");
    let r = c.post("/api/v1/auth/login", &json!({"identifier": "13800138000", "password": "another pass"}), None).await;
    assert_eq!(r.status, 200, "{}", r.text);
}

async fn duplicate_and_bad_registration(t: &TestApp) {
    let c = &t.client;
    let ok = json!({"email": "a@b.cn", "password": "long enough"});
    assert_eq!(c.post("/api/v1/auth/register", &ok, None).await.status, 201);
    c.post("/api/v1/auth/register", &ok, None).await.assert_problem(409, "account_exists");
    let before = t.count("customers").await;
    let r = c.post("/api/v1/auth/register", &json!({"email": "not-an-email", "password": "short"}), None).await;
    r.assert_problem(422, "validation_failed");
    assert!(r.names_field("email") && r.names_field("password"), "{}", r.text);
    let r = c.post("/api/v1/auth/register", &json!({"password": "long enough"}), None).await;
    r.assert_problem(422, "validation_failed");
    let r = c.post("/api/v1/auth/register", &json!({"email": 5, "password": "long enough"}), None).await;
    r.assert_problem(422, "validation_failed");
    assert!(r.names_field("email"), "{}", r.text);
    let r = c.post("/api/v1/auth/register", &json!({"email": "x@y.cn"}), None).await;
    assert!(r.names_field("password"), "{}", r.text);
    c.post_raw("/api/v1/auth/register", "application/json", b"{\"email\":".to_vec(), None)
        .await
        .assert_problem(400, "malformed_json");
    c.post_raw("/api/v1/auth/register", "text/plain", b"hi".to_vec(), None)
        .await
        .assert_problem(415, "unsupported_media_type");
    let long = "x".repeat(300) + "@example.com";
    c.post("/api/v1/auth/register", &json!({"email": long, "password": "long enough"}), None)
        .await
        .assert_problem(422, "validation_failed");
    let huge = vec![b' '; 2 * 1024 * 1024];
    let r = c.post_raw("/api/v1/auth/register", "application/json", huge, None).await;
    assert_eq!(r.status, 413, "{}", r.text);
    assert_eq!(t.count("customers").await, before, "failed requests wrote nothing");
}

async fn sessions_list_and_revoke(t: &TestApp) {
    let c = &t.client;
    c.post("/api/v1/auth/register", &json!({"email": "s@s.cn", "password": "long enough"}), None).await;
    let login = || async {
        c.post("/api/v1/auth/login", &json!({"identifier": "s@s.cn", "password": "long enough"}), None).await.body["token"].as_str().unwrap().to_string()
    };
    let a = login().await;
    let b = login().await;
    let list = c.get("/api/v1/auth/sessions", Some(&a)).await;
    assert_eq!(list.body.as_array().unwrap().len(), 3);
    let b_id = c
        .get("/api/v1/auth/sessions", Some(&b))
        .await
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["current"] == true)
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(c.delete(&format!("/api/v1/auth/sessions/{b_id}"), Some(&a)).await.status, 204);
    c.get("/api/v1/auth/me", Some(&b)).await.assert_problem(401, "unauthenticated");
    // Another customer cannot revoke someone else's session.
    let (_, other) = t.customer().await;
    let a_id = c.get("/api/v1/auth/sessions", Some(&a)).await.body[0]["id"].as_i64().unwrap();
    c.delete(&format!("/api/v1/auth/sessions/{a_id}"), Some(&other)).await.assert_problem(404, "not_found");
    assert_eq!(c.get("/api/v1/auth/me", Some(&a)).await.status, 200);
}

async fn lockout_after_failures(t: &TestApp) {
    let c = &t.client;
    c.post("/api/v1/auth/register", &json!({"email": "l@l.cn", "password": "right password"}), None).await;
    for _ in 0..5 {
        c.post("/api/v1/auth/login", &json!({"identifier": "l@l.cn", "password": "wrong password"}), None)
            .await
            .assert_problem(401, "invalid_credentials");
    }
    // Locked now, even with the right password, and answering exactly like an unknown
    // account would (no hint that this e-mail has an account).
    let locked =
        c.post("/api/v1/auth/login", &json!({"identifier": "l@l.cn", "password": "right password"}), None).await;
    locked.assert_problem(401, "invalid_credentials");
    let unknown =
        c.post("/api/v1/auth/login", &json!({"identifier": "n@l.cn", "password": "right password"}), None).await;
    assert_eq!((unknown.status, &unknown.body["detail"]), (locked.status, &locked.body["detail"]));
    t.clock.advance_ms(16 * 60_000);
    assert_eq!(
        c.post("/api/v1/auth/login", &json!({"identifier": "l@l.cn", "password": "right password"}), None).await.status,
        200
    );
}
