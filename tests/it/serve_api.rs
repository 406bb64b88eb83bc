//! `fahras serve`'s HTTP API over loopback: the same answers as the command line, errors as
//! JSON with fitting statuses, new ingests seen without a restart, and many requests at once.

use std::collections::BTreeMap;
use std::thread;
use std::time::{Duration, Instant};

use crate::serve_util::{Http, Server};
use crate::util::{TestEnv, char_slice, strip_marks};
use serde_json::Value;

/// Query parameters of a request.
type Params<'a> = &'a [(&'a str, &'a str)];

/// The JSON of `fahras query ARGS… --json`, without its timing.
fn cli_json(env: &TestEnv, args: &[&str]) -> Value {
    let mut all = vec!["query"];
    all.extend_from_slice(args);
    all.push("--json");
    let out = env.run(&all);
    assert!(out.code == 0 || out.code == 1, "{out:?}");
    without_timing(serde_json::from_str(&out.stdout).unwrap())
}

fn without_timing(mut results: Value) -> Value {
    results.as_object_mut().unwrap().remove("took_ms");
    results
}

fn ids(results: &Value) -> Vec<String> {
    results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn search_answers_exactly_what_query_json_prints() {
    let env = TestEnv::ingested();
    let server = Server::start(&env);
    let http = Http::new();
    let cases: [(Params, &[&str]); 7] = [
        (&[("q", "لافروف")], &["لافروف"]),
        (&[("person", "سيرجي لافروف")], &["--person", "سيرجي لافروف"]),
        (
            &[("q", "موسكو"), ("person", "لافروف")],
            &["موسكو", "--person", "لافروف"],
        ),
        (
            &[("q", "\"شي جين بينغ\""), ("limit", "1"), ("offset", "1")],
            &["\"شي جين بينغ\"", "--limit", "1", "--offset", "1"],
        ),
        (
            &[("q", "وزير"), ("from", "2023-07-01"), ("to", "2023-07-24")],
            &["وزير", "--from", "2023-07-01", "--to", "2023-07-24"],
        ),
        (
            &[("q", "الرئيس"), ("snippet_chars", "40")],
            &["الرئيس", "--snippet-chars", "40"],
        ),
        (
            &[
                ("q", "*"),
                ("sort", "date-asc"),
                ("facets", "source,year"),
                ("facet_limit", "3"),
                ("by", "month"),
            ],
            &[
                "*",
                "--sort",
                "date-asc",
                "--facets",
                "source,year",
                "--facet-limit",
                "3",
                "--by",
                "month",
            ],
        ),
    ];
    for (params, args) in cases {
        let reply = http.get(&server.url("/search"), params);
        assert_eq!(reply.status, 200, "{params:?}: {}", reply.body);
        assert!(reply.content_type.starts_with("application/json"));
        let api = reply.json();
        assert!(api["took_ms"].as_f64().unwrap() >= 0.0);
        assert_eq!(without_timing(api), cli_json(&env, args), "{params:?}");
    }
    // The date range really filters: one of the three ministers' articles is dated in July.
    let all = http.get(&server.url("/search"), &[("q", "وزير")]).json();
    let july = http
        .get(
            &server.url("/search"),
            &[("q", "وزير"), ("from", "2023-07-01"), ("to", "2023-07-24")],
        )
        .json();
    assert!(all["total_hits"].as_u64() > july["total_hits"].as_u64());
    assert_eq!(ids(&july), ["wire-3"]);
}

#[test]
fn a_facet_value_filters_the_hits_to_its_count() {
    let env = TestEnv::ingested();
    let server = Server::start(&env);
    let http = Http::new();
    let all = http
        .get(
            &server.url("/search"),
            &[("q", "الرئيس"), ("facets", "source")],
        )
        .json();
    let sources = &all["facets"][0];
    assert_eq!(sources["field"], "source");
    let top = &sources["values"][0];
    let (source, count) = (
        top["value"].as_str().unwrap(),
        top["count"].as_u64().unwrap(),
    );
    assert!(
        count < all["total_hits"].as_u64().unwrap(),
        "the filter must leave some hits out: {all}"
    );
    let filtered = http
        .get(
            &server.url("/search"),
            &[("q", "الرئيس"), ("source", source)],
        )
        .json();
    assert_eq!(filtered["query"], "الرئيس");
    assert_eq!(filtered["total_hits"].as_u64(), Some(count));
    for hit in filtered["hits"].as_array().unwrap() {
        assert_eq!(hit["source"], source, "{hit}");
    }
    // An error in the query is still reported at its place in what the user typed.
    let bad = http.get(
        &server.url("/search"),
        &[("q", "\"الرئيس"), ("source", source)],
    );
    assert_eq!(bad.status, 400);
    assert!(bad.error().contains("(in `\"الرئيس`)"), "{}", bad.body);
    // words only excluded leave them out of the filter's articles (it was an error: `-a`
    // alone excludes from nothing)
    let without = http.get(
        &server.url("/search"),
        &[("q", "-الرئيس"), ("source", source), ("limit", "100")],
    );
    assert_eq!(without.status, 200, "{}", without.body);
    let without = without.json();
    assert!(without["total_hits"].as_u64().unwrap() > 0, "{without}");
    let with = ids(&http
        .get(
            &server.url("/search"),
            &[("q", "الرئيس"), ("source", source), ("limit", "100")],
        )
        .json());
    for hit in without["hits"].as_array().unwrap() {
        assert_eq!(hit["source"], source, "{hit}");
        assert!(
            !with.contains(&hit["id"].as_str().unwrap().to_string()),
            "{hit}"
        );
    }
    // a filter narrows a person's articles too (the person was pasted into the filtered
    // text, which made a syntax error)
    let about = http
        .get(
            &server.url("/search"),
            &[("person", "لافروف"), ("facets", "source")],
        )
        .json();
    let top = &about["facets"][0]["values"][0];
    let (source, count) = (
        top["value"].as_str().unwrap(),
        top["count"].as_u64().unwrap(),
    );
    let filtered = http.get(
        &server.url("/search"),
        &[("person", "لافروف"), ("source", source)],
    );
    assert_eq!(filtered.status, 200, "{}", filtered.body);
    let filtered = filtered.json();
    assert_eq!(filtered["query"], "person:\"لافروف\"");
    assert_eq!(filtered["total_hits"].as_u64(), Some(count));
    for hit in filtered["hits"].as_array().unwrap() {
        assert_eq!(hit["source"], source, "{hit}");
    }
}

#[test]
fn similar_answers_what_the_similar_command_prints() {
    let env = TestEnv::ingested();
    let server = Server::start(&env);
    let http = Http::new();
    let url = server.url("/similar/lavrov-blinken-call.txt");
    let api = http.get(&url, &[]).json();
    let out = env.run(&["similar", "lavrov-blinken-call.txt", "--json"]);
    assert_eq!(out.code, 0, "{out:?}");
    let cli = without_timing(serde_json::from_str(&out.stdout).unwrap());
    assert_eq!(without_timing(api.clone()), cli);
    assert_eq!(api["similar_to"]["id"], "lavrov-blinken-call.txt");
    assert!(!ids(&api).is_empty());
    assert!(!ids(&api).contains(&"lavrov-blinken-call.txt".to_string()));
    // Paging and a query that must match too narrow it.
    let one = http.get(&url, &[("limit", "1"), ("offset", "1")]).json();
    assert_eq!(ids(&one), ids(&api)[1..2]);
    let narrowed = http.get(&url, &[("q", "الصين")]).json();
    assert!(
        narrowed["total_hits"].as_u64() < api["total_hits"].as_u64(),
        "{narrowed}"
    );
}

#[test]
fn pages_follow_each_other_without_gaps() {
    let env = TestEnv::ingested();
    let server = Server::start(&env);
    let http = Http::new();
    let whole = http.get(&server.url("/search"), &[("q", "الرئيس")]).json();
    let total = whole["total_hits"].as_u64().unwrap() as usize;
    assert!(total >= 3, "{whole}");
    let mut paged = Vec::new();
    for offset in (0..total).step_by(2) {
        let offset = offset.to_string();
        let page = http
            .get(
                &server.url("/search"),
                &[("q", "الرئيس"), ("limit", "2"), ("offset", &offset)],
            )
            .json();
        assert_eq!(page["total_hits"], whole["total_hits"]);
        paged.extend(ids(&page));
    }
    assert_eq!(paged, ids(&whole));
}

#[test]
fn the_article_view_has_the_whole_text_and_every_match() {
    let env = TestEnv::with_data();
    // An id with a slash and a `#` in it must survive the path.
    env.write(
        "data/nested/two.jsonl",
        concat!(
            "{\"title\": \"خبر أول\", \"body\": \"نص لا علاقة له بالموضوع.\"}\n",
            "{\"title\": \"خبر ثان عن لافروف\", \"body\": \"قال لافْرُوف إن المحادثات مفيدة.\\nوأضاف ولافروف شيئاً.\"}\n"
        ),
    );
    assert_eq!(env.run(&["ingest", "data"]).code, 0);
    let server = Server::start(&env);
    let http = Http::new();

    let reply = http.get(
        &server.url("/doc/nested%2Ftwo.jsonl%232"),
        &[("q", "لافروف")],
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let doc = reply.json();
    assert_eq!(doc["id"], "nested/two.jsonl#2");
    assert_eq!(
        doc["body"],
        "قال لافْرُوف إن المحادثات مفيدة.\nوأضاف ولافروف شيئاً."
    );
    let words = |text: &Value, highlights: &Value| -> Vec<String> {
        let text = text.as_str().unwrap();
        highlights
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                let (start, end) = (h["start"].as_u64().unwrap(), h["end"].as_u64().unwrap());
                char_slice(text, start as usize, end as usize)
            })
            .collect()
    };
    assert_eq!(
        words(&doc["body"], &doc["body_highlights"]),
        ["لافْرُوف", "ولافروف"]
    );
    assert_eq!(words(&doc["title"], &doc["title_highlights"]), ["لافروف"]);

    // A raw slash works too, and without q nothing is highlighted.
    let plain = http
        .get(&server.url("/doc/nested/two.jsonl%231"), &[])
        .json();
    assert_eq!(plain["title"], "خبر أول");
    assert_eq!(plain["body_highlights"], Value::Array(vec![]));

    // A real article: every spelling of the name in the text is highlighted.
    let sana = http
        .get(
            &server.url("/doc/lavrov-blinken-call.txt"),
            &[("q", "لافروف")],
        )
        .json();
    let found = words(&sana["body"], &sana["body_highlights"]);
    assert!(found.len() >= 3, "{found:?}");
    for word in &found {
        assert!(strip_marks(word).ends_with("لافروف"), "{word}");
    }
}

#[test]
fn errors_are_json_with_a_fitting_status() {
    let env = TestEnv::ingested();
    let server = Server::start(&env);
    let http = Http::new();
    let search = server.url("/search");
    let long_query = "لافروف ".repeat(200);
    let too_long = [("q", long_query.as_str())];
    let cases: Vec<(Params, u16, &str)> = vec![
        (&[("q", "\"لافروف")], 400, "query syntax error at character"),
        (
            &[("q", "nosuchfield:x")],
            400,
            "unknown field `nosuchfield`",
        ),
        (
            &[("q", "لافروف"), ("from", "أمس")],
            400,
            "from: `أمس` is not a date",
        ),
        (&[("q", "لافروف"), ("limit", "101")], 400, "limit: `101`"),
        (&[("q", "لافروف"), ("limit", "ten")], 400, "limit: `ten`"),
        (
            &[("q", "لافروف"), ("offset", "10001")],
            400,
            "offset: `10001`",
        ),
        (&too_long, 400, "the most is 1000"),
        (&[("q", "   ")], 400, "the query is empty"),
        (&[], 400, "q: missing"),
        (
            &[("q", "لافروف"), ("lang", "ar")],
            400,
            "lang: unknown field `lang`",
        ),
        (
            &[("q", "لافروف"), ("sort", "new")],
            400,
            "sort: `new` is not one of",
        ),
        (
            &[("q", "لافروف"), ("facets", "title")],
            400,
            "facets: `title` is not one of",
        ),
    ];
    for (params, status, message) in cases {
        let reply = http.get(&search, params);
        assert_eq!(reply.status, status, "{params:?}: {}", reply.body);
        assert!(reply.content_type.starts_with("application/json"));
        assert!(
            reply.error().contains(message),
            "{params:?}: {}",
            reply.body
        );
    }
    let missing = http.get(&server.url("/doc/no-such-article"), &[]);
    assert_eq!(missing.status, 404);
    assert!(missing.error().contains("no-such-article"));
    let bad_highlight = http.get(&server.url("/doc/wire-3"), &[("q", "(")]);
    assert_eq!(bad_highlight.status, 400, "{}", bad_highlight.body);
    assert_eq!(http.get(&server.url("/nowhere"), &[]).status, 404);
    let post = http.post_json(&search, &Value::Null);
    assert_eq!(
        (post.status, post.error().as_str()),
        (405, "only GET is supported")
    );
    let similar = http.get(&server.url("/similar/no-such-article"), &[]);
    assert_eq!(similar.status, 404, "{}", similar.body);
    assert!(similar.error().contains("no-such-article"));
    // A page on another site cannot reach the server through DNS rebinding.
    let rebound = http.get_with_host(&server.url("/health"), &[], Some("attacker.example:7700"));
    assert_eq!(rebound.status, 403);
    assert!(rebound.error().contains("Host"));
}

#[test]
fn health_and_page_are_served() {
    let env = TestEnv::ingested();
    let server = Server::start(&env);
    let http = Http::new();
    let stats: Value = serde_json::from_str(&env.run(&["stats", "--json"]).stdout).unwrap();
    let health = http.get(&server.url("/health"), &[]).json();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["documents"], stats["documents"]);

    let page = http.get(&server.url("/"), &[]);
    assert_eq!(page.status, 200);
    assert!(page.content_type.starts_with("text/html"));
    assert!(page.body.contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(page.body.contains("name=\"viewport\""));
    let policy = page.header("content-security-policy").unwrap();
    assert!(policy.contains("connect-src 'self'"), "{policy}");
    // Nothing is loaded from elsewhere.
    assert!(!page.body.contains("http://") && !page.body.contains("https://"));
}

#[test]
fn an_ingest_shows_up_without_a_restart() {
    let env = TestEnv::ingested();
    let server = Server::start(&env);
    let http = Http::new();
    let count = || {
        http.get(&server.url("/search"), &[("q", "المنغوليين")])
            .json()["total_hits"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(count(), 0);
    env.write(
        "more/mongolia.md",
        "# وفد من المنغوليين في دمشق\n\nوصل وفد من المنغوليين إلى دمشق اليوم.\n",
    );
    assert_eq!(env.run(&["ingest", "more"]).code, 0);
    let started = Instant::now();
    while count() == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the new article never appeared"
        );
        thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(count(), 1);
}

#[test]
fn serve_refuses_a_remote_address_and_a_missing_index() {
    let env = TestEnv::ingested();
    let out = env.run(&["serve", "--addr", "0.0.0.0:0"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--allow-remote"), "{}", out.stderr);
    assert_eq!(out.stderr_lines().len(), 1, "{}", out.stderr);

    let empty = TestEnv::new();
    let out = empty.run(&["serve", "--addr", "127.0.0.1:0"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no fahras index"), "{}", out.stderr);
}

/// 1,000 requests from 8 threads at once: every answer is a 200 with the same JSON a lone
/// request gets. (How fast is measured by `examples/serve_load.rs`, not here.)
#[test]
fn a_thousand_concurrent_requests_all_succeed() {
    let env = TestEnv::ingested();
    let server = Server::start(&env);
    let http = Http::new();
    let queries = [
        "لافروف",
        "الصين",
        "الرئيس",
        "\"شي جين بينغ\"",
        "وزير",
        "سوريا",
        "غائب",
    ];
    let expected: BTreeMap<&str, Value> = queries
        .iter()
        .map(|&q| {
            let answer = http.get(&server.url("/search"), &[("q", q)]).json();
            (q, without_timing(answer))
        })
        .collect();
    let article = http
        .get(&server.url("/doc/wire-3"), &[("q", "لافروف")])
        .json();

    const THREADS: usize = 8;
    const PER_THREAD: usize = 125;
    let failures: Vec<String> = thread::scope(|scope| {
        let workers: Vec<_> = (0..THREADS)
            .map(|t| {
                let (server, expected, article) = (&server, &expected, &article);
                scope.spawn(move || {
                    let http = Http::new();
                    let mut failures = Vec::new();
                    for i in 0..PER_THREAD {
                        let n = t * PER_THREAD + i;
                        let (reply, want) = if n % 10 == 9 {
                            let reply = http.get(&server.url("/doc/wire-3"), &[("q", "لافروف")]);
                            (reply, article.clone())
                        } else {
                            let q = queries[n % queries.len()];
                            let reply = http.get(&server.url("/search"), &[("q", q)]);
                            (reply, expected[q].clone())
                        };
                        if reply.status != 200 {
                            failures.push(format!("{}: {}", reply.status, reply.body));
                            continue;
                        }
                        let mut got = reply.json();
                        if got.get("took_ms").is_some() {
                            got = without_timing(got);
                        }
                        if got != want {
                            failures.push(format!("different answer: {got}"));
                        }
                    }
                    failures
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} of {} requests failed; first: {}",
        failures.len(),
        THREADS * PER_THREAD,
        failures[0]
    );
}

/// Issue 15: `GET /person?name=…` answers the card `fahras person --json` prints.
#[test]
fn the_person_card_is_served() {
    let env = TestEnv::ingested();
    let server = Server::start(&env);
    let http = Http::new();
    let api = http
        .get(&server.url("/person"), &[("name", "سيرجي لافروف")])
        .json();
    let out = env.run(&["person", "سيرجي لافروف", "--json"]);
    assert_eq!(out.code, 0, "{out:?}");
    let cli: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(api, cli);
    assert!(api["articles"].as_u64().unwrap() > 0, "{api}");
    let missing = http.get(&server.url("/person"), &[]);
    assert_eq!(missing.status, 400, "{missing:?}");
}
