//! Note segmentation: frame features to notes (onset, offset, pitch).
//!
//! A melody line is a chain of voiced stretches. Inside one stretch, notes
//! are separated by a dip of the vowel-band level (a consonant, a breath, a
//! re-articulation: the deeper the dip must be, the closer the pitches on
//! either side) or, in a slur, by a change of the held pitch. Each note
//! starts where its level has risen to within a few dB of what it holds (for
//! a sung syllable that is the vowel, not the consonant before it) and ends
//! where the level has fallen well below that. Its pitch is the median of its
//! voiced frames, so a vibrato is heard at its centre and a short scoop or
//! fall barely moves it.

use super::analysis::{Analysis, TIMBRE_BANDS, quantile, timbre_similarity};
use crate::transcription::RawNote;

/// Largest aperiodicity of a voiced frame.
pub const VOICED_AP: f32 = 0.5;
/// Unvoiced frames bridged inside one voiced stretch.
const MAX_GAP_FRAMES: usize = 2;
/// Shortest note, seconds.
const MIN_NOTE_S: f64 = 0.1;
/// How far before a stretch's first voiced frame its onset may lie, seconds
/// (the level rises with the consonant or attack before the pitch is clear).
const PRE_ONSET_S: f64 = 0.06;
/// Window over which a note's held level is measured, seconds.
const PLATEAU_S: f64 = 0.15;
/// Quantile of the level taken as the held level.
const PLATEAU_Q: f64 = 0.9;
/// A note starts where its level first comes within this of the held level, dB.
const ONSET_DB: f32 = 6.0;
/// After a dip inside a voiced stretch, a note starts where its level has
/// made this share of its rise (in dB) from the dip to the held level.
const DIP_RISE: f32 = 0.6;
/// ... and ends after its level last stays within this of the held level, dB.
const OFFSET_DB: f32 = 9.0;
/// Dip (dB under the held level on both sides) that separates two notes, by
/// how far apart their pitches are: same pitch, < 0.6, < 1, >= 1 semitone.
const DIP_SAME_DB: f32 = 9.0;
const DIP_NEAR_DB: f32 = 8.0;
const DIP_STEP_DB: f32 = 6.0;
const DIP_LEAP_DB: f32 = 1.5;
/// Timbre change (novelty) across a dip that shows a new vowel.
const DIP_NEW_VOWEL_NOVELTY: f32 = 0.2;
/// Half-width of the window in which a dip must be the lowest point, seconds.
const DIP_WINDOW_S: f64 = 0.05;
/// How far from a dip the pitch on either side is read, seconds (about one
/// vibrato cycle, so vibrato does not read as a change of note).
const DIP_PITCH_S: f64 = 0.15;
/// Cost of one more note in the slur segmentation (squared semitone-frames).
const SLUR_NOTE_COST: f64 = 16.0;
/// Smallest change of held pitch that makes a new note in a slur, semitones.
const SLUR_MIN_STEP: f64 = 0.7;
/// Both notes of a slur change last at least this long, seconds.
const SLUR_MIN_SIDE_S: f64 = 0.12;
/// Timbre change that confirms a small slur step (a new syllable's vowel).
const SLUR_NOVELTY: f32 = 0.05;
/// A slur step this large needs no timbre change, semitones.
const SLUR_CLEAR_STEP: f64 = 2.0;
const ATTACK_ON: bool = true;
/// How far before the level onset an attack may start, seconds.
const ATTACK_LOOKBACK_S: f64 = 0.1;
/// The part of a note whose pitch and timbre define it, seconds.
const ATTACK_BODY_S: f64 = 0.1;
/// An attack frame is within this of the note's pitch, semitones ...
const ATTACK_PITCH_ST: f64 = 1.0;
/// ... no more than this under its held level, dB ...
const ATTACK_FLOOR_DB: f32 = 35.0;
/// ... and at least this similar in timbre.
const ATTACK_TIMBRE: f32 = 0.9;
/// A join between two notes whose dip is shallower than this (dB) and that
/// stays voiced is a slur.
const SLUR_DIP_DB: f32 = 8.0;
/// Largest log-spectral distance (natural log units, RMS over bands) of a
/// join from the best mix of its two notes that still counts as a crossfade.
const CROSSFADE_DISTANCE: f32 = 1.1;
/// Half-width of the stretch around a join that must stay voiced, seconds.
const SLUR_JOIN_S: f64 = 0.03;
/// How far from a slur's join its timbre change is looked for, seconds.
const SLUR_ONSET_SEARCH_S: f64 = 0.06;
/// A sung note has arrived once its pitch is this close to its steady pitch
/// (semitones) ...
const ARRIVAL_SEMITONES: f64 = 1.0;
/// ... for this many frames ...
const ARRIVAL_FRAMES: usize = 3;
/// ... and no later than this after the level onset (seconds).
const ARRIVAL_MAX_S: f64 = 0.15;
/// Longest note the slur segmentation considers at once, frames (10 s).
const SLUR_MAX_FRAMES: usize = 2000;

struct Ctx<'a> {
    a: &'a Analysis,
    voiced: Vec<bool>,
    min_note: usize,
}

impl Ctx<'_> {
    fn level(&self) -> &[f32] {
        &self.a.level_db
    }

    /// Median pitch of the voiced frames in `lo..hi` (at least 3 of them).
    fn side_pitch(&self, lo: usize, hi: usize) -> Option<f32> {
        let hi = hi.min(self.voiced.len());
        let mut v: Vec<f32> = (lo.min(hi)..hi)
            .filter(|&i| self.voiced[i])
            .map(|i| self.a.midi[i])
            .collect();
        (v.len() >= 3).then(|| median(&mut v))
    }
}

fn median(v: &mut [f32]) -> f32 {
    if v.is_empty() {
        return 0.0;
    }
    let k = v.len() / 2;
    let (_, m, _) = v.select_nth_unstable_by(k, f32::total_cmp);
    *m
}

/// Maximal runs of voiced frames, bridging up to [`MAX_GAP_FRAMES`]; `(start, end)`.
fn voiced_runs(voiced: &[bool]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    let n = voiced.len();
    while i < n {
        if !voiced[i] {
            i += 1;
            continue;
        }
        let (mut j, mut last) = (i, i);
        while j < n && (voiced[j] || j - last <= MAX_GAP_FRAMES) {
            if voiced[j] {
                last = j;
            }
            j += 1;
        }
        out.push((i, last + 1));
        i = last + 1;
    }
    out
}

/// Frames inside `a..b` where a dip of the level separates two notes.
fn dip_cuts(c: &Ctx, a: usize, b: usize) -> Vec<(usize, f32)> {
    let hop = c.a.hop_s;
    let e = c.level();
    let md = c.min_note;
    let w = (PLATEAU_S / hop).round() as usize;
    let pw = (DIP_PITCH_S / hop).round() as usize;
    let half = (DIP_WINDOW_S / hop).round() as usize;
    let mut cuts = Vec::new();
    if b - a < 2 * md {
        return cuts;
    }
    let mut last = a;
    for i in a + md..=b - md {
        // lowest point of its window (the window clipped to the stretch)
        let (lo, hi) = (i.saturating_sub(half).max(a), (i + half + 1).min(b));
        if e[lo..hi].iter().any(|&v| v < e[i]) || i - last < md {
            continue;
        }
        let left = quantile(&e[i.saturating_sub(w).max(a)..i], PLATEAU_Q);
        let right = quantile(&e[i..(i + w).min(b)], PLATEAU_Q);
        let depth = left.min(right) - e[i];
        // pitch on either side, not reaching back past the previous boundary
        let step = match (
            c.side_pitch(i.saturating_sub(pw).max(last), i.saturating_sub(2)),
            c.side_pitch(i + 2, (i + pw).min(b)),
        ) {
            (Some(l), Some(r)) => (r - l).abs(),
            _ => 0.0,
        };
        // a new vowel (a change of timbre across the dip) marks a new
        // syllable even on the same pitch
        let new_vowel = c.a.novelty[i.saturating_sub(half)..(i + half + 1).min(c.a.novelty.len())]
            .iter()
            .copied()
            .fold(0.0f32, f32::max)
            >= DIP_NEW_VOWEL_NOVELTY;
        let needed = if step >= 1.0 {
            DIP_LEAP_DB
        } else if step >= 0.6 {
            DIP_STEP_DB
        } else if step >= 0.3 || new_vowel {
            DIP_NEAR_DB
        } else {
            DIP_SAME_DB
        };
        if depth >= needed {
            cuts.push((i, depth));
            last = i;
        }
    }
    cuts
}

/// Onset and offset of the note whose sound spans `s..e`.
fn place(c: &Ctx, s: usize, e: usize, after_dip: bool) -> (usize, usize) {
    let lv = c.level();
    let w = (PLATEAU_S / c.a.hop_s).round() as usize;
    let head = &lv[s..(s + w).min(e)];
    let held = quantile(head, PLATEAU_Q);
    // after a dip inside a voiced stretch (a voiced consonant) the vowel is
    // where most of the rise from the dip is done
    let threshold = if after_dip {
        let low = lv[s];
        (held - ONSET_DB).max(low + DIP_RISE * (held - low))
    } else {
        held - ONSET_DB
    };
    let on = s + head.iter().position(|&v| v >= threshold).unwrap_or(0);
    let tail = &lv[on.max(e.saturating_sub(w))..e];
    let held = quantile(tail, PLATEAU_Q);
    let mut k = e - 1;
    while k > on && lv[k] < held - OFFSET_DB {
        k -= 1;
    }
    (on, k + 1)
}

/// Pitch track of `s..e` with unvoiced frames filled from their voiced
/// neighbours and a 5-frame median filter against single-frame slips.
fn filled_pitch(c: &Ctx, s: usize, e: usize) -> Option<Vec<f64>> {
    let idx: Vec<usize> = (s..e).filter(|&i| c.voiced[i]).collect();
    if idx.len() < 3 {
        return None;
    }
    let mut filled = Vec::with_capacity(e - s);
    let mut k = 0;
    for i in s..e {
        while k + 1 < idx.len() && idx[k + 1] <= i {
            k += 1;
        }
        let v = if i <= idx[0] {
            c.a.midi[idx[0]]
        } else if k + 1 >= idx.len() || i == idx[k] {
            c.a.midi[idx[k]]
        } else {
            let (x0, x1) = (idx[k], idx[k + 1]);
            let t = (i - x0) as f32 / (x1 - x0) as f32;
            c.a.midi[x0] + t * (c.a.midi[x1] - c.a.midi[x0])
        };
        filled.push(v);
    }
    let n = filled.len();
    let out = (0..n)
        .map(|i| {
            let mut w = [0f32; 5];
            for (j, slot) in w.iter_mut().enumerate() {
                let p = (i + j).saturating_sub(2).min(n - 1);
                *slot = filled[p];
            }
            f64::from(median(&mut w))
        })
        .collect();
    Some(out)
}

/// Frames inside `s..e` where a slur moves to a new held pitch: the best
/// piecewise-constant fit of the pitch (squared error plus
/// [`SLUR_NOTE_COST`] per piece), keeping only changes that are big,
/// long-lived on both sides, not an octave slip, and either large or
/// confirmed by a change of timbre.
fn slur_cuts(c: &Ctx, s: usize, e: usize) -> Vec<usize> {
    let md = c.min_note;
    let Some(x) = filled_pitch(c, s, e) else {
        return Vec::new();
    };
    let n = x.len();
    if n < 2 * md {
        return Vec::new();
    }
    let mut p1 = vec![0f64; n + 1];
    let mut p2 = vec![0f64; n + 1];
    for i in 0..n {
        p1[i + 1] = p1[i] + x[i];
        p2[i + 1] = p2[i] + x[i] * x[i];
    }
    let mut best = vec![f64::INFINITY; n + 1];
    let mut prev = vec![0usize; n + 1];
    best[0] = 0.0;
    for j in md..=n {
        let first = j.saturating_sub(SLUR_MAX_FRAMES);
        for i in first..=j - md {
            if !best[i].is_finite() {
                continue;
            }
            let len = (j - i) as f64;
            let sum = p1[j] - p1[i];
            let cost = best[i] + (p2[j] - p2[i]) - sum * sum / len + SLUR_NOTE_COST;
            if cost < best[j] {
                best[j] = cost;
                prev[j] = i;
            }
        }
    }
    if !best[n].is_finite() {
        return Vec::new();
    }
    let mut bounds = vec![n];
    let mut j = n;
    while j > 0 {
        j = prev[j];
        bounds.push(j);
    }
    bounds.reverse();
    let medians: Vec<f64> = bounds
        .windows(2)
        .map(|w| {
            let mut v: Vec<f32> = x[w[0]..w[1]].iter().map(|&p| p as f32).collect();
            f64::from(median(&mut v))
        })
        .collect();
    let side = (SLUR_MIN_SIDE_S / c.a.hop_s).round() as usize;
    let mut out = Vec::new();
    for k in 1..bounds.len() - 1 {
        let cut = bounds[k];
        let step = (medians[k] - medians[k - 1]).abs();
        let octave_slip = (step - 12.0).abs() < 1.5 || (step - 24.0).abs() < 1.5;
        let long_sides = cut - bounds[k - 1] >= side && bounds[k + 1] - cut >= side;
        let f = s + cut;
        let novel = c.a.novelty[f.saturating_sub(6)..(f + 7).min(c.a.novelty.len())]
            .iter()
            .copied()
            .fold(0.0f32, f32::max)
            >= SLUR_NOVELTY;
        if step >= SLUR_MIN_STEP && !octave_slip && long_sides && (novel || step >= SLUR_CLEAR_STEP)
        {
            out.push(f);
        }
    }
    out
}

/// Median pitch of the voiced frames of `x..y`: where the note's pitch sits,
/// vibrato heard at its centre; a short scoop or fall barely moves a median.
fn note_pitch(c: &Ctx, x: usize, y: usize) -> Option<f64> {
    let mut v: Vec<f32> = (x..y)
        .filter(|&i| c.voiced[i])
        .map(|i| c.a.midi[i])
        .collect();
    (!v.is_empty()).then(|| f64::from(median(&mut v)))
}

/// Where the sound of a note really starts when its level rises slowly: an
/// instrument's (or a held vowel's) attack is the note's own sound growing
/// louder, with its pitch and the shape of its spectrum already in place,
/// while a consonant before a sung vowel sounds different. From the onset
/// `on`, go back over frames that are voiced at the note's pitch and have
/// its timbre, down to [`ATTACK_FLOOR_DB`] under the held level.
fn attack_start(c: &Ctx, on: usize, off: usize, floor_frame: usize) -> usize {
    let look = (ATTACK_LOOKBACK_S / c.a.hop_s).round() as usize;
    let body_end = (on + (ATTACK_BODY_S / c.a.hop_s).round() as usize).min(off);
    if body_end <= on + 2 {
        return on;
    }
    let Some(pitch) = note_pitch(c, on, body_end) else {
        return on;
    };
    let mut body = [0f32; TIMBRE_BANDS];
    for i in on..body_end {
        for (b, v) in body.iter_mut().zip(c.a.timbre_of(i)) {
            *b += v / (body_end - on) as f32;
        }
    }
    let held = c.a.level_db[on..body_end]
        .iter()
        .copied()
        .fold(f32::MIN, f32::max);
    let mut start = on;
    let lowest = on.saturating_sub(look).max(floor_frame);
    while start > lowest {
        let j = start - 1;
        let same_note = c.voiced[j] && (f64::from(c.a.midi[j]) - pitch).abs() < ATTACK_PITCH_ST;
        let loud_enough = c.a.level_db[j] >= held - ATTACK_FLOOR_DB;
        if !(same_note
            && loud_enough
            && timbre_similarity(c.a.timbre_of(j), &body) >= ATTACK_TIMBRE)
        {
            break;
        }
        start = j;
    }
    start
}

/// Mean linear band powers (each frame normalised to unit sum) of the
/// middle of `s..e` (20 % .. 80 %).
fn body_spectrum(c: &Ctx, s: usize, e: usize) -> Option<[f32; TIMBRE_BANDS]> {
    let len = e.saturating_sub(s);
    let (s, e) = (s + len / 5, (s + 4 * len / 5).min(c.voiced.len()));
    if e <= s {
        return None;
    }
    let mut out = [0f32; TIMBRE_BANDS];
    for i in s..e {
        let t = c.a.timbre_of(i);
        let total: f32 = t.iter().map(|v| v.exp()).sum();
        for (o, v) in out.iter_mut().zip(t) {
            *o += v.exp() / total.max(1e-30);
        }
    }
    Some(out)
}

/// Whether the sound at a join (frame `k`) is the two notes sounding into
/// each other, as when an instrument slurs, rather than a sound of its own,
/// as a voiced consonant between two sung vowels is: the join's spectrum is
/// close (log-spectral distance under [`CROSSFADE_DISTANCE`]) to a mix of
/// the two notes' spectra.
fn crossfade(c: &Ctx, prev: &RawNote, k: usize, next_end: usize) -> bool {
    let hop = c.a.hop_s;
    let (ps, pe) = (
        (prev.onset_s / hop) as usize,
        (prev.offset_s / hop) as usize,
    );
    join_distance(c, (ps, pe), k, (k, next_end)).is_some_and(|d| d < CROSSFADE_DISTANCE)
}

/// Log-spectral distance of frame `k` from the best mix of the spectra of
/// the notes spanning `first` and `second` (frames).
fn join_distance(c: &Ctx, first: (usize, usize), k: usize, second: (usize, usize)) -> Option<f32> {
    let a = body_spectrum(c, first.0, first.1)?;
    let b = body_spectrum(c, second.0, second.1)?;
    let d = c.a.timbre_of(k);
    let total: f32 = d.iter().map(|v| v.exp()).sum();
    let mut best = f32::INFINITY;
    for step in 0..=20 {
        let t = step as f32 / 20.0;
        let mut diff = [0f32; TIMBRE_BANDS];
        for i in 0..TIMBRE_BANDS {
            let mix = t * a[i] + (1.0 - t) * b[i];
            diff[i] = (d[i].exp() / total.max(1e-30) + 1e-12).ln() - (mix + 1e-12).ln();
        }
        let mean = diff.iter().sum::<f32>() / TIMBRE_BANDS as f32;
        let rms = (diff.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / TIMBRE_BANDS as f32)
            .sqrt();
        best = best.min(rms);
    }
    Some(best)
}

/// The first frame from `on` where the pitch has arrived within
/// [`ARRIVAL_SEMITONES`] of the note's steady pitch and stays there for
/// [`ARRIVAL_FRAMES`], when the note moves away from `prev` by at least
/// [`SLUR_MIN_STEP`] and arrives within [`ARRIVAL_MAX_S`]; else `on`.
fn arrival(c: &Ctx, on: usize, off: usize, prev: f64) -> usize {
    let n = off.saturating_sub(on);
    let Some(steady) = note_pitch(c, on + n / 5, on + 9 * n / 10) else {
        return on;
    };
    if (steady - prev).abs() < SLUR_MIN_STEP {
        return on;
    }
    let near =
        |i: usize| c.voiced[i] && (f64::from(c.a.midi[i]) - steady).abs() < ARRIVAL_SEMITONES;
    let last =
        (on + (ARRIVAL_MAX_S / c.a.hop_s).round() as usize).min(off.saturating_sub(ARRIVAL_FRAMES));
    (on..=last.max(on))
        .find(|&k| (k..k + ARRIVAL_FRAMES).all(|i| i < off && near(i)))
        .unwrap_or(on)
}

/// Whether every frame within [`SLUR_JOIN_S`] of `cut` is voiced.
fn slur_join(c: &Ctx, cut: usize) -> bool {
    let w = (SLUR_JOIN_S / c.a.hop_s).round() as usize;
    (cut.saturating_sub(w)..(cut + w + 1).min(c.voiced.len())).all(|i| c.voiced[i])
}

/// The start of the timbre change around a slur's join at `cut`: the rising
/// half-maximum of the nearest novelty peak (`cut` when there is none).
fn slur_onset(c: &Ctx, cut: usize) -> usize {
    let nov = &c.a.novelty;
    let w = (SLUR_ONSET_SEARCH_S / c.a.hop_s).round() as usize;
    let (lo, hi) = (cut.saturating_sub(w), (cut + w + 1).min(nov.len()));
    let Some(peak) = (lo..hi).max_by(|&x, &y| nov[x].total_cmp(&nov[y])) else {
        return cut;
    };
    if nov[peak] < SLUR_NOVELTY {
        return cut;
    }
    let half = 0.5 * nov[peak];
    let mut k = peak;
    while k > lo && nov[k - 1] > half {
        k -= 1;
    }
    k
}

/// Finds the notes in the analysed frames.
pub fn segment(a: &Analysis) -> Vec<RawNote> {
    let hop = a.hop_s;
    let n = a.level_db.len();
    let voiced: Vec<bool> = (0..n)
        .map(|i| a.active[i] && a.midi[i] > 0.0 && a.aperiodicity[i] < VOICED_AP)
        .collect();
    let c = Ctx {
        a,
        voiced,
        min_note: (MIN_NOTE_S / hop).round() as usize,
    };
    let pre = (PRE_ONSET_S / hop).round() as usize;
    let mut notes: Vec<RawNote> = Vec::new();
    let mut prev_end = 0usize;
    let mut prev_note_start = 0usize;
    for (ra, rb) in voiced_runs(&c.voiced) {
        let cuts = dip_cuts(&c, ra, rb);
        let mut start = prev_end.max(ra.saturating_sub(pre));
        if start < ra {
            // begin the search for the rise at the quietest frame before the stretch
            let lv = &a.level_db[start..=ra];
            start += (0..lv.len())
                .min_by(|&x, &y| lv[x].total_cmp(&lv[y]))
                .unwrap_or(0);
        }
        prev_end = rb;
        let mut bounds = Vec::with_capacity(cuts.len() + 2);
        bounds.push((start, f32::INFINITY));
        bounds.extend(cuts);
        bounds.push((rb, f32::INFINITY));
        for w in bounds.windows(2) {
            let ((s, depth), (e, _)) = (w[0], w[1]);
            if e <= s {
                continue;
            }
            // a join inside a voiced stretch is either two notes sounding
            // into each other (an instrument's slur) or a voiced consonant
            let blend =
                depth.is_finite() && notes.last().is_some_and(|prev| crossfade(&c, prev, s, e));
            let (on, off) = place(&c, s, e, depth.is_finite() && !blend);
            // in a shallow, voiced crossfade the note begins where the sound
            // starts to change, not where the level has recovered
            let on = if blend && depth < SLUR_DIP_DB && slur_join(&c, s) {
                slur_onset(&c, s).min(on)
            } else if depth.is_finite() && !blend {
                // a sung join to another pitch: the note begins once the
                // voice has arrived at it, not while it glides there
                notes
                    .last()
                    .map_or(on, |prev| arrival(&c, on, off, prev.steady_midi))
            } else {
                on
            };
            // the attack may reach back into the previous note's last frames
            // (a slur whose level dips after the pitch has moved on)
            let on = if ATTACK_ON {
                attack_start(&c, on, off, prev_note_start + c.min_note)
            } else {
                on
            };
            if let Some(last) = notes.last_mut() {
                let on_s = on as f64 * hop;
                if last.offset_s > on_s {
                    last.offset_s = on_s;
                }
            }
            let mut points = vec![on];
            points.extend(
                slur_cuts(&c, on, off)
                    .into_iter()
                    .map(|f| slur_onset(&c, f)),
            );
            points.push(off);
            for p in points.windows(2) {
                let (x, y) = (p[0], p[1]);
                if y < x + c.min_note {
                    continue;
                }
                if let Some(midi) = note_pitch(&c, x, y) {
                    prev_note_start = x;
                    let n = y - x;
                    notes.push(RawNote {
                        onset_s: x as f64 * hop,
                        offset_s: y as f64 * hop,
                        midi,
                        steady_midi: note_pitch(&c, x + n / 5, x + 9 * n / 10).unwrap_or(midi),
                    });
                }
            }
        }
    }
    notes
}
