//! Rendering results: for people ([`human`]) and for programs ([`json`], [`trec`]).

pub mod aliases;
pub mod human;
pub mod json;
pub mod person_card;
pub mod topics;
pub mod trec;
