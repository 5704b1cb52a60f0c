//! Live pitch for the recording screen: push microphone samples as they
//! come, get note name, cents and level every 10 ms from the last ~40 ms.

use serde::{Deserialize, Serialize};

use crate::Error;
use crate::pitch::{PitchEstimate, Yin};
use crate::played::voicing::VOICED_AP;
use crate::resample::{StreamDecimator, decimation_factor};

/// Seconds between readings (100 readings per second).
pub const LIVE_HOP_S: f64 = 0.01;
/// Input quieter than this (dBFS, RMS over the analysis window) reads as silence.
pub const LIVE_SILENCE_DBFS: f32 = -60.0;

const NAMES: [&str; 12] = [
    "C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B",
];

/// Scientific pitch name of a MIDI note number (60 = "C4", 69 = "A4").
pub fn note_name(midi: i32) -> String {
    format!(
        "{}{}",
        NAMES[midi.rem_euclid(12) as usize],
        midi.div_euclid(12) - 1
    )
}

/// One live reading.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveReading {
    /// Time of the newest sample the reading covers, seconds since the tracker started.
    pub time_s: f64,
    /// Input level, dBFS (RMS over the analysis window; -120 for digital silence).
    pub level_db: f32,
    /// Whether this reading heard a pitch.
    pub voiced: bool,
    /// Fractional MIDI pitch (69.0 = A4 = 440 Hz) this reading heard.
    pub midi: Option<f64>,
    /// The note to show (MIDI number): the note being held, steady through
    /// vibrato, a slide's way into the next note and dropouts of a few
    /// readings (see [`NoteDisplay`]).
    pub note: Option<i32>,
    /// Name of that note, e.g. "A4".
    pub note_name: Option<String>,
    /// Cents of this reading from the shown note (about -75..75: a held note
    /// keeps its name until the voice has clearly moved on), when voiced.
    pub cents: Option<f64>,
}

/// A pick this far (semitones) from the line's recent pitch may be a slip ...
const SLIP_SEMITONES: f64 = 6.5;
/// ... corrected when a candidate near the line is at most this much less
/// periodic ...
const SLIP_AP_MARGIN: f32 = 0.2;
/// ... for at most this many readings in a row (then the leap is real).
const SLIP_READINGS: u32 = 5;
/// How old (readings) the line's pitch may be to keep a reading on it.
const RECENT_READINGS: u32 = 3;

/// Readings the shown note's centre (their median) is taken over (160 ms: a
/// full cycle of a sung vibrato, 5.5 - 7 Hz, so the centre does not swing
/// with it, and a stray octave reading does not move it).
const CENTRE_READINGS: usize = 16;
/// How far past the midpoint to the next semitone the centre must move
/// before the shown note changes, semitones.
const HYSTERESIS_SEMITONES: f64 = 0.15;
/// While the last [`MOVING_READINGS`] readings spread this wide (the pitch
/// is sliding), the shown note waits for it to arrive, semitones.
const MOVING_SPREAD_SEMITONES: f64 = 0.45;
const MOVING_READINGS: usize = 3;
/// Readings the centre must stay nearer another note before it shows.
const CHANGE_READINGS: u32 = 3;
/// A leap: readings further than this from the shown note (semitones) ...
const LEAP_SEMITONES: f64 = 1.5;
/// ... that agree within this spread (a settled new pitch, not a slide on
/// its way or a jittery estimate) ...
const LEAP_SPREAD_SEMITONES: f64 = 0.2;
/// ... for this many readings show the new note at once (20 ms) ...
const LEAP_READINGS: usize = 2;
/// ... or this many when the leap is an octave, the estimator's usual slip.
const OCTAVE_LEAP_READINGS: usize = 4;
/// Unvoiced readings a shown note survives (a consonant, a bow change).
const HOLD_READINGS: u32 = 5;
/// Readings that must agree before the first note of a phrase shows (20 ms).
const FIRST_READINGS: u32 = 2;

/// Which note to show for a stream of pitch readings, without flicker. The
/// decision follows the median of the last 160 ms (vibrato averages out)
/// with hysteresis (a note keeps its name until the centre is clearly
/// nearer another), a settled leap shows at once, a slide shows where it
/// arrives, and short dropouts keep the note. Sans-IO: feed it each
/// reading's pitch (`None` = none heard).
#[derive(Debug, Clone, Default)]
pub struct NoteDisplay {
    shown: Option<i32>,
    recent: std::collections::VecDeque<f64>,
    candidate: Option<(i32, u32)>,
    unvoiced: u32,
}

impl NoteDisplay {
    /// The note to show after a reading of `midi`.
    pub fn update(&mut self, midi: Option<f64>) -> Option<i32> {
        let Some(m) = midi else {
            self.unvoiced += 1;
            self.candidate = None;
            if self.unvoiced > HOLD_READINGS {
                self.shown = None;
                self.recent.clear();
            }
            return self.shown;
        };
        self.unvoiced = 0;
        if self.recent.len() == CENTRE_READINGS {
            self.recent.pop_front();
        }
        self.recent.push_back(m);
        let Some(shown) = self.shown else {
            let nearest = m.round() as i32;
            let count = match self.candidate {
                Some((c, k)) if c == nearest => k + 1,
                _ => 1,
            };
            self.candidate = Some((nearest, count));
            if count >= FIRST_READINGS {
                self.show(nearest, count as usize);
            }
            return self.shown;
        };
        let n = self.recent.len();
        let span = |k: usize| {
            let last = self.recent.range(n.saturating_sub(k)..);
            let (lo, hi) = last.fold((f64::MAX, f64::MIN), |(lo, hi), &v| (lo.min(v), hi.max(v)));
            (hi - lo, 0.5 * (lo + hi))
        };
        // a settled leap
        let (spread, mid) = span(LEAP_READINGS);
        let jump = (mid - f64::from(shown)).abs();
        if n >= LEAP_READINGS && spread < LEAP_SPREAD_SEMITONES && jump > LEAP_SEMITONES {
            let octave = (jump - 12.0).abs() < 1.0 || (jump - 24.0).abs() < 1.0;
            let needed = if octave {
                OCTAVE_LEAP_READINGS
            } else {
                LEAP_READINGS
            };
            let (settled, mid) = span(needed);
            if n >= needed && settled < LEAP_SPREAD_SEMITONES {
                self.show(mid.round() as i32, needed);
                return self.shown;
            }
        }
        // how far the last few readings spread: a slide on its way moves
        let (spread, _) = span(MOVING_READINGS);
        let mut sorted: Vec<f64> = self.recent.iter().copied().collect();
        sorted.sort_by(f64::total_cmp);
        let centre = sorted[n / 2];
        if (centre - f64::from(shown)).abs() <= 0.5 + HYSTERESIS_SEMITONES
            || spread >= MOVING_SPREAD_SEMITONES
        {
            self.candidate = None;
            return self.shown;
        }
        let nearest = centre.round() as i32;
        let count = match self.candidate {
            Some((c, k)) if c == nearest => k + 1,
            _ => 1,
        };
        self.candidate = Some((nearest, count));
        if count >= CHANGE_READINGS {
            self.show(nearest, CHANGE_READINGS as usize);
        }
        self.shown
    }

    /// Shows `note`; the centre restarts from the last `keep` readings.
    fn show(&mut self, note: i32, keep: usize) {
        self.shown = Some(note);
        self.candidate = None;
        while self.recent.len() > keep {
            self.recent.pop_front();
        }
    }
}

/// Streaming pitch tracker: 10 ms hop, 40 ms window (YIN), any sample rate.
#[derive(Debug)]
pub struct LivePitch {
    decimator: StreamDecimator,
    rate: f64,
    yin: Yin,
    hop: usize,
    buf: Vec<f32>,
    scratch: Vec<f32>,
    since_reading: usize,
    consumed: u64,
    display: NoteDisplay,
    /// The last pitch heard and how many readings ago.
    recent: Option<(f64, u32)>,
    /// Readings in a row kept on the line against YIN's pick.
    slips: u32,
}

impl LivePitch {
    /// A tracker for input at `sample_rate` Hz (within [`crate::SAMPLE_RATE_RANGE`]).
    pub fn new(sample_rate: u32) -> Result<LivePitch, Error> {
        let (min_rate, max_rate) = crate::SAMPLE_RATE_RANGE;
        if !(min_rate..=max_rate).contains(&sample_rate) {
            return Err(Error::UnsupportedSampleRate(sample_rate));
        }
        let k = decimation_factor(sample_rate);
        let rate = f64::from(sample_rate) / k as f64;
        let yin = Yin::new(rate);
        Ok(LivePitch {
            decimator: StreamDecimator::new(k),
            hop: (LIVE_HOP_S * rate).round().max(1.0) as usize,
            buf: Vec::with_capacity(4 * yin.frame_len()),
            scratch: Vec::with_capacity(1024),
            yin,
            rate,
            since_reading: 0,
            consumed: 0,
            display: NoteDisplay::default(),
            recent: None,
            slips: 0,
        })
    }

    /// Samples the analysis window covers, seconds.
    pub fn window_s(&self) -> f64 {
        self.yin.frame_len() as f64 / self.rate
    }

    /// Feeds mono samples; returns the readings that became due (one per hop).
    pub fn push(&mut self, samples: &[f32]) -> Vec<LiveReading> {
        self.scratch.clear();
        self.decimator.push(samples, &mut self.scratch);
        let mut readings = Vec::new();
        let frame_len = self.yin.frame_len();
        for i in 0..self.scratch.len() {
            let v = self.scratch[i];
            self.buf.push(v);
            self.consumed += 1;
            self.since_reading += 1;
            if self.since_reading >= self.hop && self.buf.len() >= frame_len {
                self.since_reading = 0;
                let start = self.buf.len() - frame_len;
                let frame = self.buf[start..].to_vec();
                readings.push(self.read(&frame));
            }
            if self.buf.len() >= 4 * frame_len {
                self.buf.drain(..self.buf.len() - frame_len);
            }
        }
        readings
    }

    /// The pitch of one window, kept on the line being sung or played: YIN's
    /// pick, unless it leapt an octave or a fifth away from the pitch of the
    /// last few readings while a nearly as periodic candidate continues the
    /// line (an attack's stray harmonic, an octave slip). A leap that
    /// persists past [`SLIP_READINGS`] is real and is followed.
    fn pitch_of(&mut self, frame: &[f32]) -> Option<f64> {
        let mut cands = [PitchEstimate::NONE; 6];
        let (pick, n) = self.yin.estimate_and_candidates(frame, &mut cands);
        let to_midi = |e: &PitchEstimate| 69.0 + 12.0 * (f64::from(e.hz) / 440.0).log2();
        if pick.hz <= 0.0 || pick.aperiodicity >= VOICED_AP {
            return None;
        }
        let picked = to_midi(&pick);
        let Some((prev, age)) = self.recent.filter(|r| r.1 <= RECENT_READINGS) else {
            self.slips = 0;
            return Some(picked);
        };
        if (picked - prev).abs() < SLIP_SEMITONES || self.slips >= SLIP_READINGS {
            self.slips = 0;
            return Some(picked);
        }
        let _ = age;
        let nearest = cands[..n]
            .iter()
            .filter(|c| c.hz > 0.0 && c.aperiodicity <= pick.aperiodicity + SLIP_AP_MARGIN)
            .map(to_midi)
            .min_by(|a, b| (a - prev).abs().total_cmp(&(b - prev).abs()));
        match nearest {
            Some(m) if (m - prev).abs() < 1.0 => {
                self.slips += 1;
                Some(m)
            }
            _ => {
                self.slips = 0;
                Some(picked)
            }
        }
    }

    fn read(&mut self, frame: &[f32]) -> LiveReading {
        let power = frame.iter().map(|v| v * v).sum::<f32>() / frame.len() as f32;
        let level_db = if power > 0.0 {
            (10.0 * power.log10()).max(-120.0)
        } else {
            -120.0
        };
        let time_s = self.consumed as f64 / self.rate;
        let midi = if level_db > LIVE_SILENCE_DBFS {
            self.pitch_of(frame)
        } else {
            None
        };
        match midi {
            Some(m) => self.recent = Some((m, 0)),
            None => {
                if let Some((_, age)) = self.recent.as_mut() {
                    *age += 1;
                }
            }
        }
        let note = self.display.update(midi);
        LiveReading {
            time_s,
            level_db,
            voiced: midi.is_some(),
            midi,
            note,
            note_name: note.map(note_name),
            cents: midi.zip(note).map(|(m, n)| 100.0 * (m - f64::from(n))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(hz: f64, rate: u32, seconds: f64, amp: f32) -> Vec<f32> {
        let n = (seconds * f64::from(rate)) as usize;
        (0..n)
            .map(|i| {
                let t = i as f64 / f64::from(rate);
                amp * ((2.0 * std::f64::consts::PI * hz * t).sin()
                    + 0.5 * (4.0 * std::f64::consts::PI * hz * t).sin())
                    as f32
            })
            .collect()
    }

    #[test]
    fn names_follow_scientific_pitch_notation() {
        assert_eq!(note_name(69), "A4");
        assert_eq!(note_name(60), "C4");
        assert_eq!(note_name(61), "C#4");
        assert_eq!(note_name(23), "B0");
    }

    #[test]
    fn steady_tone_reads_a4_a_hundred_times_a_second() {
        let mut live = LivePitch::new(48_000).unwrap();
        assert!(live.window_s() <= 0.041, "window {} s", live.window_s());
        let mut readings = Vec::new();
        for chunk in tone(440.0, 48_000, 1.0, 0.3).chunks(480) {
            readings.extend(live.push(chunk));
        }
        assert!(readings.len() >= 95, "{} readings in 1 s", readings.len());
        let voiced: Vec<_> = readings.iter().filter(|r| r.voiced).collect();
        assert!(voiced.len() >= 90);
        // the display waits for two agreeing readings (20 ms) before naming
        for r in voiced.into_iter().skip(2) {
            assert_eq!(r.note_name.as_deref(), Some("A4"));
            assert!(r.cents.is_some_and(|c| c.abs() < 5.0), "{r:?}");
            assert!(
                (r.level_db + 12.5).abs() < 1.0,
                "partials of 0.3 and 0.15 have a mean power of 0.05625, -12.5 dBFS: {}",
                r.level_db
            );
        }
    }

    /// Shown notes for a pitch contour sampled every 10 ms.
    fn shown(contour: impl Iterator<Item = Option<f64>>) -> Vec<Option<i32>> {
        let mut d = NoteDisplay::default();
        contour.map(|m| d.update(m)).collect()
    }

    fn changes(notes: &[Option<i32>]) -> usize {
        let held: Vec<i32> = notes.iter().flatten().copied().collect();
        held.windows(2).filter(|w| w[0] != w[1]).count()
    }

    #[test]
    fn a_wide_vibrato_across_a_semitone_boundary_keeps_one_name() {
        // 2 s around 69.4 with a 6 Hz, ±60 cent vibrato: the nearest semitone
        // flips between A4 and A#4 a dozen times a second
        let contour: Vec<Option<f64>> = (0..200)
            .map(|i| {
                let t = f64::from(i) * 0.01;
                Some(69.4 + 0.6 * (2.0 * std::f64::consts::PI * 6.0 * t).sin())
            })
            .collect();
        let raw: Vec<Option<i32>> = contour
            .iter()
            .map(|m| m.map(|m| m.round() as i32))
            .collect();
        assert!(changes(&raw) > 20, "the raw nearest note flickers");
        let s = shown(contour.into_iter());
        assert!(
            changes(&s) <= 1,
            "one held note, at most one settling change: {s:?}"
        );
    }

    #[test]
    fn a_slide_into_the_next_note_changes_the_name_once() {
        // A4 for 0.5 s, a 120 ms slide up to C5, C5 for 0.5 s
        let contour = (0..112).map(|i| {
            Some(match i {
                0..50 => 69.0,
                50..62 => 69.0 + 3.0 * f64::from(i - 50) / 12.0,
                _ => 72.0,
            })
        });
        let s = shown(contour);
        assert_eq!(changes(&s), 1, "{s:?}");
        assert_eq!(s.last().copied().flatten(), Some(72));
    }

    #[test]
    fn an_octave_slip_and_a_short_dropout_do_not_change_the_note() {
        let mut contour: Vec<Option<f64>> = vec![Some(64.1); 60];
        contour[20] = Some(52.1); // one reading an octave low
        contour[21] = Some(52.1);
        contour[40] = None; // a 30 ms consonant
        contour[41] = None;
        contour[42] = None;
        let s = shown(contour.into_iter());
        assert!(s[2..].iter().all(|n| *n == Some(64)), "{s:?}");
    }

    #[test]
    fn a_note_shows_within_60_ms_of_its_onset() {
        let rate = 44_100;
        let mut input = vec![0.0f32; rate as usize / 2];
        input.extend(tone(329.63, rate, 0.5, 0.2)); // E4 starting at 0.5 s
        let mut live = LivePitch::new(rate).unwrap();
        let mut first = None;
        for chunk in input.chunks(441) {
            for r in live.push(chunk) {
                if first.is_none() && r.note_name.as_deref() == Some("E4") {
                    first = Some(r.time_s);
                }
            }
        }
        let latency = first.expect("the tone was recognised") - 0.5;
        assert!(
            (0.0..0.06).contains(&latency),
            "note shown {latency:.3} s after its onset"
        );
    }

    #[test]
    fn silence_and_noise_read_unvoiced() {
        assert!(matches!(
            LivePitch::new(0),
            Err(Error::UnsupportedSampleRate(0))
        ));
        let mut live = LivePitch::new(4_000).unwrap();
        assert!(live.push(&[]).is_empty());
        let mut live = LivePitch::new(16_000).unwrap();
        let silent = live.push(&vec![0.0; 16_000]);
        assert!(silent.iter().all(|r| !r.voiced && r.level_db <= -119.0));
        let mut state = 7u32;
        let noise: Vec<f32> = (0..16_000)
            .map(|_| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                ((state >> 8) as f32 / (1u32 << 24) as f32 - 0.5) * 0.5
            })
            .collect();
        let noisy = live.push(&noise);
        let voiced = noisy.iter().filter(|r| r.voiced).count();
        assert!(
            voiced * 20 < noisy.len(),
            "{voiced} of {} noise readings voiced",
            noisy.len()
        );
    }
}
