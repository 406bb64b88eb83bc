//! `aliases.json`, beside the index: spellings of one name that no folding rule can meet
//! (`ديشان`/`ديشامب`, `غوتيريش`/`غوتيريس`, `أبو مازن`/`محمود عباس`), which the user edits with
//! `fahras aliases` or by hand. Queries read it each time, so a change needs no re-ingest.
//!
//! ```json
//! { "aliases": [["ديشان", "ديشامب"], ["غوتيريش", "غوتيريس"]] }
//! ```

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::analysis::name_key::query_name_words;
use crate::analysis::stopwords::QUERY_STOP_WORDS;
use crate::error::{Error, Result};

/// File name of the aliases inside the index folder.
pub const ALIASES_FILE: &str = "aliases.json";

/// Groups of spellings of one name each, as the user wrote them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Aliases {
    /// Each group: two or more spellings of one name.
    pub aliases: Vec<Vec<String>>,
}

/// How a spelling is compared: its normalized words (compounds joined), so `عبد الله` and
/// `عبدالله`, `أولاند` and `اولاند` are the same entry.
fn comparable(spelling: &str) -> Vec<String> {
    query_name_words(spelling)
        .into_iter()
        .map(|word| word.replace(' ', ""))
        .collect()
}

/// True when `spelling` can be an alias: it has a word that is not a stop word (not only
/// punctuation, digits dropped by the analyzer, or function words such as `في`).
fn is_name(spelling: &str) -> bool {
    comparable(spelling)
        .iter()
        .any(|word| !QUERY_STOP_WORDS.contains(&word.as_str()))
}

impl Aliases {
    /// The path of the aliases file of the index at `dir`.
    pub fn path(dir: &Path) -> PathBuf {
        dir.join(ALIASES_FILE)
    }

    /// Reads the aliases of the index at `dir`; none when there is no file.
    pub fn load(dir: &Path) -> Result<Aliases> {
        let path = Aliases::path(dir);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Aliases::default()),
            Err(e) => return Err(Error::io(path, e)),
        };
        serde_json::from_str(&text).map_err(|error| Error::Json {
            path,
            line: None,
            error,
        })
    }

    /// Writes the aliases atomically (temporary file, then rename).
    pub fn save(&self, dir: &Path) -> Result<()> {
        let path = Aliases::path(dir);
        let temporary = dir.join(format!("{ALIASES_FILE}.tmp"));
        let text = serde_json::to_string_pretty(self).expect("aliases serialize");
        std::fs::write(&temporary, text + "\n").map_err(|e| Error::io(&temporary, e))?;
        std::fs::rename(&temporary, &path).map_err(|e| Error::io(&path, e))
    }

    /// Makes `spellings` aliases of each other: they join the group one of them is in (groups
    /// they link are merged), or form a new one. Returns false when nothing changed; refuses a
    /// spelling that is no name, and spellings that are all the same entry.
    pub fn add(&mut self, spellings: &[String]) -> Result<bool> {
        if let Some(bad) = spellings.iter().find(|s| !is_name(s)) {
            return Err(Error::BadAlias {
                spelling: bad.clone(),
                reason: "is no name (only punctuation, numbers or function words); give each \
                         spelling as the articles write it",
            });
        }
        if let Some(first) = spellings.first()
            && spellings.iter().all(|s| comparable(s) == comparable(first))
        {
            return Err(Error::BadAlias {
                spelling: first.clone(),
                reason: "and its alias are the same spelling once normalized; give two \
                         different spellings",
            });
        }
        let keys: Vec<Vec<String>> = spellings.iter().map(|s| comparable(s)).collect();
        let (linked, mut others): (Vec<Vec<String>>, Vec<Vec<String>>) =
            std::mem::take(&mut self.aliases)
                .into_iter()
                .partition(|group| {
                    group
                        .iter()
                        .any(|member| keys.contains(&comparable(member)))
                });
        let mut merged: Vec<String> = linked.into_iter().flatten().collect();
        let before = merged.len();
        for spelling in spellings {
            if !merged.iter().any(|m| comparable(m) == comparable(spelling)) {
                merged.push(spelling.trim().to_string());
            }
        }
        let changed = merged.len() != before;
        if merged.len() >= 2 {
            others.push(merged);
        }
        self.aliases = others;
        Ok(changed)
    }

    /// Removes `spelling` from its group (a group left with one spelling goes). Returns false
    /// when it was not there.
    pub fn remove(&mut self, spelling: &str) -> bool {
        let key = comparable(spelling);
        let mut removed = false;
        for group in &mut self.aliases {
            let before = group.len();
            group.retain(|member| comparable(member) != key);
            removed |= group.len() != before;
        }
        self.aliases.retain(|group| group.len() >= 2);
        removed
    }

    /// The group `spelling` is in, if any.
    pub fn group_of(&self, spelling: &str) -> Option<&[String]> {
        let key = comparable(spelling);
        self.aliases
            .iter()
            .find(|group| group.iter().any(|member| comparable(member) == key))
            .map(Vec::as_slice)
    }

    /// The other spellings of `name` (its normalized words, as `query_name_words` gives
    /// them), each as its normalized words, compounds joined.
    pub fn alternatives(&self, name: &[String]) -> Vec<Vec<String>> {
        let name: Vec<String> = name.iter().map(|word| word.replace(' ', "")).collect();
        let mut out: Vec<Vec<String>> = Vec::new();
        for group in &self.aliases {
            let members: Vec<Vec<String>> = group.iter().map(|m| comparable(m)).collect();
            if members.contains(&name) {
                for member in members {
                    if member != name && !out.contains(&member) {
                        out.push(member);
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn adding_links_groups_and_removing_drops_lonely_spellings() {
        let mut aliases = Aliases::default();
        assert!(aliases.add(&strings(&["ديشان", "ديشامب"])).unwrap());
        assert!(!aliases.add(&strings(&["ديشامب", "دِيشان"])).unwrap());
        assert!(aliases.add(&strings(&["هولاند", "أولاند"])).unwrap());
        assert!(aliases.add(&strings(&["ديشامب", "ديشون"])).unwrap());
        assert_eq!(aliases.aliases.len(), 2);
        assert_eq!(
            aliases.alternatives(&comparable("اولاند")),
            [comparable("هولاند")]
        );
        assert!(aliases.remove("ديشون"));
        assert!(aliases.remove("هولاند"));
        assert!(!aliases.remove("هولاند"));
        assert_eq!(aliases.aliases, [strings(&["ديشان", "ديشامب"])]);
    }

    #[test]
    fn compounds_are_one_entry_written_joined_or_apart() {
        let mut aliases = Aliases::default();
        aliases.add(&strings(&["أبو مازن", "محمود عباس"])).unwrap();
        assert_eq!(
            aliases.alternatives(&comparable("ابومازن")),
            [comparable("محمود عباس")]
        );
    }

    #[test]
    fn saved_and_loaded_beside_the_index() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Aliases::load(dir.path()).unwrap(), Aliases::default());
        let mut aliases = Aliases::default();
        aliases.add(&strings(&["ديشان", "ديشامب"])).unwrap();
        aliases.save(dir.path()).unwrap();
        assert_eq!(Aliases::load(dir.path()).unwrap(), aliases);
        std::fs::write(Aliases::path(dir.path()), "{ not json").unwrap();
        let error = Aliases::load(dir.path()).unwrap_err().to_string();
        assert!(error.contains("aliases.json"), "{error}");
    }
}
