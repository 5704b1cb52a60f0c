//! Time signature guess: which metre (4/4, 3/4, 2/4, 6/8) and which bar
//! position of the first note put the long, accented notes on strong beats.
//!
//! Each candidate metre has a template of metrical weights per sixteenth of
//! the measure (downbeat strongest, then the middle of the bar, the beats,
//! the eighths). A note's accent grows with the time until the next note
//! (long notes are heard as strong). The candidate whose template the accents
//! match best above chance wins; small priors prefer 4/4 and no pickup.
//! To add a metre, add a [`Candidate`] with its template and prior.

use crate::score::TimeSignature;

/// A quantised onset for the guess: position and time to the next onset, in sixteenths.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Onset {
    pub pos: u32,
    pub ioi: u32,
}

struct Candidate {
    time: TimeSignature,
    /// Metrical weight of each sixteenth position in the measure.
    weight: fn(u32) -> f64,
    /// Step between the pickup lengths tried (a beat).
    phase_step: u32,
    prior: f64,
}

fn common(m: u32) -> f64 {
    match m {
        0 => 4.0,
        8 => 2.5,
        _ if m.is_multiple_of(4) => 2.0,
        _ if m.is_multiple_of(2) => 1.0,
        _ => 0.5,
    }
}

fn waltz(m: u32) -> f64 {
    match m {
        0 => 4.0,
        _ if m.is_multiple_of(4) => 2.0,
        _ if m.is_multiple_of(2) => 1.0,
        _ => 0.5,
    }
}

fn duple(m: u32) -> f64 {
    match m {
        0 => 4.0,
        4 => 2.0,
        _ if m.is_multiple_of(2) => 1.0,
        _ => 0.5,
    }
}

fn compound(m: u32) -> f64 {
    match m {
        0 => 4.0,
        6 => 2.5,
        _ if m.is_multiple_of(2) => 1.0,
        _ => 0.5,
    }
}

const CANDIDATES: [Candidate; 4] = [
    Candidate {
        time: TimeSignature::new(4, 4),
        weight: common,
        phase_step: 4,
        prior: 1.0,
    },
    Candidate {
        time: TimeSignature::new(3, 4),
        weight: waltz,
        phase_step: 4,
        prior: 0.97,
    },
    Candidate {
        time: TimeSignature::new(6, 8),
        weight: compound,
        phase_step: 6,
        prior: 0.95,
    },
    Candidate {
        time: TimeSignature::new(2, 4),
        weight: duple,
        phase_step: 4,
        prior: 0.9,
    },
];

/// Prior on starting with a pickup rather than on a downbeat.
const PICKUP_PRIOR: f64 = 0.88;
/// Bonus when the last note ends on a barline.
const ENDS_ON_BARLINE: f64 = 1.05;

/// The guessed metre and how many sixteenths of rest come before the first
/// note in its first measure (0 = the melody starts on a downbeat).
pub(crate) fn guess(onsets: &[Onset], end: u32) -> (TimeSignature, u32) {
    if onsets.len() < 3 {
        return (TimeSignature::COMMON, 0);
    }
    let finest = if onsets.iter().all(|o| o.pos.is_multiple_of(2)) {
        2
    } else {
        1
    };
    let accents: Vec<f64> = onsets
        .iter()
        .map(|o| f64::from(o.ioi.clamp(1, 16)).powf(0.7))
        .collect();
    let total: f64 = accents.iter().sum();
    let mut best = (f64::NEG_INFINITY, TimeSignature::COMMON, 0);
    for c in &CANDIDATES {
        let len = c.time.measure_ticks(4);
        let grid: Vec<u32> = (0..len).step_by(finest as usize).collect();
        let chance = grid.iter().map(|&m| (c.weight)(m)).sum::<f64>() / grid.len() as f64;
        for phase in (0..len).step_by(c.phase_step as usize) {
            let fit = onsets
                .iter()
                .zip(&accents)
                .map(|(o, a)| a * (c.weight)((o.pos + phase) % len))
                .sum::<f64>()
                / total
                / chance;
            let mut score = fit * c.prior;
            if phase != 0 {
                score *= PICKUP_PRIOR;
            }
            if (end + phase).is_multiple_of(len) {
                score *= ENDS_ON_BARLINE;
            }
            if score > best.0 {
                best = (score, c.time, phase);
            }
        }
    }
    (best.1, best.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Onsets from note lengths in sixteenths.
    fn onsets(lengths: &[u32]) -> (Vec<Onset>, u32) {
        let mut pos = 0;
        let mut out = vec![];
        for &l in lengths {
            out.push(Onset { pos, ioi: l });
            pos += l;
        }
        (out, pos)
    }

    fn guess_of(lengths: &[u32]) -> (TimeSignature, u32) {
        let (o, end) = onsets(lengths);
        guess(&o, end)
    }

    #[test]
    fn ode_to_joy_is_common_time() {
        // E E F G | G F E D | C C D E | E. D D2 (quarters = 4)
        let l = [4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 6, 2, 8];
        assert_eq!(guess_of(&l), (TimeSignature::new(4, 4), 0));
    }

    #[test]
    fn a_waltz_is_three_four() {
        // half + quarter patterns and dotted halves, typical of a waltz.
        let l = [8, 4, 8, 4, 4, 4, 4, 12, 8, 4, 8, 4, 4, 4, 4, 12];
        assert_eq!(guess_of(&l).0, TimeSignature::new(3, 4));
    }

    #[test]
    fn a_jig_is_six_eight() {
        // quarter-eighth (4+2) long-short pairs and dotted quarters.
        let l = [4, 2, 4, 2, 6, 6, 4, 2, 4, 2, 6, 6, 2, 2, 2, 4, 2, 12];
        assert_eq!(guess_of(&l).0, TimeSignature::new(6, 8));
    }

    #[test]
    fn a_pickup_beat_is_found() {
        // G | C. D E F | G2 G2 | ... a one-beat upbeat before long downbeat notes.
        let l = [4, 6, 2, 4, 4, 8, 8, 6, 2, 4, 4, 16];
        assert_eq!(guess_of(&l), (TimeSignature::new(4, 4), 12));
    }
}
