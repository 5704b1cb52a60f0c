//! ABC notation (2.1) for a score, as abcjs renders it.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::pitch::{SpelledPitch, Step};
use crate::score::{Clef, Score};

/// Measures per line of music.
const MEASURES_PER_LINE: usize = 4;

/// The score in ABC notation: header `X: T: M: L:1/8 Q:1/4= K:` then the
/// notes, beamed by beat, with barlines, ties (`-`) and rests (`z`).
pub fn to_abc(score: &Score) -> String {
    let mut abc = String::new();
    let title: String = score
        .title
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let title = if title.trim().is_empty() {
        "Untitled"
    } else {
        title.trim()
    };
    let _ = writeln!(abc, "X:1");
    let _ = writeln!(abc, "T:{title}");
    let _ = writeln!(abc, "M:{}/{}", score.time.beats, score.time.beat_type);
    let _ = writeln!(abc, "L:1/8");
    // ABC tempos are whole beats per minute.
    let _ = writeln!(abc, "Q:1/4={}", score.tempo_bpm.round().max(1.0));
    let clef = match score.clef {
        Clef::Treble => "",
        Clef::Bass => " clef=bass",
    };
    let _ = writeln!(abc, "K:{}{clef}", score.key.abc_name());

    let divisions = score.divisions.max(1);
    let beat = if score.time.is_compound() {
        divisions * 3 / 2
    } else {
        divisions * 4 / u32::from(score.time.beat_type.max(1))
    }
    .max(1);
    let count = score.measures.len();
    for (i, measure) in score.measures.iter().enumerate() {
        let mut in_force: HashMap<(Step, i8), i8> = HashMap::new();
        let mut pos = 0;
        let mut previous_ticks = 0;
        for (j, event) in measure.events.iter().enumerate() {
            // Notes shorter than a quarter are beamed within a beat; anything
            // a quarter or longer stands alone.
            let unbeamed = event.ticks >= divisions || previous_ticks >= divisions;
            if j > 0 && (pos % beat == 0 || unbeamed) {
                abc.push(' ');
            }
            previous_ticks = event.ticks;
            match event.pitch {
                None => abc.push('z'),
                Some(p) => {
                    let current = *in_force
                        .get(&(p.step, p.octave))
                        .unwrap_or(&score.key.alter_of(p.step));
                    if current != p.alter {
                        abc.push_str(match p.alter {
                            -2 => "__",
                            -1 => "_",
                            1 => "^",
                            2 => "^^",
                            _ => "=",
                        });
                        in_force.insert((p.step, p.octave), p.alter);
                    }
                    abc.push_str(&letter(p));
                }
            }
            abc.push_str(&length(event.ticks, divisions));
            if event.tie_start {
                abc.push('-');
            }
            pos += event.ticks;
        }
        if i + 1 == count {
            abc.push_str(" |]\n");
        } else if (i + 1) % MEASURES_PER_LINE == 0 {
            abc.push_str(" |\n");
        } else {
            abc.push_str(" | ");
        }
    }
    abc
}

/// The ABC letter with octave marks: C4 is `C`, C5 `c`, C6 `c'`, C3 `C,`.
fn letter(p: SpelledPitch) -> String {
    let l = p.step.letter();
    if p.octave >= 5 {
        let mut s = l.to_ascii_lowercase().to_string();
        for _ in 5..p.octave {
            s.push('\'');
        }
        s
    } else {
        let mut s = l.to_string();
        for _ in p.octave..4 {
            s.push(',');
        }
        s
    }
}

/// Length suffix relative to L:1/8: "" for an eighth, "2" quarter, "/" sixteenth, "3/2" dotted eighth.
fn length(ticks: u32, divisions: u32) -> String {
    let (mut num, mut den) = (2 * ticks, divisions);
    let g = gcd(num, den);
    num /= g.max(1);
    den /= g.max(1);
    match (num, den) {
        (1, 1) => String::new(),
        (n, 1) => n.to_string(),
        (1, 2) => "/".into(),
        (1, d) => format!("/{d}"),
        (n, d) => format!("{n}/{d}"),
    }
}

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 { a } else { gcd(b, a % b) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn octaves_follow_abc_case_and_marks() {
        let p = |step, octave| SpelledPitch {
            step,
            alter: 0,
            octave,
        };
        assert_eq!(letter(p(Step::C, 4)), "C");
        assert_eq!(letter(p(Step::C, 5)), "c");
        assert_eq!(letter(p(Step::E, 6)), "e'");
        assert_eq!(letter(p(Step::G, 2)), "G,,");
    }

    #[test]
    fn lengths_are_relative_to_an_eighth() {
        assert_eq!(length(2, 4), "");
        assert_eq!(length(4, 4), "2");
        assert_eq!(length(1, 4), "/");
        assert_eq!(length(3, 4), "3/2");
        assert_eq!(length(6, 4), "3");
        assert_eq!(length(1, 8), "/4");
    }
}
