//! kaiku-sync-server: the command line of the register server.

mod transfer_commands;

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use kaiku_core::KeyId;
use kaiku_sync_server::clock::{Clock, SystemClock};
use kaiku_sync_server::store::{NewInvitation, Role, Store};
use kaiku_sync_server::{Settings, auth, codes, demo, keys, retention, startup};

#[derive(Debug, Parser)]
#[command(version, about = "Kaiku sync server: the Culture for All card register")]
struct Cli {
    /// A TOML settings file; KAIKU_* environment variables override it.
    #[arg(long, global = true, env = "KAIKU_CONFIG")]
    config: Option<PathBuf>,
    /// The SQLite database file, or a postgres:// URL (overrides the settings).
    #[arg(long, global = true)]
    database: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Creates the database, the first administrator token and the first signing key.
    Init,
    /// Serves the API.
    Serve {
        /// Address to listen on, e.g. 127.0.0.1:8080.
        #[arg(long)]
        addr: Option<std::net::SocketAddr>,
        /// A folder with the built web app to serve at /.
        #[arg(long)]
        web_root: Option<PathBuf>,
        /// Initialise and fill an empty database with demo data first.
        #[arg(long)]
        demo: bool,
    },
    /// Fills an initialised, empty database with demo data and prints how to use it.
    Demo {
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Cards handed out over the last 18 months (e.g. 100000 for a big region).
        #[arg(long, default_value_t = demo::DemoSize::SMALL.cards)]
        cards: usize,
        /// Redemptions over the last year (e.g. 1000000).
        #[arg(long, default_value_t = demo::DemoSize::SMALL.redemptions)]
        redemptions: usize,
    },
    /// Signing keys: publish a new one, make one active, retire one, list them.
    #[command(subcommand)]
    Keys(KeyCommand),
    /// Creates a user token for a role.
    AddUser {
        /// admin, coordinator, distributor or venue.
        #[arg(long)]
        role: String,
        /// The region, distributor or venue id the role is scoped to.
        #[arg(long)]
        scope: Option<u32>,
        #[arg(long)]
        label: String,
    },
    /// Revokes a venue device's token.
    RevokeDevice { id: u32 },
    /// Copies the live database to a file (SQLite; PostgreSQL uses pg_dump or pg_basebackup).
    Backup { dest: PathBuf },
    /// Deletes uses and closed cards' background data older than the retention
    /// (`retention_years`), keeping their statistics as whole months and years. Prints counts.
    Purge {
        /// Only count what would be deleted; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Moves an existing register in: cards from a CSV file, or a whole register.json.
    #[command(subcommand)]
    Import(transfer_commands::ImportCommand),
    /// Takes the register out: cards.csv, redemptions.csv and register.json.
    Export(transfer_commands::ExportArgs),
    /// Moves this SQLite register, secrets included, into an empty PostgreSQL database (then
    /// serve with --database set to that URL). Stop the servers on the SQLite file first.
    MigrateTo {
        /// The PostgreSQL database, postgres://user@host:port/name.
        target: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum KeyCommand {
    /// Publishes a new key; scanners fetch it with their next sync. Add --activate to sign with it now.
    Add {
        #[arg(long)]
        activate: bool,
    },
    /// Signs new credentials with a published key from now on.
    Activate { id: u16 },
    /// Lists the keys.
    List,
    /// Scanners refuse credentials signed with key ID from a date on (after their next sync).
    Retire {
        id: u16,
        /// The first day its credentials are refused, YYYY-MM-DD.
        #[arg(long)]
        from: chrono::NaiveDate,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,tower_http=warn".into()),
        )
        .init();
    let cli = Cli::parse();
    let mut settings = Settings::load(cli.config.as_deref()).context("loading settings")?;
    if let Some(db) = cli.database {
        settings.database = db;
    }
    let shared = kaiku_sync_server::store::open(&settings.database).await.context("opening the database")?;
    let store = shared.as_ref();
    let clock = SystemClock;
    match cli.command {
        Command::Init => init(store, &clock, &settings).await,
        Command::Serve { addr, web_root, demo } => {
            settings.addr = addr.unwrap_or(settings.addr);
            settings.web_root = web_root.or(settings.web_root);
            if demo {
                if store.signing_keys().await?.is_empty() {
                    init(store, &clock, &settings).await?;
                }
                if store.region(kaiku_core::ids::RegionId(1)).await?.is_none() {
                    print_demo(&demo::populate(store, &clock, 2026).await?);
                }
            }
            serve(settings, shared.clone()).await
        }
        Command::Demo { seed, cards, redemptions } => {
            let size = demo::DemoSize { cards, redemptions };
            let started = std::time::Instant::now();
            print_demo(&demo::populate_sized(store, &clock, seed, size).await.context("adding demo data")?);
            println!("Made in {:.1} s.", started.elapsed().as_secs_f64());
            Ok(())
        }
        Command::Keys(k) => key_command(store, &clock, k).await,
        Command::AddUser { role, scope, label } => {
            let role = parse_role(&role, scope)?;
            if !scope_exists(store, role).await? {
                bail!("the {role:?} scope does not exist: create the organisation first");
            }
            let secret = codes::new_secret();
            let id = store.create_user(role, &label, &codes::hash(&secret)).await?;
            println!("{}", auth::user_token(id, &secret));
            Ok(())
        }
        Command::RevokeDevice { id } => {
            if !store.revoke_device(kaiku_core::ids::DeviceId(id)).await? {
                bail!("no active device {id}");
            }
            println!("device {id} revoked: its next sync is refused");
            Ok(())
        }
        Command::Import(command) => transfer_commands::import(store, &clock, command).await,
        Command::Export(args) => transfer_commands::export(store, &clock, args).await,
        Command::Purge { dry_run } => {
            let today = clock.now().date_naive();
            let report = retention::purge(store, today, settings.retention_years, dry_run).await.context("purging")?;
            print!("{}", retention::describe(&report, dry_run));
            Ok(())
        }
        Command::MigrateTo { target } => {
            let moved = kaiku_sync_server::store::migrate_to(&settings.database, &target).await.context("moving")?;
            print!("Moved into PostgreSQL:\n{moved}");
            Ok(())
        }
        Command::Backup { dest } => {
            store.backup_to(&dest).await.with_context(|| format!("backing up to {}", dest.display()))?;
            println!("backed up to {}", dest.display());
            Ok(())
        }
    }
}

async fn init(store: &dyn Store, clock: &dyn Clock, settings: &Settings) -> anyhow::Result<()> {
    if !store.signing_keys().await?.is_empty() {
        bail!("the database is initialised already");
    }
    let key = keys::add(store, clock, true).await?;
    let secret = codes::new_secret();
    let id = store.create_user(Role::Admin, "administrator", &codes::hash(&secret)).await?;
    // The same administrator also gets an invitation to set a username and password.
    let code = codes::new_one_time_code();
    let now = clock.now();
    let invitation = NewInvitation {
        code_hash: codes::code_hash(&code).to_vec(),
        created_by: None,
        created_at: now,
        expires_at: now + chrono::TimeDelta::days(settings.invitation_days),
    };
    if !store.reinvite_user(id, &invitation).await? {
        bail!("the administrator just created is not there");
    }
    println!("Initialised. Signing key {key} is active.");
    println!("Administrator token (shown once, keep it safe):\n  {}", auth::user_token(id, &secret));
    println!(
        "Administrator invitation code (shown once, valid until {}): set a username and password with it\n  {code}",
        invitation.expires_at.format("%Y-%m-%d %H:%M UTC")
    );
    Ok(())
}

async fn serve(settings: Settings, store: Arc<dyn Store>) -> anyhow::Result<()> {
    let state = startup::AppState { store, clock: Arc::new(SystemClock), settings: Arc::new(settings) };
    let app =
        startup::Application::build(state.clone()).await.with_context(|| format!("binding {}", state.settings.addr))?;
    println!("Kaiku sync server listening on http://{}:{}", state.settings.addr.ip(), app.port());
    // The daily purge: first a few minutes after start, so a restart is not slowed by it.
    let day = std::time::Duration::from_secs(24 * 60 * 60);
    let (store, clock, years) = (state.store.clone(), state.clock.clone(), state.settings.retention_years);
    let _daily = retention::spawn_daily(store, clock, years, std::time::Duration::from_secs(300), day);
    app.run_until(stop_signal()).await.context("serving")
}

/// Ctrl-C, or SIGTERM from a service manager: finish the requests under way, then stop.
async fn stop_signal() {
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
                return;
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn print_demo(d: &demo::DemoAccess) {
    println!("Demo data: {} cards, {} redemptions.", d.cards, d.redemptions);
    println!("Region coordinator token: {}", d.coordinator_token);
    for (name, token) in &d.distributor_tokens {
        println!("Distributor '{name}' token: {token}");
    }
    for (name, token) in &d.venue_tokens {
        println!("Venue '{name}' token: {token}");
    }
    for (card, code) in &d.activation_codes {
        println!("Activation code for card {card}: {code}");
    }
    println!("Scanner enrollment code (venue 1): {}", d.enrollment_code);
    println!("Printed card of the old register (imported): {}", d.legacy_card);
}

async fn key_command(store: &dyn Store, clock: &dyn Clock, k: KeyCommand) -> anyhow::Result<()> {
    match k {
        KeyCommand::Add { activate } => {
            let id = keys::add(store, clock, activate).await?;
            let state = if activate { "active" } else { "published, not active yet" };
            println!("key {id} added ({state})");
        }
        KeyCommand::Activate { id } => {
            keys::activate(store, KeyId(id)).await?;
            println!("key {id} now signs new credentials");
        }
        KeyCommand::List => {
            for k in store.signing_keys().await? {
                let state = match (&k.retirement, k.active) {
                    (Some(r), _) => format!("retired from {}", r.from),
                    (None, true) => "active".into(),
                    (None, false) => "published".into(),
                };
                let endorsed = k.endorsement.map_or_else(|| "root".into(), |e| format!("endorsed by {}", e.by));
                println!("{}\t{state}\t{endorsed}\tcreated {}", k.id, k.created_at);
            }
        }
        KeyCommand::Retire { id, from } => {
            keys::retire(store, KeyId(id), from).await?;
            println!("key {id} retired: scanners refuse its credentials from {from} on, after their next sync");
        }
    }
    Ok(())
}

async fn scope_exists(store: &dyn Store, role: Role) -> anyhow::Result<bool> {
    Ok(match role {
        Role::Admin => true,
        Role::Coordinator(r) => store.region(r).await?.is_some(),
        Role::Distributor(d) => store.distributor(d).await?.is_some(),
        Role::Venue(v) => store.venue(v).await?.is_some(),
    })
}

fn parse_role(role: &str, scope: Option<u32>) -> anyhow::Result<Role> {
    use kaiku_core::ids::{DistributorId, RegionId, VenueId};
    Ok(match (role, scope) {
        ("admin", _) => Role::Admin,
        ("coordinator", Some(s)) => Role::Coordinator(RegionId(s)),
        ("distributor", Some(s)) => Role::Distributor(DistributorId(s)),
        ("venue", Some(s)) => Role::Venue(VenueId(s)),
        ("coordinator" | "distributor" | "venue", None) => bail!("role {role} needs --scope ID"),
        (other, _) => bail!("unknown role '{other}': admin, coordinator, distributor or venue"),
    })
}
