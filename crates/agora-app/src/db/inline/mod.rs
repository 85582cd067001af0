//! An SQLite driver for sqlx's `Any` layer that runs every statement on the calling thread.
//!
//! sqlx's own SQLite driver gives each connection a thread and sends it every statement over
//! a channel, so one statement costs two thread switches; a checkout of ~70 statements spent
//! most of its CPU in the kernel and held the single writer connection for milliseconds of
//! wake-ups. SQLite statements on a local file take microseconds, so this driver executes
//! them directly (through `rusqlite`) inside the future that asks for them.
//!
//! It plugs into `sqlx::any` under the URL scheme [`SCHEME`]; pools, transactions, queries and
//! row decoding stay sqlx's, so the rest of the code base is unchanged. Values keep the same
//! mapping as sqlx's SQLite driver (storage class, not declared type: an INTEGER is a
//! `BigInt`), so code that decodes rows behaves the same on both. Migrations run through
//! sqlx's own SQLite driver (see `Db::migrate`).
//!
//! sqlx requires a full [`Database`] for a driver, but the `Any` layer only ever talks to
//! the connection (through [`AnyConnectionBackend`]), so the row, value, column, statement and
//! argument types of [`InlineSqlite`] are uninhabited placeholders.

mod checkpoint;
mod conn;
mod error;
mod options;

use std::borrow::Cow;
use std::convert::Infallible;
use std::marker::PhantomData;

use sqlx::any::AnyTypeInfo;
use sqlx::error::BoxDynError;
use sqlx::{Column, Database, Error, Row, Statement, Value, ValueRef};
use sqlx_core::any::AnyQueryResult;
use sqlx_core::any::driver::AnyDriver;
use sqlx_core::sql_str::SqlStr;
use sqlx_core::transaction::TransactionManager;

pub use checkpoint::Checkpointer;
pub use conn::InlineConnection;
pub use options::InlineOptions;

/// URL scheme under which the driver is installed (`agora-sqlite:///path/shop.db?mode=rwc`).
pub const SCHEME: &str = "agora-sqlite";

/// The driver, for `sqlx::any::install_drivers`.
pub const DRIVER: AnyDriver = AnyDriver::without_migrate::<InlineSqlite>();

/// The database type sqlx's driver registry needs; see the module documentation.
#[derive(Debug)]
pub struct InlineSqlite;

impl Database for InlineSqlite {
    type Connection = InlineConnection;
    type TransactionManager = InlineTransactions;
    type Row = NoRow;
    type QueryResult = AnyQueryResult;
    type Column = NoColumn;
    type TypeInfo = AnyTypeInfo;
    type Value = NoValue;
    type ValueRef<'r> = NoValueRef<'r>;
    type Arguments = NoArguments;
    type ArgumentBuffer = ();
    type Statement = NoStatement;

    const NAME: &'static str = "SQLite (inline)";
    const URL_SCHEMES: &'static [&'static str] = &[SCHEME];
}

/// Transactions and savepoints, run on the connection itself.
pub struct InlineTransactions;

impl TransactionManager for InlineTransactions {
    type Database = InlineSqlite;

    async fn begin(conn: &mut InlineConnection, statement: Option<SqlStr>) -> Result<(), Error> {
        conn.begin_sync(statement)
    }

    async fn commit(conn: &mut InlineConnection) -> Result<(), Error> {
        conn.commit_sync()
    }

    async fn rollback(conn: &mut InlineConnection) -> Result<(), Error> {
        conn.rollback_sync()
    }

    fn start_rollback(conn: &mut InlineConnection) {
        conn.rollback_quietly();
    }

    fn get_transaction_depth(conn: &InlineConnection) -> usize {
        conn.depth()
    }
}

/// Never constructed: rows reach callers as `AnyRow`.
pub struct NoRow(Infallible);

impl Row for NoRow {
    type Database = InlineSqlite;

    fn columns(&self) -> &[NoColumn] {
        match self.0 {}
    }

    fn try_get_raw<I>(&self, _index: I) -> Result<NoValueRef<'_>, Error>
    where
        I: sqlx::ColumnIndex<Self>,
    {
        match self.0 {}
    }
}

/// Never constructed: columns reach callers as `AnyColumn`.
#[derive(Debug)]
pub struct NoColumn(Infallible);

impl Column for NoColumn {
    type Database = InlineSqlite;

    fn ordinal(&self) -> usize {
        match self.0 {}
    }

    fn name(&self) -> &str {
        match self.0 {}
    }

    fn type_info(&self) -> &AnyTypeInfo {
        match self.0 {}
    }
}

/// Never constructed: values reach callers as `AnyValue`.
pub struct NoValue(Infallible);

impl Value for NoValue {
    type Database = InlineSqlite;

    fn as_ref(&self) -> NoValueRef<'_> {
        match self.0 {}
    }

    fn type_info(&self) -> Cow<'_, AnyTypeInfo> {
        match self.0 {}
    }

    fn is_null(&self) -> bool {
        match self.0 {}
    }
}

/// Never constructed.
pub struct NoValueRef<'r>(Infallible, PhantomData<&'r ()>);

impl<'r> ValueRef<'r> for NoValueRef<'r> {
    type Database = InlineSqlite;

    fn to_owned(&self) -> NoValue {
        match self.0 {}
    }

    fn type_info(&self) -> Cow<'_, AnyTypeInfo> {
        match self.0 {}
    }

    fn is_null(&self) -> bool {
        match self.0 {}
    }
}

/// Arguments reach the driver as `AnyArguments`; binding to this type directly is refused.
#[derive(Default)]
pub struct NoArguments;

impl sqlx::Arguments for NoArguments {
    type Database = InlineSqlite;

    fn reserve(&mut self, _additional: usize, _size: usize) {}

    fn add<'t, T>(&mut self, _value: T) -> Result<(), BoxDynError>
    where
        T: sqlx::Encode<'t, InlineSqlite> + sqlx::Type<InlineSqlite>,
    {
        Err("the inline SQLite driver is used through sqlx::Any only".into())
    }

    fn len(&self) -> usize {
        0
    }
}

/// Never constructed: prepared statements reach callers as `AnyStatement`.
#[derive(Clone)]
pub struct NoStatement(Infallible);

impl Statement for NoStatement {
    type Database = InlineSqlite;

    fn into_sql(self) -> SqlStr {
        match self.0 {}
    }

    fn sql(&self) -> &SqlStr {
        match self.0 {}
    }

    fn parameters(&self) -> Option<sqlx::Either<&[AnyTypeInfo], usize>> {
        match self.0 {}
    }

    fn columns(&self) -> &[NoColumn] {
        match self.0 {}
    }

    sqlx_core::impl_statement_query!(NoArguments);
}

#[cfg(test)]
mod tests;
