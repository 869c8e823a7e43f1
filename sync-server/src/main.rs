//! kaiku-sync-server: the register that venues' scanners and holders' apps sync with.

fn main() -> anyhow::Result<()> {
    println!("kaiku-sync-server {}: the server arrives with the sync-server issue", env!("CARGO_PKG_VERSION"));
    Ok(())
}
