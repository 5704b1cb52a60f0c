//! Integration tests of tutti-core on real SQLite files.

mod mentor;
mod migrations;
mod practice;
mod settings;
mod sync;
