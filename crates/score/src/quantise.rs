//! Quantisation: performed notes (seconds, fractional pitch) to a written
//! score on a sixteenth-note grid.
//!
//! Steps: tidy the notes; estimate tuning, tempo, metre and key (each can be
//! given instead in [`QuantiseOptions`]); place onsets on the grid by rounding
//! each inter-onset interval to whole sixteenths (following slow tempo drift);
//! decide where an articulation gap is a written rest; then cut the timeline
//! into measures and note values, tying notes across barlines.

use serde::{Deserialize, Serialize};

use crate::metre::{self, Onset};
use crate::note::Note;
use crate::pitch::{KeySignature, SpelledPitch, estimate_key};
use crate::score::{Clef, Event, Measure, NoteValue, Score, TimeSignature};
use crate::tempo::{estimate_tempo, estimate_tuning_cents};

/// Grid resolution: ticks per quarter note (sixteenths).
pub const DIVISIONS: u32 = 4;
/// Tempo used when it cannot be estimated (a single note).
const FALLBACK_BPM: f64 = 100.0;
/// A silence shorter than this many sixteenths is articulation, not a rest.
const MIN_REST_SIXTEENTHS: f64 = 1.25;
/// … and it must also be at least this share of the inter-onset interval.
const MIN_REST_SHARE: f64 = 0.25;
/// How fast the grid follows tempo drift (share of the observed error per note).
const DRIFT_GAIN: f64 = 0.15;
/// Longest silence or note written, in sixteenths (16 bars of 4/4); a longer
/// break in a take is written as this long.
const MAX_SIXTEENTHS: u32 = 256;
/// Below this median pitch the score is written in the bass clef (G3).
const BASS_CLEF_BELOW: u8 = 55;

/// What the caller already knows; `None` fields are estimated.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct QuantiseOptions {
    pub title: String,
    /// Quarter notes per minute.
    pub tempo_bpm: Option<f64>,
    pub time: Option<TimeSignature>,
    pub key: Option<KeySignature>,
    /// Sixteenths of rest before the first note in the first measure.
    pub pickup_sixteenths: Option<u32>,
}

/// A performed note on the grid.
#[derive(Debug, Clone, Copy)]
struct Placed {
    source: usize,
    pitch: u8,
    start: u32,
    end: u32,
}

/// Quantises performed notes into a score. Notes with non-finite values or
/// no length are skipped; overlapping notes are cut where the next begins.
/// An empty input gives a score with one measure of rest.
pub fn quantise(notes: &[Note], opts: &QuantiseOptions) -> Score {
    let mut clean: Vec<(usize, Note)> = notes
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, n)| {
            n.onset_s.is_finite()
                && n.offset_s.is_finite()
                && n.midi_pitch.is_finite()
                && n.offset_s > n.onset_s
        })
        .collect();
    clean.sort_by(|a, b| a.1.onset_s.total_cmp(&b.1.onset_s));
    let performed: Vec<Note> = clean.iter().map(|c| c.1).collect();

    let tuning_cents = estimate_tuning_cents(&performed);
    let bpm = opts
        .tempo_bpm
        .filter(|b| b.is_finite() && *b > 0.0)
        .or_else(|| estimate_tempo(&performed).map(|t| t.bpm))
        .unwrap_or(FALLBACK_BPM);
    let placed = place(&clean, bpm, tuning_cents);

    let end = placed.last().map_or(0, |p| p.end);
    let (time, pickup) = match (opts.time, opts.pickup_sixteenths) {
        (Some(t), Some(p)) => (t, p),
        (t, p) => {
            let onsets: Vec<Onset> = placed
                .iter()
                .enumerate()
                .map(|(i, n)| Onset {
                    pos: n.start,
                    ioi: placed.get(i + 1).map_or(n.end, |next| next.start) - n.start,
                })
                .collect();
            let (guessed_time, guessed_pickup) = metre::guess(&onsets, end);
            match t {
                Some(t) => (t, p.unwrap_or(0)),
                None => (guessed_time, p.unwrap_or(guessed_pickup)),
            }
        }
    };
    let measure_len = time.measure_ticks(DIVISIONS).max(1);
    let pickup = pickup % measure_len;

    let key = opts.key.unwrap_or_else(|| {
        estimate_key(placed.iter().map(|p| (p.pitch, f64::from(p.end - p.start))))
    });
    let mut pitches: Vec<u8> = placed.iter().map(|p| p.pitch).collect();
    pitches.sort_unstable();
    let clef = match pitches.get(pitches.len() / 2) {
        Some(&median) if median < BASS_CLEF_BELOW => Clef::Bass,
        _ => Clef::Treble,
    };

    let measures = write_measures(&placed, pickup, measure_len, time, key);
    Score {
        title: opts.title.clone(),
        tempo_bpm: bpm,
        time,
        key,
        clef,
        divisions: DIVISIONS,
        measures,
        tuning_offset_cents: tuning_cents,
    }
}

/// Puts notes on the sixteenth grid: each inter-onset interval becomes a
/// whole number of sixteenths, each note ends at the next onset unless the
/// silence before it is long enough to be a rest.
fn place(notes: &[(usize, Note)], bpm: f64, tuning_cents: f64) -> Vec<Placed> {
    let mut u = 15.0 / bpm;
    let articulation = articulation(notes, u);
    let mut out: Vec<Placed> = Vec::with_capacity(notes.len());
    let mut start = 0u32;
    let mut i = 0;
    while i < notes.len() {
        let (source, note) = notes[i];
        // Notes starting within a third of a sixteenth of this one are one
        // event: keep the longest, as a chord would be read as its top line.
        let mut j = i + 1;
        let mut chosen = (source, note);
        while j < notes.len() && notes[j].1.onset_s - note.onset_s < u / 3.0 {
            if notes[j].1.duration_s() > chosen.1.duration_s() {
                chosen = notes[j];
            }
            j += 1;
        }
        let (source, note) = chosen;
        let pitch = (note.midi_pitch - tuning_cents / 100.0)
            .round()
            .clamp(0.0, 127.0) as u8;
        let sounding = (note.offset_s.min(
            notes
                .get(j)
                .map_or(f64::INFINITY, |n| n.1.onset_s.max(note.onset_s)),
        ) - note.onset_s)
            .max(0.0);
        let sounding_ticks = written_length(sounding / articulation / u);
        match notes.get(j) {
            Some(&(_, next)) => {
                let ioi = next.onset_s - notes[i].1.onset_s;
                let k = ((ioi / u).round() as u32).clamp(1, MAX_SIXTEENTHS);
                let gap = next.onset_s - note.offset_s;
                let is_rest = gap >= MIN_REST_SIXTEENTHS * u && gap >= MIN_REST_SHARE * ioi;
                let end = if is_rest && k > 1 {
                    start.saturating_add(sounding_ticks.clamp(1, k - 1))
                } else {
                    start.saturating_add(k)
                };
                out.push(Placed {
                    source,
                    pitch,
                    start,
                    end,
                });
                let ratio = ioi / (f64::from(k) * u);
                if k <= 16 && (0.8..1.25).contains(&ratio) {
                    u *= 1.0 + DRIFT_GAIN * (ratio - 1.0);
                }
                start = start.saturating_add(k);
            }
            None => out.push(Placed {
                source,
                pitch,
                start,
                end: start.saturating_add(sounding_ticks),
            }),
        }
        i = j;
    }
    out
}

/// How much of its written length the player sounds a note for (0.5…1):
/// the median over notes followed by another without a rest.
fn articulation(notes: &[(usize, Note)], u: f64) -> f64 {
    let mut ratios: Vec<f64> = notes
        .windows(2)
        .filter_map(|w| {
            let (a, b) = (w[0].1, w[1].1);
            let ioi = b.onset_s - a.onset_s;
            let sounding = a.offset_s.min(b.onset_s) - a.onset_s;
            let gap = b.onset_s - a.offset_s;
            (ioi > u / 3.0 && gap < MIN_REST_SIXTEENTHS * u).then_some(sounding / ioi)
        })
        .collect();
    if ratios.is_empty() {
        return 1.0;
    }
    ratios.sort_by(f64::total_cmp);
    ratios[ratios.len() / 2].clamp(0.5, 1.0)
}

/// A note's written length in sixteenths from its estimated length: long
/// notes to the nearest quarter, medium ones to the nearest eighth.
fn written_length(sixteenths: f64) -> u32 {
    let grid = if sixteenths >= 7.0 {
        4.0
    } else if sixteenths >= 3.5 {
        2.0
    } else {
        1.0
    };
    ((sixteenths / grid).round() * grid).clamp(1.0, f64::from(MAX_SIXTEENTHS)) as u32
}

/// `(start, end, Some((pitch, source)))` for a note, `None` for a rest, in
/// absolute ticks.
type Span = (u32, u32, Option<(u8, usize)>);

/// Cuts the placed notes, with rests between them, into measures.
fn write_measures(
    placed: &[Placed],
    pickup: u32,
    measure_len: u32,
    time: TimeSignature,
    key: KeySignature,
) -> Vec<Measure> {
    let mut spans: Vec<Span> = Vec::new();
    let mut cursor = 0;
    for p in placed {
        let (start, end) = (p.start.saturating_add(pickup), p.end.saturating_add(pickup));
        if start > cursor {
            spans.push((cursor, start, None));
        }
        spans.push((start, end, Some((p.pitch, p.source))));
        cursor = end;
    }
    let total = cursor.div_ceil(measure_len).max(1) * measure_len;
    if total > cursor {
        spans.push((cursor, total, None));
    }

    let mut measures: Vec<Measure> = (0..total / measure_len)
        .map(|i| Measure {
            number: i + 1,
            events: Vec::new(),
        })
        .collect();
    for (start, end, sound) in spans {
        let pieces = split(start, end, measure_len, time);
        let count = pieces.len();
        for (n, (at, len)) in pieces.into_iter().enumerate() {
            let Some(measure) = measures.get_mut((at / measure_len) as usize) else {
                continue;
            };
            let Some(value) = NoteValue::from_ticks(len, DIVISIONS) else {
                continue;
            };
            let pitch = sound.map(|(p, _)| SpelledPitch::spell(p, key));
            measure.events.push(Event {
                pitch,
                ticks: len,
                value,
                tie_start: sound.is_some() && n + 1 < count,
                tie_stop: sound.is_some() && n > 0,
                source: sound.map(|(_, s)| s),
            });
        }
    }
    measures
}

/// Written lengths (sixteenths) allowed, longest first, with the grid each
/// must start on within the measure.
const VALUES: [(u32, u32); 8] = [
    (16, 4),
    (12, 4),
    (8, 4),
    (6, 2),
    (4, 2),
    (3, 1),
    (2, 1),
    (1, 1),
];

/// Splits `[start, end)` at barlines and into written values: at each point
/// the longest value that fits and starts on its grid.
fn split(start: u32, end: u32, measure_len: u32, time: TimeSignature) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let mut at = start;
    while at < end {
        let in_measure = at % measure_len;
        let room = (end - at).min(measure_len - in_measure);
        let len = VALUES
            .iter()
            .find(|&&(v, grid)| {
                // In 6/8 a half note would hide the two dotted-quarter beats.
                let fits_metre = !(time.is_compound() && v == 8);
                v <= room && in_measure.is_multiple_of(grid) && fits_metre
            })
            .map_or(1, |&(v, _)| v);
        out.push((at, len));
        at += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_ties_a_note_across_the_barline() {
        // A half note starting on beat 4 of 4/4: a quarter, then a quarter in the next bar.
        let pieces = split(12, 20, 16, TimeSignature::COMMON);
        assert_eq!(pieces, vec![(12, 4), (16, 4)]);
    }

    #[test]
    fn split_uses_dotted_values() {
        assert_eq!(split(0, 6, 16, TimeSignature::COMMON), vec![(0, 6)]);
        assert_eq!(split(0, 12, 12, TimeSignature::new(6, 8)), vec![(0, 12)]);
        // 8 sixteenths in 6/8 are a dotted quarter and an eighth, not a half.
        assert_eq!(
            split(0, 8, 12, TimeSignature::new(6, 8)),
            vec![(0, 6), (6, 2)]
        );
    }

    #[test]
    fn empty_input_is_one_bar_of_rest() {
        let score = quantise(&[], &QuantiseOptions::default());
        assert_eq!(score.measures.len(), 1);
        assert!(score.measures[0].events.iter().all(Event::is_rest));
    }

    #[test]
    fn invalid_notes_are_skipped() {
        let notes = [
            Note {
                onset_s: f64::NAN,
                offset_s: 1.0,
                midi_pitch: 60.0,
            },
            Note {
                onset_s: 0.0,
                offset_s: 0.6,
                midi_pitch: 62.0,
            },
        ];
        let score = quantise(&notes, &QuantiseOptions::default());
        let melody = score.melody();
        assert_eq!(melody.notes.len(), 1);
        assert_eq!(melody.notes[0].midi_pitch, 62);
    }
}
