//! Standard MIDI files: writing a score or performed notes (format 1: a
//! conductor track with tempo, time and key, then the melody track), and
//! reading a target melody from format 0, 1 or 2 files.

use std::collections::HashMap;

use midly::num::{u4, u7, u15, u24, u28};
use midly::{
    Format, Header, MetaMessage, MidiMessage, Smf, Timing, Track, TrackEvent, TrackEventKind,
};

use crate::error::ScoreError;
use crate::melody::{DEFAULT_BPM, Melody, MelodyNote, TempoMap, to_single_line};
use crate::note::Note;
use crate::pitch::Mode;
use crate::score::{Score, TimeSignature};

/// Ticks per quarter note in files we write.
pub const TICKS_PER_QUARTER: u16 = 480;
const VELOCITY: u8 = 80;
/// MIDI channel 10 (index 9) is percussion: never a melody.
const DRUM_CHANNEL: u8 = 9;

/// The score as a standard MIDI file (format 1, 480 ticks per quarter).
pub fn to_midi(score: &Score) -> Vec<u8> {
    let melody = score.melody();
    let notes: Vec<(f64, f64, u8)> = melody
        .notes
        .iter()
        .map(|n| {
            (
                n.onset_beats,
                n.onset_beats + n.duration_beats,
                n.midi_pitch,
            )
        })
        .collect();
    let minor = score.key.mode == Mode::Minor;
    write(
        &score.title,
        score.tempo_bpm,
        Some(score.time),
        Some((score.key.fifths, minor)),
        &notes,
    )
}

/// Performed notes as a standard MIDI file at `tempo_bpm`, times kept as
/// played (not quantised) and pitches rounded to the nearest semitone.
/// Notes with non-finite values or no length are left out.
pub fn notes_to_midi(notes: &[Note], tempo_bpm: f64) -> Vec<u8> {
    let bpm = if tempo_bpm.is_finite() && tempo_bpm > 0.0 {
        tempo_bpm
    } else {
        DEFAULT_BPM
    };
    let beats: Vec<(f64, f64, u8)> = notes
        .iter()
        .filter(|n| {
            n.onset_s.is_finite()
                && n.offset_s.is_finite()
                && n.midi_pitch.is_finite()
                && n.offset_s > n.onset_s
        })
        .map(|n| {
            (
                n.onset_s.max(0.0) * bpm / 60.0,
                n.offset_s.max(0.0) * bpm / 60.0,
                n.midi_pitch.round().clamp(0.0, 127.0) as u8,
            )
        })
        .collect();
    write("", bpm, None, None, &beats)
}

fn write(
    title: &str,
    bpm: f64,
    time: Option<TimeSignature>,
    key: Option<(i8, bool)>,
    notes: &[(f64, f64, u8)],
) -> Vec<u8> {
    let ppq = f64::from(TICKS_PER_QUARTER);
    let mut conductor: Track = Vec::new();
    if !title.is_empty() {
        conductor.push(meta(0, MetaMessage::TrackName(title.as_bytes())));
    }
    let micros = (60_000_000.0 / bpm)
        .round()
        .clamp(1.0, f64::from(0xFF_FFFF)) as u32;
    conductor.push(meta(0, MetaMessage::Tempo(u24::new(micros))));
    if let Some(t) = time {
        let pow2 = u8::try_from(t.beat_type.max(1).ilog2()).unwrap_or(2);
        conductor.push(meta(0, MetaMessage::TimeSignature(t.beats, pow2, 24, 8)));
    }
    if let Some((fifths, minor)) = key {
        conductor.push(meta(0, MetaMessage::KeySignature(fifths, minor)));
    }
    conductor.push(meta(0, MetaMessage::EndOfTrack));

    // (tick, is_on, key): offs sort before ons at the same tick so a repeated
    // pitch is released before it is struck again.
    let mut events: Vec<(u64, bool, u8)> = Vec::with_capacity(notes.len() * 2);
    for &(on, off, key) in notes {
        let start = (on * ppq).round().max(0.0) as u64;
        let end = ((off * ppq).round().max(0.0) as u64).max(start + 1);
        events.push((start, true, key));
        events.push((end, false, key));
    }
    events.sort_by_key(|&(tick, is_on, key)| (tick, is_on, key));
    let mut melody: Track = vec![meta(0, MetaMessage::TrackName(b"Melody"))];
    let mut last = 0u64;
    for (tick, is_on, key) in events {
        let delta = u28::new((tick - last).min(0x0FFF_FFFF) as u32);
        last = tick;
        let message = if is_on {
            MidiMessage::NoteOn {
                key: u7::new(key.min(127)),
                vel: u7::new(VELOCITY),
            }
        } else {
            MidiMessage::NoteOff {
                key: u7::new(key.min(127)),
                vel: u7::new(0),
            }
        };
        melody.push(TrackEvent {
            delta,
            kind: TrackEventKind::Midi {
                channel: u4::new(0),
                message,
            },
        });
    }
    melody.push(meta(0, MetaMessage::EndOfTrack));

    let mut smf = Smf::new(Header::new(
        Format::Parallel,
        Timing::Metrical(u15::new(TICKS_PER_QUARTER)),
    ));
    smf.tracks.push(conductor);
    smf.tracks.push(melody);
    let mut out = Vec::new();
    // Writing into a Vec cannot fail; an error here would be a midly bug.
    if smf.write_std(&mut out).is_err() {
        out.clear();
    }
    out
}

fn meta(delta: u32, message: MetaMessage<'_>) -> TrackEvent<'_> {
    TrackEvent {
        delta: u28::new(delta),
        kind: TrackEventKind::Meta(message),
    }
}

/// Reads the melody of a standard MIDI file: the first track with pitched
/// (non-percussion) notes, top note of any chord, with the file's tempo map.
pub fn parse_midi(bytes: &[u8]) -> Result<Melody, ScoreError> {
    let smf = Smf::parse(bytes).map_err(|e| ScoreError::Midi(e.to_string()))?;
    let ticks_per_beat = match smf.header.timing {
        Timing::Metrical(t) if t.as_int() > 0 => f64::from(t.as_int()),
        Timing::Metrical(_) => return Err(ScoreError::Midi("zero ticks per quarter".into())),
        // SMPTE time: ticks are fractions of a second; count beats at 120 BPM.
        Timing::Timecode(fps, sub) => {
            f64::from(fps.as_f32()) * f64::from(sub.max(1)) * 60.0 / DEFAULT_BPM
        }
    };
    let smpte = matches!(smf.header.timing, Timing::Timecode(..));
    let mut title = String::new();
    let mut time = None;
    let mut tempi: Vec<(f64, f64)> = Vec::new();
    let mut melody: Option<Vec<MelodyNote>> = None;
    for (index, track) in smf.tracks.iter().enumerate() {
        let mut tick = 0u64;
        let mut sounding: HashMap<(u8, u8), Vec<u64>> = HashMap::new();
        let mut notes: Vec<MelodyNote> = Vec::new();
        for event in track {
            tick += u64::from(event.delta.as_int());
            let beat = tick as f64 / ticks_per_beat;
            match event.kind {
                TrackEventKind::Meta(MetaMessage::Tempo(micros)) if !smpte => {
                    let m = f64::from(micros.as_int());
                    if m > 0.0 {
                        tempi.push((beat, 60_000_000.0 / m));
                    }
                }
                TrackEventKind::Meta(MetaMessage::TimeSignature(num, pow2, _, _))
                    if time.is_none() && pow2 < 8 =>
                {
                    time = Some(TimeSignature::new(num, 1u8 << pow2));
                }
                TrackEventKind::Meta(MetaMessage::TrackName(name)) if index == 0 => {
                    title = String::from_utf8_lossy(name).trim().to_string();
                }
                TrackEventKind::Midi { channel, message } => {
                    let channel = channel.as_int();
                    let (key, on) = match message {
                        MidiMessage::NoteOn { key, vel } => (key.as_int(), vel.as_int() > 0),
                        MidiMessage::NoteOff { key, .. } => (key.as_int(), false),
                        _ => continue,
                    };
                    if channel == DRUM_CHANNEL {
                        continue;
                    }
                    let starts = sounding.entry((channel, key)).or_default();
                    if on {
                        starts.push(tick);
                    } else if !starts.is_empty() {
                        let start = starts.remove(0);
                        notes.push(MelodyNote {
                            onset_beats: start as f64 / ticks_per_beat,
                            duration_beats: (tick - start) as f64 / ticks_per_beat,
                            onset_s: 0.0,
                            offset_s: 0.0,
                            midi_pitch: key,
                        });
                    }
                }
                _ => {}
            }
        }
        if melody.is_none() && !notes.is_empty() {
            melody = Some(notes);
        }
    }
    let notes = to_single_line(melody.unwrap_or_default());
    if notes.is_empty() {
        return Err(ScoreError::NoNotes { format: "MIDI" });
    }
    let tempo = TempoMap::from_changes(tempi);
    let mut notes = notes;
    tempo.fill_seconds(&mut notes);
    Ok(Melody {
        title,
        tempo_bpm: tempo.first_bpm(),
        time,
        notes,
    })
}
