//! Health, readiness, metrics, OpenAPI, unknown routes.

use agora_testkit::TestApp;

both_backends!(health_ready_metrics_docs);

async fn health_ready_metrics_docs(t: &TestApp) {
    let c = &t.client;
    assert_eq!(c.get("/healthz", None).await.status, 200);
    assert_eq!(c.get("/readyz", None).await.status, 200);
    let r = c.get("/api/v1/auth/me", None).await;
    assert!(r.header("x-request-id").is_some_and(|id| !id.is_empty()));
    // A client cannot choose the request id (it ends up in audit rows).
    let forged = c.send(c.raw().get(c.url("/api/v1/auth/me")).header("x-request-id", "forged-id")).await;
    assert!(forged.header("x-request-id").is_some_and(|id| !id.is_empty() && id != "forged-id"));
    let m = c.get("/metrics", None).await;
    assert_eq!(m.status, 200);
    assert!(
        m.text.contains("agora_http_requests_total{method=\"GET\",route=\"/api/v1/auth/me\",status=\"401\"} 2"),
        "{}",
        m.text
    );
    assert!(m.text.contains("agora_http_request_duration_seconds_bucket"));
    let doc = c.get("/api/openapi.json", None).await;
    assert_eq!(doc.status, 200);
    assert!(doc.body["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(doc.body["paths"]["/api/v1/auth/register"]["post"].is_object());
    assert_eq!(c.get("/api/docs", None).await.status, 200);
    c.get("/no/such/page", None).await.assert_problem(404, "not_found");
}
