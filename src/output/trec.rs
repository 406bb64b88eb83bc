//! TREC run files (`qid Q0 docid rank score tag`), for scoring fahras like any IR system.

use std::io::{self, Write};

use crate::search::Hit;

/// Writes the hits of one query as TREC run lines.
pub fn write_trec_run(out: &mut dyn Write, qid: &str, hits: &[Hit], tag: &str) -> io::Result<()> {
    for hit in hits {
        writeln!(
            out,
            "{qid} Q0 {} {} {:.6} {tag}",
            hit.id, hit.rank, hit.score
        )?;
    }
    Ok(())
}
