//! Finding a person however the name is spelled: `--person`, `person:"…"`, aliases,
//! `matched_terms` (issue #4), on short wire articles that spell the same people differently.

use crate::util::TestEnv;

/// One article per line: id, title, text. Each person is spelled as agencies do.
const ARTICLES: &[(&str, &str, &str)] = &[
    (
        "lavrov-ghain",
        "سيرغي لافروف يبحث مع نظيره الصيني الأزمة الكورية",
        "بحث وزير الخارجية الروسي سيرغي لافروف في موسكو اليوم مع نظيره الصيني الأزمة الكورية، وقال لافروف إن الحوار هو السبيل الوحيد.",
    ),
    (
        "lavrov-jim",
        "وزير الخارجية الروسي يصل إلى أنقرة",
        "وصل وزير الخارجية الروسي سيرجي لافروف إلى أنقرة في زيارة رسمية، ومن المنتظر أن يلتقي نظيره التركي. وأكد للصحفيين أن بلاده منفتحة على الحوار، وقالت مصادر إن جدول أعمال ولافروف مزدحم.",
    ),
    (
        "xi-ghain",
        "الرئيس الصيني شي جين بينغ يستقبل وفدا برلمانيا",
        "استقبل الرئيس الصيني شي جين بينغ في بكين اليوم وفدا برلمانيا عربيا رفيع المستوى.",
    ),
    (
        "xi-jim",
        "شي جين بينج يدعو إلى تعزيز التعاون الاقتصادي",
        "دعا الرئيس الصيني شي جين بينج خلال قمة إقليمية إلى تعزيز التعاون الاقتصادي بين دول المنطقة.",
    ),
    (
        "xi-hyphen",
        "قمة صينية أوروبية في بروكسل",
        "التقى الرئيس الصيني شي جين-بينغ رئيسة المفوضية الأوروبية في بروكسل لبحث العلاقات التجارية.",
    ),
    (
        "qin-qaf",
        "تشين قانغ في زيارة إلى القاهرة",
        "وصل وزير الخارجية الصيني تشين قانغ إلى القاهرة في مستهل جولة إفريقية.",
    ),
    (
        "qin-ghain",
        "وزير الخارجية الصيني يلتقي نظيره المصري",
        "التقى وزير الخارجية الصيني تشين غانغ نظيره المصري وبحثا التعاون الثنائي.",
    ),
    (
        "qin-jim",
        "الصين تدعو إلى وقف التصعيد",
        "دعا وزير الخارجية الصيني تشين جانج إلى وقف التصعيد في المنطقة.",
    ),
    (
        "zelensky-long",
        "زيلينسكي يطالب بمزيد من الدعم العسكري",
        "طالب الرئيس الأوكراني فولوديمير زيلينسكي الحلفاء الغربيين بمزيد من الدعم العسكري.",
    ),
    (
        "zelensky-short",
        "الرئيس الأوكراني يزور الجبهة الشرقية",
        "زار الرئيس الأوكراني فولوديمير زيلنسكي الجبهة الشرقية والتقى الجنود هناك.",
    ),
    (
        "blinken",
        "بلينكن في جولة شرق أوسطية",
        "بدأ وزير الخارجية الأمريكي أنتوني بلينكن جولة في الشرق الأوسط تشمل عدة عواصم.",
    ),
    (
        "blinkin",
        "واشنطن تحذر من التصعيد",
        "حذر وزير الخارجية الأمريكي أنتوني بلينكين من مخاطر التصعيد في المنطقة.",
    ),
    (
        "abdallah-apart",
        "الملك عبد الله الثاني يستقبل رئيس الوزراء",
        "استقبل العاهل الأردني الملك عبد الله الثاني رئيس الوزراء في قصر الحسينية.",
    ),
    (
        "abdallah-joined",
        "العاهل الأردني يفتتح مشروعا للطاقة",
        "افتتح العاهل الأردني الملك عبدالله الثاني مشروعا جديدا للطاقة الشمسية.",
    ),
    (
        "deschamps-n",
        "ديشان يعلن قائمة المنتخب الفرنسي",
        "أعلن مدرب المنتخب الفرنسي ديدييه ديشان قائمة اللاعبين لكأس العالم.",
    ),
    (
        "deschamps-mb",
        "مدرب فرنسا يدافع عن اختياراته",
        "دافع مدرب المنتخب الفرنسي ديدييه ديشامب عن اختياراته أمام الصحفيين.",
    ),
    (
        "biden",
        "الرئيس الأمريكي جو بايدن يلقي خطابا",
        "ألقى الرئيس الأمريكي جو بايدن خطابا أمام الكونغرس حول الاقتصاد.",
    ),
    (
        "without",
        "الأسعار ترتفع بدون رقابة",
        "ارتفعت أسعار الخضر في الأسواق بدون رقابة تذكر، وبدون تدخل من الوزارة.",
    ),
];

/// A folder of the articles as one JSON Lines file, ingested into `idx`.
fn ingested() -> TestEnv {
    let env = TestEnv::new();
    let lines: Vec<String> = ARTICLES
        .iter()
        .map(|(id, title, body)| {
            serde_json::json!({ "id": id, "title": title, "body": body, "source": "وكالات" })
                .to_string()
        })
        .collect();
    env.write("wire/articles.jsonl", lines.join("\n") + "\n");
    let out = env.run(&["ingest", "wire"]);
    assert_eq!(out.code, 0, "ingest failed: {out:?}");
    env
}

/// Articles given as (id, text), each with the same headline, ingested into `idx`.
fn ingested_bodies(articles: &[(&str, &str)]) -> TestEnv {
    let env = TestEnv::new();
    let lines: Vec<String> = articles
        .iter()
        .map(|(id, body)| serde_json::json!({ "id": id, "title": "خبر", "body": body }).to_string())
        .collect();
    env.write("wire/articles.jsonl", lines.join("\n") + "\n");
    assert_eq!(env.run(&["ingest", "wire"]).code, 0);
    env
}

fn person_ids(env: &TestEnv, name: &str) -> Vec<String> {
    env.query_ids("", &["--person", name])
}

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

#[test]
fn every_spelling_of_a_name_finds_the_others_and_the_one_typed_ranks_first() {
    let env = ingested();
    let ghain = person_ids(&env, "سيرغي لافروف");
    assert_eq!(ghain, ["lavrov-ghain", "lavrov-jim"]);
    let jim = person_ids(&env, "سيرجي لافروف");
    assert_eq!(jim, ["lavrov-jim", "lavrov-ghain"]);

    for spelling in ["شي جين بينغ", "شي جين بينج", "شي جين-بينغ"] {
        let ids = person_ids(&env, spelling);
        assert_eq!(
            sorted(ids),
            ["xi-ghain", "xi-hyphen", "xi-jim"],
            "{spelling}"
        );
    }
    assert_eq!(person_ids(&env, "شي جين بينج")[0], "xi-jim");

    for spelling in ["تشين قانغ", "تشين غانغ", "تشين جانج"] {
        let ids = person_ids(&env, spelling);
        assert_eq!(sorted(ids.clone()), ["qin-ghain", "qin-jim", "qin-qaf"]);
    }
    assert_eq!(person_ids(&env, "تشين جانج")[0], "qin-jim");
    assert_eq!(
        person_ids(&env, "زيلنسكي"),
        ["zelensky-short", "zelensky-long"]
    );
    assert_eq!(
        person_ids(&env, "زيلينسكي"),
        ["zelensky-long", "zelensky-short"]
    );
    assert_eq!(person_ids(&env, "بلينكين"), ["blinkin", "blinken"]);
}

#[test]
fn a_compound_name_written_joined_or_apart_is_one_name() {
    let env = ingested();
    assert_eq!(
        person_ids(&env, "عبد الله الثاني"),
        ["abdallah-apart", "abdallah-joined"]
    );
    assert_eq!(
        person_ids(&env, "عبدالله"),
        ["abdallah-joined", "abdallah-apart"]
    );
    let results = env.query_json("", &["--person", "عبدالله"]);
    let apart = results
        .hits
        .iter()
        .find(|h| h.id == "abdallah-apart")
        .unwrap();
    assert_eq!(apart.matched_terms, ["عبد الله"]);
}

#[test]
fn person_in_the_query_syntax_and_with_other_words() {
    let env = ingested();
    assert_eq!(
        sorted(env.query_ids("person:بلينكن", &[])),
        ["blinken", "blinkin"]
    );
    assert_eq!(
        sorted(env.query_ids("person:\"سيرجي لافروف\"", &[])),
        ["lavrov-ghain", "lavrov-jim"]
    );
    // the person is required, the other words rank
    assert_eq!(
        env.query_ids("أنقرة", &["--person", "لافروف"]),
        ["lavrov-jim", "lavrov-ghain"]
    );
    // but a word marked `+` is required, beside `--person` or `person:` alike
    assert_eq!(
        env.query_ids("+أنقرة", &["--person", "لافروف"]),
        ["lavrov-jim"]
    );
    assert_eq!(env.query_ids("person:لافروف +أنقرة", &[]), ["lavrov-jim"]);
    // leaving a person out leaves out every spelling
    assert!(env.query_ids("+person:لافروف -person:سيرجي", &[]).is_empty());
    assert_eq!(env.query_ids("person:لافروف -person:بينج", &[]).len(), 2);
    // regression: a person with only excluded words beside it was a syntax error
    assert_eq!(env.query_ids("person:لافروف -أنقرة", &[]), ["lavrov-ghain"]);
    assert_eq!(
        env.query_ids("(-أنقرة -بكين)", &["--person", "لافروف"]),
        ["lavrov-ghain"]
    );
}

#[test]
fn matched_terms_say_which_spelling_each_article_uses() {
    let env = ingested();
    let results = env.query_json("", &["--person", "لافروف"]);
    let by_id = |id: &str| {
        results
            .hits
            .iter()
            .find(|h| h.id == id)
            .unwrap()
            .matched_terms
            .clone()
    };
    assert_eq!(by_id("lavrov-ghain"), ["لافروف"]);
    // the clitic form is a spelling the article uses too
    assert_eq!(by_id("lavrov-jim"), ["لافروف", "ولافروف"]);
    let results = env.query_json("", &["--person", "تشين قانغ"]);
    let qin_jim = results.hits.iter().find(|h| h.id == "qin-jim").unwrap();
    assert_eq!(qin_jim.matched_terms, ["تشين", "جانج"]);
}

#[test]
fn plain_queries_find_other_spellings_below_the_one_typed() {
    let env = ingested();
    assert_eq!(
        env.query_ids("زيلنسكي", &[]),
        ["zelensky-short", "zelensky-long"]
    );
    assert_eq!(env.query_ids("بلينكن", &[]), ["blinken", "blinkin"]);
}

#[test]
fn folding_does_not_turn_common_words_into_names() {
    let env = ingested();
    // بايدن and بدون share a key, but not the places of their vowels
    assert_eq!(person_ids(&env, "بايدن"), ["biden"]);
    assert_eq!(env.query_ids("بايدن", &[]), ["biden"]);
    assert_eq!(env.query_ids("بدون", &[]), ["without"]);
}

#[test]
fn aliases_apply_at_once_without_a_new_ingest() {
    let env = ingested();
    // the archive shows ديشامب to be the same name (a spelling found, not an alias)
    let found = env.query_json("", &["--person", "ديشان"]);
    assert_eq!(found.discovered.len(), 1, "{:?}", found.discovered);
    let added = env.run(&["aliases", "add", "ديشان", "ديشامب"]);
    assert_eq!(added.code, 0, "{added:?}");
    assert_eq!(added.stdout.trim(), "ديشان\tديشامب");
    assert_eq!(person_ids(&env, "ديشان"), ["deschamps-n", "deschamps-mb"]);
    assert!(
        env.query_json("", &["--person", "ديشان"])
            .discovered
            .is_empty()
    );
    assert_eq!(person_ids(&env, "ديشامب"), ["deschamps-mb", "deschamps-n"]);
    assert_eq!(env.query_ids("ديشان", &[]), ["deschamps-n", "deschamps-mb"]);

    let listed = env.run(&["aliases", "list"]);
    assert_eq!(listed.stdout, "ديشان\tديشامب\n");
    let json = env.run(&["aliases", "list", "--json"]);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(value["aliases"][0][1], "ديشامب");
    assert!(env.index_dir().join("aliases.json").exists());

    assert_eq!(env.run(&["aliases", "remove", "ديشامب"]).code, 0);
    assert_eq!(
        env.query_json("", &["--person", "ديشان"]).discovered.len(),
        1
    );
    let missing = env.run(&["aliases", "remove", "ديشامب"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("not an alias"), "{missing:?}");
}

#[test]
fn an_empty_person_is_an_error() {
    let env = ingested();
    let out = env.run(&["query", "person:\"\""]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("name of a person"), "{out:?}");
}

/// Regression: the words of an alias of several words were alternatives of the name, so
/// `محمود عباس` for `أبو مازن` found every article with any محمود or any عباس.
#[test]
fn an_alias_of_several_words_needs_all_of_them() {
    let env = ingested_bodies(&[
        (
            "abbas",
            "استقبل الرئيس الفلسطيني محمود عباس وفدا أوروبيا في رام الله.",
        ),
        (
            "abu-mazen",
            "قال مسؤول إن أبو مازن سيلقي كلمة أمام الجمعية العامة.",
        ),
        (
            "darwish",
            "أحيا المهرجان ذكرى الشاعر محمود درويش بأمسية شعرية.",
        ),
        ("abbas-only", "فاز نادي عباس الرياضي في مباراة الأمس."),
    ]);
    let added = env.run(&["aliases", "add", "أبو مازن", "محمود عباس"]);
    assert_eq!(added.code, 0, "{added:?}");

    assert_eq!(
        sorted(person_ids(&env, "أبو مازن")),
        ["abbas", "abu-mazen"],
        "the alias matches only with both its words"
    );
    assert_eq!(
        sorted(person_ids(&env, "محمود عباس")),
        ["abbas", "abu-mazen"]
    );
    // a plain query is not widened with the words of a longer alias
    assert_eq!(env.query_ids("مازن", &[]), ["abu-mazen"]);
}

/// Regression: spellings that normalize to nothing all compared equal, so `!` joined the
/// group of another empty spelling and merged unrelated names.
#[test]
fn an_alias_must_be_a_name_and_differ_from_it() {
    let env = ingested();
    for bad in ["!", "", "في"] {
        let out = env.run(&["aliases", "add", bad, "ديشامب"]);
        assert_eq!(out.code, 2, "{bad:?}: {out:?}");
        assert!(out.stderr.contains("is no name"), "{out:?}");
    }
    let same = env.run(&["aliases", "add", "أولاند", "اولاند"]);
    assert_eq!(same.code, 2, "{same:?}");
    assert!(same.stderr.contains("same spelling"), "{same:?}");
    assert!(!env.index_dir().join("aliases.json").exists());
}

/// Regression: a clitic before a two-letter compound head (`وبن علي`, `لبن علي`) left too
/// short a rest to be read as `بن`, so the compound was never found.
#[test]
fn a_clitic_before_a_two_letter_compound_head_is_read() {
    let env = ingested_bodies(&[
        (
            "with-clitic",
            "تحدث التقرير عن نظام وبن علي وعن المقربين لبن علي في تلك الفترة.",
        ),
        ("plain", "غادر الرئيس بن علي البلاد في مثل هذا اليوم."),
        ("other", "ارتفعت أسعار اللبن والحليب في الأسواق."),
    ]);
    assert_eq!(sorted(person_ids(&env, "بن علي")), ["plain", "with-clitic"]);
    let results = env.query_json("", &["--person", "بن علي"]);
    let hit = results.hits.iter().find(|h| h.id == "with-clitic").unwrap();
    assert!(
        hit.matched_terms.iter().any(|t| t == "وبن علي"),
        "{:?}",
        hit.matched_terms
    );
}

/// Articles about other things, so that the words of a few articles are rare in the archive
/// as they are in a real one.
const OTHER_NEWS: &[(&str, &str)] = &[
    (
        "weather",
        "توقعت مصالح الرصد الجوي أمطارا غزيرة على المناطق الشمالية مع انخفاض في درجات الحرارة.",
    ),
    (
        "football",
        "فاز الترجي الرياضي على النادي الصفاقسي بهدفين دون رد في مباراة مثيرة بملعب رادس.",
    ),
    (
        "olive",
        "ينتظر الفلاحون صابة قياسية من زيت الزيتون هذا الموسم بفضل الأمطار الأخيرة.",
    ),
    (
        "exams",
        "انطلقت صباح اليوم امتحانات الباكالوريا في كامل ولايات الجمهورية وسط إجراءات تنظيمية مشددة.",
    ),
    (
        "festival",
        "افتتح مهرجان قرطاج الدولي دورته الجديدة بعرض موسيقي حضره جمهور غفير.",
    ),
    (
        "traffic",
        "شهدت الطرقات المؤدية إلى العاصمة اكتظاظا كبيرا بسبب أشغال الصيانة على الجسر.",
    ),
    (
        "hospital",
        "دشن والي الجهة قسما جديدا للاستعجالي بالمستشفى الجهوي مجهزا بأحدث المعدات.",
    ),
    (
        "tourism",
        "سجلت المناطق السياحية ارتفاعا في عدد الوافدين خلال الصائفة مقارنة بالسنة الماضية.",
    ),
    (
        "fire",
        "تمكنت وحدات الحماية المدنية من إخماد حريق اندلع في غابة بالشمال الغربي.",
    ),
    (
        "bread",
        "أكدت وزارة التجارة أن أسعار الخبز المدعم لن تتغير رغم ارتفاع أسعار الحبوب.",
    ),
];

fn with_other_news(articles: &[(&'static str, &'static str)]) -> TestEnv {
    let all: Vec<(&str, &str)> = articles.iter().chain(OTHER_NEWS).copied().collect();
    ingested_bodies(&all)
}

/// Issue 15, class 1: a full name typed finds the articles that write only the family name,
/// below those with the full name, and not the articles where the family name is an ordinary
/// word (`الشاهد`, the witness), told apart by the words around the full name in the archive.
#[test]
fn a_full_name_finds_the_family_name_alone_but_not_the_ordinary_word() {
    let env = with_other_news(&[
        (
            "full-1",
            "قال رئيس الحكومة يوسف الشاهد إن حكومته ستواصل الإصلاحات الاقتصادية رغم الصعوبات.",
        ),
        (
            "full-2",
            "التقى رئيس الحكومة يوسف الشاهد بممثلي النقابات لبحث الإصلاحات المطروحة.",
        ),
        (
            "alone",
            "أكد الشاهد أمام نواب البرلمان أن الإصلاحات الاقتصادية ضرورية لإنقاذ المالية العمومية.",
        ),
        (
            "witness-1",
            "استمعت المحكمة إلى الشاهد الوحيد في قضية السرقة وأجلت الجلسة.",
        ),
        (
            "witness-2",
            "روى الشاهد أنه رأى السيارة تغادر المكان مسرعة بعد منتصف الليل.",
        ),
        (
            "witness-3",
            "طلب الدفاع استدعاء الشاهد مرة أخرى للمثول أمام المحكمة.",
        ),
        (
            "witness-4",
            "أدلى الشاهد بأقواله أمام قاضي التحقيق في قضية الاحتيال.",
        ),
    ]);
    let ids = person_ids(&env, "يوسف الشاهد");
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert_eq!(sorted(ids[..2].to_vec()), ["full-1", "full-2"]);
    assert_eq!(ids[2], "alone");
}

/// Issue 15, class 1: when the archive mostly writes the family name with the given name, the
/// family name alone is the person's, and a given name typed in a rarer spelling still finds
/// the articles that write only the family name.
#[test]
fn a_family_name_the_archive_keeps_for_the_person_is_trusted_alone() {
    let env = with_other_news(&[
        (
            "full-1",
            "فاز إيمانويل ماكرون بالانتخابات الرئاسية الفرنسية بفارق كبير.",
        ),
        (
            "full-2",
            "استقبل الرئيس الفرنسي إيمانويل ماكرون نظيره الألماني في باريس.",
        ),
        (
            "alone",
            "قال ماكرون في مؤتمر صحفي إن أوروبا تحتاج إلى إصلاح عميق.",
        ),
    ]);
    let ids = person_ids(&env, "إيمانويل ماكرون");
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert_eq!(ids[2], "alone");
}

/// Issue 15, class 1: a given name typed in a spelling the archive rarely writes
/// (`ايمانوال`, once) says little of who the family name is; the archive's own spellings of it
/// (`إيمانويل`, same key) show the family name is the person's, so the articles writing it
/// alone are found however little they share with the one article of the spelling typed.
#[test]
fn a_rarely_written_given_name_still_finds_the_family_name_alone() {
    let env = with_other_news(&[
        ("rare", "قال ايمانوال ماكرون إن فرنسا ستدعم الاتفاق."),
        (
            "full-1",
            "فاز إيمانويل ماكرون بالانتخابات الرئاسية بفارق كبير.",
        ),
        ("full-2", "استقبل إيمانويل ماكرون نظيره الألماني في باريس."),
        ("full-3", "دعا إيمانويل ماكرون إلى قمة أوروبية حول المناخ."),
        ("full-4", "زار إيمانويل ماكرون مصنعا للسيارات في الشمال."),
        (
            "alone-1",
            "وصل ماكرون إلى برلين في زيارة رسمية تستغرق يومين.",
        ),
        (
            "alone-2",
            "ألقى ماكرون خطابا أمام البرلمان الأوروبي حول الهجرة.",
        ),
    ]);
    let ids = person_ids(&env, "ايمانوال ماكرون");
    assert_eq!(ids[0], "rare", "{ids:?}");
    assert_eq!(
        sorted(ids.clone()),
        [
            "alone-1", "alone-2", "full-1", "full-2", "full-3", "full-4", "rare"
        ],
        "{ids:?}"
    );
}

/// Issue 15, class 1: a title typed with the name (`الرئيس`, in far more articles than the
/// family name) is no part an article must write, nor evidence against the family name.
#[test]
fn a_title_typed_with_the_name_is_not_required() {
    let rides: Vec<(String, String)> = (1..=30)
        .map(|i| {
            (
                format!("company-{i}"),
                format!("قال الرئيس المدير العام لشركة النقل إن الرحلة رقم {i} ستنطلق في موعدها."),
            )
        })
        .collect();
    let mut articles: Vec<(&str, &str)> = vec![
        (
            "full",
            "استقبل الرئيس الفرنسي إيمانويل ماكرون نظيره الألماني في باريس.",
        ),
        (
            "alone-1",
            "قال ماكرون في مؤتمر صحفي إن أوروبا تحتاج إلى إصلاح عميق.",
        ),
        (
            "alone-2",
            "فاز ماكرون بالانتخابات الرئاسية الفرنسية بفارق كبير.",
        ),
    ];
    articles.extend(rides.iter().map(|(id, body)| (id.as_str(), body.as_str())));
    let env = ingested_bodies(&articles);
    let ids = person_ids(&env, "الرئيس ماكرون");
    assert_eq!(ids[0], "full");
    assert_eq!(sorted(ids[1..].to_vec()), ["alone-1", "alone-2"]);
}

/// Issue 15, class 2: a two-letter part that is also a word (`إن`, "that") and the same name
/// written with a hyphen, apart or joined: every spelling finds the others.
#[test]
fn short_and_joined_parts_of_a_name_match_each_other() {
    let env = with_other_news(&[
        (
            "apart",
            "دعا الرئيس الكوري الجنوبي مون جاي إن إلى استئناف الحوار مع الشمال.",
        ),
        (
            "hyphen",
            "فاز مون جاي-إن بالانتخابات الرئاسية في كوريا الجنوبية.",
        ),
        (
            "joined",
            "التقى رئيس الوزراء الياباني الرئيس الكوري مون جايإن في طوكيو.",
        ),
    ]);
    for spelling in ["مون جاي إن", "مون جاي-إن", "مون جايإن"] {
        assert_eq!(
            sorted(person_ids(&env, spelling)),
            ["apart", "hyphen", "joined"],
            "{spelling}"
        );
    }
    let env = with_other_news(&[
        (
            "xi-apart",
            "استقبل الرئيس الصيني شي جين بينغ في بكين وفدا إفريقيا.",
        ),
        (
            "xi-joined",
            "دعا الرئيس الصيني شي جينبينغ إلى تعزيز التجارة الحرة.",
        ),
        (
            "ban-apart",
            "حذر الأمين العام للأمم المتحدة بان كي مون من تفاقم الأزمة الإنسانية.",
        ),
        (
            "ban-joined",
            "زار الأمين العام للأمم المتحدة بان كيمون مخيما للاجئين.",
        ),
    ]);
    for spelling in ["شي جين بينغ", "شي جينبينغ"] {
        let ids = person_ids(&env, spelling);
        assert_eq!(sorted(ids), ["xi-apart", "xi-joined"], "{spelling}");
    }
    for spelling in ["بان كي مون", "بان كيمون"] {
        let ids = person_ids(&env, spelling);
        assert_eq!(sorted(ids), ["ban-apart", "ban-joined"], "{spelling}");
    }
}

/// A spelling of the name that is a clitic before another clitic form (`لوبن`: `ل` + `وبن`,
/// itself `و` + `بن`, frequent in `وبن سلمان`) is no ordinary word: it ranks as the other
/// spellings do, above an article writing a spelling of the key once in a longer text, instead
/// of below every spelling that is not word-like.
#[test]
fn a_clitic_before_a_clitic_form_is_no_ordinary_word() {
    let env = with_other_news(&[
        (
            "typed",
            "تصدرت مارين لوبان استطلاعات الرأي قبل الدورة الأولى من الانتخابات الفرنسية.",
        ),
        (
            "other-spelling",
            "دعت مرشحة اليمين المتطرف مارين لوبن أنصارها إلى التصويت بكثافة، وقالت لوبن إن فرنسا تحتاج إلى التغيير.",
        ),
        (
            "magazine",
            "نشرت مجلة لوبوان الفرنسية تحقيقا مطولا عن أوضاع المستشفيات العمومية ونقص الأطباء في المناطق الريفية وطول قوائم الانتظار في أقسام الاستعجالي.",
        ),
        (
            "and-ben-1",
            "التقى الرئيس الروسي بوتين وبن سلمان على هامش قمة مجموعة العشرين.",
        ),
        (
            "and-ben-2",
            "بحث ماكرون وبن زايد في باريس الأوضاع في المنطقة.",
        ),
    ]);
    let ids = person_ids(&env, "لوبان");
    assert_eq!(ids, ["typed", "other-spelling", "magazine"]);
}

/// Issue 15, classes 1 and 2: an East-Asian name typed with two parts joined (`شي جينبينغ`,
/// written `شي جين بينغ` in the archive) is read as its three parts, so its family name is the
/// first (`شي`), and the articles that write only it are found as for `شي جين بينغ`.
#[test]
fn a_joined_east_asian_name_finds_its_family_name_alone() {
    let env = with_other_news(&[
        (
            "apart-1",
            "استقبل الرئيس الصيني شي جين بينغ في بكين رئيس الوزراء الباكستاني لبحث التعاون.",
        ),
        (
            "apart-2",
            "دعا الرئيس الصيني شي جين بينغ في خطاب ببكين إلى تعزيز التجارة الحرة.",
        ),
        (
            "joined",
            "أكد الرئيس الصيني شي جينبينغ أن بكين متمسكة بالحوار مع جيرانها.",
        ),
        (
            "alone",
            "قال الرئيس الصيني شي في بكين إن بلاده ستفتح أسواقها أمام الاستثمار.",
        ),
    ]);
    for spelling in ["شي جين بينغ", "شي جينبينغ"] {
        let ids = person_ids(&env, spelling);
        assert_eq!(
            ids.last().map(String::as_str),
            Some("alone"),
            "{spelling}: {ids:?}"
        );
        assert_eq!(
            sorted(ids),
            ["alone", "apart-1", "apart-2", "joined"],
            "{spelling}"
        );
    }
}

/// Issue 15, `--person` never below the plain query: a spelling under the name's key that
/// reads as an ordinary word (`بنعته`, `ب` + `نعته`, under the key of `بنعطية`) is still
/// searched, but a short article that writes only it, early and twice, ranks below a long
/// article that writes the name typed once, at its end (it ranked above it on its lead).
#[test]
fn a_word_like_spelling_never_outranks_the_name_typed_in_a_long_article() {
    let meeting = [
        "عقد المكتب الجامعي اجتماعه الدوري بمقر الجامعة بحضور رؤساء الرابطات الجهوية.",
        "وتناول الاجتماع مسائل التحكيم وبرمجة المباريات وتوزيع المنح على الأندية المحترفة.",
        "كما ناقش الحاضرون وضعية الملاعب وحقوق البث التلفزي وتمويل مراكز التكوين.",
        "وأكد رئيس الجامعة أن الموسم القادم سينطلق في موعده رغم الصعوبات المالية.",
    ]
    .join(" ");
    let long = format!(
        "{} وفي ختام الاجتماع أعلن المدرب استدعاء المدافع بنعطية إلى قائمة المنتخب.",
        [meeting.as_str(); 4].join(" ")
    );
    let mut articles: Vec<(&str, &str)> = vec![
        ("long", &long),
        (
            "word-like",
            "هاجم النائب خصمه بنعته بالفاسد، ورد الخصم بنعته بالكاذب أمام الصحفيين.",
        ),
        (
            "ordinary-1",
            "رفض الكاتب نعته بالمتشائم وقال إن نعت الناس بالألقاب عادة سيئة.",
        ),
        (
            "ordinary-2",
            "اعتبر المحامي أن نعته موكله بالمجرم إساءة، وأن النعت لا يليق بالمحكمة.",
        ),
        (
            "typed-1",
            "سجل المدافع بنعطية هدف الفوز برأسية في الدقيقة الأخيرة من المباراة.",
        ),
        (
            "typed-2",
            "غاب بنعطية عن التدريبات بسبب إصابة خفيفة حسب الطاقم الطبي.",
        ),
    ];
    articles.extend(OTHER_NEWS);
    let env = ingested_bodies(&articles);
    let ids = person_ids(&env, "بنعطية");
    assert_eq!(sorted(ids[..2].to_vec()), ["typed-1", "typed-2"], "{ids:?}");
    assert_eq!(ids[2..], ["long", "word-like"], "{ids:?}");
}

/// Issue 15, class 3: spellings no rule folds (`غوتيريش`/`غوتيريس`, ش/س) are suggested from
/// the archive with their evidence, and a person query uses a confident one on its own, at a
/// lower weight, and says so; a close word with other context (`تراب` for `ترامب`) is not.
#[test]
fn spellings_the_archive_shows_to_be_one_name_are_suggested_and_searched() {
    let env = with_other_news(&[
        (
            "sh-1",
            "دعا الأمين العام للأمم المتحدة أنطونيو غوتيريش إلى وقف فوري لإطلاق النار في اليمن.",
        ),
        (
            "sh-2",
            "قال الأمين العام للأمم المتحدة أنطونيو غوتيريش إن المنظمة ستواصل دعم اللاجئين.",
        ),
        (
            "s-1",
            "حذر الأمين العام للأمم المتحدة أنطونيو غوتيريس من تفاقم الأزمة الإنسانية في سوريا.",
        ),
        (
            "s-2",
            "التقى الأمين العام للأمم المتحدة أنطونيو غوتيريس وزير الخارجية في نيويورك.",
        ),
        (
            "trump-1",
            "وقع الرئيس الأمريكي دونالد ترامب قرارا تنفيذيا جديدا بشأن الهجرة في البيت الأبيض.",
        ),
        (
            "trump-2",
            "انتقد الرئيس الأمريكي دونالد ترامب وسائل الإعلام في تغريدة على تويتر من البيت الأبيض.",
        ),
        (
            "dust",
            "غطى التراب الطريق الريفية بعد العاصفة وتعطلت حركة الشاحنات نحو القرية.",
        ),
    ]);
    let out = env.run(&["aliases", "suggest", "غوتيريش"]);
    assert_eq!(out.code, 0, "{out:?}");
    let first = out.stdout.lines().next().unwrap_or_default();
    assert!(first.starts_with("غوتيريش\tغوتيريس\t"), "{out:?}");
    assert!(first.contains("(confident)"), "{first}");
    assert!(first.contains("0 with both"), "{first}");
    // the whole archive (each spelling's context read once for every pair it is in): the
    // same pair, either way round, with the same evidence
    let all = env.run(&["aliases", "suggest", "--all", "--min-articles", "2"]);
    assert_eq!(all.code, 0, "{all:?}");
    let evidence = |line: &str| {
        line.split('\t')
            .skip(2)
            .map(String::from)
            .collect::<Vec<_>>()
    };
    let pair = all
        .stdout
        .lines()
        .find(|l| l.starts_with("غوتيريس\tغوتيريش\t") || l.starts_with("غوتيريش\tغوتيريس\t"));
    assert_eq!(pair.map(evidence), Some(evidence(first)), "{all:?}");
    assert!(!all.stdout.contains("تراب"), "{all:?}");

    let ids = person_ids(&env, "غوتيريش");
    assert_eq!(
        sorted(ids[..2].to_vec()),
        ["sh-1", "sh-2"],
        "typed first: {ids:?}"
    );
    assert_eq!(sorted(ids[2..].to_vec()), ["s-1", "s-2"]);
    let results = env.query_json("", &["--person", "غوتيريش"]);
    assert_eq!(results.discovered.len(), 1);
    assert_eq!(results.discovered[0].spelling, "غوتيريس");
    let s1 = results.hits.iter().find(|h| h.id == "s-1").unwrap();
    assert_eq!(s1.matched_terms, ["غوتيريس"]);
    let human = env.run(&["query", "--person", "غوتيريش"]);
    // said before the hits, on stderr, as a correction is
    assert!(
        human.stderr.contains("also searched for «غوتيريس»"),
        "{human:?}"
    );

    assert_eq!(sorted(person_ids(&env, "ترامب")), ["trump-1", "trump-2"]);
}

/// Issue 15: `fahras person NAME` gives the person's card: the spellings with counts, the
/// first and last mention, the articles by month and the words written with the name.
#[test]
fn a_person_card_lists_spellings_mentions_and_months() {
    let env = TestEnv::new();
    let articles = [
        (
            "a",
            "2017-01-10",
            "قال رئيس الحكومة يوسف الشاهد إن الإصلاحات الاقتصادية ستتواصل.",
        ),
        (
            "b",
            "2017-01-25",
            "التقى رئيس الحكومة يوسف الشاهد ممثلي النقابات في قصر الحكومة بالقصبة.",
        ),
        (
            "c",
            "2017-03-02",
            "أكد رئيس الحكومة يوسف الشّاهد أن الحكومة ماضية في مكافحة الفساد.",
        ),
        (
            "d",
            "2017-02-14",
            "فاز الترجي الرياضي على النادي الصفاقسي في مباراة مثيرة بملعب رادس.",
        ),
    ];
    let others = OTHER_NEWS
        .iter()
        .map(|(id, body)| (*id, "2016-06-01", *body));
    let lines: Vec<String> = articles
        .into_iter()
        .chain(others)
        .map(|(id, date, body)| {
            serde_json::json!({ "id": id, "title": "خبر", "body": body, "date": date }).to_string()
        })
        .collect();
    env.write("wire/articles.jsonl", lines.join("\n") + "\n");
    assert_eq!(env.run(&["ingest", "wire"]).code, 0);

    let out = env.run(&["person", "يوسف الشاهد", "--json"]);
    assert_eq!(out.code, 0, "{out:?}");
    let card: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(card["articles"], 3);
    assert_eq!(card["spellings"][0]["spelling"], "يوسف");
    assert_eq!(card["spellings"][0]["articles"], 3);
    assert_eq!(card["spellings"][1]["spelling"], "الشاهد");
    assert_eq!(card["spellings"][1]["articles"], 2);
    assert!(
        card["spellings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["spelling"] == "الشّاهد" && s["articles"] == 1),
        "{card}"
    );
    assert_eq!(card["first_mention"]["id"], "a");
    assert_eq!(card["last_mention"]["id"], "c");
    let months: Vec<(String, u64)> = card["by_month"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["key"].as_str().unwrap().to_string(),
                b["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        months,
        [
            ("2017-01".into(), 2),
            ("2017-02".into(), 0),
            ("2017-03".into(), 1)
        ]
    );
    assert!(
        card["named_with"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w == "الحكومه"),
        "{card}"
    );

    let human = env.run(&["person", "يوسف الشاهد"]);
    assert!(
        human.stdout.starts_with("يوسف الشاهد: 3 articles\n"),
        "{human:?}"
    );
    assert!(
        human
            .stdout
            .contains("by month: 2017-01 2, 2017-02 0, 2017-03 1"),
        "{human:?}"
    );
    assert_eq!(env.run(&["person", "غوتيريش"]).code, 1);
}
