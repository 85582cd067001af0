//! A product's images on its admin page: upload (multipart, with the CSRF token as a part),
//! move up or down, alt text, delete with confirmation. The JSON API's use cases
//! (`catalog::images`) do the work. ManageCatalog.

use agora_app::AppError;
use agora_app::catalog::{Product, images, products};
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, State};
use serde::Deserialize;

use super::Console;
use super::product_edit::{Failed, show_product};
use crate::extract::ManageCatalog;
use crate::pages::ctx::{Ctx, PageError, PageResult, see_other};
use crate::pages::form::{Form, FormState};
use crate::state::AppState;

fn back(id: i64) -> axum::response::Response {
    see_other(&format!("/admin/products/{id}#images"), None)
}

/// Shows the product page again with the messages of a refused form.
async fn refused(
    state: &AppState,
    ctx: Ctx,
    c: &Console<ManageCatalog>,
    id: i64,
    form: FormState,
    failed: Failed,
) -> PageResult {
    show_product(state, ctx, c, id, form.with_notice("admin_orders.refused"), failed).await
}

/// The product and one of its images (404 when the image belongs to another product).
async fn product_with_image(state: &AppState, id: i64, image: i64) -> Result<Product, PageError> {
    let p = products::get(&state.app, id).await?;
    if p.images.iter().any(|i| i.id == image) { Ok(p) } else { Err(PageError::not_found()) }
}

/// `POST /admin/products/{id}/images`: `file` and `alt` parts.
pub async fn upload_image(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<ManageCatalog>,
    Path(id): Path<i64>,
    multipart: Result<Multipart, MultipartRejection>,
) -> PageResult {
    let mut multipart = multipart.map_err(|_| PageError::bad_request())?;
    let (mut file, mut alt) = (Vec::new(), String::new());
    while let Some(field) = multipart.next_field().await.map_err(|_| PageError::bad_request())? {
        match field.name() {
            Some("file") => file = field.bytes().await.map_err(|_| PageError::too_large())?.to_vec(),
            Some("alt") => alt = field.text().await.map_err(|_| PageError::bad_request())?,
            _ => {}
        }
    }
    let form = FormState::default().keep("upload_alt", &alt);
    // A browser sends an empty part when no file was chosen.
    let result = if file.is_empty() {
        Err(AppError::invalid("file", ctx.t("admin_products.choose_file")))
    } else {
        images::upload(&state.app, &c.actor, id, &file, &alt).await
    };
    match result {
        Ok(_) => Ok(back(id)),
        Err(e) => refused(&state, ctx, &c, id, form.absorb(e, &[("alt", "upload_alt")])?, Failed::Other).await,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MoveForm {
    /// up or down.
    direction: String,
}

/// `POST /admin/products/{id}/images/{image}/move`: one place up or down.
pub async fn move_image(
    State(state): State<AppState>,
    c: Console<ManageCatalog>,
    Path((id, image)): Path<(i64, i64)>,
    Form(f): Form<MoveForm>,
) -> PageResult {
    let p = product_with_image(&state, id, image).await?;
    let mut ids: Vec<i64> = p.images.iter().map(|i| i.id).collect();
    let at = ids.iter().position(|&i| i == image).unwrap_or_default();
    let to = match f.direction.as_str() {
        "up" => at.checked_sub(1),
        "down" => Some(at + 1).filter(|&t| t < ids.len()),
        _ => return Err(PageError::bad_request()),
    };
    if let Some(to) = to {
        ids.swap(at, to);
        images::reorder(&state.app, &c.actor, id, &ids).await?;
    }
    Ok(back(id))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AltForm {
    alt: String,
}

/// `POST /admin/products/{id}/images/{image}/alt`.
pub async fn image_alt(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<ManageCatalog>,
    Path((id, image)): Path<(i64, i64)>,
    Form(f): Form<AltForm>,
) -> PageResult {
    product_with_image(&state, id, image).await?;
    match images::set_alt(&state.app, &c.actor, image, &f.alt).await {
        Ok(_) => Ok(back(id)),
        Err(e) => {
            let form = FormState::default().keep("alt", &f.alt).absorb(e, &[])?;
            refused(&state, ctx, &c, id, form, Failed::Image(image)).await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DeleteForm {
    confirm: String,
}

/// `POST /admin/products/{id}/images/{image}/delete`: only with the ticked confirmation.
pub async fn delete_image(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<ManageCatalog>,
    Path((id, image)): Path<(i64, i64)>,
    Form(f): Form<DeleteForm>,
) -> PageResult {
    product_with_image(&state, id, image).await?;
    if f.confirm != "yes" {
        let form = FormState::default().field_error("confirm", ctx.t("admin_ui.confirm_required"));
        return refused(&state, ctx, &c, id, form, Failed::Image(image)).await;
    }
    images::delete(&state.app, &c.actor, image).await?;
    Ok(back(id))
}
