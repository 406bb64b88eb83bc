//! News datelines such as `دمشق-سانا`: the place a story was filed from and the agency.

/// A parsed dateline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dateline {
    /// Where the story was filed (`دمشق`).
    pub place: String,
    /// The agency (`سانا`).
    pub agency: String,
}

/// Agencies whose name alone after a place marks a dateline, in the spellings they use.
const KNOWN_AGENCIES: [&str; 14] = [
    "سانا",
    "واس",
    "وام",
    "قنا",
    "كونا",
    "بترا",
    "أ ف ب",
    "رويترز",
    "الأناضول",
    "شينخوا",
    "تاس",
    "سبوتنيك",
    "إرنا",
    "وفا",
];

/// Longest line (in chars) that can still be a dateline rather than a sentence.
const MAX_DATELINE_CHARS: usize = 40;

/// Recognizes a dateline line: `PLACE-AGENCY` (hyphen, en or em dash, spaces allowed), short,
/// with no sentence punctuation, and either a known agency or both sides of at most two words.
pub fn parse_dateline(line: &str) -> Option<Dateline> {
    let line = line.trim();
    if line.chars().count() > MAX_DATELINE_CHARS
        || line.contains(['.', '،', ':', '؛', '؟', '!', '"', '“'])
    {
        return None;
    }
    let (place, agency) = line.split_once(['-', '–', '—'])?;
    let (place, agency) = (place.trim(), agency.trim());
    if place.is_empty() || agency.is_empty() {
        return None;
    }
    let short = |s: &str| s.split_whitespace().count() <= 2;
    let known = KNOWN_AGENCIES.contains(&agency);
    if !(known || short(place) && short(agency) && agency.split_whitespace().count() == 1) {
        return None;
    }
    if !short(place) {
        return None;
    }
    Some(Dateline {
        place: place.to_string(),
        agency: agency.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dateline(place: &str, agency: &str) -> Option<Dateline> {
        Some(Dateline {
            place: place.into(),
            agency: agency.into(),
        })
    }

    #[test]
    fn sana_datelines() {
        assert_eq!(parse_dateline("غوا-سانا"), dateline("غوا", "سانا"));
        assert_eq!(parse_dateline(" دمشق - سانا "), dateline("دمشق", "سانا"));
        assert_eq!(
            parse_dateline("ريف دمشق–سانا"),
            dateline("ريف دمشق", "سانا")
        );
        assert_eq!(parse_dateline("باريس-أ ف ب"), dateline("باريس", "أ ف ب"));
    }

    #[test]
    fn headlines_and_sentences_are_not_datelines() {
        assert_eq!(
            parse_dateline("زيلينسكي يدعو إلى دعم دولي إضافي لإعادة الإعمار"),
            None
        );
        assert_eq!(parse_dateline("آسيا-الباسيفيك: تعاون، وتنسيق"), None);
        assert_eq!(parse_dateline("مباراة الذهاب - نتيجة التعادل السلبي"), None);
        assert_eq!(parse_dateline("-سانا"), None);
    }
}
