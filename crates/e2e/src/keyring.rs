//! A private, unlocked Secret Service for one test: its own D-Bus session
//! bus and a gnome-keyring-daemon whose keyrings live in a temporary
//! directory, so tests that sign in never touch the user's real keyring.
//! Pass [`PrivateKeyring::env`] to the app (see `AppSession::start_with_env`).

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::HarnessError;

/// The bus and keyring daemon; both are stopped when this is dropped.
#[derive(Debug)]
pub struct PrivateKeyring {
    bus: Child,
    keyring: Child,
    address: String,
    home: tempfile::TempDir,
}

fn failed(what: &str, e: impl std::fmt::Display) -> HarnessError {
    HarnessError::Driver(format!("private keyring: {what}: {e}"))
}

impl PrivateKeyring {
    /// Starts `dbus-daemon --session` and an unlocked `gnome-keyring-daemon`
    /// (secrets component) on it.
    pub fn start() -> Result<Self, HarnessError> {
        let home = tempfile::tempdir().map_err(|e| failed("temp dir", e))?;
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| failed("cannot start dbus-daemon", e))?;
        let mut address = String::new();
        let stdout = bus.stdout.take().expect("piped stdout");
        BufReader::new(stdout)
            .read_line(&mut address)
            .map_err(|e| failed("reading the bus address", e))?;
        let address = address.trim().to_owned();
        if address.is_empty() {
            let _ = bus.kill();
            let _ = bus.wait();
            return Err(failed("dbus-daemon", "printed no address"));
        }
        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_RUNTIME_DIR", home.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| failed("cannot start gnome-keyring-daemon", e))?;
        // The password that creates and unlocks the throwaway login keyring.
        if let Some(mut stdin) = keyring.stdin.take() {
            let _ = stdin.write_all(b"tutti-e2e");
        }
        let this = Self {
            bus,
            keyring,
            address,
            home,
        };
        this.wait_until_served()?;
        Ok(this)
    }

    /// Waits until the Secret Service name is owned on the bus.
    fn wait_until_served(&self) -> Result<(), HarnessError> {
        for _ in 0..100 {
            let owned = Command::new("dbus-send")
                .args([
                    &format!("--bus={}", self.address),
                    "--print-reply",
                    "--dest=org.freedesktop.DBus",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.NameHasOwner",
                    "string:org.freedesktop.secrets",
                ])
                .output()
                .map_err(|e| failed("dbus-send", e))?;
            if String::from_utf8_lossy(&owned.stdout).contains("boolean true") {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err(failed(
            "gnome-keyring-daemon",
            "never served org.freedesktop.secrets",
        ))
    }

    /// Environment for a process that should use this keyring.
    pub fn env(&self) -> Vec<(String, String)> {
        vec![
            ("DBUS_SESSION_BUS_ADDRESS".into(), self.address.clone()),
            (
                "XDG_RUNTIME_DIR".into(),
                self.home.path().display().to_string(),
            ),
        ]
    }
}

impl Drop for PrivateKeyring {
    fn drop(&mut self) {
        for child in [&mut self.keyring, &mut self.bus] {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
