//! Finding the article files under a folder.
//!
//! As ripgrep and fd do, symbolic links are not followed unless asked (`--follow`): a link in
//! an archive folder to `/etc/passwd` or to a folder elsewhere would otherwise be indexed and
//! served. When links are followed, those that lead out of the folder are named.
//!
//! A search index inside the folder (fahras's own, or any tantivy index: `meta.json` beside
//! tantivy's files) is never walked into, so `fahras ingest . --index idx` does not read its
//! own index.

use std::path::{Path, PathBuf};

use walkdir::{DirEntry, WalkDir};

use super::ArticleFormat;

/// An article file found under the ingested folder.
#[derive(Debug, Clone)]
pub struct FoundFile {
    /// Where the file is.
    pub path: PathBuf,
    /// Its path relative to the ingested folder (or its name, when a single file is ingested),
    /// with `/` separators: shown to users and used as the default id.
    pub relative: String,
}

/// What walking a folder meets, besides errors.
#[derive(Debug, Clone)]
pub enum Walked {
    /// An article file.
    File(FoundFile),
    /// A symbolic link that was followed to a file or folder outside the walked folder.
    LinkOutside {
        /// The link.
        link: PathBuf,
        /// Where it leads.
        target: PathBuf,
    },
    /// A symbolic link to an article file or a folder, not followed (links are followed only
    /// when asked).
    LinkNotFollowed(PathBuf),
    /// Something with an article file's name that is not a file (a FIFO, a socket, a device):
    /// reading it could block forever, so it is not read.
    NotAFile {
        /// Where it is.
        path: PathBuf,
        /// What it is (`a FIFO`).
        kind: &'static str,
    },
}

/// Walks `root` (a folder or a single file) in a stable order and yields the files fahras can
/// read (see [`ArticleFormat::from_path`]), skipping hidden files and folders, index folders
/// and symbolic links. Errors (an unreadable folder) are yielded as they come so the caller
/// can report them and go on. See [`walk_article_files`] for links and the rest.
pub fn find_article_files(root: &Path) -> impl Iterator<Item = Result<FoundFile, walkdir::Error>> {
    walk_article_files(root, false).filter_map(|walked| match walked {
        Ok(Walked::File(file)) => Some(Ok(file)),
        Ok(_) => None,
        Err(error) => Some(Err(error)),
    })
}

/// Walks `root` as [`find_article_files`] does, following symbolic links when `follow_links`
/// (a link loop is then an error), and yields what the caller may want to tell the user:
/// links followed out of `root`, links not followed, and things that are not files. `root`
/// itself is followed when it is a link, as ripgrep does with the paths it is given.
pub fn walk_article_files(
    root: &Path,
    follow_links: bool,
) -> impl Iterator<Item = Result<Walked, walkdir::Error>> {
    let base = if root.is_file() {
        root.parent().map(Path::to_path_buf).unwrap_or_default()
    } else {
        root.to_path_buf()
    };
    let canonical_root = follow_links
        .then(|| std::fs::canonicalize(&base).ok())
        .flatten();
    WalkDir::new(root)
        .follow_links(follow_links)
        .follow_root_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0 || !(is_hidden(entry.file_name()) || is_index_folder(entry))
        })
        .flat_map(move |entry| {
            let walked = match entry {
                Ok(entry) => classify(&entry, &base, canonical_root.as_deref()),
                Err(error) => [Some(Err(error)), None],
            };
            walked.into_iter().flatten()
        })
}

/// What one walked entry gives: up to two items (a link followed out of the root, then the
/// file it leads to).
fn classify(
    entry: &DirEntry,
    base: &Path,
    canonical_root: Option<&Path>,
) -> [Option<Result<Walked, walkdir::Error>>; 2] {
    let file_type = entry.file_type();
    if let Some(canonical_root) = canonical_root
        && entry.path_is_symlink()
        && (file_type.is_dir() || is_article_file(entry))
        && let Ok(target) = std::fs::canonicalize(entry.path())
        && !target.starts_with(canonical_root)
    {
        let outside = Walked::LinkOutside {
            link: entry.path().to_path_buf(),
            target,
        };
        return [Some(Ok(outside)), file(entry, base)];
    }
    if file_type.is_symlink() && (is_article_name(entry.path()) || entry.path().is_dir()) {
        return [
            Some(Ok(Walked::LinkNotFollowed(entry.path().to_path_buf()))),
            None,
        ];
    }
    if file_type.is_dir() || file_type.is_symlink() || !is_article_name(entry.path()) {
        return [None, None];
    }
    if let Some(kind) = special_file_kind(&file_type) {
        let path = entry.path().to_path_buf();
        return [Some(Ok(Walked::NotAFile { path, kind })), None];
    }
    [file(entry, base), None]
}

fn is_article_name(path: &Path) -> bool {
    ArticleFormat::from_path(path).is_some()
}

fn is_article_file(entry: &DirEntry) -> bool {
    entry.file_type().is_file() && is_article_name(entry.path())
}

/// The entry as a found file, when it is an article file.
fn file(entry: &DirEntry, base: &Path) -> Option<Result<Walked, walkdir::Error>> {
    if !is_article_file(entry) {
        return None;
    }
    let relative = entry
        .path()
        .strip_prefix(base)
        .unwrap_or(entry.path())
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    Some(Ok(Walked::File(FoundFile {
        path: entry.path().to_path_buf(),
        relative,
    })))
}

/// What a file type that is neither a file, a folder nor a link is, in words.
fn special_file_kind(file_type: &std::fs::FileType) -> Option<&'static str> {
    if file_type.is_file() || file_type.is_dir() || file_type.is_symlink() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return Some("a device");
        }
    }
    Some("not a regular file")
}

/// A folder holding a tantivy index (fahras's or another program's): its `meta.json` and
/// tantivy's own `.managed.json`, or segment files beside `meta.json`.
fn is_index_folder(entry: &DirEntry) -> bool {
    if !entry.file_type().is_dir() {
        return false;
    }
    let folder = entry.path();
    if !folder.join("meta.json").is_file() {
        return false;
    }
    if folder.join(".managed.json").is_file() {
        return true;
    }
    std::fs::read_dir(folder).is_ok_and(|mut entries| {
        entries.any(|e| {
            e.is_ok_and(|e| {
                Path::new(&e.file_name())
                    .extension()
                    .and_then(|x| x.to_str())
                    .is_some_and(|x| matches!(x, "idx" | "term" | "pos" | "store" | "fast"))
            })
        })
    })
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_article_files_in_order_and_skips_hidden_and_unknown_ones() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("b/.hidden")).unwrap();
        for name in [
            "b/z.txt",
            "a.json",
            "b/.hidden/x.txt",
            "LICENSE",
            "notes.pdf",
            "c.jsonl",
        ] {
            std::fs::write(root.join(name), "x").unwrap();
        }
        let found: Vec<String> = find_article_files(root)
            .map(|f| f.unwrap().relative)
            .collect();
        assert_eq!(found, ["a.json", "b/z.txt", "c.jsonl"]);
    }

    #[test]
    fn an_index_folder_is_not_walked_into() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("idx")).unwrap();
        std::fs::create_dir_all(root.join("other-tool")).unwrap();
        std::fs::create_dir_all(root.join("notes")).unwrap();
        for name in [
            "article.txt",
            "idx/meta.json",
            "idx/.managed.json",
            "idx/fahras.json",
            "other-tool/meta.json",
            "other-tool/0a1b.term",
            "notes/meta.json",
        ] {
            std::fs::write(root.join(name), "{}").unwrap();
        }
        let found: Vec<String> = find_article_files(root)
            .map(|f| f.unwrap().relative)
            .collect();
        // a meta.json without tantivy's files is an article like any other
        assert_eq!(found, ["article.txt", "notes/meta.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_only_when_asked_and_those_leading_out_are_named() {
        use std::os::unix::fs::symlink;
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "كلمة السر").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("2017")).unwrap();
        std::fs::write(root.join("2017/a.txt"), "خبر").unwrap();
        symlink(outside.path().join("secret.txt"), root.join("passwd.txt")).unwrap();
        symlink(outside.path(), root.join("elsewhere")).unwrap();
        symlink(root.join("2017/a.txt"), root.join("same.txt")).unwrap();
        let walked = |follow| {
            walk_article_files(root, follow)
                .map(|w| match w.unwrap() {
                    Walked::File(f) => format!("file {}", f.relative),
                    Walked::LinkOutside { link, target } => format!(
                        "outside {} -> {}",
                        link.strip_prefix(root).unwrap().display(),
                        target.file_name().unwrap().to_string_lossy()
                    ),
                    Walked::LinkNotFollowed(link) => {
                        format!("link {}", link.strip_prefix(root).unwrap().display())
                    }
                    Walked::NotAFile { path, kind } => format!("{kind} {}", path.display()),
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(
            walked(false),
            [
                "file 2017/a.txt",
                "link elsewhere",
                "link passwd.txt",
                "link same.txt"
            ]
        );
        let secret = outside.path().join("secret.txt").canonicalize().unwrap();
        let followed = walked(true);
        assert_eq!(followed[0], "file 2017/a.txt");
        assert!(
            followed[1].starts_with("outside elsewhere -> "),
            "{followed:?}"
        );
        assert_eq!(
            followed[2..],
            [
                "file elsewhere/secret.txt",
                "outside passwd.txt -> secret.txt",
                "file passwd.txt",
                "file same.txt"
            ]
        );
        assert!(secret.exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_named_and_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.txt");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // no mkfifo on this system
        }
        let walked: Vec<Walked> = walk_article_files(dir.path(), false)
            .map(Result::unwrap)
            .collect();
        assert!(
            matches!(&walked[..], [Walked::NotAFile { path, kind: "a FIFO (named pipe)" }] if *path == fifo),
            "{walked:?}"
        );
    }

    #[test]
    fn a_single_file_is_named_by_its_file_name() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("one.md");
        std::fs::write(&file, "x").unwrap();
        let found: Vec<String> = find_article_files(&file)
            .map(|f| f.unwrap().relative)
            .collect();
        assert_eq!(found, ["one.md"]);
    }
}
