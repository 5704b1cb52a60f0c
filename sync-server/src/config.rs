use std::net::SocketAddr;
use std::path::PathBuf;

/// Server configuration. Every flag can also be set by its environment
/// variable, so the same binary runs from a shell, a service unit or a test.
#[derive(Debug, Clone, clap::Parser)]
#[command(name = "tutti-sync-server", version, about = "Tutti's sync and accounts server")]
pub struct Config {
    /// Address to listen on (port 0 picks a free port; the chosen address is logged).
    #[arg(long, env = "TUTTI_SYNC_LISTEN", default_value = "127.0.0.1:8787")]
    pub listen: SocketAddr,
    /// Directory for the server's SQLite database and files.
    #[arg(long, env = "TUTTI_SYNC_DATA_DIR", default_value = "./tutti-sync-data")]
    pub data_dir: PathBuf,
}
