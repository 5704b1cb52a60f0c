//! The metronome's click: a short decaying tone, higher on the first beat
//! of a bar.

use std::f64::consts::TAU;

const ACCENT_HZ: f64 = 1760.0;
const BEAT_HZ: f64 = 1320.0;
const LEVEL: f64 = 0.35;
/// Time for the click to fall by e (1/e), seconds.
const DECAY_S: f64 = 0.012;
/// The click is cut after this long, seconds.
const LENGTH_S: f64 = 0.06;

#[derive(Debug, Clone)]
pub(crate) struct Click {
    rate: f64,
    hz: f64,
    /// Samples since the click started; `None` when silent.
    at: Option<u64>,
}

impl Click {
    pub(crate) fn new(rate: f64) -> Click {
        Click {
            rate,
            hz: BEAT_HZ,
            at: None,
        }
    }

    pub(crate) fn start(&mut self, accent: bool) {
        self.hz = if accent { ACCENT_HZ } else { BEAT_HZ };
        self.at = Some(0);
    }

    pub(crate) fn is_silent(&self) -> bool {
        self.at.is_none()
    }

    pub(crate) fn next(&mut self) -> f64 {
        let Some(n) = self.at else {
            return 0.0;
        };
        let t = n as f64 / self.rate;
        if t > LENGTH_S {
            self.at = None;
            return 0.0;
        }
        self.at = Some(n + 1);
        LEVEL * (-t / DECAY_S).exp() * (TAU * self.hz * t).sin()
    }
}
