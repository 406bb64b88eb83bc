//! The search page in headless Chromium, driven as a person would: type an Arabic query, read
//! the highlighted hits, open an article, filter by date, page, and look at it on a phone-sized
//! screen.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them). Without them the
//! test says it is skipped and passes, unless `CI` is set, where it fails. With
//! `FAHRAS_SCREENSHOT_DIR=DIR` it saves its screenshots there.

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

use crate::serve_util::webdriver::{Browser, find_chromium};
use crate::serve_util::{Http, Server};
use crate::util::{TestEnv, char_slice, strip_marks};
use serde_json::Value;

/// The browser, or `None` (with a message) when it is not installed and this is not CI.
fn browser_or_skip() -> Option<Browser> {
    match find_chromium() {
        Ok((chromium, driver)) => Some(Browser::start(&chromium, &driver)),
        Err(why) => {
            let in_ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false");
            assert!(!in_ci, "the browser test cannot run in CI: {why}");
            // Straight to the process's stderr: the test harness captures `eprintln!`, so
            // `cargo test` would not show it without --nocapture.
            let _ = writeln!(std::io::stderr(), "serve_browser: skipped, because {why}");
            None
        }
    }
}

/// Checks a screenshot is a PNG and keeps it when `FAHRAS_SCREENSHOT_DIR` is set.
fn keep_screenshot(browser: &Browser, name: &str) {
    let png = browser.screenshot();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    assert!(
        png.len() > 10_000,
        "a {}-byte screenshot is blank",
        png.len()
    );
    if let Some(dir) = std::env::var_os("FAHRAS_SCREENSHOT_DIR") {
        let path = PathBuf::from(dir).join(name);
        std::fs::write(&path, png).unwrap();
        eprintln!("serve_browser: screenshot {}", path.display());
    }
}

/// What the page shows of its hits: title, snippet, and the marked words of each.
const HITS_ON_PAGE: &str = "return Array.from(document.querySelectorAll('#hits .hit')).map(li => ({
    title: li.querySelector('.hit-title').textContent,
    snippet: li.querySelector('.hit-snippet').textContent,
    marks: Array.from(li.querySelectorAll('.hit-snippet mark')).map(m => m.textContent),
    title_marks: Array.from(li.querySelectorAll('.hit-title mark')).map(m => m.textContent),
}));";

/// What the page should show for an API answer: the same, with highlights cut by characters.
fn expected_hits(results: &Value) -> Value {
    let marked = |text: &Value, highlights: &Value| -> Vec<String> {
        highlights
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                let start = h["start"].as_u64().unwrap() as usize;
                char_slice(
                    text.as_str().unwrap(),
                    start,
                    h["end"].as_u64().unwrap() as usize,
                )
            })
            .collect()
    };
    results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| {
            serde_json::json!({
                "title": hit["title"],
                "snippet": hit["snippet"]["text"],
                "marks": marked(&hit["snippet"]["text"], &hit["snippet"]["highlights"]),
                "title_marks": marked(&hit["title"], &hit["title_highlights"]),
            })
        })
        .collect()
}

const PAGE_STATE: &str = "({url: location.href, status: document.querySelector('#status').textContent, \
     error: document.querySelector('#error').textContent, hits: document.querySelectorAll('#hits .hit').length})";

#[test]
fn the_search_page_finds_highlights_and_opens_articles_in_chromium() {
    let Some(browser) = browser_or_skip() else {
        return;
    };
    let env = TestEnv::with_data();
    // Characters outside the Basic Multilingual Plane are two UTF-16 units in JavaScript but
    // one character in the API's offsets: the marks must still land on the words.
    env.write(
        "data/emoji.md",
        "# 📰 موجز: لافروف في أنقرة\n\n🇷🇺🇹🇷 وصل وزير الخارجية الروسي سيرغي لافروف إلى أنقرة.\n",
    );
    assert_eq!(env.run(&["ingest", "data"]).code, 0);
    let server = Server::start(&env);
    let http = Http::new();
    let api = |params: &[(&str, &str)]| http.get(&server.url("/search"), params).json();

    // The page is Arabic, right to left.
    browser.goto(&server.url("/"));
    let direction = browser.script(
        "return [document.documentElement.lang, document.documentElement.dir, \
         getComputedStyle(document.querySelector('#hits')).direction];",
    );
    assert_eq!(direction, serde_json::json!(["ar", "rtl", "rtl"]));
    browser.wait_for(
        "document.querySelector('#index-size').textContent.includes('14')",
        "document.querySelector('#index-size').textContent",
    );

    // Type an Arabic query and press Enter: the hits are the API's, marks on the right words.
    let box_ = browser.find("#q");
    browser.type_into(&box_, "لافروف\u{E007}");
    let expected = api(&[("q", "لافروف")]);
    let total = expected["total_hits"].as_u64().unwrap();
    assert_eq!(total, 4, "{expected}");
    browser.wait_for(
        &format!("document.querySelectorAll('#hits .hit').length == {total}"),
        PAGE_STATE,
    );
    assert_eq!(browser.script(HITS_ON_PAGE), expected_hits(&expected));
    let all_marks = browser.script(
        "return Array.from(document.querySelectorAll('#hits mark')).map(m => m.textContent);",
    );
    let all_marks = all_marks.as_array().unwrap();
    assert!(all_marks.len() >= 8, "{all_marks:?}");
    for mark in all_marks {
        assert!(
            strip_marks(mark.as_str().unwrap()).ends_with("لافروف"),
            "{mark}"
        );
    }
    let status = browser.script("return document.querySelector('#status').textContent;");
    assert!(
        status.as_str().unwrap().contains(&format!("من {total}")),
        "{status}"
    );
    let url = browser.script("return decodeURIComponent(location.search);");
    assert_eq!(url, "?q=لافروف");
    keep_screenshot(&browser, "fahras-serve-results.png");

    // Open the hit with emoji: the whole article, every match marked.
    let emoji_hit = expected["hits"]
        .as_array()
        .unwrap()
        .iter()
        .position(|h| h["id"] == "emoji.md")
        .expect("the emoji article is a hit");
    browser.click(&browser.find(&format!("#hits .hit:nth-child({}) a", emoji_hit + 1)));
    browser.wait_for(
        "!document.querySelector('#article').hidden && document.querySelector('#article-body').textContent",
        PAGE_STATE,
    );
    let doc = http
        .get(&server.url("/doc/emoji.md"), &[("q", "لافروف")])
        .json();
    let shown = browser.script(
        "return {title: document.querySelector('#article-title').textContent, \
                 body: document.querySelector('#article-body').textContent, \
                 marks: Array.from(document.querySelectorAll('#article-body mark')).map(m => m.textContent), \
                 direction: getComputedStyle(document.querySelector('#article-body')).direction, \
                 results_hidden: document.querySelector('#results').hidden};",
    );
    assert_eq!(shown["title"], doc["title"]);
    assert_eq!(shown["body"], doc["body"]);
    assert_eq!(shown["marks"], serde_json::json!(["لافروف"]));
    assert_eq!(shown["results_hidden"], true);
    // Arabic text opening with symbols that are not Arabic still reads right to left.
    assert_eq!(shown["direction"], "rtl");

    // Related articles are listed under it, as the API finds them.
    let related = http
        .get(&server.url("/similar/emoji.md"), &[("limit", "5")])
        .json();
    let related_titles: Vec<&Value> = related["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| &h["title"])
        .collect();
    assert!(!related_titles.is_empty(), "{related}");
    browser.wait_for("!document.querySelector('#related').hidden", PAGE_STATE);
    let shown_related = browser.script(
        "return Array.from(document.querySelectorAll('#related-list a')).map(a => a.textContent);",
    );
    assert_eq!(shown_related, serde_json::json!(related_titles));

    // Back to the results with the browser's back button.
    browser.back();
    browser.wait_for(
        &format!("!document.querySelector('#results').hidden && document.querySelectorAll('#hits .hit').length == {total}"),
        PAGE_STATE,
    );

    // A date range narrows the results to what the API gives for it.
    browser.script(
        "document.querySelector('#filters').open = true; \
         const from = document.querySelector('#from'); from.value = '2023-07-01'; \
         from.dispatchEvent(new Event('change'));",
    );
    let dated = api(&[("q", "لافروف"), ("from", "2023-07-01")]);
    assert_eq!(dated["total_hits"], 1, "{dated}");
    browser.wait_for(
        "location.search.includes('from=2023-07-01') && document.querySelectorAll('#hits .hit').length == 1",
        PAGE_STATE,
    );
    assert_eq!(browser.script(HITS_ON_PAGE), expected_hits(&dated));

    // Facets: a click on a source narrows the hits to its count; the filter's chip lifts it.
    browser.goto(&server.url("/?q=%D8%A7%D9%84%D8%B1%D8%A6%D9%8A%D8%B3"));
    let with_facets = api(&[("q", "الرئيس"), ("facets", "source")]);
    let top_source = &with_facets["facets"][0]["values"][0];
    browser.wait_for(
        "document.querySelector('#facets .facet[data-field=source] .chip')",
        PAGE_STATE,
    );
    browser.click(&browser.find("#facets .facet[data-field=source] .chip"));
    let narrowed = api(&[
        ("q", "الرئيس"),
        ("source", top_source["value"].as_str().unwrap()),
    ]);
    assert_eq!(narrowed["total_hits"], top_source["count"]);
    assert!(narrowed["total_hits"].as_u64() < with_facets["total_hits"].as_u64());
    browser.wait_for(
        &format!(
            "location.search.includes('source=') && document.querySelectorAll('#hits .hit').length == {}",
            narrowed["total_hits"]
        ),
        PAGE_STATE,
    );
    assert_eq!(browser.script(HITS_ON_PAGE), expected_hits(&narrowed));
    browser.click(&browser.find("#active-filters .chip"));
    browser.wait_for(
        &format!(
            "!location.search.includes('source=') && document.querySelectorAll('#hits .hit').length == {}",
            with_facets["total_hits"]
        ),
        PAGE_STATE,
    );

    // Newest first, as the API orders them.
    browser.script(
        "const sort = document.querySelector('#sort'); sort.value = 'date'; \
         sort.dispatchEvent(new Event('change'));",
    );
    browser.wait_for("location.search.includes('sort=date')", PAGE_STATE);
    let newest = api(&[("q", "الرئيس"), ("sort", "date")]);
    browser.wait_for(
        &format!(
            "document.querySelector('#hits .hit .hit-title')?.textContent == {}",
            newest["hits"][0]["title"]
        ),
        PAGE_STATE,
    );
    assert_eq!(browser.script(HITS_ON_PAGE), expected_hits(&newest));

    // Paging: two hits a page, the next button shows the next two.
    browser.goto(&server.url("/?q=%D8%A7%D9%84%D8%B1%D8%A6%D9%8A%D8%B3&n=2"));
    let first_page = api(&[("q", "الرئيس"), ("limit", "2")]);
    let second_page = api(&[("q", "الرئيس"), ("limit", "2"), ("offset", "2")]);
    assert!(first_page["total_hits"].as_u64().unwrap() > 2);
    browser.wait_for(
        "document.querySelectorAll('#hits .hit').length == 2",
        PAGE_STATE,
    );
    assert_eq!(browser.script(HITS_ON_PAGE), expected_hits(&first_page));
    assert_eq!(
        browser.script("return document.querySelector('#prev').disabled;"),
        true
    );
    browser.click(&browser.find("#next"));
    browser.wait_for("location.search.includes('p=2')", PAGE_STATE);
    browser.wait_for(
        &format!(
            "document.querySelector('#hits .hit .hit-title')?.textContent == {}",
            second_page["hits"][0]["title"]
        ),
        PAGE_STATE,
    );
    assert_eq!(browser.script(HITS_ON_PAGE), expected_hits(&second_page));

    // A query error: an Arabic sentence, and the API's words isolated left to right.
    browser.goto(&server.url("/?q=%22%D9%84%D8%A7%D9%81%D8%B1%D9%88%D9%81"));
    browser.wait_for("!document.querySelector('#error').hidden", PAGE_STATE);
    let error = browser.script(
        "const e = document.querySelector('#error'), d = e.querySelector('bdi'); \
         return {text: e.textContent, detail: d.textContent, dir: d.dir, \
                 direction: getComputedStyle(d).direction};",
    );
    let api_error = http
        .get(&server.url("/search"), &[("q", "\"لافروف")])
        .error();
    assert!(
        error["text"]
            .as_str()
            .unwrap()
            .starts_with("تعذّر فهم البحث"),
        "{error}"
    );
    assert_eq!(error["detail"], api_error.as_str());
    assert_eq!(error["dir"], "ltr");
    assert_eq!(error["direction"], "ltr");
    keep_screenshot(&browser, "fahras-serve-error.png");

    // On a phone-sized screen nothing sticks out sideways, results or article.
    browser.set_window_size(390, 844);
    browser.goto(&server.url("/?q=%D9%84%D8%A7%D9%81%D8%B1%D9%88%D9%81"));
    browser.wait_for(
        &format!("document.querySelectorAll('#hits .hit').length == {total}"),
        PAGE_STATE,
    );
    let fits_the_phone = || {
        let widths =
            browser.script("return [document.documentElement.scrollWidth, window.innerWidth];");
        let (content, window) = (widths[0].as_u64().unwrap(), widths[1].as_u64().unwrap());
        assert!(
            window < 500,
            "the window is {window} pixels wide, not a phone's"
        );
        assert!(
            content <= window,
            "the page is {content} pixels wide in a {window}-pixel window"
        );
    };
    fits_the_phone();
    keep_screenshot(&browser, "fahras-serve-phone.png");
    browser.click(&browser.find("#hits .hit a"));
    browser.wait_for("document.querySelector('#article-body mark')", PAGE_STATE);
    fits_the_phone();
    keep_screenshot(&browser, "fahras-serve-article-phone.png");
}

/// Whether the pager takes room on the page (not only whether it has `hidden`).
const PAGER_SHOWN: &str =
    "return getComputedStyle(document.querySelector('#pager')).display != 'none';";

/// What a first-time user missed on the page: a corrected query said nothing, the pager showed
/// "page 1 of 0" on the home, error and no-hit pages, ids broke at their hyphens on a phone,
/// there was no search as you type, and no place or author filter.
#[test]
fn the_page_says_what_it_searched_hides_the_empty_pager_and_searches_as_you_type() {
    let Some(browser) = browser_or_skip() else {
        return;
    };
    let env = TestEnv::with_data();
    env.write(
        "data/2023/07/24/lavrov-meets-the-egyptian-foreign-minister-in-cairo-for-talks.md",
        "# لافروف يصل إلى القاهرة\n\nوصل وزير الخارجية الروسي سيرغي لافروف إلى القاهرة في زيارة رسمية.\n",
    );
    assert_eq!(env.run(&["ingest", "data"]).code, 0);
    let server = Server::start(&env);
    let http = Http::new();
    let api = |params: &[(&str, &str)]| http.get(&server.url("/search"), params).json();

    // No pager on the home page, a no-hit page or an error page.
    browser.goto(&server.url("/"));
    browser.wait_for(
        "document.querySelector('#index-size').textContent",
        PAGE_STATE,
    );
    assert_eq!(browser.script(PAGER_SHOWN), false, "home");
    browser.goto(&server.url("/?q=%D9%83%D9%86%D8%BA%D8%B1")); // كنغر, in no article
    browser.wait_for(
        "document.querySelector('#status').textContent.includes('لا نتائج')",
        PAGE_STATE,
    );
    assert_eq!(browser.script(PAGER_SHOWN), false, "no hits");
    browser.goto(&server.url("/?q=title%3A"));
    browser.wait_for("!document.querySelector('#error').hidden", PAGE_STATE);
    assert_eq!(browser.script(PAGER_SHOWN), false, "error");

    // A corrected query says what was searched, with a link to the words as typed.
    let corrected = api(&[("q", "لافرووف")]);
    assert_eq!(
        corrected["corrected"][0]["as_found"], "لافروف",
        "{corrected}"
    );
    browser.goto(&server.url("/?q=%D9%84%D8%A7%D9%81%D8%B1%D9%88%D9%88%D9%81"));
    browser.wait_for("!document.querySelector('#notice').hidden", PAGE_STATE);
    let notice = browser.script("return document.querySelector('#notice').textContent;");
    assert_eq!(
        notice,
        "نتائج البحث عن «لافروف» بدلاً من «لافرووف». ابحث عن «لافرووف» كما كُتبت"
    );
    assert_eq!(
        browser.script("return document.querySelectorAll('#hits .hit').length;"),
        corrected["total_hits"]
    );
    keep_screenshot(&browser, "fahras-serve-corrected.png");
    browser.click(&browser.find("#search-as-typed"));
    browser.wait_for("location.search.includes('asis=1')", PAGE_STATE);
    let as_typed = api(&[("q", "لافرووف"), ("correct", "0")]);
    assert!(as_typed.get("corrected").is_none(), "{as_typed}");
    browser.wait_for(
        &format!(
            "document.querySelector('#status').textContent.includes('من {}')",
            as_typed["total_hits"]
        ),
        PAGE_STATE,
    );
    assert_eq!(browser.script(HITS_ON_PAGE), expected_hits(&as_typed));
    assert_eq!(
        browser.script("return document.querySelector('#notice').hidden;"),
        true
    );

    // Search as you type: no Enter, the hits come once typing pauses.
    browser.goto(&server.url("/"));
    browser.wait_for(
        "document.querySelector('#index-size').textContent",
        PAGE_STATE,
    );
    browser.type_into(&browser.find("#q"), "القاهرة");
    let cairo = api(&[("q", "القاهرة")]);
    browser.wait_for(
        &format!(
            "decodeURIComponent(location.search) == '?q=القاهرة' && document.querySelectorAll('#hits .hit').length == {}",
            cairo["total_hits"]
        ),
        PAGE_STATE,
    );
    assert_eq!(browser.script(HITS_ON_PAGE), expected_hits(&cairo));
    // A newer search cancels the one still in flight: its answer never shows.
    let requests = browser.script(
        "window.searches = []; const fetchBefore = window.fetch; \
         window.fetch = (url, options) => { \
           if (String(url).startsWith('/search')) window.searches.push({url: String(url), signal: options.signal}); \
           return fetchBefore(url, options); }; \
         history.replaceState(null, '', '?q=' + encodeURIComponent('لافروف')); render(); \
         history.replaceState(null, '', '?q=' + encodeURIComponent('بكين')); render(); \
         return window.searches.map(s => s.signal.aborted);",
    );
    assert_eq!(requests, serde_json::json!([true, false]));
    let beijing = api(&[("q", "بكين")]);
    browser.wait_for(
        &format!(
            "document.querySelector('#hits .hit .hit-title')?.textContent == {}",
            beijing["hits"][0]["title"]
        ),
        PAGE_STATE,
    );
    assert_eq!(browser.script(HITS_ON_PAGE), expected_hits(&beijing));

    // Place and author filters, beside source, category and year.
    for field in ["place", "author"] {
        browser.goto(&server.url("/?q=%D8%A7%D9%84%D8%B1%D8%A6%D9%8A%D8%B3")); // الرئيس
        let chip = format!("#facets .facet[data-field={field}] .chip");
        browser.wait_for(&format!("document.querySelector('{chip}')"), PAGE_STATE);
        let facets = api(&[("q", "الرئيس"), ("facets", field)]);
        let value = facets["facets"][0]["values"][0]["value"]
            .as_str()
            .unwrap()
            .to_string();
        browser.click(&browser.find(&chip));
        let narrowed = api(&[("q", "الرئيس"), (field, &value)]);
        assert_eq!(
            narrowed["total_hits"],
            facets["facets"][0]["values"][0]["count"]
        );
        browser.wait_for(
            &format!(
                "location.search.includes('{field}=') && document.querySelectorAll('#hits .hit').length == {}",
                narrowed["total_hits"]
            ),
            PAGE_STATE,
        );
        assert_eq!(browser.script(HITS_ON_PAGE), expected_hits(&narrowed));
        let active =
            browser.script("return document.querySelector('#active-filters').textContent;");
        assert!(active.as_str().unwrap().contains(&value), "{active}");
    }

    // On a phone, a long id stays on one line, left to right, inside the screen.
    browser.set_window_size(390, 844);
    let id = "2023/07/24/lavrov-meets-the-egyptian-foreign-minister-in-cairo-for-talks.md";
    browser.goto(&server.url(&format!("/?doc={}", id.replace('/', "%2F"))));
    browser.wait_for("document.querySelector('#article-meta .id')", PAGE_STATE);
    let shown = browser.script(
        "const id = document.querySelector('#article-meta .id'); \
         return {text: id.textContent, direction: getComputedStyle(id).direction, \
                 lines: id.getClientRects().length, height: id.getBoundingClientRect().height, \
                 line: parseFloat(getComputedStyle(id).lineHeight), \
                 right: id.getBoundingClientRect().right, width: window.innerWidth, \
                 scroll: document.documentElement.scrollWidth};",
    );
    assert_eq!(shown["text"], id);
    assert_eq!(shown["direction"], "ltr");
    assert_eq!(shown["lines"], 1, "{shown}");
    assert!(
        shown["height"].as_f64().unwrap() <= shown["line"].as_f64().unwrap() + 1.0,
        "the id wraps: {shown}"
    );
    assert!(
        shown["scroll"].as_u64() <= shown["width"].as_u64(),
        "{shown}"
    );
    keep_screenshot(&browser, "fahras-serve-id-phone.png");
}

/// Regression: without Chromium the test said it was skipped only with `--nocapture`, since
/// the harness captures `eprintln!`; in CI it must fail instead.
#[test]
fn a_missing_browser_is_skipped_out_loud_and_fails_in_ci() {
    let run = |ci: Option<&str>| {
        let mut command = Command::new(std::env::current_exe().unwrap());
        command
            .args([
                "--exact",
                "serve_browser::the_search_page_finds_highlights_and_opens_articles_in_chromium",
            ])
            .env("CHROMIUM", "/nonexistent/chromium")
            .env_remove("CI");
        if let Some(ci) = ci {
            command.env("CI", ci);
        }
        command.output().unwrap()
    };
    let skipped = run(None);
    let stderr = String::from_utf8_lossy(&skipped.stderr);
    assert!(skipped.status.success(), "{skipped:?}");
    assert!(
        stderr.contains("serve_browser: skipped, because /nonexistent/chromium not found"),
        "{stderr}"
    );
    let in_ci = run(Some("true"));
    assert!(!in_ci.status.success(), "{in_ci:?}");
    let stdout = String::from_utf8_lossy(&in_ci.stdout);
    assert!(
        stdout.contains("the browser test cannot run in CI"),
        "{stdout}"
    );
}
