//! Just enough of the W3C WebDriver protocol, spoken to chromedriver over loopback, to drive
//! the search page in headless Chromium: open a page, type, click, run a script, take a
//! screenshot.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};
use tempfile::TempDir;

use super::Http;

/// How long [`Browser::wait_for`] waits before failing.
const PATIENCE: Duration = Duration::from_secs(20);

/// Where Chromium and chromedriver are, or why they cannot be used.
pub fn find_chromium() -> Result<(PathBuf, PathBuf), String> {
    let chromium = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    let driver = std::env::var_os("CHROMEDRIVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromedriver"));
    for path in [&chromium, &driver] {
        if !path.is_file() {
            return Err(format!(
                "{} not found (Debian packages chromium and chromium-driver; or set CHROMIUM \
                 and CHROMEDRIVER)",
                path.display()
            ));
        }
    }
    Ok((chromium, driver))
}

/// A headless Chromium session, ended (with its chromedriver) when dropped.
pub struct Browser {
    driver: Child,
    http: Http,
    /// `http://127.0.0.1:PORT/session/ID`.
    session: String,
    _profile: TempDir,
}

/// A page element as WebDriver names it (`{"element-6066-…": "id"}`).
#[derive(Debug, Clone)]
pub struct Element(Value);

impl Element {
    fn id(&self) -> &str {
        self.0
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .expect("not a WebDriver element")
    }
}

impl Browser {
    /// Starts chromedriver on a free port and opens a session in a fresh profile.
    pub fn start(chromium: &std::path::Path, chromedriver: &std::path::Path) -> Browser {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("no free port")
            .port();
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("cannot start chromedriver");
        let http = Http::new();
        let base = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        loop {
            let ready = std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
                && http.get(&format!("{base}/status"), &[]).json()["value"]["ready"] == true;
            if ready {
                break;
            }
            assert!(started.elapsed() < PATIENCE, "chromedriver did not start");
            sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1280,900",
        ]
        .iter()
        .map(|s| s.to_string())
        .chain([format!("--user-data-dir={}", profile.path().display())])
        .collect::<Vec<_>>();
        let capabilities = json!({
            "capabilities": { "alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": { "binary": chromium, "args": args },
            }}
        });
        let mut browser = Browser {
            driver,
            http,
            session: String::new(),
            _profile: profile,
        };
        let reply = browser
            .http
            .post_json(&format!("{base}/session"), &capabilities);
        let value = reply.json()["value"].clone();
        let Some(id) = value["sessionId"].as_str() else {
            panic!("chromedriver did not open a session: {value}");
        };
        browser.session = format!("{base}/session/{id}");
        browser
    }

    fn call(&self, method: &str, path: &str, body: Value) -> Value {
        let url = format!("{}{path}", self.session);
        let reply = match method {
            "GET" => self.http.get(&url, &[]),
            _ => self.http.post_json(&url, &body),
        };
        let value = reply.json()["value"].clone();
        assert!(
            reply.status == 200,
            "WebDriver {method} {path} failed ({}): {value}",
            reply.status
        );
        value
    }

    /// Opens `url` and waits for it to load.
    pub fn goto(&self, url: &str) {
        self.call("POST", "/url", json!({ "url": url }));
    }

    /// Goes back in history.
    pub fn back(&self) {
        self.call("POST", "/back", json!({}));
    }

    /// Sets the size of the window (the page's viewport in headless mode).
    pub fn set_window_size(&self, width: u32, height: u32) {
        self.call(
            "POST",
            "/window/rect",
            json!({ "width": width, "height": height }),
        );
    }

    /// The first element matching a CSS selector.
    pub fn find(&self, css: &str) -> Element {
        Element(self.call(
            "POST",
            "/element",
            json!({ "using": "css selector", "value": css }),
        ))
    }

    /// Types `text` into an element, as keystrokes (`\u{E007}` is Enter).
    pub fn type_into(&self, element: &Element, text: &str) {
        let path = format!("/element/{}/value", element.id());
        self.call("POST", &path, json!({ "text": text }));
    }

    /// Clicks an element.
    pub fn click(&self, element: &Element) {
        self.call(
            "POST",
            &format!("/element/{}/click", element.id()),
            json!({}),
        );
    }

    /// Runs a script in the page (`return …` gives its value back).
    pub fn script(&self, source: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            json!({ "script": source, "args": [] }),
        )
    }

    /// Polls `condition` (a script expression) until it is true; panics after a while, showing
    /// `describe` (another expression) to tell what the page showed instead. A condition that
    /// throws (an element the page is re-rendering is missing) counts as not yet true.
    pub fn wait_for(&self, condition: &str, describe: &str) {
        let started = Instant::now();
        let check = format!("try {{ return Boolean({condition}); }} catch (e) {{ return false; }}");
        while self.script(&check) != Value::Bool(true) {
            if started.elapsed() > PATIENCE {
                let state = self.script(&format!("return {describe};"));
                panic!("timed out waiting for `{condition}`; the page shows {state}");
            }
            sleep(Duration::from_millis(100));
        }
    }

    /// A PNG of the window.
    pub fn screenshot(&self) -> Vec<u8> {
        let encoded = self.call("GET", "/screenshot", Value::Null);
        base64::engine::general_purpose::STANDARD
            .decode(encoded.as_str().expect("screenshot is not a string"))
            .expect("screenshot is not base64")
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            // Not `Http::delete`, which panics on failure: this may run while unwinding.
            let _ = self.http.agent.delete(&self.session).call();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
