//! Decoding and parsing an article file of each format, on any bytes: no panic, no stack
//! overflow, bounded time. The first byte picks the format; the second, when the input is
//! long enough, repeats the rest up to 255 × 8 times (at most 256 KiB), so that short inputs
//! the fuzzer mutates become deeply nested documents (`<div>` × 11,000 overflowed the stack;
//! 2,040 levels are four times the depth an HTML page may have).
#![no_main]

use std::path::Path;

use fahras::corpus::parse_article_bytes;
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 7] = [
    "a.txt", "a.md", "a.json", "a.jsonl", "a.trec", "a.html", "a.htm",
];
const MAX_BYTES: usize = 256 << 10;

fuzz_target!(|data: &[u8]| {
    let Some((&format, rest)) = data.split_first() else {
        return;
    };
    let name = NAMES[format as usize % NAMES.len()];
    let bytes = match rest.split_first() {
        Some((&repeat, body)) if !body.is_empty() && repeat > 0 => {
            let times = (repeat as usize * 8).min(MAX_BYTES / body.len()).max(1);
            body.repeat(times)
        }
        _ => rest.to_vec(),
    };
    if let Ok(parsed) = parse_article_bytes(Path::new(name), name, &bytes) {
        for article in &parsed.articles {
            assert!(!article.id.is_empty(), "{name}: an article without an id");
        }
    }
});
