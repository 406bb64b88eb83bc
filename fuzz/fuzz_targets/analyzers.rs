//! The analyzers the index and the queries use, on any text: no panic, and every token's
//! offsets inside the text, in order, on character boundaries.
#![no_main]

use fahras::analysis::{EXACT, NAME, STEMMED, analyze_words, normalize, register_analyzers};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tantivy::tokenizer::{TokenStream, TokenizerManager};

/// The analyzers, built once (building them loads the stemmer's and the stop words' tables).
fn analyzers() -> &'static TokenizerManager {
    static MANAGER: OnceLock<TokenizerManager> = OnceLock::new();
    MANAGER.get_or_init(|| {
        let manager = TokenizerManager::default();
        register_analyzers(&manager);
        manager
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let manager = analyzers();
    for name in [EXACT, STEMMED, NAME] {
        let mut analyzer = manager.get(name).expect("registered");
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
    }
    let once = normalize(&text);
    assert_eq!(normalize(&once), once, "normalizing twice changes the text");
});
