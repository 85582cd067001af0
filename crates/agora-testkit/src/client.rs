//! A small JSON client for tests.

use serde_json::Value;

/// A response: status, headers and the body parsed as JSON (Null when empty or not JSON).
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts a problem+json error with `status` and `code`.
    pub fn assert_problem(&self, status: u16, code: &str) {
        assert_eq!(self.status, status, "status; body: {}", self.text);
        assert_eq!(self.header("content-type"), Some("application/problem+json"), "content type; body: {}", self.text);
        assert_eq!(self.body["code"], code, "code; body: {}", self.text);
    }

    /// True when `field` is named among the problem's per-field errors.
    pub fn names_field(&self, field: &str) -> bool {
        self.body["errors"].as_array().is_some_and(|errs| errs.iter().any(|e| e["field"] == field))
    }
}

#[derive(Clone)]
pub struct Client {
    base: String,
    http: reqwest::Client,
}

impl Client {
    pub fn new(base: String) -> Client {
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        Client { base, http }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn raw(&self) -> &reqwest::Client {
        &self.http
    }

    pub async fn send(&self, req: reqwest::RequestBuilder) -> Response {
        let res = req.send().await.expect("request");
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let text = res.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Response { status, headers, body, text }
    }

    fn auth(req: reqwest::RequestBuilder, token: Option<&str>) -> reqwest::RequestBuilder {
        match token {
            Some(t) => req.bearer_auth(t),
            None => req,
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        self.send(Self::auth(self.http.get(self.url(path)), token)).await
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> Response {
        self.send(Self::auth(self.http.delete(self.url(path)), token)).await
    }

    pub async fn post(&self, path: &str, body: &Value, token: Option<&str>) -> Response {
        self.send(Self::auth(self.http.post(self.url(path)).json(body), token)).await
    }

    pub async fn put(&self, path: &str, body: &Value, token: Option<&str>) -> Response {
        self.send(Self::auth(self.http.put(self.url(path)).json(body), token)).await
    }

    pub async fn patch(&self, path: &str, body: &Value, token: Option<&str>) -> Response {
        self.send(Self::auth(self.http.patch(self.url(path)).json(body), token)).await
    }

    /// POST with raw bytes and a content type (malformed-input tests).
    pub async fn post_raw(&self, path: &str, content_type: &str, body: Vec<u8>, token: Option<&str>) -> Response {
        let req = self.http.post(self.url(path)).header("content-type", content_type).body(body);
        self.send(Self::auth(req, token)).await
    }
}
