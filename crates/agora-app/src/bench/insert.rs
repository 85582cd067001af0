//! Bulk multi-row INSERTs with bound values (both backends).

use crate::db::Tx;
use crate::error::AppResult;

/// One bound value.
#[derive(Debug, Clone)]
pub(super) enum Val {
    I(i64),
    N(Option<i64>),
    S(String),
}

impl From<i64> for Val {
    fn from(v: i64) -> Val {
        Val::I(v)
    }
}

impl From<Option<i64>> for Val {
    fn from(v: Option<i64>) -> Val {
        Val::N(v)
    }
}

impl From<String> for Val {
    fn from(v: String) -> Val {
        Val::S(v)
    }
}

impl From<&str> for Val {
    fn from(v: &str) -> Val {
        Val::S(v.to_string())
    }
}

/// Rows for one table.
#[derive(Debug)]
pub(super) struct Table {
    pub name: &'static str,
    pub columns: &'static [&'static str],
    pub rows: Vec<Vec<Val>>,
}

impl Table {
    pub fn new(name: &'static str, columns: &'static [&'static str]) -> Table {
        Table { name, columns, rows: Vec::new() }
    }

    pub fn push(&mut self, row: Vec<Val>) {
        debug_assert_eq!(row.len(), self.columns.len(), "{}", self.name);
        self.rows.push(row);
    }

    /// Rows per statement: large, but within both backends' limit on bound parameters.
    fn chunk_rows(&self) -> usize {
        (8_000 / self.columns.len().max(1)).clamp(1, 500)
    }

    fn sql(&self, rows: usize) -> String {
        let cols = self.columns.len();
        let mut sql = format!("INSERT INTO {} ({}) VALUES ", self.name, self.columns.join(", "));
        let mut n = 1;
        for r in 0..rows {
            if r > 0 {
                sql.push(',');
            }
            sql.push('(');
            for c in 0..cols {
                if c > 0 {
                    sql.push(',');
                }
                sql.push('$');
                sql.push_str(&n.to_string());
                n += 1;
            }
            sql.push(')');
        }
        sql
    }

    /// Inserts every row in chunks; `progress` gets the number of rows written after each.
    pub async fn insert(&self, tx: &mut Tx, progress: &mut dyn FnMut(u64)) -> AppResult<()> {
        let per = self.chunk_rows();
        let full_sql = self.sql(per);
        for rows in self.rows.chunks(per) {
            let sql = if rows.len() == per { full_sql.clone() } else { self.sql(rows.len()) };
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for row in rows {
                for v in row {
                    q = match v {
                        Val::I(i) => q.bind(*i),
                        Val::N(n) => q.bind(*n),
                        Val::S(s) => q.bind(s.clone()),
                    };
                }
            }
            q.execute(&mut **tx).await?;
            progress(rows.len() as u64);
        }
        Ok(())
    }
}
