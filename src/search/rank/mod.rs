//! Ranking: the order of the hits once the first stage has decided what matches.
//!
//! [`rerank`] is the second ranking stage (it only reorders the first stage's best hits),
//! with the answer cues of questions from [`answer`]; [`sort`] orders by relevance or by
//! publication date; [`top_union`] is the first stage of a plain query in relevance order,
//! pruned.

mod answer;
pub(super) mod rerank;
pub(super) mod sort;
pub(super) mod top_union;
