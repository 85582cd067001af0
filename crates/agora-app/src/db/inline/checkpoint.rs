//! Background WAL checkpoints for an SQLite database.
//!
//! SQLite checkpoints on the committing connection by default: once the WAL passes
//! `wal_autocheckpoint` pages, one unlucky commit copies them all into the database file and
//! syncs it while every other write waits (about 95 ms per 10,000 pages on the 2-core bench
//! machine). A thread of its own runs PASSIVE checkpoints instead, a few times a second; they
//! copy what is committed without blocking writers or readers. The writer's own automatic
//! checkpoint stays as the backstop: under sustained writes the WAL is only rewound from its
//! start after a checkpoint that caught up while no write was in flight, and the writer's
//! one, taken on its own commit, catches up unless a reader still needs older frames — and by
//! then it has little left to copy.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::Connection;
use sqlx::Error;

use super::InlineOptions;
use super::error::from_sqlite;

/// Pause between two checkpoints.
const INTERVAL: Duration = Duration::from_millis(100);

/// Handle of the checkpoint thread; the thread ends when this is stopped or dropped.
#[derive(Debug)]
pub struct Checkpointer {
    stop: Mutex<Option<Sender<()>>>,
    copied: Arc<AtomicU64>,
}

impl Checkpointer {
    /// Opens a connection to the database of `url` (the inline driver's) and starts
    /// checkpointing it.
    pub fn start(url: &str) -> Result<Checkpointer, Error> {
        let options: InlineOptions = url.parse()?;
        let conn = Connection::open_with_flags(&options.path, options.flags).map_err(from_sqlite)?;
        // A checkpoint copies pages from the WAL to the file; it needs no page cache of its own.
        conn.execute_batch("PRAGMA cache_size = 16").map_err(from_sqlite)?;
        let (stop, stopped) = mpsc::channel::<()>();
        let copied = Arc::new(AtomicU64::new(0));
        let counter = Arc::clone(&copied);
        let spawned = std::thread::Builder::new().name("agora-checkpoint".into()).spawn(move || {
            let mut before = 0;
            while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(INTERVAL) {
                match checkpoint(&conn) {
                    // The count restarts when the WAL is rewound.
                    Ok(Some(done)) => {
                        counter.fetch_add(done.checked_sub(before).unwrap_or(done), Ordering::Relaxed);
                        before = done;
                    }
                    Ok(None) => {}
                    Err(e) => tracing::warn!(error = %e, "background SQLite checkpoint failed"),
                }
            }
        });
        spawned.map_err(Error::Io)?;
        Ok(Checkpointer { stop: Mutex::new(Some(stop)), copied })
    }

    /// WAL frames this thread has seen copied into the database file so far (including a few
    /// the writer's own checkpoints copied).
    pub fn frames_copied(&self) -> u64 {
        self.copied.load(Ordering::Relaxed)
    }

    /// Ends the thread (it finishes a checkpoint in progress first).
    pub fn stop(&self) {
        if let Ok(mut stop) = self.stop.lock() {
            stop.take();
        }
    }
}

/// One PASSIVE checkpoint; returns how many frames of the WAL are now in the database file,
/// or `None` when another checkpoint (the writer's) held the lock or the file is not in WAL mode.
fn checkpoint(conn: &Connection) -> rusqlite::Result<Option<u64>> {
    let (busy, done): (i64, i64) =
        conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| Ok((r.get(0)?, r.get(2)?)))?;
    Ok(if busy == 0 { u64::try_from(done).ok() } else { None })
}
