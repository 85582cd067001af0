//! Who may open a page. Guests are sent to the right login page; a staff member without
//! the permission, or a customer on a staff page, gets the 403 page.

use std::marker::PhantomData;

use agora_app::auth::{Permission, Principal, Role};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};

use super::ctx::{Ctx, PageError};
use crate::extract::Perm;

/// A logged-in customer on a storefront page.
pub struct CustomerPage {
    pub customer_id: i64,
    pub session_id: i64,
    pub principal: Principal,
}

impl<S: Send + Sync> FromRequestParts<S> for CustomerPage {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, state).await.map_err(IntoResponse::into_response)?;
        match ctx.viewer {
            Some(p @ Principal::Customer { customer_id, session_id }) => {
                Ok(CustomerPage { customer_id, session_id, principal: p })
            }
            _ => Err(Redirect::to("/account/login").into_response()),
        }
    }
}

/// Any logged-in staff member on an admin page.
pub struct StaffSession {
    pub staff_id: i64,
    pub role: Role,
    pub session_id: i64,
}

impl StaffSession {
    /// 403 unless the role grants `permission`.
    pub fn require(&self, permission: Permission) -> Result<(), PageError> {
        if self.role.allows(permission) { Ok(()) } else { Err(PageError::forbidden()) }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for StaffSession {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, state).await.map_err(IntoResponse::into_response)?;
        match ctx.viewer {
            Some(Principal::Staff { staff_id, role, session_id }) => Ok(StaffSession { staff_id, role, session_id }),
            _ => Err(Redirect::to("/admin/login").into_response()),
        }
    }
}

/// A staff member whose role grants permission `P`.
pub struct StaffPage<P: Perm> {
    pub staff: StaffSession,
    _perm: PhantomData<P>,
}

impl<S: Send + Sync, P: Perm> FromRequestParts<S> for StaffPage<P> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let staff = StaffSession::from_request_parts(parts, state).await?;
        staff.require(P::PERMISSION).map_err(IntoResponse::into_response)?;
        Ok(StaffPage { staff, _perm: PhantomData })
    }
}
