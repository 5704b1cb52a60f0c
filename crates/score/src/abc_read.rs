//! Reading a melody written in ABC notation (2.1): the tune's first voice as
//! a [`Melody`].
//!
//! Understood: the header fields `T:` (title), `M:` (metre, also `C` and
//! `C|`), `L:` (unit note length, by default 1/8, or 1/16 under a metre
//! below 3/4), `Q:` (tempo, `1/4=96` or a bare number of unit notes per
//! minute), `K:` (key: tonic, accidental, mode; `none`); in the body: notes
//! `A`-`G` / `a`-`g` with `'` and `,`, accidentals `^ ^^ _ __ =` (in force
//! to the end of the bar, as the standard says), lengths (`2`, `/`, `/2`,
//! `3/2`, `//`), rests `z` `x` and bar rests `Z`, ties `-`, broken rhythm
//! `>` `<`, tuplets `(3` and `(p:q:r`, bar lines `| || |] [|`, repeats `|:`
//! `:|` `::` with first and second endings (`[1`, `|1`, `:|2`), inline
//! fields `[K:…]` `[M:…]` `[L:…]` `[Q:…]`. Ignored, as a melody target does
//! not need them: decorations (`!trill!`, `~ . H L M O P S T u v`), chord
//! symbols and annotations in quotes, grace notes `{…}`, slurs, lyrics
//! (`w:`), comments (`%`) and the other header fields. A chord `[CEG]` is a
//! melody's error: its notes are not one line.

use crate::error::ScoreError;
use crate::melody::{Melody, MelodyNote};
use crate::score::TimeSignature;

/// Tempo when the tune gives none (quarter notes per minute).
const DEFAULT_BPM: f64 = 100.0;

fn err(line: usize, what: impl Into<String>) -> ScoreError {
    ScoreError::Abc(format!("line {line}: {}", what.into()))
}

/// A note or rest in quarter notes, before repeats are unfolded.
#[derive(Debug, Clone, Copy)]
struct Token {
    beats: f64,
    midi: Option<u8>,
    tie: bool,
}

/// One stretch of the tune between repeat marks.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Mark {
    /// `|:` (or the start).
    RepeatStart,
    /// `:|`.
    RepeatEnd,
    /// `[1`, `[2` …: an ending for pass n.
    Ending(u8),
    /// A plain bar line (ends any ending).
    Bar,
}

#[derive(Debug, Clone)]
enum Item {
    Note(Token),
    Mark(Mark),
}

/// The key signature's alteration of each letter (C = 0 .. B = 6).
fn key_signature(spec: &str, line: usize) -> Result<[i8; 7], ScoreError> {
    let spec = spec.trim();
    let word = spec.split_whitespace().next().unwrap_or("");
    if word.is_empty() || word.eq_ignore_ascii_case("none") {
        return Ok([0; 7]);
    }
    let mut chars = word.chars();
    let tonic = chars.next().map(|c| c.to_ascii_uppercase());
    let letter = match tonic {
        Some(c @ 'A'..='G') => c,
        _ => {
            return Err(err(
                line,
                format!("key '{spec}' does not start with a note A-G"),
            ));
        }
    };
    let rest: String = chars.collect();
    let (accidental, attached) = match rest.chars().next() {
        Some('#') => (1, &rest[1..]),
        Some('b') => (-1, &rest[1..]),
        _ => (0, rest.as_str()),
    };
    // the mode is attached ("Dm", "Ddor") or the next word ("D dor"); words
    // with '=' (clef=bass) are not modes
    let mode = if attached.is_empty() {
        spec.split_whitespace()
            .nth(1)
            .filter(|w| !w.contains('='))
            .unwrap_or("")
    } else {
        attached
    };
    let mode = mode.to_ascii_lowercase();
    // sharps of the major key on each tonic, then shift by the mode
    let mode_shift = match mode.get(..3).unwrap_or(&mode) {
        "" | "maj" | "ion" => 0,
        "m" | "min" | "aeo" => -3,
        "mix" => -1,
        "dor" => -2,
        "phr" => -4,
        "lyd" => 1,
        "loc" => -5,
        other if other.starts_with('m') => -3,
        _ => return Err(err(line, format!("unknown mode in key '{spec}'"))),
    };
    let base = match letter {
        'C' => 0,
        'G' => 1,
        'D' => 2,
        'A' => 3,
        'E' => 4,
        'B' => 5,
        'F' => -1,
        _ => unreachable!("checked above"),
    };
    let fifths = base + 7 * accidental + mode_shift;
    let mut sig = [0i8; 7];
    // order of sharps: F C G D A E B; of flats: B E A D G C F
    const SHARPS: [usize; 7] = [3, 0, 4, 1, 5, 2, 6];
    const FLATS: [usize; 7] = [6, 2, 5, 1, 4, 0, 3];
    if fifths > 0 {
        for &s in SHARPS.iter().take(fifths.min(7) as usize) {
            sig[s] = 1;
        }
    } else {
        for &s in FLATS.iter().take((-fifths).min(7) as usize) {
            sig[s] = -1;
        }
    }
    Ok(sig)
}

fn parse_fraction(s: &str, line: usize, what: &str) -> Result<f64, ScoreError> {
    let bad = || err(line, format!("{what} '{s}' is not a fraction like 1/8"));
    let (a, b) = s.trim().split_once('/').ok_or_else(bad)?;
    let (a, b): (f64, f64) = (
        a.trim().parse().map_err(|_| bad())?,
        b.trim().parse().map_err(|_| bad())?,
    );
    if a <= 0.0 || b <= 0.0 {
        return Err(bad());
    }
    Ok(a / b)
}

fn parse_metre(s: &str, line: usize) -> Result<Option<TimeSignature>, ScoreError> {
    let s = s.trim();
    match s {
        "C" => return Ok(Some(TimeSignature::new(4, 4))),
        "C|" => return Ok(Some(TimeSignature::new(2, 2))),
        "none" | "" => return Ok(None),
        _ => {}
    }
    let bad = || err(line, format!("metre '{s}' is not like 3/4"));
    let (a, b) = s.split_once('/').ok_or_else(bad)?;
    let (a, b): (u8, u8) = (
        a.trim().parse().map_err(|_| bad())?,
        b.trim().parse().map_err(|_| bad())?,
    );
    if a == 0 || !matches!(b, 1 | 2 | 4 | 8 | 16 | 32) {
        return Err(bad());
    }
    Ok(Some(TimeSignature::new(a, b)))
}

/// Tempo in quarter notes per minute from a `Q:` field.
fn parse_tempo(s: &str, unit: f64, line: usize) -> Result<f64, ScoreError> {
    // drop quoted text ("Allegro")
    let mut plain = String::new();
    let mut quoted = false;
    for c in s.chars() {
        if c == '"' {
            quoted = !quoted;
        } else if !quoted {
            plain.push(c);
        }
    }
    let plain = plain.trim();
    let bpm = if let Some((beat, n)) = plain.split_once('=') {
        let beat = parse_fraction(beat, line, "tempo beat")?;
        let n: f64 = n
            .trim()
            .parse()
            .map_err(|_| err(line, format!("tempo '{s}' has no number")))?;
        n * beat * 4.0
    } else {
        let n: f64 = plain
            .parse()
            .map_err(|_| err(line, format!("tempo '{s}' has no number")))?;
        n * unit * 4.0
    };
    if !(10.0..=400.0).contains(&bpm) {
        return Err(err(
            line,
            format!("tempo '{s}' is outside 10-400 beats per minute"),
        ));
    }
    Ok(bpm)
}

/// State of reading one tune body.
struct Reader {
    unit: f64,
    key: [i8; 7],
    /// Accidentals in force in the current bar: (letter, octave) -> alter.
    bar: Vec<((usize, i32), i8)>,
    items: Vec<Item>,
    /// Pending tuplet: (notes left, factor).
    tuplet: Option<(u32, f64)>,
    /// Broken rhythm waiting for the next note: its factor.
    broken_next: Option<f64>,
    tempo_bpm: f64,
    time: Option<TimeSignature>,
}

impl Reader {
    fn field(&mut self, name: char, value: &str, line: usize) -> Result<(), ScoreError> {
        match name {
            'K' => self.key = key_signature(value, line)?,
            'L' => self.unit = parse_fraction(value, line, "unit note length")? * 4.0,
            'M' => {
                let t = parse_metre(value, line)?;
                if self.time.is_none() {
                    self.time = t;
                }
            }
            'Q' => self.tempo_bpm = parse_tempo(value, self.unit / 4.0, line)?,
            _ => {}
        }
        Ok(())
    }

    fn push_note(&mut self, beats: f64, midi: Option<u8>, tie: bool) {
        let mut beats = beats;
        if let Some(f) = self.broken_next.take() {
            beats *= f;
        }
        if let Some((left, factor)) = self.tuplet {
            beats *= factor;
            self.tuplet = (left > 1).then_some((left - 1, factor));
        }
        self.items.push(Item::Note(Token { beats, midi, tie }));
    }

    fn bar_line(&mut self, mark: Mark) {
        self.bar.clear();
        self.items.push(Item::Mark(mark));
    }

    fn body_line(&mut self, text: &str, line: usize) -> Result<(), ScoreError> {
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        let n = chars.len();
        let number = |i: &mut usize| -> Option<u32> {
            let start = *i;
            while *i < n && chars[*i].is_ascii_digit() {
                *i += 1;
            }
            chars[start..*i].iter().collect::<String>().parse().ok()
        };
        while i < n {
            let c = chars[i];
            match c {
                '%' => break,
                ' ' | '\t' | '`' | '\\' | ')' => i += 1,
                '(' => {
                    i += 1;
                    if i < n && chars[i].is_ascii_digit() {
                        let p = number(&mut i).unwrap_or(3);
                        let mut q = None;
                        let mut r = None;
                        if i < n && chars[i] == ':' {
                            i += 1;
                            q = number(&mut i);
                            if i < n && chars[i] == ':' {
                                i += 1;
                                r = number(&mut i);
                            }
                        }
                        if !(2..=9).contains(&p) {
                            return Err(err(line, format!("tuplet ({p} is not 2-9")));
                        }
                        let q = q.unwrap_or(match p {
                            2 | 4 | 8 => 3,
                            3 | 6 => 2,
                            _ => 2,
                        });
                        self.tuplet = Some((r.unwrap_or(p), f64::from(q) / f64::from(p)));
                    }
                    // otherwise a slur: ignored
                }
                '"' => {
                    i += 1;
                    while i < n && chars[i] != '"' {
                        i += 1;
                    }
                    i += 1;
                }
                '!' | '+' => {
                    let close = c;
                    i += 1;
                    while i < n && chars[i] != close {
                        i += 1;
                    }
                    i += 1;
                }
                '{' => {
                    while i < n && chars[i] != '}' {
                        i += 1;
                    }
                    i += 1;
                }
                '~' | '.' | 'H' | 'L' | 'M' | 'O' | 'P' | 'S' | 'T' | 'u' | 'v' => i += 1,
                '>' | '<' => {
                    let mut k = 0;
                    while i < n && chars[i] == c {
                        k += 1;
                        i += 1;
                    }
                    let short = 0.5f64.powi(k);
                    let (prev, next) = if c == '>' {
                        (2.0 - short, short)
                    } else {
                        (short, 2.0 - short)
                    };
                    let Some(Item::Note(last)) = self
                        .items
                        .iter_mut()
                        .rev()
                        .find(|x| matches!(x, Item::Note(_)))
                    else {
                        return Err(err(line, "a broken rhythm needs a note before it"));
                    };
                    last.beats *= prev;
                    self.broken_next = Some(next);
                }
                '[' => {
                    // inline field, chord, or ending
                    if i + 2 < n && chars[i + 1].is_ascii_alphabetic() && chars[i + 2] == ':' {
                        let end = chars[i..]
                            .iter()
                            .position(|&x| x == ']')
                            .map(|p| i + p)
                            .ok_or_else(|| err(line, "an inline field is not closed with ]"))?;
                        let value: String = chars[i + 3..end].iter().collect();
                        self.field(chars[i + 1], &value, line)?;
                        i = end + 1;
                    } else if i + 1 < n && chars[i + 1].is_ascii_digit() {
                        i += 1;
                        let k = number(&mut i).unwrap_or(1);
                        self.items.push(Item::Mark(Mark::Ending(k.min(9) as u8)));
                    } else if i + 1 < n && chars[i + 1] == '|' {
                        i += 2;
                        self.bar_line(Mark::Bar);
                    } else {
                        return Err(err(line, "chords ([CEG]) are not a single melody line"));
                    }
                }
                '|' | ':' => {
                    let start = i;
                    while i < n && matches!(chars[i], '|' | ':' | ']') {
                        i += 1;
                    }
                    let bar: String = chars[start..i].iter().collect();
                    let ends = bar.starts_with(':');
                    let starts = bar.ends_with(':') && bar.len() > 1 || bar == "::";
                    if bar.chars().all(|c| c == ':') && bar.len() == 1 {
                        return Err(err(line, "a lone ':' is not a bar line"));
                    }
                    if ends {
                        self.bar_line(Mark::RepeatEnd);
                    } else {
                        self.bar_line(Mark::Bar);
                    }
                    if starts {
                        self.bar_line(Mark::RepeatStart);
                    }
                    // |1 and :|2 endings
                    if i < n && chars[i].is_ascii_digit() {
                        let k = number(&mut i).unwrap_or(1);
                        self.items.push(Item::Mark(Mark::Ending(k.min(9) as u8)));
                    }
                }
                'z' | 'x' | 'Z' | 'X' => {
                    i += 1;
                    let len = self.length(&chars, &mut i, line)?;
                    let beats = if c.is_ascii_uppercase() {
                        let measures = len / self.unit;
                        let per = self
                            .time
                            .unwrap_or(TimeSignature::COMMON)
                            .quarters_per_measure();
                        measures * per
                    } else {
                        len
                    };
                    self.push_note(beats, None, false);
                }
                '^' | '_' | '=' | 'A'..='G' | 'a'..='g' => {
                    let mut alter: Option<i8> = None;
                    while i < n && matches!(chars[i], '^' | '_' | '=') {
                        alter = Some(
                            alter.unwrap_or(0)
                                + match chars[i] {
                                    '^' => 1,
                                    '_' => -1,
                                    _ => 0,
                                },
                        );
                        i += 1;
                    }
                    let Some(&l) = chars.get(i) else {
                        return Err(err(line, "an accidental with no note after it"));
                    };
                    let idx = "CDEFGAB".find(l.to_ascii_uppercase()).ok_or_else(|| {
                        err(line, format!("'{l}' after an accidental is not a note"))
                    })?;
                    i += 1;
                    let mut octave: i32 = if l.is_ascii_lowercase() { 5 } else { 4 };
                    while i < n && matches!(chars[i], '\'' | ',') {
                        octave += if chars[i] == '\'' { 1 } else { -1 };
                        i += 1;
                    }
                    let alter = match alter {
                        Some(a) => {
                            self.bar.retain(|(k, _)| *k != (idx, octave));
                            self.bar.push(((idx, octave), a));
                            a
                        }
                        None => self
                            .bar
                            .iter()
                            .find(|(k, _)| *k == (idx, octave))
                            .map_or(self.key[idx], |x| x.1),
                    };
                    const STEP: [i32; 7] = [0, 2, 4, 5, 7, 9, 11];
                    let midi = 12 * (octave + 1) + STEP[idx] + i32::from(alter);
                    let midi = u8::try_from(midi)
                        .ok()
                        .filter(|m| *m <= 127)
                        .ok_or_else(|| err(line, "a note outside the MIDI range"))?;
                    let len = self.length(&chars, &mut i, line)?;
                    let tie = i < n && chars[i] == '-';
                    if tie {
                        i += 1;
                    }
                    self.push_note(len, Some(midi), tie);
                }
                other => return Err(err(line, format!("'{other}' is not ABC this reader knows"))),
            }
        }
        Ok(())
    }

    /// A note length after a note letter: `2`, `/`, `/2`, `3/2`, `//`.
    fn length(&self, chars: &[char], i: &mut usize, line: usize) -> Result<f64, ScoreError> {
        let n = chars.len();
        let start = *i;
        while *i < n && chars[*i].is_ascii_digit() {
            *i += 1;
        }
        let num: f64 = if *i > start {
            chars[start..*i]
                .iter()
                .collect::<String>()
                .parse()
                .map_err(|_| err(line, "a bad note length"))?
        } else {
            1.0
        };
        let mut den = 1.0;
        while *i < n && chars[*i] == '/' {
            *i += 1;
            let s = *i;
            while *i < n && chars[*i].is_ascii_digit() {
                *i += 1;
            }
            den *= if *i > s {
                chars[s..*i]
                    .iter()
                    .collect::<String>()
                    .parse::<f64>()
                    .map_err(|_| err(line, "a bad note length"))?
            } else {
                2.0
            };
        }
        if num <= 0.0 || den <= 0.0 {
            return Err(err(line, "a note of no length"));
        }
        Ok(self.unit * num / den)
    }
}

/// Unfolds repeats and endings into the order the tune is played.
fn unfold(items: &[Item]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut section_start = 0usize;
    let mut i = 0usize;
    let mut pass = 1u8;
    let mut skipping = false;
    while i < items.len() {
        match &items[i] {
            Item::Note(t) => {
                if !skipping {
                    out.push(*t);
                }
            }
            Item::Mark(Mark::RepeatStart) => {
                if pass == 1 {
                    section_start = i + 1;
                }
                skipping = false;
            }
            Item::Mark(Mark::Ending(k)) => skipping = *k != pass,
            Item::Mark(Mark::Bar) => {}
            Item::Mark(Mark::RepeatEnd) => {
                if skipping {
                    skipping = false;
                } else if pass == 1 {
                    pass = 2;
                    i = section_start;
                    continue;
                } else {
                    pass = 1;
                    section_start = i + 1;
                }
            }
        }
        i += 1;
        // after the second pass through an ending, the next section starts fresh
        if pass == 2 && matches!(items.get(i), Some(Item::Mark(Mark::Ending(1)))) {
            skipping = true;
        }
    }
    out
}

/// Reads the first tune of an ABC text as a melody.
pub fn parse_abc(text: &str) -> Result<Melody, ScoreError> {
    let mut r = Reader {
        unit: 0.5,
        key: [0; 7],
        bar: Vec::new(),
        items: Vec::new(),
        tuplet: None,
        broken_next: None,
        tempo_bpm: DEFAULT_BPM,
        time: None,
    };
    let mut title = String::new();
    let mut in_body = false;
    let mut unit_given = false;
    let mut tune_seen = false;
    for (k, raw) in text.lines().enumerate() {
        let line = k + 1;
        let l = raw.trim_end();
        if l.trim_start().starts_with('%') {
            continue;
        }
        let is_field =
            l.len() >= 2 && l.as_bytes()[1] == b':' && l.as_bytes()[0].is_ascii_alphabetic();
        if !in_body {
            if l.trim().is_empty() {
                if tune_seen {
                    break;
                }
                continue;
            }
            if !is_field {
                return Err(err(line, "the header ends with K: before any music"));
            }
            let (name, value) = (l.as_bytes()[0] as char, &l[2..]);
            match name {
                'X' => tune_seen = true,
                'T' if title.is_empty() => title = value.trim().to_owned(),
                'L' => unit_given = true,
                _ => {}
            }
            if name == 'M' && !unit_given {
                let t = parse_metre(value, line)?;
                if let Some(t) = t {
                    r.unit = if f64::from(t.beats) / f64::from(t.beat_type) < 0.75 {
                        0.25
                    } else {
                        0.5
                    };
                }
            }
            r.field(name, value, line)?;
            if name == 'K' {
                in_body = true;
            }
            continue;
        }
        if l.trim().is_empty() {
            break; // the tune ends at an empty line
        }
        if is_field {
            let name = l.as_bytes()[0] as char;
            if matches!(name, 'w' | 'W') {
                continue;
            }
            if name == 'X' {
                break;
            }
            r.field(name, &l[2..], line)?;
            continue;
        }
        r.body_line(l, line)?;
    }
    if !in_body {
        return Err(ScoreError::Abc(
            "no K: field: the text is not an ABC tune".into(),
        ));
    }
    // ties join notes of the same pitch
    let tokens = unfold(&r.items);
    let spb = 60.0 / r.tempo_bpm;
    let mut notes: Vec<MelodyNote> = Vec::new();
    let mut beat = 0.0;
    let mut tied = false;
    for t in tokens {
        match t.midi {
            Some(m) => {
                let join = tied && notes.last().is_some_and(|n| n.midi_pitch == m);
                if join {
                    if let Some(last) = notes.last_mut() {
                        last.duration_beats += t.beats;
                        last.offset_s = (last.onset_beats + last.duration_beats) * spb;
                    }
                } else {
                    notes.push(MelodyNote {
                        onset_beats: beat,
                        duration_beats: t.beats,
                        onset_s: beat * spb,
                        offset_s: (beat + t.beats) * spb,
                        midi_pitch: m,
                    });
                }
                tied = t.tie;
            }
            None => tied = false,
        }
        beat += t.beats;
    }
    if notes.is_empty() {
        return Err(ScoreError::NoNotes { format: "ABC" });
    }
    Ok(Melody {
        title: if title.is_empty() {
            "Untitled".into()
        } else {
            title
        },
        tempo_bpm: r.tempo_bpm,
        time: r.time,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pitches(m: &Melody) -> Vec<u8> {
        m.notes.iter().map(|n| n.midi_pitch).collect()
    }

    fn beats(m: &Melody) -> Vec<f64> {
        m.notes.iter().map(|n| n.duration_beats).collect()
    }

    #[test]
    fn a_simple_tune_with_header_fields() {
        let m = parse_abc("X:1\nT:Twinkle\nM:4/4\nL:1/4\nQ:1/4=120\nK:C\nCCGG|AAG2|\n").unwrap();
        assert_eq!(m.title, "Twinkle");
        assert_eq!(m.tempo_bpm, 120.0);
        assert_eq!(m.time, Some(TimeSignature::new(4, 4)));
        assert_eq!(pitches(&m), vec![60, 60, 67, 67, 69, 69, 67]);
        assert_eq!(beats(&m), vec![1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0]);
        assert!(
            (m.notes[6].onset_s - 3.0).abs() < 1e-9,
            "6 beats at 120 bpm"
        );
    }

    #[test]
    fn keys_accidentals_in_force_for_the_bar_and_octaves() {
        // D major: F and C sharp; =F natural holds to the bar line
        let m = parse_abc("X:1\nT:k\nL:1/8\nK:D\nF C =F F | F c' C, ^^G _B __B|\n").unwrap();
        assert_eq!(pitches(&m), vec![66, 61, 65, 65, 66, 85, 49, 69, 70, 69]);
        let minor = parse_abc("X:1\nT:k\nK:Am\nB F c|\n").unwrap();
        assert_eq!(pitches(&minor), vec![71, 65, 72], "A minor has no sharps");
        let dorian = parse_abc("X:1\nT:k\nK:D dor\nF B|\n").unwrap();
        assert_eq!(pitches(&dorian), vec![65, 71], "D dorian: like C major");
        let flats = parse_abc("X:1\nT:k\nK:Eb\nB E A D|\n").unwrap();
        assert_eq!(pitches(&flats), vec![70, 63, 68, 62]);
    }

    #[test]
    fn lengths_ties_broken_rhythm_and_triplets() {
        let m = parse_abc("X:1\nT:r\nL:1/8\nK:C\nC2 D/ E/2 F3/2 G// | A>B c<d | (3efg a2- a2|\n")
            .unwrap();
        let b = beats(&m);
        let want = [
            1.0,
            0.25,
            0.25,
            0.75,
            0.125,
            0.75,
            0.25,
            0.25,
            0.75,
            1.0 / 3.0,
            1.0 / 3.0,
            1.0 / 3.0,
            2.0,
        ];
        assert_eq!(b.len(), want.len(), "{b:?}");
        for (x, y) in b.iter().zip(want) {
            assert!((x - y).abs() < 1e-9, "{b:?}");
        }
    }

    #[test]
    fn repeats_and_endings_unfold_in_playing_order() {
        let m = parse_abc("X:1\nT:r\nL:1/4\nK:C\n|:C D|1 E F:|2 G A|]\n").unwrap();
        assert_eq!(pitches(&m), vec![60, 62, 64, 65, 60, 62, 67, 69]);
        let plain = parse_abc("X:1\nT:r\nL:1/4\nK:C\nC D :| E F |\n").unwrap();
        assert_eq!(
            pitches(&plain),
            vec![60, 62, 60, 62, 64, 65],
            "a repeat with no start goes back to the beginning"
        );
    }

    #[test]
    fn rests_decorations_chord_symbols_and_lyrics_are_read_or_skipped() {
        let m =
            parse_abc("X:1\nT:r\nM:3/4\nL:1/4\nK:G\n\"G\"!p!~G z .B | Z | {a}d3 |\nw: la la la\n")
                .unwrap();
        assert_eq!(pitches(&m), vec![67, 71, 74]);
        assert!((m.notes[1].onset_beats - 2.0).abs() < 1e-9);
        assert!(
            (m.notes[2].onset_beats - 6.0).abs() < 1e-9,
            "a bar rest lasts a 3/4 bar"
        );
    }

    #[test]
    fn errors_name_the_line_and_what_is_wrong() {
        let e = parse_abc("X:1\nT:c\nK:C\nC [CEG] D|\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 4") && e.contains("chord"), "{e}");
        let e = parse_abc("X:1\nT:c\nK:H\nC|\n").unwrap_err().to_string();
        assert!(e.contains("line 3") && e.contains("key"), "{e}");
        assert!(parse_abc("just text").is_err());
        assert!(matches!(
            parse_abc("X:1\nT:c\nK:C\nz4|\n"),
            Err(ScoreError::NoNotes { .. })
        ));
        let e = parse_abc("X:1\nT:c\nQ:1/4=1000\nK:C\nC|\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("tempo"), "{e}");
    }

    #[test]
    fn what_to_abc_writes_reads_back_as_the_same_notes() {
        let text = "X:1\nT:Round trip\nM:3/4\nL:1/8\nQ:1/4=90\nK:F\nF2 A2 c2 | _B3 A G2 | F6 |]\n";
        let m = parse_abc(text).unwrap();
        let again = parse_abc(&crate::to_abc(&m.to_score())).unwrap();
        assert_eq!(pitches(&m), pitches(&again));
        assert_eq!(beats(&m), beats(&again));
    }
}
