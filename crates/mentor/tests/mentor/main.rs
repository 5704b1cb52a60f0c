//! Integration tests for tutti-mentor: extraction accuracy on real eval files, validation of every
//! shipped data file, level tests and challenge selection — all through the public API.

mod catalog;
mod challenge;
mod extraction;
mod level;
