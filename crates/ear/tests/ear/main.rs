//! Integration tests of tutti-ear on real files: the transcription eval set
//! committed at `eval/transcription` (the repository root), or the one under
//! `TUTTI_EVAL_DIR`. Missing data fails the tests.

mod dev_set;
mod files;
mod follow;
mod real_singing;
mod scoring;
mod sung;
mod support;
