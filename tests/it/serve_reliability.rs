//! `fahras serve` under input and load meant to bring it down (issue 17): deeply nested
//! queries, queries tantivy fails on at search time, and more connections than it has file
//! descriptors. The server must answer each with a status that fits and keep serving.

use std::net::TcpStream;

use crate::serve_util::{Http, Server};
use crate::util::TestEnv;

#[test]
fn a_deeply_nested_query_is_a_400_and_the_server_goes_on() {
    let env = TestEnv::ingested();
    let mut server = Server::start(&env);
    let http = Http::new();
    // 731 `(`: under the 1,000-character limit, and enough to overflow a worker's stack
    let deep = format!("{}تشين", "(".repeat(731));
    for path in [
        "/search",
        "/doc/sana-china-russia-sco.txt",
        "/similar/sana-china-russia-sco.txt",
    ] {
        let reply = http.get(&server.url(path), &[("q", &deep)]);
        assert_eq!(reply.status, 400, "{path}: {reply:?}");
        assert!(
            reply
                .error()
                .contains("731 levels deep; at most 100 are allowed"),
            "{path}: {}",
            reply.error()
        );
    }
    assert!(server.is_running());
    let reply = http.get(&server.url("/search"), &[("q", "تشين")]);
    assert_eq!(reply.status, 200, "{reply:?}");
}

#[test]
fn field_any_value_and_unknown_fields_are_400_never_500() {
    let env = TestEnv::ingested();
    let server = Server::start(&env);
    let http = Http::new();
    for query in [
        "title:*",
        "body:*",
        "foo:*",
        "date:2017",
        "title:(",
        "\"ترامب",
        "ترامب AND",
    ] {
        let reply = http.get(&server.url("/search"), &[("q", query)]);
        assert_eq!(reply.status, 400, "{query}: {reply:?}");
        assert!(
            !reply.error().contains("fast field"),
            "{query}: {}",
            reply.error()
        );
    }
}

/// Regression: `date:2017` told HTTP clients to "use --from and --to", flags of the command
/// line; the API names its own parameters.
#[test]
fn the_api_advises_its_own_date_parameters_not_the_command_line_s() {
    let env = TestEnv::ingested();
    let server = Server::start(&env);
    let reply = Http::new().get(&server.url("/search"), &[("q", "date:2017")]);
    assert_eq!(reply.status, 400, "{reply:?}");
    let error = reply.error();
    assert!(error.contains("unknown field `date`"), "{error}");
    assert!(
        error.contains("use the from= and to= parameters"),
        "{error}"
    );
    assert!(!error.contains("--"), "{error}");
}

#[test]
fn more_connections_than_file_descriptors_do_not_stop_the_server() {
    let env = TestEnv::ingested();
    if std::process::Command::new("prlimit")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: no prlimit");
        return;
    }
    let mut server = Server::start_under(&env, &["prlimit", "--nofile=64:64", "--"]);
    let address = server.base.trim_start_matches("http://").to_string();
    // 80 idle connections: more than the 64 descriptors the server may open
    let idle: Vec<TcpStream> = (0..80)
        .map(|_| TcpStream::connect(&address).unwrap())
        .collect();
    // answered once the idle ones time out (the server closes them; they wait their turn)
    let http = Http::new();
    let reply = http.get(&server.url("/search"), &[("q", "تشين")]);
    assert_eq!(reply.status, 200, "{reply:?}");
    assert!(server.is_running());
    drop(idle);
    let reply = http.get(&server.url("/health"), &[]);
    assert_eq!(reply.status, 200, "{reply:?}");
}
