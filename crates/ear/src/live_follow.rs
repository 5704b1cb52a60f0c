//! Following a target melody from live input: [`LivePitch`] readings fed to
//! a [`tutti_score::Follower`]. The same path serves the recording screen's
//! play-along and `tutti follow`, which plays a file through it as if it
//! were being played now.

use tutti_score::{FollowEvent, FollowOptions, Follower, Note, NoteProgress, Reading};

use crate::{Error, LivePitch};

/// Live pitch and score following over a stream of samples.
#[derive(Debug)]
pub struct LiveFollower {
    pitch: LivePitch,
    follower: Follower,
}

impl LiveFollower {
    /// A follower of `target` for input at `sample_rate` Hz.
    pub fn new(
        sample_rate: u32,
        target: &[Note],
        opts: FollowOptions,
    ) -> Result<LiveFollower, Error> {
        Ok(LiveFollower {
            pitch: LivePitch::new(sample_rate)?,
            follower: Follower::new(target, opts).map_err(Error::Target)?,
        })
    }

    /// Feeds mono samples; returns what the follower decided on them.
    pub fn push(&mut self, samples: &[f32]) -> Vec<FollowEvent> {
        let mut out = Vec::new();
        for r in self.pitch.push(samples) {
            out.extend(self.follower.push(Reading {
                time_s: r.time_s,
                midi: r.midi,
                level_db: r.level_db,
            }));
        }
        out
    }

    /// Ends the input; returns the last decisions.
    pub fn finish(&mut self) -> Vec<FollowEvent> {
        self.follower.finish()
    }

    /// The next target note expected.
    pub fn position(&self) -> usize {
        self.follower.position()
    }

    /// Every target note's progress so far.
    pub fn progress(&self) -> &[NoteProgress] {
        self.follower.progress()
    }
}

/// Plays a whole recording through the live path, in chunks of 10 ms as a
/// microphone would deliver them; returns every target note's progress.
pub fn follow_recording(
    samples: &[f32],
    sample_rate: u32,
    target: &[Note],
    opts: FollowOptions,
) -> Result<Vec<NoteProgress>, Error> {
    let mut f = LiveFollower::new(sample_rate, target, opts)?;
    let chunk = (sample_rate as usize / 100).max(1);
    for c in samples.chunks(chunk) {
        f.push(c);
    }
    f.finish();
    Ok(f.progress().to_vec())
}
