//! The forms a term was written in, so a term is shown as readers know it (`الترجي`), not as
//! the index stores it (`ترج`).

use std::collections::HashMap;

/// For each term, how often each original spelling produced it.
#[derive(Debug, Default)]
pub(crate) struct SurfaceForms {
    forms: HashMap<String, HashMap<String, u32>>,
}

impl SurfaceForms {
    /// Notes that `written` (a word as the text has it) gave `term`.
    pub(crate) fn add(&mut self, term: &str, written: &str) {
        let forms = match self.forms.get_mut(term) {
            Some(forms) => forms,
            None => self.forms.entry(term.to_string()).or_default(),
        };
        match forms.get_mut(written) {
            Some(count) => *count += 1,
            None => {
                forms.insert(written.to_string(), 1);
            }
        }
    }

    /// The most frequent spelling of `term` (ties: the shortest, then the first in order),
    /// or the term itself when it was never seen.
    pub(crate) fn most_common<'a>(&'a self, term: &'a str) -> &'a str {
        self.forms
            .get(term)
            .and_then(|forms| {
                forms.iter().max_by(|(a, m), (b, n)| {
                    m.cmp(n)
                        .then_with(|| b.chars().count().cmp(&a.chars().count()))
                        .then_with(|| b.cmp(a))
                })
            })
            .map_or(term, |(written, _)| written.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_frequent_spelling_wins_then_the_shortest() {
        let mut forms = SurfaceForms::default();
        for written in ["والترجي", "الترجي", "الترجي", "للترجي"] {
            forms.add("ترج", written);
        }
        assert_eq!(forms.most_common("ترج"), "الترجي");
        forms.add("زيار", "زيارة");
        forms.add("زيار", "الزيارة");
        assert_eq!(forms.most_common("زيار"), "زيارة");
        assert_eq!(forms.most_common("غائب"), "غائب");
    }
}
