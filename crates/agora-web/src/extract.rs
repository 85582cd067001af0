//! Authentication and authorisation as extractor types. A handler that takes
//! `Staff<ManageOrders>` cannot run unless the caller is staff with that permission.

use std::marker::PhantomData;

use agora_app::AppError;
use agora_app::audit::Actor;
use agora_app::auth::{self, Permission, Principal, Role};
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

use crate::error::ApiError;
use crate::state::AppState;

/// Cookie carrying the session token for browser pages.
pub const SESSION_COOKIE: &str = "agora_session";

/// The session token of an API request: `Authorization: Bearer …`, or the session cookie
/// on safe (read-only) methods only. A browser attaches the cookie to cross-site requests
/// too, so accepting it on a POST would let any site act for a logged-in shopper (CSRF);
/// pages, which do take the cookie on forms, check a CSRF token in their own layer.
pub fn bearer_token(parts: &Parts) -> Option<String> {
    if let Some(value) = parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        return value.strip_prefix("Bearer ").map(|t| t.trim().to_string());
    }
    if !parts.method.is_safe() {
        return None;
    }
    let cookies = parts.headers.get(header::COOKIE).and_then(|v| v.to_str().ok())?;
    cookies
        .split(';')
        .filter_map(|c| c.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, v)| v.to_string())
}

/// The request id assigned by the request-id middleware.
pub fn request_id(parts: &Parts) -> String {
    parts.headers.get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
}

async fn principal(parts: &Parts, state: &AppState) -> Result<Principal, ApiError> {
    let token = bearer_token(parts).ok_or(AppError::Unauthenticated)?;
    Ok(auth::authenticate(&state.app, &token).await?)
}

/// A logged-in customer.
#[derive(Debug, Clone)]
pub struct CustomerAuth {
    pub customer_id: i64,
    pub session_id: i64,
    pub principal: Principal,
}

impl FromRequestParts<AppState> for CustomerAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match principal(parts, state).await? {
            p @ Principal::Customer { customer_id, session_id } => {
                Ok(CustomerAuth { customer_id, session_id, principal: p })
            }
            Principal::Staff { .. } => Err(AppError::Forbidden.into()),
        }
    }
}

/// A customer if the request carries a valid customer session, else a guest.
#[derive(Debug, Clone)]
pub struct MaybeCustomer(pub Option<CustomerAuth>);

impl FromRequestParts<AppState> for MaybeCustomer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if bearer_token(parts).is_none() {
            return Ok(MaybeCustomer(None));
        }
        // A present but invalid token is an error, not a silent downgrade to guest.
        CustomerAuth::from_request_parts(parts, state).await.map(|c| MaybeCustomer(Some(c)))
    }
}

/// Marker types naming one [`Permission`] each.
pub trait Perm: Send + Sync + 'static {
    const PERMISSION: Permission;
}

macro_rules! perms {
    ($($name:ident),* $(,)?) => {
        $(
            #[doc = concat!("Requires the `", stringify!($name), "` permission.")]
            #[derive(Debug, Clone, Copy)]
            pub struct $name;
            impl Perm for $name {
                const PERMISSION: Permission = Permission::$name;
            }
        )*
    };
}

perms!(ManageCatalog, ManageInventory, ViewOrders, ManageOrders, Refund, ViewCustomers, ManageStaff, ViewAudit);

/// A logged-in staff member holding permission `P`.
#[derive(Debug, Clone)]
pub struct Staff<P: Perm> {
    pub staff_id: i64,
    pub role: Role,
    pub session_id: i64,
    pub actor: Actor,
    _perm: PhantomData<P>,
}

impl<P: Perm> FromRequestParts<AppState> for Staff<P> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match principal(parts, state).await? {
            Principal::Staff { staff_id, role, session_id } => {
                if !role.allows(P::PERMISSION) {
                    return Err(AppError::Forbidden.into());
                }
                let actor = Actor { staff_id, request_id: request_id(parts) };
                Ok(Staff { staff_id, role, session_id, actor, _perm: PhantomData })
            }
            Principal::Customer { .. } => Err(AppError::Forbidden.into()),
        }
    }
}

/// Any logged-in staff member, whatever the role (logout, own sessions).
#[derive(Debug, Clone)]
pub struct AnyStaff {
    pub principal: Principal,
}

impl FromRequestParts<AppState> for AnyStaff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match principal(parts, state).await? {
            p @ Principal::Staff { .. } => Ok(AnyStaff { principal: p }),
            Principal::Customer { .. } => Err(AppError::Forbidden.into()),
        }
    }
}

/// The client's address as a rate-limit key, and its user agent.
#[derive(Debug, Clone)]
pub struct ClientInfo {
    pub key: String,
    pub user_agent: String,
}

impl<S: Send + Sync> FromRequestParts<S> for ClientInfo {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let key = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_else(|| "unknown".into());
        let user_agent =
            parts.headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        Ok(ClientInfo { key, user_agent })
    }
}
