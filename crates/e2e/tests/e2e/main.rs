//! End-to-end tests of the desktop app in a real window (see the crate docs
//! for what they need). `scripts/test.sh` runs them under Xvfb with
//! `cargo test -p tutti-e2e -- --ignored`.

mod account;
mod community;
mod courses;
mod first_run;
mod mentor;
mod practice;
mod shell;
