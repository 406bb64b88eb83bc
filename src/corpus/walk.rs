//! Finding the article files under a folder.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

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

/// Walks `root` (a folder or a single file) in a stable order and yields the files fahras can
/// read (see [`ArticleFormat::from_path`]), skipping hidden files and folders. Errors (an
/// unreadable folder, a symlink loop) are yielded as they come so the caller can report them
/// and go on.
pub fn find_article_files(root: &Path) -> impl Iterator<Item = Result<FoundFile, walkdir::Error>> {
    let base = if root.is_file() {
        root.parent().map(Path::to_path_buf).unwrap_or_default()
    } else {
        root.to_path_buf()
    };
    WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()))
        .filter_map(move |entry| match entry {
            Err(e) => Some(Err(e)),
            Ok(entry) if !entry.file_type().is_file() => None,
            Ok(entry) if ArticleFormat::from_path(entry.path()).is_none() => None,
            Ok(entry) => {
                let relative = entry
                    .path()
                    .strip_prefix(&base)
                    .unwrap_or(entry.path())
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                Some(Ok(FoundFile {
                    path: entry.into_path(),
                    relative,
                }))
            }
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
