//! Rendering results: for people ([`human`]) and for programs ([`json`], [`trec`]).

pub mod breakdown;
pub mod human;
pub mod json;
pub mod trec;
