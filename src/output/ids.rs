//! Ids alone (`--ids`), one a line or NUL-terminated, for `xargs`.

use std::io::{self, Write};

use crate::search::Hit;

/// Writes the id of each hit, each followed by `terminator` (`b'\n'`, or `0` for `xargs -0`).
pub fn write_ids(out: &mut dyn Write, hits: &[Hit], terminator: u8) -> io::Result<()> {
    for hit in hits {
        out.write_all(hit.id.as_bytes())?;
        out.write_all(&[terminator])?;
    }
    Ok(())
}
