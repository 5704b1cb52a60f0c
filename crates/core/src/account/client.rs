//! The HTTP side of the sync server: one [`ServerClient`] per call site, with
//! the tokens read from (and rotated in) the OS keyring. Tokens never reach
//! SQLite or logs; errors carry the server's `{code, message, field}`.

use std::path::Path;
use std::time::Duration;

use reqwest::{Method, Response, StatusCode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::secrets::{KEYRING_SERVICE, SecretStore};
use crate::{Error, Result};

/// The access and refresh token of a signed-in account (kept in the keyring).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Tokens {
    pub access_token: String,
    pub refresh_token: String,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tokens(<redacted>)")
    }
}

/// The server's token response (wire, snake_case).
#[derive(Debug, Deserialize)]
pub(crate) struct TokenResponse {
    pub user_id: String,
    pub access_token: String,
    pub refresh_token: String,
}

#[derive(Debug, Deserialize)]
struct ErrorBody {
    code: String,
    message: String,
    #[serde(default)]
    field: Option<String>,
}

/// Only one token refresh at a time in this process: a refresh token is
/// single use, and the server revokes a session whose token is replayed.
static REFRESH: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Checks and normalises a server URL (`http(s)://host[:port][/path]`).
pub(crate) fn normalize_server_url(url: &str) -> Result<String> {
    let trimmed = url.trim().trim_end_matches('/');
    let parsed = reqwest::Url::parse(trimmed)
        .map_err(|e| Error::invalid("server_url", format!("`{trimmed}` is not a URL ({e})")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(Error::invalid(
            "server_url",
            format!("`{trimmed}` must be an http:// or https:// address with a host"),
        ));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(Error::invalid(
            "server_url",
            "must not have a query or fragment",
        ));
    }
    Ok(trimmed.to_owned())
}

/// Whether talking to `url` (normalised) would be plain text across a
/// network: http:// (hence ws://) to a host that is not this computer.
pub(crate) fn is_insecure(url: &str) -> bool {
    let Ok(parsed) = reqwest::Url::parse(url) else {
        return false;
    };
    if parsed.scheme() != "http" {
        return false;
    }
    match parsed.host() {
        Some(url::Host::Domain(name)) => {
            !(name.eq_ignore_ascii_case("localhost")
                || name.to_ascii_lowercase().ends_with(".localhost"))
        }
        Some(url::Host::Ipv4(ip)) => !ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => !ip.is_loopback(),
        None => true,
    }
}

/// Refuses plain transport to a server that is not on this computer unless
/// the user allowed it for that server.
pub(crate) fn check_transport(url: &str, allowed: bool) -> Result<()> {
    if allowed || !is_insecure(url) {
        return Ok(());
    }
    let host = reqwest::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_default();
    Err(Error::InsecureTransport {
        scheme: "http",
        host,
    })
}

/// A client of one sync server for one data directory.
#[derive(Debug, Clone)]
pub(crate) struct ServerClient {
    base: String,
    secrets: SecretStore,
    http: reqwest::Client,
}

impl ServerClient {
    /// A client of `base`; refused ([`Error::InsecureTransport`]) when that
    /// would send plain http:// or ws:// to another computer and the user did
    /// not allow it (`allow_insecure`) for this server.
    pub fn new(base: &str, data_dir: &Path, allow_insecure: bool) -> Result<Self> {
        check_transport(base, allow_insecure)?;
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .connect_timeout(Duration::from_secs(5))
            .build()
            .map_err(|e| Error::ServerUnreachable(e.to_string()))?;
        Ok(Self {
            base: base.to_owned(),
            secrets: token_entry(data_dir),
            http,
        })
    }

    /// The WebSocket URL of `/sync`.
    pub fn sync_url(&self) -> String {
        let rest = self
            .base
            .strip_prefix("https://")
            .map(|r| format!("wss://{r}"))
            .or_else(|| {
                self.base
                    .strip_prefix("http://")
                    .map(|r| format!("ws://{r}"))
            });
        format!("{}/sync", rest.unwrap_or_default())
    }

    pub fn tokens(&self) -> Result<Option<Tokens>> {
        match self.secrets.get()? {
            None => Ok(None),
            Some(secret) => serde_json::from_str(secret.expose())
                .map(Some)
                .map_err(|_| Error::Keyring("the stored sync tokens are unreadable".into())),
        }
    }

    pub fn save_tokens(&self, tokens: &Tokens) -> Result<()> {
        let json = serde_json::to_string(tokens)
            .map_err(|e| Error::Keyring(format!("cannot encode tokens: {e}")))?;
        self.secrets.set(&json)
    }

    pub fn clear_tokens(&self) -> Result<bool> {
        self.secrets.delete()
    }

    fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.base)
    }

    /// An unauthenticated JSON POST (signup, login).
    pub async fn post_public<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<(StatusCode, T)> {
        let resp = self
            .http
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .map_err(unreachable)?;
        let status = resp.status();
        Ok((status, read_json(resp).await?))
    }

    /// An unauthenticated GET, conditional on `etag` when given. `None` means
    /// 304: the copy that has `etag` is current.
    pub async fn get_public_if_changed(
        &self,
        path: &str,
        etag: Option<&str>,
    ) -> Result<Option<Response>> {
        let mut req = self.http.get(self.url(path));
        if let Some(etag) = etag {
            req = req.header(reqwest::header::IF_NONE_MATCH, etag);
        }
        let resp = req.send().await.map_err(unreachable)?;
        if resp.status() == StatusCode::NOT_MODIFIED {
            return Ok(None);
        }
        success(resp).await.map(Some)
    }

    /// An authenticated request; on 401 the tokens are refreshed once and the
    /// request repeated. Returns the successful response.
    pub async fn authed(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<Response> {
        let tokens = self.tokens()?.ok_or(Error::NotSignedIn)?;
        let resp = self
            .send(method.clone(), path, body, &tokens.access_token)
            .await?;
        if resp.status() != StatusCode::UNAUTHORIZED {
            return success(resp).await;
        }
        let fresh = self.refresh(&tokens).await?;
        success(self.send(method, path, body, &fresh.access_token).await?).await
    }

    /// [`Self::authed`] reading a JSON body.
    pub async fn authed_json<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<T> {
        read_json(self.authed(method, path, body).await?).await
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
        access: &str,
    ) -> Result<Response> {
        let mut req = self
            .http
            .request(method, self.url(path))
            .bearer_auth(access);
        if let Some(body) = body {
            req = req.json(body);
        }
        req.send().await.map_err(unreachable)
    }

    /// Exchanges the refresh token for a new pair, unless another task did so
    /// since `stale` was read. A refused refresh signs the device out.
    pub async fn refresh(&self, stale: &Tokens) -> Result<Tokens> {
        let _one_at_a_time = REFRESH.lock().await;
        let current = self.tokens()?.ok_or(Error::NotSignedIn)?;
        if current != *stale {
            return Ok(current);
        }
        let resp = self
            .http
            .post(self.url("/sessions/refresh"))
            .json(&serde_json::json!({ "refresh_token": current.refresh_token }))
            .send()
            .await
            .map_err(unreachable)?;
        if resp.status() == StatusCode::UNAUTHORIZED {
            self.clear_tokens()?;
            tracing::info!("the sync server refused the refresh token; signed out");
            return Err(Error::NotSignedIn);
        }
        let body: TokenResponse = read_json(success(resp).await?).await?;
        let fresh = Tokens {
            access_token: body.access_token,
            refresh_token: body.refresh_token,
        };
        self.save_tokens(&fresh)?;
        tracing::info!("refreshed the sync-server tokens");
        Ok(fresh)
    }
}

/// The keyring entry holding a data directory's sync-server tokens.
pub(crate) fn token_entry(data_dir: &Path) -> SecretStore {
    SecretStore::new(
        KEYRING_SERVICE,
        format!("sync-tokens:{}", data_dir.display()),
    )
}

fn unreachable(e: reqwest::Error) -> Error {
    // reqwest's text names the URL (which never carries a token) and the cause.
    Error::ServerUnreachable(e.without_url().to_string())
}

/// The response if it is a success, else its error body as an [`Error`].
pub(crate) async fn success(resp: Response) -> Result<Response> {
    if resp.status().is_success() {
        return Ok(resp);
    }
    let status = resp.status();
    let text = resp.text().await.unwrap_or_default();
    Err(match serde_json::from_str::<ErrorBody>(&text) {
        Ok(body) => Error::ServerRejected {
            status: status.as_u16(),
            code: body.code,
            message: body.message,
            field: body.field,
        },
        Err(_) => Error::ServerRejected {
            status: status.as_u16(),
            code: "unexpected_response".into(),
            message: text.chars().take(200).collect(),
            field: None,
        },
    })
}

async fn read_json<T: DeserializeOwned>(resp: Response) -> Result<T> {
    let status = resp.status();
    if !status.is_success() {
        return Err(success(resp)
            .await
            .err()
            .unwrap_or(Error::ServerUnreachable("unexpected response".into())));
    }
    let text = resp.text().await.map_err(unreachable)?;
    serde_json::from_str(&text).map_err(|e| Error::ServerRejected {
        status: status.as_u16(),
        code: "unexpected_response".into(),
        message: format!("the server's answer is not what this app expects: {e}"),
        field: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_urls_are_checked_and_normalised() {
        assert_eq!(
            normalize_server_url(" https://sync.example.com/ ").unwrap(),
            "https://sync.example.com"
        );
        for bad in [
            "",
            "sync.example.com",
            "ftp://x",
            "http://",
            "http://h/?a=1",
        ] {
            assert_eq!(
                normalize_server_url(bad).unwrap_err().code(),
                "invalid_input",
                "{bad}"
            );
        }
    }

    #[test]
    fn the_sync_url_follows_the_scheme() {
        let dir = Path::new("/tmp/x");
        let c = ServerClient::new("https://h:8443/base", dir, false).unwrap();
        assert_eq!(c.sync_url(), "wss://h:8443/base/sync");
        let c = ServerClient::new("http://127.0.0.1:9", dir, false).unwrap();
        assert_eq!(c.sync_url(), "ws://127.0.0.1:9/sync");
    }

    #[test]
    fn plain_transport_is_refused_off_this_computer_unless_allowed() {
        for secure_or_local in [
            "https://sync.example.com",
            "http://localhost:8787",
            "http://app.localhost",
            "http://127.0.0.1:8787",
            "http://127.8.9.10",
            "http://[::1]:8787",
        ] {
            assert!(!is_insecure(secure_or_local), "{secure_or_local}");
            check_transport(secure_or_local, false).unwrap();
        }
        for remote in [
            "http://sync.example.com",
            "http://192.168.1.20:8787",
            "http://[2001:db8::1]",
            "http://localhost.example.com",
        ] {
            assert!(is_insecure(remote), "{remote}");
            let err = check_transport(remote, false).unwrap_err();
            assert_eq!(err.code(), "insecure_transport", "{remote}");
            assert_eq!(err.field(), Some("server_url"));
            check_transport(remote, true).expect("allowed for this server");
        }
        let dir = Path::new("/tmp/x");
        let err = ServerClient::new("http://sync.example.com", dir, false).unwrap_err();
        assert_eq!(
            err.code(),
            "insecure_transport",
            "no client (so no HTTP request and no ws:// connection) without the allowance"
        );
        assert!(err.to_string().contains("sync.example.com"), "{err}");
    }

    #[test]
    fn tokens_never_show_in_debug_output() {
        let t = Tokens {
            access_token: "secret-a".into(),
            refresh_token: "secret-r".into(),
        };
        assert!(!format!("{t:?}").contains("secret"));
    }
}
