//! Catalog administration under `/api/v1/admin/…` (permission ManageCatalog; every write audited).

use agora_app::AppError;
use agora_app::catalog::categories::{self, CategoryPatch, NewCategory};
use agora_app::catalog::images::{self, ImageOrder};
use agora_app::catalog::lifecycle::{self, BulkAction};
use agora_app::catalog::products::{self, AdminQuery, NewProduct, ProductPatch};
use agora_app::catalog::skus::{self, Matrix, NewSku, SkuPatch};
use agora_app::catalog::{Category, Product, ProductSummary};
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, problem};
use crate::extract::{ManageCatalog, Staff};
use crate::input::{Json, Path, Query};
use crate::state::AppState;

type Admin = Staff<ManageCatalog>;
type Created<T> = (StatusCode, axum::Json<T>);

pub fn routes() -> OpenApiRouter<AppState> {
    let uploads =
        OpenApiRouter::new().routes(routes!(image_upload)).layer(DefaultBodyLimit::max(images::MAX_BYTES + 64 * 1024));
    OpenApiRouter::new()
        .routes(routes!(category_create))
        .routes(routes!(category_update, category_delete))
        .routes(routes!(product_list, product_create))
        .routes(routes!(product_get, product_update))
        .routes(routes!(skus_generate))
        .routes(routes!(sku_add))
        .routes(routes!(sku_update, sku_remove))
        .routes(routes!(image_order))
        .routes(routes!(image_update, image_delete))
        .routes(routes!(publish))
        .routes(routes!(delist))
        .routes(routes!(bulk_status))
        .merge(uploads)
}

/// Create a category.
#[utoipa::path(post, path = "/api/v1/admin/categories", tag = "catalog-admin", request_body = NewCategory,
    responses((status = 201, body = Category), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn category_create(
    State(state): State<AppState>,
    s: Admin,
    Json(body): Json<NewCategory>,
) -> ApiResult<Created<Category>> {
    Ok((StatusCode::CREATED, axum::Json(categories::create(&state.app, &s.actor, &body).await?)))
}

/// Update a category; `parent_id` moves it (cycles are refused with 409).
#[utoipa::path(patch, path = "/api/v1/admin/categories/{id}", tag = "catalog-admin", params(("id" = i64, Path)),
    request_body = CategoryPatch,
    responses((status = 200, body = Category), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
async fn category_update(
    State(state): State<AppState>,
    s: Admin,
    Path(id): Path<i64>,
    Json(body): Json<CategoryPatch>,
) -> ApiResult<axum::Json<Category>> {
    Ok(axum::Json(categories::update(&state.app, &s.actor, id, &body).await?))
}

/// Delete an empty category (409 when it has subcategories or products).
#[utoipa::path(delete, path = "/api/v1/admin/categories/{id}", tag = "catalog-admin", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
async fn category_delete(State(state): State<AppState>, s: Admin, Path(id): Path<i64>) -> ApiResult<StatusCode> {
    categories::delete(&state.app, &s.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ProductListParams {
    /// draft, scheduled, listed or delisted.
    pub status: Option<String>,
    /// Title substring (any locale).
    pub q: Option<String>,
    pub category_id: Option<i64>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductPage {
    pub items: Vec<ProductSummary>,
    pub next_cursor: Option<String>,
}

/// Every product whatever its status, newest first.
#[utoipa::path(get, path = "/api/v1/admin/products", tag = "catalog-admin", params(ProductListParams),
    responses((status = 200, body = ProductPage)))]
async fn product_list(
    State(state): State<AppState>,
    _s: Admin,
    Query(p): Query<ProductListParams>,
) -> ApiResult<axum::Json<ProductPage>> {
    let q = AdminQuery { status: p.status, q: p.q, category_id: p.category_id, cursor: p.cursor, limit: p.limit };
    let page = products::admin_list(&state.app, &q).await?;
    Ok(axum::Json(ProductPage { items: page.items, next_cursor: page.next_cursor }))
}

/// Create a draft product (optionally with its SKU matrix).
#[utoipa::path(post, path = "/api/v1/admin/products", tag = "catalog-admin", request_body = NewProduct,
    responses((status = 201, body = Product), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn product_create(
    State(state): State<AppState>,
    s: Admin,
    Json(body): Json<NewProduct>,
) -> ApiResult<Created<Product>> {
    Ok((StatusCode::CREATED, axum::Json(products::create(&state.app, &s.actor, &body).await?)))
}

/// One product with everything, whatever its status.
#[utoipa::path(get, path = "/api/v1/admin/products/{id}", tag = "catalog-admin", params(("id" = i64, Path)),
    responses((status = 200, body = Product), (status = 404, body = crate::error::Problem)))]
async fn product_get(State(state): State<AppState>, _s: Admin, Path(id): Path<i64>) -> ApiResult<axum::Json<Product>> {
    Ok(axum::Json(products::get(&state.app, id).await?))
}

/// Update a product; `texts`, `tags` and `attributes` replace the whole set when given.
#[utoipa::path(patch, path = "/api/v1/admin/products/{id}", tag = "catalog-admin", params(("id" = i64, Path)),
    request_body = ProductPatch,
    responses((status = 200, body = Product), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn product_update(
    State(state): State<AppState>,
    s: Admin,
    Path(id): Path<i64>,
    Json(body): Json<ProductPatch>,
) -> ApiResult<axum::Json<Product>> {
    Ok(axum::Json(products::update(&state.app, &s.actor, id, &body).await?))
}

/// Build SKUs for every combination of the attribute axes the product lacks.
#[utoipa::path(post, path = "/api/v1/admin/products/{id}/skus/generate", tag = "catalog-admin",
    params(("id" = i64, Path)), request_body = Matrix,
    responses((status = 200, body = Product), (status = 422, body = crate::error::Problem)))]
async fn skus_generate(
    State(state): State<AppState>,
    s: Admin,
    Path(id): Path<i64>,
    Json(body): Json<Matrix>,
) -> ApiResult<axum::Json<Product>> {
    Ok(axum::Json(skus::generate(&state.app, &s.actor, id, &body).await?))
}

/// Add one SKU.
#[utoipa::path(post, path = "/api/v1/admin/products/{id}/skus", tag = "catalog-admin", params(("id" = i64, Path)),
    request_body = NewSku,
    responses((status = 201, body = Product), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn sku_add(
    State(state): State<AppState>,
    s: Admin,
    Path(id): Path<i64>,
    Json(body): Json<NewSku>,
) -> ApiResult<Created<Product>> {
    Ok((StatusCode::CREATED, axum::Json(skus::add(&state.app, &s.actor, id, &body).await?)))
}

/// Update a SKU's price, list price, weight, barcode or active flag.
#[utoipa::path(patch, path = "/api/v1/admin/skus/{id}", tag = "catalog-admin", params(("id" = i64, Path)),
    request_body = SkuPatch,
    responses((status = 200, body = Product), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn sku_update(
    State(state): State<AppState>,
    s: Admin,
    Path(id): Path<i64>,
    Json(body): Json<SkuPatch>,
) -> ApiResult<axum::Json<Product>> {
    Ok(axum::Json(skus::update(&state.app, &s.actor, id, &body).await?))
}

/// Remove a SKU no cart or order refers to (else 409: deactivate it instead).
#[utoipa::path(delete, path = "/api/v1/admin/skus/{id}", tag = "catalog-admin", params(("id" = i64, Path)),
    responses((status = 200, body = Product), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
async fn sku_remove(State(state): State<AppState>, s: Admin, Path(id): Path<i64>) -> ApiResult<axum::Json<Product>> {
    Ok(axum::Json(skus::remove(&state.app, &s.actor, id).await?))
}

fn multipart_problem(status: StatusCode, detail: String) -> Response {
    let code = if status == StatusCode::PAYLOAD_TOO_LARGE { "payload_too_large" } else { "bad_multipart" };
    problem(status, code, detail, Vec::new())
}

/// Upload an image: `multipart/form-data` with field `file` (JPEG, PNG, WebP or GIF, ≤ 10 MiB)
/// and optional `alt`.
#[utoipa::path(post, path = "/api/v1/admin/products/{id}/images", tag = "catalog-admin", params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data", description = "fields `file` and optional `alt`"),
    responses((status = 201, body = Product), (status = 413, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn image_upload(
    State(state): State<AppState>,
    s: Admin,
    Path(id): Path<i64>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Created<Product>, Response> {
    let mut multipart = multipart.map_err(|e| multipart_problem(e.status(), e.body_text()))?;
    let mut file = None;
    let mut alt = String::new();
    loop {
        let field = multipart.next_field().await.map_err(|e| multipart_problem(e.status(), e.body_text()))?;
        let Some(field) = field else { break };
        match field.name() {
            Some("file") => {
                let bytes = field.bytes().await.map_err(|e| multipart_problem(e.status(), e.body_text()))?;
                file = Some(bytes);
            }
            Some("alt") => alt = field.text().await.map_err(|e| multipart_problem(e.status(), e.body_text()))?,
            _ => {}
        }
    }
    let Some(file) = file else {
        return Err(crate::error::ApiError(AppError::invalid("file", "a file field is required")).into_response());
    };
    let product = images::upload(&state.app, &s.actor, id, &file, &alt)
        .await
        .map_err(|e| crate::error::ApiError(e).into_response())?;
    Ok((StatusCode::CREATED, axum::Json(product)))
}

/// Reorder a product's images: `ids` lists every image once, in the new order.
#[utoipa::path(put, path = "/api/v1/admin/products/{id}/images/order", tag = "catalog-admin",
    params(("id" = i64, Path)), request_body = ImageOrder,
    responses((status = 200, body = Product), (status = 422, body = crate::error::Problem)))]
async fn image_order(
    State(state): State<AppState>,
    s: Admin,
    Path(id): Path<i64>,
    Json(body): Json<ImageOrder>,
) -> ApiResult<axum::Json<Product>> {
    Ok(axum::Json(images::reorder(&state.app, &s.actor, id, &body.ids).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImagePatch {
    pub alt: String,
}

/// Set an image's alt text.
#[utoipa::path(patch, path = "/api/v1/admin/images/{id}", tag = "catalog-admin", params(("id" = i64, Path)),
    request_body = ImagePatch,
    responses((status = 200, body = Product), (status = 404, body = crate::error::Problem)))]
async fn image_update(
    State(state): State<AppState>,
    s: Admin,
    Path(id): Path<i64>,
    Json(body): Json<ImagePatch>,
) -> ApiResult<axum::Json<Product>> {
    Ok(axum::Json(images::set_alt(&state.app, &s.actor, id, &body.alt).await?))
}

/// Delete an image.
#[utoipa::path(delete, path = "/api/v1/admin/images/{id}", tag = "catalog-admin", params(("id" = i64, Path)),
    responses((status = 200, body = Product), (status = 404, body = crate::error::Problem)))]
async fn image_delete(State(state): State<AppState>, s: Admin, Path(id): Path<i64>) -> ApiResult<axum::Json<Product>> {
    Ok(axum::Json(images::delete(&state.app, &s.actor, id).await?))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishRequest {
    /// Epoch ms; in the future → scheduled (listed by a job then), else listed now.
    pub publish_at: Option<i64>,
}

/// List a product now or schedule it (409 on an illegal change).
#[utoipa::path(post, path = "/api/v1/admin/products/{id}/publish", tag = "catalog-admin", params(("id" = i64, Path)),
    request_body = PublishRequest,
    responses((status = 200, body = Product), (status = 409, body = crate::error::Problem)))]
async fn publish(
    State(state): State<AppState>,
    s: Admin,
    Path(id): Path<i64>,
    Json(body): Json<PublishRequest>,
) -> ApiResult<axum::Json<Product>> {
    Ok(axum::Json(lifecycle::publish(&state.app, &s.actor, id, body.publish_at).await?))
}

/// Take a listed product off sale.
#[utoipa::path(post, path = "/api/v1/admin/products/{id}/delist", tag = "catalog-admin", params(("id" = i64, Path)),
    responses((status = 200, body = Product), (status = 409, body = crate::error::Problem)))]
async fn delist(State(state): State<AppState>, s: Admin, Path(id): Path<i64>) -> ApiResult<axum::Json<Product>> {
    Ok(axum::Json(lifecycle::delist(&state.app, &s.actor, id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkRequest {
    pub ids: Vec<i64>,
    pub action: BulkAction,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BulkResult {
    pub updated: Vec<i64>,
}

/// List or delist many products at once (all or nothing).
#[utoipa::path(post, path = "/api/v1/admin/products/bulk-status", tag = "catalog-admin", request_body = BulkRequest,
    responses((status = 200, body = BulkResult), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn bulk_status(
    State(state): State<AppState>,
    s: Admin,
    Json(body): Json<BulkRequest>,
) -> ApiResult<axum::Json<BulkResult>> {
    let updated = lifecycle::bulk(&state.app, &s.actor, &body.ids, body.action).await?;
    Ok(axum::Json(BulkResult { updated }))
}
