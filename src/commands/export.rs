//! `fahras export`: the stored articles as NDJSON or an OpenSearch `_bulk` body, or the
//! mapping that body expects.

use std::io::{self, Write};
use std::path::Path;

use fahras::FahrasIndex;
use fahras::export::{ExportFormat, ExportRequest};

use super::{Outcome, date_range};
use crate::cli::{ExportArgs, ExportFormatArg};

/// Runs `fahras export`.
pub fn run(index_dir: &Path, args: ExportArgs) -> anyhow::Result<Outcome> {
    if args.mapping.is_some() {
        let mut out = io::stdout().lock();
        fahras::output::json::write_pretty(&mut out, &fahras::export::opensearch_mapping())?;
        return Ok(Outcome::Success);
    }
    let (from, to) = date_range(&args.dates)?;
    let format = match args.format {
        ExportFormatArg::Ndjson => ExportFormat::Ndjson,
        ExportFormatArg::OpensearchBulk => ExportFormat::OpenSearchBulk {
            index: args.bulk_index,
        },
    };
    let request = ExportRequest {
        query: args.query_flag.or_positional(args.query),
        from,
        to,
        format,
    };
    let index = FahrasIndex::open(index_dir)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    let report = index.export(&request, &mut out)?;
    out.flush()?;
    Ok(Outcome::found(report.articles as u64))
}
