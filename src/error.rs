//! The library's error type. Every variant names the file or argument at fault and says what
//! to do, so the CLI can print it as one line.

use std::path::{Path, PathBuf};

/// What can go wrong in fahras.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read or written.
    #[error("{}: {error}", shown(path))]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The underlying error (part of the message, so not also a `source`).
        error: std::io::Error,
    },

    /// A file is not in an encoding fahras reads (UTF-8, UTF-16 with a byte-order mark,
    /// Windows-1256).
    #[error("{}: {detail}; convert it to UTF-8", shown(path))]
    UnknownEncoding {
        /// The file.
        path: PathBuf,
        /// What was found.
        detail: String,
    },

    /// A file holds binary data, not text.
    #[error("{}: binary data, not text ({detail})", shown(path))]
    Binary {
        /// The file.
        path: PathBuf,
        /// What gave it away.
        detail: String,
    },

    /// A file is larger than the ingest's size limit ([`Setting::MaxFileSize`]).
    #[error("{}", too_large(path, *size, *limit, Setting::MaxFileSize.library_name()))]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes (at least this; reading stops past the limit).
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },

    /// A file was found, then was gone when it was read.
    #[error("{}: the file disappeared during the ingest", shown(path))]
    Vanished {
        /// The file.
        path: PathBuf,
    },

    /// Reading a file panicked: a bug in fahras or a library it uses, met on this file.
    #[error(
        "{}: reading this file failed inside fahras ({detail}); skipped, please report it",
        shown(path)
    )]
    ReadPanicked {
        /// The file.
        path: PathBuf,
        /// The panic's message.
        detail: String,
    },

    /// A file holds no article (empty, only white space, or no text in its fields).
    #[error("{}: {reason}", shown(path))]
    NoArticle {
        /// The file.
        path: PathBuf,
        /// Why nothing was found.
        reason: String,
    },

    /// A JSON file (or one line of a JSON Lines file) does not parse.
    #[error("{}: invalid JSON: {}", json_location(path, *line, error), json_message(error))]
    Json {
        /// The file.
        path: PathBuf,
        /// The 1-based line, for JSON Lines (the parser's own line counts within it).
        line: Option<usize>,
        /// The parser's error.
        error: serde_json::Error,
    },

    /// A line of a qrels file is not `qid 0 docid relevance`.
    #[error("{}: line {line}: expected `qid 0 docid relevance`", shown(path))]
    BadQrelsLine {
        /// The qrels file.
        path: PathBuf,
        /// The 1-based line.
        line: usize,
    },

    /// A line of a `--queries` file is not `qid<TAB>query`.
    #[error("{}: line {line}: expected `qid<TAB>query`", shown(path))]
    BadQueriesLine {
        /// The queries file.
        path: PathBuf,
        /// The 1-based line.
        line: usize,
    },

    /// No index at the given path.
    #[error("{}", index_missing(path, Setting::IngestInto.library_name()))]
    IndexMissing {
        /// Where the index was looked for.
        path: PathBuf,
    },

    /// A query does not parse.
    #[error("query syntax error at character {position}: {message} (in `{}`)", query.replace(['\n', '\r'], " "))]
    QuerySyntax {
        /// The query as given.
        query: String,
        /// 1-based character position of the problem.
        position: usize,
        /// What is wrong.
        message: String,
    },

    /// A query has no words.
    #[error("the query is empty; give words to search for, or `*` for every article")]
    EmptyQuery,

    /// A query nests groups deeper than fahras parses (see
    /// [`MAX_QUERY_DEPTH`](crate::search::MAX_QUERY_DEPTH)).
    #[error(
        "the query nests parentheses (or NOT) {depth} levels deep; at most {limit} are allowed"
    )]
    QueryTooDeep {
        /// How deep it nests (at least).
        depth: usize,
        /// The most allowed.
        limit: usize,
    },

    /// A query has more words than fahras searches (see
    /// [`MAX_QUERY_WORDS`](crate::search::MAX_QUERY_WORDS)).
    #[error(
        "the query has {words} words; at most {limit} are searched: keep the words that say what you look for"
    )]
    QueryTooLong {
        /// Its words.
        words: usize,
        /// The most allowed.
        limit: usize,
    },

    /// A word of a query is longer than any word the index keeps
    /// ([`MAX_TOKEN_BYTES`](crate::analysis::normalizer::MAX_TOKEN_BYTES)), so no article has it.
    #[error(
        "a word of the query is {letters} letters long; the index keeps no word longer than {} bytes ({} Arabic letters), so no article has it: leave it out",
        limit_bytes,
        limit_bytes / 2
    )]
    WordTooLong {
        /// The word's letters.
        letters: usize,
        /// The longest word kept, in bytes of its normalized form.
        limit_bytes: usize,
    },

    /// A query names a field that does not exist (for `date`, the advice names
    /// [`Setting::DateRange`]).
    #[error("{}", unknown_field(field, known, Setting::DateRange.library_name()))]
    UnknownField {
        /// The field name as written.
        field: String,
        /// The searchable fields, comma-separated.
        known: String,
    },

    /// A date argument is not a date.
    #[error(
        "{argument}: `{value}` is not a date; use a year (2017), a month (2017-03), a day \
         (2017-03-05, or day first DD/MM/YYYY: 05/03/2017), a time (2017-03-05 10:30, UTC) or \
         RFC 3339 (2017-03-05T10:30:00+01:00)"
    )]
    BadDate {
        /// The argument (`--from`, `--to`).
        argument: String,
        /// The value given.
        value: String,
    },

    /// A date range ends before it starts.
    #[error("{to} is before {from}: no date is in that range; swap them")]
    EmptyDateRange {
        /// The start, with its argument (`--from 2017-02-01`).
        from: String,
        /// The end, with its argument.
        to: String,
    },

    /// No article in the index has the id given (`fahras similar ID`, `--similar-to ID`).
    #[error(
        "no article with id `{id}` in the index at {}; ids are shown by `fahras query` (the line under each headline)",
        shown(index)
    )]
    ArticleNotFound {
        /// The id given.
        id: String,
        /// The index folder.
        index: PathBuf,
    },

    /// The index was made by a fahras of another index format.
    #[error("{}", old_index_format(path, *found, Setting::RebuildInto.library_name()))]
    OldIndexFormat {
        /// The index folder.
        path: PathBuf,
        /// The format found there.
        found: u32,
    },
    /// The index was made by an incompatible version of fahras.
    #[error("{}", incompatible_index(path, found, Setting::IngestInto.library_name()))]
    IncompatibleIndex {
        /// The index folder.
        path: PathBuf,
        /// What was found there.
        found: String,
    },

    /// A spelling given to `fahras aliases add` cannot be an alias.
    #[error("`{spelling}` {reason}")]
    BadAlias {
        /// The spelling as given.
        spelling: String,
        /// Why it cannot be one, and what to do.
        reason: &'static str,
    },

    /// Another ingest holds the index.
    #[error(
        "{}: another `fahras ingest` is writing to this index; wait for it to finish",
        shown(path)
    )]
    IndexBusy {
        /// The index folder.
        path: PathBuf,
    },

    /// The disk holding the index is full. tantivy's commits are atomic, so the index keeps
    /// its last commit, and an ingest run again once there is space completes the job.
    #[error(
        "the disk holding {} is full: free space and run the same command again; nothing indexed before was lost",
        shown(path)
    )]
    DiskFull {
        /// The index folder.
        path: PathBuf,
    },

    /// The server cannot listen on the address asked for ([`Setting::Address`]).
    #[error("{}", problem.worded(address, &Setting::library_name))]
    ServeAddress {
        /// The address as given.
        address: String,
        /// Why not.
        problem: AddressProblem,
    },

    /// The output (stdout, a pipe, a file) could not be written.
    #[error("cannot write the output")]
    Output(#[source] std::io::Error),

    /// tantivy failed.
    #[error("index error: {0}")]
    Index(#[from] tantivy::TantivyError),
}

impl Error {
    /// The error's line, with the options it names ([`Setting`]) called as `name` calls
    /// them: the command line names its flags (`--max-file-size`) where the library's own
    /// message ([`Display`](std::fmt::Display)) names the library's options
    /// (`IngestOptions::max_file_size`).
    pub fn worded(&self, name: &dyn Fn(Setting) -> &'static str) -> String {
        match self {
            Error::TooLarge { path, size, limit } => {
                too_large(path, *size, *limit, name(Setting::MaxFileSize))
            }
            Error::ServeAddress { address, problem } => problem.worded(address, name),
            Error::UnknownField { field, known } => {
                unknown_field(field, known, name(Setting::DateRange))
            }
            Error::IndexMissing { path } => index_missing(path, name(Setting::IngestInto)),
            Error::OldIndexFormat { path, found } => {
                old_index_format(path, *found, name(Setting::RebuildInto))
            }
            Error::IncompatibleIndex { path, found } => {
                incompatible_index(path, found, name(Setting::IngestInto))
            }
            _ => self.to_string(),
        }
    }

    /// What is wrong with a query, when this error is the query's fault (it does not parse, is
    /// empty, nests too deep, names an unknown field): the message without the query itself,
    /// for a line naming the query another way (a batch's query id).
    pub fn query_problem(&self) -> Option<String> {
        match self {
            Error::QuerySyntax { message, .. } => Some(message.clone()),
            Error::EmptyQuery
            | Error::QueryTooDeep { .. }
            | Error::QueryTooLong { .. }
            | Error::WordTooLong { .. }
            | Error::UnknownField { .. } => Some(self.to_string()),
            _ => None,
        }
    }

    /// [`Error::DiskFull`] for the index at `index` when this error comes from a full disk
    /// (anywhere in its chain of causes), else the error itself.
    pub(crate) fn or_disk_full(self, index: &Path) -> Error {
        if says_disk_full(&self) {
            Error::DiskFull {
                path: index.to_path_buf(),
            }
        } else {
            self
        }
    }

    /// Wraps an I/O error with the path it happened on.
    pub fn io(path: impl Into<PathBuf>, error: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            error,
        }
    }
}

/// An option of the library that an error's remedy names. The library's messages name it as
/// [`Setting::library_name`] does; a front end words the error with its own names (the
/// command line's flags) through [`Error::worded`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    /// [`IngestOptions::max_file_size`](crate::IngestOptions::max_file_size).
    MaxFileSize,
    /// [`IngestOptions::follow_links`](crate::IngestOptions::follow_links).
    FollowLinks,
    /// The address the server is to listen on: `address` of [`crate::serve::bind`].
    Address,
    /// Listening on an address other machines reach: `allow_remote` of [`crate::serve::bind`].
    AllowRemote,
    /// The dates a search is limited to: `from` and `to` of
    /// [`SearchRequest`](crate::SearchRequest).
    DateRange,
    /// Making an index and ingesting folders into it, followed by the index folder:
    /// [`FahrasIndex::open_or_create`](crate::FahrasIndex::open_or_create), then `ingest`.
    IngestInto,
    /// Ingesting folders into an index made anew, followed by the index folder:
    /// [`FahrasIndex::open_for_rebuild`](crate::FahrasIndex::open_for_rebuild) with
    /// [`IngestOptions::rebuild`](crate::IngestOptions::rebuild).
    RebuildInto,
}

impl Setting {
    /// How the library's messages name it.
    pub fn library_name(self) -> &'static str {
        match self {
            Setting::MaxFileSize => "IngestOptions::max_file_size",
            Setting::FollowLinks => "IngestOptions::follow_links",
            Setting::Address => "the address",
            Setting::AllowRemote => "allow_remote",
            Setting::DateRange => "SearchRequest::from and to",
            Setting::IngestInto => "FahrasIndex::open_or_create, then ingest, at",
            Setting::RebuildInto => {
                "FahrasIndex::open_for_rebuild, then ingest with IngestOptions::rebuild, at"
            }
        }
    }
}

/// Why the server cannot listen on an address ([`Error::ServeAddress`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddressProblem {
    /// It is not `host:port`; the resolver's words.
    NotHostPort(String),
    /// It resolves to no address.
    NoAddress,
    /// It is not loopback, and remote access was not allowed ([`Setting::AllowRemote`]).
    NotLoopback,
    /// Its port is taken.
    InUse,
    /// Listening failed otherwise; the system's words.
    CannotListen(String),
}

impl AddressProblem {
    /// The line of an [`Error::ServeAddress`] for `address`, options named by `name`.
    fn worded(&self, address: &str, name: &dyn Fn(Setting) -> &'static str) -> String {
        let example = crate::serve::DEFAULT_ADDR;
        let why = match self {
            AddressProblem::NotHostPort(detail) => {
                format!("not a host:port address ({detail}); use e.g. {example}")
            }
            AddressProblem::NoAddress => format!("names no address; use e.g. {example}"),
            AddressProblem::NotLoopback => format!(
                "not a loopback address, so other machines could read the whole index without a \
                 password; add {} if that is what you want",
                name(Setting::AllowRemote)
            ),
            AddressProblem::InUse => {
                "the port is in use (another fahras serve?); choose another port".into()
            }
            AddressProblem::CannotListen(detail) => format!("cannot listen there: {detail}"),
        };
        format!("{} {address}: {why}", name(Setting::Address))
    }
}

/// The line of an [`Error::UnknownField`]; a `date` field is advised to use `dates_name`.
fn unknown_field(field: &str, known: &str, dates_name: &str) -> String {
    let advice = if field == "date" {
        format!(" (for dates, use {dates_name})")
    } else {
        String::new()
    };
    format!("unknown field `{field}` in the query; fields you can search: {known}{advice}")
}

/// The line of an [`Error::IndexMissing`]; `ingest_into` names how to make one
/// ([`Setting::IngestInto`]).
fn index_missing(path: &Path, ingest_into: &str) -> String {
    let path = shown(path);
    format!("no fahras index at {path}; ingest a folder into it first ({ingest_into} {path})")
}

/// The line of an [`Error::OldIndexFormat`]; `rebuild_into` names how to make it anew
/// ([`Setting::RebuildInto`]).
fn old_index_format(path: &Path, found: u32, rebuild_into: &str) -> String {
    let path = shown(path);
    let reads = crate::index::FORMAT_VERSION;
    format!(
        "{path}: index of format {found}, this fahras reads format {reads}; rebuild it from the \
         folders it was made from ({rebuild_into} {path})"
    )
}

/// The line of an [`Error::IncompatibleIndex`]; `ingest_into` names how to make an index
/// ([`Setting::IngestInto`]).
fn incompatible_index(path: &Path, found: &str, ingest_into: &str) -> String {
    format!(
        "{}: index made by an incompatible fahras ({found}); ingest the folders into a new \
         index folder ({ingest_into} NEW_FOLDER)",
        shown(path)
    )
}

/// The line of an [`Error::TooLarge`], the size limit named `limit_name`.
fn too_large(path: &Path, size: u64, limit: u64, limit_name: &str) -> String {
    format!(
        "{}: {size} bytes, larger than the limit of {limit} bytes (raise {limit_name} to index it)",
        shown(path)
    )
}

/// True when `error` or one of its causes is a full disk (ENOSPC). tantivy passes some I/O
/// errors on as text (an indexing thread's, a segment's norms), so an error that is no
/// `io::Error` counts when its message carries the system's words for a full disk.
fn says_disk_full(error: &(dyn std::error::Error + 'static)) -> bool {
    let is_full = |io: &std::io::Error| io.kind() == std::io::ErrorKind::StorageFull;
    let full_words = disk_full_words();
    let mut cause = Some(error);
    while let Some(error) = cause {
        let full = match error.downcast_ref::<Error>() {
            Some(Error::Io { error, .. }) => is_full(error),
            Some(Error::Index(tantivy::TantivyError::IoError(io))) => is_full(io),
            _ => match error.downcast_ref::<std::io::Error>() {
                Some(io) => is_full(io),
                None => {
                    let text = error.to_string();
                    text.contains(&full_words) || text.contains("StorageFull")
                }
            },
        };
        if full {
            return true;
        }
        cause = error.source();
    }
    false
}

/// The system's message for ENOSPC without its code: "No space left on device".
fn disk_full_words() -> String {
    let message = std::io::Error::from_raw_os_error(libc::ENOSPC).to_string();
    match message.find(" (os error") {
        Some(end) => message[..end].to_string(),
        None => message,
    }
}

/// The message a panic was raised with (`panic!("…")`, `.expect("…")`), for a log line.
pub(crate) fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}

/// `file:line:column` of a JSON error: the line of a JSON Lines file, or the parser's own.
fn json_location(path: &Path, line: Option<usize>, error: &serde_json::Error) -> String {
    let line = line.unwrap_or(error.line());
    if line == 0 {
        return shown(path).to_string();
    }
    format!("{}:{line}:{}", shown(path), error.column())
}

/// The parser's message without its own " at line L column C" (given by the location).
fn json_message(error: &serde_json::Error) -> String {
    let message = error.to_string();
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message,
    }
}

/// A path as messages show it: as ripgrep escapes file names (its `grep_cli::escape`), a
/// tab, carriage return or newline is written `\t`, `\r`, `\n`, and other control characters
/// and bytes that are not UTF-8 `\xNN` (C1 controls `\u{9b}`), so a file name can neither
/// split a message in two nor send escape sequences to the terminal.
pub fn shown(path: &Path) -> impl std::fmt::Display + '_ {
    ShownPath(path)
}

struct ShownPath<'a>(&'a Path);

impl std::fmt::Display for ShownPath<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        #[cfg(unix)]
        let bytes = std::os::unix::ffi::OsStrExt::as_bytes(self.0.as_os_str());
        #[cfg(not(unix))]
        let lossy = self.0.to_string_lossy();
        #[cfg(not(unix))]
        let bytes = lossy.as_bytes();
        for chunk in bytes.utf8_chunks() {
            for c in chunk.valid().chars() {
                match c {
                    '\t' => f.write_str("\\t")?,
                    '\r' => f.write_str("\\r")?,
                    '\n' => f.write_str("\\n")?,
                    c if c.is_ascii_control() => write!(f, "\\x{:02X}", c as u32)?,
                    c if c.is_control() => write!(f, "\\u{{{:x}}}", c as u32)?,
                    c => write!(f, "{c}")?,
                }
            }
            for byte in chunk.invalid() {
                write!(f, "\\x{byte:02X}")?;
            }
        }
        Ok(())
    }
}

/// Result with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_shown_escaped_as_ripgrep_does() {
        let name = Path::new("أخبار\nfahras: skipped all.txt\t\x1b[31mred\u{9b}.txt");
        assert_eq!(
            shown(name).to_string(),
            "أخبار\\nfahras: skipped all.txt\\t\\x1B[31mred\\u{9b}.txt"
        );
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let bytes = std::ffi::OsStr::from_bytes(b"old-\xC7\xE1\xCE\xC8\xD1.txt");
            assert_eq!(
                shown(Path::new(bytes)).to_string(),
                "old-\\xC7\\xE1\\xCE\\xC8\\xD1.txt"
            );
        }
        let error = Error::NoArticle {
            path: "a\nb.txt".into(),
            reason: "empty file; nothing to index".into(),
        };
        assert_eq!(error.to_string(), "a\\nb.txt: empty file; nothing to index");
    }

    /// Regression: the library's message named the command line's flag (`--max-file-size`).
    #[test]
    fn a_too_large_file_names_the_option_and_a_front_end_words_it_its_way() {
        let error = Error::TooLarge {
            path: "أخبار/كبير.txt".into(),
            size: 2711,
            limit: 1024,
        };
        let fact = "أخبار/كبير.txt: 2711 bytes, larger than the limit of 1024 bytes";
        assert_eq!(
            error.to_string(),
            format!("{fact} (raise IngestOptions::max_file_size to index it)")
        );
        let flags = |setting| match setting {
            Setting::MaxFileSize => "--max-file-size",
            other => other.library_name(),
        };
        assert_eq!(
            error.worded(&flags),
            format!("{fact} (raise --max-file-size to index it)")
        );
        let other = Error::Vanished {
            path: "خبر.txt".into(),
        };
        assert_eq!(other.worded(&flags), other.to_string());
    }

    /// Regression: the library's errors of opening an index gave a command line
    /// (`fahras ingest DIR --index idx`) to programs that use the library.
    #[test]
    fn index_errors_name_the_library_call_and_a_front_end_words_them_its_way() {
        let flags = |setting| match setting {
            Setting::IngestInto => "fahras ingest FOLDER --index",
            Setting::RebuildInto => "fahras ingest --rebuild FOLDER --index",
            other => other.library_name(),
        };
        let missing = Error::IndexMissing {
            path: "أرشيف".into(),
        };
        let old = Error::OldIndexFormat {
            path: "أرشيف".into(),
            found: 5,
        };
        let incompatible = Error::IncompatibleIndex {
            path: "أرشيف".into(),
            found: "no body field".into(),
        };
        for error in [&missing, &old, &incompatible] {
            let line = error.to_string();
            assert!(line.contains("FahrasIndex::open_"), "{line}");
            assert!(
                !line.contains("fahras ingest") && !line.contains("--"),
                "{line}"
            );
        }
        assert_eq!(
            missing.worded(&flags),
            "no fahras index at أرشيف; ingest a folder into it first \
             (fahras ingest FOLDER --index أرشيف)"
        );
        assert!(
            old.worded(&flags)
                .ends_with("rebuild it from the folders it was made from (fahras ingest --rebuild FOLDER --index أرشيف)"),
            "{}",
            old.worded(&flags)
        );
        assert!(
            incompatible
                .worded(&flags)
                .ends_with("(fahras ingest FOLDER --index NEW_FOLDER)")
        );
    }

    /// The forms a full disk took in an ingest (seen with writes failing with ENOSPC):
    /// tantivy's I/O error, its text inside an internal error, fahras's own file writes.
    #[test]
    fn a_full_disk_is_known_in_every_form_tantivy_gives_it() {
        let full = || std::io::Error::from_raw_os_error(libc::ENOSPC);
        let index = Path::new("idx");
        let forms = [
            Error::Index(full().into()),
            Error::Index(tantivy::TantivyError::InternalError(full().to_string())),
            Error::Index(tantivy::TantivyError::ErrorInThread(format!(
                "{:?}",
                full()
            ))),
            Error::io("idx/readings.bin.tmp", full()),
        ];
        for error in forms {
            let shown = error.to_string();
            assert!(
                matches!(error.or_disk_full(index), Error::DiskFull { .. }),
                "{shown}"
            );
        }
        let other = Error::Index(std::io::Error::from(std::io::ErrorKind::PermissionDenied).into());
        assert!(matches!(other.or_disk_full(index), Error::Index(_)));
        assert_eq!(
            Error::DiskFull { path: index.into() }.to_string(),
            "the disk holding idx is full: free space and run the same command again; nothing indexed before was lost"
        );
    }
}
