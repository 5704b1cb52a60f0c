//! Exports (MusicXML, MIDI, ABC) and re-reading them as target melodies.

use std::collections::HashMap;

use midly::{MetaMessage, MidiMessage, Smf, Timing, TrackEventKind};
use tutti_score::{
    KeySignature, Melody, Mode, QuantiseOptions, Score, ScoreError, TICKS_PER_QUARTER,
    TimeSignature, notes_to_midi, parse_midi, parse_musicxml, quantise, to_abc, to_midi,
    to_musicxml,
};

use crate::support::{Written, exact, ode_to_joy, perform};

/// A score with accidentals, a tie over the barline, rests, dotted values
/// and sixteenths, in D minor (one flat, C sharp leading tone).
fn rich_score() -> Score {
    let melody: Vec<Written> = vec![
        (Some(62), 1.0),
        (Some(64), 0.5),
        (Some(65), 0.5),
        (Some(67), 1.0),
        (Some(69), 2.0), // crosses into bar 2: tied
        (Some(70), 0.75),
        (Some(69), 0.25),
        (None, 1.0),
        (Some(73), 1.0),
        (Some(74), 1.5),
        (Some(72), 0.5),
        (Some(70), 1.0),
        (Some(69), 1.0),
        (Some(62), 4.0),
    ];
    let opts = QuantiseOptions {
        title: "Étude <in> D & minor".into(),
        tempo_bpm: Some(96.0),
        time: Some(TimeSignature::COMMON),
        key: Some(KeySignature::from_tonic(2, Mode::Minor)),
        pickup_sixteenths: Some(0),
    };
    quantise(&exact(&melody, 96.0), &opts)
}

fn same_notes(a: &Melody, b: &Melody) {
    assert_eq!(a.notes.len(), b.notes.len(), "note count");
    for (x, y) in a.notes.iter().zip(&b.notes) {
        assert_eq!(x.midi_pitch, y.midi_pitch);
        assert!(
            (x.onset_beats - y.onset_beats).abs() < 1e-9,
            "{x:?} vs {y:?}"
        );
        assert!(
            (x.duration_beats - y.duration_beats).abs() < 1e-9,
            "{x:?} vs {y:?}"
        );
        assert!((x.onset_s - y.onset_s).abs() < 1e-6);
        assert!((x.offset_s - y.offset_s).abs() < 1e-6);
    }
}

#[test]
fn musicxml_is_well_formed_partwise_4_0() {
    let xml = to_musicxml(&rich_score());
    assert!(xml.contains(
        r#"<!DOCTYPE score-partwise PUBLIC "-//Recordare//DTD MusicXML 4.0 Partwise//EN""#
    ));
    let doc = roxmltree::Document::parse_with_options(
        &xml,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "score-partwise");
    assert_eq!(root.attribute("version"), Some("4.0"));
    // Every measure's notes fill it exactly (4/4 at 4 divisions = 16).
    for m in root.descendants().filter(|n| n.has_tag_name("measure")) {
        let total: u32 = m
            .children()
            .filter(|n| n.has_tag_name("note"))
            .filter_map(|n| n.children().find(|c| c.has_tag_name("duration")))
            .filter_map(|d| d.text()?.parse::<u32>().ok())
            .sum();
        assert_eq!(total, 16, "measure {:?}", m.attribute("number"));
    }
    let title = root
        .descendants()
        .find(|n| n.has_tag_name("work-title"))
        .and_then(|n| n.text());
    assert_eq!(
        title,
        Some("Étude <in> D & minor"),
        "title escaped and read back"
    );
}

#[test]
fn musicxml_round_trips_pitches_and_durations() {
    let score = rich_score();
    let read = parse_musicxml(&to_musicxml(&score)).expect("our MusicXML parses");
    same_notes(&score.melody(), &read);
    assert_eq!(read.tempo_bpm, 96.0);
    assert_eq!(read.time, Some(TimeSignature::COMMON));
    assert_eq!(read.title, "Étude <in> D & minor");
    // The tied A (2 beats over the barline) is one note again.
    assert!(
        read.notes
            .iter()
            .any(|n| n.midi_pitch == 69 && n.duration_beats == 2.0)
    );
}

#[test]
fn musicxml_marks_accidentals_against_the_key() {
    let xml = to_musicxml(&rich_score());
    // D minor: B flat is in the key (no mark); C sharp needs one.
    assert!(xml.contains("<step>C</step><alter>1</alter>"));
    assert!(xml.contains("<accidental>sharp</accidental>"));
    assert!(!xml.contains("<accidental>flat</accidental>"));
    assert!(xml.contains("<fifths>-1</fifths><mode>minor</mode>"));
    assert!(xml.contains("<tied type=\"start\"/>"));
    assert!(xml.contains("<type>16th</type>"));
}

#[test]
fn musicxml_from_another_editor_is_read_as_its_melody() {
    // Divisions 480, tempo mark, a grace note, a chord, a second voice after
    // <backup>, a tie over the barline, and a rest.
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE score-partwise PUBLIC "-//Recordare//DTD MusicXML 3.1 Partwise//EN" "http://www.musicxml.org/dtds/partwise.dtd">
<score-partwise version="3.1">
  <movement-title>Imported</movement-title>
  <part-list><score-part id="P1"><part-name>Flute</part-name></score-part></part-list>
  <part id="P1">
    <measure number="1">
      <attributes><divisions>480</divisions><time><beats>3</beats><beat-type>4</beat-type></time></attributes>
      <direction><direction-type><metronome><beat-unit>quarter</beat-unit><per-minute>60</per-minute></metronome></direction-type></direction>
      <note><grace/><pitch><step>B</step><octave>4</octave></pitch><voice>1</voice><type>eighth</type></note>
      <note><pitch><step>C</step><octave>5</octave></pitch><duration>480</duration><voice>1</voice></note>
      <note><pitch><step>E</step><octave>4</octave></pitch><duration>480</duration><voice>1</voice></note>
      <note><chord/><pitch><step>G</step><octave>4</octave></pitch><duration>480</duration><voice>1</voice></note>
      <note><pitch><step>F</step><alter>1</alter><octave>4</octave></pitch><duration>480</duration><tie type="start"/><voice>1</voice></note>
      <backup><duration>1440</duration></backup>
      <note><pitch><step>C</step><octave>3</octave></pitch><duration>1440</duration><voice>2</voice></note>
    </measure>
    <measure number="2">
      <note><pitch><step>F</step><alter>1</alter><octave>4</octave></pitch><duration>240</duration><tie type="stop"/><voice>1</voice></note>
      <note><rest/><duration>240</duration><voice>1</voice></note>
      <direction><sound tempo="120"/></direction>
      <note><pitch><step>A</step><octave>4</octave></pitch><duration>960</duration><voice>1</voice></note>
    </measure>
  </part>
</score-partwise>"#;
    let melody = parse_musicxml(xml).expect("parses");
    assert_eq!(melody.title, "Imported");
    assert_eq!(melody.time, Some(TimeSignature::new(3, 4)));
    assert_eq!(melody.tempo_bpm, 60.0);
    let got: Vec<(u8, f64, f64)> = melody
        .notes
        .iter()
        .map(|n| (n.midi_pitch, n.onset_beats, n.duration_beats))
        .collect();
    // Grace note and voice 2 left out, chord reduced to its top (G4), tie joined.
    assert_eq!(
        got,
        vec![
            (72, 0.0, 1.0),
            (67, 1.0, 1.0),
            (66, 2.0, 1.5),
            (69, 4.0, 2.0)
        ]
    );
    // 60 BPM for the first four beats, then 120: the A starts at 4 s and lasts 1 s.
    let a = melody.notes[3];
    assert!((a.onset_s - 4.0).abs() < 1e-9 && (a.offset_s - 5.0).abs() < 1e-9);
}

#[test]
fn bad_musicxml_gets_a_clear_error() {
    assert!(matches!(
        parse_musicxml("not xml at all"),
        Err(ScoreError::Xml(_))
    ));
    assert!(matches!(
        parse_musicxml("<score-timewise version=\"4.0\"/>"),
        Err(ScoreError::MusicXml(_))
    ));
    assert!(matches!(
        parse_musicxml("<html><body/></html>"),
        Err(ScoreError::MusicXml(_))
    ));
    assert!(matches!(
        parse_musicxml("<score-partwise version=\"4.0\"><part id=\"P1\"/></score-partwise>"),
        Err(ScoreError::NoNotes { .. })
    ));
    let no_duration = "<score-partwise><part id=\"P1\"><measure><note><pitch><step>C</step><octave>4</octave></pitch></note></measure></part></score-partwise>";
    let err = parse_musicxml(no_duration).expect_err("a note without duration");
    assert!(err.to_string().contains("duration"), "{err}");
}

/// Notes of a MIDI file as (start tick, end tick, key), read with midly directly.
fn midi_notes(bytes: &[u8]) -> (u16, Vec<(u64, u64, u8)>, Option<u32>) {
    let smf = Smf::parse(bytes).expect("midly parses our file");
    let Timing::Metrical(ppq) = smf.header.timing else {
        panic!("metrical timing expected");
    };
    let mut tempo = None;
    let mut out = Vec::new();
    for track in &smf.tracks {
        let mut tick = 0u64;
        let mut open: HashMap<u8, u64> = HashMap::new();
        for e in track {
            tick += u64::from(e.delta.as_int());
            match e.kind {
                TrackEventKind::Meta(MetaMessage::Tempo(t)) => tempo = Some(t.as_int()),
                TrackEventKind::Midi { message, .. } => match message {
                    MidiMessage::NoteOn { key, vel } if vel.as_int() > 0 => {
                        open.insert(key.as_int(), tick);
                    }
                    MidiMessage::NoteOn { key, .. } | MidiMessage::NoteOff { key, .. } => {
                        if let Some(start) = open.remove(&key.as_int()) {
                            out.push((start, tick, key.as_int()));
                        }
                    }
                    _ => {}
                },
                _ => {}
            }
        }
    }
    out.sort_unstable();
    (ppq.as_int(), out, tempo)
}

#[test]
fn midi_round_trips_through_midly_with_the_same_notes() {
    let score = rich_score();
    let bytes = to_midi(&score);
    let (ppq, notes, tempo) = midi_notes(&bytes);
    assert_eq!(ppq, TICKS_PER_QUARTER);
    assert_eq!(tempo, Some(625_000), "96 BPM is 625 000 µs per quarter");
    let expected: Vec<(u64, u64, u8)> = score
        .melody()
        .notes
        .iter()
        .map(|n| {
            let start = (n.onset_beats * 480.0) as u64;
            (
                start,
                start + (n.duration_beats * 480.0) as u64,
                n.midi_pitch,
            )
        })
        .collect();
    assert_eq!(notes, expected);
    // And our own reader gives the score's melody back.
    same_notes(&score.melody(), &parse_midi(&bytes).expect("parses"));
}

#[test]
fn performed_notes_round_trip_through_midi_within_a_tick() {
    let performed = perform(&ode_to_joy(), 100.0, 0.9, 0.02, 0.0, 7);
    let bytes = notes_to_midi(&performed, 100.0);
    let read = parse_midi(&bytes).expect("parses").to_notes();
    assert_eq!(read.len(), performed.len());
    let tick_s = 60.0 / 100.0 / 480.0;
    for (a, b) in performed.iter().zip(&read) {
        assert_eq!(a.midi_pitch.round(), b.midi_pitch);
        assert!((a.onset_s - b.onset_s).abs() <= tick_s);
        assert!((a.offset_s - b.offset_s).abs() <= tick_s);
    }
}

#[test]
fn bad_midi_gets_a_clear_error() {
    assert!(matches!(parse_midi(b""), Err(ScoreError::Midi(_))));
    assert!(matches!(
        parse_midi(b"RIFF....WAVEfmt "),
        Err(ScoreError::Midi(_))
    ));
    // Cut inside the conductor track: no notes are left to read.
    let whole = to_midi(&rich_score());
    let err = parse_midi(&whole[..30]).expect_err("truncated in the header track");
    assert!(
        matches!(err, ScoreError::Midi(_) | ScoreError::NoNotes { .. }),
        "{err}"
    );
    // Cut in the middle of the melody: an error or the notes before the cut, never a panic.
    for cut in (14..whole.len()).step_by(7) {
        match parse_midi(&whole[..cut]) {
            Ok(melody) => assert!(melody.notes.len() <= rich_score().melody().notes.len()),
            Err(e) => assert!(matches!(
                e,
                ScoreError::Midi(_) | ScoreError::NoNotes { .. }
            )),
        }
    }
    // A file with tempo and no notes.
    let empty = notes_to_midi(&[], 120.0);
    assert!(matches!(
        parse_midi(&empty),
        Err(ScoreError::NoNotes { .. })
    ));
}

#[test]
fn abc_has_the_header_fields_and_the_notes() {
    let score = quantise(
        &perform(&ode_to_joy(), 100.0, 0.9, 0.0, 0.0, 1),
        &QuantiseOptions {
            title: "Ode to Joy".into(),
            tempo_bpm: Some(100.0),
            ..QuantiseOptions::default()
        },
    );
    let abc = to_abc(&score);
    let lines: Vec<&str> = abc.lines().collect();
    assert_eq!(
        &lines[..6],
        &["X:1", "T:Ode to Joy", "M:4/4", "L:1/8", "Q:1/4=100", "K:C"]
    );
    // Quarters are "2" at L:1/8; the dotted quarter "3", the eighth plain, the half "4".
    assert_eq!(
        lines[6],
        "E2 E2 F2 G2 | G2 F2 E2 D2 | C2 C2 D2 E2 | E3 D D4 |"
    );
    assert!(abc.trim_end().ends_with("|]"));
}

#[test]
fn abc_writes_accidentals_ties_rests_and_octaves() {
    let abc = to_abc(&rich_score());
    assert!(abc.contains("K:Dm"));
    assert!(abc.contains("^c"), "C sharp above middle C: {abc}");
    assert!(abc.contains("A2-"), "the tie over the barline: {abc}");
    assert!(abc.contains("z2"), "the quarter rest: {abc}");
    assert!(
        abc.contains("B3/2A/"),
        "dotted eighth and sixteenth beamed: {abc}"
    );
    assert!(!abc.contains("_B"), "B flat is in the key signature: {abc}");
}

/// Validates `xml` against the MusicXML 4.0 XSD with xmllint.
fn assert_valid_musicxml(xml: &str, what: &str) {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let schema = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/score/data/musicxml-4.0/musicxml.xsd"
    );
    let mut child = Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema", schema, "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("xmllint runs (apt-get install libxml2-utils)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(xml.as_bytes())
        .expect("xmllint reads the document");
    let out = child.wait_with_output().expect("xmllint finishes");
    assert!(
        out.status.success(),
        "{what} is not valid MusicXML 4.0:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn exports_validate_against_the_musicxml_4_0_schema() {
    assert_valid_musicxml(&to_musicxml(&rich_score()), "the rich score");

    let take = perform(&ode_to_joy(), 100.0, 0.9, 0.02, 0.0, 1);
    let score = quantise(&take, &QuantiseOptions::default());
    assert_valid_musicxml(&to_musicxml(&score), "a quantised take");
    let g = tutti_score::grade(&exact(&ode_to_joy(), 100.0), &take).expect("grades");
    let graded = tutti_score::to_musicxml_graded(&score, &g.take_verdicts);
    assert!(
        graded.contains("color=\"#2E7D32\""),
        "right notes are green"
    );
    assert_valid_musicxml(&graded, "the graded take");

    // Bass clef, a whole bar of rest, and a tie from the last beat.
    let low: Vec<Written> = vec![
        (Some(38), 3.0),
        (Some(40), 2.0),
        (None, 3.0),
        (None, 4.0),
        (Some(36), 4.0),
    ];
    let score = quantise(
        &exact(&low, 80.0),
        &QuantiseOptions {
            tempo_bpm: Some(80.0),
            time: Some(TimeSignature::COMMON),
            pickup_sixteenths: Some(0),
            ..QuantiseOptions::default()
        },
    );
    let xml = to_musicxml(&score);
    assert!(xml.contains("<rest measure=\"yes\"/>"));
    assert!(xml.contains("<sign>F</sign>"));
    assert_valid_musicxml(&xml, "a bass line with a bar of rest");
}

#[test]
fn a_midi_target_is_written_as_the_same_score() {
    let score = rich_score();
    let target = parse_midi(&to_midi(&score)).expect("parses");
    let again = target.to_score();
    assert_eq!(again.time, TimeSignature::COMMON);
    assert_eq!(again.tempo_bpm, 96.0);
    same_notes(&score.melody(), &again.melody());
    // And a target starting on the last beat of a bar keeps its pickup.
    let upbeat = parse_musicxml(
        r#"<score-partwise version="4.0"><part id="P1">
        <measure number="0"><attributes><divisions>1</divisions><time><beats>3</beats><beat-type>4</beat-type></time></attributes>
          <note><rest/><duration>2</duration></note>
          <note><pitch><step>G</step><octave>4</octave></pitch><duration>1</duration></note></measure>
        <measure number="1"><note><pitch><step>C</step><octave>5</octave></pitch><duration>3</duration></note></measure>
        </part></score-partwise>"#,
    )
    .expect("parses")
    .to_score();
    assert_eq!(upbeat.time, TimeSignature::new(3, 4));
    assert!(upbeat.measures[0].events[0].is_rest());
    let downbeat = &upbeat.measures[1].events[0];
    assert_eq!(downbeat.pitch.map(|p| p.midi()), Some(72));
    assert_eq!(downbeat.ticks, 12, "a dotted half fills the 3/4 bar");
}
