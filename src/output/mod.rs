//! Rendering results: for people ([`human`]) and for programs ([`json`], [`trec`], [`ids`]).

pub mod human;
pub mod ids;
pub mod json;
pub mod topics;
pub mod trec;
