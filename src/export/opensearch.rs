//! The OpenSearch (and Elasticsearch) index mapping matching fahras's export: fields, and
//! analyzers that reproduce fahras's normalization with built-in components only (no
//! plugin).
//!
//! Every fold fahras's normalizer makes on Arabic text is one rule of a `mapping` character
//! filter, generated here from the normalizer itself ([`fold_mappings`]): harakat, Quranic
//! marks, tatweel and invisible format characters removed; hamza and alef forms, alef maqsura,
//! ta marbuta and Persian letters folded; Arabic-Indic and Persian digits to ASCII; Arabic
//! presentation forms (the lam-alef ligature ﻻ…) to letters, as NFKC does; a letter followed
//! by a combining hamza composed first, as NFKC does. Then the `standard` tokenizer and the
//! `lowercase` filter; the stemmed analyzers add the `stemmer` filter for Arabic (Lucene's
//! light stemmer), and the search analyzers drop fahras's query stop words. What differs is
//! listed in docs/FORMATS.md ("Export").

use serde_json::{Value, json};

use crate::analysis::normalize;
use crate::analysis::stopwords::QUERY_STOP_WORDS;

/// The characters whose normalization the character filter reproduces: the Arabic blocks,
/// their presentation forms, and the invisible format characters of General Punctuation.
const FOLDED_RANGES: [(u32, u32); 7] = [
    (0x00AD, 0x00AD),
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x08A0, 0x08FF),
    (0x2000, 0x206F),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
];

/// The character-filter rules `from => to` that make OpenSearch see Arabic text as fahras's
/// normalizer does (see the module docs), sorted by `from`.
pub fn fold_mappings() -> Vec<(String, String)> {
    let mut rules = Vec::new();
    for (first, last) in FOLDED_RANGES {
        for c in (first..=last).filter_map(char::from_u32) {
            let from = c.to_string();
            push_rule(&mut rules, &from);
            // A letter written with a combining hamza (و + ٔ) is composed by NFKC first.
            let decomposed: String = unicode_normalization::UnicodeNormalization::nfd(c).collect();
            if decomposed.chars().count() == 2 {
                push_rule(&mut rules, &decomposed);
            }
        }
    }
    rules.sort();
    rules.dedup();
    rules
}

/// Adds `from => normalize(from)` when the normalizer changes `from` to nothing or to
/// words; a character it turns into spaces or punctuation is left to the tokenizer.
fn push_rule(rules: &mut Vec<(String, String)>, from: &str) {
    let to = normalize(from);
    let wordy = to.trim() == to && to.chars().any(char::is_alphanumeric);
    if to != from && (to.is_empty() || wordy) {
        rules.push((from.to_string(), to));
    }
}

/// `\uXXXX` for every character: the mapping filter's escape, so marks and invisible
/// characters stay readable in the mapping.
fn escaped(text: &str) -> String {
    text.chars()
        .map(|c| format!("\\u{:04X}", u32::from(c)))
        .collect()
}

/// The index settings and mappings for `fahras export --format opensearch-bulk`.
pub fn opensearch_mapping() -> Value {
    let rules: Vec<String> = fold_mappings()
        .iter()
        .map(|(from, to)| format!("{} => {to}", escaped(from)))
        .collect();
    let analyzer = |filters: &[&str]| {
        json!({
            "type": "custom",
            "char_filter": ["fahras_fold"],
            "tokenizer": "standard",
            "filter": filters,
        })
    };
    let text = json!({
        "type": "text",
        "analyzer": "fahras_exact",
        "search_analyzer": "fahras_exact_search",
        "fields": {
            "stem": {
                "type": "text",
                "analyzer": "fahras_stemmed",
                "search_analyzer": "fahras_stemmed_search",
            }
        }
    });
    let metadata = json!({
        "type": "text",
        "analyzer": "fahras_exact",
        "fields": { "raw": { "type": "keyword" } }
    });
    let stored_only = json!({ "type": "keyword", "index": false });
    json!({
        "settings": {
            "analysis": {
                "char_filter": {
                    "fahras_fold": { "type": "mapping", "mappings": rules }
                },
                "filter": {
                    "fahras_arabic_stem": { "type": "stemmer", "language": "arabic" },
                    "fahras_stop": {
                        "type": "stop",
                        "stopwords": QUERY_STOP_WORDS,
                        "ignore_case": false,
                    }
                },
                "analyzer": {
                    "fahras_exact": analyzer(&["lowercase"]),
                    "fahras_stemmed": analyzer(&["lowercase", "fahras_arabic_stem"]),
                    "fahras_exact_search": analyzer(&["lowercase", "fahras_stop"]),
                    "fahras_stemmed_search":
                        analyzer(&["lowercase", "fahras_stop", "fahras_arabic_stem"]),
                }
            }
        },
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "id": { "type": "keyword" },
                "path": { "type": "keyword" },
                "title": text.clone(),
                "body": text,
                "date": { "type": "date", "format": "strict_date_optional_time" },
                "date_text": stored_only.clone(),
                "source": metadata.clone(),
                "place": metadata.clone(),
                "category": metadata.clone(),
                "author": metadata,
                "url": stored_only,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    use crate::analysis::exact_analyzer;
    use crate::analysis::test_support::{analyzed, collect};
    use crate::analysis::tokenizer::ArabicTokenizer;

    /// Reads a rule as the mapping filter does: `key => value`, trimmed, `\uXXXX` decoded.
    fn parse_rule(rule: &str) -> (String, String) {
        let (key, value) = rule.split_once("=>").expect("a rule has =>");
        let unescape = |s: &str| {
            let s = s.trim();
            let mut out = String::new();
            let mut rest = s;
            while let Some(at) = rest.find("\\u") {
                out.push_str(&rest[..at]);
                let code = u32::from_str_radix(&rest[at + 2..at + 6], 16).unwrap();
                out.push(char::from_u32(code).unwrap());
                rest = &rest[at + 6..];
            }
            out.push_str(rest);
            out
        };
        (unescape(key), unescape(value))
    }

    /// What OpenSearch's `fahras_exact` makes of one word that fahras's tokenizer found:
    /// the rules (longest key first, greedy), then lowercase.
    fn opensearch_fold(word: &str, rules: &HashMap<String, String>) -> String {
        let chars: Vec<char> = word.chars().collect();
        let mut out = String::new();
        let mut i = 0;
        while i < chars.len() {
            let pair: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let single = chars[i].to_string();
            if pair.chars().count() == 2 && rules.contains_key(&pair) {
                out.push_str(&rules[&pair]);
                i += 2;
            } else {
                out.push_str(rules.get(&single).map_or(single.as_str(), String::as_str));
                i += 1;
            }
        }
        out.to_lowercase()
    }

    fn mapping_rules() -> HashMap<String, String> {
        let mapping = opensearch_mapping();
        let rules = mapping["settings"]["analysis"]["char_filter"]["fahras_fold"]["mappings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| parse_rule(r.as_str().unwrap()))
            .collect::<HashMap<_, _>>();
        assert!(rules.len() > 100, "{} rules", rules.len());
        rules
    }

    #[test]
    fn the_character_filter_folds_words_as_fahras_does() {
        let rules = mapping_rules();
        let text = "وَلِلأَزْمَةِ الأوكرانيّة الكتـــاب إسلام آمنة ٱلرحمن مستشفى رسالة کتاب \
                    یوم ٢٠٢٣ ۱۴۰۲ ﻻ ﺍﻟﺴﻼﻡ ﷲ Lavrov ChatGPT ؤ ئ نیم\u{200C}فاصله \u{200F}بكين";
        let mut tokenizer = ArabicTokenizer::default();
        let mut exact = exact_analyzer();
        let expected: Vec<String> = analyzed(&mut exact, text)
            .into_iter()
            .map(|t| t.text)
            .collect();
        let folded: Vec<String> = collect(&mut tokenizer, text)
            .into_iter()
            .map(|t| opensearch_fold(&t.text, &rules))
            .filter(|w| !w.is_empty())
            .collect();
        assert_eq!(folded, expected);
    }

    #[test]
    fn the_rules_cover_the_folds_named_in_the_docs() {
        let rules = mapping_rules();
        for (from, to) in [
            ("\u{064E}", ""),
            ("\u{0640}", ""),
            ("\u{200C}", ""),
            ("أ", "ا"),
            ("إ", "ا"),
            ("آ", "ا"),
            ("ٱ", "ا"),
            ("ى", "ي"),
            ("ة", "ه"),
            ("ی", "ي"),
            ("ک", "ك"),
            ("٣", "3"),
            ("ﻻ", "لا"),
            ("و\u{0654}", "ؤ"),
        ] {
            assert_eq!(rules.get(from).map(String::as_str), Some(to), "{from:?}");
        }
        // Spaces and punctuation are the tokenizer's business, not the filter's.
        assert!(!rules.contains_key("\u{2002}"));
        assert!(!rules.contains_key("،"));
    }

    #[test]
    fn analyzers_use_only_defined_or_built_in_components() {
        let mapping = opensearch_mapping();
        let analysis = &mapping["settings"]["analysis"];
        let built_in = ["standard", "lowercase"];
        for (name, analyzer) in analysis["analyzer"].as_object().unwrap() {
            assert_eq!(analyzer["type"], "custom", "{name}");
            assert!(built_in.contains(&analyzer["tokenizer"].as_str().unwrap()));
            for filter in analyzer["filter"].as_array().unwrap() {
                let filter = filter.as_str().unwrap();
                assert!(
                    built_in.contains(&filter) || analysis["filter"].get(filter).is_some(),
                    "{name}: {filter}"
                );
            }
            for char_filter in analyzer["char_filter"].as_array().unwrap() {
                assert!(
                    analysis["char_filter"]
                        .get(char_filter.as_str().unwrap())
                        .is_some()
                );
            }
        }
        for (field, options) in mapping["mappings"]["properties"].as_object().unwrap() {
            for key in ["analyzer", "search_analyzer"] {
                if let Some(analyzer) = options.get(key) {
                    let analyzer = analyzer.as_str().unwrap();
                    assert!(
                        analysis["analyzer"].get(analyzer).is_some(),
                        "{field}: {analyzer}"
                    );
                }
            }
        }
    }
}
