//! Assembles every feature's routes, the OpenAPI document and the middleware stack.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use agora_app::App;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, Request, StatusCode};
use tower_http::request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_scalar::{Scalar, Servable};

use crate::error::problem;
use crate::metrics::Metrics;
use crate::state::AppState;

/// Largest JSON body accepted (image uploads have their own, larger limit).
pub const BODY_LIMIT: usize = 256 * 1024;

#[derive(OpenApi)]
#[openapi(
    info(title = "Agora API", description = "Agora social-commerce platform: JSON API. Errors are RFC 9457 problem+json with a stable `code`."),
    tags(
        (name = "auth", description = "Customer accounts and sessions"),
        (name = "staff", description = "Staff accounts, roles and the audit log"),
        (name = "inventory", description = "Warehouses, stock levels, the stock ledger, low-stock alerts and availability"),
        (name = "cart", description = "Carts, address book, shipping methods and pickup locations"),
        (name = "orders", description = "Placing orders, order views, cancellation and confirmation"),
        (name = "payments", description = "Payments, the sandbox wallet, provider webhooks, refunds and the ledger"),
        (name = "fulfilment", description = "Shipments, tracking, the carrier webhook and store pickup"),
        (name = "catalog", description = "Categories, product listing and detail, media files"),
        (name = "catalog-admin", description = "Catalog administration: categories, products, SKUs, images, lifecycle"),
        (name = "banners", description = "Home-page banners: staff management and what the home page shows"),
    )
)]
struct ApiDoc;

/// Request ids: a per-process random prefix and a counter.
#[derive(Clone)]
struct RequestIds {
    prefix: Arc<str>,
    next: Arc<AtomicU64>,
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _request: &Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{}-{n:x}", self.prefix)).ok().map(RequestId::new)
    }
}

/// All API routes with their OpenAPI description.
fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(crate::auth::api::routes())
        .merge(crate::inventory::api::routes())
        .merge(crate::cart::api::routes())
        .merge(crate::orders::api::routes())
        .merge(crate::payments::api::routes())
        .merge(crate::fulfilment::api::routes())
        .merge(crate::catalog::api::routes())
        .merge(crate::catalog::admin::routes())
        .merge(crate::catalog::media::routes())
        .merge(crate::banners::routes())
}

/// The OpenAPI document of the whole API.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api().split_for_parts().1
}

/// Builds the complete application router for `app`.
pub fn build_router(app: App) -> Router {
    let state = AppState { app, metrics: Arc::new(Metrics::default()) };
    let (api_router, doc) = api().split_for_parts();
    let doc_json = Arc::new(doc.to_json().unwrap_or_default());
    let ids = RequestIds { prefix: agora_app::crypto::random_code(6).into(), next: Arc::new(AtomicU64::new(1)) };
    let request_id_header = axum::http::HeaderName::from_static("x-request-id");
    let not_found_page = crate::pages::not_found_page(state.clone());
    Router::new()
        .merge(api_router)
        .merge(crate::ops::routes())
        .merge(crate::pages::routes(state.clone()))
        .route(
            "/api/openapi.json",
            axum::routing::get(move || {
                let doc = doc_json.clone();
                async move { ([(axum::http::header::CONTENT_TYPE, "application/json")], doc.to_string()) }
            }),
        )
        .merge(Scalar::with_url("/api/docs", doc))
        .fallback(move |req: axum::extract::Request| not_found(not_found_page.clone(), req))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::metrics::track))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default();
            // The route template, not the path: paths carry cart tokens and other secrets.
            let route = req.extensions().get::<axum::extract::MatchedPath>().map_or("unmatched", |p| p.as_str());
            tracing::info_span!("request", method = %req.method(), route = %route, request_id = %id)
        }))
        .layer(PropagateRequestIdLayer::new(request_id_header.clone()))
        .layer(SetRequestIdLayer::new(request_id_header, ids))
        // Request ids are ours: a client-sent one would otherwise end up in the audit log.
        .layer(axum::middleware::map_request(strip_client_request_id))
        .with_state(state)
}

async fn strip_client_request_id(mut req: axum::extract::Request) -> axum::extract::Request {
    req.headers_mut().remove("x-request-id");
    req
}

/// Unknown paths: the HTML 404 page for browsers, problem+json for everyone else.
async fn not_found(page: Router, req: axum::extract::Request) -> axum::response::Response {
    use axum::response::IntoResponse;
    use tower::ServiceExt;
    if crate::pages::wants_html(&req) {
        return page.oneshot(req).await.into_response();
    }
    problem(StatusCode::NOT_FOUND, "not_found", "no such resource".into(), Vec::new())
}

/// Serves `app` on `listener` until `shutdown` resolves, then finishes in-flight requests.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: App,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let router = build_router(app);
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}
