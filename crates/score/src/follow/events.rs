//! Note events from a stream of live pitch readings: when a new sung or
//! played note has begun (confirmed a couple of readings after its start)
//! and its pitch once it has settled.

/// One live reading (every 10 ms on the recording path).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reading {
    /// Time of the reading, seconds from the start of the take.
    pub time_s: f64,
    /// Pitch heard (MIDI, fractional), `None` when none was.
    pub midi: Option<f64>,
    /// Input level, dB (any reference: only its changes are used).
    pub level_db: f32,
}

/// What the segmenter saw.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Segment {
    /// A note began at `onset_s` and was confirmed at `time_s`; `midi` is
    /// its pitch so far.
    Started {
        onset_s: f64,
        time_s: f64,
        midi: f64,
    },
    /// Another reading of a begun note that has not settled yet: `midi` is
    /// the median of its latest readings.
    Holding { time_s: f64, midi: f64 },
    /// The current note settled at `midi` (the median of its steady end)
    /// after [`SETTLE_READINGS`] readings, or ended before (`short`) with it.
    Settled { midi: f64, short: bool },
    /// The current note ended; `midi` is the median of all its settled
    /// readings (the pitch it was held at).
    Ended { midi: f64 },
}

/// Readings that must agree before a note counts as begun (20 ms).
const CONFIRM_READINGS: usize = 2;
/// ... agreeing within this spread, semitones.
const CONFIRM_SPREAD: f64 = 0.35;
/// A held note moves to another when the pitch leaves it by this much ...
const CHANGE_SEMITONES: f64 = 0.7;
/// ... for this many agreeing readings (30 ms: a slide passing through is
/// not yet a note).
const CHANGE_READINGS: usize = 3;
/// Unvoiced readings that end a note (30 ms).
const END_READINGS: usize = 3;
/// A re-articulation on the same pitch: the level falls this far under the
/// note's loudest reading, dB ...
const REATTACK_DIP_DB: f32 = 8.0;
/// ... and comes back up by this much.
const REATTACK_RISE_DB: f32 = 5.0;
/// Readings after which a note's pitch may count as settled (80 ms: past a
/// singer's scoop into it) ...
const SETTLE_READINGS: usize = 8;
/// ... once this many readings in a row agree.
const STABLE_READINGS: usize = 4;

/// Splits readings into notes. Sans-IO: feed readings in time order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Segmenter {
    /// (time, pitch) of the current note's readings.
    readings: Vec<(f64, f64)>,
    confirmed: bool,
    settled: bool,
    /// Readings that left the current note (a change in progress).
    change: Vec<(f64, f64)>,
    unvoiced: usize,
    loudest: f32,
    lowest: f32,
}

fn spread(v: &[(f64, f64)]) -> f64 {
    let (lo, hi) = v.iter().fold((f64::MAX, f64::MIN), |(lo, hi), x| {
        (lo.min(x.1), hi.max(x.1))
    });
    hi - lo
}

/// Median of the pitches of `v`.
pub(crate) fn median(v: &[(f64, f64)]) -> f64 {
    let mut w: Vec<f64> = v.iter().map(|x| x.1).collect();
    w.sort_by(f64::total_cmp);
    w.get(w.len() / 2).copied().unwrap_or(0.0)
}

impl Segmenter {
    /// Takes one reading; what it shows is pushed to `out`.
    pub(crate) fn push(&mut self, r: Reading, out: &mut Vec<Segment>) {
        let Some(m) = r.midi else {
            self.unvoiced += 1;
            if self.unvoiced >= END_READINGS {
                self.end(out);
            }
            return;
        };
        self.unvoiced = 0;
        if self.readings.is_empty() {
            self.start(vec![(r.time_s, m)], r, out);
            return;
        }
        if self.confirmed && self.reattacked(r.level_db) {
            self.end(out);
            self.start(vec![(r.time_s, m)], r, out);
            return;
        }
        // until a note has settled its pitch may still be moving (a scoop
        // into it): only a settled note can change into another
        let current = median(&self.readings[self.readings.len() / 2..]);
        if self.settled && (m - current).abs() >= CHANGE_SEMITONES {
            self.change.push((r.time_s, m));
            if self.change.len() >= CHANGE_READINGS {
                if spread(&self.change) < CONFIRM_SPREAD {
                    let change = std::mem::take(&mut self.change);
                    self.end(out);
                    self.start(change, r, out);
                } else {
                    // a slide on its way: judge only the latest readings
                    self.change.remove(0);
                }
            }
            return;
        }
        self.change.clear();
        self.readings.push((r.time_s, m));
        if !self.confirmed {
            self.try_confirm(r, out);
        } else if !self.settled
            && self.readings.len() >= SETTLE_READINGS
            && spread(&self.readings[self.readings.len() - STABLE_READINGS..]) < CONFIRM_SPREAD
        {
            // settled: long enough, and steady at the end (a scoop has
            // arrived, an attack's stray readings are behind)
            self.settled = true;
            let stable = self.readings.len() - STABLE_READINGS;
            self.readings.drain(..stable);
            out.push(Segment::Settled {
                midi: median(&self.readings),
                short: false,
            });
        } else if !self.settled {
            let n = self.readings.len();
            out.push(Segment::Holding {
                time_s: r.time_s,
                midi: median(&self.readings[n.saturating_sub(CONFIRM_READINGS + 1)..]),
            });
        }
    }

    /// Whether the level dipped and rose again (a new syllable or bow).
    fn reattacked(&mut self, level: f32) -> bool {
        if level > self.loudest {
            self.loudest = level;
            self.lowest = level;
            return false;
        }
        self.lowest = self.lowest.min(level);
        self.loudest - self.lowest >= REATTACK_DIP_DB && level - self.lowest >= REATTACK_RISE_DB
    }

    fn start(&mut self, readings: Vec<(f64, f64)>, r: Reading, out: &mut Vec<Segment>) {
        self.readings = readings;
        self.confirmed = false;
        self.settled = false;
        self.change.clear();
        self.loudest = r.level_db;
        self.lowest = r.level_db;
        self.try_confirm(r, out);
    }

    fn try_confirm(&mut self, r: Reading, out: &mut Vec<Segment>) {
        let n = self.readings.len();
        if n < CONFIRM_READINGS {
            return;
        }
        if spread(&self.readings[n - CONFIRM_READINGS..]) < CONFIRM_SPREAD {
            self.confirmed = true;
            // the note began with its first steady reading
            let mut first = n - CONFIRM_READINGS;
            while first > 0 && spread(&self.readings[first - 1..]) < CONFIRM_SPREAD {
                first -= 1;
            }
            self.readings.drain(..first);
            out.push(Segment::Started {
                onset_s: self.readings[0].0,
                time_s: r.time_s,
                midi: median(&self.readings),
            });
        } else {
            // not steady yet: keep looking at the latest readings
            self.readings.drain(..n - CONFIRM_READINGS + 1);
        }
    }

    /// Ends the current note (a short one settles on what it had).
    pub(crate) fn end(&mut self, out: &mut Vec<Segment>) {
        if self.confirmed && !self.readings.is_empty() {
            if self.settled {
                // readings since settling: the held pitch
                out.push(Segment::Ended {
                    midi: median(&self.readings),
                });
            } else {
                let n = self.readings.len();
                let tail = &self.readings[n.saturating_sub(STABLE_READINGS)..];
                out.push(Segment::Settled {
                    midi: median(tail),
                    short: true,
                });
            }
        }
        self.readings.clear();
        self.change.clear();
        self.confirmed = false;
        self.settled = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(pitches: &[Option<f64>]) -> Vec<Segment> {
        let mut s = Segmenter::default();
        let mut out = Vec::new();
        for (i, &m) in pitches.iter().enumerate() {
            s.push(
                Reading {
                    time_s: i as f64 * 0.01,
                    midi: m,
                    level_db: -20.0,
                },
                &mut out,
            );
        }
        s.end(&mut out);
        out
    }

    fn starts(segs: &[Segment]) -> Vec<(f64, f64)> {
        segs.iter()
            .filter_map(|s| match s {
                Segment::Started { onset_s, midi, .. } => Some((*onset_s, *midi)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_held_note_with_vibrato_is_one_note_confirmed_after_two_readings() {
        let p: Vec<Option<f64>> = (0..60)
            .map(|i| Some(64.0 + 0.4 * (f64::from(i) * 0.35).sin()))
            .collect();
        let segs = feed(&p);
        let s = starts(&segs);
        assert_eq!(s.len(), 1, "{segs:?}");
        assert!(matches!(segs[0], Segment::Started { time_s, .. } if (time_s - 0.01).abs() < 1e-9));
    }

    #[test]
    fn a_legato_step_and_a_silence_start_new_notes() {
        let mut p = vec![Some(60.0); 20];
        p.extend(vec![Some(62.0); 20]);
        p.extend(vec![None; 5]);
        p.extend(vec![Some(62.0); 20]);
        let s = starts(&feed(&p));
        assert_eq!(s.len(), 3, "{s:?}");
        assert!((s[1].0 - 0.20).abs() < 1e-9 && (s[1].1 - 62.0).abs() < 1e-9);
        assert!((s[2].0 - 0.45).abs() < 1e-9);
    }

    #[test]
    fn a_slide_is_not_a_string_of_notes() {
        // 60 for 200 ms, a 150 ms slide up to 64, 64 for 200 ms
        let mut p = vec![Some(60.0); 20];
        p.extend((0..15).map(|i| Some(60.0 + 4.0 * f64::from(i) / 15.0)));
        p.extend(vec![Some(64.0); 20]);
        let s = starts(&feed(&p));
        assert_eq!(s.len(), 2, "one note before, one after the slide: {s:?}");
        assert!((s[1].1 - 64.0).abs() < 0.4, "{s:?}");
    }
}
