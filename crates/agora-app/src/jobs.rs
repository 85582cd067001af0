//! Background jobs stored in the `jobs` table, so they survive restarts and any process
//! can run them. PostgreSQL workers claim rows with `FOR UPDATE SKIP LOCKED`; on SQLite
//! the single writer connection serialises claims.
//!
//! A job is (kind, JSON payload, run_at). Handlers are plain async functions of the
//! feature that owns the kind; [`dispatch`] routes a claimed job to its handler.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use serde::Serialize;
use sqlx::FromRow;

use crate::App;
use crate::db::{Backend, Tx};
use crate::error::{AppError, AppResult};

/// How long a claimed job is reserved for its worker before others may retry it. A batch
/// runs its jobs concurrently, so a batch lasts about as long as its slowest job (outgoing
/// calls time out after 10 s), far below the lease.
const LEASE_MS: i64 = 5 * 60_000;
/// Jobs claimed (and run concurrently) per batch.
const BATCH: i64 = 16;

/// A job claimed for execution.
#[derive(Debug, Clone, FromRow)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub attempts: i64,
    pub max_attempts: i64,
}

impl Job {
    /// Parses the payload into the handler's type.
    pub fn payload<T: serde::de::DeserializeOwned>(&self) -> AppResult<T> {
        serde_json::from_str(&self.payload).map_err(|e| AppError::Internal(format!("job {} payload: {e}", self.id)))
    }
}

/// A job to enqueue.
pub struct NewJob<'a, P: Serialize> {
    pub kind: &'a str,
    /// At most one pending job per key (e.g. `order.timeout:42`); a duplicate is ignored.
    pub dedupe_key: Option<String>,
    pub payload: &'a P,
    pub run_at: i64,
}

/// Enqueues a job in the caller's transaction.
pub async fn enqueue<P: Serialize>(tx: &mut Tx, now: i64, job: NewJob<'_, P>) -> AppResult<()> {
    let payload = serde_json::to_string(job.payload).map_err(|e| AppError::Internal(e.to_string()))?;
    sqlx::query(
        "INSERT INTO jobs (kind, dedupe_key, payload, run_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(job.kind)
    .bind(job.dedupe_key)
    .bind(payload)
    .bind(job.run_at)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

type HandlerFuture<'a> = Pin<Box<dyn Future<Output = AppResult<()>> + Send + 'a>>;

/// Routes a job to the feature that owns its kind.
fn dispatch<'a>(app: &'a App, job: &'a Job) -> HandlerFuture<'a> {
    match job.kind.as_str() {
        crate::orders::jobs::PAYMENT_TIMEOUT => Box::pin(crate::orders::jobs::payment_timeout(app, job)),
        crate::orders::jobs::AUTO_COMPLETE => Box::pin(crate::orders::jobs::auto_complete(app, job)),
        crate::payments::sandbox::NOTIFY_JOB => Box::pin(crate::payments::sandbox::notify(app, job)),
        // Each feature adds its kinds here.
        crate::catalog::jobs::PUBLISH => Box::pin(crate::catalog::jobs::publish(app, job)),
        other => {
            let kind = other.to_string();
            Box::pin(async move { Err(AppError::Internal(format!("unknown job kind {kind}"))) })
        }
    }
}

/// Claims up to `limit` due jobs.
pub async fn claim(app: &App, limit: i64) -> AppResult<Vec<Job>> {
    let now = app.now();
    let sql = match app.db.backend() {
        Backend::Postgres => {
            "UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until = $1, updated_at = $2 \
             WHERE id IN (SELECT id FROM jobs WHERE (status = 'pending' AND run_at <= $2) \
               OR (status = 'running' AND locked_until < $2) ORDER BY run_at LIMIT $3 FOR UPDATE SKIP LOCKED) \
             RETURNING id, kind, payload, attempts, max_attempts"
        }
        Backend::Sqlite => {
            "UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until = $1, updated_at = $2 \
             WHERE id IN (SELECT id FROM jobs WHERE (status = 'pending' AND run_at <= $2) \
               OR (status = 'running' AND locked_until < $2) ORDER BY run_at LIMIT $3) \
             RETURNING id, kind, payload, attempts, max_attempts"
        }
    };
    let jobs = sqlx::query_as(sql).bind(now + LEASE_MS).bind(now).bind(limit).fetch_all(app.db.writer()).await?;
    Ok(jobs)
}

/// Exponential backoff for a failed attempt: 10 s, 20 s, 40 s … capped at one hour.
pub fn backoff_ms(attempts: i64) -> i64 {
    let exp = attempts.clamp(1, 20) - 1;
    (10_000i64 << exp).min(3_600_000)
}

/// Records a job's outcome, but only while this worker still holds the job: every claim
/// increments `attempts`, so a job whose lease expired and was claimed again by another
/// worker no longer matches and is left to that worker.
pub async fn finish(app: &App, job: &Job, result: AppResult<()>) -> AppResult<()> {
    let now = app.now();
    let done = match result {
        Ok(()) => {
            sqlx::query("DELETE FROM jobs WHERE id = $1 AND status = 'running' AND attempts = $2")
                .bind(job.id)
                .bind(job.attempts)
                .execute(app.db.writer())
                .await?
        }
        Err(err) => {
            tracing::warn!(job_id = job.id, kind = %job.kind, attempts = job.attempts, error = %err, "job failed");
            let (status, run_at) = if job.attempts >= job.max_attempts {
                ("failed", now)
            } else {
                ("pending", now + backoff_ms(job.attempts))
            };
            sqlx::query(
                "UPDATE jobs SET status = $1, run_at = $2, locked_until = NULL, last_error = $3, updated_at = $4, \
                 dedupe_key = CASE WHEN $1 = 'failed' THEN NULL ELSE dedupe_key END \
                 WHERE id = $5 AND status = 'running' AND attempts = $6",
            )
            .bind(status)
            .bind(run_at)
            .bind(err.to_string())
            .bind(now)
            .bind(job.id)
            .bind(job.attempts)
            .execute(app.db.writer())
            .await?
        }
    };
    if done.rows_affected() == 0 {
        tracing::warn!(job_id = job.id, kind = %job.kind, "job lease lost: another worker claimed it again");
    }
    Ok(())
}

/// Runs one claimed job and records its outcome.
async fn run_one(app: App, job: Job) -> AppResult<()> {
    let result = dispatch(&app, &job).await;
    finish(&app, &job, result).await
}

/// Runs every job due now, batch by batch (the jobs of a batch concurrently), until none
/// is left. Returns how many ran.
pub async fn run_due(app: &App) -> AppResult<usize> {
    let mut total = 0;
    loop {
        let batch = claim(app, BATCH).await?;
        if batch.is_empty() {
            return Ok(total);
        }
        total += batch.len();
        let mut running = tokio::task::JoinSet::new();
        for job in batch {
            running.spawn(run_one(app.clone(), job));
        }
        let mut first_error = None;
        while let Some(joined) = running.join_next().await {
            let outcome = joined.map_err(|e| AppError::Internal(format!("job task: {e}"))).and_then(|r| r);
            if let Err(err) = outcome {
                first_error.get_or_insert(err);
            }
        }
        if let Some(err) = first_error {
            return Err(err);
        }
    }
}

/// Number of jobs that are pending or running (tests assert none are left behind).
pub async fn pending_count(app: &App) -> AppResult<i64> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE status IN ('pending', 'running')")
        .fetch_one(app.db.reader())
        .await?;
    Ok(n)
}

/// The worker loop of `agora serve`: polls for due jobs until `shutdown` resolves.
pub async fn worker(app: App, poll: Duration, shutdown: impl Future<Output = ()>) {
    tokio::pin!(shutdown);
    loop {
        if let Err(err) = run_due(&app).await {
            tracing::error!(error = %err, "job worker pass failed");
        }
        tokio::select! {
            () = &mut shutdown => return,
            () = tokio::time::sleep(poll) => {}
        }
    }
}
