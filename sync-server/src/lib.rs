//! `tutti-sync-server`: the server side of Tutti. It owns accounts, the mentor
//! directory, matches, the course catalogue and Automerge document sync.
//!
//! [`serve`] runs the whole server on a listener the caller bound, so `main`
//! and the tests start exactly the same code (tests bind `127.0.0.1:0`).
//! To add a route: a module with its handlers and a `router()` merged in
//! [`app`].

mod config;
mod health;

use std::future::Future;

use axum::Router;
use tokio::net::TcpListener;

pub use config::Config;

/// Errors that stop the server from starting or serving.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot use the data directory {path}: {source}")]
    DataDir {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("server I/O error: {0}")]
    Io(#[from] std::io::Error),
}

/// Shared state of a running server.
#[derive(Debug, Clone)]
pub struct AppState {
    pub config: std::sync::Arc<Config>,
}

/// The HTTP application: every route of the server.
pub fn app(state: AppState) -> Router {
    Router::new().merge(health::router()).with_state(state)
}

/// Serves until `shutdown` completes, then finishes in-flight requests.
pub async fn serve(
    config: Config,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), Error> {
    std::fs::create_dir_all(&config.data_dir).map_err(|source| Error::DataDir {
        path: config.data_dir.clone(),
        source,
    })?;
    let state = AppState {
        config: std::sync::Arc::new(config),
    };
    tracing::info!(addr = %listener.local_addr()?, "tutti-sync-server listening");
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}
