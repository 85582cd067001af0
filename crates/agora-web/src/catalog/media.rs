//! `GET /media/{file}`: uploaded images, immutable (their names are content hashes).

use agora_app::catalog::images;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiResult;
use crate::input::Path;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(media))
}

/// An uploaded image, cached for a year.
#[utoipa::path(get, path = "/media/{file}", tag = "catalog", params(("file" = String, Path)),
    responses((status = 200, content_type = "image/*", body = Vec<u8>), (status = 404, body = crate::error::Problem)))]
async fn media(State(state): State<AppState>, Path(file): Path<String>) -> ApiResult<impl IntoResponse> {
    let (bytes, content_type) = images::read(&state.app, &file).await?;
    Ok(([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=31536000, immutable")], bytes))
}
