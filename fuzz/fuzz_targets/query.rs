//! The query path, from what a user types to ranked hits, on a small index of Arabic articles:
//! any query is answered or refused with an error, never a panic or a stack overflow. As in
//! `file_parsers`, the first byte (when not zero) repeats the rest, up to 1,000 characters
//! (the server's limit), so short inputs become deeply nested queries.
#![no_main]

use std::sync::OnceLock;

use fahras::{FahrasIndex, IngestOptions, SearchRequest};
use libfuzzer_sys::fuzz_target;
use tantivy::Searcher;

const MAX_CHARS: usize = 1_000;

const ARTICLES: [(&str, &str); 3] = [
    (
        "sco.txt",
        "تشين يلتقي لافروف\nتعهدت الصين وروسيا بمواصلة تطوير العلاقات الثنائية، وبناء منظمة شنغهاي للتعاون.\n",
    ),
    (
        "fair.txt",
        "دمشق-سانا\nانطلقت فعاليات معرض دمشق الدولي للكتاب بمشاركة دور نشر من 20 دولة عام 2017.\n",
    ),
    (
        "kyiv.txt",
        "زيلينسكي في كييف\nقال الرئيس الأوكراني فولوديمير زيلينسكي إن المفاوضات مستمرة.\n",
    ),
];

/// The index and one searcher on it, made once (a reader per query, as `FahrasIndex::search`
/// opens, would cost more than the query).
fn index() -> &'static (tempdir::Dir, FahrasIndex, Searcher) {
    static INDEX: OnceLock<(tempdir::Dir, FahrasIndex, Searcher)> = OnceLock::new();
    INDEX.get_or_init(|| {
        let dir = tempdir::Dir::new();
        let articles = dir.path.join("articles");
        std::fs::create_dir_all(&articles).unwrap();
        for (name, text) in ARTICLES {
            std::fs::write(articles.join(name), text).unwrap();
        }
        let index = FahrasIndex::open_or_create(&dir.path.join("idx")).unwrap();
        let options = IngestOptions {
            threads: 1,
            memory_budget_bytes: 64 << 20,
            ..IngestOptions::default()
        };
        index.ingest(&articles, &options, &mut |_| {}).unwrap();
        let searcher = index.reader().unwrap().searcher();
        (dir, index, searcher)
    })
}

/// A folder of its own under the system's temporary folder, for this fuzzing process (a
/// static is never dropped, so it stays; it holds three articles and their index).
mod tempdir {
    pub struct Dir {
        pub path: std::path::PathBuf,
    }

    impl Dir {
        pub fn new() -> Dir {
            let path = std::env::temp_dir().join(format!("fahras-fuzz-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&path);
            std::fs::create_dir_all(&path).unwrap();
            Dir { path }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&repeat, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let query: String = if repeat > 0 && !text.is_empty() {
        text.repeat(repeat as usize)
            .chars()
            .take(MAX_CHARS)
            .collect()
    } else {
        text.chars().take(MAX_CHARS).collect()
    };
    let (_, index, searcher) = index();
    let _ = index.search_with(searcher, &SearchRequest::new(query.as_str()));
});
