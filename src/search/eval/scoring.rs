//! Scoring fahras on a test collection: relevance judgements (TREC qrels) and a query file.
//!
//! The measures are those of `trec_eval` and of the project's `evaluate.py`: MRR@10, nDCG@10
//! (graded gains, log2 discount), P@10 and recall at 100, averaged over the queries that
//! have at least one relevant document; a query without hits scores 0.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;
use tantivy::Searcher;

use super::batch::{BatchQuery, plain_words_query};
use crate::error::{Error, Result};
use crate::index::FahrasIndex;
use crate::search::{RankingOptions, SearchRequest};

/// Hits fetched per query: enough for recall at 100.
const EVAL_DEPTH: usize = 100;

/// Relevance judgements: per query id, the relevant document ids and their grades (> 0).
#[derive(Debug, Clone, Default)]
pub struct Qrels {
    judgements: HashMap<String, HashMap<String, u32>>,
}

impl Qrels {
    /// Reads a TREC qrels file (`qid 0 docid relevance` per line); grades of 0 are not
    /// relevant. A line of fewer than four fields or a grade that is not a number is an
    /// error naming the file and line.
    pub fn read(path: &Path) -> Result<Qrels> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let mut judgements: HashMap<String, HashMap<String, u32>> = HashMap::new();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split_whitespace().collect();
            let bad_line = || Error::BadQrelsLine {
                path: path.to_path_buf(),
                line: n + 1,
            };
            let [qid, _, docid, grade, ..] = fields[..] else {
                return Err(bad_line());
            };
            let grade: i64 = grade.parse().map_err(|_| bad_line())?;
            if grade > 0 {
                judgements
                    .entry(qid.to_string())
                    .or_default()
                    .insert(docid.to_string(), grade as u32);
            }
        }
        Ok(Qrels { judgements })
    }

    /// Queries with at least one relevant document.
    pub fn len(&self) -> usize {
        self.judgements.len()
    }

    /// Whether no query has a relevant document.
    pub fn is_empty(&self) -> bool {
        self.judgements.is_empty()
    }
}

/// Mean scores over the judged queries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct EvalScores {
    /// Judged queries (those with a relevant document).
    pub queries: usize,
    /// Judged queries that were in the query file.
    pub queries_run: usize,
    /// Mean reciprocal rank of the first relevant hit in the top 10.
    pub mrr_at_10: f64,
    /// Normalized discounted cumulative gain of the top 10.
    pub ndcg_at_10: f64,
    /// Precision of the top 10.
    pub p_at_10: f64,
    /// Share of the relevant documents in the top 100.
    pub recall_at_100: f64,
}

/// The id a qrels file most likely uses for a hit: the id itself, or, for ids made from a
/// file path, the file name without its extension (`arcd-000-00.txt` → `arcd-000-00`).
fn judged_id<'a>(id: &'a str, judged: &HashMap<String, u32>) -> &'a str {
    if judged.contains_key(id) {
        return id;
    }
    let name = id.rsplit('/').next().unwrap_or(id);
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}

/// Runs every query (as plain words, like `query --queries`) and scores the rankings.
pub fn evaluate(
    index: &FahrasIndex,
    searcher: &Searcher,
    queries: &[BatchQuery],
    qrels: &Qrels,
    ranking: RankingOptions,
) -> Result<EvalScores> {
    let mut totals = EvalScores {
        queries: qrels.len(),
        ..EvalScores::default()
    };
    for query in queries {
        let Some(judged) = qrels.judgements.get(&query.qid) else {
            continue;
        };
        let mut request = SearchRequest::new(plain_words_query(&query.text));
        request.limit = EVAL_DEPTH;
        request.snippet_chars = 0;
        request.ranking = ranking;
        let ranked: Vec<String> = match index.search_with(searcher, &request) {
            Ok(results) => results
                .hits
                .iter()
                .map(|hit| judged_id(&hit.id, judged).to_string())
                .collect(),
            Err(error) if error.query_problem().is_some() => Vec::new(),
            Err(error) => return Err(error),
        };
        let scores = score_ranking(&ranked, judged);
        totals.queries_run += 1;
        totals.mrr_at_10 += scores.mrr_at_10;
        totals.ndcg_at_10 += scores.ndcg_at_10;
        totals.p_at_10 += scores.p_at_10;
        totals.recall_at_100 += scores.recall_at_100;
    }
    let n = totals.queries.max(1) as f64;
    totals.mrr_at_10 /= n;
    totals.ndcg_at_10 /= n;
    totals.p_at_10 /= n;
    totals.recall_at_100 /= n;
    Ok(totals)
}

/// The measures of one ranking against its judgements.
fn score_ranking(ranked: &[String], judged: &HashMap<String, u32>) -> EvalScores {
    let top10 = &ranked[..ranked.len().min(10)];
    let gain = |id: &String| judged.get(id).copied().unwrap_or(0) as f64;
    let discount = |i: usize| (i as f64 + 2.0).log2();
    let mrr_at_10 = top10
        .iter()
        .position(|id| judged.contains_key(id))
        .map_or(0.0, |i| 1.0 / (i as f64 + 1.0));
    let dcg: f64 = top10
        .iter()
        .enumerate()
        .map(|(i, id)| gain(id) / discount(i))
        .sum();
    let mut ideal: Vec<u32> = judged.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(10)
        .enumerate()
        .map(|(i, &g)| g as f64 / discount(i))
        .sum();
    let relevant_in = |depth: usize| {
        ranked
            .iter()
            .take(depth)
            .filter(|id| judged.contains_key(*id))
            .count() as f64
    };
    EvalScores {
        queries: 1,
        queries_run: 1,
        mrr_at_10,
        ndcg_at_10: if idcg > 0.0 { dcg / idcg } else { 0.0 },
        p_at_10: relevant_in(10) / 10.0,
        recall_at_100: relevant_in(100) / judged.len().max(1) as f64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judged(pairs: &[(&str, u32)]) -> HashMap<String, u32> {
        pairs.iter().map(|&(d, g)| (d.to_string(), g)).collect()
    }

    fn ranked(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn scores_a_ranking_like_trec_eval() {
        let scores = score_ranking(
            &ranked(&["x", "a", "y", "b"]),
            &judged(&[("a", 1), ("b", 1)]),
        );
        assert_eq!(scores.mrr_at_10, 0.5);
        assert_eq!(scores.p_at_10, 0.2);
        assert_eq!(scores.recall_at_100, 1.0);
        let dcg = 1.0 / 3f64.log2() + 1.0 / 5f64.log2();
        let idcg = 1.0 + 1.0 / 3f64.log2();
        assert!((scores.ndcg_at_10 - dcg / idcg).abs() < 1e-12);
        let nothing = score_ranking(&ranked(&["x"]), &judged(&[("a", 1)]));
        assert_eq!(nothing.mrr_at_10, 0.0);
        assert_eq!(nothing.ndcg_at_10, 0.0);
    }

    #[test]
    fn hit_ids_from_file_names_meet_qrels_ids_without_extension() {
        let j = judged(&[("arcd-000-00", 1), ("doc.v2", 1)]);
        assert_eq!(judged_id("arcd-000-00.txt", &j), "arcd-000-00");
        assert_eq!(judged_id("sub/arcd-000-00.txt", &j), "arcd-000-00");
        assert_eq!(judged_id("doc.v2", &j), "doc.v2");
    }

    #[test]
    fn reads_qrels_and_reports_bad_lines() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("qrels.txt");
        std::fs::write(&file, "q1 0 a 1\nq1 0 b 0\nq2 0 c 2\n").unwrap();
        let qrels = Qrels::read(&file).unwrap();
        assert_eq!(qrels.len(), 2);
        assert_eq!(qrels.judgements["q1"].len(), 1);
        std::fs::write(&file, "q1 0 a\n").unwrap();
        let err = Qrels::read(&file).unwrap_err().to_string();
        assert!(err.contains("line 1"), "{err}");
    }
}
