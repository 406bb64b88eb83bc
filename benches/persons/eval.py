#!/usr/bin/env python3
"""Person search evaluation: fahras and the peers on names spelled several ways.

Uses material beside the repository (../shared/, not shipped): the ANT JawharaFM corpus and
the peer harness. Usage, from the repository root:

    python3 benches/persons/eval.py [--corpus ../shared/corpus/ant-jawharafm] [--out /tmp/persons]
                                    [--fahras target/release/fahras] [--no-peers]

Steps:
1. The corpus (TREC-tagged .txt) is written as plain .txt files, one per article, named by its
   DOCNO: first line the <TITLE>, then the <TEXT>. Every engine indexes this same folder.
2. Judgments: an article is relevant to a person when its normalized headline or text contains
   any spelling of the name in persons.tsv (exhaustive pattern: attached clitics allowed, a
   space or hyphen between parts, none needed after عبد/أبو/بو/بن). Each spelling must occur.
3. Queries: every spelling of every name, as a user would type it.
4. Runs: fahras with each query as a person (`--person-queries`), as a plain query, and as a
   person with the aliases of ALIASES below; the peers through ../shared/peers/run_all.sh.
5. Scores per query: recall in the top |R| (R-precision; |R| capped at 100, the depth of
   every run) and precision in the top 10 out of
   min(10, |R|) (so a person with 3 relevant articles can reach 1.0); means over all queries,
   over the queries of multi-spelling variants only, and by the size of R; variant recall: of
   the relevant articles that do not write the spelling typed, the share in the top |R| (over
   the queries with |R| <= DEPTH, whose articles all fit in a run, and over all).
"""

import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

HARAKAT = re.compile("[\u064B-\u065F\u0670\u0640\u06D6-\u06ED]")
ARABIC = "\u0621-\u064A\u066E-\u06D3\u06FA-\u06FF"
CLITIC = "(?:وال|فال|بال|كال|لل|ال|ول|وب|وك|فل|فب|فك|و|ف|ب|ل|ك)?"
HEADS = {"عبد", "ابو", "ابي", "ابا", "بو", "بن", "ابن"}
# Spellings no rule folds, given to fahras as aliases in the "+aliases" run.
# Hits per query in every run; recall is measured in the top min(|R|, DEPTH).
DEPTH = 100
ALIASES = [
    ["ديشان", "ديشامب"],
    ["غوتيريش", "غوتيريس"],
    ["كيم جونغ أون", "كيم جون أون", "كيم يونغ أون"],
]


def norm(text):
    text = HARAKAT.sub("", text)
    text = re.sub("[أإآٱ]", "ا", text)
    return text.replace("ى", "ي").replace("ة", "ه").replace("ی", "ي").replace("ک", "ك")


def read_persons(path):
    """(id, spellings) of each person, and per id its classes and family-name judgment."""
    persons, extra = [], {}
    for line in open(path, encoding="utf-8"):
        if not line.strip() or line.startswith("#"):
            continue
        pid, spellings, _note, *rest = line.rstrip("\n").split("\t")
        classes = rest[0].split(",") if rest and rest[0] else ["0"]
        family = [s.strip() for s in rest[1].split("/")] if len(rest) > 1 and rest[1] else []
        judged = rest[2].split() if len(rest) > 2 else []
        persons.append((pid, [s.strip() for s in spellings.split("/")]))
        extra[pid] = {"classes": classes, "family": family, "judged": judged}
    return persons, extra


def relevant_articles(docs, spellings, family, judged):
    """The articles naming the person: any spelling of the full name, or the family name
    alone when `judged` says so: `all` (every such article), `all -ID…` (all but these),
    `ID…` (only these, read one by one) or `none`; no family name: the spellings only."""
    regex = person_regex(spellings)
    relevant = {d for d, text in docs.items() if regex.search(text)}
    if family:
        alone = {d for d, text in docs.items() if d not in relevant and person_regex(family).search(text)}
        if judged and judged[0] == "all":
            relevant |= alone - {j[1:] for j in judged[1:]}
        else:
            judged = [j for j in judged if j != "none"]
            unknown = set(judged) - alone
            if unknown:
                sys.exit(f"judged articles without the family name alone: {sorted(unknown)}")
            relevant |= set(judged)
    return relevant


def spelling_pattern(spelling):
    parts = [p for p in re.split(r"[\s\-]+", norm(spelling)) if p]
    pattern = re.escape(parts[0])
    for before, part in zip(parts, parts[1:]):
        pattern += (r"[\s\-]?" if before in HEADS else r"[\s\-]+") + re.escape(part)
    return pattern


def person_regex(spellings):
    alternatives = "|".join(spelling_pattern(s) for s in spellings)
    return re.compile(f"(?<![{ARABIC}]){CLITIC}(?:{alternatives})(?![{ARABIC}])")


def read_trec_corpus(corpus):
    for folder, _, files in sorted(os.walk(corpus)):
        for name in sorted(files):
            if not name.endswith(".txt"):
                continue
            text = open(os.path.join(folder, name), encoding="utf-8", errors="replace").read()
            for doc in re.findall(r"<DOC>(.*?)</DOC>", text, re.S):
                docno = re.search(r"<DOCNO>\s*(.*?)\s*</DOCNO>", doc).group(1)
                title = re.search(r"<TITLE>(.*?)</TITLE>", doc, re.S)
                body = re.search(r"<TEXT>(.*?)</TEXT>", doc, re.S)
                yield docno, (title.group(1).strip() if title else ""), (
                    body.group(1).strip() if body else ""
                )


def read_own_articles(folder):
    """The articles written for this evaluation (articles/*.txt: headline, then text)."""
    for name in sorted(os.listdir(folder)):
        if name.endswith(".txt"):
            title, _, body = open(os.path.join(folder, name), encoding="utf-8").read().partition("\n")
            yield name[:-4], title.strip(), body.strip()


def write_plain(corpus, plain):
    docs = {}
    os.makedirs(plain, exist_ok=True)
    articles = list(read_trec_corpus(corpus)) + list(read_own_articles(os.path.join(HERE, "articles")))
    for docno, title, body in articles:
        title = " ".join(title.split())
        path = os.path.join(plain, docno + ".txt")
        if not os.path.exists(path):
            with open(path, "w", encoding="utf-8") as f:
                f.write(f"{title}\n{body}\n")
        docs[docno] = norm(title + "\n" + body)
    return docs


def read_run(path):
    run = collections.defaultdict(list)
    if not os.path.exists(path):
        return run
    for line in open(path, encoding="utf-8"):
        qid, _, docid, rank, *_ = line.split()
        docid = os.path.basename(docid)
        run[qid].append((int(rank), docid[:-4] if docid.endswith(".txt") else docid))
    return {q: [d for _, d in sorted(hits)] for q, hits in run.items()}


def score(run, queries, qrels, others):
    """Per query: (qid, pid, |R|, recall@|R|, P@10, relevant articles without the spelling
    typed, how many of those are in the top |R|)."""
    rows = []
    for qid, (pid, _) in queries.items():
        relevant = qrels[pid]
        hits = run.get(qid, [])
        r = len(relevant)
        # every run lists at most DEPTH hits (the peers' harness writes 100)
        depth = min(r, DEPTH)
        top = set(hits[:depth])
        recall = len(top & relevant) / depth
        p10 = len(set(hits[:10]) & relevant) / min(10, r)
        rows.append((qid, pid, r, recall, p10, len(others[qid]), len(top & others[qid])))
    return rows


def summary(rows):
    def mean(values):
        values = list(values)
        return sum(values) / len(values) if values else float("nan")

    out = {
        "queries": len(rows),
        "recall_at_R": mean(r[3] for r in rows),
        "p_at_10": mean(r[4] for r in rows),
        # of the relevant articles that do not write the spelling typed, those in the top |R|
        "variant_recall": sum(r[6] for r in rows) / max(1, sum(r[5] for r in rows)),
        "variant_articles": sum(r[5] for r in rows),
        # the same over the queries whose relevant articles all fit in a run of DEPTH hits
        "variant_recall_reachable": sum(r[6] for r in rows if r[2] <= DEPTH)
        / max(1, sum(r[5] for r in rows if r[2] <= DEPTH)),
    }
    for label, low, high in [("|R| 1-9", 1, 9), ("|R| 10-99", 10, 99), ("|R| 100+", 100, 10**9)]:
        part = [r for r in rows if low <= r[2] <= high]
        out[label] = (len(part), mean(r[3] for r in part), mean(r[4] for r in part))
    return out


def run_fahras(fahras, index, plain, queries_tsv, out, mode):
    args = [fahras, "--index", index, "query", "--queries", queries_tsv, "--limit", "100"]
    if mode != "plain":
        args.append("--person-queries")
    with open(out, "w") as f:
        subprocess.run(args, stdout=f, check=False)


def precision_guard(fahras, index, queries_tsv, persons):
    """What folding pulls in: the words person queries matched that are no spelling of the
    name (from each hit's `matched_terms`), and the hits matching only such words."""
    out = subprocess.run(
        [fahras, "--index", index, "query", "--queries", queries_tsv, "--person-queries",
         "--format", "jsonl", "--limit", str(DEPTH)],
        capture_output=True, text=True, check=False,
    ).stdout
    regexes = {pid: person_regex(spellings) for pid, spellings in persons}
    words, per_query, false_hits, hits, false_top10 = set(), [], 0, 0, 0
    for line in out.splitlines():
        result = json.loads(line)
        regex = regexes[result["qid"].rsplit("-", 1)[0]]
        # a compound's parts match one by one too; a word of the name alone is the name
        name_words = {w for s in regex.pattern.split("|") for w in re.findall(f"[{ARABIC}]+", s)}
        query_words = set()
        for hit in result["hits"]:
            others = [w for w in hit["matched_terms"]
                      if not regex.search(norm(w)) and norm(w) not in name_words
                      and not any(norm(w).endswith(n) for n in name_words)]
            query_words.update(others)
            hits += 1
            if len(others) == len(hit["matched_terms"]):
                false_hits += 1
                false_top10 += hit["rank"] <= 10
        per_query.append(len(query_words))
        words.update(query_words)
    return {
        "queries": len(per_query),
        "non_name_words": len(words),
        "per_query": sum(per_query) / max(1, len(per_query)),
        "hits": hits,
        "false_hits": false_hits,
        "false_in_top10": false_top10,
        "words": sorted(words),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus", "ant-jawharafm"))
    parser.add_argument("--out", default="/tmp/fahras-persons")
    parser.add_argument("--fahras", default=os.path.join(ROOT, "target", "release", "fahras"))
    parser.add_argument("--peers", default=os.path.join(ROOT, "..", "shared", "peers"))
    parser.add_argument("--no-peers", action="store_true",
                        help="fahras only; else the peers run once into OUT/peers (delete it to run them again)")
    args = parser.parse_args()

    os.makedirs(args.out, exist_ok=True)
    plain = os.path.join(args.out, "plain")
    docs = write_plain(args.corpus, plain)
    persons, extra = read_persons(os.path.join(HERE, "persons.tsv"))

    qrels, queries, others = {}, {}, {}
    with open(os.path.join(args.out, "qrels.txt"), "w") as q, open(
        os.path.join(args.out, "queries.tsv"), "w"
    ) as t:
        for pid, spellings in persons:
            relevant = relevant_articles(docs, spellings, extra[pid]["family"], extra[pid]["judged"])
            for spelling in spellings:
                if not any(person_regex([spelling]).search(text) for text in docs.values()):
                    sys.exit(f"{pid}: `{spelling}` is not in the corpus")
            qrels[pid] = relevant
            for d in sorted(relevant):
                q.write(f"{pid} 0 {d} 1\n")
            for i, spelling in enumerate(spellings, 1):
                qid = f"{pid}-{i}"
                queries[qid] = (pid, spelling)
                own = person_regex([spelling])
                others[qid] = {d for d in relevant if not own.search(docs[d])}
                t.write(f"{qid}\t{spelling}\n")
    queries_tsv = os.path.join(args.out, "queries.tsv")

    index = os.path.join(args.out, "index")
    # exit code 2: two articles of the corpus have no text and are skipped (with a message)
    subprocess.run([args.fahras, "--index", index, "ingest", plain, "-q"], check=False)
    aliases = os.path.join(index, "aliases.json")
    if os.path.exists(aliases):
        os.remove(aliases)
    runs = {}
    for mode in ["person", "plain"]:
        path = os.path.join(args.out, f"fahras.{mode}.trec")
        run_fahras(args.fahras, index, plain, queries_tsv, path, mode)
        runs[f"fahras --person-queries" if mode == "person" else "fahras, plain query"] = path
    for group in ALIASES:
        subprocess.run([args.fahras, "--index", index, "aliases", "add", *group], check=True,
                       stdout=subprocess.DEVNULL)
    path = os.path.join(args.out, "fahras.person-aliases.trec")
    run_fahras(args.fahras, index, plain, queries_tsv, path, "person")
    runs[f"fahras --person-queries + {len(ALIASES)} aliases"] = path
    os.remove(aliases)

    peers_out = os.path.join(args.out, "peers")
    if not args.no_peers and not os.path.isdir(peers_out):
        subprocess.run(
            [os.path.join(args.peers, "run_all.sh"), plain, queries_tsv, peers_out],
            check=False, stdout=subprocess.DEVNULL,
        )
    if not args.no_peers:
        for engine in sorted(os.listdir(peers_out)) if os.path.isdir(peers_out) else []:
            folder = os.path.join(peers_out, engine)
            if not os.path.isdir(folder):
                continue
            for name in sorted(os.listdir(folder)):
                if name.startswith("run") and name.endswith(".trec"):
                    runs[f"{engine}/{name}"] = os.path.join(folder, name)

    sizes = sorted(len(r) for r in qrels.values())
    print(f"{len(persons)} persons, {len(queries)} queries (spellings); |R| per person: "
          f"min {sizes[0]}, median {sizes[len(sizes) // 2]}, max {sizes[-1]}, "
          f"{sum(sizes)} judgments")
    print()
    print("| run | R-precision (recall@\\|R\\|) | P@10 | variant recall, \\|R\\| ≤ 100 (all) "
          "| \\|R\\| 1-9 (n, R@\\|R\\|, P@10) | \\|R\\| 10-99 | \\|R\\| 100+ |")
    print("|---|---|---|---|---|---|---|")
    results = {}
    for label, path in runs.items():
        rows = score(read_run(path), queries, qrels, others)
        s = summary(rows)
        results[label] = {"summary": s, "per_query": rows}

        def bucket(key):
            n, r, p = s[key]
            return f"{n}, {r:.3f}, {p:.3f}"

        print(f"| {label} | {s['recall_at_R']:.3f} | {s['p_at_10']:.3f} "
              f"| {s['variant_recall_reachable']:.3f} ({s['variant_recall']:.3f}) "
              f"| {bucket('|R| 1-9')} | {bucket('|R| 10-99')} | {bucket('|R| 100+')} |")
    print()
    print("By class of failure (issue 15; 0: the first 26 persons), fahras runs:")
    print("| class | queries | run | R-precision | P@10 | variant recall, \\|R\\| ≤ 100 (articles) |")
    print("|---|---|---|---|---|---|")
    classes = sorted({c for e in extra.values() for c in e["classes"]})
    for c in classes:
        for label in [l for l in results if l.startswith("fahras")]:
            rows = [r for r in results[label]["per_query"] if c in extra[r[1]]["classes"]]
            s = summary(rows)
            print(f"| {c} | {len(rows)} | {label} | {s['recall_at_R']:.3f} | {s['p_at_10']:.3f} "
                  f"| {s['variant_recall_reachable']:.3f} ({s['variant_articles']}) |")
    print()
    person_label, plain_label = "fahras --person-queries", "fahras, plain query"
    print("Per person, R-precision of --person-queries vs the plain query (mean over its spellings):")
    worse = []
    line = []
    for pid, _ in persons:
        def mean_recall(label):
            rows = [r for r in results[label]["per_query"] if r[1] == pid]
            return sum(r[3] for r in rows) / len(rows)
        a, b = mean_recall(person_label), mean_recall(plain_label)
        line.append(f"{pid} {a:.2f}/{b:.2f}")
        if a < b - 1e-9:
            worse.append(pid)
    print(", ".join(line))
    print(f"persons where --person finds fewer than the plain query: {len(worse)} {' '.join(worse)}")
    guard = precision_guard(args.fahras, index, queries_tsv,
                            [(pid, spellings + extra[pid]["family"]) for pid, spellings in persons])
    print()
    print(f"precision guard (fahras --person-queries, no aliases, top 100 per query): "
          f"{guard['queries']} queries; distinct non-name words matched: "
          f"{guard['non_name_words']} in all, {guard['per_query']:.2f} per query; hits matching "
          f"no spelling of the name: {guard['false_hits']} of {guard['hits']} "
          f"({guard['false_in_top10']} in the top 10s)")
    print(f"non-name words: {' '.join(guard['words'])}")
    results["precision_guard"] = guard
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(results, f, ensure_ascii=False, indent=1)
    print()
    print(f"per query: {os.path.join(args.out, 'results.json')}")


if __name__ == "__main__":
    main()
