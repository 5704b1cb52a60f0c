//! The AI mentor flow on real SQLite files: the offline flow end to end,
//! restarts, bad input, free conversation and LLM-written challenges against a
//! real local HTTP server (and, when one is running, a real small model), and
//! the API key in the OS keyring.

mod bad_input;
mod chat;
mod flow;
mod generated;
mod keyring;
pub(crate) mod provider;
mod real_model;
mod support;
