//! The command line's `import` and `export`: moving a register in and taking it out.

use std::path::PathBuf;

use anyhow::{Context, bail};
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use kaiku_core::ids::{DistributorId, RegionId};
use kaiku_sync_server::clock::Clock;
use kaiku_sync_server::export::{self, ExportFilter};
use kaiku_sync_server::import;
use kaiku_sync_server::store::{DateRange, Store};

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Cards from a spreadsheet's CSV into a distributor's register: all rows or none.
    Cards {
        /// The CSV file: a header row; `,` or `;` between cells; UTF-8 (a BOM is fine).
        file: PathBuf,
        /// The distributor the cards belong to (and so their region).
        #[arg(long)]
        distributor: u32,
        /// Only report what would change, and every bad row; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// A `register.json` written by `export`, into a new, empty server (after `init`).
    Dump { file: PathBuf },
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The folder to write cards.csv, redemptions.csv and register.json into.
    #[arg(long)]
    out: PathBuf,
    /// Only this region's cards and their uses.
    #[arg(long)]
    region: Option<u32>,
    /// Only uses from this day (with --to), YYYY-MM-DD.
    #[arg(long, requires = "to")]
    from: Option<NaiveDate>,
    /// Only uses up to this day, included (with --from).
    #[arg(long, requires = "from")]
    to: Option<NaiveDate>,
}

pub async fn import(store: &dyn Store, clock: &dyn Clock, command: ImportCommand) -> anyhow::Result<()> {
    match command {
        ImportCommand::Cards { file, distributor, dry_run } => {
            let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let today = clock.now().date_naive();
            let report = import::import_cards_csv(store, DistributorId(distributor), &bytes, today, dry_run).await?;
            print!("{report}");
            if report.bad > 0 {
                bail!("{} bad rows in {}: nothing was imported", report.bad, file.display());
            }
            Ok(())
        }
        ImportCommand::Dump { file } => {
            let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let dump = export::read_dump(&bytes).map_err(anyhow::Error::msg)?;
            let counts = store.import_dump(dump).await?;
            println!("Imported {counts}.");
            Ok(())
        }
    }
}

pub async fn export(store: &dyn Store, clock: &dyn Clock, args: ExportArgs) -> anyhow::Result<()> {
    let range = match (args.from, args.to) {
        (Some(from), Some(to)) if from <= to => Some(DateRange { from, to }),
        (Some(from), Some(to)) => bail!("--from {from} is after --to {to}"),
        _ => None,
    };
    let region = args.region.map(RegionId);
    if let Some(r) = region
        && store.region(r).await?.is_none()
    {
        bail!("there is no region {r}");
    }
    let dump = store.export_register(ExportFilter { region, range }, clock.now()).await?;
    export::write_dir(&args.out, &dump).with_context(|| format!("writing into {}", args.out.display()))?;
    println!(
        "Exported {} cards and {} redemptions into {} (cards.csv, redemptions.csv, register.json).",
        dump.cards.len(),
        dump.redemptions.len(),
        args.out.display()
    );
    Ok(())
}
