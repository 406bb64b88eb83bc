//! The reading tables: for each distinct word of the headline and text fields, what it
//! stands for, inverted — a stem or a name spelling → the words of the index that have it.
//!
//! The index stores each word once, as the exact analyzer writes it. Its readings are
//! functions of the word alone (see `analysis`): the light stems of its clitic readings and
//! its Snowball stem ([`index_stems`]), and its name spellings ([`surface_spellings`], each
//! under its [`name_key`]). So they are computed once per word of the vocabulary (the
//! segments' term dictionaries), never per occurrence, at the end of each ingest, and
//! again when [`RULES_VERSION`] differs from the one the tables were built with: a change
//! to a stemming or name rule needs no new ingest.
//!
//! A query word's reading is then the set of words that share it, searched in the text
//! fields (see `search::reading_query`).
//!
//! The tables are one file, [`READINGS_FILE`], written atomically (temporary file, then
//! rename): the words (sorted, by ordinal), then two tables, stems and name spellings, each
//! the lists of word ordinals and an index from each key to its list (an `fst` map for the
//! stems, a sorted table for the name spellings, see [`KeyIndex`]). A spelling's key is its
//! name term (`key|spelling`), so the spellings of a key are one range of its index.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{Arc, Mutex};

use tantivy::directory::OwnedBytes;
use tantivy::postings::BlockSegmentPostings;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::termdict::TermMerger;
use tantivy::{Directory, Searcher, Term};
use tantivy_fst::raw::Fst;
use tantivy_fst::{IntoStreamer, Map, MapBuilder, Streamer};
use tantivy_sstable::{Dictionary, MonotonicU64SSTable, SSTable};

use crate::analysis::name_key::{name_term_prefix, split_name_term, surface_spellings};
use crate::analysis::{RULES_VERSION, index_stems, name_term};
use crate::error::{Error, Result};

use super::Fields;

/// File name of the reading tables inside the index folder.
pub const READINGS_FILE: &str = "readings.bin";

/// The first bytes of the file (and the version of its layout).
const MAGIC: &[u8; 8] = b"FHRSRD04";

/// The file's header: [`MAGIC`], the rules version, the segments' signature.
const HEADER_LEN: usize = 20;

/// Whether the file starting with `header` holds the tables of what `searcher` reads, by the
/// rules of this build, as far as its header says.
fn header_is_current(header: &[u8], searcher: &Searcher) -> bool {
    let (Some(magic), Some(rules), Some(segments)) = (
        header.get(..8),
        header.get(8..12),
        header.get(12..HEADER_LEN),
    ) else {
        return false;
    };
    let rules = u32::from_le_bytes(rules.try_into().expect("four bytes"));
    let segments = u64::from_le_bytes(segments.try_into().expect("eight bytes"));
    magic == MAGIC && rules == RULES_VERSION && segments == segments_signature(searcher)
}

/// What an index folder holds as the reading tables of what a searcher reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SavedReadings {
    /// Current tables, which were read.
    Current,
    /// None, or those of another commit, other rules or another layout of the file.
    Outdated,
    /// A file whose header says it holds current tables but whose tables cannot be read
    /// (cut short, or damaged).
    Unreadable,
}

/// The tables kept in this process: those of the last few commits read.
static REMEMBERED: Mutex<Vec<Arc<Readings>>> = Mutex::new(Vec::new());

/// The kept tables of the segments `signature` by this build's rules.
fn remembered(signature: u64) -> Option<Arc<Readings>> {
    let kept = REMEMBERED.lock().unwrap_or_else(|e| e.into_inner());
    kept.iter()
        .find(|r| r.segments == signature && r.rules == RULES_VERSION)
        .map(Arc::clone)
}

/// Keeps `readings` for [`Readings::of`] (the last 8).
fn remember(readings: Readings) -> Arc<Readings> {
    const KEPT: usize = 8;
    let readings = Arc::new(readings);
    let mut kept = REMEMBERED.lock().unwrap_or_else(|e| e.into_inner());
    if kept.len() >= KEPT {
        kept.remove(0);
    }
    kept.push(Arc::clone(&readings));
    readings
}

/// The reading tables of one index.
pub struct Readings {
    /// The [`RULES_VERSION`] they were built with.
    rules: u32,
    /// Which segments' vocabulary they hold ([`segments_signature`]).
    segments: u64,
    /// Start of each word in `word_bytes`, and the end of the last.
    word_starts: Vec<u32>,
    word_bytes: Shared,
    /// Stem → the words one of whose [`index_stems`] it is.
    stems: Table,
    /// Name term (`key|spelling`, see [`name_term`]) → the words with that spelling among
    /// their [`surface_spellings`]; the spellings of a key are one range of it. Its keys are
    /// a sorted table ([`KeyIndex::Sorted`]).
    names: Table,
}

/// One kind of reading: each key with the ordinals of the words that have it.
struct Table {
    /// Lists of word ordinals in increasing order, each its length then the first ordinal
    /// and the differences to the next, as varints (LEB128): 1.2 bytes an entry where four
    /// bytes took 1.8 of the 5.4 MB of ANT JawharaFM's tables.
    lists: Shared,
    /// Key → start of its list in `lists`.
    keys: KeyIndex,
}

/// How a table finds a key's list.
enum KeyIndex {
    /// An `fst` map: the fastest lookup (0.3 µs), for the stems, which every query word asks.
    Fst(Map<Shared>),
    /// A sorted table of keys in blocks, each key written as what it shares with the one
    /// before and the rest (tantivy's sstable, as its term dictionaries can be), for the
    /// name terms: `key|spelling` share little after the key, so their `fst` was 1.8 of the
    /// 4.4 MB of ANT JawharaFM's tables and took 86 ms to build, alone on one core at the
    /// end of each ingest; sorted, 1.3 MB and 6 ms, a lookup 1.1 µs instead of 0.5.
    Sorted(Dictionary<MonotonicU64SSTable>, OwnedBytes),
}

/// Which [`KeyIndex`] a table is built or read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyKind {
    Fst,
    Sorted,
}

/// Keys of a [`KeyIndex::Sorted`] block: small blocks, as its lookups read a block each.
const SORTED_BLOCK_BYTES: usize = 512;

impl KeyIndex {
    /// The value of `key` (the start of its list).
    fn get(&self, key: &[u8]) -> Option<u64> {
        match self {
            KeyIndex::Fst(map) => map.get(key),
            KeyIndex::Sorted(dictionary, _) => dictionary.get(key).ok().flatten(),
        }
    }

    /// Calls `each` with every key from `from` (included) to `to` (excluded), in order, and
    /// its value.
    fn for_each_in(&self, from: &[u8], to: &[u8], mut each: impl FnMut(&[u8], u64)) {
        match self {
            KeyIndex::Fst(map) => {
                let mut stream = map.range().ge(from).lt(to).into_stream();
                while let Some((key, value)) = stream.next() {
                    each(key, value);
                }
            }
            KeyIndex::Sorted(dictionary, _) => {
                let Ok(mut stream) = dictionary.range().ge(from).lt(to).into_stream() else {
                    return;
                };
                while stream.advance() {
                    each(stream.key(), *stream.value());
                }
            }
        }
    }

    /// How many keys.
    fn len(&self) -> usize {
        match self {
            KeyIndex::Fst(map) => map.len(),
            KeyIndex::Sorted(dictionary, _) => dictionary.num_terms(),
        }
    }

    /// Bytes [`Self::append_to`] writes.
    fn byte_len(&self) -> usize {
        match self {
            KeyIndex::Fst(map) => map.as_fst().size(),
            KeyIndex::Sorted(_, bytes) => bytes.len(),
        }
    }

    /// Appends the index's bytes to `out`.
    fn append_to(&self, out: &mut Vec<u8>) {
        match self {
            KeyIndex::Fst(map) => out.extend_from_slice(&map.as_fst().to_vec()),
            KeyIndex::Sorted(_, bytes) => out.extend_from_slice(bytes.as_slice()),
        }
    }
}

/// Bytes of the tables, shared: the tables read from [`READINGS_FILE`] stay in the bytes read,
/// instead of a copy of each part (4.4 MB for ANT JawharaFM, copied by every process that
/// opens the index).
#[derive(Clone)]
struct Shared {
    bytes: Arc<Vec<u8>>,
    range: std::ops::Range<usize>,
}

impl Shared {
    fn whole(bytes: Vec<u8>) -> Shared {
        Shared {
            range: 0..bytes.len(),
            bytes: Arc::new(bytes),
        }
    }
}

impl std::ops::Deref for Shared {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.bytes[self.range.clone()]
    }
}

impl Table {
    /// The table of `pairs` (key, word ordinal), in any order, its keys found by a
    /// [`KeyIndex`] of `kind`.
    fn build(mut pairs: Vec<(Vec<u8>, u32)>, kind: KeyKind) -> Result<Table> {
        pairs.sort_unstable();
        let mut keys = KeyBuilder::new(kind)?;
        let mut lists: Vec<u8> = Vec::with_capacity(pairs.len() * 2);
        let mut i = 0;
        while i < pairs.len() {
            let start = lists.len();
            let mut j = i;
            while j < pairs.len() && pairs[j].0 == pairs[i].0 {
                j += 1;
            }
            push_varint(&mut lists, (j - i) as u32);
            let mut previous = 0;
            for (_, ordinal) in &pairs[i..j] {
                // sorted by key, then ordinal: the differences are never negative
                push_varint(&mut lists, ordinal - previous);
                previous = *ordinal;
            }
            keys.insert(&pairs[i].0, start as u64)?;
            i = j;
        }
        Ok(Table {
            lists: Shared::whole(lists),
            keys: keys.finish()?,
        })
    }

    /// Appends the table to `out` as [`Self::parse`] reads it.
    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&(self.lists.len() as u32).to_le_bytes());
        out.extend_from_slice(&self.lists);
        out.extend_from_slice(&(self.keys.byte_len() as u32).to_le_bytes());
        self.keys.append_to(out);
    }

    /// The table [`Self::write`] wrote, its keys in a [`KeyIndex`] of `kind`.
    fn parse(reader: &mut ByteReader, kind: KeyKind) -> Option<Table> {
        let list_len = reader.u32()? as usize;
        let lists = reader.shared(list_len)?;
        let keys_len = reader.u32()? as usize;
        let keys = if kind == KeyKind::Sorted {
            // a copy (1.3 MB for ANT JawharaFM): the sorted table reads only `OwnedBytes`
            let bytes = OwnedBytes::new(reader.take(keys_len)?.to_vec());
            KeyIndex::Sorted(Dictionary::from_bytes(bytes.clone()).ok()?, bytes)
        } else {
            KeyIndex::Fst(Map::from(Fst::new(reader.shared(keys_len)?).ok()?))
        };
        Some(Table { lists, keys })
    }

    /// Bytes [`Self::write`] writes.
    fn written_len(&self) -> usize {
        8 + self.lists.len() + self.keys.byte_len()
    }
}

/// Builds a [`KeyIndex`] from keys given in order.
enum KeyBuilder {
    Fst(MapBuilder<Vec<u8>>),
    Sorted(tantivy_sstable::Writer<Vec<u8>, <MonotonicU64SSTable as SSTable>::ValueWriter>),
}

impl KeyBuilder {
    fn new(kind: KeyKind) -> Result<KeyBuilder> {
        Ok(if kind == KeyKind::Sorted {
            let mut writer =
                Dictionary::<MonotonicU64SSTable>::builder(Vec::new()).map_err(sstable_error)?;
            writer.set_block_len(SORTED_BLOCK_BYTES);
            KeyBuilder::Sorted(writer)
        } else {
            KeyBuilder::Fst(MapBuilder::memory())
        })
    }

    fn insert(&mut self, key: &[u8], value: u64) -> Result<()> {
        match self {
            KeyBuilder::Fst(builder) => builder.insert(key, value).map_err(fst_error),
            KeyBuilder::Sorted(writer) => writer.insert(key, &value).map_err(sstable_error),
        }
    }

    fn finish(self) -> Result<KeyIndex> {
        match self {
            KeyBuilder::Fst(builder) => {
                let fst = builder.into_inner().map_err(fst_error)?;
                Ok(KeyIndex::Fst(Map::from(
                    Fst::new(Shared::whole(fst)).map_err(fst_error)?,
                )))
            }
            KeyBuilder::Sorted(writer) => {
                let bytes = OwnedBytes::new(writer.finish().map_err(sstable_error)?);
                let dictionary = Dictionary::from_bytes(bytes.clone()).map_err(sstable_error)?;
                Ok(KeyIndex::Sorted(dictionary, bytes))
            }
        }
    }
}

impl std::fmt::Debug for Readings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Readings")
            .field("rules", &self.rules)
            .field("words", &self.word_count())
            .field("stems", &self.stems.keys.len())
            .field("names", &self.names.keys.len())
            .finish()
    }
}

/// The (key, ordinal) pairs of the words `words`, whose first has the ordinal `first`: one
/// list for the stem table, one for the name table.
type WordKeys = (Vec<(Vec<u8>, u32)>, Vec<(Vec<u8>, u32)>);

fn word_keys(words: &[String], first: u32) -> WordKeys {
    let mut stems: Vec<(Vec<u8>, u32)> = Vec::with_capacity(words.len() * 4);
    let mut names: Vec<(Vec<u8>, u32)> = Vec::with_capacity(words.len() * 2);
    for (ordinal, word) in (first..).zip(words) {
        let push = |pairs: &mut Vec<(Vec<u8>, u32)>, from: usize, key: Vec<u8>| {
            if !pairs[from..].iter().any(|(k, _)| *k == key) {
                pairs.push((key, ordinal));
            }
        };
        let from = stems.len();
        if !word.contains(' ') {
            for stem in index_stems(word) {
                push(&mut stems, from, stem.into_owned().into_bytes());
            }
        }
        let from = names.len();
        for spelling in surface_spellings(word) {
            push(&mut names, from, name_term(spelling).into_bytes());
        }
    }
    (stems, names)
}

impl Readings {
    /// Builds the tables from the vocabulary of the headline and text fields of the index
    /// `searcher` reads. The words' readings are computed on every core, and the two tables
    /// are built side by side: at the end of an ingest nothing else runs meanwhile.
    pub fn build(searcher: &Searcher, fields: &Fields) -> Result<Readings> {
        let words = vocabulary(searcher, &[fields.title, fields.body, fields.compound])?;
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        let chunk = words.len().div_ceil(threads).max(1);
        let (mut stem_pairs, mut name_pairs) = (Vec::new(), Vec::new());
        std::thread::scope(|scope| {
            let parts: Vec<_> = words
                .chunks(chunk)
                .enumerate()
                .map(|(i, part)| scope.spawn(move || word_keys(part, (i * chunk) as u32)))
                .collect();
            for part in parts {
                let (stems, names) = part.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
                stem_pairs.extend(stems);
                name_pairs.extend(names);
            }
        });
        let (stems, names) = std::thread::scope(|scope| {
            let names = scope.spawn(move || Table::build(name_pairs, KeyKind::Sorted));
            let stems = Table::build(stem_pairs, KeyKind::Fst);
            (
                stems,
                names
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e)),
            )
        });
        let mut word_starts = Vec::with_capacity(words.len() + 1);
        let mut word_bytes = Vec::new();
        for word in &words {
            word_starts.push(word_bytes.len() as u32);
            word_bytes.extend_from_slice(word.as_bytes());
        }
        word_starts.push(word_bytes.len() as u32);
        Ok(Readings {
            rules: RULES_VERSION,
            segments: segments_signature(searcher),
            word_starts,
            word_bytes: Shared::whole(word_bytes),
            stems: stems?,
            names: names?,
        })
    }

    /// These tables, as those of what `searcher` reads, which holds the same words: the
    /// segments after a merge of segments that had no deleted articles (a merge then keeps
    /// every word).
    pub(crate) fn for_segments_of(mut self, searcher: &Searcher) -> Readings {
        self.segments = segments_signature(searcher);
        self
    }

    /// The tables of the file `bytes` (as [`Self::save`] writes it); `None` when it is
    /// damaged or was written by another layout.
    fn parse(bytes: Vec<u8>) -> Option<Readings> {
        let mut reader = ByteReader {
            file: Arc::new(bytes),
            at: 0,
        };
        if reader.take(MAGIC.len())? != MAGIC {
            return None;
        }
        let rules = reader.u32()?;
        let segments = reader.u64()?;
        let words = reader.u32()? as usize;
        let word_starts = reader.u32s(words.checked_add(1)?)?;
        let byte_count = *word_starts.last()? as usize;
        let word_bytes = reader.shared(byte_count)?;
        let stems = Table::parse(&mut reader, KeyKind::Fst)?;
        let names = Table::parse(&mut reader, KeyKind::Sorted)?;
        Some(Readings {
            rules,
            segments,
            word_starts,
            word_bytes,
            stems,
            names,
        })
    }

    /// Whether these are the tables of what `searcher` reads, by the rules of this build.
    pub fn are_current(&self, searcher: &Searcher) -> bool {
        self.rules == RULES_VERSION && self.segments == segments_signature(searcher)
    }

    /// The tables of the index `searcher` reads: the saved ones when they are current
    /// (see [`Self::are_current`]), else built now in memory (an ingest still running or
    /// killed after a commit; the next ingest, or the next open, saves them). Kept per
    /// process for the last few commits read.
    pub fn of(searcher: &Searcher, fields: &Fields) -> Result<Arc<Readings>> {
        if let Some(found) = remembered(segments_signature(searcher)) {
            return Ok(found);
        }
        let saved = searcher
            .index()
            .directory()
            .atomic_read(Path::new(READINGS_FILE))
            .ok()
            .and_then(Readings::parse)
            .filter(|r| r.are_current(searcher));
        Ok(remember(match saved {
            Some(readings) => readings,
            None => Readings::build(searcher, fields)?,
        }))
    }

    /// What the index folder holds as the tables of what `searcher` reads. Current tables
    /// are read whole, to be sure they can be, and kept for [`Self::of`].
    pub(crate) fn load_saved(searcher: &Searcher) -> SavedReadings {
        let Ok(bytes) = searcher
            .index()
            .directory()
            .atomic_read(Path::new(READINGS_FILE))
        else {
            return SavedReadings::Outdated;
        };
        if !header_is_current(&bytes, searcher) {
            return SavedReadings::Outdated;
        }
        match Readings::parse(bytes) {
            Some(readings) => {
                remember(readings);
                SavedReadings::Current
            }
            None => SavedReadings::Unreadable,
        }
    }

    /// Whether the tables saved in the index folder `dir` are current for `searcher` (see
    /// [`Self::are_current`]); reads only the start of the file.
    pub fn saved_are_current(dir: &Path, searcher: &Searcher) -> bool {
        use std::io::Read;
        let mut header = [0u8; HEADER_LEN];
        std::fs::File::open(dir.join(READINGS_FILE))
            .and_then(|mut file| file.read_exact(&mut header))
            .is_ok_and(|()| header_is_current(&header, searcher))
    }

    /// Writes the tables into the index folder `dir` atomically.
    pub fn save(&self, dir: &Path) -> Result<()> {
        let path = dir.join(READINGS_FILE);
        let temporary = dir.join(format!("{READINGS_FILE}.tmp"));
        let mut out = Vec::with_capacity(
            32 + 4 * self.word_starts.len()
                + self.word_bytes.len()
                + self.stems.written_len()
                + self.names.written_len(),
        );
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.rules.to_le_bytes());
        out.extend_from_slice(&self.segments.to_le_bytes());
        out.extend_from_slice(&(self.word_count() as u32).to_le_bytes());
        for start in &self.word_starts {
            out.extend_from_slice(&start.to_le_bytes());
        }
        out.extend_from_slice(&self.word_bytes);
        self.stems.write(&mut out);
        self.names.write(&mut out);
        std::fs::write(&temporary, out).map_err(|e| Error::io(&temporary, e))?;
        std::fs::rename(&temporary, &path).map_err(|e| Error::io(&path, e))
    }

    /// Distinct words of the headline and text fields.
    pub fn word_count(&self) -> usize {
        self.word_starts.len().saturating_sub(1)
    }

    /// The word of `ordinal` (empty when a damaged file points past the words).
    fn word(&self, ordinal: u32) -> &str {
        std::str::from_utf8(self.word_bytes_of(ordinal)).unwrap_or_default()
    }

    /// The bytes of [`Self::word`], unchecked.
    fn word_bytes_of(&self, ordinal: u32) -> &[u8] {
        let i = ordinal as usize;
        let (Some(&start), Some(&end)) = (self.word_starts.get(i), self.word_starts.get(i + 1))
        else {
            return &[];
        };
        self.word_bytes
            .get(start as usize..end as usize)
            .unwrap_or_default()
    }

    /// The words of the list of `key` in `table`.
    fn words_of(&self, table: &Table, key: &[u8]) -> Vec<&str> {
        self.words_at(table, table.keys.get(key))
    }

    /// The words of the list starting at `start` in `table` (none for `None`).
    fn words_at(&self, table: &Table, start: Option<u64>) -> Vec<&str> {
        let Some(start) = start else {
            return Vec::new();
        };
        let mut bytes = table.lists.get(start as usize..).unwrap_or_default();
        let count = read_varint(&mut bytes).unwrap_or(0) as usize;
        let mut words = Vec::with_capacity(count.min(bytes.len()));
        let mut ordinal = 0u32;
        for _ in 0..count {
            let Some(delta) = read_varint(&mut bytes) else {
                break;
            };
            ordinal = ordinal.saturating_add(delta);
            let word = self.word(ordinal);
            if !word.is_empty() {
                words.push(word);
            }
        }
        words
    }

    /// The words of the index one of whose stems ([`index_stems`]) is `stem`.
    pub fn stem_words(&self, stem: &str) -> Vec<&str> {
        self.words_of(&self.stems, stem.as_bytes())
    }

    /// Whether `word` is a word of the headline, text or compound fields (a binary search
    /// of the sorted words in memory: no term dictionary is read).
    pub fn has_word(&self, word: &str) -> bool {
        let at = self.first_not_before(word);
        at < self.word_count() && self.word_bytes_of(at as u32) == word.as_bytes()
    }

    /// How many letters of `word`, from its start, begin some word of the index (3 for
    /// `حكوز` when the index has حكومه): an edit of `word` after them makes no word of the
    /// index either.
    pub fn known_prefix_chars(&self, word: &str) -> usize {
        let at = self.first_not_before(word);
        // the word sharing the longest prefix with `word` is next to where it would go
        let shared = |ordinal: usize| {
            let other = self.word_bytes_of(ordinal as u32);
            let bytes = word.bytes().zip(other).take_while(|(a, b)| a == *b).count();
            // whole letters only
            word.char_indices()
                .take_while(|&(i, c)| i + c.len_utf8() <= bytes)
                .count()
        };
        let before = if at > 0 { shared(at - 1) } else { 0 };
        before.max(shared(at))
    }

    /// The ordinal of the first word not sorted before `word` (the word count when none).
    fn first_not_before(&self, word: &str) -> usize {
        let (mut low, mut high) = (0, self.word_count());
        while low < high {
            let middle = low + (high - low) / 2;
            if self.word_bytes_of(middle as u32) < word.as_bytes() {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        low
    }

    /// Whether some word of the index has the stem `stem`.
    pub fn has_stem(&self, stem: &str) -> bool {
        self.stems.keys.get(stem.as_bytes()).is_some()
    }

    /// The words of the index that stand for the name spelling `spelling` (a normalized
    /// word, or a compound written apart): the spelling itself and its clitic forms.
    pub fn spelling_words(&self, spelling: &str) -> Vec<&str> {
        let key = name_term(spelling);
        let start = super::term_memo::name_entry(self.segments, key.as_bytes(), || {
            self.names.keys.get(key.as_bytes())
        });
        self.words_at(&self.names, start)
    }

    /// Every name spelling the index holds under `key`. The search running remembers where
    /// each one's words are (see `term_memo`): its [`Self::spelling_words`] reads no table.
    pub fn spellings_with_key(&self, key: &str) -> BTreeSet<String> {
        let start = name_term_prefix(key);
        // '}' follows '|' in ASCII: the range holds exactly the keys starting with the prefix
        let end = format!("{key}}}");
        let mut spellings = BTreeSet::new();
        self.names
            .keys
            .for_each_in(start.as_bytes(), end.as_bytes(), |term, list| {
                super::term_memo::remember_name_entry(self.segments, term, list);
                if let Some((_, spelling)) =
                    std::str::from_utf8(term).ok().and_then(split_name_term)
                {
                    spellings.insert(spelling.to_string());
                }
            });
        spellings
    }

    /// Every (key, spelling) of the index whose name key starts with `start` (`دش`: `ديشان`
    /// under `دشن`, `ديشامب` under `دشمب`): one prefix range of the map.
    pub fn keys_with_prefix(&self, start: &str) -> BTreeSet<(String, String)> {
        let from = start.as_bytes();
        // 0xFF is in no UTF-8 text: the range holds exactly the keys starting with `from`
        let mut to = from.to_vec();
        to.push(0xFF);
        let mut found = BTreeSet::new();
        self.for_each_name_term(from, &to, |key, spelling| {
            found.insert((key.to_string(), spelling.to_string()));
        });
        found
    }

    /// Every name spelling of the index, by key.
    pub fn name_vocabulary(&self) -> BTreeMap<String, BTreeSet<String>> {
        let mut keys: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        // 0xFF is in no UTF-8 text: every key is before it
        self.for_each_name_term(&[], &[0xFF], |key, spelling| {
            keys.entry(key.to_string())
                .or_default()
                .insert(spelling.to_string());
        });
        keys
    }

    /// Calls `each` with the key and spelling of every name term from `from` (included) to
    /// `to` (excluded), in order.
    fn for_each_name_term(&self, from: &[u8], to: &[u8], mut each: impl FnMut(&str, &str)) {
        self.names.keys.for_each_in(from, to, |bytes, _| {
            if let Ok(term) = std::str::from_utf8(bytes)
                && let Some((key, spelling)) = split_name_term(term)
            {
                each(key, spelling);
            }
        });
    }
}

/// A hash of the ids of the segments `searcher` reads: what the tables were built from.
pub fn segments_signature(searcher: &Searcher) -> u64 {
    let mut ids: Vec<String> = searcher
        .segment_readers()
        .iter()
        .map(|s| s.segment_id().uuid_string())
        .collect();
    ids.sort_unstable();
    xxhash_rust::xxh3::xxh3_64(ids.join(",").as_bytes())
}

/// The distinct terms of `fields` in every segment, sorted (valid UTF-8 only).
fn vocabulary(searcher: &Searcher, fields: &[Field]) -> Result<Vec<String>> {
    let mut inverted = Vec::new();
    for segment in searcher.segment_readers() {
        for &field in fields {
            inverted.push(segment.inverted_index(field)?);
        }
    }
    let mut streams = Vec::with_capacity(inverted.len());
    for index in &inverted {
        streams.push(
            index
                .terms()
                .stream()
                .map_err(tantivy::TantivyError::from)?,
        );
    }
    let mut merger = TermMerger::new(streams);
    let mut words = Vec::new();
    while merger.advance() {
        if let Ok(word) = std::str::from_utf8(merger.key()) {
            words.push(word.to_string());
        }
    }
    Ok(words)
}

/// Articles holding any of `words` in `field` (the size of the union of their postings,
/// deleted articles included, as tantivy's own document frequencies count them).
/// Counted once per commit, field and set of words in a process (a server answers the same
/// words again and again).
pub fn union_doc_freq(searcher: &Searcher, field: Field, words: &[&str]) -> Result<u64> {
    type Counts = Mutex<Option<rustc_hash::FxHashMap<(u64, u32, u64), u64>>>;
    static COUNTS: Counts = Mutex::new(None);
    const KEPT: usize = 100_000;
    match words {
        [] => return Ok(0),
        [word] => {
            let term = Term::from_field_text(field, word);
            return Ok(super::term_memo::doc_freq(searcher, &term)?);
        }
        _ => {}
    }
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for word in words {
        hasher.update(word.as_bytes());
        hasher.update(b"\0");
    }
    let key = (
        segments_signature(searcher),
        field.field_id(),
        hasher.digest(),
    );
    if let Some(&n) = COUNTS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
        .and_then(|counts| counts.get(&key))
    {
        return Ok(n);
    }
    let n = count_union(searcher, field, words)?;
    let mut counts = COUNTS.lock().unwrap_or_else(|e| e.into_inner());
    let counts = counts.get_or_insert_with(Default::default);
    if counts.len() >= KEPT {
        counts.clear();
    }
    counts.insert(key, n);
    Ok(n)
}

fn count_union(searcher: &Searcher, field: Field, words: &[&str]) -> Result<u64> {
    let mut total = 0u64;
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut postings: Vec<BlockSegmentPostings> = Vec::with_capacity(words.len());
        for word in words {
            let term = Term::from_field_text(field, word);
            let Some(info) = super::term_memo::term_info(segment.segment_id(), &inverted, &term)?
            else {
                continue;
            };
            postings.push(
                inverted
                    .read_block_postings_from_terminfo(&info, IndexRecordOption::Basic)
                    .map_err(tantivy::TantivyError::from)?,
            );
        }
        match postings.len() {
            0 => continue,
            1 => {
                total += u64::from(postings[0].doc_freq());
                continue;
            }
            _ => {}
        }
        let mut seen = vec![0u64; (segment.max_doc() as usize).div_ceil(64)];
        for mut block in postings {
            loop {
                let docs = block.docs();
                if docs.is_empty() {
                    break;
                }
                for &doc in docs {
                    seen[doc as usize / 64] |= 1 << (doc % 64);
                }
                block.advance();
            }
        }
        total += seen.iter().map(|w| u64::from(w.count_ones())).sum::<u64>();
    }
    Ok(total)
}

/// An error of the sorted table's writer or reader (an I/O error on bytes in memory).
fn sstable_error(e: std::io::Error) -> Error {
    Error::from(tantivy::TantivyError::from(e))
}

fn fst_error(e: tantivy_fst::Error) -> Error {
    Error::from(tantivy::TantivyError::InternalError(format!(
        "reading tables: {e}"
    )))
}

/// Appends `n` as a varint (LEB128: seven bits a byte, the high bit set on all but the last).
fn push_varint(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Reads a varint from the start of `bytes` and moves past it; `None` at the end or on a
/// damaged one.
fn read_varint(bytes: &mut &[u8]) -> Option<u32> {
    let mut n = 0u32;
    for shift in (0..35).step_by(7) {
        let (&byte, rest) = bytes.split_first()?;
        *bytes = rest;
        n |= u32::from(byte & 0x7f).checked_shl(shift)?;
        if byte < 0x80 {
            return Some(n);
        }
    }
    None
}

/// Reads the little-endian numbers and the parts of [`READINGS_FILE`] in order.
struct ByteReader {
    file: Arc<Vec<u8>>,
    /// Where the next read starts.
    at: usize,
}

impl ByteReader {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let range = self.at..self.at.checked_add(n)?;
        self.at = range.end;
        self.file.get(range)
    }

    /// The next `n` bytes, in place.
    fn shared(&mut self, n: usize) -> Option<Shared> {
        let range = self.at..self.at.checked_add(n)?;
        if range.end > self.file.len() {
            return None;
        }
        self.at = range.end;
        Some(Shared {
            bytes: Arc::clone(&self.file),
            range,
        })
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn u32s(&mut self, n: usize) -> Option<Vec<u32>> {
        let bytes = self.take(n.checked_mul(4)?)?;
        Some(
            bytes
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes(c.try_into().expect("four bytes")))
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_read_back_and_a_cut_one_is_none() {
        let numbers = [0, 1, 127, 128, 300, 16_384, u32::MAX];
        let mut bytes = Vec::new();
        for n in numbers {
            push_varint(&mut bytes, n);
        }
        assert_eq!(bytes.len(), 1 + 1 + 1 + 2 + 2 + 3 + 5);
        let mut rest = bytes.as_slice();
        for n in numbers {
            assert_eq!(read_varint(&mut rest), Some(n));
        }
        assert_eq!(read_varint(&mut rest), None);
        let mut cut: &[u8] = &[0x80, 0x80];
        assert_eq!(read_varint(&mut cut), None);
    }

    /// The name terms (`key|spelling`) of the words of real sentences and names, each with
    /// the ordinals of its words: some 2 KB of keys, several blocks of a sorted table.
    fn name_pairs() -> Vec<(Vec<u8>, u32)> {
        let text = "التقى وزير الخارجية الروسي سيرغي لافروف بنظيره الصيني وانغ يي في موسكو، \
            وقال الأمين العام للأمم المتحدة أنطونيو غوتيريش إن المفاوضات مستمرة، وغوتيريس \
            لغوتيريش بلافروف ولافروف. ديدييه ديشان وديشامب ومدرب المنتخب الفرنسي. شي جينبينغ \
            وشي جين بينغ ومون جاي إن ومون جاي-إن ونبيل القروي للقروي والقروي يوسف الشاهد \
            والشاهد بالشاهد الحبيب الصيد وراشد الغنوشي والغنوشي انطلقت فعاليات معرض دمشق \
            الدولي للكتاب بمشاركة دور نشر من عشرين دولة";
        let mut words: Vec<String> = text
            .split(|c: char| c.is_whitespace() || "،.".contains(c))
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        words.sort_unstable();
        words.dedup();
        word_keys(&words, 0).1
    }

    /// A table's keys found by an fst or by a sorted table, written and read back: the same
    /// lists for every key, the same keys in every range and in all (the keys fill several
    /// blocks), each with the value a lookup of it gives.
    #[test]
    fn a_sorted_key_index_answers_as_an_fst_does() {
        let pairs = name_pairs();
        let by_fst = Table::build(pairs.clone(), KeyKind::Fst).unwrap();
        let built = Table::build(pairs.clone(), KeyKind::Sorted).unwrap();
        let mut file = Vec::new();
        built.write(&mut file);
        assert_eq!(file.len(), built.written_len());
        let mut reader = ByteReader {
            file: Arc::new(file),
            at: 0,
        };
        let read = Table::parse(&mut reader, KeyKind::Sorted).unwrap();
        // each key with its value as a range gives it, checked against a lookup of the key
        let keys = |table: &Table, from: &[u8], to: &[u8]| {
            let mut keys = Vec::new();
            table.keys.for_each_in(from, to, |key, value| {
                assert_eq!(table.keys.get(key), Some(value));
                keys.push(key.to_vec());
            });
            keys
        };
        let all = keys(&by_fst, &[], &[0xFF]);
        assert!(all.len() > 80, "{} name terms", all.len());
        for sorted in [&built, &read] {
            assert_eq!(sorted.keys.len(), by_fst.keys.len());
            assert_eq!(keys(sorted, &[], &[0xFF]), all);
            for key in &all {
                assert_eq!(sorted.keys.get(key), by_fst.keys.get(key));
                let (name_key, _) = split_name_term(std::str::from_utf8(key).unwrap()).unwrap();
                let start = name_term_prefix(name_key);
                let end = format!("{name_key}}}");
                assert_eq!(
                    keys(sorted, start.as_bytes(), end.as_bytes()),
                    keys(&by_fst, start.as_bytes(), end.as_bytes())
                );
            }
            assert_eq!(sorted.keys.get("لفرف|غائب".as_bytes()), None);
            assert_eq!(sorted.lists.as_ref(), by_fst.lists.as_ref());
        }
    }
}
