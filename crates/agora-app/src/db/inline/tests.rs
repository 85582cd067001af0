//! The inline driver against a real SQLite file, through the same `Db` the shop uses.

use sqlx::{Acquire, Executor, Row};

use crate::db::{Backend, Db, DbOptions};

struct Fixture {
    db: Db,
    _dir: tempfile::TempDir,
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
    let db = Db::connect(&url, &DbOptions::default()).await.expect("connect");
    assert_eq!(db.backend(), Backend::Sqlite);
    db.writer()
        .execute(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, score REAL, data BLOB, flag BOOLEAN)",
        )
        .await
        .expect("create table");
    Fixture { db, _dir: dir }
}

async fn names(db: &Db) -> Vec<String> {
    sqlx::query_scalar("SELECT name FROM t ORDER BY id").fetch_all(db.reader()).await.expect("names")
}

#[tokio::test]
async fn values_round_trip_by_storage_class() {
    let f = fixture().await;
    let done = sqlx::query("INSERT INTO t (name, score, data, flag) VALUES ($1, $2, $3, $4), ($5, NULL, NULL, $6)")
        .bind("雪梨")
        .bind(2.5_f64)
        .bind(vec![0_u8, 255, 7])
        .bind(true)
        .bind("plain")
        .bind(false)
        .execute(f.db.writer())
        .await
        .expect("insert");
    assert_eq!(done.rows_affected(), 2);
    let rows = sqlx::query("SELECT id, name, score, data, flag FROM t ORDER BY id")
        .fetch_all(f.db.reader())
        .await
        .expect("select");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].get::<i64, _>("id"), 1);
    assert_eq!(rows[0].get::<String, _>("name"), "雪梨");
    assert_eq!(rows[0].get::<f64, _>("score"), 2.5);
    assert_eq!(rows[0].get::<Vec<u8>, _>("data"), vec![0, 255, 7]);
    // Booleans are stored as integers and read back as integers, as with sqlx's driver.
    assert_eq!(rows[0].get::<i64, _>("flag"), 1);
    assert_eq!(rows[1].get::<i64, _>("flag"), 0);
    assert_eq!(rows[1].get::<Option<f64>, _>("score"), None);
    assert_eq!(rows[1].get::<Option<Vec<u8>>, _>(3), None);
    assert!(rows[0].try_get::<i64, _>("nope").is_err());
}

#[tokio::test]
async fn unique_violations_are_recognised_and_change_nothing() {
    let f = fixture().await;
    sqlx::query("INSERT INTO t (name) VALUES ($1)").bind("a").execute(f.db.writer()).await.expect("first");
    let err = sqlx::query("INSERT INTO t (name) VALUES ($1)").bind("a").execute(f.db.writer()).await.unwrap_err();
    match err {
        sqlx::Error::Database(db) => {
            assert!(db.is_unique_violation(), "{db}");
            assert_eq!(db.code().as_deref(), Some("2067"));
        }
        other => panic!("expected a database error, got {other}"),
    }
    let err = sqlx::query("INSERT INTO t (name) VALUES (NULL)").execute(f.db.writer()).await.unwrap_err();
    assert!(matches!(&err, sqlx::Error::Database(db) if db.kind() == sqlx::error::ErrorKind::NotNullViolation));
    assert_eq!(names(&f.db).await, ["a"]);
}

#[tokio::test]
async fn transactions_commit_roll_back_and_nest() {
    let f = fixture().await;
    let mut tx = f.db.begin().await.expect("begin");
    sqlx::query("INSERT INTO t (name) VALUES ('kept')").execute(&mut *tx).await.expect("insert");
    {
        let mut inner = tx.begin().await.expect("savepoint");
        sqlx::query("INSERT INTO t (name) VALUES ('undone')").execute(&mut *inner).await.expect("insert");
        inner.rollback().await.expect("rollback to savepoint");
    }
    {
        let mut inner = tx.begin().await.expect("savepoint");
        sqlx::query("INSERT INTO t (name) VALUES ('released')").execute(&mut *inner).await.expect("insert");
        inner.commit().await.expect("release");
    }
    // Readers see nothing until the outer transaction commits.
    assert!(names(&f.db).await.is_empty());
    tx.commit().await.expect("commit");
    assert_eq!(names(&f.db).await, ["kept", "released"]);

    // A transaction dropped without commit is rolled back, and the writer is usable again.
    let mut tx = f.db.begin().await.expect("begin");
    sqlx::query("INSERT INTO t (name) VALUES ('dropped')").execute(&mut *tx).await.expect("insert");
    drop(tx);
    sqlx::query("INSERT INTO t (name) VALUES ('after')").execute(f.db.writer()).await.expect("insert after drop");
    assert_eq!(names(&f.db).await, ["kept", "released", "after"]);
}

#[tokio::test]
async fn scripts_run_without_arguments_and_bad_calls_fail_cleanly() {
    let f = fixture().await;
    f.db.writer()
        .execute("INSERT INTO t (name) VALUES ('x'); INSERT INTO t (name) VALUES ('y');")
        .await
        .expect("script");
    assert_eq!(names(&f.db).await, ["x", "y"]);
    let err = sqlx::query("INSERT INTO t (name) VALUES ($1); INSERT INTO t (name) VALUES ('z')")
        .bind("w")
        .execute(f.db.writer())
        .await
        .unwrap_err();
    assert!(matches!(err, sqlx::Error::AnyDriverError(_)), "{err}");
    let err = sqlx::query("INSERT INTO t (name) VALUES ($1)").execute(f.db.writer()).await.unwrap_err();
    assert!(matches!(err, sqlx::Error::InvalidArgument(_)), "{err}");
    let err = sqlx::query("SELECT nope FROM t").execute(f.db.reader()).await.unwrap_err();
    assert!(matches!(&err, sqlx::Error::Database(db) if db.message().contains("nope")), "{err}");
    assert_eq!(names(&f.db).await, ["x", "y"]);
}

#[tokio::test]
async fn fetch_one_returning_and_unprepared_queries() {
    let f = fixture().await;
    let id: i64 = sqlx::query_scalar("INSERT INTO t (name) VALUES ($1) RETURNING id")
        .bind("r")
        .fetch_one(f.db.writer())
        .await
        .expect("returning");
    assert_eq!(id, 1);
    for name in ["s", "t"] {
        sqlx::query("INSERT INTO t (name) VALUES ($1)")
            .bind(name)
            .persistent(false)
            .execute(f.db.writer())
            .await
            .expect("unprepared insert");
    }
    let first: String = sqlx::query_scalar("SELECT name FROM t ORDER BY id DESC")
        .fetch_one(f.db.reader())
        .await
        .expect("first of many");
    assert_eq!(first, "t");
    let updated = sqlx::query("UPDATE t SET score = 1 WHERE name <> $1").bind("r").execute(f.db.writer()).await;
    assert_eq!(updated.expect("update").rows_affected(), 2);
    // Placeholders out of order are matched by number, not by position.
    let renamed = sqlx::query("UPDATE t SET name = $2 WHERE id = $1 AND name = $2 || ''")
        .bind(id)
        .bind("r")
        .execute(f.db.writer())
        .await
        .expect("out-of-order placeholders");
    assert_eq!(renamed.rows_affected(), 1);
    let err = sqlx::query("SELECT $2").bind(1_i64).execute(f.db.reader()).await.unwrap_err();
    assert!(matches!(err, sqlx::Error::InvalidArgument(_)), "{err}");
    let none: Option<String> = sqlx::query_scalar("SELECT name FROM t WHERE id = $1")
        .bind(99_i64)
        .fetch_optional(f.db.reader())
        .await
        .expect("none");
    assert_eq!(none, None);
    let mut conn = f.db.reader().acquire().await.expect("acquire");
    let statement =
        conn.prepare(sqlx::SqlStr::from_static("SELECT id, name FROM t WHERE id = $1")).await.expect("prepare");
    assert_eq!(sqlx::Statement::columns(&statement).len(), 2);
}

#[tokio::test]
async fn migrations_apply_through_sqlx_and_the_shop_is_ready() {
    let f = fixture().await;
    assert!(!f.db.is_ready().await);
    f.db.migrate().await.expect("migrate");
    assert!(f.db.is_ready().await);
    // Migrating again is a no-op.
    f.db.migrate().await.expect("migrate again");
}

#[tokio::test]
async fn a_background_thread_checkpoints_the_wal() {
    let f = fixture().await;
    for i in 0..50 {
        let mut tx = f.db.begin().await.expect("begin");
        sqlx::query("INSERT INTO t (name, data) VALUES ($1, zeroblob(3000))")
            .bind(format!("row {i}"))
            .execute(&mut *tx)
            .await
            .expect("insert");
        tx.commit().await.expect("commit");
    }
    // Far below the writer's own `wal_autocheckpoint`, so only the background thread copies.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while f.db.frames_checkpointed() == Some(0) && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(f.db.frames_checkpointed() >= Some(50), "copied {:?}", f.db.frames_checkpointed());
    f.db.close().await;
}
