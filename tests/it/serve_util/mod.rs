//! For the `fahras serve` tests: the server running on a free loopback port, and a small HTTP
//! client. Each test crate includes this module and uses only part of it.

pub mod webdriver;

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::util::TestEnv;

/// `fahras serve` on `127.0.0.1:0`, stopped when dropped.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub base: String,
}

impl Server {
    /// Starts the server on the test's index and waits until it listens.
    pub fn start(env: &TestEnv) -> Server {
        Server::start_under(env, &[])
    }

    /// Starts the server as [`Server::start`] does, run by `wrapper` (a command and its
    /// arguments, as `prlimit --nofile=64:64`) when it is not empty.
    pub fn start_under(env: &TestEnv, wrapper: &[&str]) -> Server {
        let binary = env!("CARGO_BIN_EXE_fahras");
        let mut command = match wrapper {
            [] => Command::new(binary),
            [program, args @ ..] => {
                let mut command = Command::new(program);
                command.args(args).arg(binary);
                command
            }
        };
        let mut child = command
            .current_dir(env.root())
            .env_remove("FAHRAS_INDEX")
            .arg("--index")
            .arg(env.index_dir())
            .args(["serve", "--addr", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("cannot start fahras serve");
        let mut first_line = String::new();
        BufReader::new(child.stdout.as_mut().unwrap())
            .read_line(&mut first_line)
            .unwrap();
        let Some(base) = first_line
            .split_once(" at ")
            .and_then(|(_, rest)| rest.split_whitespace().next())
        else {
            let _ = child.kill();
            let mut stderr = String::new();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut stderr)
                .unwrap();
            panic!("fahras serve did not start: stdout {first_line:?}, stderr {stderr:?}");
        };
        Server {
            base: base.trim_end_matches('/').to_string(),
            child,
        }
    }

    /// True while the server process has not exited.
    pub fn is_running(&mut self) -> bool {
        self.child
            .try_wait()
            .expect("cannot wait for the server")
            .is_none()
    }

    /// The address of `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An answer: status, content type and body.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    /// The body as JSON (panics with the body when it is not).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.body))
    }

    /// The `{"error": …}` message of an error answer.
    pub fn error(&self) -> String {
        let json = self.json();
        let Some(message) = json["error"].as_str() else {
            panic!("no `error` string in {json}");
        };
        message.to_string()
    }

    /// A header's value, if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A blocking HTTP client that reports every status as a [`Reply`], without proxies.
#[derive(Clone)]
pub struct Http {
    agent: ureq::Agent,
}

impl Http {
    pub fn new() -> Http {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .proxy(None)
            .timeout_global(Some(Duration::from_secs(60)))
            // A new connection per request: a pooled one the server closed as idle (its
            // header timeout) while the test waited on a loaded machine failed the next
            // request with "Peer disconnected".
            .max_idle_connections(0)
            .build();
        Http {
            agent: config.into(),
        }
    }

    /// `GET url` with the query parameters (percent-encoded here).
    pub fn get(&self, url: &str, query: &[(&str, &str)]) -> Reply {
        self.get_with_host(url, query, None)
    }

    /// `GET url` with another `Host` header.
    pub fn get_with_host(&self, url: &str, query: &[(&str, &str)], host: Option<&str>) -> Reply {
        let mut request = self.agent.get(url);
        for &(name, value) in query {
            request = request.query(name, value);
        }
        if let Some(host) = host {
            request = request.header("Host", host);
        }
        reply(request.call())
    }

    /// `POST url` with a JSON body.
    pub fn post_json(&self, url: &str, body: &Value) -> Reply {
        reply(
            self.agent
                .post(url)
                .header("Content-Type", "application/json")
                .send(body.to_string()),
        )
    }
}

fn reply(result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
    let mut response = result.unwrap_or_else(|e| panic!("HTTP request failed: {e}"));
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect::<Vec<_>>();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    Reply {
        status: response.status().as_u16(),
        content_type,
        headers,
        body: response
            .body_mut()
            .with_config()
            .limit(50 * 1024 * 1024)
            .read_to_string()
            .expect("cannot read the body"),
    }
}
