//! Starts `/usr/bin/chromedriver` on a free port and opens Chromium sessions on it.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use agora_testkit::TestApp;
use fantoccini::{Client, ClientBuilder};
use serde_json::json;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// The running chromedriver; killed when dropped.
pub struct Driver {
    url: String,
    process: Child,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// Where screenshots go: `<target dir>/browser-screenshots`.
pub fn screenshot_root() -> PathBuf {
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().map_or(tmp.clone(), |p| p.to_path_buf()).join("browser-screenshots")
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

impl Driver {
    pub async fn start() -> Driver {
        assert!(
            std::path::Path::new(CHROMEDRIVER).exists() && std::path::Path::new(CHROMIUM).exists(),
            "{CHROMEDRIVER} and {CHROMIUM} are needed: run .ci/browser-deps"
        );
        let port = free_port();
        let process = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let driver = Driver { url: format!("http://127.0.0.1:{port}"), process };
        let http = reqwest::Client::new();
        for _ in 0..100 {
            if http.get(format!("{}/status", driver.url)).send().await.is_ok_and(|r| r.status().is_success()) {
                return driver;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("chromedriver did not start on port {port}");
    }

    /// A fresh Chromium session with its own profile; `mobile` emulates a 375×812 phone.
    pub async fn browser(&self, mobile: bool) -> Browser {
        let profile = tempfile::tempdir().expect("profile dir");
        let mut args = vec![
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            "--lang=en-US".into(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        if !mobile {
            args.push("--window-size=1280,900".into());
        }
        let mut options = json!({ "binary": CHROMIUM, "args": args, "prefs": {"intl.accept_languages": "en-US,en"} });
        let logging = json!({"browser": "ALL"});
        if mobile {
            options["mobileEmulation"] = json!({"deviceMetrics": {"width": 375, "height": 812, "pixelRatio": 2.0, "mobile": true, "touch": true}});
        }
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("chrome"));
        caps.insert("goog:chromeOptions".into(), options);
        caps.insert("goog:loggingPrefs".into(), logging);
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&self.url)
            .await
            .expect("open a Chromium session");
        Browser { client, _profile: profile, shots: None, shot_no: 0, driver_url: self.url.clone() }
    }
}

/// One browser session against one shop.
pub struct Browser {
    pub client: Client,
    _profile: tempfile::TempDir,
    shots: Option<PathBuf>,
    shot_no: u32,
    driver_url: String,
}

impl Browser {
    /// Saves screenshots of this session under `browser-screenshots/<scenario>/`.
    pub fn screenshots(&mut self, scenario: &str) {
        let dir = screenshot_root().join(scenario);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        self.shots = Some(dir);
    }

    pub async fn shot(&mut self, name: &str) {
        let Some(dir) = &self.shots else { return };
        self.shot_no += 1;
        let png = self.client.screenshot().await.expect("screenshot");
        let path = dir.join(format!("{:02}-{name}.png", self.shot_no));
        std::fs::write(&path, png).expect("write screenshot");
    }

    /// The browser console messages since the last call (chromedriver's log endpoint), e.g.
    /// to check that no Content-Security-Policy violation was reported.
    pub async fn console(&self) -> Vec<String> {
        let Ok(Some(session)) = self.client.session_id().await else { return Vec::new() };
        let url = format!("{}/session/{session}/se/log", self.driver_url);
        let r = reqwest::Client::new().post(url).json(&json!({"type": "browser"})).send().await;
        let Ok(r) = r else { return Vec::new() };
        let body: serde_json::Value = r.json().await.unwrap_or_default();
        body["value"]
            .as_array()
            .map(|a| a.iter().filter_map(|e| e["message"].as_str().map(str::to_string)).collect())
            .unwrap_or_default()
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}

/// A fresh shop for a scenario.
pub async fn shop() -> TestApp {
    TestApp::start(agora_app::Backend::Sqlite).await.expect("SQLite shop")
}
