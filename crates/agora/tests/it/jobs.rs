//! The job queue: leases and what a worker that lost its lease may still do.

use agora_app::AppError;
use agora_app::jobs::{self, Job, NewJob};
use agora_testkit::TestApp;
use serde_json::json;

both_backends!(a_worker_that_lost_its_lease_cannot_finish_the_job);

async fn enqueue(t: &TestApp) {
    let now = t.app.now();
    let mut tx = t.app.db.begin().await.unwrap();
    let job = NewJob { kind: "test.noop", dedupe_key: None, payload: &json!({}), run_at: now };
    jobs::enqueue(&mut tx, now, job).await.unwrap();
    tx.commit().await.unwrap();
}

async fn claim_one(t: &TestApp) -> Job {
    let mut claimed = jobs::claim(&t.app, 16).await.unwrap();
    assert_eq!(claimed.len(), 1);
    claimed.remove(0)
}

async fn a_worker_that_lost_its_lease_cannot_finish_the_job(t: &TestApp) {
    enqueue(t).await;
    let first = claim_one(t).await;
    assert!(jobs::claim(&t.app, 16).await.unwrap().is_empty(), "leased jobs are not claimed twice");
    // The first worker stalls past its lease; a second worker takes the job over.
    t.clock.advance_ms(5 * 60_000 + 1);
    let second = claim_one(t).await;
    assert_eq!(second.attempts, first.attempts + 1);
    // The stalled worker wakes up: neither its success nor its failure may touch the job.
    jobs::finish(&t.app, &first, Ok(())).await.unwrap();
    assert_eq!(jobs::pending_count(&t.app).await.unwrap(), 1, "still held by the second worker");
    jobs::finish(&t.app, &first, Err(AppError::Internal("stale".into()))).await.unwrap();
    let status: String = sqlx::query_scalar("SELECT status FROM jobs").fetch_one(t.app.db.reader()).await.unwrap();
    assert_eq!(status, "running");
    jobs::finish(&t.app, &second, Ok(())).await.unwrap();
    assert_eq!(jobs::pending_count(&t.app).await.unwrap(), 0, "the current holder finishes it");
}
