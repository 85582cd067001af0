//! The audit log: every staff write, newest first, filtered by entity, entity id and staff.

use agora_app::audit::{self, AuditQuery};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;

use super::{Console, MenuItem, opt};
use crate::extract::ViewAudit;
use crate::input::Query;
use crate::pages::ctx::{Ctx, PageResult, render};
use crate::pages::form::FormState;
use crate::pages::pager::Pager;
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
pub struct AuditFilters {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub staff: Option<String>,
    pub cursor: Option<String>,
    /// Cursors of the earlier pages (see `pages::pager`).
    pub back: Option<String>,
}

pub struct AuditRow {
    pub when: String,
    pub staff: String,
    pub action: String,
    pub entity: String,
    pub before: String,
    pub after: String,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    ctx: Ctx,
    menu: Vec<&'static MenuItem>,
    heading: &'static str,
    filters: FormState,
    rows: Vec<AuditRow>,
    pager: Pager,
}

pub async fn audit_log(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<ViewAudit>,
    Query(f): Query<AuditFilters>,
) -> PageResult {
    let keep = [
        ("entity", f.entity.clone().unwrap_or_default()),
        ("entity_id", f.entity_id.clone().unwrap_or_default()),
        ("staff", f.staff.clone().unwrap_or_default()),
    ];
    let mut filters = FormState::default();
    for (k, v) in &keep {
        filters = filters.keep(k, v);
    }
    let staff_id = match opt(&f.staff) {
        None => None,
        Some(s) => match s.parse::<i64>() {
            Ok(id) if id > 0 => Some(id),
            _ => {
                filters = filters.field_error("staff", ctx.t("admin_audit.bad_staff"));
                None
            }
        },
    };
    let (rows, next) = if filters.has_errors() {
        (Vec::new(), Pager::default())
    } else {
        let q = AuditQuery {
            entity: opt(&f.entity),
            entity_id: opt(&f.entity_id),
            staff_id,
            cursor: opt(&f.cursor),
            limit: Some(30),
        };
        let list = audit::list(&state.app, &q).await?;
        let rows = list
            .items
            .into_iter()
            .map(|e| AuditRow {
                when: crate::pages::datetime(e.created_at),
                staff: format!("#{}", e.staff_id),
                action: e.action,
                entity: format!("{} {}", e.entity, e.entity_id),
                before: e.before_json.unwrap_or_default(),
                after: e.after_json.unwrap_or_default(),
            })
            .collect();
        let pairs: Vec<(&str, &str)> = keep.iter().map(|(k, v)| (*k, v.as_str())).collect();
        (
            rows,
            Pager::new(
                "/admin/audit",
                &pairs,
                opt(&f.cursor).as_deref(),
                f.back.as_deref(),
                list.next_cursor.as_deref(),
            ),
        )
    };
    let status = if filters.has_errors() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    render(status, &AuditPage { ctx, menu: c.menu, heading: "admin.audit", filters, rows, pager: next })
}
