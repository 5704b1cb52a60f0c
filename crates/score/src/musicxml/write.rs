//! Writes a score as an uncompressed MusicXML 4.0 partwise document.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::pitch::Step;
use crate::score::{Clef, Event, Score};

const HEADER: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="no"?>"#,
    "\n",
    r#"<!DOCTYPE score-partwise PUBLIC "-//Recordare//DTD MusicXML 4.0 Partwise//EN" "http://www.musicxml.org/dtds/partwise.dtd">"#,
    "\n"
);

/// The score as a MusicXML 4.0 partwise document (one part, one voice).
pub fn to_musicxml(score: &Score) -> String {
    write(score, &|_| None)
}

/// Like [`to_musicxml`], with each note's `color` attribute set from its
/// event (`#RRGGBB`), e.g. by the grade of the performed note it came from.
pub fn to_musicxml_coloured(score: &Score, colour: &dyn Fn(&Event) -> Option<String>) -> String {
    write(score, colour)
}

fn write(score: &Score, colour: &dyn Fn(&Event) -> Option<String>) -> String {
    let mut x = String::with_capacity(256 + score.measures.len() * 600);
    x.push_str(HEADER);
    x.push_str("<score-partwise version=\"4.0\">\n");
    if !score.title.is_empty() {
        let _ = writeln!(
            x,
            "  <work><work-title>{}</work-title></work>",
            escape(&score.title)
        );
    }
    x.push_str(
        "  <identification><encoding><software>Tutti</software></encoding></identification>\n",
    );
    x.push_str("  <part-list>\n    <score-part id=\"P1\"><part-name>Melody</part-name></score-part>\n  </part-list>\n");
    x.push_str("  <part id=\"P1\">\n");
    let measure_ticks = score.time.measure_ticks(score.divisions);
    // The printed mark is rounded; playback uses the exact tempo.
    let mark = score.tempo_bpm.round().max(1.0);
    let tempo = number(score.tempo_bpm);
    for (i, measure) in score.measures.iter().enumerate() {
        let _ = writeln!(x, "    <measure number=\"{}\">", measure.number);
        if i == 0 {
            let (sign, line) = match score.clef {
                Clef::Treble => ("G", 2),
                Clef::Bass => ("F", 4),
            };
            let mode = match score.key.mode {
                crate::Mode::Major => "major",
                crate::Mode::Minor => "minor",
            };
            let _ = writeln!(
                x,
                "      <attributes><divisions>{}</divisions><key><fifths>{}</fifths><mode>{mode}</mode></key><time><beats>{}</beats><beat-type>{}</beat-type></time><clef><sign>{sign}</sign><line>{line}</line></clef></attributes>",
                score.divisions, score.key.fifths, score.time.beats, score.time.beat_type
            );
            let _ = writeln!(
                x,
                "      <direction placement=\"above\"><direction-type><metronome><beat-unit>quarter</beat-unit><per-minute>{mark}</per-minute></metronome></direction-type><sound tempo=\"{tempo}\"/></direction>"
            );
        }
        // Accidentals in force in this measure, per (step, octave); the key
        // signature applies until a note changes it.
        let mut in_force: HashMap<(Step, i8), i8> = HashMap::new();
        let whole_rest = measure.events.len() == 1
            && measure.events[0].is_rest()
            && measure.events[0].ticks == measure_ticks;
        for event in &measure.events {
            let color = colour(event)
                .map(|c| format!(" color=\"{}\"", escape(&c)))
                .unwrap_or_default();
            let _ = write!(x, "      <note{color}>");
            match event.pitch {
                None if whole_rest => x.push_str("<rest measure=\"yes\"/>"),
                None => x.push_str("<rest/>"),
                Some(p) => {
                    let _ = write!(x, "<pitch><step>{}</step>", p.step.letter());
                    if p.alter != 0 {
                        let _ = write!(x, "<alter>{}</alter>", p.alter);
                    }
                    let _ = write!(x, "<octave>{}</octave></pitch>", p.octave);
                }
            }
            let _ = write!(x, "<duration>{}</duration>", event.ticks);
            if event.tie_stop {
                x.push_str("<tie type=\"stop\"/>");
            }
            if event.tie_start {
                x.push_str("<tie type=\"start\"/>");
            }
            x.push_str("<voice>1</voice>");
            if !(event.is_rest() && whole_rest) {
                let _ = write!(x, "<type>{}</type>", event.value.base.musicxml_name());
                for _ in 0..event.value.dots {
                    x.push_str("<dot/>");
                }
            }
            if let Some(p) = event.pitch {
                let current = *in_force
                    .get(&(p.step, p.octave))
                    .unwrap_or(&score.key.alter_of(p.step));
                if current != p.alter && !event.tie_stop {
                    let name = match p.alter {
                        -2 => "flat-flat",
                        -1 => "flat",
                        1 => "sharp",
                        2 => "double-sharp",
                        _ => "natural",
                    };
                    let _ = write!(x, "<accidental>{name}</accidental>");
                }
                in_force.insert((p.step, p.octave), p.alter);
            }
            if event.tie_start || event.tie_stop {
                x.push_str("<notations>");
                if event.tie_stop {
                    x.push_str("<tied type=\"stop\"/>");
                }
                if event.tie_start {
                    x.push_str("<tied type=\"start\"/>");
                }
                x.push_str("</notations>");
            }
            x.push_str("</note>\n");
        }
        if i + 1 == score.measures.len() {
            x.push_str(
                "      <barline location=\"right\"><bar-style>light-heavy</bar-style></barline>\n",
            );
        }
        x.push_str("    </measure>\n");
    }
    x.push_str("  </part>\n</score-partwise>\n");
    x
}

/// A decimal without trailing zeros (100, 99.5, 112.25).
fn number(v: f64) -> String {
    let s = format!("{:.2}", v);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// The score as MusicXML with each note coloured by the verdict of the
/// performed note it was quantised from (`take_verdicts[event.source]`), so
/// notation renderers (OpenSheetMusicDisplay, MuseScore) show the grade.
pub fn to_musicxml_graded(score: &Score, take_verdicts: &[crate::grading::Verdict]) -> String {
    write(score, &|event| {
        event
            .source
            .and_then(|s| take_verdicts.get(s))
            .map(|v| v.colour().to_string())
    })
}
