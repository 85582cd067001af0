//! A fixed-window rate limiter kept in process memory. It guards login endpoints against
//! guessing; the per-account lockout (stored in the database) is the shared defence.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::error::{AppError, AppResult};

#[derive(Debug)]
pub struct RateLimiter {
    max: u32,
    window_ms: i64,
    hits: Mutex<HashMap<String, (i64, u32)>>,
}

impl RateLimiter {
    pub fn new(max: u32, window_ms: i64) -> Self {
        RateLimiter { max, window_ms, hits: Mutex::new(HashMap::new()) }
    }

    /// Counts one hit for `key`; refuses once `max` hits fall in the current window.
    pub fn check(&self, key: &str, now: i64) -> AppResult<()> {
        let mut hits = self.hits.lock().unwrap_or_else(|p| p.into_inner());
        if hits.len() > 100_000 {
            hits.retain(|_, (start, _)| now - *start < self.window_ms);
        }
        let entry = hits.entry(key.to_string()).or_insert((now, 0));
        if now - entry.0 >= self.window_ms {
            *entry = (now, 0);
        }
        if entry.1 >= self.max {
            let retry_ms = self.window_ms - (now - entry.0);
            return Err(AppError::RateLimited { retry_after_secs: (retry_ms / 1000).max(1) as u64 });
        }
        entry.1 += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_after_max_then_resets_next_window() {
        let limiter = RateLimiter::new(2, 1000);
        assert!(limiter.check("a", 0).is_ok());
        assert!(limiter.check("a", 10).is_ok());
        assert!(matches!(limiter.check("a", 20), Err(AppError::RateLimited { .. })));
        assert!(limiter.check("b", 20).is_ok());
        assert!(limiter.check("a", 1000).is_ok());
    }
}
