//! Onsets: re-attacks inside a steady pitch (spectral-flux peaks after an
//! energy dip) and moving each onset to where the sound shows it.

use super::frames::Frames;
use super::segmentation::{MIN_RUN_FRAMES, Run};
use super::voicing::{activity_gate, median};
use crate::transcription::RawNote;

/// Robust z-score of a spectral-flux peak that splits a steady note (re-attack).
const REATTACK_Z: f32 = 8.0;
/// A flux peak this strong splits even without a dip (reverberation fills the gap).
const REATTACK_STRONG_Z: f32 = 30.0;
/// Energy dip (dB) a re-attack must follow: re-articulating a note interrupts it.
const REATTACK_DIP_DB: f32 = 4.0;
/// Level rise (dB) after a re-attack: flux peaks while the level keeps
/// falling are ringing or beating, not a new note.
const REATTACK_RISE_DB: f32 = 3.0;
/// Floor of the flux spread (MAD): steady synthetic or very clean tones have
/// almost none, which would turn any ripple into a huge deviation.
const MIN_FLUX_SPREAD: f32 = 0.25;
/// Frames an onset may move back from where the pitch first showed it.
const LOOKBACK_FRAMES: usize = 8;

/// Robust level of the onset function over voiced frames: (median, MAD).
pub(crate) fn flux_background(f: &Frames, track: &[Option<f32>]) -> (f32, f32) {
    let mut v: Vec<f32> = track
        .iter()
        .zip(&f.flux)
        .filter(|(p, _)| p.is_some())
        .map(|(_, &x)| x)
        .collect();
    let m = median(&mut v);
    let mut dev: Vec<f32> = v.iter().map(|x| (x - m).abs()).collect();
    (m, median(&mut dev).max(MIN_FLUX_SPREAD))
}

/// Splits runs at re-attacks: spectral-flux peaks standing `REATTACK_Z` robust
/// deviations above the recording's voiced background right after an energy
/// dip of `REATTACK_DIP_DB` (or `REATTACK_STRONG_Z` deviations without one),
/// at least `MIN_RUN_FRAMES + 1` frames from either end of the run.
pub(crate) fn split_reattacks(
    runs: &mut Vec<Run>,
    flux: &[f32],
    level: &[f32],
    background: (f32, f32),
) {
    // energy fall into the onset: loudest of frames t-8..t-3 over quietest of t-3..t+1
    let dip = |t: usize| {
        let before = level[t.saturating_sub(8)..t.saturating_sub(2).max(1)]
            .iter()
            .copied()
            .fold(f32::MIN, f32::max);
        let low = level[t.saturating_sub(3)..(t + 2).min(level.len())]
            .iter()
            .copied()
            .fold(f32::MAX, f32::min);
        before - low
    };
    // a new attack brings the level back up: quietest of t-3..t+1 to loudest of t..t+7
    let rise = |t: usize| {
        let low = level[t.saturating_sub(3)..(t + 2).min(level.len())]
            .iter()
            .copied()
            .fold(f32::MAX, f32::min);
        let after = level[t..(t + 8).min(level.len())]
            .iter()
            .copied()
            .fold(f32::MIN, f32::max);
        after - low
    };
    let margin = MIN_RUN_FRAMES + 1;
    let mut out = Vec::with_capacity(runs.len());
    for r in runs.iter() {
        let mut start = r.start;
        let mut t = r.start + margin;
        while t + margin <= r.end {
            let lo = t.saturating_sub(2);
            let hi = (t + 3).min(flux.len());
            let is_peak = flux[lo..hi].iter().all(|&v| v <= flux[t]);
            let z = (flux[t] - background.0) / background.1;
            if is_peak
                && z >= REATTACK_Z
                && (dip(t) >= REATTACK_DIP_DB || z >= REATTACK_STRONG_Z)
                && rise(t) >= REATTACK_RISE_DB
                && t - start >= margin
            {
                out.push(Run {
                    start,
                    end: t,
                    state: r.state,
                });
                start = t;
                t += margin;
                continue;
            }
            t += 1;
        }
        out.push(Run {
            start,
            end: r.end,
            state: r.state,
        });
    }
    *runs = out;
}

/// Moves each onset back to where the sound shows it: to the start of the
/// active (above-gate) run for notes that begin after silence, else to the
/// strongest spectral-flux frame in the preceding `LOOKBACK_FRAMES` (a new
/// note's slow attack lets the old pitch dominate for a while).
pub(crate) fn localise_onsets(f: &Frames, notes: &mut [RawNote]) {
    let hop = f.hop_s;
    let gate = activity_gate(f);
    for i in 0..notes.len() {
        let s = (notes[i].onset_s / hop).round() as usize;
        let floor_frame = if i > 0 {
            ((notes[i - 1].onset_s / hop).round() as usize + 3).min(s)
        } else {
            0
        };
        let lo = s.saturating_sub(LOOKBACK_FRAMES).max(floor_frame);
        let after_silence = i == 0 || notes[i].onset_s - notes[i - 1].offset_s > 2.5 * hop;
        let new_s = if after_silence {
            let lo = if i > 0 {
                lo.max((notes[i - 1].offset_s / hop).ceil() as usize)
            } else {
                lo
            };
            let mut j = s;
            while j > lo && f.excess[j - 1] > gate {
                j -= 1;
            }
            j
        } else {
            (lo..=s.min(f.flux.len().saturating_sub(1)))
                .max_by(|&a, &b| f.flux[a].total_cmp(&f.flux[b]))
                .unwrap_or(s)
        };
        notes[i].onset_s = new_s as f64 * hop;
        if i > 0 {
            notes[i - 1].offset_s = notes[i - 1].offset_s.min(notes[i].onset_s);
        }
    }
}
