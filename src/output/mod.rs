//! Rendering results: for people ([`human`], and one module per command with output of its
//! own) and for programs ([`json`], [`trec`], [`ids`]). The commands of `src/commands/` only
//! choose a printer.

pub mod aliases;
pub mod analyze;
pub mod eval;
pub mod human;
pub mod ids;
pub mod json;
pub mod person_card;
pub mod topics;
pub mod trec;
