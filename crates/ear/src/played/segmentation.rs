//! Note segmentation: a voiced pitch track to notes (onset, offset, pitch).
//!
//! Each voiced region is decoded by a Viterbi pass over semitone states (of
//! the take's own tuning): staying costs how far the frame's pitch lies from
//! the state, switching costs a fixed penalty. Vibrato, scoops and isolated
//! estimator errors are absorbed; real note changes are placed where the
//! pitch moves. Runs of one state become notes; too-short runs are merged into
//! a neighbour; onsets are then moved to where the sound shows them.

use super::onset::{flux_background, localise_onsets, split_reattacks};
use super::release::localise_offsets;
use crate::played::frames::Frames;
use crate::played::voicing::{median, regions, tuning, voiced_track};
use crate::transcription::RawNote;

/// Standard deviation (semitones) of a frame's pitch around its note.
const PITCH_SIGMA: f32 = 0.35;
/// Cap of the per-frame cost (an outlier costs no more than this).
const OUTLIER_COST: f32 = 4.0;
/// Cost of changing note.
const SWITCH_COST: f32 = 8.0;
/// Shortest run of one state kept as a note, frames.
pub(crate) const MIN_RUN_FRAMES: usize = 5;
/// Longest scoop or fall-off folded into its note, frames.
const GLIDE_FRAMES: usize = 9;
/// Largest pitch distance of a scoop or fall-off from its note, semitones.
const GLIDE_SEMITONES: i32 = 3;

fn emit(p: Option<f32>, centre: f32) -> f32 {
    match p {
        Some(p) => {
            let z = (p - centre) / PITCH_SIGMA;
            (0.5 * z * z).min(OUTLIER_COST)
        }
        None => 0.0,
    }
}

/// Most likely semitone (index into `lo..`) per frame.
fn viterbi(track: &[Option<f32>], tuning: f32, lo: i32, n_states: usize) -> Vec<usize> {
    let n = track.len();
    let mut cost = vec![0f32; n_states];
    let mut stay = vec![true; n * n_states];
    let mut best_prev = vec![0usize; n];
    for (s, c) in cost.iter_mut().enumerate() {
        *c = emit(track[0], lo as f32 + s as f32 + tuning);
    }
    for t in 1..n {
        let (arg, &best) = cost
            .iter()
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(b.1))
            .unwrap_or((0, &0.0));
        best_prev[t] = arg;
        for (s, c) in cost.iter_mut().enumerate() {
            let from_switch = best + SWITCH_COST;
            let k = t * n_states + s;
            if from_switch < *c {
                *c = from_switch;
                stay[k] = false;
            }
            *c += emit(track[t], lo as f32 + s as f32 + tuning);
        }
    }
    let mut path = vec![0usize; n];
    let mut s = cost
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(b.1))
        .map_or(0, |(i, _)| i);
    for t in (0..n).rev() {
        path[t] = s;
        if t > 0 && !stay[t * n_states + s] {
            s = best_prev[t];
        }
    }
    path
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Run {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) state: i32,
}

fn runs(path: &[usize], lo: i32) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    for (t, &s) in path.iter().enumerate() {
        let state = lo + s as i32;
        match out.last_mut() {
            Some(r) if r.state == state => r.end = t + 1,
            _ => out.push(Run {
                start: t,
                end: t + 1,
                state,
            }),
        }
    }
    out
}

/// Merges runs shorter than [`MIN_RUN_FRAMES`] into the neighbour nearer in pitch.
fn merge_short(runs: &mut Vec<Run>) {
    loop {
        let Some(i) = (0..runs.len())
            .filter(|&i| runs[i].end - runs[i].start < MIN_RUN_FRAMES)
            .min_by_key(|&i| runs[i].end - runs[i].start)
        else {
            return;
        };
        if runs.len() == 1 {
            return;
        }
        let r = runs[i];
        let left = i
            .checked_sub(1)
            .map(|j| (j, (runs[j].state - r.state).abs()));
        let right = (i + 1 < runs.len()).then(|| (i + 1, (runs[i + 1].state - r.state).abs()));
        let target = match (left, right) {
            (Some(l), Some(rt)) => {
                if l.1 <= rt.1 {
                    l.0
                } else {
                    rt.0
                }
            }
            (Some(l), None) => l.0,
            (None, Some(rt)) => rt.0,
            (None, None) => return,
        };
        runs[target].start = runs[target].start.min(r.start);
        runs[target].end = runs[target].end.max(r.end);
        runs.remove(i);
        // neighbours that now share a state become one run
        let mut j = 1;
        while j < runs.len() {
            if runs[j].state == runs[j - 1].state {
                runs[j - 1].end = runs[j].end;
                runs.remove(j);
            } else {
                j += 1;
            }
        }
    }
}

/// Frame energy above the noise floor in dB (floored 120 dB under the loudest frame).
pub(crate) fn level_db(f: &Frames) -> Vec<f32> {
    let peak = f.excess.iter().copied().fold(0.0f32, f32::max);
    f.excess
        .iter()
        .map(|&e| 10.0 * (e + 1e-12 * peak + 1e-30).log10())
        .collect()
}

/// Folds a short run at either end of a voiced region into its longer
/// neighbour when they are at most `GLIDE_SEMITONES` apart: the scoop into a
/// sung or bowed note and the fall-off at its end are part of that note.
fn merge_glides(runs: &mut Vec<Run>) {
    let short = |r: &Run| r.end - r.start < GLIDE_FRAMES;
    if runs.len() >= 2 {
        let (a, b) = (runs[0], runs[1]);
        if short(&a)
            && b.end - b.start > a.end - a.start
            && (a.state - b.state).abs() <= GLIDE_SEMITONES
        {
            runs[1].start = a.start;
            runs.remove(0);
        }
    }
    if runs.len() >= 2 {
        let k = runs.len() - 1;
        let (a, b) = (runs[k - 1], runs[k]);
        if short(&b)
            && a.end - a.start > b.end - b.start
            && (a.state - b.state).abs() <= GLIDE_SEMITONES
        {
            runs[k - 1].end = b.end;
            runs.remove(k);
        }
    }
}

/// Decodes every voiced region at the given tuning.
fn decode_notes(f: &Frames, track: &[Option<f32>], tuning: f32) -> Vec<RawNote> {
    let hop = f.hop_s;
    let background = flux_background(f, track);
    let level = level_db(f);
    let mut notes = Vec::new();
    for (a, b) in regions(track) {
        let seg = &track[a..=b];
        let (mn, mx) = seg
            .iter()
            .flatten()
            .fold((f32::MAX, f32::MIN), |(lo, hi), &p| {
                (lo.min(p - tuning), hi.max(p - tuning))
            });
        let lo = mn.round() as i32 - 1;
        let n_states = (mx.round() as i32 + 1 - lo + 1).max(1) as usize;
        let path = viterbi(seg, tuning, lo, n_states);
        let mut rs = runs(&path, lo);
        // A change decoded inside an unvoiced gap belongs to the first voiced frame after it.
        for k in 1..rs.len() {
            let mut t = rs[k].start;
            while t + 1 < rs[k].end && seg[t].is_none() {
                t += 1;
            }
            rs[k - 1].end = t;
            rs[k].start = t;
        }
        merge_short(&mut rs);
        merge_glides(&mut rs);
        split_reattacks(&mut rs, &f.flux[a..=b], &level[a..=b], background);
        for r in rs {
            if r.end - r.start < MIN_RUN_FRAMES {
                continue;
            }
            let skip = if r.end - r.start > 6 { 2 } else { 0 };
            let mut pitches: Vec<f32> = seg[r.start + skip..r.end]
                .iter()
                .flatten()
                .copied()
                .collect();
            let midi = if pitches.is_empty() {
                r.state as f32 + tuning
            } else {
                median(&mut pitches)
            };
            let last = a + r.end - 1;
            let offset_frames = if a + r.end - 1 == b {
                last as f64 + 0.5
            } else {
                (a + r.end) as f64
            };
            notes.push(RawNote {
                onset_s: (a + r.start) as f64 * hop,
                offset_s: offset_frames * hop,
                midi: f64::from(midi),
                steady_midi: f64::from(midi),
            });
        }
    }
    notes
}

/// Finds notes in the frame features; returns them with the tuning (semitones).
///
/// The tuning is estimated twice: first from the frames (fine for steady
/// notes, blurred by wide vibrato), then from the decoded notes' median
/// pitches weighted by duration, and the notes are decoded again with it.
pub fn segment(f: &Frames) -> (Vec<RawNote>, f32) {
    let track = voiced_track(f);
    let first = decode_notes(f, &track, tuning(&track));
    let weighted: Vec<(f64, f64)> = first
        .iter()
        .map(|n| (n.midi, n.offset_s - n.onset_s))
        .collect();
    let tuning = (crate::transcription::estimate_tuning(&weighted) / 100.0) as f32;
    let mut notes = decode_notes(f, &track, tuning);
    localise_onsets(f, &mut notes);
    localise_offsets(f, &mut notes);
    (notes, tuning)
}
