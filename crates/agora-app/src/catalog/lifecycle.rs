//! Product lifecycle: draft → scheduled (publish_at in the future) → listed ⇄ delisted.
//! Scheduled listing is done by the `catalog.publish` job; a job whose schedule is stale
//! (rescheduled, listed by hand) does nothing.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Errors, Touched, commit, jobs, products};
use crate::audit::{self, Actor, Change};
use crate::error::{AppError, AppResult};
use crate::{App, Tx, events};

/// Lifecycle state of a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Draft,
    Scheduled,
    Listed,
    Delisted,
}

/// A requested lifecycle change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Schedule,
    List,
    Delist,
}

impl Status {
    pub fn parse(s: &str) -> Option<Status> {
        match s {
            "draft" => Some(Status::Draft),
            "scheduled" => Some(Status::Scheduled),
            "listed" => Some(Status::Listed),
            "delisted" => Some(Status::Delisted),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Scheduled => "scheduled",
            Status::Listed => "listed",
            Status::Delisted => "delisted",
        }
    }

    /// The status after `action`, or None when the change is illegal.
    pub fn apply(self, action: Action) -> Option<Status> {
        use Status as S;
        match (self, action) {
            (S::Draft | S::Scheduled | S::Delisted, Action::Schedule) => Some(S::Scheduled),
            (S::Draft | S::Scheduled | S::Delisted, Action::List) => Some(S::Listed),
            (S::Listed, Action::Delist) => Some(S::Delisted),
            _ => None,
        }
    }
}

fn illegal(id: i64, from: &str, action: Action) -> AppError {
    AppError::conflict("illegal_transition", format!("product {id} is {from}; cannot {action:?}").to_lowercase())
}

/// Lists a product now, or schedules it when `publish_at` is in the future (audited).
pub async fn publish(app: &App, actor: &Actor, id: i64, publish_at: Option<i64>) -> AppResult<super::Product> {
    let now = app.now();
    let action = match publish_at {
        Some(at) if at > now => Action::Schedule,
        _ => Action::List,
    };
    let mut tx = app.db.begin().await?;
    let before = products::load_locked(&mut tx, id, now).await?;
    if !before.skus.iter().any(|s| s.active) {
        return Err(AppError::conflict("product_incomplete", "a product needs an active SKU before it is listed"));
    }
    transition(&mut tx, actor, now, &before, action, publish_at).await?;
    let after = products::load(&mut tx, id).await?;
    commit(app, tx, Touched::Products(&[id])).await?;
    Ok(after)
}

/// Takes a listed product off sale (audited).
pub async fn delist(app: &App, actor: &Actor, id: i64) -> AppResult<super::Product> {
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let before = products::load_locked(&mut tx, id, now).await?;
    transition(&mut tx, actor, now, &before, Action::Delist, None).await?;
    let after = products::load(&mut tx, id).await?;
    commit(app, tx, Touched::Products(&[id])).await?;
    Ok(after)
}

async fn transition(
    tx: &mut Tx,
    actor: &Actor,
    now: i64,
    before: &super::Product,
    action: Action,
    publish_at: Option<i64>,
) -> AppResult<()> {
    let from = Status::parse(&before.status).ok_or_else(|| AppError::Internal("unknown product status".into()))?;
    let to = from.apply(action).ok_or_else(|| illegal(before.id, &before.status, action))?;
    let (publish_at, listed_at) = match to {
        Status::Scheduled => (publish_at, before.listed_at),
        Status::Listed => (None, Some(now)),
        _ => (None, before.listed_at),
    };
    sqlx::query("UPDATE products SET status = $1, publish_at = $2, listed_at = $3, updated_at = $4 WHERE id = $5")
        .bind(to.as_str())
        .bind(publish_at)
        .bind(listed_at)
        .bind(now)
        .bind(before.id)
        .execute(&mut **tx)
        .await?;
    if let (Status::Scheduled, Some(at)) = (to, publish_at) {
        jobs::schedule(tx, now, before.id, at).await?;
    }
    let payload = serde_json::json!({"product_id": before.id, "from": from.as_str(), "to": to.as_str()});
    events::record(tx, now, &format!("product.{}", to.as_str()), &format!("product:{}", before.id), &payload).await?;
    let change = Change {
        action: match action {
            Action::Schedule => "product.schedule",
            Action::List => "product.list",
            Action::Delist => "product.delist",
        },
        entity: "product",
        entity_id: before.id.to_string(),
        before: Some(serde_json::json!({"status": from.as_str(), "publish_at": before.publish_at})),
        after: Some(serde_json::json!({"status": to.as_str(), "publish_at": publish_at})),
    };
    audit::record(tx, now, actor, change).await
}

/// What a bulk request does.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum BulkAction {
    List,
    Delist,
}

const BULK_MAX: usize = 500;

/// Lists or delists many products in one transaction; nothing changes if any one is refused.
pub async fn bulk(app: &App, actor: &Actor, ids: &[i64], action: BulkAction) -> AppResult<Vec<i64>> {
    let mut e = Errors::default();
    if ids.is_empty() || ids.len() > BULK_MAX {
        e.add("ids", format!("must list 1 to {BULK_MAX} products"));
    }
    let mut distinct = ids.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    e.finish()?;
    let now = app.now();
    let action = match action {
        BulkAction::List => Action::List,
        BulkAction::Delist => Action::Delist,
    };
    let mut tx = app.db.begin().await?;
    for &id in &distinct {
        let before = products::load_locked(&mut tx, id, now).await.map_err(|err| match err {
            AppError::NotFound { .. } => AppError::invalid("ids", format!("unknown product {id}")),
            other => other,
        })?;
        if action == Action::List && !before.skus.iter().any(|s| s.active) {
            return Err(AppError::conflict("product_incomplete", format!("product {id} has no active SKU")));
        }
        transition(&mut tx, actor, now, &before, action, None).await?;
    }
    commit(app, tx, Touched::Products(&distinct)).await?;
    Ok(distinct)
}

#[cfg(test)]
mod tests {
    use super::{Action, Status};

    #[test]
    fn transitions() {
        use Action::*;
        use Status::*;
        let table = [
            (Draft, Schedule, Some(Scheduled)),
            (Draft, List, Some(Listed)),
            (Draft, Delist, None),
            (Scheduled, Schedule, Some(Scheduled)),
            (Scheduled, List, Some(Listed)),
            (Scheduled, Delist, None),
            (Listed, Schedule, None),
            (Listed, List, None),
            (Listed, Delist, Some(Delisted)),
            (Delisted, Schedule, Some(Scheduled)),
            (Delisted, List, Some(Listed)),
            (Delisted, Delist, None),
        ];
        for (from, action, to) in table {
            assert_eq!(from.apply(action), to, "{from:?} {action:?}");
            assert_eq!(Status::parse(from.as_str()), Some(from));
        }
    }
}
