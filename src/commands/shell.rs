//! `fahras completions SHELL` and `fahras man`: what shells and `man` read, made from the
//! command line's definition ([`crate::cli`]).

use std::io::{self, Write};

use clap::CommandFactory;

use super::Outcome;
use crate::cli::{CompletionsArgs, Opts};

/// Writes the completion script for a shell.
pub fn completions(args: CompletionsArgs) -> anyhow::Result<Outcome> {
    // Into memory first: clap_complete panics when it cannot write (a closed pipe).
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Opts::command(), "fahras", &mut script);
    let mut out = io::stdout().lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(Outcome::Success)
}

/// Writes the manual page (roff).
pub fn man() -> anyhow::Result<Outcome> {
    let mut out = io::stdout().lock();
    clap_mangen::Man::new(Opts::command()).render(&mut out)?;
    out.flush()?;
    Ok(Outcome::Success)
}
