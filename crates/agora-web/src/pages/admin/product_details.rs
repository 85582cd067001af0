//! Editing a product after creation: texts per locale (title, subtitle, description),
//! slug, brand, tags and attributes, through `catalog::products::update` (which validates
//! and audits). Inputs are prefixed `d_` so the form lives beside the SKU forms.

use std::collections::BTreeMap;

use agora_app::AppError;
use agora_app::catalog::Product;
use agora_app::catalog::products::{self, ProductPatch, TextInput};
use axum::extract::{Path, State};
use serde::Deserialize;

use super::Console;
use super::product_edit::{Failed, pairs, show_product};
use crate::extract::ManageCatalog;
use crate::pages::ctx::{Ctx, PageResult, see_other};
use crate::pages::form::{Form, FormState, given};
use crate::state::AppState;

/// (locale, input suffix) of the editable languages.
const LOCALES: [(&str, &str); 3] = [("en", "en"), ("zh-CN", "zh_cn"), ("zh-TW", "zh_tw")];

/// The details form as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DetailsForm {
    d_title_en: String,
    d_subtitle_en: String,
    d_description_en: String,
    d_title_zh_cn: String,
    d_subtitle_zh_cn: String,
    d_description_zh_cn: String,
    d_title_zh_tw: String,
    d_subtitle_zh_tw: String,
    d_description_zh_tw: String,
    d_slug: String,
    d_brand: String,
    d_tags: String,
    d_attributes: String,
}

impl DetailsForm {
    /// (input name, typed value) of every input.
    fn inputs(&self) -> [(&'static str, &str); 13] {
        [
            ("d_title_en", &self.d_title_en),
            ("d_subtitle_en", &self.d_subtitle_en),
            ("d_description_en", &self.d_description_en),
            ("d_title_zh_cn", &self.d_title_zh_cn),
            ("d_subtitle_zh_cn", &self.d_subtitle_zh_cn),
            ("d_description_zh_cn", &self.d_description_zh_cn),
            ("d_title_zh_tw", &self.d_title_zh_tw),
            ("d_subtitle_zh_tw", &self.d_subtitle_zh_tw),
            ("d_description_zh_tw", &self.d_description_zh_tw),
            ("d_slug", &self.d_slug),
            ("d_brand", &self.d_brand),
            ("d_tags", &self.d_tags),
            ("d_attributes", &self.d_attributes),
        ]
    }

    fn get(&self, name: &str) -> &str {
        self.inputs().into_iter().find(|(n, _)| *n == name).map_or("", |(_, v)| v)
    }
}

/// The form filled with the product's current details (inputs already kept stay).
pub fn prefill(mut form: FormState, p: &Product) -> FormState {
    for (locale, suffix) in LOCALES {
        let text = p.texts.get(locale);
        for (field, value) in [
            ("title", text.map(|t| t.title.as_str())),
            ("subtitle", text.map(|t| t.subtitle.as_str())),
            ("description", text.map(|t| t.description.as_str())),
        ] {
            form = form.keep_unless_typed(&format!("d_{field}_{suffix}"), value.unwrap_or_default());
        }
    }
    let attributes: Vec<String> = p.attributes.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    form.keep_unless_typed("d_slug", &p.slug)
        .keep_unless_typed("d_brand", &p.brand)
        .keep_unless_typed("d_tags", &p.tags.join(", "))
        .keep_unless_typed("d_attributes", &attributes.join("\n"))
}

/// Where a use-case field's message is shown on the details form.
fn input_for(field: &str) -> String {
    if let Some(rest) = field.strip_prefix("texts.") {
        let (locale, part) = rest.split_once('.').unwrap_or((rest, "title"));
        let suffix = LOCALES.iter().find(|(l, _)| *l == locale).map_or("en", |(_, s)| s);
        let part = if ["subtitle", "description"].contains(&part) { part } else { "title" };
        return format!("d_{part}_{suffix}");
    }
    let name = match field {
        "slug" => "d_slug",
        "brand" => "d_brand",
        f if f.starts_with("tags") => "d_tags",
        f if f.starts_with("attributes") => "d_attributes",
        _ => "d_title_en",
    };
    name.to_string()
}

fn patch(f: &DetailsForm) -> Option<ProductPatch> {
    let mut texts = BTreeMap::new();
    for (locale, suffix) in LOCALES {
        let [title, subtitle, description] =
            ["title", "subtitle", "description"].map(|part| f.get(&format!("d_{part}_{suffix}")));
        if [title, subtitle, description].iter().any(|v| given(v).is_some()) {
            let text =
                TextInput { title: title.into(), subtitle: subtitle.into(), description: description.trim().into() };
            texts.insert(locale.to_string(), text);
        }
    }
    let attributes = pairs(&f.d_attributes).ok()?;
    Some(ProductPatch {
        slug: Some(f.d_slug.trim().into()),
        brand: Some(f.d_brand.trim().into()),
        texts: Some(texts),
        tags: Some(f.d_tags.split(',').filter_map(given).collect()),
        attributes: Some(attributes.into_iter().collect()),
        ..Default::default()
    })
}

/// `POST /admin/products/{id}/details`.
pub async fn update_details(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<ManageCatalog>,
    Path(id): Path<i64>,
    Form(f): Form<DetailsForm>,
) -> PageResult {
    let mut form = FormState::default();
    for (name, value) in f.inputs() {
        form = form.keep(name, value);
    }
    let Some(input) = patch(&f) else {
        let form =
            form.field_error("d_attributes", ctx.t("admin_products.bad_lines")).with_notice("admin_orders.refused");
        return show_product(&state, ctx, &c, id, form, Failed::Other).await;
    };
    let errors = match products::update(&state.app, &c.actor, id, &input).await {
        Ok(_) => return Ok(see_other(&format!("/admin/products/{id}"), None)),
        Err(AppError::Validation(errors)) => errors,
        Err(AppError::Conflict { message, .. }) => vec![agora_app::FieldError { field: "slug".into(), message }],
        Err(other) => return Err(other.into()),
    };
    let errors =
        errors.into_iter().map(|e| agora_app::FieldError { field: input_for(&e.field), message: e.message }).collect();
    let form = form.absorb(AppError::Validation(errors), &[])?;
    show_product(&state, ctx, &c, id, form, Failed::Other).await
}

#[cfg(test)]
mod tests {
    use super::input_for;

    #[test]
    fn use_case_fields_map_to_detail_inputs() {
        assert_eq!(input_for("texts.zh-TW.description"), "d_description_zh_tw");
        assert_eq!(input_for("texts.zh-CN"), "d_title_zh_cn");
        assert_eq!(input_for("texts"), "d_title_en");
        assert_eq!(input_for("tags[3]"), "d_tags");
        assert_eq!(input_for("attributes.color"), "d_attributes");
        assert_eq!(input_for("slug"), "d_slug");
    }
}
