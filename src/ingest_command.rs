//! `fahras ingest`: runs the library's ingest with a progress bar on a terminal, problems on
//! stderr as they happen, and a summary at the end.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use fahras::index::{IngestObserver, SkippedInput};
use fahras::{FahrasIndex, IngestOptions, IngestReport};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::{Outcome, counted};

/// Runs the ingest of `paths` into the index at `index_dir`.
pub fn run(
    index_dir: &Path,
    paths: &[PathBuf],
    options: &IngestOptions,
    quiet: bool,
) -> anyhow::Result<Outcome> {
    for path in paths {
        std::fs::metadata(path).map_err(|e| fahras::Error::io(path, e))?;
    }
    let index = FahrasIndex::open_or_create(index_dir)
        .with_context(|| format!("cannot open or create the index at {}", index_dir.display()))?;
    let show_progress = !quiet && std::io::stderr().is_terminal();
    let mut progress = Progress::new(show_progress);
    let report = index.ingest_paths(paths, options, &mut progress);
    progress.finish();
    let report = report?;
    for root in &report.empty_roots {
        eprintln!(
            "fahras: {}: no article files found (.txt .md .json .jsonl .trec .html)",
            fahras::error::shown(root)
        );
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

/// Two lines: what happened to files and articles, then the index and the speed.
fn print_summary(report: &IngestReport, index_dir: &Path) {
    println!(
        "files: {} added, {} updated, {} removed, {} unchanged, {} skipped; articles: {} indexed, {} removed, {} skipped",
        report.files_added,
        report.files_updated,
        report.files_removed,
        report.files_unchanged,
        report.files_skipped,
        report.articles_indexed,
        report.articles_removed,
        report.parts_skipped,
    );
    let seconds = report.elapsed.as_secs_f64();
    println!(
        "index {}: {}; took {seconds:.2} s; {} read ({:.1} MB, {:.1} MB/s)",
        index_dir.display(),
        counted(report.documents, "article"),
        counted(report.files_read, "file"),
        report.bytes_read as f64 / 1e6,
        report.bytes_read as f64 / 1e6 / seconds.max(1e-9),
    );
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
        let line = format!("fahras: skipped {}", skip.reason);
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    fn noticed(&mut self, notice: &str) {
        let line = format!("fahras: {notice}");
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    fn planned(&mut self, files: u64, bytes: u64) {
        self.files_total = files;
        if let Some(bar) = &self.bar {
            bar.set_style(
                ProgressStyle::with_template(
                    "{wide_bar} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}",
                )
                .expect("a valid progress template"),
            );
            bar.set_length(bytes);
            bar.reset();
        }
    }

    fn file_done(&mut self, bytes: u64) {
        self.files_done += 1;
        if let Some(bar) = &self.bar {
            bar.inc(bytes);
            let per_second = self.files_done as f64 / bar.elapsed().as_secs_f64().max(1e-3);
            bar.set_message(format!(
                "{}/{} files, {per_second:.0} files/s",
                self.files_done, self.files_total
            ));
        }
    }

    fn committing(&mut self) {
        if let Some(bar) = &self.bar {
            bar.set_style(spinner("indexing the last files and committing…"));
            bar.reset_elapsed();
        }
    }
}

/// A spinner with a message and the time spent.
fn spinner(message: &str) -> ProgressStyle {
    ProgressStyle::with_template(&format!("{{spinner}} {message} {{elapsed}}"))
        .expect("a valid progress template")
}
