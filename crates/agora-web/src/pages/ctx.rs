//! What every page knows about its request (locale, CSRF token, who is looking), the
//! page error type, and HTML/redirect/cookie helpers.

use agora_app::AppError;
use agora_app::auth::Principal;
use agora_domain::Locale;
use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};

use super::{assets, i18n};

/// Cookie remembering the chosen interface language.
pub const LANG_COOKIE: &str = "agora_lang";
/// Cookie carrying the random value CSRF tokens are derived from.
pub const CSRF_COOKIE: &str = "agora_csrf";
/// Hidden form field carrying the CSRF token.
pub const CSRF_FIELD: &str = "_csrf";

/// The per-request context every template receives as `ctx`.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub locale: Locale,
    /// Value of the hidden `_csrf` field for forms on this page.
    pub csrf: String,
    /// Path of this page (for the language switcher).
    pub path: String,
    /// Who holds the session cookie, if it is valid.
    pub viewer: Option<Principal>,
    /// The raw session token from the cookie (for logout).
    pub session_token: Option<String>,
    /// True when the shop is served over https (cookies get `Secure`).
    pub secure: bool,
}

/// A link of the language switcher.
pub struct LangLink {
    pub code: &'static str,
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

impl Ctx {
    /// Interface text for `key` in the page's language.
    pub fn t<'k>(&self, key: &'k str) -> &'k str {
        i18n::text(self.locale, key)
    }

    /// A validation message, translated when known.
    pub fn msg(&self, message: &str) -> String {
        i18n::message(self.locale, message)
    }

    /// The `lang` attribute value.
    pub fn lang(&self) -> &'static str {
        self.locale.as_str()
    }

    /// URL of an embedded static file.
    pub fn asset(&self, name: &str) -> String {
        assets::url(name)
    }

    pub fn languages(&self) -> Vec<LangLink> {
        Locale::ALL
            .iter()
            .map(|l| LangLink {
                code: l.as_str(),
                name: i18n::native_name(*l),
                href: format!("{}?lang={}", self.path, l.as_str()),
                current: *l == self.locale,
            })
            .collect()
    }

    pub fn is_customer(&self) -> bool {
        matches!(self.viewer, Some(Principal::Customer { .. }))
    }

    pub fn is_staff(&self) -> bool {
        matches!(self.viewer, Some(Principal::Staff { .. }))
    }

    /// A `Set-Cookie` value for the session cookie (`None` clears it).
    pub fn session_cookie(&self, token: Option<&str>, max_age_secs: i64) -> HeaderValue {
        match token {
            Some(t) => set_cookie(crate::extract::SESSION_COOKIE, t, max_age_secs, self.secure),
            None => set_cookie(crate::extract::SESSION_COOKIE, "", 0, self.secure),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        // Inserted by the page middleware; missing only if a page route escaped it.
        parts.extensions.get::<Ctx>().cloned().ok_or(PageError::internal())
    }
}

/// A `Set-Cookie` header value: always `Path=/; HttpOnly; SameSite=Lax`, `Secure` behind TLS.
pub fn set_cookie(name: &str, value: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let text = format!("{name}={value}; Path=/; Max-Age={max_age_secs}; HttpOnly; SameSite=Lax{secure}");
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("invalid=; Max-Age=0"))
}

/// The value of cookie `name` in a request.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
}

/// An error page to show: a status and the catalog key of its message. The page middleware
/// renders it in the visitor's language.
#[derive(Debug, Clone, Copy)]
pub struct PageError {
    pub status: StatusCode,
    pub message: &'static str,
}

impl PageError {
    pub fn forbidden() -> Self {
        PageError { status: StatusCode::FORBIDDEN, message: "error.forbidden" }
    }
    pub fn csrf() -> Self {
        PageError { status: StatusCode::FORBIDDEN, message: "error.csrf" }
    }
    pub fn not_found() -> Self {
        PageError { status: StatusCode::NOT_FOUND, message: "error.not_found" }
    }
    pub fn bad_request() -> Self {
        PageError { status: StatusCode::BAD_REQUEST, message: "error.bad_request" }
    }
    pub fn too_large() -> Self {
        PageError { status: StatusCode::PAYLOAD_TOO_LARGE, message: "error.too_large" }
    }
    pub fn internal() -> Self {
        PageError { status: StatusCode::INTERNAL_SERVER_ERROR, message: "error.internal" }
    }

    /// The catalog key of the page title.
    pub fn title(&self) -> &'static str {
        match self.status {
            StatusCode::FORBIDDEN => "error.forbidden_title",
            StatusCode::NOT_FOUND => "error.not_found_title",
            StatusCode::BAD_REQUEST => "error.bad_request_title",
            StatusCode::PAYLOAD_TOO_LARGE => "error.too_large_title",
            _ => "error.internal_title",
        }
    }
}

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Forbidden | AppError::Unauthenticated => PageError::forbidden(),
            AppError::NotFound { .. } => PageError::not_found(),
            AppError::Validation(_) => PageError::bad_request(),
            other => {
                tracing::error!(error = %other, "page failed");
                PageError::internal()
            }
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let mut response = self.status.into_response();
        response.extensions_mut().insert(self);
        response
    }
}

pub type PageResult = Result<Response, PageError>;

/// Renders a template as an HTML response with `status`.
pub fn render(status: StatusCode, template: &impl Template) -> PageResult {
    match template.render() {
        Ok(body) => Ok((status, Html(body)).into_response()),
        Err(e) => {
            tracing::error!(error = %e, "template failed to render");
            Err(PageError::internal())
        }
    }
}

/// Renders a template as a 200 page.
pub fn page(template: &impl Template) -> PageResult {
    render(StatusCode::OK, template)
}

/// A 303 redirect after a successful form post, optionally setting a cookie.
pub fn see_other(to: &str, cookie: Option<HeaderValue>) -> Response {
    let mut response = Redirect::to(to).into_response();
    if let Some(c) = cookie {
        response.headers_mut().append(header::SET_COOKIE, c);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_http_only_lax_and_secure_behind_tls() {
        let plain = set_cookie("agora_session", "abc", 60, false);
        assert_eq!(plain, "agora_session=abc; Path=/; Max-Age=60; HttpOnly; SameSite=Lax");
        let tls = set_cookie("agora_session", "abc", 60, true);
        assert_eq!(tls, "agora_session=abc; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure");
    }

    #[test]
    fn reads_cookies_from_every_header() {
        let mut headers = HeaderMap::new();
        headers.append(header::COOKIE, HeaderValue::from_static("a=1; agora_lang=zh-TW"));
        headers.append(header::COOKIE, HeaderValue::from_static("agora_csrf=xyz"));
        assert_eq!(cookie(&headers, "agora_lang"), Some("zh-TW"));
        assert_eq!(cookie(&headers, "agora_csrf"), Some("xyz"));
        assert_eq!(cookie(&headers, "agora"), None);
    }
}
