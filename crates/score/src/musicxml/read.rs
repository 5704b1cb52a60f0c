//! Reads a target melody from a MusicXML partwise document.

use std::collections::HashMap;

use roxmltree::{Document, Node, ParsingOptions};

use crate::error::ScoreError;
use crate::melody::{Melody, MelodyNote, TempoMap, to_single_line};
use crate::pitch::{SpelledPitch, Step};
use crate::score::TimeSignature;

/// Reads the melody of a MusicXML 4.0 (or earlier) partwise document: the
/// first part that has pitched notes, its first voice, the top note of any
/// chord; tied notes joined, grace notes left out, tempo from `<sound tempo>`
/// (or the metronome mark), 120 BPM when there is none.
pub fn parse_musicxml(text: &str) -> Result<Melody, ScoreError> {
    let opts = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(text, opts)?;
    let root = doc.root_element();
    match root.tag_name().name() {
        "score-partwise" => {}
        "score-timewise" => {
            return Err(ScoreError::MusicXml(
                "score-timewise documents are not read; save as partwise".into(),
            ));
        }
        other => {
            return Err(ScoreError::MusicXml(format!(
                "root element is <{other}>, expected <score-partwise>"
            )));
        }
    }
    let title = child(root, "work")
        .and_then(|w| child(w, "work-title"))
        .or_else(|| child(root, "movement-title"))
        .and_then(|n| n.text())
        .unwrap_or_default()
        .trim()
        .to_string();

    for part in root.children().filter(|n| n.has_tag_name("part")) {
        let read = read_part(part)?;
        if !read.notes.is_empty() {
            let tempo = TempoMap::from_changes(read.tempi);
            let mut notes = to_single_line(read.notes);
            tempo.fill_seconds(&mut notes);
            return Ok(Melody {
                title,
                tempo_bpm: tempo.first_bpm(),
                time: read.time,
                notes,
            });
        }
    }
    Err(ScoreError::NoNotes { format: "MusicXML" })
}

#[derive(Default)]
struct PartRead {
    notes: Vec<MelodyNote>,
    tempi: Vec<(f64, f64)>,
    time: Option<TimeSignature>,
}

fn read_part(part: Node) -> Result<PartRead, ScoreError> {
    let mut out = PartRead::default();
    let mut divisions = 1.0f64;
    let mut measure_start = 0.0f64;
    let mut voice: Option<String> = None;
    // Index in `out.notes` of a note waiting for its tie to continue, by pitch.
    let mut open_ties: HashMap<u8, usize> = HashMap::new();
    for measure in part.children().filter(|n| n.has_tag_name("measure")) {
        let mut cursor = measure_start;
        let mut furthest = measure_start;
        let mut last_onset = measure_start;
        for el in measure.children().filter(Node::is_element) {
            match el.tag_name().name() {
                "attributes" => {
                    if let Some(d) = child_number(el, "divisions").filter(|d| *d > 0.0) {
                        divisions = d;
                    }
                    if out.time.is_none() {
                        out.time = child(el, "time").and_then(|t| {
                            let beats = child_number(t, "beats")?;
                            let beat_type = child_number(t, "beat-type")?;
                            Some(TimeSignature::new(beats as u8, beat_type as u8))
                        });
                    }
                }
                "direction" => {
                    if let Some(bpm) = direction_tempo(el) {
                        out.tempi.push((cursor, bpm));
                    }
                }
                "sound" => {
                    if let Some(bpm) = attr_number(el, "tempo") {
                        out.tempi.push((cursor, bpm));
                    }
                }
                "backup" => cursor -= duration(el, divisions)?,
                "forward" => cursor += duration(el, divisions)?,
                "note" => {
                    if child(el, "grace").is_some() || child(el, "cue").is_some() {
                        continue;
                    }
                    let length = duration(el, divisions)?;
                    let is_chord = child(el, "chord").is_some();
                    let onset = if is_chord { last_onset } else { cursor };
                    if !is_chord {
                        last_onset = cursor;
                        cursor += length;
                        furthest = furthest.max(cursor);
                    }
                    let this_voice = child(el, "voice")
                        .and_then(|v| v.text())
                        .unwrap_or("1")
                        .trim()
                        .to_string();
                    if voice.get_or_insert_with(|| this_voice.clone()) != &this_voice {
                        continue;
                    }
                    let Some(pitch) = child(el, "pitch") else {
                        continue;
                    };
                    let midi = read_pitch(pitch)?;
                    let ties: Vec<&str> = el
                        .children()
                        .filter(|n| n.has_tag_name("tie"))
                        .filter_map(|n| n.attribute("type"))
                        .collect();
                    let continues = ties.contains(&"stop")
                        && open_ties.get(&midi).is_some_and(|&i| {
                            let n = &out.notes[i];
                            (n.onset_beats + n.duration_beats - onset).abs() < 1e-6
                        });
                    let index = if continues {
                        let i = open_ties[&midi];
                        out.notes[i].duration_beats += length;
                        i
                    } else {
                        out.notes.push(MelodyNote {
                            onset_beats: onset,
                            duration_beats: length,
                            onset_s: 0.0,
                            offset_s: 0.0,
                            midi_pitch: midi,
                        });
                        out.notes.len() - 1
                    };
                    if ties.contains(&"start") {
                        open_ties.insert(midi, index);
                    } else {
                        open_ties.remove(&midi);
                    }
                }
                _ => {}
            }
        }
        measure_start = furthest.max(cursor);
    }
    Ok(out)
}

fn read_pitch(pitch: Node) -> Result<u8, ScoreError> {
    let step = child(pitch, "step")
        .and_then(|s| s.text())
        .and_then(|s| s.trim().chars().next())
        .and_then(Step::from_letter)
        .ok_or_else(|| ScoreError::MusicXml("a <pitch> has no valid <step>".into()))?;
    let alter = child_number(pitch, "alter").unwrap_or(0.0).round();
    let octave = child_number(pitch, "octave")
        .ok_or_else(|| ScoreError::MusicXml("a <pitch> has no <octave>".into()))?;
    if !(-2.0..=2.0).contains(&alter) || !(-1.0..=9.0).contains(&octave) {
        return Err(ScoreError::MusicXml(format!(
            "pitch alter {alter} / octave {octave} out of range"
        )));
    }
    let midi = SpelledPitch {
        step,
        alter: alter as i8,
        octave: octave as i8,
    }
    .midi();
    u8::try_from(midi)
        .ok()
        .filter(|m| *m <= 127)
        .ok_or_else(|| ScoreError::MusicXml(format!("pitch {midi} is outside MIDI range")))
}

/// Tempo of a `<direction>`: its `<sound tempo>`, else a quarter-based metronome mark.
fn direction_tempo(direction: Node) -> Option<f64> {
    if let Some(bpm) = child(direction, "sound").and_then(|s| attr_number(s, "tempo")) {
        return Some(bpm);
    }
    let metronome = direction
        .descendants()
        .find(|n| n.has_tag_name("metronome"))?;
    let per_minute = child_number(metronome, "per-minute")?;
    let unit = match child(metronome, "beat-unit")?.text()?.trim() {
        "whole" => 4.0,
        "half" => 2.0,
        "quarter" => 1.0,
        "eighth" => 0.5,
        "16th" => 0.25,
        _ => return None,
    };
    let dotted = metronome
        .children()
        .any(|n| n.has_tag_name("beat-unit-dot"));
    Some(per_minute * unit * if dotted { 1.5 } else { 1.0 })
}

fn duration(el: Node, divisions: f64) -> Result<f64, ScoreError> {
    let d = child_number(el, "duration").ok_or_else(|| {
        ScoreError::MusicXml(format!("a <{}> has no <duration>", el.tag_name().name()))
    })?;
    if d < 0.0 || !d.is_finite() {
        return Err(ScoreError::MusicXml(format!("negative duration {d}")));
    }
    Ok(d / divisions)
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|n| n.has_tag_name(name))
}

fn child_number(node: Node, name: &str) -> Option<f64> {
    child(node, name)?
        .text()?
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

fn attr_number(node: Node, name: &str) -> Option<f64> {
    node.attribute(name)?
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v > 0.0)
}
