//! Integration tests of tutti-score through its public API: quantising
//! performances, exporting and re-reading scores, grading takes.

mod exports;
mod grading;
mod quantisation;
mod support;
