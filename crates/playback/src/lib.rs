//! Sans-IO playback of a target melody for practice: the melody sung by a
//! clear synthesized voice, a metronome with a count-in, any tempo from 50 %
//! to 150 %, and a bar range played in a loop. The caller pulls blocks of
//! samples ([`Player::render`]) into whatever output it has (a sound card, a
//! file, a test) and asks where the music is ([`Player::position`]) to move
//! the score's cursor.
//!
//! What this crate owns: the timeline (count-in, bars, loops, tempo), the
//! voice ([`voice`]) and the click ([`click`]). It does no I/O and has no
//! clock: time advances only as samples are rendered.
//!
//! To extend: a new sound is a module with a small synthesizer state
//! (`start`, `next`) mixed in [`Player::render`]; a new option goes in
//! [`PlaybackOptions`] with its check in [`PlaybackOptions::validate`].

mod click;
mod error;
mod voice;

use serde::{Deserialize, Serialize};
use tutti_score::{Melody, TimeSignature};

pub use error::PlaybackError;

/// How a melody is played.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PlaybackOptions {
    /// Tempo as a share of the melody's own, 50..=150 %.
    pub tempo_percent: f64,
    /// Bars of metronome before the music, 0..=2.
    pub count_in_bars: u32,
    /// Click on every beat while the music plays.
    pub metronome: bool,
    /// Sing the melody (off: only the metronome, to play along alone).
    pub melody: bool,
    /// Play bars `first..=last` (1-based) over and over.
    pub loop_bars: Option<(u32, u32)>,
    /// Shift the melody by this many semitones (-24..=24).
    pub transpose: i32,
}

impl Default for PlaybackOptions {
    fn default() -> PlaybackOptions {
        PlaybackOptions {
            tempo_percent: 100.0,
            count_in_bars: 1,
            metronome: true,
            melody: true,
            loop_bars: None,
            transpose: 0,
        }
    }
}

impl PlaybackOptions {
    /// Checks every option against its range, naming the first one out of it.
    pub fn validate(&self, bars: u32) -> Result<(), PlaybackError> {
        if !(50.0..=150.0).contains(&self.tempo_percent) {
            return Err(PlaybackError::Option {
                field: "tempoPercent",
                reason: format!("{} is outside 50..=150", self.tempo_percent),
            });
        }
        if self.count_in_bars > 2 {
            return Err(PlaybackError::Option {
                field: "countInBars",
                reason: format!("{} is more than 2", self.count_in_bars),
            });
        }
        if !(-24..=24).contains(&self.transpose) {
            return Err(PlaybackError::Option {
                field: "transpose",
                reason: format!("{} is outside -24..=24 semitones", self.transpose),
            });
        }
        if let Some((a, b)) = self.loop_bars
            && (a == 0 || b < a || b > bars)
        {
            return Err(PlaybackError::Option {
                field: "loopBars",
                reason: format!("bars {a}..={b} are not within 1..={bars}"),
            });
        }
        Ok(())
    }
}

/// Where the music is.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Position {
    /// Still counting in (no music yet).
    pub counting_in: bool,
    /// Beat of the melody (quarter notes from its start; negative while
    /// counting in).
    pub beat: f64,
    /// Bar of the melody, 1-based (0 while counting in).
    pub bar: u32,
    /// Index of the melody note sounding, if any.
    pub note: Option<usize>,
    /// Whether the whole melody has been played (never, when looping).
    pub finished: bool,
}

/// One note of the melody on the playback timeline.
#[derive(Debug, Clone, Copy)]
struct Event {
    on: f64,
    off: f64,
    midi: f64,
}

/// The player: a timeline and the synthesizers, advanced by rendering.
#[derive(Debug, Clone)]
pub struct Player {
    rate: f64,
    opts: PlaybackOptions,
    events: Vec<Event>,
    /// Quarter notes per bar and per metronome beat.
    bar_beats: f64,
    click_beats: f64,
    /// Seconds per quarter note at the chosen tempo.
    spb: f64,
    /// Playback runs over `start_beat..end_beat` of the melody.
    start_beat: f64,
    end_beat: f64,
    /// Current time in quarter notes (negative during the count-in).
    beat: f64,
    /// Index of the note the voice is on, if any.
    current: Option<usize>,
    voice: voice::Voice,
    click: click::Click,
    finished: bool,
    /// Nothing rendered yet since the start or a loop's return: a click due
    /// exactly here sounds.
    fresh: bool,
}

impl Player {
    /// A player of `melody` at `sample_rate` Hz.
    pub fn new(
        melody: &Melody,
        sample_rate: u32,
        opts: PlaybackOptions,
    ) -> Result<Player, PlaybackError> {
        if !(8_000..=192_000).contains(&sample_rate) {
            return Err(PlaybackError::SampleRate(sample_rate));
        }
        if melody.notes.is_empty() {
            return Err(PlaybackError::Empty);
        }
        let time = melody.time.unwrap_or(TimeSignature::COMMON);
        let bar_beats = time.quarters_per_measure();
        let click_beats = if time.is_compound() {
            1.5
        } else {
            4.0 / f64::from(time.beat_type.max(1))
        };
        let mut events: Vec<Event> = melody
            .notes
            .iter()
            .map(|n| Event {
                on: n.onset_beats,
                off: n.onset_beats + n.duration_beats,
                midi: f64::from(n.midi_pitch) + f64::from(opts.transpose),
            })
            .collect();
        events.sort_by(|a, b| a.on.total_cmp(&b.on));
        let last = events.iter().map(|e| e.off).fold(0.0, f64::max);
        let bars = (last / bar_beats - 1e-9).ceil().max(1.0) as u32;
        opts.validate(bars)?;
        let (start_beat, end_beat) = match opts.loop_bars {
            Some((a, b)) => (f64::from(a - 1) * bar_beats, f64::from(b) * bar_beats),
            None => (0.0, last),
        };
        let count_in = f64::from(opts.count_in_bars) * bar_beats;
        let bpm = melody.tempo_bpm.clamp(20.0, 400.0) * opts.tempo_percent / 100.0;
        Ok(Player {
            rate: f64::from(sample_rate),
            events,
            bar_beats,
            click_beats,
            spb: 60.0 / bpm,
            start_beat,
            end_beat,
            beat: start_beat - count_in,
            current: None,
            voice: voice::Voice::new(f64::from(sample_rate)),
            click: click::Click::new(f64::from(sample_rate)),
            finished: false,
            fresh: true,
            opts,
        })
    }

    /// Bars in the melody.
    pub fn bars(&self) -> u32 {
        let last = self.events.iter().map(|e| e.off).fold(0.0, f64::max);
        (last / self.bar_beats - 1e-9).ceil().max(1.0) as u32
    }

    /// Where the music is now (after the samples rendered so far).
    pub fn position(&self) -> Position {
        let counting_in = self.beat < self.start_beat;
        Position {
            counting_in,
            beat: self.beat,
            bar: if counting_in {
                0
            } else {
                (self.beat / self.bar_beats).floor() as u32 + 1
            },
            note: self.current,
            finished: self.finished,
        }
    }

    /// Fills `out` with mono samples (-1..1); returns how many were written:
    /// fewer than `out.len()` only when the melody has ended (the rest is
    /// silence). A loop never ends.
    pub fn render(&mut self, out: &mut [f32]) -> usize {
        let step = 1.0 / (self.rate * self.spb);
        let mut written = 0;
        for o in out.iter_mut() {
            if self.finished {
                *o = 0.0;
                continue;
            }
            let before = self.beat;
            self.beat += step;
            // the metronome: a click on every beat reached (accent on the
            // bar), the first one included
            let counting_in = before < self.start_beat;
            let cb = self.click_beats;
            let due = if self.fresh && (before / cb - (before / cb).round()).abs() < 1e-9 {
                Some((before / cb).round() * cb)
            } else if (before / cb).floor() < (self.beat / cb).floor() {
                Some((self.beat / cb).floor() * cb)
            } else {
                None
            };
            // count-in clicks always sound; the music's only with the metronome on
            if let Some(at) = due.filter(|&at| at < self.start_beat - 1e-9 || self.opts.metronome) {
                let bars = at / self.bar_beats;
                self.click.start((bars - bars.round()).abs() < 1e-6);
            }
            self.fresh = false;
            // the voice: start, end or change notes as the beat crosses them
            if !counting_in {
                let i = self.events.partition_point(|e| e.on <= self.beat);
                let note = i.checked_sub(1).filter(|&j| {
                    self.beat < self.events[j].off && self.events[j].on < self.end_beat
                });
                if note != self.current {
                    match note {
                        Some(i) if self.opts.melody => self.voice.start(self.events[i].midi),
                        _ => self.voice.stop(),
                    }
                    self.current = note;
                }
            }
            let sample = self.voice.next() + self.click.next();
            *o = sample.clamp(-1.0, 1.0) as f32;
            written += 1;
            if self.beat >= self.end_beat {
                match self.opts.loop_bars {
                    Some(_) => {
                        self.beat = self.start_beat + (self.beat - self.end_beat);
                        self.current = None;
                        self.voice.stop();
                        self.fresh = true;
                    }
                    None => {
                        // let the last note's release ring, then end
                        self.voice.stop();
                        if self.voice.is_silent() && self.click.is_silent() {
                            self.finished = true;
                        }
                        self.beat = self.end_beat;
                    }
                }
            }
        }
        written
    }
}
