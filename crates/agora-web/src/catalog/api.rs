//! Public catalog: `/api/v1/categories…`, `/api/v1/products…`, served from the in-memory snapshot.

use agora_app::catalog::detail::{self, ProductView};
use agora_app::catalog::listing::{self, ListingQuery};
use agora_app::catalog::tree::{self, CategoryDetail, CategoryNode};
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiResult;
use crate::input::{Path, Query};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(categories))
        .routes(routes!(category))
        .routes(routes!(products))
        .routes(routes!(product))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct LocaleParams {
    /// `en`, `zh-CN` or `zh-TW`; defaults to the `Accept-Language` header, then English.
    pub locale: Option<String>,
}

fn accept_language(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok())
}

fn optional_locale(p: &LocaleParams) -> ApiResult<Option<agora_domain::Locale>> {
    Ok(match &p.locale {
        Some(raw) => Some(listing::request_locale(Some(raw), None)?),
        None => None,
    })
}

/// The whole category tree, ordered by position (names in every locale; `name` too with `?locale=`).
#[utoipa::path(get, path = "/api/v1/categories", tag = "catalog", params(LocaleParams),
    responses((status = 200, body = Vec<CategoryNode>)))]
async fn categories(State(state): State<AppState>, Query(p): Query<LocaleParams>) -> ApiResult<Response> {
    let json = tree::tree_json(&state.app, optional_locale(&p)?).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], json).into_response())
}

/// One category by id or slug, with its subtree and breadcrumb.
#[utoipa::path(get, path = "/api/v1/categories/{id_or_slug}", tag = "catalog",
    params(("id_or_slug" = String, Path), LocaleParams),
    responses((status = 200, body = CategoryDetail), (status = 404, body = crate::error::Problem)))]
async fn category(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Query(p): Query<LocaleParams>,
) -> ApiResult<axum::Json<CategoryDetail>> {
    Ok(axum::Json(tree::category(&state.app, &key, optional_locale(&p)?).await?))
}

/// Documentation of the listing parameters (the handler also accepts `attr.<name>=v1,v2`).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[allow(dead_code)]
pub struct ListingParams {
    /// Category id or slug; products of all descendant categories are included.
    pub category: Option<String>,
    pub tag: Option<String>,
    /// Lowest product price (minor units).
    pub min_price: Option<i64>,
    pub max_price: Option<i64>,
    /// newest (default), price_asc, price_desc or sales.
    pub sort: Option<String>,
    /// 1–100, default 20.
    pub limit: Option<i64>,
    pub cursor: Option<String>,
    /// Comma-separated attribute names to count values of over the filtered set, e.g. `color,size`.
    pub facets: Option<String>,
    pub locale: Option<String>,
}

/// The listing response (documentation; the handler writes pre-serialised items).
#[derive(Debug, utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ListingPage {
    pub items: Vec<listing::ListItem<'static>>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
    /// With `facets=`: per attribute name, value → number of matching products.
    #[schema(value_type = Option<Object>)]
    pub facets: Option<std::collections::BTreeMap<String, std::collections::BTreeMap<String, i64>>>,
}

/// One page of listed products. Filter SKU or product attributes with `attr.<name>=value`
/// (comma-separated values match any); a product matches when one active SKU matches all.
#[utoipa::path(get, path = "/api/v1/products", tag = "catalog", params(ListingParams),
    responses((status = 200, body = ListingPage), (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
async fn products(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(pairs): Query<Vec<(String, String)>>,
) -> ApiResult<impl IntoResponse> {
    let q = ListingQuery::parse(&pairs, accept_language(&headers))?;
    let body = listing::list(&state.app, &q).await?;
    Ok(([(header::CONTENT_TYPE, "application/json"), (header::VARY, "accept-language")], body))
}

/// A listed product by id or slug, with SKUs, live availability, images and breadcrumb.
#[utoipa::path(get, path = "/api/v1/products/{id_or_slug}", tag = "catalog",
    params(("id_or_slug" = String, Path), LocaleParams),
    responses((status = 200, body = ProductView), (status = 404, body = crate::error::Problem)))]
async fn product(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(key): Path<String>,
    Query(p): Query<LocaleParams>,
) -> ApiResult<impl IntoResponse> {
    let locale = listing::request_locale(p.locale.as_deref(), accept_language(&headers))?;
    let view = detail::detail(&state.app, &key, locale).await?;
    Ok(([(header::VARY, "accept-language")], axum::Json(view)))
}
