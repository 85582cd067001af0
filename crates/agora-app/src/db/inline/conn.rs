//! One SQLite connection whose statements run on the thread that awaits them.

use std::sync::Arc;

use futures_util::future::BoxFuture;
use futures_util::stream::{self, BoxStream};
use rusqlite::types::{Null, ValueRef as SqliteRef};
use rusqlite::{Connection as Sqlite, Statement};
use sqlx::any::{AnyArguments, AnyQueryResult, AnyRow, AnyStatement, AnyTypeInfo};
use sqlx::{Either, Error, Transaction};
use sqlx_core::HashMap;
use sqlx_core::any::AnyConnectionBackend;
use sqlx_core::any::{AnyColumn, AnyTypeInfoKind, AnyValue, AnyValueKind};
use sqlx_core::ext::ustr::UStr;
use sqlx_core::sql_str::SqlStr;

use super::error::{driver_misuse, from_sqlite};
use super::{InlineOptions, InlineSqlite};

/// Prepared statements kept per connection (the shop runs a few hundred distinct queries).
const STATEMENT_CACHE: usize = 512;

/// One result of a statement: its summary or one of its rows.
type Output = Either<AnyQueryResult, AnyRow>;

/// A connection of the inline driver (see the module documentation of `db::inline`).
pub struct InlineConnection {
    conn: Sqlite,
    /// 0 outside a transaction, 1 inside one, more inside savepoints.
    depth: usize,
}

impl std::fmt::Debug for InlineConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InlineConnection").field("depth", &self.depth).finish()
    }
}

impl InlineConnection {
    pub(super) fn open(options: &InlineOptions) -> Result<InlineConnection, Error> {
        let conn = Sqlite::open_with_flags(&options.path, options.flags).map_err(from_sqlite)?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        Ok(InlineConnection { conn, depth: 0 })
    }

    pub(super) fn depth(&self) -> usize {
        self.depth
    }

    pub(super) fn begin_sync(&mut self, statement: Option<SqlStr>) -> Result<(), Error> {
        let sql = match (self.depth, statement) {
            (0, Some(statement)) => statement.as_str().to_owned(),
            (0, None) => "BEGIN".to_owned(),
            (_, Some(_)) => return Err(Error::InvalidSavePointStatement),
            (depth, None) => format!("SAVEPOINT agora_savepoint_{depth}"),
        };
        self.conn.execute_batch(&sql).map_err(from_sqlite)?;
        self.depth += 1;
        Ok(())
    }

    pub(super) fn commit_sync(&mut self) -> Result<(), Error> {
        let sql = match self.depth {
            0 => return Ok(()),
            1 => "COMMIT".to_owned(),
            depth => format!("RELEASE SAVEPOINT agora_savepoint_{}", depth - 1),
        };
        self.conn.execute_batch(&sql).map_err(from_sqlite)?;
        self.depth -= 1;
        Ok(())
    }

    pub(super) fn rollback_sync(&mut self) -> Result<(), Error> {
        match self.depth {
            0 => return Ok(()),
            // SQLite rolls some failures back by itself (a full disk, an interrupt).
            _ if self.conn.is_autocommit() => self.depth = 0,
            1 => {
                self.conn.execute_batch("ROLLBACK").map_err(from_sqlite)?;
                self.depth = 0;
            }
            depth => {
                let name = format!("agora_savepoint_{}", depth - 1);
                let sql = format!("ROLLBACK TO SAVEPOINT {name}; RELEASE SAVEPOINT {name}");
                self.conn.execute_batch(&sql).map_err(from_sqlite)?;
                self.depth -= 1;
            }
        }
        Ok(())
    }

    /// Rolls back from a destructor: failure cannot be reported there, so it is logged.
    pub(super) fn rollback_quietly(&mut self) {
        if let Err(e) = self.rollback_sync() {
            tracing::warn!(error = %e, "rolling back an abandoned SQLite transaction failed");
        }
    }

    /// Runs `sql` and returns its rows followed by its summary; with `first_only`, stops
    /// after the first row (SQLite makes every change of a statement in its first step).
    fn run(
        &mut self,
        sql: &str,
        persistent: bool,
        args: Option<AnyArguments>,
        first_only: bool,
    ) -> Result<Vec<Output>, Error> {
        let args = args.map(|a| a.values.0).unwrap_or_default();
        let (mut cached, mut plain) = (None, None);
        let prepared = if persistent {
            self.conn.prepare_cached(sql).map(|s| &mut **cached.insert(s))
        } else {
            self.conn.prepare(sql).map(|s| plain.insert(s))
        };
        let statement: &mut Statement<'_> = match prepared {
            Ok(statement) => statement,
            // Several statements in one string (pragmas, scripts): only without arguments.
            Err(rusqlite::Error::MultipleStatement) if args.is_empty() => {
                self.conn.execute_batch(sql).map_err(from_sqlite)?;
                return Ok(vec![Either::Left(summary(&self.conn, false))]);
            }
            Err(e) => return Err(from_sqlite(e)),
        };
        bind_all(statement, &args)?;
        let shape = Shape::of(statement);
        let read_only = statement.readonly();
        let mut out = Vec::new();
        let mut rows = statement.raw_query();
        while let Some(row) = rows.next().map_err(from_sqlite)? {
            out.push(Either::Right(shape.row(row)?));
            if first_only {
                break;
            }
        }
        drop(rows);
        tracing::trace!(target: "agora::sql", sql, rows = out.len());
        out.push(Either::Left(summary(&self.conn, read_only)));
        Ok(out)
    }
}

fn summary(conn: &Sqlite, read_only: bool) -> AnyQueryResult {
    let rows_affected = if read_only { 0 } else { conn.changes() };
    AnyQueryResult { rows_affected, last_insert_id: Some(conn.last_insert_rowid()) }
}

/// Binds `args` to the statement's parameters. SQLite numbers `$N` parameters in order of
/// first appearance, not by `N` (`SET a = $2 WHERE id = $1` makes `$2` parameter 1), so each
/// parameter is matched to its argument by name, as PostgreSQL would.
fn bind_all(statement: &mut Statement<'_>, args: &[AnyValueKind]) -> Result<(), Error> {
    let mut highest = 0;
    for index in 1..=statement.parameter_count() {
        let wanted = match statement.parameter_name(index) {
            Some(name) => name.strip_prefix(['$', '?']).and_then(|n| n.parse::<usize>().ok()),
            None => Some(index),
        };
        let Some(wanted) = wanted.filter(|&n| n >= 1) else {
            return Err(driver_misuse(format!("unsupported SQL parameter {:?}", statement.parameter_name(index))));
        };
        let value = args.get(wanted - 1).ok_or_else(|| {
            driver_misuse(format!("the statement refers to argument ${wanted} but {} were bound", args.len()))
        })?;
        bind(statement, index, value)?;
        highest = highest.max(wanted);
    }
    if highest != args.len() {
        return Err(driver_misuse(format!("the statement takes {highest} arguments but {} were bound", args.len())));
    }
    Ok(())
}

fn bind(statement: &mut Statement<'_>, index: usize, value: &AnyValueKind) -> Result<(), Error> {
    let bound = match value {
        AnyValueKind::Null(_) => statement.raw_bind_parameter(index, Null),
        AnyValueKind::Bool(b) => statement.raw_bind_parameter(index, i64::from(*b)),
        AnyValueKind::SmallInt(i) => statement.raw_bind_parameter(index, i64::from(*i)),
        AnyValueKind::Integer(i) => statement.raw_bind_parameter(index, i64::from(*i)),
        AnyValueKind::BigInt(i) => statement.raw_bind_parameter(index, *i),
        AnyValueKind::Real(r) => statement.raw_bind_parameter(index, f64::from(*r)),
        AnyValueKind::Double(d) => statement.raw_bind_parameter(index, *d),
        AnyValueKind::Text(t) => statement.raw_bind_parameter(index, t.as_str()),
        AnyValueKind::TextSlice(t) => statement.raw_bind_parameter(index, &**t),
        AnyValueKind::Blob(b) => statement.raw_bind_parameter(index, b.as_slice()),
        other => return Err(driver_misuse(format!("cannot bind {other:?} to an SQLite statement"))),
    };
    bound.map_err(from_sqlite)
}

/// The columns of a statement, shared by all of its rows.
struct Shape {
    names: Arc<HashMap<UStr, usize>>,
    columns: Vec<AnyColumn>,
}

impl Shape {
    fn of(statement: &Statement<'_>) -> Shape {
        let mut names = HashMap::new();
        let mut columns = Vec::with_capacity(statement.column_count());
        for (ordinal, name) in statement.column_names().into_iter().enumerate() {
            let name = UStr::new(name);
            names.insert(name.clone(), ordinal);
            columns.push(AnyColumn { ordinal, name, type_info: AnyTypeInfo { kind: AnyTypeInfoKind::Null } });
        }
        Shape { names: Arc::new(names), columns }
    }

    /// Copies one row out, typed by storage class as sqlx's SQLite driver does.
    fn row(&self, row: &rusqlite::Row<'_>) -> Result<AnyRow, Error> {
        let mut values = Vec::with_capacity(self.columns.len());
        for i in 0..self.columns.len() {
            let kind = match row.get_ref(i).map_err(from_sqlite)? {
                SqliteRef::Null => AnyValueKind::Null(AnyTypeInfoKind::Null),
                SqliteRef::Integer(i) => AnyValueKind::BigInt(i),
                SqliteRef::Real(r) => AnyValueKind::Double(r),
                SqliteRef::Text(t) => {
                    let text = std::str::from_utf8(t).map_err(|e| Error::Decode(Box::new(e)))?;
                    AnyValueKind::Text(Arc::new(text.to_owned()))
                }
                SqliteRef::Blob(b) => AnyValueKind::Blob(Arc::new(b.to_vec())),
            };
            values.push(AnyValue { kind });
        }
        Ok(AnyRow { column_names: Arc::clone(&self.names), columns: self.columns.clone(), values })
    }
}

impl sqlx::Connection for InlineConnection {
    type Database = InlineSqlite;
    type Options = InlineOptions;

    async fn close(self) -> Result<(), Error> {
        Ok(())
    }

    async fn close_hard(self) -> Result<(), Error> {
        Ok(())
    }

    async fn ping(&mut self) -> Result<(), Error> {
        Ok(())
    }

    fn begin(&mut self) -> impl Future<Output = Result<Transaction<'_, InlineSqlite>, Error>> + Send + '_ {
        Transaction::begin(self, None)
    }

    fn shrink_buffers(&mut self) {}

    async fn flush(&mut self) -> Result<(), Error> {
        Ok(())
    }

    fn should_flush(&self) -> bool {
        false
    }
}

impl AnyConnectionBackend for InlineConnection {
    fn name(&self) -> &str {
        <InlineSqlite as sqlx::Database>::NAME
    }

    fn close(self: Box<Self>) -> BoxFuture<'static, sqlx::Result<()>> {
        Box::pin(async { Ok(()) })
    }

    fn close_hard(self: Box<Self>) -> BoxFuture<'static, sqlx::Result<()>> {
        Box::pin(async { Ok(()) })
    }

    // A local file cannot drop a connection: nothing to check.
    fn ping(&mut self) -> BoxFuture<'_, sqlx::Result<()>> {
        Box::pin(async { Ok(()) })
    }

    fn begin(&mut self, statement: Option<SqlStr>) -> BoxFuture<'_, sqlx::Result<()>> {
        let result = self.begin_sync(statement);
        Box::pin(async { result })
    }

    fn commit(&mut self) -> BoxFuture<'_, sqlx::Result<()>> {
        let result = self.commit_sync();
        Box::pin(async { result })
    }

    fn rollback(&mut self) -> BoxFuture<'_, sqlx::Result<()>> {
        let result = self.rollback_sync();
        Box::pin(async { result })
    }

    fn start_rollback(&mut self) {
        self.rollback_quietly();
    }

    fn get_transaction_depth(&self) -> usize {
        self.depth
    }

    fn shrink_buffers(&mut self) {}

    fn flush(&mut self) -> BoxFuture<'_, sqlx::Result<()>> {
        Box::pin(async { Ok(()) })
    }

    fn should_flush(&self) -> bool {
        false
    }

    fn fetch_many(
        &mut self,
        query: SqlStr,
        persistent: bool,
        arguments: Option<AnyArguments>,
    ) -> BoxStream<'_, sqlx::Result<Output>> {
        let items: Vec<sqlx::Result<Output>> = match self.run(query.as_str(), persistent, arguments, false) {
            Ok(outputs) => outputs.into_iter().map(Ok).collect(),
            Err(e) => vec![Err(e)],
        };
        Box::pin(stream::iter(items))
    }

    fn fetch_optional(
        &mut self,
        query: SqlStr,
        persistent: bool,
        arguments: Option<AnyArguments>,
    ) -> BoxFuture<'_, sqlx::Result<Option<AnyRow>>> {
        let first = self.run(query.as_str(), persistent, arguments, true).map(|outputs| {
            outputs.into_iter().find_map(|o| match o {
                Either::Right(row) => Some(row),
                Either::Left(_) => None,
            })
        });
        Box::pin(async { first })
    }

    fn prepare_with<'c, 'q: 'c>(
        &'c mut self,
        sql: SqlStr,
        _parameters: &[AnyTypeInfo],
    ) -> BoxFuture<'c, sqlx::Result<AnyStatement>> {
        let prepared = self.conn.prepare_cached(sql.as_str()).map_err(from_sqlite).map(|statement| {
            let shape = Shape::of(&statement);
            (statement.parameter_count(), shape)
        });
        Box::pin(async move {
            let (parameters, shape) = prepared?;
            Ok(AnyStatement {
                sql,
                parameters: Some(Either::Right(parameters)),
                column_names: shape.names,
                columns: shape.columns,
            })
        })
    }

    // Only sqlx's compile-time query macros describe statements, and Agora does not use them.
    fn describe(&mut self, _sql: SqlStr) -> BoxFuture<'_, sqlx::Result<sqlx::Describe<sqlx::Any>>> {
        Box::pin(async { Err(driver_misuse("the inline SQLite driver does not describe statements".to_owned())) })
    }
}
