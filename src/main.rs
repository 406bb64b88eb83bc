//! The `fahras` command: a thin layer over the library.
//!
//! `main` parses the arguments ([`cli`]), [`run`] hands each subcommand to its module in
//! [`commands`], and `main` prints an error chain once and maps the outcome to the exit code.

mod cli;
mod commands;

use std::io;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use cli::{Command, Opts};
use commands::Outcome;

/// mimalloc instead of glibc's allocator: glibc kept what each reading and indexing thread
/// freed in per-thread arenas, so a long ingest's resident size grew with the corpus.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let matches = match Opts::command().try_get_matches() {
        Ok(matches) => matches,
        Err(error) => {
            let args: Vec<String> = std::env::args().collect();
            if error.kind() == clap::error::ErrorKind::UnknownArgument
                && let Some(hint) = excluded_word_hint(&args)
            {
                eprintln!("fahras: {hint}");
                return Outcome::InputError.into();
            }
            error.exit()
        }
    };
    let opts = Opts::from_arg_matches(&matches).unwrap_or_else(|error| error.exit());
    if let Some(refusal) = cli::ignored_flag(&opts.command, &matches) {
        eprintln!("fahras: {refusal}");
        return Outcome::InputError.into();
    }
    match run(opts) {
        Ok(outcome) => outcome.into(),
        Err(error) => {
            if is_broken_pipe(&error) {
                return Outcome::Success.into();
            }
            eprintln!("fahras: {}", one_line(&error));
            Outcome::InputError.into()
        }
    }
}

/// An error and its causes in one line, each cause once: a cause whose message is already
/// in the line (tantivy's error, quoted by fahras's `index error: …`) is not repeated. The
/// library's errors name the flags that set the options they speak of ([`commands::flag`]).
fn one_line(error: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in error.chain() {
        let text = match cause.downcast_ref::<fahras::Error>() {
            Some(error) => error.worded(&commands::flag),
            None => cause.to_string(),
        };
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

/// Runs one subcommand.
fn run(opts: Opts) -> anyhow::Result<Outcome> {
    let index = opts.index.as_path();
    match opts.command {
        Command::Ingest(args) => commands::ingest::run(index, args),
        Command::Query(args) => commands::query::run(index, args),
        Command::Similar(args) => commands::query::similar(index, args),
        Command::Terms(args) => commands::terms::run(index, args),
        Command::Export(args) => commands::export::run(index, args),
        Command::Eval(args) => commands::eval::run(index, args),
        Command::Person(args) => commands::person::run(index, args),
        Command::Stats(args) => commands::stats::run(index, args),
        Command::Aliases { action } => commands::aliases::run(index, action),
        Command::Serve(args) => commands::serve::run(index, args),
        Command::Completions(args) => commands::shell::completions(args),
        Command::Man => commands::shell::man(),
        Command::Analyze(args) => commands::analyze::run(index, args),
    }
}

/// For an argument like `-ترامب` (a word to leave out, which clap reads as options): how to
/// write that query.
fn excluded_word_hint(args: &[String]) -> Option<String> {
    let command = Opts::command();
    let subcommand = args.iter().find(|a| {
        command
            .get_subcommands()
            .any(|c| c.get_name() == a.as_str())
    })?;
    let word = args.iter().find_map(|arg| {
        let word = arg.strip_prefix('-')?;
        word.chars().next().filter(|c| !c.is_ascii())?;
        Some(word)
    })?;
    Some(format!(
        "-{word}: read as an option; to search every article without {word}, write \
         `fahras {subcommand} -- '* -{word}'` or `fahras {subcommand} -e '* -{word}'`"
    ))
}

/// A closed stdout (`fahras query … | head -1`): the reader has what it wanted, so the
/// command ends quietly with success, as `rg` does. serde_json's error hides the I/O error
/// from the chain, so it is asked for its kind.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let kind = if let Some(e) = cause.downcast_ref::<io::Error>() {
            Some(e.kind())
        } else if let Some(e) = cause.downcast_ref::<serde_json::Error>() {
            e.io_error_kind()
        } else if let Some(fahras::Error::Io { error, .. }) = cause.downcast_ref::<fahras::Error>()
        {
            Some(error.kind())
        } else {
            None
        };
        kind == Some(io::ErrorKind::BrokenPipe)
    })
}
