//! Evaluation: query files ([`batch`]) and scoring the hits against relevance judgements
//! ([`scoring`]), for `fahras batch` and `fahras eval`.

pub(super) mod batch;
pub(super) mod scoring;
