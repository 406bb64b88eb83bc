//! `fahras export` on a copy of the sample articles in `data/`: JSON Lines, OpenSearch bulk
//! bodies and the index mapping.

use std::collections::BTreeSet;
use std::io::{self, Write};

use crate::util::TestEnv;
use fahras::export::{ExportRequest, opensearch_mapping};
use fahras::{Article, FahrasIndex, Hit};
use serde_json::Value;
use time::macros::datetime;

const LAVROV_IDS: [&str; 3] = [
    "lavrov-blinken-call.txt",
    "sana-china-russia-sco.txt",
    "wire-3",
];

fn export(env: &TestEnv, args: &[&str]) -> (i32, String) {
    let mut all = vec!["export"];
    all.extend_from_slice(args);
    let out = env.run(&all);
    assert!(out.code == 0 || out.code == 1, "{out:?}");
    assert_eq!(out.stderr, "");
    (out.code, out.stdout)
}

fn articles(ndjson: &str) -> Vec<Article> {
    ndjson
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn ids(articles: &[Article]) -> BTreeSet<&str> {
    articles.iter().map(|a| a.id.as_str()).collect()
}

fn all_ids(env: &TestEnv) -> BTreeSet<String> {
    let results = env.query_json("*", &["-n", "100", "--snippet-chars", "0"]);
    results.hits.into_iter().map(|h: Hit| h.id).collect()
}

#[test]
fn ndjson_has_every_article_once_with_every_stored_field_as_written() {
    let env = TestEnv::ingested();
    let (code, out) = export(&env, &[]);
    assert_eq!(code, 0);
    let exported = articles(&out);
    assert_eq!(exported.len(), 13);
    let expected = all_ids(&env);
    assert_eq!(
        ids(&exported),
        expected.iter().map(String::as_str).collect()
    );

    let call = exported
        .iter()
        .find(|a| a.id == "lavrov-blinken-call.txt")
        .unwrap();
    assert_eq!(call.path, "lavrov-blinken-call.txt");
    assert_eq!(call.source.as_deref(), Some("سانا"));
    assert_eq!(call.place.as_deref(), Some("موسكو"));
    // The text keeps its diacritics and clitics: export is the stored article, not terms.
    assert!(call.body.contains("لافْرُوفُ"), "{}", call.body);
    assert!(call.body.contains("ولافروف"));

    let sport = exported
        .iter()
        .find(|a| a.id == "JA-sport-9001-20170305")
        .unwrap();
    assert_eq!(sport.date, Some(datetime!(2017-03-05 17:30 UTC)));
    assert_eq!(
        sport.date_text.as_deref(),
        Some("2017-03-05T18:30:00+01:00")
    );
    assert_eq!(sport.category.as_deref(), Some("sport"));
    assert_eq!(
        sport.url.as_deref(),
        Some("http://example.org/ar/article/9001")
    );
    assert_eq!(sport.title, "النجم الساحلي يفوز على أرضه في سوسة");

    let heritage = exported.iter().find(|a| a.id == "heritage.md").unwrap();
    assert_eq!(heritage.author.as_deref(), Some("هالة المصري"));
    let undated = exported
        .iter()
        .find(|a| a.id == "zelensky-kyiv.txt")
        .unwrap();
    assert_eq!(
        (undated.date.as_ref(), undated.source.as_ref()),
        (None, None)
    );
}

#[test]
fn every_line_has_every_key_even_when_null() {
    let env = TestEnv::ingested();
    let (_, out) = export(&env, &[]);
    let keys = [
        "id",
        "path",
        "title",
        "body",
        "date",
        "date_text",
        "source",
        "place",
        "category",
        "author",
        "url",
    ];
    for line in out.lines() {
        let object: Value = serde_json::from_str(line).unwrap();
        if object["id"] == "JA-sport-9001-20170305" {
            assert_eq!(object["date"], "2017-03-05T17:30:00Z");
        }
        let found: BTreeSet<&str> = object
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(found, keys.into_iter().collect(), "{line}");
    }
}

#[test]
fn a_query_exports_only_its_matches_and_dates_narrow_them() {
    let env = TestEnv::ingested();
    let (code, out) = export(&env, &["لافروف"]);
    assert_eq!(code, 0);
    assert_eq!(ids(&articles(&out)), LAVROV_IDS.into_iter().collect());

    let (_, out) = export(&env, &["--from", "2017-01-01", "--to", "2017-12-31"]);
    assert_eq!(
        ids(&articles(&out)),
        ["JA-economy-9002-20170410", "JA-sport-9001-20170305"]
            .into_iter()
            .collect()
    );

    let (code, out) = export(&env, &["كنغر"]);
    assert_eq!((code, out.as_str()), (1, ""));
}

#[test]
fn replaced_articles_are_exported_once() {
    let env = TestEnv::ingested();
    // Re-ingesting replaces every article: the old copies are deleted, not yet merged away.
    assert_eq!(env.run(&["ingest", "-q", "data"]).code, 0);
    let (_, out) = export(&env, &[]);
    let exported = articles(&out);
    assert_eq!(exported.len(), 13);
    assert_eq!(ids(&exported).len(), 13);
}

#[test]
fn bulk_body_pairs_an_index_action_with_each_article() {
    let env = TestEnv::ingested();
    let (code, out) = export(
        &env,
        &["--format", "opensearch-bulk", "--bulk-index", "akhbar"],
    );
    assert_eq!(code, 0);
    assert!(out.ends_with('\n'), "a bulk body ends with a newline");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 26);
    for pair in lines.chunks(2) {
        let action: Value = serde_json::from_str(pair[0]).unwrap();
        let article: Article = serde_json::from_str(pair[1]).unwrap();
        let target = action["index"].as_object().expect("an index action");
        assert_eq!(target.len(), 2, "{action}");
        assert_eq!(target["_index"], "akhbar");
        assert_eq!(target["_id"], article.id.as_str());
    }
    let (_, ndjson) = export(&env, &[]);
    let documents: Vec<&str> = lines.iter().skip(1).step_by(2).copied().collect();
    assert_eq!(documents, ndjson.lines().collect::<Vec<_>>());
}

#[test]
fn mapping_describes_every_exported_field_and_its_analyzers() {
    let env = TestEnv::ingested();
    let out = env.run(&["export", "--mapping", "opensearch"]);
    assert_eq!(out.code, 0, "{out:?}");
    let mapping: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(mapping, opensearch_mapping());

    let properties = mapping["mappings"]["properties"].as_object().unwrap();
    let (_, ndjson) = export(&env, &[]);
    let first: Value = serde_json::from_str(ndjson.lines().next().unwrap()).unwrap();
    let exported: BTreeSet<&String> = first.as_object().unwrap().keys().collect();
    assert_eq!(properties.keys().collect::<BTreeSet<_>>(), exported);
    assert_eq!(mapping["mappings"]["dynamic"], "strict");
    assert_eq!(properties["date"]["type"], "date");
    assert_eq!(properties["id"]["type"], "keyword");
    assert_eq!(properties["source"]["fields"]["raw"]["type"], "keyword");
    for text in ["title", "body"] {
        assert_eq!(properties[text]["analyzer"], "fahras_exact");
        assert_eq!(
            properties[text]["fields"]["stem"]["analyzer"],
            "fahras_stemmed"
        );
    }
    let analysis = &mapping["settings"]["analysis"];
    assert_eq!(analysis["char_filter"]["fahras_fold"]["type"], "mapping");
    assert_eq!(
        analysis["filter"]["fahras_arabic_stem"]["language"],
        "arabic"
    );
    let stop_words = analysis["filter"]["fahras_stop"]["stopwords"]
        .as_array()
        .unwrap();
    assert!(stop_words.iter().any(|w| w == "في"));
}

#[test]
fn mapping_cannot_be_combined_with_a_query() {
    let env = TestEnv::ingested();
    let out = env.run(&["export", "لافروف", "--mapping", "opensearch"]);
    assert_eq!(out.code, 2, "{out:?}");
}

/// A writer that takes `lines` lines and then fails like a closed pipe.
struct ClosingPipe {
    lines: usize,
    received: Vec<u8>,
}

impl Write for ClosingPipe {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.received.iter().filter(|&&b| b == b'\n').count() >= self.lines {
            return Err(io::Error::from(io::ErrorKind::BrokenPipe));
        }
        self.received.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn export_writes_as_it_reads_and_stops_at_the_first_write_error() {
    let env = TestEnv::ingested();
    let index = FahrasIndex::open(&env.index_dir()).unwrap();
    let mut pipe = ClosingPipe {
        lines: 2,
        received: Vec::new(),
    };
    let error = index.export(&ExportRequest::all(), &mut pipe).unwrap_err();
    let fahras::Error::Output(cause) = &error else {
        panic!("not an output error: {error:?}");
    };
    assert_eq!(cause.kind(), io::ErrorKind::BrokenPipe);
    // The first two articles were written before the third was refused.
    let received = String::from_utf8(pipe.received).unwrap();
    assert_eq!(articles(&received).len(), 2);

    let mut all = Vec::new();
    let report = index.export(&ExportRequest::all(), &mut all).unwrap();
    assert_eq!(report.articles, 13);
}
