//! Reading and parsing article files on several threads, handing the results over in the
//! order the files were found, within a memory budget.
//!
//! Order matters: when two files give the same article id, the first one found keeps it, the
//! same on every run. Memory is bounded by the bytes of the files being read or waiting to be
//! indexed; threads claim files in order and wait while the budget is spent, so the file the
//! indexer waits for is always already claimed and never starved.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{ErrorKind, Read};
use std::path::PathBuf;
use std::sync::{Condvar, Mutex, mpsc};

use super::manifest::{FileStamp, content_hash, modified_ns};
use crate::corpus::{ParsedFile, parse_article_bytes};
use crate::error::{Error, Result, panic_message};

/// A file to read.
#[derive(Debug)]
pub struct ReadJob {
    /// Where to read it.
    pub path: PathBuf,
    /// Its path relative to the ingested folder (default article id).
    pub relative: String,
    /// Its size when it was found.
    pub size: u64,
    /// The hash of the version in the index, if it is there: the same bytes are not parsed.
    pub indexed_hash: Option<u64>,
}

impl AsRef<ReadJob> for ReadJob {
    fn as_ref(&self) -> &ReadJob {
        self
    }
}

/// What reading a file gave.
#[derive(Debug)]
pub enum ReadOutcome {
    /// The bytes are those already indexed, and the file is still being written (see
    /// [`FileStamp::UNSETTLED`]): nothing to do yet.
    Unchanged,
    /// The file was read and parsed. `same_bytes`: its bytes are those already indexed, only
    /// its modification time changed (indexing it again stores the new time, so it is not
    /// read again on every run).
    Parsed {
        /// The version read.
        stamp: FileStamp,
        /// Its articles.
        parsed: ParsedFile,
        /// True when the bytes are those already indexed.
        same_bytes: bool,
    },
    /// The file could not be read or holds no article.
    Failed(Error),
    /// The file was gone.
    Vanished,
}

/// How the pool runs.
#[derive(Debug, Clone, Copy)]
pub struct PoolLimits {
    /// Reading threads.
    pub threads: usize,
    /// Bytes of files read but not yet indexed; one file is always allowed, however large.
    pub bytes_in_flight: u64,
    /// Files larger than this are not read.
    pub max_file_size: u64,
}

/// Reads every job on `limits.threads` threads and calls `consume` with each outcome, in job
/// order, on the calling thread. Stops at the first error `consume` returns.
pub fn read_in_order<J: AsRef<ReadJob> + Sync>(
    jobs: &[J],
    limits: PoolLimits,
    mut consume: impl FnMut(usize, ReadOutcome) -> Result<()>,
) -> Result<()> {
    let queue = JobQueue::new(jobs, limits.bytes_in_flight);
    std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::channel();
        for _ in 0..limits.threads.max(1) {
            let sender = sender.clone();
            let queue = &queue;
            scope.spawn(move || {
                while let Some(n) = queue.claim() {
                    let job = jobs[n].as_ref();
                    let outcome = guarded(job, || read_job(job, limits.max_file_size));
                    if sender.send((n, outcome)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        // However this thread leaves (an error, a panic), the readers must not wait on.
        let _stop_readers = StopOnDrop(&queue);
        let mut early = BTreeMap::new();
        let mut next = 0;
        for (n, outcome) in receiver {
            early.insert(n, outcome);
            while let Some(outcome) = early.remove(&next) {
                let consumed = consume(next, outcome);
                queue.release(jobs[next].as_ref().size);
                next += 1;
                if let Err(error) = consumed {
                    queue.stop();
                    return Err(error);
                }
            }
        }
        Ok(())
    })
}

struct StopOnDrop<'q, 'a, J: AsRef<ReadJob>>(&'q JobQueue<'a, J>);

impl<J: AsRef<ReadJob>> Drop for StopOnDrop<'_, '_, J> {
    fn drop(&mut self) {
        self.0.stop();
    }
}

/// Hands out jobs in order while the bytes in flight stay within the budget.
struct JobQueue<'a, J> {
    jobs: &'a [J],
    budget: u64,
    state: Mutex<QueueState>,
    changed: Condvar,
}

struct QueueState {
    next: usize,
    in_flight: u64,
    stopped: bool,
}

impl<'a, J: AsRef<ReadJob>> JobQueue<'a, J> {
    fn new(jobs: &'a [J], budget: u64) -> JobQueue<'a, J> {
        JobQueue {
            jobs,
            budget,
            state: Mutex::new(QueueState {
                next: 0,
                in_flight: 0,
                stopped: false,
            }),
            changed: Condvar::new(),
        }
    }

    /// The next job to read, waiting for room in the budget; `None` when all are handed out.
    fn claim(&self) -> Option<usize> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if state.stopped || state.next >= self.jobs.len() {
                return None;
            }
            let size = self.jobs[state.next].as_ref().size;
            if state.in_flight == 0 || state.in_flight + size <= self.budget {
                state.in_flight += size;
                state.next += 1;
                return Some(state.next - 1);
            }
            state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    fn release(&self, size: u64) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.in_flight -= size;
        self.changed.notify_all();
    }

    fn stop(&self) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).stopped = true;
        self.changed.notify_all();
    }
}

/// `read()`, with a panic turned into a failure naming the file: a bug met on one file must
/// not stop the ingest (the reading thread goes on with the next file).
fn guarded(job: &ReadJob, read: impl FnOnce() -> ReadOutcome) -> ReadOutcome {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or_else(|panic| {
        ReadOutcome::Failed(Error::ReadPanicked {
            path: job.path.clone(),
            detail: panic_message(&*panic),
        })
    })
}

fn read_job(job: &ReadJob, max_file_size: u64) -> ReadOutcome {
    let (stamp, bytes) = match read_file(job, max_file_size) {
        Ok(read) => read,
        Err(Error::Io { error, .. }) if error.kind() == ErrorKind::NotFound => {
            return ReadOutcome::Vanished;
        }
        Err(error) => return ReadOutcome::Failed(error),
    };
    let same_bytes = job.indexed_hash == Some(stamp.hash);
    if same_bytes && stamp.modified_ns == FileStamp::UNSETTLED {
        return ReadOutcome::Unchanged;
    }
    match parse_article_bytes(&job.path, &job.relative, &bytes) {
        Ok(parsed) => ReadOutcome::Parsed {
            stamp,
            parsed,
            same_bytes,
        },
        Err(error) => ReadOutcome::Failed(error),
    }
}

/// Reads a file whole, with the size and time of the version read.
fn read_file(job: &ReadJob, max_file_size: u64) -> Result<(FileStamp, Vec<u8>)> {
    let path = &job.path;
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let metadata = file.metadata().map_err(|e| Error::io(path, e))?;
    let too_large = |size| Error::TooLarge {
        path: path.clone(),
        size,
        limit: max_file_size,
    };
    if metadata.len() > max_file_size {
        return Err(too_large(metadata.len()));
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(max_file_size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > max_file_size {
        return Err(too_large(bytes.len() as u64));
    }
    let stamp = FileStamp {
        size: metadata.len(),
        modified_ns: settled_modified_ns(&metadata),
        hash: content_hash(&bytes),
    };
    Ok((stamp, bytes))
}

/// How recent a modification time must be for the file to count as still changing.
const RACY_WINDOW_NS: i64 = 2_000_000_000;

/// The modification time to store, or [`FileStamp::UNSETTLED`] for a file modified in the last
/// two seconds: file systems keep times with a coarse clock, so a file written again in the
/// same tick, to the same size, would look unchanged. Such a file is hashed again next time.
fn settled_modified_ns(metadata: &std::fs::Metadata) -> i64 {
    let modified = modified_ns(metadata);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
    if now.saturating_sub(modified) < RACY_WINDOW_NS {
        FileStamp::UNSETTLED
    } else {
        modified
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(dir: &std::path::Path, name: &str, text: &str) -> ReadJob {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        ReadJob {
            path,
            relative: name.to_string(),
            size: text.len() as u64,
            indexed_hash: None,
        }
    }

    #[test]
    fn outcomes_come_in_job_order_whatever_the_budget() {
        let dir = tempfile::tempdir().unwrap();
        let mut jobs: Vec<ReadJob> = (0..40)
            .map(|n| {
                let text = format!("عنوان {n}\n{}\n", "نص الخبر ".repeat(n + 1));
                job(dir.path(), &format!("{n:02}.txt"), &text)
            })
            .collect();
        jobs.push(ReadJob {
            path: dir.path().join("gone.txt"),
            relative: "gone.txt".into(),
            size: 10,
            indexed_hash: None,
        });
        let same = "عنوان\nنص لم يتغير\n";
        jobs.push(job(dir.path(), "same.txt", same));
        jobs.last_mut().unwrap().indexed_hash = Some(content_hash(same.as_bytes()));
        jobs.push(job(dir.path(), "big.txt", &"كلمة ".repeat(150)));
        for (threads, budget) in [(1, 1), (3, 1), (3, 500), (4, u64::MAX)] {
            let limits = PoolLimits {
                threads,
                bytes_in_flight: budget,
                max_file_size: 1000,
            };
            let mut seen = Vec::new();
            read_in_order(&jobs, limits, |n, outcome| {
                seen.push(n);
                match (n, outcome) {
                    (40, ReadOutcome::Vanished) => {}
                    (41, ReadOutcome::Unchanged) => {}
                    (42, ReadOutcome::Failed(e)) => assert!(
                        e.to_string()
                            .ends_with("big.txt: 1350 bytes, larger than the limit of 1000 bytes (raise IngestOptions::max_file_size to index it)")
                    ),
                    (n, ReadOutcome::Parsed { parsed, .. }) if n < 40 => {
                        assert_eq!(parsed.articles[0].title, format!("عنوان {n}"))
                    }
                    (n, other) => panic!("job {n}: {other:?}"),
                }
                Ok(())
            })
            .unwrap();
            assert_eq!(seen, (0..43).collect::<Vec<_>>(), "threads {threads}");
        }
    }

    #[test]
    fn a_panic_while_reading_a_file_names_it_and_the_thread_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let bad = job(dir.path(), "bad.html", "<p>خبر</p>");
        let outcome = guarded(&bad, || panic!("parser bug"));
        let ReadOutcome::Failed(error) = outcome else {
            panic!("{outcome:?}");
        };
        assert!(
            error
                .to_string()
                .ends_with("bad.html: reading this file failed inside fahras (parser bug); skipped, please report it"),
            "{error}"
        );
        let good = job(dir.path(), "good.txt", "عنوان\nنص الخبر\n");
        assert!(matches!(
            guarded(&good, || read_job(&good, 1000)),
            ReadOutcome::Parsed { .. }
        ));
    }

    #[test]
    fn an_error_from_the_consumer_stops_the_readers() {
        let dir = tempfile::tempdir().unwrap();
        let jobs: Vec<ReadJob> = (0..50)
            .map(|n| job(dir.path(), &format!("{n}.txt"), "عنوان\nنص\n"))
            .collect();
        let limits = PoolLimits {
            threads: 3,
            bytes_in_flight: 30,
            max_file_size: 1000,
        };
        let mut consumed = 0;
        let result = read_in_order(&jobs, limits, |n, _| {
            consumed += 1;
            if n == 5 {
                return Err(Error::Vanished {
                    path: "stop".into(),
                });
            }
            Ok(())
        });
        assert!(result.is_err());
        assert_eq!(consumed, 6);
    }
}
