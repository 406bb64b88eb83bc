//! The precision guard of name folding, measured on an index: how many words of the index
//! share a name key with another word, how many of those the vowel guard lets through, and
//! how many a person query would then look up at full variant weight (not word-like).
//!
//! ```text
//! cargo run --release --example name_collisions -- INDEX [WORD…]
//! ```
//!
//! With words, lists what a `person:` query for each looks up instead. Used for the persons
//! figures of docs/RELEVANCE.md (on ANT JawharaFM).

use std::path::Path;

use fahras::FahrasIndex;
use fahras::analysis::{normalize, plausible_variant};
use fahras::index::aliases::Aliases;
use fahras::search::{NameLookup, VARIANT_WEIGHT};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(index_dir) = args.first() else {
        anyhow::bail!("usage: name_collisions INDEX [WORD…]");
    };
    let index = FahrasIndex::open(Path::new(index_dir))?;
    let searcher = index.reader()?.searcher();
    let aliases = Aliases::default();
    let names = NameLookup::new(&searcher, index.fields(), &aliases);
    if args.len() > 1 {
        for word in &args[1..] {
            let variants = names.variants(&normalize(word))?;
            let listed: Vec<String> = variants
                .iter()
                .map(|v| format!("{} ({})", v.spelling(), v.weight))
                .collect();
            println!("{word}\t{}", listed.join(" "));
        }
        return Ok(());
    }
    let vocabulary = names.vocabulary()?;
    let spellings: usize = vocabulary.values().map(|s| s.len()).sum();
    let mut sharing = 0;
    let mut plausible = 0;
    let mut full_weight = 0;
    let mut pulled_in = 0;
    for group in vocabulary.values().filter(|g| g.len() > 1) {
        sharing += group.len();
        for word in group {
            if !group
                .iter()
                .any(|other| other != word && plausible_variant(word, other))
            {
                continue;
            }
            plausible += 1;
            let variants = names.variants(word)?;
            let full = variants
                .iter()
                .filter(|v| v.weight >= VARIANT_WEIGHT)
                .count();
            if full > 0 {
                full_weight += 1;
            }
            pulled_in += full;
        }
    }
    let share = |n: usize| 100.0 * n as f64 / spellings as f64;
    println!("spellings (words and their clitic-free readings) in the name field: {spellings}");
    println!("keys: {}", vocabulary.len());
    println!(
        "share a key with another spelling: {sharing} ({:.1}%)",
        share(sharing)
    );
    println!(
        "... and one of those passes the vowel guard: {plausible} ({:.1}%)",
        share(plausible)
    );
    println!(
        "... at full variant weight (not word-like): {full_weight} ({:.1}%), {:.2} spellings each",
        share(full_weight),
        pulled_in as f64 / full_weight.max(1) as f64
    );
    Ok(())
}
