//! The analyzers the index and the queries use, on any text: no panic, and every token's
//! offsets inside the text, in order, on character boundaries; and what the reading tables
//! compute of each word (its stems, its name readings and key), without a panic.
#![no_main]

use fahras::analysis::{
    analyze_words, compound_analyzer, exact_analyzer, index_stems, name_key, name_readings,
    normalize, stemmed_analyzer, stemmed_query_analyzer,
};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};

/// The analyzers of the index's fields and of queries, built once (building them loads the
/// stemmer's and the stop words' tables).
fn analyzers() -> &'static [(&'static str, TextAnalyzer)] {
    static ANALYZERS: OnceLock<Vec<(&'static str, TextAnalyzer)>> = OnceLock::new();
    ANALYZERS.get_or_init(|| {
        vec![
            ("exact", exact_analyzer()),
            ("compound", compound_analyzer()),
            ("stemmed", stemmed_analyzer()),
            ("stemmed query", stemmed_query_analyzer()),
        ]
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for (name, analyzer) in analyzers() {
        let mut analyzer = analyzer.clone();
        let mut stream = analyzer.token_stream(&text);
        while let Some(token) = stream.next() {
            assert!(token.offset_from <= token.offset_to, "{name}: {token:?}");
            assert!(token.offset_to <= text.len(), "{name}: {token:?}");
            assert!(
                text.is_char_boundary(token.offset_from),
                "{name}: {token:?}"
            );
            assert!(text.is_char_boundary(token.offset_to), "{name}: {token:?}");
        }
    }
    for word in analyze_words(&text) {
        assert!(word.start <= word.end && word.end <= text.len());
        assert!(text.is_char_boundary(word.start) && text.is_char_boundary(word.end));
        let _ = index_stems(&word.exact);
        for reading in name_readings(&word.exact) {
            let _ = name_key(reading);
        }
    }
    let once = normalize(&text);
    assert_eq!(normalize(&once), once, "normalizing twice changes the text");
});
