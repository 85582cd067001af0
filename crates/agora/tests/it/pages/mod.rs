//! HTML pages over HTTP: rendering, language, security headers, CSRF, forms, roles.

mod account;
mod addresses;
mod admin;
mod admin_console;
mod admin_content;
mod admin_inventory;
mod admin_orders;
mod admin_product_images;
mod admin_products;
mod shop;
mod store;
mod storefront;

use std::collections::BTreeMap;
use std::sync::Mutex;

use agora_testkit::TestApp;

/// A minimal browser: keeps cookies, follows no redirects, reads the CSRF field of pages.
pub struct Web {
    base: String,
    http: reqwest::Client,
    cookies: Mutex<BTreeMap<String, String>>,
    accept_language: Option<String>,
}

/// A page as received.
pub struct Page {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub html: String,
}

impl Page {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
    }

    /// The `Location` of a redirect.
    pub fn location(&self) -> &str {
        self.header("location")
    }

    /// The value of the hidden CSRF field.
    pub fn csrf(&self) -> String {
        attr_after(&self.html, "name=\"_csrf\" value=\"").unwrap_or_else(|| panic!("no CSRF field in {}", self.html))
    }

    /// The `lang` attribute of `<html>`.
    pub fn lang(&self) -> String {
        attr_after(&self.html, "<html lang=\"").unwrap_or_default()
    }

    /// The message shown beside input `field`, if any.
    pub fn field_error(&self, field: &str) -> Option<String> {
        let marker = format!("data-field=\"{field}\">");
        let start = self.html.find(&marker)? + marker.len();
        Some(self.html[start..].split('<').next().unwrap_or_default().to_string())
    }

    /// The `value` attribute of input `field` (None when the input keeps no value).
    pub fn input_value(&self, field: &str) -> Option<String> {
        let marker = format!("name=\"{field}\"");
        let start = self.html.find(&marker)?;
        let tag_end = start + self.html[start..].find('>')?;
        attr_after(&self.html[start..tag_end], "value=\"")
    }

    /// Asserts the security headers every HTML page carries.
    pub fn assert_secure_headers(&self) {
        let csp = self.header("content-security-policy");
        for part in ["default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"] {
            assert!(csp.contains(part), "CSP {csp:?} lacks {part}");
        }
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert_eq!(self.header("x-content-type-options"), "nosniff");
        assert_eq!(self.header("referrer-policy"), "strict-origin-when-cross-origin");
    }
}

fn attr_after(html: &str, marker: &str) -> Option<String> {
    let start = html.find(marker)? + marker.len();
    let end = start + html[start..].find('"')?;
    Some(html[start..end].replace("&#38;", "&").replace("&amp;", "&"))
}

impl Web {
    pub fn new(t: &TestApp) -> Web {
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        Web { base: t.base_url.clone(), http, cookies: Mutex::new(BTreeMap::new()), accept_language: None }
    }

    pub fn with_accept_language(mut self, value: &str) -> Web {
        self.accept_language = Some(value.to_string());
        self
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.lock().unwrap().get(name).cloned()
    }

    pub fn set_cookie(&self, name: &str, value: &str) {
        self.cookies.lock().unwrap().insert(name.to_string(), value.to_string());
    }

    pub fn forget_cookie(&self, name: &str) {
        self.cookies.lock().unwrap().remove(name);
    }

    async fn send(&self, mut req: reqwest::RequestBuilder) -> Page {
        let jar: String = {
            let cookies = self.cookies.lock().unwrap();
            cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
        };
        if !jar.is_empty() {
            req = req.header("cookie", jar);
        }
        if let Some(lang) = &self.accept_language {
            req = req.header("accept-language", lang);
        }
        let res = req.send().await.expect("request");
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        for set in headers.get_all("set-cookie") {
            let text = set.to_str().unwrap();
            let (pair, attrs) = text.split_once(';').unwrap_or((text, ""));
            let (name, value) = pair.split_once('=').unwrap();
            if attrs.contains("Max-Age=0") {
                self.forget_cookie(name);
            } else {
                self.set_cookie(name, value);
            }
        }
        let html = res.text().await.expect("body");
        Page { status, headers, html }
    }

    pub async fn get(&self, path: &str) -> Page {
        self.send(self.http.get(format!("{}{path}", self.base))).await
    }

    /// GET as a browser navigating (Accept: text/html).
    pub async fn get_html(&self, path: &str) -> Page {
        self.send(self.http.get(format!("{}{path}", self.base)).header("accept", "text/html,*/*;q=0.8")).await
    }

    /// Posts a form exactly as given (no CSRF field added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        self.send(self.http.post(format!("{}{path}", self.base)).form(fields)).await
    }

    /// Posts a `multipart/form-data` form: text `fields` (in order), then `file` as the
    /// part `file` (empty bytes = no file chosen, as browsers send it).
    pub async fn post_multipart(&self, path: &str, fields: &[(&str, &str)], file: &[u8]) -> Page {
        const BOUNDARY: &str = "----agora-page-test";
        let mut body = Vec::new();
        for (name, value) in fields {
            let part = format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n");
            body.extend_from_slice(part.as_bytes());
        }
        let head = format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n",
            if file.is_empty() { "" } else { "picture" }
        );
        body.extend_from_slice(head.as_bytes());
        body.extend_from_slice(file);
        body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
        let req = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
            .body(body);
        self.send(req).await
    }

    /// Opens `page` to get its CSRF token, then posts `fields` with it to `action`.
    pub async fn submit(&self, page: &str, action: &str, fields: &[(&str, &str)]) -> Page {
        let form = self.get(page).await;
        assert_eq!(form.status, 200, "{page}: {}", form.html);
        let token = form.csrf();
        let mut all: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(action, &all).await
    }

    /// Registers a customer through the form; returns the e-mail.
    pub async fn register(&self, email: &str) {
        let r = self
            .submit("/account/register", "/account/register", &[("email", email), ("password", "customer-pass-1")])
            .await;
        assert_eq!(r.status, 303, "{}", r.html);
    }
}
