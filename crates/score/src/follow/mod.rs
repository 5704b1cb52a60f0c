//! Score following: where in a target melody a learner is, from the live
//! pitch readings of their playing or singing, as they play.
//!
//! Readings become note events ([`events`]): a note is confirmed two
//! readings after it begins and judged on its settled pitch a little later.
//! Each confirmed note is placed in the target:
//! - the expected next note, when its pitch matches (after the take's own
//!   tuning and, for a voice, octave);
//! - the note just after it, when the learner left one out;
//! - a note further ahead, when the next note confirms the jump (a skipped
//!   bar) - until then the jump is only pending;
//! - the start of the melody (or of a phrase), when the next note confirms
//!   it (a restart);
//! - otherwise it is a wrong note at the expected place, flagged sharp or
//!   flat, and the follower moves on.
//!
//! Nothing happens while the learner hesitates: the position waits. Verdicts
//! are those of grading: right, sharp, flat, early, late (against the take's
//! own tempo, learned from the notes so far) and missed. The whole take is
//! still graded at the end by [`crate::grade`].

mod events;

use serde::{Deserialize, Serialize};

use crate::error::ScoreError;
use crate::grading::Verdict;
use crate::note::Note;
pub use events::Reading;
use events::{Segment, Segmenter};

/// How the follower judges.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FollowOptions {
    /// A note further than this from its target (after the take's tuning)
    /// is sharp or flat.
    pub pitch_tolerance_cents: f64,
    /// A played note is taken as a target note when within this, semitones.
    pub match_semitones: f64,
    /// How many notes ahead a jump may land.
    pub look_ahead: usize,
    /// Forgive a voice singing an octave (or two) away.
    pub forgive_octave: bool,
    /// A right note further than this share of a target beat from where the
    /// take's tempo puts it is early or late ...
    pub timing_tolerance_beats: f64,
    /// ... but never for less than this many seconds.
    pub min_timing_tolerance_s: f64,
}

impl Default for FollowOptions {
    fn default() -> FollowOptions {
        FollowOptions {
            pitch_tolerance_cents: 40.0,
            match_semitones: 0.6,
            look_ahead: 12,
            forgive_octave: true,
            timing_tolerance_beats: 0.25,
            min_timing_tolerance_s: 0.1,
        }
    }
}

/// Something the follower decided.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum FollowEvent {
    /// Target note `index` was played; confirmed at `time_s`. The verdict
    /// may still change once the note's pitch settles (`Judged`).
    Reached {
        index: usize,
        time_s: f64,
        verdict: Verdict,
    },
    /// The settled verdict of a reached note.
    Judged { index: usize, verdict: Verdict },
    /// Target note `index` was left out.
    Missed { index: usize },
    /// The learner started again from target note `index`.
    Restarted { index: usize, time_s: f64 },
}

/// Where each target note stands.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NoteProgress {
    /// Index of the target note.
    pub index: usize,
    /// When the follower confirmed it (seconds into the take), if it did.
    pub reached_s: Option<f64>,
    /// Its verdict (`Missed` while not reached).
    pub verdict: Verdict,
}

/// A played note waiting for the next one to confirm where it belongs.
#[derive(Debug, Clone)]
struct Pending {
    /// Where it could land, most likely first: ahead (a jump) or back at a
    /// phrase start (a restart).
    candidates: Vec<usize>,
    onset_s: f64,
    time_s: f64,
    midi: f64,
}

/// The live score follower. Sans-IO: feed it readings in time order.
#[derive(Debug, Clone)]
pub struct Follower {
    target: Vec<Note>,
    opts: FollowOptions,
    segmenter: Segmenter,
    /// The next target note expected.
    position: usize,
    progress: Vec<NoteProgress>,
    /// (target index, take onset, take pitch) of the notes placed so far in this pass.
    placed: Vec<(usize, f64, f64)>,
    pending: Option<Pending>,
    /// A begun note no target note has matched yet: (onset, confirmed at).
    /// It is placed as soon as its pitch matches the expected note (a
    /// scoop arriving), else once it settles.
    unplaced: Option<(f64, f64)>,
    /// Target index of the note being held (its settled pitch judges it).
    holding: Option<usize>,
    /// Whole-octave shift of a voice singing in another register.
    octave: f64,
    /// First notes of phrases (after a rest of a beat or more).
    phrase_starts: Vec<usize>,
    beat_s: f64,
}

/// Cost, in semitones of pitch distance, of each note a placement skips.
const SKIP_COST: f64 = 0.15;
/// Placed notes the take's tuning and tempo are read from.
const RECENT: usize = 8;

impl Follower {
    /// A follower for `target` (notes in the score's own time).
    pub fn new(target: &[Note], opts: FollowOptions) -> Result<Follower, ScoreError> {
        crate::grading::validate(target, "target")?;
        if target.is_empty() {
            return Err(ScoreError::EmptyTarget);
        }
        let mut target = target.to_vec();
        target.sort_by(|a, b| a.onset_s.total_cmp(&b.onset_s));
        let beat_s = crate::tempo::estimate_tempo(&target).map_or(0.5, |e| 60.0 / e.bpm);
        let mut phrase_starts = vec![0];
        for i in 1..target.len() {
            if target[i].onset_s - target[i - 1].offset_s >= 0.9 * beat_s {
                phrase_starts.push(i);
            }
        }
        Ok(Follower {
            progress: (0..target.len())
                .map(|index| NoteProgress {
                    index,
                    reached_s: None,
                    verdict: Verdict::Missed,
                })
                .collect(),
            target,
            opts,
            segmenter: Segmenter::default(),
            position: 0,
            placed: Vec::new(),
            pending: None,
            unplaced: None,
            holding: None,
            octave: 0.0,
            phrase_starts,
            beat_s,
        })
    }

    /// The next target note the learner is expected to play.
    pub fn position(&self) -> usize {
        self.position
    }

    /// Every target note's progress so far.
    pub fn progress(&self) -> &[NoteProgress] {
        &self.progress
    }

    /// Takes one reading; returns what the follower decided on it.
    pub fn push(&mut self, reading: Reading) -> Vec<FollowEvent> {
        let mut segs = Vec::new();
        self.segmenter.push(reading, &mut segs);
        let mut out = Vec::new();
        for s in segs {
            self.on_segment(s, &mut out);
        }
        out
    }

    /// Ends the take: a pending jump that was never confirmed counts as a
    /// wrong note where it was played.
    pub fn finish(&mut self) -> Vec<FollowEvent> {
        let mut segs = Vec::new();
        self.segmenter.end(&mut segs);
        let mut out = Vec::new();
        for s in segs {
            self.on_segment(s, &mut out);
        }
        if let Some(p) = self.pending.take() {
            self.wrong_note(p.onset_s, p.time_s, p.midi, &mut out);
        }
        out
    }

    /// Judges held target note `i` again on the pitch it was held at.
    fn rejudge(&mut self, i: usize, midi: f64, out: &mut Vec<FollowEvent>) {
        let onset = self.placed.last().map_or(0.0, |p| p.1);
        if let Some(last) = self.placed.last_mut() {
            last.2 = midi;
        }
        let verdict = self.verdict(i, onset, midi);
        if verdict != self.progress[i].verdict {
            self.progress[i].verdict = verdict;
            out.push(FollowEvent::Judged { index: i, verdict });
        }
    }

    /// Whether `midi` matches the expected note. Anything else (a note left
    /// out, a jump, a wrong note) waits until the note has settled: a scoop
    /// passes through other notes' pitches on its way.
    fn matches_expected(&self, midi: f64) -> bool {
        self.position < self.target.len()
            && self.distance(self.position, midi) <= self.opts.match_semitones
    }

    fn on_segment(&mut self, s: Segment, out: &mut Vec<FollowEvent>) {
        match s {
            Segment::Started {
                onset_s,
                time_s,
                midi,
            } => {
                self.holding = None;
                self.unplaced = None;
                if self.pending.is_none() && !self.matches_expected(midi) {
                    // not (yet) the expected note: maybe a scoop on its way
                    self.unplaced = Some((onset_s, time_s));
                    return;
                }
                self.on_note(onset_s, time_s, midi, out)
            }
            Segment::Holding { time_s, midi } => {
                if let Some((onset_s, _)) = self.unplaced
                    && self.matches_expected(midi)
                {
                    self.unplaced = None;
                    self.on_note(onset_s, time_s, midi, out);
                }
            }
            Segment::Ended { midi } => {
                if let Some(i) = self.holding {
                    self.rejudge(i, midi, out);
                }
            }
            Segment::Settled { midi, short } => {
                if let Some((onset_s, time_s)) = self.unplaced.take() {
                    // a blip that matches nothing expected (a consonant, a
                    // stray estimate) is no note; nor is the held note again
                    let expected = self.matches_expected(midi);
                    let again = self.position > 0
                        && self.distance(self.position - 1, midi) <= self.opts.match_semitones;
                    if expected || (!short && !again) {
                        self.on_note(onset_s, time_s, midi, out);
                    }
                    return;
                }
                if let Some(p) = self.pending.as_mut() {
                    p.midi = midi;
                } else if let Some(i) = self.holding {
                    self.rejudge(i, midi, out);
                }
            }
        }
    }

    /// Pitch distance (semitones) of a played pitch from target note `j`,
    /// after the take's tuning and octave.
    fn distance(&self, j: usize, midi: f64) -> f64 {
        let d = midi - self.offset() - self.target[j].midi_pitch;
        if self.opts.forgive_octave && self.placed.is_empty() {
            // before any note is placed, any octave will do
            (d - 12.0 * (d / 12.0).round()).abs()
        } else {
            d.abs()
        }
    }

    /// The take's offset from the target: the octave it is sung or played
    /// in (the median over the recent placed notes, so one octave slip does
    /// not move it) plus its tuning (the median difference of those near it).
    fn offset(&self) -> f64 {
        let recent: Vec<f64> = self
            .placed
            .iter()
            .rev()
            .take(RECENT)
            .map(|&(j, _, m)| m - self.target[j].midi_pitch)
            .collect();
        if recent.is_empty() {
            return self.octave;
        }
        let octave = if self.opts.forgive_octave {
            let mut raw = recent.clone();
            raw.sort_by(f64::total_cmp);
            12.0 * (raw[raw.len() / 2] / 12.0).round()
        } else {
            0.0
        };
        let mut near: Vec<f64> = recent
            .iter()
            .map(|d| d - octave)
            .filter(|d| d.abs() < 1.0)
            .collect();
        near.sort_by(f64::total_cmp);
        octave + near.get(near.len() / 2).copied().unwrap_or(0.0)
    }

    fn on_note(&mut self, onset_s: f64, time_s: f64, midi: f64, out: &mut Vec<FollowEvent>) {
        let n = self.target.len();
        let tol = self.opts.match_semitones;
        // a pending jump is confirmed or dropped by this note: it lands on
        // the first candidate whose next note is this one
        if let Some(p) = self.pending.take() {
            let landing = p
                .candidates
                .iter()
                .copied()
                .find(|&j| j + 1 < n && self.distance(j + 1, midi) <= tol);
            if let Some(j) = landing {
                if j < self.position {
                    self.restart(j, p.time_s, out);
                }
                self.place(j, p.onset_s, p.time_s, p.midi, out);
                self.place(j + 1, onset_s, time_s, midi, out);
                return;
            }
            self.wrong_note(p.onset_s, p.time_s, p.midi, out);
        }
        if self.placed.is_empty() && self.opts.forgive_octave && self.position < n {
            let d = midi - self.target[self.position].midi_pitch;
            self.octave = 12.0 * (d / 12.0).round();
        }
        let pos = self.position;
        if pos < n && self.distance(pos, midi) <= tol {
            self.place(pos, onset_s, time_s, midi, out);
            return;
        }
        // one note left out: no need to wait for confirmation
        if pos + 1 < n && self.distance(pos + 1, midi) <= tol {
            self.place(pos + 1, onset_s, time_s, midi, out);
            return;
        }
        // further ahead (nearest first: skipping costs a little per note),
        // then back at the start of a phrase already passed
        let mut ahead: Vec<usize> = (pos + 2..(pos + 1 + self.opts.look_ahead).min(n))
            .filter(|&j| self.distance(j, midi) <= tol)
            .collect();
        let cost = |j: usize| self.distance(j, midi) + SKIP_COST * (j - pos) as f64;
        ahead.sort_by(|&a, &b| cost(a).total_cmp(&cost(b)));
        let back = self
            .phrase_starts
            .iter()
            .copied()
            .filter(|&j| j + 1 < pos && self.distance(j, midi) <= tol);
        let candidates: Vec<usize> = ahead.into_iter().chain(back).collect();
        if candidates.is_empty() {
            self.wrong_note(onset_s, time_s, midi, out);
        } else {
            self.pending = Some(Pending {
                candidates,
                onset_s,
                time_s,
                midi,
            });
        }
    }

    fn restart(&mut self, index: usize, time_s: f64, out: &mut Vec<FollowEvent>) {
        self.position = index;
        self.placed.retain(|p| p.0 < index);
        out.push(FollowEvent::Restarted { index, time_s });
    }

    /// A played note that matches nothing near: the expected note played wrong.
    fn wrong_note(&mut self, onset_s: f64, time_s: f64, midi: f64, out: &mut Vec<FollowEvent>) {
        let pos = self.position;
        if pos >= self.target.len() {
            return; // past the end: an extra note
        }
        self.place(pos, onset_s, time_s, midi, out);
    }

    /// Target note `j` was played at `onset_s` with `midi`; notes skipped
    /// before it are missed.
    fn place(
        &mut self,
        j: usize,
        onset_s: f64,
        time_s: f64,
        midi: f64,
        out: &mut Vec<FollowEvent>,
    ) {
        for k in self.position..j {
            self.progress[k] = NoteProgress {
                index: k,
                reached_s: None,
                verdict: Verdict::Missed,
            };
            out.push(FollowEvent::Missed { index: k });
        }
        let verdict = self.verdict(j, onset_s, midi);
        self.placed.push((j, onset_s, midi));
        self.progress[j] = NoteProgress {
            index: j,
            reached_s: Some(time_s),
            verdict,
        };
        self.position = j + 1;
        self.holding = Some(j);
        out.push(FollowEvent::Reached {
            index: j,
            time_s,
            verdict,
        });
    }

    /// The verdict of target note `j` played at `onset_s` with `midi`.
    fn verdict(&self, j: usize, onset_s: f64, midi: f64) -> Verdict {
        let cents = 100.0 * (midi - self.offset() - self.target[j].midi_pitch);
        if cents > self.opts.pitch_tolerance_cents {
            return Verdict::Sharp;
        }
        if cents < -self.opts.pitch_tolerance_cents {
            return Verdict::Flat;
        }
        // timing against the take's own tempo, from the placed notes before j
        let before: Vec<&(usize, f64, f64)> = self.placed.iter().filter(|p| p.0 < j).collect();
        // only in the flow of the melody: after a jump there is no beat to keep
        let Some(&&(last, last_on, _)) = before.last().filter(|p| p.0 + 1 == j) else {
            return Verdict::Right;
        };
        let mut ratios: Vec<f64> = before
            .windows(2)
            .rev()
            .take(RECENT)
            .filter_map(|w| {
                let dt = self.target[w[1].0].onset_s - self.target[w[0].0].onset_s;
                (dt > 0.0).then(|| (w[1].1 - w[0].1) / dt)
            })
            .collect();
        if ratios.len() < 2 {
            return Verdict::Right;
        }
        ratios.sort_by(f64::total_cmp);
        let rate = ratios[ratios.len() / 2];
        let expected = last_on + rate * (self.target[j].onset_s - self.target[last].onset_s);
        let tol = (self.opts.timing_tolerance_beats * self.beat_s * rate)
            .max(self.opts.min_timing_tolerance_s);
        if onset_s < expected - tol {
            Verdict::Early
        } else if onset_s > expected + tol {
            Verdict::Late
        } else {
            Verdict::Right
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A target: the first two bars of a tune, quarter notes at 100 bpm.
    fn target() -> Vec<Note> {
        [
            60.0, 62.0, 64.0, 60.0, 64.0, 65.0, 67.0, 67.0, 69.0, 67.0, 65.0, 64.0,
        ]
        .iter()
        .enumerate()
        .map(|(i, &m)| Note {
            onset_s: 0.6 * i as f64,
            offset_s: 0.6 * i as f64 + 0.5,
            midi_pitch: m,
        })
        .collect()
    }

    /// Readings every 10 ms of played notes `(onset, offset, midi)`.
    fn readings(played: &[(f64, f64, f64)]) -> Vec<Reading> {
        let end = played.iter().map(|p| p.1).fold(0.0, f64::max) + 0.3;
        (0..(end * 100.0) as usize)
            .map(|i| {
                let t = i as f64 * 0.01;
                let note = played.iter().find(|p| t >= p.0 && t < p.1);
                Reading {
                    time_s: t,
                    midi: note.map(|p| p.2 + 0.05 * (t * 37.0).sin()),
                    level_db: if note.is_some() { -20.0 } else { -70.0 },
                }
            })
            .collect()
    }

    /// Plays `played` to a follower of `target`; returns its progress and events.
    fn follow(
        target: &[Note],
        played: &[(f64, f64, f64)],
    ) -> (Vec<NoteProgress>, Vec<FollowEvent>) {
        let mut f = Follower::new(target, FollowOptions::default()).unwrap();
        let mut events = Vec::new();
        for r in readings(played) {
            events.extend(f.push(r));
        }
        events.extend(f.finish());
        (f.progress().to_vec(), events)
    }

    /// The target played at `rate` times its duration from `start`, a
    /// little short of each note's length; `pitch(i)` may change a note.
    fn played(start: f64, rate: f64, pitch: impl Fn(usize, f64) -> f64) -> Vec<(f64, f64, f64)> {
        target()
            .iter()
            .enumerate()
            .map(|(i, n)| {
                (
                    start + rate * n.onset_s,
                    start + rate * (n.offset_s - 0.05),
                    pitch(i, n.midi_pitch),
                )
            })
            .collect()
    }

    fn verdicts(p: &[NoteProgress]) -> Vec<Verdict> {
        p.iter().map(|n| n.verdict).collect()
    }

    #[test]
    fn a_clean_take_reaches_every_note_right_within_30_ms_of_its_onset() {
        let take = played(1.0, 1.0, |_, m| m + 0.2); // 20 cents sharp throughout
        let (p, _) = follow(&target(), &take);
        assert!(
            p.iter().all(|n| n.verdict == Verdict::Right),
            "{:?}",
            verdicts(&p)
        );
        for (n, t) in p.iter().zip(&take) {
            let lag = n.reached_s.unwrap() - t.0;
            assert!(
                (0.0..=0.03).contains(&lag),
                "note {} confirmed {lag:.3} s after its onset",
                n.index
            );
        }
    }

    #[test]
    fn a_wrong_note_is_flagged_and_the_follower_moves_on() {
        // note 4 (E4) played as a G#4: nothing near matches it
        let take = played(0.5, 1.0, |i, m| if i == 4 { m + 4.0 } else { m });
        let (p, _) = follow(&target(), &take);
        let v = verdicts(&p);
        assert_eq!(v[4], Verdict::Sharp, "{v:?}");
        assert!(
            v.iter()
                .enumerate()
                .all(|(i, v)| i == 4 || *v == Verdict::Right),
            "{v:?}"
        );
    }

    #[test]
    fn a_skipped_bar_is_missed_and_the_follower_finds_the_learner_after_it() {
        // bar 1 (notes 0-3) played, then straight to bar 3... here notes 4-7 skipped
        let mut take = played(0.5, 1.0, |_, m| m);
        take.drain(4..8);
        for t in take.iter_mut().skip(4) {
            t.0 -= 2.4;
            t.1 -= 2.4;
        }
        let (p, events) = follow(&target(), &take);
        let v = verdicts(&p);
        assert_eq!(&v[4..8], &[Verdict::Missed; 4], "{v:?} {events:?}");
        assert!(
            v[..4].iter().chain(&v[8..]).all(|v| *v == Verdict::Right),
            "{v:?}"
        );
        assert!(p[8].reached_s.is_some());
    }

    #[test]
    fn a_restart_goes_back_to_the_beginning() {
        // notes 0-5, then from the top again, all the way
        let mut take: Vec<_> = played(0.5, 1.0, |_, m| m).into_iter().take(6).collect();
        take.extend(played(5.0, 1.0, |_, m| m));
        let (p, events) = follow(&target(), &take);
        assert!(
            events
                .iter()
                .any(|e| matches!(e, FollowEvent::Restarted { index: 0, .. })),
            "{events:?}"
        );
        assert!(
            p.iter().all(|n| n.verdict == Verdict::Right),
            "{:?}",
            verdicts(&p)
        );
        assert!(p[0].reached_s.unwrap() > 5.0, "the second pass counts");
    }

    #[test]
    fn the_follower_waits_while_the_learner_hesitates() {
        let mut take = played(0.5, 1.0, |_, m| m);
        // a 3 s pause before note 6
        for t in take.iter_mut().skip(6) {
            t.0 += 3.0;
            t.1 += 3.0;
        }
        let mut f = Follower::new(&target(), FollowOptions::default()).unwrap();
        for r in readings(&take) {
            f.push(r);
            if r.time_s > take[5].1 + 0.1 && r.time_s < take[6].0 {
                assert_eq!(f.position(), 6, "waiting at note 6 during the pause");
            }
        }
        assert!(f.progress()[6..].iter().all(|n| n.reached_s.is_some()));
    }

    #[test]
    fn a_voice_an_octave_down_and_slower_is_followed_note_for_note() {
        let take = played(0.8, 1.3, |_, m| m - 12.0 - 0.1);
        let (p, _) = follow(&target(), &take);
        assert!(
            p.iter().all(|n| n.verdict == Verdict::Right),
            "{:?}",
            verdicts(&p)
        );
    }

    #[test]
    fn a_late_note_is_late_against_the_takes_own_tempo() {
        let mut take = played(0.5, 1.0, |_, m| m);
        // note 7 starts 250 ms late (a third of a beat at this tempo is 0.15 s)
        take[7].0 += 0.25;
        let (p, _) = follow(&target(), &take);
        assert_eq!(p[7].verdict, Verdict::Late, "{:?}", verdicts(&p));
        assert!(
            p[..7].iter().all(|n| n.verdict == Verdict::Right),
            "{:?}",
            verdicts(&p)
        );
    }

    #[test]
    fn a_scoop_into_a_note_is_judged_on_its_settled_pitch() {
        let target = target();
        let mut f = Follower::new(&target, FollowOptions::default()).unwrap();
        let mut events = Vec::new();
        // note 0 starts 0.45 semitone flat for 60 ms, then sits on pitch
        for i in 0..60 {
            let t = 0.5 + f64::from(i) * 0.01;
            let m = if i < 6 { 59.55 } else { 60.0 };
            events.extend(f.push(Reading {
                time_s: t,
                midi: Some(m),
                level_db: -20.0,
            }));
        }
        assert_eq!(f.progress()[0].verdict, Verdict::Right, "{events:?}");
    }

    #[test]
    fn an_empty_target_is_an_error() {
        assert!(matches!(
            Follower::new(&[], FollowOptions::default()),
            Err(ScoreError::EmptyTarget)
        ));
    }
}
