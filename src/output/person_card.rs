//! `fahras person`: a person's card for people.

use std::io::{self, Write};

use crate::search::PersonCard;

/// Writes `card` as a few labelled lines (use `serde_json` for the JSON).
pub fn write_person_card(out: &mut impl Write, card: &PersonCard) -> io::Result<()> {
    writeln!(out, "{}: {} articles", card.name, card.articles)?;
    let counted = if card.counted < card.articles {
        format!(" (in the best {} articles)", card.counted)
    } else {
        String::new()
    };
    let spellings: Vec<String> = card
        .spellings
        .iter()
        .map(|s| format!("{} {}", s.spelling, s.articles))
        .collect();
    if !spellings.is_empty() {
        writeln!(out, "spellings{counted}: {}", spellings.join(", "))?;
    }
    for found in &card.discovered {
        writeln!(
            out,
            "also searched: {} for {} (the archive shows them to be one name)",
            found.spelling, found.typed
        )?;
    }
    for (label, mention) in [
        ("first mention", &card.first_mention),
        ("last mention", &card.last_mention),
    ] {
        if let Some(m) = mention {
            let date = m.date.as_deref().unwrap_or_default();
            writeln!(
                out,
                "{label}: {} {} ({})",
                &date[..date.len().min(10)],
                m.title,
                m.id
            )?;
        }
    }
    if !card.by_month.is_empty() {
        let months: Vec<String> = card
            .by_month
            .iter()
            .map(|b| format!("{} {}", b.key, b.count))
            .collect();
        writeln!(out, "by month: {}", months.join(", "))?;
    }
    if card.undated > 0 {
        writeln!(out, "undated: {}", card.undated)?;
    }
    if !card.places.is_empty() {
        let places: Vec<String> = card
            .places
            .iter()
            .map(|p| format!("{} {}", p.value, p.count))
            .collect();
        writeln!(out, "datelines: {}", places.join(", "))?;
    }
    if !card.named_with.is_empty() {
        writeln!(out, "named with: {}", card.named_with.join(" "))?;
    }
    Ok(())
}
