//! The sandbox wallet's own pages (not part of the shop's API): a minimal HTML page with
//! the payment's QR code (inline SVG drawn here, its payload also as text) and Pay and Fail
//! buttons. Every value shown is HTML-escaped.

use agora_app::payments::sandbox::{self, SandboxPayment};
use axum::extract::State;
use axum::response::Html;
use qrcode::QrCode;
use qrcode::render::svg;

use crate::error::ApiResult;
use crate::input::Path;
use crate::state::AppState;

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn money(amount: i64, currency: &str) -> String {
    format!("{}.{:02} {}", amount / 100, (amount % 100).abs(), currency)
}

/// The QR code of `payload` as inline SVG (no script, no style attribute), labelled with
/// the payload for screen readers; empty if the payload cannot be encoded.
fn qr_svg(payload: &str) -> String {
    let Ok(code) = QrCode::new(payload.as_bytes()) else { return String::new() };
    let svg = code.render::<svg::Color>().min_dimensions(200, 200).build();
    // Inline in HTML: no XML declaration.
    let svg = svg.split_once("?>").map_or(svg.as_str(), |(_, rest)| rest);
    let label = escape(&format!("QR code: {payload}"));
    svg.replacen("<svg ", &format!("<svg role=\"img\" aria-label=\"{label}\" data-testid=\"sandbox-qr\" "), 1)
}

fn render(p: &SandboxPayment, message: &str) -> Html<String> {
    let id = escape(&p.id);
    let buttons = if p.status == "succeeded" {
        String::new()
    } else {
        format!(
            "<form method=\"post\" action=\"/sandbox/pay/{id}/succeed\"><button type=\"submit\" class=\"primary\" data-testid=\"sandbox-pay\">Pay</button></form>\
             <form method=\"post\" action=\"/sandbox/pay/{id}/fail\"><button type=\"submit\">Fail</button></form>"
        )
    };
    // The same payload the provider returns as `qr_payload`; a wallet app would scan it.
    // A paid payment has nothing left to scan (and the QR encoding is the costly part).
    let qr = sandbox::qr_payload(&p.id, p.amount, &p.currency);
    let figure = if p.status == "succeeded" {
        String::new()
    } else {
        format!(
            "<figure class=\"qr\">{}<figcaption>Scan with the sandbox wallet: <code>{}</code></figcaption></figure>",
            qr_svg(&qr),
            escape(&qr)
        )
    };
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"robots\" content=\"noindex\">\
         <title>Sandbox wallet</title><link rel=\"stylesheet\" href=\"{css}\"></head><body>\
         <main class=\"main\"><section class=\"panel narrow\"><h1>Sandbox wallet</h1><p>{}</p>\
         <p>Amount: <strong>{}</strong></p><p>Status: <strong data-testid=\"sandbox-status\">{}</strong></p>\
         <p class=\"alert\" role=\"status\">{}</p>\
         {figure}{buttons}\
         <p><a href=\"/orders/return/{id}\" data-testid=\"sandbox-return\">Back to the shop</a></p></section></main></body></html>",
        escape(&p.subject),
        escape(&money(p.amount, &p.currency)),
        escape(&p.status),
        escape(message),
        css = escape(&crate::pages::assets::url("app.css")),
    ))
}

/// The sandbox provider's pay page.
#[utoipa::path(get, path = "/sandbox/pay/{id}", tag = "payments", params(("id" = String, Path)),
    responses((status = 200, content_type = "text/html", body = String), (status = 404, body = crate::error::Problem)))]
pub async fn page(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Html<String>> {
    let p = sandbox::find(&state.app, &id).await?;
    Ok(render(&p, ""))
}

/// The buyer pays: the sandbox notifies the shop asynchronously.
#[utoipa::path(post, path = "/sandbox/pay/{id}/succeed", tag = "payments", params(("id" = String, Path)),
    responses((status = 200, content_type = "text/html", body = String), (status = 404, body = crate::error::Problem)))]
pub async fn succeed(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Html<String>> {
    let p = sandbox::complete(&state.app, &id, true).await?;
    Ok(render(&p, "Payment complete. The shop will be notified."))
}

/// The payment fails (e.g. the buyer cancels in the wallet).
#[utoipa::path(post, path = "/sandbox/pay/{id}/fail", tag = "payments", params(("id" = String, Path)),
    responses((status = 200, content_type = "text/html", body = String), (status = 404, body = crate::error::Problem)))]
pub async fn fail(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Html<String>> {
    let p = sandbox::complete(&state.app, &id, false).await?;
    Ok(render(&p, "Payment failed."))
}
