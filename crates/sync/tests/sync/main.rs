//! Integration tests of tutti-sync: the wire format, and clients syncing
//! through server sessions on an in-memory network (no sockets: the crate is
//! sans-IO, so the harness performs the sessions' actions itself).

mod harness;
mod message;
mod session;
