//! `/api/v1/auth/*` (customers) and `/api/v1/admin/auth/*`, `/api/v1/admin/staff` (staff).

use agora_app::auth::{self, IssuedSession, NewStaff, Registration, SessionInfo, StaffMember};
use agora_app::{audit, auth::Customer};
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult};
use crate::extract::{AnyStaff, ClientInfo, CustomerAuth, ManageStaff, Staff, ViewAudit, bearer_token};
use crate::input::{Json, Path, Query};
use crate::orders::api::PageParams;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(sessions))
        .routes(routes!(revoke))
        .routes(routes!(staff_login))
        .routes(routes!(staff_logout))
        .routes(routes!(staff_list, staff_create))
        .routes(routes!(audit_log))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    pub email: Option<String>,
    pub phone: Option<String>,
    pub password: String,
    pub display_name: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionResponse<T: ToSchema> {
    /// Bearer token; send as `Authorization: Bearer <token>`. Shown once.
    pub token: String,
    pub session_id: i64,
    pub expires_at: i64,
    pub account: T,
}

fn session_response<T: ToSchema>(session: IssuedSession, account: T) -> SessionResponse<T> {
    SessionResponse { token: session.token, session_id: session.session_id, expires_at: session.expires_at, account }
}

/// Register a customer account (e-mail or phone + password) and log in.
#[utoipa::path(post, path = "/api/v1/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 201, body = SessionResponse<Customer>), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn register(
    State(state): State<AppState>,
    client: ClientInfo,
    Json(body): Json<RegisterRequest>,
) -> ApiResult<(StatusCode, axum::Json<SessionResponse<Customer>>)> {
    let input =
        Registration { email: body.email, phone: body.phone, password: body.password, display_name: body.display_name };
    let (customer, session) = auth::register_customer(&state.app, &input, &client.user_agent).await?;
    Ok((StatusCode::CREATED, axum::Json(session_response(session, customer))))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// E-mail address or phone number.
    pub identifier: String,
    pub password: String,
    /// A guest cart to merge into the customer's cart.
    pub cart_token: Option<String>,
}

/// Log a customer in; optionally merge a guest cart.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = SessionResponse<Customer>), (status = 401, body = crate::error::Problem), (status = 429, body = crate::error::Problem)))]
async fn login(
    State(state): State<AppState>,
    client: ClientInfo,
    Json(body): Json<LoginRequest>,
) -> ApiResult<axum::Json<SessionResponse<Customer>>> {
    let (customer, session) =
        auth::login_customer(&state.app, &body.identifier, &body.password, &client.key, &client.user_agent).await?;
    crate::hooks::after_customer_login(&state, customer.id, body.cart_token.as_deref()).await?;
    Ok(axum::Json(session_response(session, customer)))
}

fn token_of(parts: &Parts) -> ApiResult<String> {
    bearer_token(parts).ok_or(ApiError(agora_app::AppError::Unauthenticated))
}

/// Log out: revoke the session of the presented token.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", responses((status = 204)))]
async fn logout(State(state): State<AppState>, _c: CustomerAuth, parts: Parts) -> ApiResult<StatusCode> {
    auth::revoke_token(&state.app, &token_of(&parts)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The logged-in customer.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth", responses((status = 200, body = Customer), (status = 401, body = crate::error::Problem)))]
async fn me(State(state): State<AppState>, c: CustomerAuth) -> ApiResult<axum::Json<Customer>> {
    Ok(axum::Json(auth::get_customer(&state.app, c.customer_id).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    pub id: i64,
    pub user_agent: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
    /// True for the session making this request.
    pub current: bool,
}

fn session_views(list: Vec<SessionInfo>, current: i64) -> Vec<SessionView> {
    list.into_iter()
        .map(|s| SessionView {
            current: s.id == current,
            id: s.id,
            user_agent: s.user_agent,
            created_at: s.created_at,
            last_seen_at: s.last_seen_at,
            expires_at: s.expires_at,
        })
        .collect()
}

/// The customer's active sessions.
#[utoipa::path(get, path = "/api/v1/auth/sessions", tag = "auth", responses((status = 200, body = Vec<SessionView>)))]
async fn sessions(State(state): State<AppState>, c: CustomerAuth) -> ApiResult<axum::Json<Vec<SessionView>>> {
    let list = auth::list_sessions(&state.app, &c.principal).await?;
    Ok(axum::Json(session_views(list, c.session_id)))
}

/// Revoke one of the customer's sessions.
#[utoipa::path(delete, path = "/api/v1/auth/sessions/{id}", tag = "auth", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = crate::error::Problem)))]
async fn revoke(State(state): State<AppState>, c: CustomerAuth, Path(id): Path<i64>) -> ApiResult<StatusCode> {
    auth::revoke_session(&state.app, &c.principal, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffLoginRequest {
    pub email: String,
    pub password: String,
}

/// Log a staff member in.
#[utoipa::path(post, path = "/api/v1/admin/auth/login", tag = "staff", request_body = StaffLoginRequest,
    responses((status = 200, body = SessionResponse<StaffMember>), (status = 401, body = crate::error::Problem)))]
async fn staff_login(
    State(state): State<AppState>,
    client: ClientInfo,
    Json(body): Json<StaffLoginRequest>,
) -> ApiResult<axum::Json<SessionResponse<StaffMember>>> {
    let (member, session) =
        auth::login_staff(&state.app, &body.email, &body.password, &client.key, &client.user_agent).await?;
    Ok(axum::Json(session_response(session, member)))
}

/// Log a staff member out.
#[utoipa::path(post, path = "/api/v1/admin/auth/logout", tag = "staff", responses((status = 204)))]
async fn staff_logout(State(state): State<AppState>, _s: AnyStaff, parts: Parts) -> ApiResult<StatusCode> {
    auth::revoke_token(&state.app, &token_of(&parts)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A page of staff accounts.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffPage {
    pub items: Vec<StaffMember>,
    pub next_cursor: Option<String>,
}

/// Staff accounts, oldest first, a page at a time (admin only).
#[utoipa::path(get, path = "/api/v1/admin/staff", tag = "staff", params(PageParams),
    responses((status = 200, body = StaffPage), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn staff_list(
    State(state): State<AppState>,
    _s: Staff<ManageStaff>,
    Query(p): Query<PageParams>,
) -> ApiResult<axum::Json<StaffPage>> {
    let page = auth::list_staff(&state.app, p.cursor.as_deref(), p.limit).await?;
    Ok(axum::Json(StaffPage { items: page.items, next_cursor: page.next_cursor }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateStaffRequest {
    pub email: String,
    pub password: String,
    #[serde(default)]
    pub display_name: String,
    /// admin, operator, support or finance.
    pub role: String,
}

/// Create a staff account (admin only; audited).
#[utoipa::path(post, path = "/api/v1/admin/staff", tag = "staff", request_body = CreateStaffRequest,
    responses((status = 201, body = StaffMember), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn staff_create(
    State(state): State<AppState>,
    s: Staff<ManageStaff>,
    Json(body): Json<CreateStaffRequest>,
) -> ApiResult<(StatusCode, axum::Json<StaffMember>)> {
    let input =
        NewStaff { email: body.email, password: body.password, display_name: body.display_name, role: body.role };
    let member = auth::create_staff(&state.app, &input, Some(&s.actor)).await?;
    Ok((StatusCode::CREATED, axum::Json(member)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct AuditParams {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub staff_id: Option<i64>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<audit::AuditEntry>,
    pub next_cursor: Option<String>,
}

/// The audit log, newest first (admin only).
#[utoipa::path(get, path = "/api/v1/admin/audit-log", tag = "staff", params(AuditParams), responses((status = 200, body = AuditPage)))]
async fn audit_log(
    State(state): State<AppState>,
    _s: Staff<ViewAudit>,
    Query(p): Query<AuditParams>,
) -> ApiResult<axum::Json<AuditPage>> {
    let q = audit::AuditQuery {
        entity: p.entity,
        entity_id: p.entity_id,
        staff_id: p.staff_id,
        cursor: p.cursor,
        limit: p.limit,
    };
    let page = audit::list(&state.app, &q).await?;
    Ok(axum::Json(AuditPage { items: page.items, next_cursor: page.next_cursor }))
}
