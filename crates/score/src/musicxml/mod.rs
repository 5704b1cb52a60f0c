//! MusicXML 4.0 (partwise): writing a [`crate::Score`] and reading a target
//! melody from any partwise file (first part, first voice, top note of chords).

mod read;
mod write;

pub use read::parse_musicxml;
pub use write::{to_musicxml, to_musicxml_coloured, to_musicxml_graded};
