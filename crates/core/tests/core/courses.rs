//! Courses on real SQLite files: the catalogue offline, events and consent,
//! recommendations without and with a model, and (in `server`) the sync
//! with the real server.

mod offline;
mod server;
