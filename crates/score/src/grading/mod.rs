//! Grading a take against a target melody.
//!
//! 1. The pitch offset between take and target is estimated from a histogram
//!    of pitch differences of notes at similar relative positions, so a take
//!    sung out of tune or in another octave still aligns.
//! 2. Notes are aligned with Needleman–Wunsch ([`alignment`]), starting from
//!    two tempo-free explanations of where the target is in the take:
//!    - the take spans the target: notes compared on pitch, on each note's
//!      inter-onset interval relative to its own melody's median interval,
//!      and on relative position between first and last onset;
//!    - the target is somewhere inside the take (played after warming up,
//!      before noodling on, or twice): notes compared only on their steps
//!      and interval ratios to their neighbours ([`contour::shapes`]), take
//!      notes before and after the target free (semi-global alignment).
//!
//!    Each start is realigned twice on pitch and on onset against where the
//!    take is expected to play each target note, following its own tempo and
//!    drift ([`timing`]), and the explanation whose final alignment costs
//!    less wins (the first on a tie). So a take much longer than its target
//!    is not mistaken for the target stretched over the whole take at half
//!    or double tempo, while a take that really is the target at double
//!    tempo still is.
//! 3. Each target note gets a verdict, each unmatched take note is extra, and
//!    the pitch, rhythm and total scores are the credited shares.
//!
//! A wrong, missing or extra note costs one substitution or gap, so the rest
//! of the melody still aligns. Extra notes count half a target note against
//! the scores when they lie inside the melody (between the first and the
//! last take note matched to it); extras before or after the melody are
//! listed as extra (verdict `Extra` in `extras` and `take_verdicts`) but do
//! not lower any score: a learner who plays the whole melody right and then
//! keeps playing gets every melody note right and 100. To change how strict
//! grading is, see [`GradeOptions`]; to change what counts as the same note,
//! the cost functions below.

mod alignment;
mod contour;
mod timing;
mod verdict;

use serde::{Deserialize, Serialize};

pub use verdict::{ExtraNote, Grade, NoteGrade, Verdict, VerdictCounts};

use crate::error::ScoreError;
use crate::note::Note;
use crate::tempo::estimate_tempo;
use alignment::{Alignment, TakeEnds};
use contour::{Shape, initial_offset, relative_intervals, relative_positions, shapes};
use timing::{Line, expected_onsets, median, timing_errors};

/// How strict grading is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct GradeOptions {
    /// A note further than this from its target (after the global tuning
    /// offset) is sharp or flat.
    pub pitch_tolerance_cents: f64,
    /// A note further than this share of a target beat from where the take's
    /// own tempo puts it is early or late …
    pub timing_tolerance_beats: f64,
    /// … but never for less than this many seconds.
    pub min_timing_tolerance_s: f64,
    /// Forgive a take an octave (or octaves) away, as a voice in another register.
    pub forgive_octave: bool,
    /// Forgive a take in any other key (whole-semitone shift).
    pub forgive_transposition: bool,
}

impl Default for GradeOptions {
    fn default() -> Self {
        GradeOptions {
            pitch_tolerance_cents: 40.0,
            timing_tolerance_beats: 0.15,
            min_timing_tolerance_s: 0.06,
            forgive_octave: true,
            forgive_transposition: false,
        }
    }
}

/// Notes within this of the first estimate of the take's offset (semitones)
/// set the final one: wrong notes do not move how in tune the others are.
const OFFSET_INLIER_SEMITONES: f64 = 0.6;

/// The take's pitch offset from the target: the median difference over
/// matched notes, refined over the notes near it (a few wrong notes, a
/// whole tone off, would otherwise pull a voice's borderline notes over the
/// tolerance).
fn take_offset(diffs: &[f64]) -> f64 {
    let mut all = diffs.to_vec();
    let Some(first) = median(&mut all) else {
        return 0.0;
    };
    let mut near: Vec<f64> = diffs
        .iter()
        .copied()
        .filter(|d| (d - first).abs() <= OFFSET_INLIER_SEMITONES)
        .collect();
    if 2 * near.len() >= diffs.len() {
        median(&mut near).unwrap_or(first)
    } else {
        first
    }
}

/// Cost of leaving a note unmatched (missed or extra).
const GAP: f64 = 1.0;
/// Target notes on either side whose timing sets the local tempo.
const DRIFT_WINDOW: usize = 4;
/// Beat length used when the target has no tempo (fewer than two onsets).
const FALLBACK_BEAT_S: f64 = 0.5;
/// Share of the total score from pitch; the rest is rhythm.
const PITCH_WEIGHT: f64 = 0.6;
/// An extra note inside the melody counts this much of a target note
/// against the scores.
const EXTRA_WEIGHT: f64 = 0.5;

/// Grades `take` against `target` with the default [`GradeOptions`].
pub fn grade(target: &[Note], take: &[Note]) -> Result<Grade, ScoreError> {
    grade_with(target, take, &GradeOptions::default())
}

/// Grades `take` against `target`. Notes may come in any order; indices in
/// the result refer to the slices as given. An empty target is an error; an
/// empty take grades every note missed.
pub fn grade_with(
    target: &[Note],
    take: &[Note],
    opts: &GradeOptions,
) -> Result<Grade, ScoreError> {
    validate(target, "target")?;
    validate(take, "take")?;
    if target.is_empty() {
        return Err(ScoreError::EmptyTarget);
    }
    let t_order = onset_order(target);
    let k_order = onset_order(take);
    let t: Vec<Note> = t_order.iter().map(|&i| target[i]).collect();
    let k: Vec<Note> = k_order.iter().map(|&i| take[i]).collect();
    let beat = estimate_tempo(&t).map_or(FALLBACK_BEAT_S, |e| 60.0 / e.bpm);

    let matches = if k.is_empty() {
        vec![None; t.len()]
    } else {
        match_notes(&t, &k, beat)
    };
    let pairs: Vec<(usize, usize)> = matches
        .iter()
        .enumerate()
        .filter_map(|(i, m)| m.map(|j| (i, j)))
        .collect();

    // Pitch offset: median difference over matched notes, split into whole
    // semitones and tuning.
    let diffs: Vec<f64> = pairs
        .iter()
        .map(|&(i, j)| k[j].midi_pitch - t[i].midi_pitch)
        .collect();
    let offset = take_offset(&diffs);
    let semitones = offset.round();
    let tuning = offset - semitones;
    let transposition_forgiven = semitones != 0.0
        && (opts.forgive_transposition || (opts.forgive_octave && semitones % 12.0 == 0.0));
    let forgiven = if transposition_forgiven || semitones == 0.0 {
        offset
    } else {
        tuning
    };

    let line = fit_line(&t, &k, &pairs);
    let target_onsets: Vec<f64> = t.iter().map(|n| n.onset_s).collect();
    let matched_onsets: Vec<Option<f64>> =
        matches.iter().map(|m| m.map(|j| k[j].onset_s)).collect();
    let timing = timing_errors(line, &target_onsets, &matched_onsets, DRIFT_WINDOW);
    let timing_tol = (opts.timing_tolerance_beats * beat).max(opts.min_timing_tolerance_s);
    let pitch_tol = opts.pitch_tolerance_cents.max(0.0);

    let mut counts = VerdictCounts::default();
    let mut take_verdicts = vec![Verdict::Extra; take.len()];
    let (mut pitch_credit, mut rhythm_credit) = (0.0, 0.0);
    let mut notes = Vec::with_capacity(t.len());
    for (i, m) in matches.iter().enumerate() {
        let target_index = t_order[i];
        let Some(j) = *m else {
            counts.add(Verdict::Missed);
            notes.push(NoteGrade {
                target_index,
                take_index: None,
                verdict: Verdict::Missed,
                pitch_error_cents: None,
                timing_error_s: None,
                target: t[i],
                take: None,
            });
            continue;
        };
        let cents = (k[j].midi_pitch - forgiven - t[i].midi_pitch) * 100.0;
        let late_s = timing[i].unwrap_or(0.0) / line.slope;
        let verdict = if cents > pitch_tol {
            Verdict::Sharp
        } else if cents < -pitch_tol {
            Verdict::Flat
        } else if late_s > timing_tol {
            Verdict::Late
        } else if late_s < -timing_tol {
            Verdict::Early
        } else {
            Verdict::Right
        };
        pitch_credit += ((100.0 - cents.abs()) / (100.0 - pitch_tol).max(1.0)).clamp(0.0, 1.0);
        rhythm_credit += if late_s.abs() <= timing_tol {
            1.0
        } else {
            ((3.0 * timing_tol - late_s.abs()) / (2.0 * timing_tol)).clamp(0.0, 1.0)
        };
        counts.add(verdict);
        take_verdicts[k_order[j]] = verdict;
        notes.push(NoteGrade {
            target_index,
            take_index: Some(k_order[j]),
            verdict,
            pitch_error_cents: Some(cents),
            timing_error_s: Some(late_s),
            target: t[i],
            take: Some(k[j]),
        });
    }
    notes.sort_by_key(|n| n.target_index);
    let extras: Vec<ExtraNote> = take_verdicts
        .iter()
        .enumerate()
        .filter(|(_, v)| **v == Verdict::Extra)
        .map(|(take_index, _)| ExtraNote {
            take_index,
            take: take[take_index],
        })
        .collect();
    counts.extra = extras.len();
    // Only extras between the first and the last matched take note count
    // against the scores; those before or after the melody are left out.
    // The alignment keeps order, so every matched take note lies in
    // first..=last and the others there are extras.
    let inside = match (pairs.first(), pairs.last()) {
        (Some(&(_, first)), Some(&(_, last))) => last + 1 - first - pairs.len(),
        _ => 0,
    };

    let denominator = t.len() as f64 + EXTRA_WEIGHT * inside as f64;
    let pitch_score = round1(100.0 * pitch_credit / denominator);
    let rhythm_score = round1(100.0 * rhythm_credit / denominator);
    Ok(Grade {
        notes,
        extras,
        take_verdicts,
        counts,
        pitch_score,
        rhythm_score,
        total_score: round1(PITCH_WEIGHT * pitch_score + (1.0 - PITCH_WEIGHT) * rhythm_score),
        tuning_offset_cents: round1(tuning * 100.0),
        transposition_semitones: semitones as i32,
        transposition_forgiven,
        tempo_ratio: line.slope,
    })
}

/// Aligns the take to the target. Two tempo-free explanations of where the
/// target sits in the take are each followed by two passes against the
/// take's expected onsets, and the one whose final alignment costs least
/// wins (the first on a tie):
/// - the take spans the target: notes are compared by pitch, relative
///   interval and relative position between the take's first and last note;
/// - the target is somewhere inside the take: notes are compared by their
///   [`Shape`] alone (steps and interval ratios to their neighbours), with
///   the take's notes before and after it free.
fn match_notes(t: &[Note], k: &[Note], beat: f64) -> Vec<Option<usize>> {
    let (n, m) = (t.len(), k.len());
    let offset = initial_offset(t, k);
    let pos_t = relative_positions(t);
    let pos_k = relative_positions(k);
    let ioi_t = relative_intervals(t);
    let ioi_k = relative_intervals(k);
    let spanning = |i: usize, j: usize| {
        pitch_cost(k[j].midi_pitch - offset - t[i].midi_pitch)
            + 0.4 * (ioi_t[i] - ioi_k[j]).abs().min(2.0)
            + (3.0 * (pos_t[i] - pos_k[j]).abs()).min(1.5)
    };
    let spread = |i: usize| pos_t[i] * (m.saturating_sub(1)) as f64;
    let whole = alignment::align(n, m, GAP, TakeEnds::Charged, spread, spanning).matches;

    let shape_t = shapes(t);
    let shape_k = shapes(k);
    let inside = |i: usize, j: usize| shape_cost(&shape_t[i], &shape_k[j]);
    let found = alignment::align(n, m, GAP, TakeEnds::Free, spread, inside).matches;

    if found == whole {
        return follow(t, k, beat, whole, offset).matches;
    }
    let whole = follow(t, k, beat, whole, offset);
    let found = follow(t, k, beat, found, offset);
    if found.cost < whole.cost {
        found.matches
    } else {
        whole.matches
    }
}

/// Realigns twice on pitch and on onset against where the take is expected
/// to play each target note, following its own tempo and drift, starting
/// from `matches`. `offset` is the pitch offset when nothing matched.
fn follow(
    t: &[Note],
    k: &[Note],
    beat: f64,
    matches: Vec<Option<usize>>,
    offset: f64,
) -> Alignment {
    let (n, m) = (t.len(), k.len());
    let target_onsets: Vec<f64> = t.iter().map(|x| x.onset_s).collect();
    let take_onsets: Vec<f64> = k.iter().map(|x| x.onset_s).collect();
    let mut result = Alignment {
        matches,
        cost: f64::INFINITY,
    };
    for _ in 0..2 {
        let matches = &result.matches;
        let pairs: Vec<(usize, usize)> = matches
            .iter()
            .enumerate()
            .filter_map(|(i, mm)| mm.map(|j| (i, j)))
            .collect();
        let mut diffs: Vec<f64> = pairs
            .iter()
            .map(|&(i, j)| k[j].midi_pitch - t[i].midi_pitch)
            .collect();
        let offset = median(&mut diffs).unwrap_or(offset);
        let line = fit_line(t, k, &pairs);
        let matched: Vec<Option<f64>> = matches.iter().map(|mm| mm.map(|j| k[j].onset_s)).collect();
        let expected = expected_onsets(line, &target_onsets, &matched, DRIFT_WINDOW);
        let cost = |i: usize, j: usize| {
            let beats_off = (take_onsets[j] - expected[i]) / line.slope / beat;
            pitch_cost(k[j].midi_pitch - offset - t[i].midi_pitch) + 0.8 * beats_off.abs().min(3.0)
        };
        // Band centre: the take index whose onset is nearest the expectation.
        let centre = |i: usize| take_onsets.partition_point(|&x| x < expected[i]) as f64;
        result = alignment::align(n, m, GAP, TakeEnds::Charged, centre, cost);
    }
    result
}

/// Cost of a pitch difference in semitones (after the offset): nothing
/// within 30 cents, then half a gap per semitone, capped so that a wrong
/// note at the right time is still cheaper than a miss plus an extra.
fn pitch_cost(semitones: f64) -> f64 {
    (0.7 * (semitones.abs() - 0.3)).clamp(0.0, 1.6)
}

/// Cost of matching two notes by their shapes: the pitch cost of the
/// difference in steps to their neighbours (the mean of the steps both
/// have), plus how differently their intervals stretch.
fn shape_cost(t: &Shape, k: &Shape) -> f64 {
    let steps = [(t.rise_in, k.rise_in), (t.rise_out, k.rise_out)];
    let (sum, count) = steps
        .iter()
        .filter_map(|&(a, b)| Some(pitch_cost(b? - a?)))
        .fold((0.0, 0.0), |(s, c), x| (s + x, c + 1.0));
    let pitch = if count > 0.0 { sum / count } else { 0.0 };
    let rhythm = match (t.stretch, k.stretch) {
        (Some(a), Some(b)) => 0.4 * (a - b).abs().min(2.0),
        _ => 0.0,
    };
    pitch + rhythm
}

/// The take's tempo and start against the target's, from matched notes;
/// first onsets and total spans when too few notes matched.
fn fit_line(t: &[Note], k: &[Note], pairs: &[(usize, usize)]) -> Line {
    let points: Vec<(f64, f64)> = pairs
        .iter()
        .map(|&(i, j)| (t[i].onset_s, k[j].onset_s))
        .collect();
    if let Some(line) = Line::fit(&points) {
        return line;
    }
    let span = |x: &[Note]| match (x.first(), x.last()) {
        (Some(a), Some(b)) => b.onset_s - a.onset_s,
        _ => 0.0,
    };
    let ratio = span(k) / span(t);
    let slope = if ratio.is_finite() && (0.25..=4.0).contains(&ratio) {
        ratio
    } else {
        1.0
    };
    let (t0, k0) = (
        t.first().map_or(0.0, |x| x.onset_s),
        k.first().map_or(0.0, |x| x.onset_s),
    );
    Line {
        intercept: k0 - slope * t0,
        slope,
    }
}

fn onset_order(x: &[Note]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| x[a].onset_s.total_cmp(&x[b].onset_s));
    order
}

pub(crate) fn validate(notes: &[Note], melody: &'static str) -> Result<(), ScoreError> {
    for (index, n) in notes.iter().enumerate() {
        let reason = if !n.onset_s.is_finite() || !n.offset_s.is_finite() {
            "time is not a finite number"
        } else if !n.midi_pitch.is_finite() || !(0.0..=140.0).contains(&n.midi_pitch) {
            "pitch is not a MIDI note number"
        } else if n.offset_s < n.onset_s {
            "it ends before it starts"
        } else {
            continue;
        };
        return Err(ScoreError::InvalidNote {
            melody,
            index,
            reason,
        });
    }
    Ok(())
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}
