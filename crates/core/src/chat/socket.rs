//! The WebSocket to the server's `/sync`: opening it with the access token
//! (refreshed once when refused) and sending frames.

use futures_util::SinkExt;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{self, Message};

use crate::account::ServerClient;
use crate::{Error, Result};

pub(super) type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Opens `/sync` with the access token (refreshed once if refused).
pub(super) async fn open(server: &ServerClient) -> Result<Ws> {
    let tokens = server.tokens()?.ok_or(Error::NotSignedIn)?;
    match connect(server, &tokens.access_token).await {
        Err(tungstenite::Error::Http(resp)) if resp.status() == 401 => {
            let fresh = server.refresh(&tokens).await?;
            connect(server, &fresh.access_token).await.map_err(ws_error)
        }
        other => other.map_err(ws_error),
    }
}

async fn connect(server: &ServerClient, token: &str) -> Result<Ws, tungstenite::Error> {
    let mut request = server.sync_url().into_client_request()?;
    request
        .headers_mut()
        .insert("authorization", format!("Bearer {token}").parse()?);
    tokio_tungstenite::connect_async(request)
        .await
        .map(|(ws, _)| ws)
}

fn ws_error(e: tungstenite::Error) -> Error {
    match e {
        tungstenite::Error::Http(resp) if resp.status() == 401 => Error::NotSignedIn,
        tungstenite::Error::Http(resp) => Error::ServerRejected {
            status: resp.status().as_u16(),
            code: "sync_refused".into(),
            message: "the server refused the sync connection".into(),
            field: None,
        },
        other => Error::ServerUnreachable(other.to_string()),
    }
}

pub(super) async fn send(ws: &mut Ws, frames: Vec<Vec<u8>>) -> Result<()> {
    for frame in frames {
        ws.send(Message::Binary(frame.into()))
            .await
            .map_err(|e| Error::ServerUnreachable(e.to_string()))?;
    }
    Ok(())
}
