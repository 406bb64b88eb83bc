//! How far an ingest is, in bytes of the planned files that the indexer has taken in.
//!
//! The index writer indexes behind the reading: tantivy queues up to 10,000 articles, and on
//! a small archive every file was read and queued in under a second of a 6-second ingest. So
//! progress is counted where the indexing happens: each article document carries its share
//! of its file's bytes ([`BytesShare`]), added to the tally when the indexing thread is done
//! with the document and drops it. Files that need no indexing (unchanged, skipped) count
//! when they are dealt with. The tally reaches the planned bytes when the last article is in
//! the index's memory; what remains is committing and the steps of [`IngestStep`].

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::Duration;

/// A named step of the end of an ingest, once every file is read, in the order they come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IngestStep {
    /// The indexer indexes the articles still queued, writes its segments and commits; the
    /// progress goes on meanwhile.
    Committing,
    /// The reading tables of the committed words are built, while segments merge.
    BuildingReadings,
    /// Waiting for the merges of segments that settle the index.
    Merging,
    /// The reading tables are written next to the index.
    SavingReadings,
}

impl fmt::Display for IngestStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IngestStep::Committing => "indexing the last articles and committing",
            IngestStep::BuildingReadings => "building the reading tables",
            IngestStep::Merging => "merging segments",
            IngestStep::SavingReadings => "saving the reading tables",
        })
    }
}

/// How often progress is reported while the ingest waits on the indexer.
const REPORT_EVERY: Duration = Duration::from_millis(100);

/// Bytes of planned files indexed or dealt with, shared with the indexing threads.
#[derive(Debug, Default, Clone)]
pub(crate) struct IndexedBytes(Arc<AtomicU64>);

impl IndexedBytes {
    /// The bytes counted so far.
    pub(crate) fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }

    /// Counts `bytes` of a file that needs no indexing, now.
    pub(crate) fn add(&self, bytes: u64) {
        self.0.fetch_add(bytes, Ordering::Relaxed);
    }

    /// Splits a file's `bytes` into `parts` shares, one for each of its articles, counted as
    /// each is indexed; the shares add up to `bytes` (the first takes the remainder).
    pub(crate) fn shares(
        &self,
        bytes: u64,
        parts: u64,
    ) -> impl Iterator<Item = BytesShare> + use<> {
        let each = bytes / parts.max(1);
        let first = bytes - each * parts.saturating_sub(1);
        let tally = self.clone();
        (0..parts).map(move |n| BytesShare {
            tally: tally.clone(),
            bytes: if n == 0 { first } else { each },
        })
    }

    /// Runs `work` on a thread of its own and calls `report` with the tally every
    /// [`REPORT_EVERY`] until it is done, then once more. For the waits on the indexer
    /// (a commit), which would leave the progress still otherwise.
    pub(crate) fn reporting_while<T: Send>(
        &self,
        work: impl FnOnce() -> T + Send,
        mut report: impl FnMut(u64),
    ) -> T {
        let result = std::thread::scope(|scope| {
            let (done, finished) = mpsc::channel();
            let worker = scope.spawn(move || {
                // the receiver only goes when this scope does
                let _ = done.send(work());
            });
            loop {
                match finished.recv_timeout(REPORT_EVERY) {
                    Ok(result) => break result,
                    Err(mpsc::RecvTimeoutError::Timeout) => report(self.get()),
                    Err(mpsc::RecvTimeoutError::Disconnected) => {
                        // the work panicked: pass the panic on
                        match worker.join() {
                            Err(panic) => std::panic::resume_unwind(panic),
                            Ok(()) => unreachable!("the worker sends before it ends"),
                        }
                    }
                }
            }
        });
        report(self.get());
        result
    }
}

/// An article's share of its file's bytes, added to the tally when the article's document
/// is dropped: by the indexing thread, once it is indexed.
#[derive(Debug)]
pub(crate) struct BytesShare {
    tally: IndexedBytes,
    bytes: u64,
}

impl Drop for BytesShare {
    fn drop(&mut self) {
        self.tally.add(self.bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_add_up_to_the_file_as_they_are_dropped() {
        let tally = IndexedBytes::default();
        let shares: Vec<_> = tally.shares(10, 3).collect();
        assert_eq!(tally.get(), 0);
        drop(shares);
        assert_eq!(tally.get(), 10);
        tally.add(5);
        assert_eq!(tally.get(), 15);
    }

    #[test]
    fn the_work_s_result_comes_back_with_a_last_report() {
        let tally = IndexedBytes::default();
        let mut reports = Vec::new();
        let result = tally.reporting_while(
            || {
                tally.add(7);
                42
            },
            |bytes| reports.push(bytes),
        );
        assert_eq!(result, 42);
        assert_eq!(reports.last(), Some(&7));
    }
}
