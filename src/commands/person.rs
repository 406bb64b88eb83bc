//! `fahras person NAME`: the person's card in this archive.

use std::io;
use std::path::Path;

use fahras::FahrasIndex;
use fahras::output::{json, person_card};

use super::Outcome;
use crate::cli::PersonArgs;

/// Runs `fahras person`.
pub fn run(index_dir: &Path, args: PersonArgs) -> anyhow::Result<Outcome> {
    let index = FahrasIndex::open(index_dir)?;
    let card = index.person_card(&args.name)?;
    let mut out = io::stdout().lock();
    if args.json {
        json::write_pretty(&mut out, &card)?;
    } else {
        person_card::write_person_card(&mut out, &card)?;
    }
    Ok(Outcome::found(card.articles))
}
