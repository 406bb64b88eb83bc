//! One module per subcommand. Each resolves its parsed arguments ([`crate::cli`]) into the
//! library's request once, runs it on the index, and writes the result with a printer of
//! [`fahras::output`]; none holds search or formatting logic of its own.

pub mod aliases;
pub mod analyze;
pub mod batch;
pub mod eval;
pub mod export;
pub mod ingest;
pub mod person;
pub mod query;
pub mod serve;
pub mod shell;
pub mod stats;
pub mod terms;

use std::io::{self, IsTerminal};
use std::process::ExitCode;

use fahras::error::Setting;
use time::OffsetDateTime;

use crate::cli::{ColorChoice, DateRangeArgs};

/// Exit codes: 0 ok, 1 no hits, 2 usage or input error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    NoHits,
    InputError,
}

impl Outcome {
    /// Success when something was found, no hits otherwise.
    fn found(count: u64) -> Outcome {
        if count == 0 {
            Outcome::NoHits
        } else {
            Outcome::Success
        }
    }
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> ExitCode {
        ExitCode::from(match outcome {
            Outcome::Success => 0,
            Outcome::NoHits => 1,
            Outcome::InputError => 2,
        })
    }
}

/// The flag that sets a library option: the command line words the library's errors with it
/// ([`fahras::Error::worded`]).
pub fn flag(setting: Setting) -> &'static str {
    match setting {
        Setting::MaxFileSize => "--max-file-size",
        Setting::FollowLinks => "--follow",
        Setting::Address => "--addr",
        Setting::AllowRemote => "--allow-remote",
        Setting::DateRange => "--from and --to",
        Setting::IngestInto => "fahras ingest FOLDER --index",
        Setting::RebuildInto => "fahras ingest --rebuild FOLDER --index",
    }
}

/// `1 article`, `2 articles`.
pub fn counted(n: u64, noun: &str) -> String {
    match (n, noun.split_once(' ')) {
        (1, _) => format!("1 {noun}"),
        (_, Some((head, tail))) => format!("{n} {head}s {tail}"),
        (_, None) => format!("{n} {noun}s"),
    }
}

/// Whether to colour the output: `--color`, and for `auto` a terminal without `NO_COLOR`.
fn use_colour(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// Parses the `--from` and `--to` values (a range that ends before it starts is refused).
fn date_range(
    dates: &DateRangeArgs,
) -> anyhow::Result<(Option<OffsetDateTime>, Option<OffsetDateTime>)> {
    let DateRangeArgs { from, to } = dates;
    Ok(fahras::search::date_range(
        ("--from", from.as_deref()),
        ("--to", to.as_deref()),
    )?)
}
