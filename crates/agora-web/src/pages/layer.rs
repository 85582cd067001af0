//! The middleware in front of every page: language choice, CSRF cookie and check,
//! the viewer's session, localized error pages and the security headers.

use agora_app::crypto;
use agora_domain::Locale;
use askama::Template;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use base64_url::{decode, encode};

use super::ctx::{CSRF_COOKIE, CSRF_FIELD, Ctx, LANG_COOKIE, PageError, cookie, set_cookie};
use crate::state::AppState;

/// The Content-Security-Policy of every page: no inline scripts or styles, no framing.
pub const CSP: &str = "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; \
                       frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

const YEAR_SECS: i64 = 365 * 24 * 3600;

/// Runs around every page handler.
pub async fn pages(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let secure = state.app.settings.public_url.starts_with("https://");
    if let Some(redirect) = lang_redirect(&req, secure) {
        return with_security_headers(redirect);
    }
    let (mut parts, body) = req.into_parts();
    let existing = cookie(&parts.headers, CSRF_COOKIE).filter(|v| decode(v).is_some_and(|b| b.len() == 32));
    let (csrf_cookie, fresh) = match existing {
        Some(v) => (v.to_string(), false),
        None => (crypto::new_token(), true),
    };
    let session_token = cookie(&parts.headers, crate::extract::SESSION_COOKIE).map(str::to_string);
    let viewer = match &session_token {
        Some(token) => agora_app::auth::authenticate(&state.app, token).await.ok(),
        None => None,
    };
    let ctx = Ctx {
        locale: locale_of(&parts.headers),
        csrf: sign(&state, &csrf_cookie),
        path: safe_path(parts.uri.path()),
        viewer,
        session_token,
        secure,
    };
    let body = if is_safe(&parts.method) {
        body
    } else {
        match checked_body(&state, &parts.headers, body, if fresh { "" } else { &csrf_cookie }).await {
            Ok(bytes) => Body::from(bytes),
            Err(e) => return finish(e.into_response(), &ctx, fresh.then_some(&csrf_cookie)),
        }
    };
    parts.extensions.insert(ctx.clone());
    let response = next.run(Request::from_parts(parts, body)).await;
    finish(response, &ctx, fresh.then_some(&csrf_cookie))
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The form token for a CSRF cookie value: HMAC(secret, cookie), URL-safe base64.
fn sign(state: &AppState, cookie_value: &str) -> String {
    encode(&crypto::hmac_sha256(state.app.settings.secrets.csrf.as_bytes(), cookie_value.as_bytes()))
}

/// Largest page form body: urlencoded forms get the API's limit, file uploads (multipart)
/// room for an image a little over the largest accepted, so the form can say it is too large.
pub const UPLOAD_LIMIT: usize = agora_app::catalog::images::MAX_BYTES + 1024 * 1024;

/// Reads the body of a state-changing request and checks its CSRF token (the `_csrf`
/// form field — urlencoded, or a multipart part — or an `X-CSRF-Token` header for
/// scripts). No cookie means no valid token.
async fn checked_body(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
    cookie_value: &str,
) -> Result<axum::body::Bytes, PageError> {
    let boundary = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).and_then(multipart_boundary);
    let limit = if boundary.is_some() { UPLOAD_LIMIT } else { crate::router::BODY_LIMIT };
    let bytes = axum::body::to_bytes(body, limit).await.map_err(|_| PageError::too_large())?;
    let from_header = headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).map(str::to_string);
    let from_form = || match &boundary {
        Some(b) => multipart_text(&bytes, b, CSRF_FIELD),
        None => form_urlencoded::parse(&bytes).find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v.into_owned()),
    };
    let presented = from_header.or_else(from_form).unwrap_or_default();
    let valid = !cookie_value.is_empty()
        && decode(&presented).is_some_and(|tag| {
            crypto::hmac_sha256_verify(state.app.settings.secrets.csrf.as_bytes(), cookie_value.as_bytes(), &tag)
        });
    if !valid {
        tracing::info!("form refused: missing or invalid CSRF token");
        return Err(PageError::csrf());
    }
    Ok(bytes)
}

/// The boundary of a `multipart/form-data` content type.
fn multipart_boundary(content_type: &str) -> Option<String> {
    let (kind, params) = content_type.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim().eq_ignore_ascii_case("boundary").then(|| v.trim().trim_matches('"').to_string())
    })
}

/// The value of the small text part `name` of a multipart body (forms put `_csrf` first,
/// so this stops long before any file).
fn multipart_text(body: &[u8], boundary: &str, name: &str) -> Option<String> {
    let delimiter = format!("--{boundary}");
    let wanted = format!("name=\"{name}\"");
    let mut rest = body.get(find(body, delimiter.as_bytes())? + delimiter.len()..)?;
    loop {
        let end = find(rest, delimiter.as_bytes())?;
        let part = &rest[..end];
        let split = find(part, b"\r\n\r\n")?;
        let part_headers = std::str::from_utf8(&part[..split]).ok()?;
        let disposition = part_headers.lines().find(|l| l.to_ascii_lowercase().starts_with("content-disposition:"))?;
        if disposition.split(';').any(|p| p.trim() == wanted) {
            let value = part[split + 4..].strip_suffix(b"\r\n")?;
            return String::from_utf8(value.to_vec()).ok();
        }
        rest = &rest[end + delimiter.len()..];
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// `?lang=xx` stores the choice in a cookie and redirects to the same page without it.
fn lang_redirect(req: &Request, secure: bool) -> Option<Response> {
    let query = req.uri().query()?;
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    let chosen = pairs.iter().find(|(k, _)| k == "lang")?;
    let rest: Vec<&(String, String)> = pairs.iter().filter(|(k, _)| k != "lang").collect();
    let mut target = safe_path(req.uri().path());
    if !rest.is_empty() {
        let encoded = form_urlencoded::Serializer::new(String::new()).extend_pairs(rest).finish();
        target = format!("{target}?{encoded}");
    }
    let mut response = axum::response::Redirect::to(&target).into_response();
    if let Ok(locale) = Locale::parse(&chosen.1) {
        response.headers_mut().append(header::SET_COOKIE, set_cookie(LANG_COOKIE, locale.as_str(), YEAR_SECS, secure));
    }
    Some(response)
}

/// A same-site path for redirects and links (never `//host`).
fn safe_path(path: &str) -> String {
    if path.starts_with('/') && !path.starts_with("//") { path.to_string() } else { "/".to_string() }
}

/// The language cookie, else Accept-Language, else English.
fn locale_of(headers: &HeaderMap) -> Locale {
    if let Some(locale) = cookie(headers, LANG_COOKIE).and_then(|v| Locale::parse(v).ok()) {
        return locale;
    }
    headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).map_or(Locale::En, Locale::from_accept_language)
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    ctx: &'a Ctx,
    title: &'static str,
    message: &'static str,
}

/// Renders a pending error page, sets a fresh CSRF cookie, adds the security headers.
fn finish(mut response: Response, ctx: &Ctx, new_csrf_cookie: Option<&String>) -> Response {
    if let Some(error) = response.extensions().get::<PageError>().copied() {
        let page = ErrorPage { ctx, title: ctx.t(error.title()), message: ctx.t(error.message) };
        let body = page.render().unwrap_or_else(|_| ctx.t(error.message).to_string());
        let cookies: Vec<HeaderValue> = response.headers().get_all(header::SET_COOKIE).iter().cloned().collect();
        response = (error.status, Html(body)).into_response();
        for c in cookies {
            response.headers_mut().append(header::SET_COOKIE, c);
        }
    }
    if let Some(value) = new_csrf_cookie {
        response.headers_mut().append(header::SET_COOKIE, set_cookie(CSRF_COOKIE, value, YEAR_SECS, ctx.secure));
    }
    // The same URL renders differently per language and per visitor.
    response.headers_mut().insert(header::VARY, HeaderValue::from_static("Cookie, Accept-Language"));
    // Pages carry per-visitor content (CSRF tokens, the cart, account data): no shared or
    // browser cache may keep them, error pages and redirects included, unless the handler
    // chose a policy itself (e.g. sitemap.xml).
    if !response.headers().contains_key(header::CACHE_CONTROL) {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    with_security_headers(response)
}

/// The security headers of every HTML response.
pub fn with_security_headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csrf_field_of_a_multipart_body() {
        let ct = "multipart/form-data; boundary=\"XyZ\"";
        let b = multipart_boundary(ct).unwrap();
        assert_eq!(b, "XyZ");
        assert_eq!(multipart_boundary("application/x-www-form-urlencoded"), None);
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"alt\"\r\n\r\nhi\r\n\
                     --XyZ\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\ntok-en\r\n--XyZ--\r\n";
        assert_eq!(multipart_text(body, &b, "_csrf").as_deref(), Some("tok-en"));
        assert_eq!(multipart_text(body, &b, "alt").as_deref(), Some("hi"));
        assert_eq!(multipart_text(body, &b, "file"), None);
        assert_eq!(multipart_text(b"garbage", &b, "_csrf"), None);
    }
}

/// URL-safe base64 without padding (the CSRF cookie and token alphabet).
mod base64_url {
    pub fn encode(bytes: &[u8]) -> String {
        agora_app::crypto::b64url(bytes)
    }
    pub fn decode(text: &str) -> Option<Vec<u8>> {
        agora_app::crypto::b64url_decode(text)
    }
}
