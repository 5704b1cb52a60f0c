//! Integration tests of tutti-ear on real files: the shared transcription eval
//! set (`shared/eval/transcription`), located through `TUTTI_EVAL_DIR` or
//! `../../../shared/eval` from this crate. Missing data fails the tests.

mod dev_set;
mod files;
mod follow;
mod real_singing;
mod scoring;
mod sung;
mod support;
