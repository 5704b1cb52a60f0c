//! The real server over loopback: in-process via `serve` (SQLite in a temp
//! dir, or PostgreSQL for the ignored `postgres` tests) and as the built binary.

mod accounts;
mod community;
mod courses;
mod health;
mod matches;
mod openapi;
mod postgres;
mod storage;
mod support;
mod sync;
