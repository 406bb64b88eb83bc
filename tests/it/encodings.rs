//! Files in the encodings and formats real Arabic archives use: Windows-1256, UTF-16 with a
//! byte-order mark, HTML pages; and files in none of them, which are skipped with a reason.

use crate::util::TestEnv;

/// A real-looking article (SANA style): dateline, text, with a word found nowhere else.
const ARTICLE: &str = "حمص-سانا\nأعلنت مديرية الزراعة في حمص بدء موسم قطاف الزيتون في المحافظة، وقدرت الإنتاج بنحو ثلاثين ألف طن.\nوقال مدير الزراعة إن الأمطار الغزيرة حسّنت المحصول هذا العام.\n";

fn windows_1256(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1256.encode(text);
    assert!(!unmappable, "the test text fits Windows-1256");
    bytes.into_owned()
}

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    bytes
}

fn utf16be_with_bom(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    bytes
}

#[test]
fn windows_1256_and_utf16_files_are_found_by_an_arabic_query() {
    let env = TestEnv::new();
    let old = ARTICLE.replace("الزيتون", "الزيتون القديم");
    env.write("in/old-archive.txt", windows_1256(&old));
    env.write("in/unicode-le.txt", utf16le_with_bom(ARTICLE));
    env.write(
        "in/unicode-be.md",
        utf16be_with_bom(&format!("# قطاف الزيتون\n{ARTICLE}")),
    );
    let out = env.run(&["ingest", "in"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stderr, "");

    let results = env.query_json("زيتون", &[]);
    let mut ids: Vec<&str> = results.hits.iter().map(|h| h.id.as_str()).collect();
    ids.sort();
    assert_eq!(ids, ["old-archive.txt", "unicode-be.md", "unicode-le.txt"]);
    // the text is stored as decoded, with its diacritics, and highlighted in place
    let old_hit = results
        .hits
        .iter()
        .find(|h| h.id == "old-archive.txt")
        .unwrap();
    assert_eq!(old_hit.place.as_deref(), Some("حمص"));
    assert_eq!(old_hit.source.as_deref(), Some("سانا"));
    assert!(
        old_hit.snippet.text.contains("الزيتون القديم"),
        "{}",
        old_hit.snippet.text
    );
    assert_eq!(
        env.query_ids("حسّنت", &[]).len(),
        3,
        "the shadda survives every encoding"
    );
    let be = results
        .hits
        .iter()
        .find(|h| h.id == "unicode-be.md")
        .unwrap();
    assert_eq!(be.title, "قطاف الزيتون");
}

#[test]
fn a_file_in_another_encoding_is_skipped_with_a_one_line_reason() {
    let env = TestEnv::new();
    env.write("in/good.txt", ARTICLE);
    // Latin-1 French: neither UTF-8 nor Arabic
    env.write(
        "in/french.txt",
        b"Le pr\xe9sident a \xe9t\xe9 \xe9lu \xe0 Tunis.\n",
    );
    let out = env.run(&["ingest", "in"]);
    assert_eq!(out.code, 2, "{out:?}");
    let lines = out.stderr_lines();
    assert_eq!(lines.len(), 1, "{}", out.stderr);
    assert!(lines[0].contains("french.txt"), "{}", lines[0]);
    assert!(
        lines[0].contains("not UTF-8, UTF-16 or Windows-1256 text"),
        "{}",
        lines[0]
    );
    assert_eq!(env.query_ids("الزيتون", &[]), ["good.txt"]);
}

#[test]
fn html_pages_are_read_without_scripts_and_navigation() {
    let env = TestEnv::new();
    env.write(
        "in/page.html",
        r#"<!doctype html><html lang="ar"><head><meta charset="utf-8">
<title>قطاف الزيتون في حمص - سانا</title>
<meta property="og:site_name" content="سانا">
<meta property="article:published_time" content="2023-10-15T09:00:00+03:00">
<script>window.dataLayer = ["إعلان_مموّل"];</script></head>
<body><nav><ul><li>الرئيسية</li><li>اقتصاد</li></ul></nav>
<main><h1>بدء موسم قطاف الزيتون في حمص</h1>
<p>أعلنت مديرية الزراعة في حمص بدء موسم قطاف <strong>الزيتون</strong>.
<p>وقدرت الإنتاج بنحو ثلاثين ألف طن.</main>
<footer>جميع الحقوق محفوظة لسانا</footer></body></html>"#,
    );
    let out = env.run(&["ingest", "in"]);
    assert_eq!(out.code, 0, "{out:?}");
    let results = env.query_json("الزيتون", &[]);
    assert_eq!(results.hits.len(), 1);
    let hit = &results.hits[0];
    assert_eq!(hit.id, "page.html");
    assert_eq!(hit.title, "بدء موسم قطاف الزيتون في حمص");
    assert_eq!(hit.source.as_deref(), Some("سانا"));
    assert_eq!(hit.date.as_deref(), Some("2023-10-15T06:00:00Z"));
    for furniture in ["إعلان_مموّل", "الرئيسية", "الحقوق"] {
        assert_eq!(
            env.run(&["query", furniture]).code,
            1,
            "{furniture} was indexed"
        );
    }
    assert_eq!(env.query_ids("طن", &[]), ["page.html"]);
}
