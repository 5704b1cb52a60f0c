//! Offsets: where a note's release starts, from the shape of its level.

use super::frames::Frames;
use super::segmentation::level_db;
use crate::transcription::RawNote;

/// A release must fall at least this far (dB) below the note's loudest frame.
const RELEASE_MIN_FALL_DB: f32 = 4.0;
/// ...and fall at least this fast (dB per frame) once it has started.
const RELEASE_MIN_SLOPE_DB: f32 = 1.0;
/// Slowest fall (dB per frame) taken as a release when it is also
/// `RELEASE_SLOPE_RATIO` times steeper than the level's trend before it.
const RELEASE_SLOW_SLOPE_DB: f64 = 0.3;
const RELEASE_SLOPE_RATIO: f64 = 3.0;
/// The release is over once the level stays this far (dB) under the note's loudest frame.
const RELEASE_DEPTH_DB: f32 = 20.0;
/// How long after the true note-off the fitted knee of the release lies (the
/// fade starts gently and the analysis window smooths it), frames.
const RELEASE_LAG_FRAMES: f64 = 0.5;
/// How far past the last voiced frame a release is looked for, frames.
const RELEASE_SEARCH_FRAMES: usize = 15;

/// Least-squares line residual over `y[a..b]` from prefix sums.
struct Prefix {
    s: Vec<f64>,
    sx: Vec<f64>,
    sxx: Vec<f64>,
    sy: Vec<f64>,
    syy: Vec<f64>,
    sxy: Vec<f64>,
}

impl Prefix {
    fn new(y: &[f32]) -> Prefix {
        let n = y.len();
        let mut p = Prefix {
            s: vec![0.0; n + 1],
            sx: vec![0.0; n + 1],
            sxx: vec![0.0; n + 1],
            sy: vec![0.0; n + 1],
            syy: vec![0.0; n + 1],
            sxy: vec![0.0; n + 1],
        };
        for (i, &v) in y.iter().enumerate() {
            let (x, v) = (i as f64, f64::from(v));
            p.s[i + 1] = p.s[i] + 1.0;
            p.sx[i + 1] = p.sx[i] + x;
            p.sxx[i + 1] = p.sxx[i] + x * x;
            p.sy[i + 1] = p.sy[i] + v;
            p.syy[i + 1] = p.syy[i] + v * v;
            p.sxy[i + 1] = p.sxy[i] + x * v;
        }
        p
    }

    /// (residual sum of squares, slope) of the best line through `y[a..b]`.
    fn fit(&self, a: usize, b: usize) -> (f64, f64) {
        let n = self.s[b] - self.s[a];
        let sx = self.sx[b] - self.sx[a];
        let sy = self.sy[b] - self.sy[a];
        let sxx = self.sxx[b] - self.sxx[a] - sx * sx / n;
        let syy = self.syy[b] - self.syy[a] - sy * sy / n;
        let sxy = self.sxy[b] - self.sxy[a] - sx * sy / n;
        if n < 2.0 || sxx <= 0.0 {
            return (syy.max(0.0), 0.0);
        }
        let slope = sxy / sxx;
        ((syy - slope * sxy).max(0.0), slope)
    }
}

/// Finds where a note's release starts: the knee of a two-line fit of its
/// level (sustain or natural decay, then release) between its attack peak and
/// the point after which the level stays `RELEASE_DEPTH_DB` down. `None` when
/// the level never falls like a release (the sound runs on into the next note).
fn release_knee(level: &[f32]) -> Option<usize> {
    let head = level.len().min(6);
    let peak_at = (0..head).max_by(|&a, &b| level[a].total_cmp(&level[b]))?;
    let loudest = level[peak_at..].iter().copied().fold(f32::MIN, f32::max);
    let mut end = level.len();
    while end > peak_at + 1 && level[end - 1] < loudest - RELEASE_DEPTH_DB {
        end -= 1;
    }
    // keep one frame of the deep part so the release line reaches down
    let end = (end + 1).min(level.len());
    let seg = &level[peak_at..end];
    if seg.len() < 5 {
        return None;
    }
    let fit = Prefix::new(seg);
    let (best, _) = (2..seg.len() - 1)
        .map(|k| (k, fit.fit(0, k + 1).0 + fit.fit(k, seg.len()).0))
        .min_by(|a, b| a.1.total_cmp(&b.1))?;
    let (_, before) = fit.fit(0, best + 1);
    let (_, slope) = fit.fit(best, seg.len());
    let fall = seg[best] - seg[seg.len() - 1];
    let steep = slope <= -f64::from(RELEASE_MIN_SLOPE_DB);
    // a slower fall still ends the note when it clearly breaks from what came
    // before (a reverberant tail after a held note)
    let slow_min = RELEASE_SLOW_SLOPE_DB;
    let breaks = slope <= -slow_min && slope <= RELEASE_SLOPE_RATIO * before.min(0.0) - slow_min;
    ((steep || breaks) && fall >= RELEASE_MIN_FALL_DB).then_some(peak_at + best)
}

/// Moves each note's end to the start of its release, or keeps it at the
/// next onset when the sound carries on into the next note (legato).
pub(crate) fn localise_offsets(f: &Frames, notes: &mut [RawNote]) {
    let hop = f.hop_s;
    let lag = RELEASE_LAG_FRAMES;
    let level = level_db(f);
    let n = level.len();
    for i in 0..notes.len() {
        let a = (notes[i].onset_s / hop).round() as usize;
        let next_onset = notes.get(i + 1).map(|x| (x.onset_s / hop).round() as usize);
        let own_end = (notes[i].offset_s / hop).ceil() as usize;
        let end = match next_onset {
            Some(nx) => nx.min(own_end + RELEASE_SEARCH_FRAMES),
            None => own_end + RELEASE_SEARCH_FRAMES,
        }
        .min(n);
        if end <= a + 4 {
            continue;
        }
        let offset_s = match release_knee(&level[a..end]) {
            Some(k) => ((a + k) as f64 - lag) * hop,
            None if next_onset.is_some_and(|nx| nx <= own_end + 1) => {
                next_onset.unwrap_or(end) as f64 * hop
            }
            None => notes[i].offset_s,
        };
        notes[i].offset_s = offset_s.clamp(notes[i].onset_s + 2.0 * hop, end as f64 * hop);
    }
}
