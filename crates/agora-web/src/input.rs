//! A JSON body extractor whose failures are problem+json naming the offending field.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use agora_app::FieldError;

use crate::error::problem;

/// Like `axum::Json`, but malformed JSON is a 400 and a wrong or missing field a 422, both
/// as problem+json with the field's path.
pub struct Json<T>(pub T);

/// Why a JSON body was refused.
pub struct JsonRejection(Box<Response>);

impl JsonRejection {
    fn new(response: Response) -> Self {
        JsonRejection(Box::new(response))
    }
}

impl IntoResponse for JsonRejection {
    fn into_response(self) -> Response {
        *self.0
    }
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = JsonRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json =
            req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(is_json_media_type);
        if !is_json {
            return Err(JsonRejection::new(problem(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "expected Content-Type: application/json".into(),
                Vec::new(),
            )));
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| JsonRejection::new(problem(e.status(), "body_unreadable", e.body_text(), Vec::new())))?;
        parse(&bytes).map(Json)
    }
}

/// `application/json` or `application/<anything>+json`, parameters (charset) allowed.
fn is_json_media_type(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    match essence.split_once('/') {
        Some(("application", "json")) => true,
        Some(("application", sub)) => sub.len() > "+json".len() && sub.ends_with("+json"),
        _ => false,
    }
}

/// Deserialises `bytes`, turning serde's error into a problem response.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, JsonRejection> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        JsonRejection::new(if inner.is_syntax() || inner.is_eof() {
            problem(StatusCode::BAD_REQUEST, "malformed_json", format!("malformed JSON: {inner}"), Vec::new())
        } else {
            let message = strip_position(&inner.to_string());
            let field = match (path.as_str(), missing_field(&message)) {
                (".", Some(name)) => name,
                (".", None) => "body".to_string(),
                (p, Some(name)) => format!("{p}.{name}"),
                (p, None) => p.to_string(),
            };
            problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                format!("invalid field {field}: {message}"),
                vec![FieldError { field, message }],
            )
        })
    })
}

fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// serde reports a missing field at the parent's path; name the field itself.
fn missing_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("missing field `")?;
    rest.split('`').next().map(str::to_string)
}

/// Like `axum::extract::Query`, with problem+json rejections.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> axum::extract::FromRequestParts<S> for Query<T> {
    type Rejection = JsonRejection;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de).map(Query).map_err(|err| {
            let field = err.path().to_string();
            let message = err.into_inner().to_string();
            let field = match (field.as_str(), missing_field(&message)) {
                (_, Some(name)) => name,
                (".", None) => "query".to_string(),
                (p, None) => p.to_string(),
            };
            JsonRejection::new(problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                format!("invalid query parameter {field}: {message}"),
                vec![FieldError { field, message }],
            ))
        })
    }
}

/// Like `axum::extract::Path`, with problem+json rejections.
pub struct Path<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> axum::extract::FromRequestParts<S> for Path<T> {
    type Rejection = JsonRejection;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(e) => Err(JsonRejection::new(problem(
                StatusCode::NOT_FOUND,
                "not_found",
                e.body_text(),
                vec![FieldError { field: "path".into(), message: e.body_text() }],
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_json_media_type;

    #[test]
    fn json_media_types_match_exactly() {
        for ok in
            ["application/json", "application/json; charset=utf-8", "Application/JSON", "application/merge-patch+json"]
        {
            assert!(is_json_media_type(ok), "{ok}");
        }
        for bad in ["application/jsonx", "text/plain+json", "text/json", "application/+json", "multipart/form-data", ""]
        {
            assert!(!is_json_media_type(bad), "{bad}");
        }
    }
}
