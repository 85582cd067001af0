//! Cross-feature steps that follow an HTTP action (kept here so features stay apart).

use crate::error::ApiResult;
use crate::state::AppState;

/// After a customer logs in: merge the guest cart they brought, if any.
pub async fn after_customer_login(state: &AppState, customer_id: i64, cart_token: Option<&str>) -> ApiResult<()> {
    // The customer is logged in already; a failed merge must not turn that into an error.
    if let Some(token) = cart_token
        && let Err(e) = agora_app::cart::merge_guest_cart(&state.app, customer_id, token).await
    {
        tracing::warn!(error = %e, customer_id, "merging the guest cart at login failed");
    }
    Ok(())
}
