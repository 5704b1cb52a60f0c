//! Integration tests of tutti-core on real SQLite files (and the real sync
//! server in-process for accounts, chat and community).

mod community;
mod courses;
mod mentor;
mod migrations;
mod practice;
mod settings;
mod sync;
