//! Rendering results: for people ([`human`]) and for programs ([`json`], [`trec`], [`ids`]).

pub mod aliases;
pub mod human;
pub mod ids;
pub mod json;
pub mod person_card;
pub mod topics;
pub mod trec;
