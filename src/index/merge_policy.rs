//! Which segments an ingest merges: tantivy's log merge policy, merging sooner (4 segments of
//! a size instead of 8) and with every merge kept small.
//!
//! A merge reads its segments whole, and their pages count in the ingest's resident memory, so
//! with tantivy's default policy (a merge of up to 10 million documents) the peak memory of an
//! ingest grew with the corpus: 1.1 GiB for 300,000 articles. Here a merge takes at most
//! [`MAX_MERGE_DOCS`] documents, and a segment that large is not merged again: the peak stays
//! the same however many articles come in, and a large index is a few segments of that size.
//!
//! Every commit also leaves a small segment per indexing thread (what it held when the
//! commit came): these tails are merged together at once, since each segment costs every
//! query a term lookup per query term.
//!
//! The end of an ingest settles the layout ([`BoundedMergePolicy::finishing`]): the segments
//! that may still be merged (fewer than half of [`MAX_MERGE_DOCS`] documents) are merged
//! together, in merges of at most [`MAX_MERGE_DOCS`], until at most one is left. Which
//! segments the two rules above merge during an ingest depends on how the indexing threads
//! split the articles (segments of 25,000 and 25,000 are of a size, 36,000 and 14,000 are
//! not): an ingest of 101,610 articles ended with 2 segments or 5, its queries costing 25%
//! more instructions with 5. Settled, it always ends with 2 (100,000 and 1,610), and an
//! ingest of `n` articles with at most `n / (MAX_MERGE_DOCS / 2) + 1` segments. An index of
//! fewer than [`MAX_MERGE_DOCS`] / [`TAIL_RATIO`] articles keeps a segment per indexing thread
//! (plus one of later small ingests), as one commit leaves them: merging the two of 10,161
//! articles cost 2.1 billion instructions, 28% more for the ingest, for 10% fewer per query.

use std::collections::{HashMap, HashSet};

use tantivy::index::{SegmentId, SegmentMeta};
use tantivy::indexer::{LogMergePolicy, MergeCandidate, MergePolicy};

/// The most documents a merge takes in, together.
pub const MAX_MERGE_DOCS: u32 = 100_000;

/// Segments of about the same size are merged once there are this many (tantivy: 8): a
/// query looks each of its terms up in every segment, and an index is queried far more often
/// than it is written.
const MIN_MERGE_SEGMENTS: usize = 4;

/// A segment with fewer than 1/`TAIL_RATIO` of the documents of the largest is a tail.
const TAIL_RATIO: u32 = 8;

/// [`LogMergePolicy`] (segments of about the same size merged once there are
/// [`MIN_MERGE_SEGMENTS`] of them),
/// and any two tails or more (segments [`TAIL_RATIO`] times smaller than the largest), each
/// merge split into merges of at most [`MAX_MERGE_DOCS`] documents.
#[derive(Debug)]
pub struct BoundedMergePolicy {
    levels: LogMergePolicy,
    max_merge_docs: u32,
    /// The end of an ingest, and how many segments a small index keeps (see
    /// [`Self::finishing`]).
    finishing: Option<usize>,
}

impl Default for BoundedMergePolicy {
    fn default() -> BoundedMergePolicy {
        BoundedMergePolicy::new(MAX_MERGE_DOCS)
    }
}

impl BoundedMergePolicy {
    /// A policy whose merges take at most `max_merge_docs` documents.
    pub fn new(max_merge_docs: u32) -> BoundedMergePolicy {
        let mut levels = LogMergePolicy::default();
        // a segment of half the bound or more could only be merged with smaller ones
        levels.set_max_docs_before_merge(max_merge_docs as usize / 2);
        levels.set_min_num_segments(MIN_MERGE_SEGMENTS);
        BoundedMergePolicy {
            levels,
            max_merge_docs,
            finishing: None,
        }
    }

    /// The policy for the last commit of an ingest: the segments of fewer than half
    /// `max_merge_docs` documents (those the ingest could still merge) are merged, largest
    /// first, in merges of at most `max_merge_docs` documents, until one at most is left.
    /// In a small index (those segments hold fewer than 1/[`TAIL_RATIO`] of
    /// `max_merge_docs` together, and none is larger) the `kept` largest stay as they are
    /// (one per indexing thread: what one commit leaves) and the others are merged.
    pub fn finishing(max_merge_docs: u32, kept: usize) -> BoundedMergePolicy {
        BoundedMergePolicy {
            finishing: Some(kept),
            ..BoundedMergePolicy::new(max_merge_docs)
        }
    }
}

impl BoundedMergePolicy {
    /// `segments` (largest first) as merges of at most `max_merge_docs` documents, each of two
    /// segments or more.
    fn bounded(&self, segments: Vec<&SegmentMeta>, merges: &mut Vec<MergeCandidate>) {
        let mut merge: Vec<SegmentId> = Vec::new();
        let mut merge_docs = 0;
        for segment in segments {
            if merge_docs + segment.num_docs() > self.max_merge_docs {
                if merge.len() > 1 {
                    merges.push(MergeCandidate(std::mem::take(&mut merge)));
                }
                merge.clear();
                merge_docs = 0;
            }
            merge.push(segment.id());
            merge_docs += segment.num_docs();
        }
        if merge.len() > 1 {
            merges.push(MergeCandidate(merge));
        }
    }
}

impl MergePolicy for BoundedMergePolicy {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let mut merges = Vec::new();
        if let Some(kept) = self.finishing {
            let mut open: Vec<&SegmentMeta> = segments
                .iter()
                .filter(|segment| segment.num_docs() < self.max_merge_docs / 2)
                .collect();
            open.sort_by_key(|segment| std::cmp::Reverse(segment.num_docs()));
            let open_docs: u32 = open.iter().map(|segment| segment.num_docs()).sum();
            let small =
                open.len() == segments.len() && open_docs < self.max_merge_docs / TAIL_RATIO;
            let merged = if small {
                open.get(kept..).unwrap_or_default()
            } else {
                &open
            };
            self.bounded(merged.to_vec(), &mut merges);
            return merges;
        }
        let by_id: HashMap<SegmentId, &SegmentMeta> = segments
            .iter()
            .map(|segment| (segment.id(), segment))
            .collect();
        for MergeCandidate(ids) in self.levels.compute_merge_candidates(segments) {
            let mut level: Vec<&SegmentMeta> = ids.iter().map(|id| by_id[id]).collect();
            level.sort_by_key(|segment| std::cmp::Reverse(segment.num_docs()));
            self.bounded(level, &mut merges);
        }
        let merging: HashSet<SegmentId> = merges
            .iter()
            .flat_map(|MergeCandidate(ids)| ids.iter().copied())
            .collect();
        let largest = segments
            .iter()
            .map(SegmentMeta::num_docs)
            .max()
            .unwrap_or(0);
        let mut tails: Vec<&SegmentMeta> = segments
            .iter()
            .filter(|segment| {
                segment.num_docs().saturating_mul(TAIL_RATIO) < largest
                    && !merging.contains(&segment.id())
            })
            .collect();
        tails.sort_by_key(|segment| std::cmp::Reverse(segment.num_docs()));
        self.bounded(tails, &mut merges);
        merges
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::Index;
    use tantivy::schema::Schema;

    /// Segment metas of these sizes, as an index would list them.
    fn segments(sizes: &[u32]) -> Vec<SegmentMeta> {
        let index = Index::create_in_ram(Schema::builder().build());
        sizes
            .iter()
            .map(|&size| index.new_segment_meta(SegmentId::generate_random(), size))
            .collect()
    }

    /// The documents each proposed merge takes in, largest first.
    fn merge_sizes(policy: &BoundedMergePolicy, segments: &[SegmentMeta]) -> Vec<u32> {
        let docs: HashMap<SegmentId, u32> =
            segments.iter().map(|s| (s.id(), s.num_docs())).collect();
        let mut sizes: Vec<u32> = policy
            .compute_merge_candidates(segments)
            .iter()
            .map(|MergeCandidate(ids)| ids.iter().map(|id| docs[id]).sum())
            .collect();
        sizes.sort_unstable_by(|a, b| b.cmp(a));
        sizes
    }

    #[test]
    fn eight_segments_of_a_size_merge_in_merges_of_at_most_the_bound() {
        let policy = BoundedMergePolicy::default();
        // what two indexing threads leave after 200,000 articles: 8 segments of 25,000
        let merges = merge_sizes(&policy, &segments(&[25_000; 8]));
        assert_eq!(merges, [100_000, 100_000]);
    }

    #[test]
    fn four_segments_of_a_size_merge() {
        let policy = BoundedMergePolicy::default();
        assert_eq!(merge_sizes(&policy, &segments(&[900; 4])), [3_600]);
        // fewer than 4 of a size: no merge
        assert!(merge_sizes(&policy, &segments(&[900; 3])).is_empty());
    }

    #[test]
    fn the_tails_a_commit_leaves_are_merged_together() {
        let policy = BoundedMergePolicy::default();
        let merges = merge_sizes(&policy, &segments(&[26_900, 25_577, 24_423, 831, 779]));
        assert_eq!(merges, [1_610]);
        // four segments of a size merge, and the tails beside them
        let merges = merge_sizes(
            &policy,
            &segments(&[26_900, 25_577, 24_423, 23_100, 831, 779]),
        );
        assert_eq!(merges, [100_000, 1_610]);
        // two segments of about the same size are no tails
        assert!(merge_sizes(&policy, &segments(&[5_200, 4_961])).is_empty());
        assert!(merge_sizes(&policy, &segments(&[26_900, 831])).is_empty());
    }

    #[test]
    fn the_end_of_an_ingest_leaves_one_segment_under_half_the_bound_however_the_threads_split() {
        let policy = BoundedMergePolicy::finishing(MAX_MERGE_DOCS, 2);
        // 101,610 articles: four segments of a size, or not of a size, and the tails
        assert_eq!(
            merge_sizes(
                &policy,
                &segments(&[25_577, 24_423, 26_900, 23_100, 831, 779])
            ),
            [100_000, 1_610]
        );
        let uneven = segments(&[36_000, 14_000, 26_900, 23_100, 831, 779]);
        assert_eq!(merge_sizes(&policy, &uneven), [100_000, 1_610]);
        // (during the ingest, only the tails were merged)
        assert_eq!(
            merge_sizes(&BoundedMergePolicy::default(), &uneven),
            [1_610]
        );
        // the last merge of those at the end, and the segments of half the bound stay
        assert_eq!(
            merge_sizes(&policy, &segments(&[100_000, 60_000, 30_000, 1_610])),
            [31_610]
        );
        assert!(merge_sizes(&policy, &segments(&[100_000, 60_000, 31_610])).is_empty());
        // a small index keeps its segment per thread, however they split, and merges the
        // segments of later small ingests
        assert!(merge_sizes(&policy, &segments(&[5_287, 4_874])).is_empty());
        assert!(merge_sizes(&policy, &segments(&[9_200, 961])).is_empty());
        assert_eq!(
            merge_sizes(&policy, &segments(&[5_287, 4_874, 50, 40, 30])),
            [120]
        );
        // beside a large segment, or together not small, they are merged
        assert_eq!(
            merge_sizes(&policy, &segments(&[100_000, 5_287, 4_874])),
            [10_161]
        );
        assert_eq!(merge_sizes(&policy, &segments(&[8_000, 7_000])), [15_000]);
    }

    #[test]
    fn segments_of_half_the_bound_or_more_are_never_merged_again() {
        let policy = BoundedMergePolicy::default();
        assert!(merge_sizes(&policy, &segments(&[100_000; 12])).is_empty());
        assert!(merge_sizes(&policy, &segments(&[60_000; 12])).is_empty());
        // and a merge never leaves one segment alone as a "merge"
        let merges = merge_sizes(&policy, &segments(&[40_000; 9]));
        assert!(merges.iter().all(|&docs| docs == 80_000), "{merges:?}");
    }
}
