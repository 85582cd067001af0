//! Customer account pages: register, log in and out, profile, password, sessions.

use agora_app::AppError;
use agora_app::auth::{self, Customer, Registration};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::ctx::{Ctx, PageError, PageResult, page, render, see_other};
use super::form::{Form, FormState, given};
use super::guard::CustomerPage;
use crate::extract::ClientInfo;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "account/register.html")]
struct RegisterPage {
    ctx: Ctx,
    form: FormState,
}

#[derive(Template)]
#[template(path = "account/login.html")]
struct LoginPage {
    ctx: Ctx,
    form: FormState,
}

/// Session cookie lifetime, in seconds, from the configured session lifetime.
fn cookie_age(state: &AppState) -> i64 {
    state.app.settings.session_ttl_ms / 1000
}

pub async fn register_form(ctx: Ctx) -> PageResult {
    if ctx.is_customer() {
        return Ok(Redirect::to("/account").into_response());
    }
    page(&RegisterPage { ctx, form: FormState::default() })
}

#[derive(Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    display_name: String,
}

pub async fn register(
    State(state): State<AppState>,
    ctx: Ctx,
    client: ClientInfo,
    Form(f): Form<RegisterForm>,
) -> PageResult {
    let input = Registration {
        email: given(&f.email),
        phone: given(&f.phone),
        password: f.password,
        display_name: given(&f.display_name),
    };
    let kept =
        FormState::default().keep("email", &f.email).keep("phone", &f.phone).keep("display_name", &f.display_name);
    match auth::register_customer(&state.app, &input, &client.user_agent).await {
        Ok((_, session)) => {
            Ok(see_other("/account", Some(ctx.session_cookie(Some(&session.token), cookie_age(&state)))))
        }
        Err(AppError::Conflict { code: "account_exists", .. }) => {
            let field = if input.email.is_some() { "email" } else { "phone" };
            let form = kept
                .field_error(field, "an account with this e-mail or phone already exists")
                .with_notice("account.exists");
            render(StatusCode::CONFLICT, &RegisterPage { ctx, form })
        }
        Err(e) => {
            let form = kept.absorb(e, &[])?;
            render(StatusCode::UNPROCESSABLE_ENTITY, &RegisterPage { ctx, form })
        }
    }
}

pub async fn login_form(ctx: Ctx) -> PageResult {
    if ctx.is_customer() {
        return Ok(Redirect::to("/account").into_response());
    }
    page(&LoginPage { ctx, form: FormState::default() })
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    identifier: String,
    #[serde(default)]
    password: String,
}

/// The status and notice for a refused login, or None for an unexpected failure.
pub(super) fn login_refusal(e: &AppError) -> Option<(StatusCode, &'static str)> {
    match e {
        AppError::InvalidCredentials | AppError::Validation(_) => {
            Some((StatusCode::UNAUTHORIZED, "account.login_failed"))
        }
        AppError::RateLimited { .. } => Some((StatusCode::TOO_MANY_REQUESTS, "account.rate_limited")),
        _ => None,
    }
}

pub async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    client: ClientInfo,
    headers: axum::http::HeaderMap,
    Form(f): Form<LoginForm>,
) -> PageResult {
    let result = auth::login_customer(&state.app, &f.identifier, &f.password, &client.key, &client.user_agent).await;
    match result {
        Ok((customer, session)) => {
            let guest_cart = super::ctx::cookie(&headers, super::store::CART_COOKIE).map(str::to_string);
            crate::hooks::after_customer_login(&state, customer.id, guest_cart.as_deref())
                .await
                .map_err(|e| PageError::from(e.0))?;
            drop_previous_session(&state, &ctx).await?;
            Ok(see_other("/account", Some(ctx.session_cookie(Some(&session.token), cookie_age(&state)))))
        }
        Err(e) => {
            let (status, notice) = login_refusal(&e).ok_or_else(|| PageError::from(e))?;
            let form = FormState::default().keep("identifier", &f.identifier).with_notice(notice);
            render(status, &LoginPage { ctx, form })
        }
    }
}

/// A new login replaces the session the browser held before (customer or staff).
pub(super) async fn drop_previous_session(state: &AppState, ctx: &Ctx) -> Result<(), PageError> {
    if let Some(token) = &ctx.session_token {
        auth::revoke_token(&state.app, token).await?;
    }
    Ok(())
}

/// Logs out whoever holds the session cookie (customer or staff) and clears the cookie.
pub(super) async fn end_session(state: &AppState, ctx: &Ctx, to: &str) -> Result<Response, PageError> {
    drop_previous_session(state, ctx).await?;
    Ok(see_other(to, Some(ctx.session_cookie(None, 0))))
}

pub async fn logout(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    end_session(&state, &ctx, "/").await
}

#[derive(Template)]
#[template(path = "account/profile.html")]
struct ProfilePage {
    ctx: Ctx,
    customer: Customer,
    member_since: String,
}

pub async fn profile(State(state): State<AppState>, ctx: Ctx, me: CustomerPage) -> PageResult {
    let customer = auth::get_customer(&state.app, me.customer_id).await?;
    let member_since = super::date(customer.created_at);
    page(&ProfilePage { ctx, customer, member_since })
}

#[derive(Template)]
#[template(path = "account/password.html")]
struct PasswordPage {
    ctx: Ctx,
    form: FormState,
    done: bool,
}

pub async fn password_form(ctx: Ctx, _me: CustomerPage) -> PageResult {
    page(&PasswordPage { ctx, form: FormState::default(), done: false })
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    ctx: Ctx,
    me: CustomerPage,
    Form(f): Form<PasswordForm>,
) -> PageResult {
    let result =
        auth::change_password(&state.app, me.customer_id, me.session_id, &f.current_password, &f.new_password).await;
    match result {
        Ok(()) => page(&PasswordPage { ctx, form: FormState::default(), done: true }),
        Err(e @ AppError::RateLimited { .. }) => {
            let (status, notice) = login_refusal(&e).ok_or_else(|| PageError::from(e))?;
            render(status, &PasswordPage { ctx, form: FormState::default().with_notice(notice), done: false })
        }
        Err(e) => {
            let form = FormState::default().absorb(e, &[])?;
            render(StatusCode::UNPROCESSABLE_ENTITY, &PasswordPage { ctx, form, done: false })
        }
    }
}

/// A session row as shown.
pub struct SessionRow {
    pub id: i64,
    pub user_agent: String,
    pub created: String,
    pub last_seen: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "account/sessions.html")]
struct SessionsPage {
    ctx: Ctx,
    sessions: Vec<SessionRow>,
}

pub async fn sessions(State(state): State<AppState>, ctx: Ctx, me: CustomerPage) -> PageResult {
    let list = auth::list_sessions(&state.app, &me.principal).await?;
    let sessions = list
        .into_iter()
        .map(|s| SessionRow {
            current: s.id == me.session_id,
            id: s.id,
            user_agent: s.user_agent,
            created: super::datetime(s.created_at),
            last_seen: super::datetime(s.last_seen_at),
        })
        .collect();
    page(&SessionsPage { ctx, sessions })
}

pub async fn revoke(State(state): State<AppState>, me: CustomerPage, Path(id): Path<String>) -> PageResult {
    let id: i64 = id.parse().map_err(|_| PageError::not_found())?;
    auth::revoke_session(&state.app, &me.principal, id).await?;
    Ok(see_other("/account/sessions", None))
}
