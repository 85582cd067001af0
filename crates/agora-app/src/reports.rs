//! Sales figures for the admin dashboard: gross merchandise value (GMV), order count and
//! average order value (AOV) of paid orders, today and over the last seven days, and GMV
//! per day. Days are UTC calendar days. An order counts on the day it was paid, even if it
//! was refunded or cancelled later (GMV is what was sold).

use serde::Serialize;

use crate::App;
use crate::error::AppResult;

/// One day in milliseconds.
pub const DAY_MS: i64 = 24 * 3600 * 1000;

/// GMV, paid-order count and AOV over a period (minor units).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Figures {
    pub gmv: i64,
    pub orders: i64,
    /// gmv / orders, rounded down; 0 without orders.
    pub aov: i64,
}

impl Figures {
    fn of(gmv: i64, orders: i64) -> Figures {
        Figures { gmv, orders, aov: if orders > 0 { gmv / orders } else { 0 } }
    }
}

/// GMV of one UTC day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayGmv {
    /// Start of the day, epoch ms.
    pub day: i64,
    pub gmv: i64,
    pub orders: i64,
}

/// What the dashboard shows.
#[derive(Debug, Clone, Serialize)]
pub struct SalesReport {
    pub today: Figures,
    pub week: Figures,
    /// The last seven days, oldest first (today last), days without sales included.
    pub daily: Vec<DayGmv>,
}

/// Start of the UTC day containing `ms`.
pub fn day_start(ms: i64) -> i64 {
    ms.div_euclid(DAY_MS) * DAY_MS
}

/// Sales of the last seven days (including today) as of `app.now()`.
pub async fn sales(app: &App) -> AppResult<SalesReport> {
    let today = day_start(app.now());
    let from = today - 6 * DAY_MS;
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT (paid_at - $1) / $2 AS day_no, CAST(SUM(grand_total) AS BIGINT), COUNT(*) FROM orders \
         WHERE paid_at IS NOT NULL AND paid_at >= $1 AND paid_at < $3 GROUP BY 1",
    )
    .bind(from)
    .bind(DAY_MS)
    .bind(today + DAY_MS)
    .fetch_all(app.db.reader())
    .await?;
    let mut daily: Vec<DayGmv> = (0..7).map(|i| DayGmv { day: from + i * DAY_MS, gmv: 0, orders: 0 }).collect();
    for (day_no, gmv, orders) in rows {
        if let Some(d) = usize::try_from(day_no).ok().and_then(|i| daily.get_mut(i)) {
            d.gmv += gmv;
            d.orders += orders;
        }
    }
    let last = daily.last().map_or((0, 0), |d| (d.gmv, d.orders));
    let week = daily.iter().fold((0, 0), |(g, o), d| (g + d.gmv, o + d.orders));
    Ok(SalesReport { today: Figures::of(last.0, last.1), week: Figures::of(week.0, week.1), daily })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_start_at_utc_midnight() {
        assert_eq!(day_start(DAY_MS * 3 + 5), DAY_MS * 3);
        assert_eq!(day_start(DAY_MS * 3), DAY_MS * 3);
        assert_eq!(day_start(-1), -DAY_MS);
    }

    #[test]
    fn aov_is_zero_without_orders() {
        assert_eq!(Figures::of(0, 0).aov, 0);
        assert_eq!(Figures::of(1001, 2).aov, 500);
    }
}
