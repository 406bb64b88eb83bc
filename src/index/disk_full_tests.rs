//! A full disk during an ingest, simulated: the index's tantivy files are written through a
//! directory whose writes fail with ENOSPC once a number of bytes is written (a small tmpfs
//! needs root). The disk is "freed" by opening the index again without it.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tantivy::directory::error::{DeleteError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    AntiCallToken, DirectoryLock, FileHandle, Lock, MmapDirectory, TerminatingWrite, WatchCallback,
    WatchHandle, WritePtr,
};
use tantivy::{Directory, Index};

use super::{FahrasIndex, IngestOptions, fields_of};
use crate::analysis::register_analyzers;
use crate::error::Error;

/// A directory on a disk with `room` bytes left.
#[derive(Debug, Clone)]
struct FullDisk {
    inner: MmapDirectory,
    room: Arc<AtomicU64>,
}

impl FullDisk {
    /// Takes `bytes` of the room left, or fails as a full disk does.
    fn take(&self, bytes: usize) -> io::Result<()> {
        let taken = self
            .room
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |room| {
                room.checked_sub(bytes as u64)
            });
        match taken {
            Ok(_) => Ok(()),
            Err(_) => Err(io::Error::from_raw_os_error(libc::ENOSPC)),
        }
    }
}

/// A file written on a [`FullDisk`].
struct FullDiskFile {
    disk: FullDisk,
    inner: Box<dyn TerminatingWrite + Send + Sync>,
}

impl Write for FullDiskFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.disk.take(buf.len())?;
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl TerminatingWrite for FullDiskFile {
    fn terminate_ref(&mut self, token: AntiCallToken) -> io::Result<()> {
        self.inner.terminate_ref(token)
    }
}

impl Directory for FullDisk {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        let inner = self
            .inner
            .open_write(path)?
            .into_inner()
            .map_err(|e| OpenWriteError::wrap_io_error(e.into_error(), path.to_path_buf()))?;
        let file = FullDiskFile {
            disk: self.clone(),
            inner,
        };
        Ok(io::BufWriter::new(Box::new(file)))
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.take(data.len())?;
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(
        &self,
        lock: &Lock,
    ) -> Result<DirectoryLock, tantivy::directory::error::LockError> {
        self.inner.acquire_lock(lock)
    }

    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(callback)
    }
}

/// The index at `path`, its tantivy files on a disk with `room` bytes left.
fn open_on_full_disk(path: &Path, room: u64) -> FahrasIndex {
    let disk = FullDisk {
        inner: MmapDirectory::open(path).unwrap(),
        room: Arc::new(AtomicU64::new(room)),
    };
    let index = Index::open(disk).unwrap();
    register_analyzers(index.tokenizers());
    let fields = fields_of(&index.schema()).unwrap();
    FahrasIndex {
        path: path.to_path_buf(),
        index,
        fields,
    }
}

/// A sample article of `data/`.
fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(name)
}

/// Regression (issue 17 item 11): a full disk printed tantivy's message twice (or "An index
/// writer was killed"). It is now one error, `Error::DiskFull`, naming the index; the index
/// keeps its last commit, and the same ingest once there is room completes the job.
#[test]
fn a_full_disk_is_one_clear_error_and_the_ingest_run_again_completes() {
    let dir = tempfile::tempdir().unwrap();
    let (articles, index_dir) = (dir.path().join("articles"), dir.path().join("idx"));
    std::fs::create_dir(&articles).unwrap();
    let copy = |name: &str| std::fs::copy(sample(name), articles.join(name)).unwrap();
    copy("sana-china-russia-sco.txt");
    let options = IngestOptions {
        memory_budget_bytes: 20 * 1024 * 1024,
        threads: 1,
        ..IngestOptions::default()
    };
    let ingest = |index: &FahrasIndex| index.ingest(&articles, &options, &mut |_| {});
    let first = ingest(&FahrasIndex::open_or_create(&index_dir).unwrap()).unwrap();
    assert_eq!(first.documents, 1);
    for name in ["heritage.md", "wire.jsonl", "lavrov-blinken-call.txt"] {
        copy(name);
    }
    // the ingest writes about 18 KB of tantivy files: the disk is full from the first write,
    // in the segment, and near the end
    for room in [0, 2_000, 9_000, 17_000] {
        let error = ingest(&open_on_full_disk(&index_dir, room)).unwrap_err();
        assert!(
            matches!(&error, Error::DiskFull { path } if *path == index_dir),
            "room {room}: {error:?}"
        );
        assert_eq!(
            error.to_string(),
            format!(
                "the disk holding {} is full: free space and run the same command again; nothing indexed before was lost",
                index_dir.display()
            )
        );
        let kept = FahrasIndex::open(&index_dir).unwrap();
        assert_eq!(
            kept.reader().unwrap().searcher().num_docs(),
            1,
            "room {room}"
        );
    }
    let again = ingest(&FahrasIndex::open(&index_dir).unwrap()).unwrap();
    assert!(again.documents > 4, "{again:?}");
    assert!(again.is_clean(), "{again:?}");
}
