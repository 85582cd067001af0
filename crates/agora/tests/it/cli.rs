//! The `agora` binary itself: migrate, user create, serve with readiness and graceful
//! shutdown, on SQLite and on PostgreSQL (a fresh database created and dropped here).

use std::process::{Command, Stdio};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn agora() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_agora"));
    cmd.env_remove("AGORA_DATABASE_URL").env_remove("AGORA_CONFIG").env("AGORA_LOG", "warn");
    cmd
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Runs migrate, user create, then serve until SIGTERM, against `database_url` (None = SQLite in the data dir).
async fn exercise(database_url: Option<&str>) {
    let dir = tempfile::tempdir().unwrap();
    let with_db = |cmd: &mut Command| {
        cmd.arg("--data-dir").arg(dir.path());
        if let Some(url) = database_url {
            cmd.arg("--database-url").arg(url);
        }
    };
    let mut migrate = agora();
    with_db(&mut migrate);
    let out = migrate.arg("migrate").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut create = agora();
    with_db(&mut create);
    let out = create
        .args(["user", "create", "--email", "root@shop.test", "--role", "admin"])
        .env("AGORA_USER_PASSWORD", "cli-password-1")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("created admin account root@shop.test"));
    let port = free_port();
    let mut serve = agora();
    with_db(&mut serve);
    let mut child =
        serve.args(["serve", "--listen", &format!("127.0.0.1:{port}")]).stdout(Stdio::piped()).spawn().unwrap();
    let client = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    let mut ready = false;
    for _ in 0..100 {
        if let Ok(r) = client.get(format!("{base}/readyz")).send().await
            && r.status() == 200
        {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(ready, "server never became ready");
    let login = client
        .post(format!("{base}/api/v1/admin/auth/login"))
        .json(&serde_json::json!({"email": "root@shop.test", "password": "cli-password-1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    // A request is in flight (headers sent, body not yet) when the shutdown signal arrives.
    let body = br#"{"email":"late@shop.test","password":"in-flight-pass"}"#;
    let mut conn = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let head = format!(
        "POST /api/v1/auth/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    conn.write_all(head.as_bytes()).await.unwrap();
    conn.write_all(&body[..10]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    tokio::time::sleep(Duration::from_millis(300)).await;
    conn.write_all(&body[10..]).await.unwrap();
    let mut response = String::new();
    conn.read_to_string(&mut response).await.unwrap();
    assert!(response.starts_with("HTTP/1.1 201"), "in-flight request finished after SIGTERM: {response}");
    let mut exited = None;
    for _ in 0..100 {
        if let Some(status) = child.try_wait().unwrap() {
            exited = Some(status);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let status = exited.expect("server did not stop after SIGTERM");
    assert!(status.success(), "graceful shutdown exits 0, got {status}");
}

#[tokio::test]
async fn cli_on_sqlite() {
    exercise(None).await;
}

#[tokio::test]
async fn cli_on_postgres() {
    let Ok(url) = std::env::var(agora_testkit::PG_URL_VAR) else {
        eprintln!("skipped: {} is not set", agora_testkit::PG_URL_VAR);
        return;
    };
    let name = format!("agora_cli_{}", std::process::id());
    let admin = agora_app::Db::connect(&url, &agora_app::DbOptions { max_connections: Some(1), ..Default::default() })
        .await
        .unwrap();
    let drop_sql = format!("DROP DATABASE IF EXISTS {name}");
    sqlx::query(sqlx::AssertSqlSafe(drop_sql.clone())).execute(admin.writer()).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(admin.writer()).await.unwrap();
    let db_url = match url.rsplit_once('/') {
        Some((server, _)) => format!("{server}/{name}"),
        None => panic!("unexpected database URL"),
    };
    let outcome = futures_util::FutureExt::catch_unwind(std::panic::AssertUnwindSafe(exercise(Some(&db_url)))).await;
    sqlx::query(sqlx::AssertSqlSafe(drop_sql)).execute(admin.writer()).await.unwrap();
    admin.close().await;
    if let Err(p) = outcome {
        std::panic::resume_unwind(p);
    }
}
