//! `fahras ingest`: runs the library's ingest with a progress bar on a terminal, problems on
//! stderr as they happen, and a summary at the end.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use fahras::corpus::ArticleFormat;
use fahras::index::{IngestNotice, IngestObserver, IngestStep, SkippedInput};
use fahras::{FahrasIndex, IngestOptions, IngestReport};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{Outcome, counted};
use crate::cli::IngestArgs;
use fahras::output::human::human_bytes;

/// `fahras ingest`: the arguments resolved into the library's [`IngestOptions`].
pub fn run(index_dir: &Path, args: IngestArgs) -> anyhow::Result<Outcome> {
    let options = IngestOptions {
        memory_budget_bytes: args.memory_mb * 1024 * 1024,
        threads: args.threads,
        commit_every: args.commit_every,
        max_file_size: args.max_file_size,
        rebuild: args.rebuild,
        follow_links: args.follow,
    };
    ingest(index_dir, &args.paths, &options, args.quiet)
}

/// Runs the ingest of `paths` into the index at `index_dir`.
fn ingest(
    index_dir: &Path,
    paths: &[PathBuf],
    options: &IngestOptions,
    quiet: bool,
) -> anyhow::Result<Outcome> {
    for path in paths {
        std::fs::metadata(path).map_err(|e| fahras::Error::io(path, e))?;
    }
    if index_dir.is_file() {
        anyhow::bail!(
            "--index {}: a file, not an index folder; give a folder (a new one is created)",
            index_dir.display()
        );
    }
    let index_is_new = !index_dir.exists();
    let opened = if options.rebuild {
        FahrasIndex::open_for_rebuild(index_dir)
    } else {
        FahrasIndex::open_or_create(index_dir)
    };
    let index = opened
        .with_context(|| format!("cannot open or create the index at {}", index_dir.display()))?;
    let show_progress = !quiet && std::io::stderr().is_terminal();
    let mut progress = Progress::new(show_progress);
    let report = index.ingest_paths(paths, options, &mut progress);
    progress.finish();
    let report = report?;
    for root in &report.empty_roots {
        let what = if root.is_dir() {
            "no article files found in this folder"
        } else {
            "not an article file"
        };
        eprintln!(
            "fahras: {}: {what}; fahras reads {}",
            fahras::error::shown(root),
            ArticleFormat::EXTENSIONS
                .map(|(e, _)| format!(".{e}"))
                .join(" ")
        );
    }
    if index_is_new && report.documents == 0 {
        // Nothing to search: leave no empty index behind to be mistaken for one.
        drop(index);
        std::fs::remove_dir_all(index_dir).map_err(|e| fahras::Error::io(index_dir, e))?;
        eprintln!(
            "fahras: nothing indexed, so no index was created at {}",
            index_dir.display()
        );
        return Ok(Outcome::InputError);
    }
    if !quiet {
        print_summary(&report, index_dir);
    }
    Ok(if report.is_clean() && report.empty_roots.is_empty() {
        Outcome::Success
    } else {
        Outcome::InputError
    })
}

/// The progress bar of the indexing. Binary units (KiB, MiB), as the summary and `fahras
/// stats` write sizes. It counts the bytes of the files whose articles the indexer has taken
/// in ([`IngestObserver::progressed`]), not those read: the reading runs ahead of the
/// indexing (tantivy queues up to 10,000 articles), and a bar of the reading reached 100%
/// with "ETA 0s" in the first second of a 6-second ingest. So its ETA is the indexing's.
const INDEXING_BAR: &str = "indexing {wide_bar} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}";

/// Two lines: what happened to files and articles, then the index and the speed.
fn print_summary(report: &IngestReport, index_dir: &Path) {
    for line in summary(report, index_dir) {
        println!("{line}");
    }
}

/// The lines of [`print_summary`].
fn summary(report: &IngestReport, index_dir: &Path) -> [String; 2] {
    let seconds = report.elapsed.as_secs_f64();
    [
        format!(
            "files: {} added, {} updated, {} removed, {} unchanged, {} skipped; articles: {} indexed, {} removed, {} skipped",
            report.files_added,
            report.files_updated,
            report.files_removed,
            report.files_unchanged,
            report.files_skipped,
            report.articles_indexed,
            report.articles_removed,
            report.parts_skipped,
        ),
        format!(
            "index {}: {}; took {seconds:.2} s; {} read ({}, {}/s)",
            index_dir.display(),
            counted(report.documents, "article"),
            counted(report.files_read, "file"),
            human_bytes(report.bytes_read),
            human_bytes((report.bytes_read as f64 / seconds.max(1e-9)) as u64),
        ),
    ]
}

/// Prints skipped inputs, and draws a progress bar on stderr when asked to.
struct Progress {
    bar: Option<ProgressBar>,
    files_total: u64,
    files_done: u64,
}

impl Progress {
    fn new(show: bool) -> Progress {
        let bar = show.then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(spinner("looking for files…"));
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Progress {
            bar,
            files_total: 0,
            files_done: 0,
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl IngestObserver for Progress {
    fn skipped(&mut self, skip: &SkippedInput) {
        let line = format!("fahras: skipped {}", skip.reason.worded(&super::flag));
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    fn noticed(&mut self, notice: &IngestNotice) {
        let line = format!("fahras: {}", notice.worded(&super::flag));
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    fn planned(&mut self, files: u64, bytes: u64) {
        self.files_total = files;
        if let Some(bar) = &self.bar {
            bar.set_style(
                ProgressStyle::with_template(INDEXING_BAR).expect("a valid progress template"),
            );
            bar.set_length(bytes);
            bar.reset();
        }
    }

    fn file_done(&mut self, _bytes: u64) {
        self.files_done += 1;
        if let Some(bar) = &self.bar {
            bar.set_message(format!(
                "{}/{} files read",
                self.files_done, self.files_total
            ));
        }
    }

    fn progressed(&mut self, bytes: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(bytes);
        }
    }

    fn step(&mut self, step: IngestStep) {
        if let Some(bar) = &self.bar {
            match step {
                // the bar goes on: the indexer takes in the articles still queued
                IngestStep::Committing => bar.set_message(format!("{step}…")),
                _ => {
                    bar.set_style(spinner(&format!("{step}…")));
                    bar.reset_elapsed();
                }
            }
        }
    }
}

/// A spinner with a message and the time spent.
fn spinner(message: &str) -> ProgressStyle {
    ProgressStyle::with_template(&format!("{{spinner}} {message} {{elapsed}}"))
        .expect("a valid progress template")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: the bar said MiB and the summary MB. (Its ETA is the indexing's: the
    /// library test `the_ingest_reports_its_progress_and_steps_in_order` shows what it counts.)
    #[test]
    fn the_progress_bar_uses_the_summary_s_unit() {
        assert!(INDEXING_BAR.contains("{binary_bytes}"));
        assert!(ProgressStyle::with_template(INDEXING_BAR).is_ok());
        let report = IngestReport {
            bytes_read: 3 * 1024 * 1024,
            ..IngestReport::default()
        };
        assert!(summary(&report, Path::new("idx"))[1].contains("(3.0 MiB, "));
    }
}
