//! The LISTEN side of change notifications: one dedicated connection per
//! storage instance that LISTENs on [`CHANGE_CHANNEL`] and re-broadcasts what
//! arrives in-process, reconnecting when the connection is lost.

use std::time::Duration;

use futures_util::StreamExt;
use tokio::sync::{broadcast, mpsc};
use tokio_postgres::{AsyncMessage, NoTls, Notification};

use super::CHANGE_CHANNEL;
use crate::Error;
use crate::storage::DocChanged;

/// Stops the LISTEN task when the last storage handle is dropped.
#[derive(Debug)]
pub(super) struct ListenerTask(pub(super) tokio::task::JoinHandle<()>);

impl Drop for ListenerTask {
    fn drop(&mut self) {
        self.0.abort();
    }
}

pub(super) type Listening = (
    tokio_postgres::Client,
    mpsc::UnboundedReceiver<Notification>,
);

/// A connection that has run LISTEN, and the stream of its notifications.
pub(super) async fn connect_listener(config: &tokio_postgres::Config) -> Result<Listening, Error> {
    let (client, mut connection) = config.connect(NoTls).await?;
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
        while let Some(message) = messages.next().await {
            match message {
                Ok(AsyncMessage::Notification(n)) => {
                    if tx.send(n).is_err() {
                        break;
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "PostgreSQL LISTEN connection failed");
                    break;
                }
            }
        }
    });
    client
        .batch_execute(&format!("LISTEN {CHANGE_CHANNEL}"))
        .await?;
    Ok((client, rx))
}

pub(super) async fn run_listener(
    config: tokio_postgres::Config,
    changes: broadcast::Sender<DocChanged>,
    first: Listening,
) {
    let mut current = Some(first);
    loop {
        let (client, mut notifications) = match current.take() {
            Some(listening) => listening,
            None => match connect_listener(&config).await {
                Ok(listening) => listening,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot LISTEN on PostgreSQL; retrying");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            },
        };
        while let Some(n) = notifications.recv().await {
            match serde_json::from_str::<DocChanged>(n.payload()) {
                Ok(change) => {
                    let _ = changes.send(change);
                }
                Err(e) => tracing::warn!(error = %e, "ignoring a malformed change notification"),
            }
        }
        drop(client);
        tracing::warn!("lost the PostgreSQL LISTEN connection; reconnecting");
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
