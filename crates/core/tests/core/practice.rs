//! Practice on real SQLite files and real WAV audio: targets, the recordings
//! library, grading, exports, recordings adopted after a crash, and bad input
//! that stores nothing.

mod bad_input;
mod level_performance;
mod library;
mod support;
