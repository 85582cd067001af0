//! Cross-feature steps that follow an HTTP action (kept here so features stay apart).

use crate::error::ApiResult;
use crate::state::AppState;

/// After a customer logs in: merge the guest cart they brought, if any.
pub async fn after_customer_login(state: &AppState, customer_id: i64, cart_token: Option<&str>) -> ApiResult<()> {
    let _ = (state, customer_id, cart_token);
    Ok(())
}
