//! `fahras aliases add|remove|list|suggest`: spellings of one name that no rule folds.

use std::io;
use std::path::Path;

use fahras::FahrasIndex;
use fahras::index::aliases::Aliases;
use fahras::output::{aliases as printer, json};

use super::Outcome;
use crate::cli::AliasAction;

/// Runs one `fahras aliases` action on the aliases.json of the index at `index_dir`.
pub fn run(index_dir: &Path, action: AliasAction) -> anyhow::Result<Outcome> {
    // Opening the index checks it is one (aliases beside a typo'd folder would be lost).
    let index = FahrasIndex::open(index_dir)?;
    let mut aliases = Aliases::load(index_dir)?;
    let mut out = io::stdout().lock();
    match action {
        AliasAction::Add { spellings } => {
            if aliases.add(&spellings)? {
                aliases.save(index_dir)?;
            }
            if let Some(group) = aliases.group_of(&spellings[0]) {
                printer::write_alias_group(&mut out, group)?;
            }
        }
        AliasAction::Remove { spelling } => {
            if !aliases.remove(&spelling) {
                anyhow::bail!(
                    "`{spelling}` is not an alias in {}; `fahras aliases list` shows them",
                    Aliases::path(index_dir).display()
                );
            }
            aliases.save(index_dir)?;
        }
        AliasAction::Suggest {
            name,
            all,
            min_articles,
            limit,
            json,
        } => {
            let suggestions = match name {
                Some(name) if !all => index.suggest_aliases(&name)?,
                _ => index.suggest_all_aliases(min_articles, limit)?,
            };
            printer::write_alias_suggestions(&mut out, &suggestions, json)?;
            if suggestions.is_empty() {
                return Ok(Outcome::NoHits);
            }
        }
        AliasAction::List { json: true } => json::write_pretty(&mut out, &aliases)?,
        AliasAction::List { json: false } => {
            for group in &aliases.aliases {
                printer::write_alias_group(&mut out, group)?;
            }
        }
    }
    Ok(Outcome::Success)
}
