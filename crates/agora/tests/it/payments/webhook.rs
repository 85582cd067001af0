//! The sandbox provider's signed notifications.

use agora_testkit::TestApp;
use serde_json::{Value, json};

use crate::orders::fixtures::{self, Who};

both_backends!(
    signature_and_staleness_rejected,
    duplicates_and_out_of_order_applied_once,
    notification_retried_until_acknowledged,
    partial_capture_refunded_when_the_order_times_out,
    paying_again_reuses_the_pending_payment
);

const HOOK: &str = "/api/v1/payments/webhooks/sandbox";

fn message(id: &str, kind: &str, reference: &str, amount: i64) -> Value {
    json!({"id": id, "type": kind, "data": {"payment_id": reference, "amount": amount, "currency": "CNY"}})
}

async fn pending_order(t: &TestApp) -> (i64, Who, String) {
    let sku = fixtures::sku(t, 1_000, 10).await;
    let method = fixtures::delivery(t).await;
    let cart = fixtures::cart(t, None, &[(sku, 1)], method, None).await;
    let (order, who) = fixtures::placed(t, &cart, None).await;
    let reference = fixtures::start_payment(t, order, &who).await;
    (order, who, reference)
}

async fn status(t: &TestApp, order: i64, who: &Who) -> Value {
    fixtures::get(t, &format!("/api/v1/orders/{order}"), who).await.body
}

async fn signature_and_staleness_rejected(t: &TestApp) {
    let (order, who, reference) = pending_order(t).await;
    let secret = t.app.settings.secrets.payment_webhook.clone();
    let body = message("m1", "payment.succeeded", &reference, 1_800);
    let now = t.app.now();
    let r = fixtures::signed_post(t, HOOK, "whsec_wrong", "m1", now, &body).await;
    r.assert_problem(401, "invalid_signature");
    // A valid signature over another body.
    let bytes = serde_json::to_vec(&body).unwrap();
    let h = agora_app::payments::signature::sign(&secret, "m1", now, b"{}");
    let req = t
        .client
        .raw()
        .post(t.client.url(HOOK))
        .header("content-type", "application/json")
        .header("webhook-id", h.id)
        .header("webhook-timestamp", h.timestamp)
        .header("webhook-signature", h.signature)
        .body(bytes);
    t.client.send(req).await.assert_problem(401, "invalid_signature");
    // Missing headers.
    t.client.post(HOOK, &body, None).await.assert_problem(401, "invalid_signature");
    let stale = now - t.app.settings.webhook_tolerance_ms - 60_000;
    fixtures::signed_post(t, HOOK, &secret, "m1", stale, &body).await.assert_problem(400, "stale_timestamp");
    let future = now + t.app.settings.webhook_tolerance_ms + 60_000;
    fixtures::signed_post(t, HOOK, &secret, "m1", future, &body).await.assert_problem(400, "stale_timestamp");
    assert_eq!(t.count("webhook_receipts").await, 0);
    assert_eq!(t.count("payment_ledger").await, 0);
    assert_eq!(status(t, order, &who).await["status"], "pending_payment");
    // The genuine delivery is accepted.
    let r = fixtures::signed_post(t, HOOK, &secret, "m1", now, &body).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(status(t, order, &who).await["status"], "paid");
}

async fn duplicates_and_out_of_order_applied_once(t: &TestApp) {
    let secret = t.app.settings.secrets.payment_webhook.clone();
    // Success, the same delivery again, then a late failure: paid once, nothing else.
    let (order, who, reference) = pending_order(t).await;
    let ok = message("a1", "payment.succeeded", &reference, 1_800);
    let r = fixtures::signed_post(t, HOOK, &secret, "a1", t.app.now(), &ok).await;
    assert_eq!((r.status, r.body["duplicate"].clone()), (200, json!(false)), "{}", r.text);
    let r = fixtures::signed_post(t, HOOK, &secret, "a1", t.app.now(), &ok).await;
    assert_eq!((r.status, r.body["duplicate"].clone()), (200, json!(true)), "{}", r.text);
    let r = fixtures::signed_post(
        t,
        HOOK,
        &secret,
        "a2",
        t.app.now(),
        &message("a2", "payment.succeeded", &reference, 1_800),
    )
    .await;
    assert_eq!(r.status, 200, "a second success for the same payment changes nothing");
    let r =
        fixtures::signed_post(t, HOOK, &secret, "a3", t.app.now(), &message("a3", "payment.failed", &reference, 1_800))
            .await;
    assert_eq!(r.status, 200);
    let body = status(t, order, &who).await;
    assert_eq!(body["status"], "paid");
    assert_eq!(body["paid_total"], 1_800);
    assert_eq!(fixtures::ledger_sum(t, order).await, 1_800);
    assert_eq!(t.count("payment_ledger").await, 1);
    let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM domain_events WHERE kind = 'payment.captured'")
        .fetch_one(t.app.db.reader())
        .await
        .unwrap();
    assert_eq!(events, 1);
    // Failure first, success later: the success still pays.
    let (order2, who2, reference2) = pending_order(t).await;
    let r = fixtures::signed_post(
        t,
        HOOK,
        &secret,
        "b1",
        t.app.now(),
        &message("b1", "payment.failed", &reference2, 1_800),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(status(t, order2, &who2).await["status"], "pending_payment");
    let r = fixtures::signed_post(
        t,
        HOOK,
        &secret,
        "b2",
        t.app.now(),
        &message("b2", "payment.succeeded", &reference2, 1_800),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(status(t, order2, &who2).await["status"], "paid");
    // Through the real sandbox: fail, then pay; both notifications are delivered in turn.
    let (order3, who3, reference3) = pending_order(t).await;
    assert_eq!(fixtures::sandbox(t, &reference3, "fail").await.status, 200);
    assert_eq!(fixtures::sandbox(t, &reference3, "succeed").await.status, 200);
    assert_eq!(fixtures::sandbox(t, &reference3, "succeed").await.status, 200, "paying twice sends nothing new");
    assert_eq!(t.run_jobs().await, 2);
    assert_eq!(status(t, order3, &who3).await["status"], "paid");
    assert_eq!(fixtures::ledger_sum(t, order3).await, 1_800);
    // Unknown payment: refused, and the delivery id is not burnt.
    let r =
        fixtures::signed_post(t, HOOK, &secret, "c1", t.app.now(), &message("c1", "payment.succeeded", "sbx_nope", 1))
            .await;
    r.assert_problem(404, "not_found");
    let receipts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM webhook_receipts WHERE event_id = 'c1'")
        .fetch_one(t.app.db.reader())
        .await
        .unwrap();
    assert_eq!(receipts, 0);
}

async fn notification_retried_until_acknowledged(t: &TestApp) {
    let (order, who, reference) = pending_order(t).await;
    // The first delivery goes to a wrong URL (nothing listens there).
    sqlx::query("UPDATE sandbox_payments SET notify_url = 'http://127.0.0.1:9/hook' WHERE id = $1")
        .bind(&reference)
        .execute(t.app.db.writer())
        .await
        .unwrap();
    assert_eq!(fixtures::sandbox(t, &reference, "succeed").await.status, 200);
    assert_eq!(t.run_jobs().await, 1);
    assert_eq!(status(t, order, &who).await["status"], "pending_payment");
    let (attempts, delivered): (i64, Option<i64>) =
        sqlx::query_as("SELECT attempts, delivered_at FROM sandbox_notifications WHERE payment_id = $1")
            .bind(&reference)
            .fetch_one(t.app.db.reader())
            .await
            .unwrap();
    assert_eq!((attempts, delivered), (1, None));
    // The second delivery reaches the shop but gets a non-2xx answer (404).
    sqlx::query("UPDATE sandbox_notifications SET notify_url = $1 WHERE payment_id = $2")
        .bind(format!("{}/api/v1/payments/webhooks/elsewhere", t.base_url))
        .bind(&reference)
        .execute(t.app.db.writer())
        .await
        .unwrap();
    assert_eq!(t.advance_and_run(agora_app::jobs::backoff_ms(1)).await, 1);
    assert_eq!(status(t, order, &who).await["status"], "pending_payment");
    // The wallet's endpoint is fixed; the retry waits for its backoff.
    let url = format!("{}/api/v1/payments/webhooks/sandbox", t.base_url);
    sqlx::query("UPDATE sandbox_notifications SET notify_url = $1 WHERE payment_id = $2")
        .bind(url)
        .bind(&reference)
        .execute(t.app.db.writer())
        .await
        .unwrap();
    assert_eq!(t.run_jobs().await, 0, "not due before the backoff");
    assert_eq!(t.advance_and_run(agora_app::jobs::backoff_ms(2) - 1_000).await, 0);
    assert_eq!(t.advance_and_run(1_000).await, 1);
    assert_eq!(status(t, order, &who).await["status"], "paid");
    let (attempts, delivered): (i64, Option<i64>) =
        sqlx::query_as("SELECT attempts, delivered_at FROM sandbox_notifications WHERE payment_id = $1")
            .bind(&reference)
            .fetch_one(t.app.db.reader())
            .await
            .unwrap();
    assert_eq!(attempts, 3);
    assert!(delivered.is_some());
    assert_eq!(agora_app::jobs::pending_count(&t.app).await.unwrap(), 1, "only the payment-timeout job is left");
}

async fn partial_capture_refunded_when_the_order_times_out(t: &TestApp) {
    let (order, who, reference) = pending_order(t).await;
    // The wallet collected only part of the amount.
    for sql in [
        "UPDATE payments SET amount = 500 WHERE provider_ref = $1",
        "UPDATE sandbox_payments SET amount = 500 WHERE id = $1",
    ] {
        sqlx::query(sql).bind(&reference).execute(t.app.db.writer()).await.unwrap();
    }
    assert_eq!(fixtures::sandbox(t, &reference, "succeed").await.status, 200);
    t.run_jobs().await;
    let body = status(t, order, &who).await;
    assert_eq!((body["status"].clone(), body["paid_total"].clone()), (json!("pending_payment"), json!(500)));
    t.advance_and_run(t.app.settings.payment_timeout_ms).await;
    let body = status(t, order, &who).await;
    assert_eq!(body["status"], "cancelled");
    assert_eq!(body["refunded_total"], 500);
    assert_eq!(fixtures::ledger_sum(t, order).await, 0);
}

async fn paying_again_reuses_the_pending_payment(t: &TestApp) {
    let (order, who, reference) = pending_order(t).await;
    assert_eq!(fixtures::start_payment(t, order, &who).await, reference, "the same payment again");
    assert_eq!((t.count("payments").await, t.count("sandbox_payments").await), (1, 1));
    // Once that payment has failed, paying opens a new one.
    let secret = t.app.settings.secrets.payment_webhook.clone();
    let failed = message("f1", "payment.failed", &reference, 1_800);
    assert_eq!(fixtures::signed_post(t, HOOK, &secret, "f1", t.app.now(), &failed).await.status, 200);
    assert_ne!(fixtures::start_payment(t, order, &who).await, reference);
    assert_eq!(t.count("payments").await, 2);
}
