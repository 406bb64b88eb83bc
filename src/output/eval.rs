//! `fahras eval`: a ranking's scores on a test collection.

use std::io::{self, Write};

use crate::search::EvalScores;

/// Writes the scores on one line: MRR@10, nDCG@10, P@10, recall at 100, and how many judged
/// queries there were and were run.
pub fn write_scores(out: &mut dyn Write, scores: &EvalScores) -> io::Result<()> {
    writeln!(
        out,
        "MRR@10 {:.4}  nDCG@10 {:.4}  P@10 {:.4}  R@100 {:.4}  ({} judged queries, {} run)",
        scores.mrr_at_10,
        scores.ndcg_at_10,
        scores.p_at_10,
        scores.recall_at_100,
        scores.queries,
        scores.queries_run
    )
}
