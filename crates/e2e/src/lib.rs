//! Helpers for driving the built Tutti desktop app through tauri-driver; the tests live in `tests/e2e/`.
