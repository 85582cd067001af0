//! Agora's integration tests: one binary, one folder per feature. Every test runs on
//! SQLite and on PostgreSQL (when `AGORA_TEST_DATABASE_URL` is set), against the real HTTP
//! server.

/// Declares a test that runs `$body(&TestApp)` once per backend.
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn sqlite() {
                    agora_testkit::run(agora_app::Backend::Sqlite, super::$name).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn postgres() {
                    agora_testkit::run(agora_app::Backend::Postgres, super::$name).await;
                }
            }
        )*
    };
}

mod auth;
mod bench;
mod cart;
mod catalog;
mod cli;
mod fulfilment;
mod inventory;
mod jobs;
mod ops;
mod orders;
mod pages;
mod payments;
