//! The `fahras` library without the binary.

use std::path::Path;

use crate::util::{TestEnv, char_slice, strip_marks};
use fahras::{FahrasIndex, IngestOptions, SearchRequest};

const SEED: &str = "sana-china-russia-sco.txt";

fn small_options() -> IngestOptions {
    IngestOptions {
        memory_budget_bytes: 20 * 1024 * 1024,
        threads: 1,
        ..IngestOptions::default()
    }
}

/// The seed, an article that matches الأزمة الأوكرانية only through a stem (للأزمات), and one
/// that does not match at all, ingested into `idx`.
fn seed_index(env: &TestEnv) -> FahrasIndex {
    env.copy_sample(SEED, &format!("articles/{SEED}"));
    env.copy_sample("xi-jinping-beijing.txt", "articles/xi-jinping-beijing.txt");
    env.copy_sample("heritage.md", "articles/heritage.md");
    let index = FahrasIndex::open_or_create(&env.index_dir()).expect("open_or_create");
    let mut skipped = Vec::new();
    let report = index
        .ingest(&env.path("articles"), &small_options(), &mut |skip| {
            skipped.push(skip.reason.to_string())
        })
        .expect("ingest");
    assert!(skipped.is_empty(), "{skipped:?}");
    assert!(report.is_clean());
    assert_eq!(report.files_found, 3);
    assert_eq!(report.files_added, 3);
    assert_eq!(report.articles_indexed, 3);
    assert!(report.bytes_read > 0);
    index
}

#[test]
fn seed_ranks_first_for_its_topic() {
    let env = TestEnv::new();
    let index = seed_index(&env);
    let results = index
        .search(&SearchRequest::new("الأزمة الأوكرانية"))
        .unwrap();
    assert_eq!(results.query, "الأزمة الأوكرانية");
    assert_eq!(results.total_hits, 2, "{:?}", results.hits);
    assert_eq!(results.hits[0].id, SEED);
    assert_eq!(results.hits[0].rank, 1);
    assert_eq!(results.hits[1].id, "xi-jinping-beijing.txt");
    assert!(results.hits[0].score > results.hits[1].score);
    assert_eq!(results.hits[0].place.as_deref(), Some("غوا"));
}

#[test]
fn offset_pages_through_the_hits() {
    let env = TestEnv::new();
    let index = seed_index(&env);
    let all = index
        .search(&SearchRequest::new("الأزمة الأوكرانية"))
        .unwrap();
    let page = index
        .search(&SearchRequest {
            offset: 1,
            ..SearchRequest::new("الأزمة الأوكرانية")
        })
        .unwrap();
    assert_eq!(page.total_hits, all.total_hits);
    assert_eq!(page.hits.len(), 1);
    assert_eq!(page.hits[0].rank, 2);
    assert_eq!(page.hits[0].id, all.hits[1].id);

    let none = index
        .search(&SearchRequest {
            limit: 0,
            ..SearchRequest::new("الأزمة الأوكرانية")
        })
        .unwrap();
    assert!(none.hits.is_empty());
    assert_eq!(none.total_hits, 2);
}

#[test]
fn snippets_fit_in_snippet_chars() {
    let env = TestEnv::new();
    let index = seed_index(&env);
    for snippet_chars in [40, 80, 200] {
        let results = index
            .search(&SearchRequest {
                snippet_chars,
                ..SearchRequest::new("الأزمة الأوكرانية لافروف")
            })
            .unwrap();
        assert!(!results.hits.is_empty());
        for hit in &results.hits {
            let text = &hit.snippet.text;
            assert!(
                text.chars().count() <= snippet_chars,
                "{} chars > {snippet_chars}: {text}",
                text.chars().count()
            );
            assert!(!text.is_empty());
            assert!(!hit.snippet.highlights.is_empty(), "{}: {text}", hit.id);
            for h in &hit.snippet.highlights {
                // char_slice checks the range is inside the text.
                let word = strip_marks(&char_slice(text, h.start, h.end));
                assert!(
                    ["أزم", "أوكراني", "لافروف"]
                        .iter()
                        .any(|root| word.contains(root)),
                    "{}: highlighted {word:?}",
                    hit.id
                );
            }
        }
    }
}

#[test]
fn a_reopened_index_gives_the_same_answers_and_reingest_has_nothing_to_do() {
    let env = TestEnv::new();
    let before = seed_index(&env)
        .search(&SearchRequest::new("شنغهاي"))
        .unwrap();
    assert_eq!(before.total_hits, 1);

    let index = FahrasIndex::open(&env.index_dir()).unwrap();
    assert_eq!(index.stats().unwrap().documents, 3);
    let after = index.search(&SearchRequest::new("شنغهاي")).unwrap();
    assert_eq!(after.hits[0].id, before.hits[0].id);
    assert_eq!(after.hits[0].snippet, before.hits[0].snippet);

    let report = index
        .ingest(&env.path("articles"), &small_options(), &mut |skip| {
            panic!("{}", skip.reason)
        })
        .unwrap();
    assert_eq!(
        (
            report.files_unchanged,
            report.articles_indexed,
            report.documents
        ),
        (3, 0, 3)
    );
    let stats = index.stats().unwrap();
    assert_eq!(stats.documents, 3);
    let last = stats.last_ingest.unwrap();
    assert_eq!((last.articles, last.files_unchanged), (0, 3));
}

#[test]
fn opening_a_missing_index_is_an_error() {
    let env = TestEnv::new();
    let err = FahrasIndex::open(&env.path("nothing-here"))
        .err()
        .expect("opened an index that does not exist");
    assert!(matches!(err, fahras::Error::IndexMissing { .. }), "{err}");
    // the library names its own calls; the command line words it `fahras ingest … --index`
    assert!(
        err.to_string().contains("FahrasIndex::open_or_create"),
        "{err}"
    );
}

#[test]
fn ingesting_a_missing_folder_is_an_error() {
    let env = TestEnv::new();
    let index = FahrasIndex::open_or_create(&env.index_dir()).unwrap();
    let result = index.ingest(Path::new("/no/such/folder"), &small_options(), &mut |_| {});
    let err = result.expect_err("ingested a missing folder");
    assert!(err.to_string().contains("/no/such/folder"), "{err}");
}

#[test]
fn a_snippet_shorter_than_a_word_does_not_panic() {
    let env = TestEnv::new();
    let index = seed_index(&env);
    let results = index
        .search(&SearchRequest {
            snippet_chars: 3,
            ..SearchRequest::new("لافروف")
        })
        .unwrap();
    assert_eq!(results.total_hits, 1);
    assert!(results.hits[0].snippet.text.chars().count() <= 3);
}

/// All of `data/`, ingested with the library.
fn data_index(env: &TestEnv) -> FahrasIndex {
    let index = FahrasIndex::open_or_create(&env.index_dir()).expect("open_or_create");
    index
        .ingest(&crate::util::data_dir(), &small_options(), &mut |skip| {
            panic!("skipped {skip:?}")
        })
        .expect("ingest");
    index
}

fn ids(results: &fahras::SearchResults) -> Vec<&str> {
    results.hits.iter().map(|h| h.id.as_str()).collect()
}

#[test]
fn a_clitic_is_stripped_when_the_rest_is_a_word_of_the_index() {
    let env = TestEnv::new();
    let index = data_index(&env);
    // بلافروف (ب + لافروف, "with Lavrov") is written nowhere in data/, but لافروف is.
    let with_clitic = index.search(&SearchRequest::new("بلافروف")).unwrap();
    let bare = index.search(&SearchRequest::new("لافروف")).unwrap();
    assert_eq!(bare.total_hits, 3, "{:?}", ids(&bare));
    let mut found = ids(&with_clitic);
    let mut expected = ids(&bare);
    found.sort();
    expected.sort();
    assert_eq!(found, expected);
    // the match is highlighted where the article wrote the name
    assert!(
        with_clitic
            .hits
            .iter()
            .all(|h| !h.snippet.highlights.is_empty())
    );
    // بكين keeps its ب: كين is not a word of the index, so nothing else comes back
    let beijing = index.search(&SearchRequest::new("بكين")).unwrap();
    assert_eq!(ids(&beijing), ["xi-jinping-beijing.txt"]);
}

#[test]
fn the_first_stage_alone_finds_no_unattested_reading() {
    let env = TestEnv::new();
    let index = data_index(&env);
    let mut request = SearchRequest::new("بلافروف");
    request.ranking = fahras::search::RankingOptions::parse("rerank=0").unwrap();
    assert_eq!(index.search(&request).unwrap().total_hits, 0);
}

#[test]
fn articles_matching_more_query_words_rank_first() {
    let env = TestEnv::new();
    let index = data_index(&env);
    // Only the Lavrov–Blinken call has both names; other articles have one of them.
    let results = index.search(&SearchRequest::new("لافروف بلينكن")).unwrap();
    assert_eq!(
        results.hits[0].id,
        "lavrov-blinken-call.txt",
        "{:?}",
        ids(&results)
    );
    assert!(results.total_hits >= 3);
    let scores: Vec<f32> = results.hits.iter().map(|h| h.score).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}

#[test]
fn only_a_query_of_plain_alternatives_is_widened() {
    let env = TestEnv::new();
    let index = data_index(&env);
    // With an excluded word the query is not widened (it would change what `-` means), so
    // بلافروف matches only as written: nowhere.
    let excluding = index.search(&SearchRequest::new("بلافروف -شنغهاي")).unwrap();
    assert_eq!(excluding.total_hits, 0);
    let excluding = index.search(&SearchRequest::new("لافروف -شنغهاي")).unwrap();
    assert_eq!(excluding.total_hits, 2, "{:?}", ids(&excluding));
    assert!(!ids(&excluding).contains(&SEED));
}

#[test]
fn ranking_knobs_parse_and_reject_unknown_keys() {
    use fahras::search::RankingOptions;
    let options = RankingOptions::parse("k1=0.5, b=0.9,proximity=0,attested=0").unwrap();
    assert_eq!(options.k1, 0.5);
    assert_eq!(options.b, 0.9);
    assert_eq!(options.proximity, 0.0);
    assert!(!options.words.attested_readings);
    assert!(options.rerank);
    let err = RankingOptions::parse("k3=1").unwrap_err();
    assert!(err.contains("unknown ranking key `k3`"), "{err}");
    assert!(RankingOptions::parse("k1=x").is_err());
}

/// Deletes a file when the ingest has planned its reads, as if another program removed it.
struct DeleteAfterPlanning {
    victim: std::path::PathBuf,
    planned: Option<(u64, u64)>,
    done: u64,
    skipped: Vec<String>,
}

impl fahras::index::IngestObserver for DeleteAfterPlanning {
    fn skipped(&mut self, skip: &fahras::index::SkippedInput) {
        self.skipped.push(skip.reason.to_string());
    }

    fn planned(&mut self, files: u64, bytes: u64) {
        self.planned = Some((files, bytes));
        std::fs::remove_file(&self.victim).unwrap();
    }

    fn file_done(&mut self, _bytes: u64) {
        self.done += 1;
    }
}

/// Records the progress and the steps an ingest reports, in order.
#[derive(Default)]
struct ProgressLog {
    planned_bytes: u64,
    events: Vec<Progressed>,
}

#[derive(Debug, Clone, PartialEq)]
enum Progressed {
    Bytes(u64),
    Step(fahras::index::IngestStep),
}

impl fahras::index::IngestObserver for ProgressLog {
    fn skipped(&mut self, skip: &fahras::index::SkippedInput) {
        panic!("nothing should be skipped: {}", skip.reason);
    }

    fn planned(&mut self, _files: u64, bytes: u64) {
        self.planned_bytes = bytes;
    }

    fn progressed(&mut self, bytes: u64) {
        self.events.push(Progressed::Bytes(bytes));
    }

    fn step(&mut self, step: fahras::index::IngestStep) {
        self.events.push(Progressed::Step(step));
    }
}

/// Regression (issue 16 item 10): the progress bar counted bytes read, reached 100% in the
/// first second, and showed a spinner without steps for the rest. The library now reports
/// the bytes whose articles the indexer took in, reaching the planned total before the
/// steps after the commit, and names those steps in order.
#[test]
fn the_ingest_reports_its_progress_and_steps_in_order() {
    use fahras::index::IngestStep;
    let env = TestEnv::new();
    for name in [SEED, "heritage.md", "wire.jsonl", "tunisia-trec.txt"] {
        env.copy_sample(name, &format!("articles/{name}"));
    }
    let index = FahrasIndex::open_or_create(&env.index_dir()).unwrap();
    let mut log = ProgressLog::default();
    let report = index
        .ingest_paths(&[env.path("articles")], &small_options(), &mut log)
        .unwrap();
    assert!(report.articles_indexed > 4, "{report:?}");
    assert!(log.planned_bytes > 0);
    let (mut steps, mut bytes) = (Vec::new(), Vec::new());
    for event in &log.events {
        match event {
            Progressed::Step(step) => steps.push(*step),
            Progressed::Bytes(done) => bytes.push(*done),
        }
    }
    assert_eq!(
        steps,
        [
            IngestStep::Committing,
            IngestStep::BuildingReadings,
            IngestStep::Merging,
            IngestStep::SavingReadings
        ]
    );
    assert!(bytes.windows(2).all(|w| w[0] <= w[1]), "{bytes:?}");
    assert_eq!(bytes.last(), Some(&log.planned_bytes));
    // the total is reached by the commit, before the steps that follow it
    let building = log
        .events
        .iter()
        .position(|e| *e == Progressed::Step(IngestStep::BuildingReadings))
        .unwrap();
    assert_eq!(
        log.events[building - 1],
        Progressed::Bytes(log.planned_bytes)
    );
    assert_eq!(
        IngestStep::Merging.to_string(),
        "merging segments",
        "the steps have names to show"
    );
}

#[test]
fn a_file_that_vanishes_mid_run_is_reported_and_the_rest_indexed() {
    let env = TestEnv::new();
    env.copy_sample(SEED, &format!("articles/{SEED}"));
    env.copy_sample("heritage.md", "articles/heritage.md");
    let index = FahrasIndex::open_or_create(&env.index_dir()).unwrap();
    let mut observer = DeleteAfterPlanning {
        victim: env.path("articles/heritage.md"),
        planned: None,
        done: 0,
        skipped: Vec::new(),
    };
    let report = index
        .ingest_paths(&[env.path("articles")], &small_options(), &mut observer)
        .unwrap();
    let (files, bytes) = observer.planned.unwrap();
    assert_eq!(files, 2);
    assert!(bytes > 0);
    assert_eq!(observer.done, 2, "progress counts every planned file");
    assert_eq!(observer.skipped.len(), 1, "{:?}", observer.skipped);
    assert!(
        observer.skipped[0].ends_with("heritage.md: the file disappeared during the ingest"),
        "{}",
        observer.skipped[0]
    );
    assert_eq!((report.files_added, report.files_skipped), (1, 1));
    assert!(!report.is_clean());
    let hits = index.search(&SearchRequest::new("شنغهاي")).unwrap();
    assert_eq!(hits.hits[0].id, SEED);
}

#[test]
fn an_index_of_an_older_format_is_refused_with_what_to_do() {
    let env = TestEnv::new();
    drop(seed_index(&env));
    // an index the previous format wrote: stemmed and name fields, no reading tables
    let meta_file = env.index_dir().join("fahras.json");
    let meta = std::fs::read_to_string(&meta_file).unwrap();
    let current = format!("\"format\": {}", fahras::index::FORMAT_VERSION);
    assert!(meta.contains(&current), "{meta}");
    std::fs::write(&meta_file, meta.replace(&current, "\"format\": 5")).unwrap();
    let error = FahrasIndex::open(&env.index_dir()).err().expect("refused");
    let message = error.to_string();
    assert!(message.contains("format 5"), "{message}");
    assert!(message.contains("IngestOptions::rebuild"), "{message}");
    assert!(!message.contains('\n'), "one line: {message}");
}

/// An index as format 5 wrote it: a stemmed and a name field beside the text fields, no
/// compound field, `fahras.json` saying format 5.
#[test]
fn an_index_with_the_fields_of_format_5_is_refused_then_rebuilt_in_place() {
    use tantivy::schema::{STORED, Schema, TEXT};
    let env = TestEnv::new();
    let dir = env.index_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let mut schema = Schema::builder();
    for field in ["id", "title", "title_stem", "body", "body_stem", "name"] {
        schema.add_text_field(field, TEXT | STORED);
    }
    tantivy::Index::create_in_dir(&dir, schema.build()).unwrap();
    std::fs::write(
        dir.join("fahras.json"),
        r#"{"format": 5, "last_ingest": null}"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("aliases.json"),
        r#"{"aliases": [["ديشان", "ديشامب"]]}"#,
    )
    .unwrap();
    let message = FahrasIndex::open(&dir).err().expect("refused").to_string();
    assert!(message.contains("format 5"), "{message}");
    assert!(message.contains("IngestOptions::rebuild"), "{message}");
    env.copy_sample(SEED, &format!("articles/{SEED}"));
    let index = FahrasIndex::open_for_rebuild(&dir).expect("emptied and created");
    let options = IngestOptions {
        rebuild: true,
        ..small_options()
    };
    index
        .ingest(&env.path("articles"), &options, &mut |_| {})
        .expect("ingest");
    let hits = index.search(&SearchRequest::new("لافروف")).unwrap();
    assert_eq!(hits.hits[0].id, SEED);
    assert!(dir.join("aliases.json").exists(), "the user's aliases stay");
}

/// The reading tables answer whether a word exists, and how much of a word begins one, from
/// their sorted words: spelling correction asks them before any term dictionary.
#[test]
fn the_reading_tables_know_the_index_s_words_and_their_beginnings() {
    let env = TestEnv::new();
    env.copy_sample(
        "lavrov-blinken-call.txt",
        "articles/lavrov-blinken-call.txt",
    );
    let index = FahrasIndex::open_or_create(&env.index_dir()).unwrap();
    index
        .ingest(&env.path("articles"), &small_options(), &mut |_| {})
        .unwrap();
    let readings = index.readings().unwrap();
    assert!(readings.has_word("لافروف"));
    assert!(!readings.has_word("لافرووف"));
    assert!(!readings.has_word(""));
    // لافرو begins لافروف; لافرووف has no word beyond it
    assert_eq!(readings.known_prefix_chars("لافرووف"), 5);
    assert_eq!(readings.known_prefix_chars("لافروف"), 6);
    assert_eq!(readings.known_prefix_chars("ظظظ"), 0);
}

/// A caller tells the kinds of skips apart by matching, and each says its line: a file over
/// the size limit (naming the library's option, not the command line's flag), an id another
/// file keeps, a JSON Lines line that does not parse.
#[test]
fn skipped_inputs_are_matched_by_kind() {
    use fahras::index::SkipReason;
    let env = TestEnv::new();
    env.write(
        "in/a.jsonl",
        "{\"id\":\"sana-1\",\"title\":\"الزيتون\",\"body\":\"قطاف الزيتون\"}\n",
    );
    env.write(
        "in/b.jsonl",
        "{\"id\":\"sana-1\",\"title\":\"القمح\",\"body\":\"تسويق القمح\"}\n{\"title\": \"حلب\"\n",
    );
    env.write("in/big.txt", format!("عنوان\n{}", "كلمة ".repeat(300)));
    let index = FahrasIndex::open_or_create(&env.index_dir()).unwrap();
    let options = IngestOptions {
        max_file_size: 1024,
        ..small_options()
    };
    let mut too_large = Vec::new();
    let mut taken = Vec::new();
    let mut bad_lines = Vec::new();
    index
        .ingest(&env.path("in"), &options, &mut |skip| match &skip.reason {
            SkipReason::File(fahras::Error::TooLarge { size, limit, .. }) => {
                too_large.push((*size, *limit, skip.reason.to_string()))
            }
            SkipReason::IdTaken { id, .. } => taken.push((id.clone(), skip.whole_file)),
            SkipReason::File(fahras::Error::Json { line, .. }) => bad_lines.push(*line),
            other => panic!("{other:?}"),
        })
        .unwrap();
    let big = env.path("in/big.txt");
    assert_eq!(
        too_large,
        [(
            2711,
            1024,
            format!(
                "{}: 2711 bytes, larger than the limit of 1024 bytes (raise IngestOptions::max_file_size to index it)",
                big.display()
            )
        )]
    );
    assert_eq!(taken, [("sana-1".to_string(), false)]);
    assert_eq!(bad_lines, [Some(2)]);
}

/// Notices name the library's option, not the command line's flag, and are matched by kind.
#[cfg(unix)]
#[test]
fn links_not_followed_are_a_notice_naming_the_option() {
    use fahras::index::{IngestNotice, IngestObserver, SkippedInput};
    #[derive(Default)]
    struct Notices(Vec<IngestNotice>);
    impl IngestObserver for Notices {
        fn skipped(&mut self, skip: &SkippedInput) {
            panic!("nothing should be skipped: {}", skip.reason);
        }
        fn noticed(&mut self, notice: &IngestNotice) {
            self.0.push(notice.clone());
        }
    }
    let env = TestEnv::new();
    env.write("in/a.txt", "عنوان\nخبر عن حصاد القطن في الرقة.\n");
    env.write("elsewhere/b.txt", "عنوان\nخبر عن موسم الزيتون.\n");
    std::os::unix::fs::symlink(env.path("elsewhere/b.txt"), env.path("in/b.txt")).unwrap();
    let index = FahrasIndex::open_or_create(&env.index_dir()).unwrap();
    let mut notices = Notices::default();
    let in_folder = env.path("in");
    index
        .ingest_paths(
            std::slice::from_ref(&in_folder),
            &small_options(),
            &mut notices,
        )
        .unwrap();
    let [notice] = &notices.0[..] else {
        panic!("{:?}", notices.0);
    };
    assert!(
        matches!(notice, IngestNotice::LinksNotFollowed { count: 1, first, .. } if first.ends_with("b.txt")),
        "{notice:?}"
    );
    assert_eq!(
        notice.to_string(),
        format!(
            "{}: 1 symbolic link not followed ({}); add IngestOptions::follow_links to index what they point to",
            in_folder.display(),
            in_folder.join("b.txt").display()
        )
    );
}
