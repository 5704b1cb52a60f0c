//! Integration tests of tutti-core on real SQLite files.

mod migrations;
mod settings;
