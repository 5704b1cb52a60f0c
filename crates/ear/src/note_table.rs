//! The note table exchanged with the evaluation scripts and the CLI: a CSV with
//! the header `onset_s,offset_s,midi_pitch`, one note per row.

use tutti_score::Note;

use crate::Error;

/// The header row of a note table.
pub const CSV_HEADER: &str = "onset_s,offset_s,midi_pitch";

/// Writes notes as CSV (header row, then one `onset_s,offset_s,midi_pitch`
/// row per note; times to the microsecond, pitch to 1/10000 semitone).
pub fn notes_to_csv(notes: &[Note]) -> String {
    let mut out = String::with_capacity(32 * (notes.len() + 1));
    out.push_str(CSV_HEADER);
    out.push('\n');
    for n in notes {
        let pitch = (n.midi_pitch * 1e4).round() / 1e4;
        out.push_str(&format!("{:.6},{:.6},{}\n", n.onset_s, n.offset_s, pitch));
    }
    out
}

/// Reads a note table. Columns are found by header name (extra columns are
/// ignored, order is free); a file whose first row is numeric is read as
/// `onset_s,offset_s,midi_pitch` without a header. Blank lines and lines
/// starting with `#` are skipped. Any row that is not a valid note (unparsable
/// number, `offset_s <= onset_s`, negative onset, non-positive pitch) is an error
/// naming the line.
pub fn notes_from_csv(text: &str) -> Result<Vec<Note>, Error> {
    let mut notes = Vec::new();
    let mut columns: Option<[usize; 3]> = None;
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let err = |reason: String| Error::Csv {
            line: line_no,
            reason,
        };
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        if line.trim().is_empty() || fields[0].starts_with('#') {
            continue;
        }
        let cols = match columns {
            Some(c) => c,
            None if fields.len() >= 3 && fields[..3].iter().all(|f| f.parse::<f64>().is_ok()) => {
                columns = Some([0, 1, 2]);
                [0, 1, 2]
            }
            None => {
                let find = |name: &str| {
                    fields
                        .iter()
                        .position(|f| f.eq_ignore_ascii_case(name))
                        .ok_or_else(|| err(format!("header has no `{name}` column")))
                };
                columns = Some([find("onset_s")?, find("offset_s")?, find("midi_pitch")?]);
                continue;
            }
        };
        let value = |k: usize, name: &str| -> Result<f64, Error> {
            let raw = fields
                .get(cols[k])
                .ok_or_else(|| err(format!("missing `{name}`")))?;
            let v: f64 = raw
                .parse()
                .map_err(|_| err(format!("`{name}` is not a number: {raw:?}")))?;
            if v.is_finite() {
                Ok(v)
            } else {
                Err(err(format!("`{name}` is not finite")))
            }
        };
        let note = Note {
            onset_s: value(0, "onset_s")?,
            offset_s: value(1, "offset_s")?,
            midi_pitch: value(2, "midi_pitch")?,
        };
        if note.onset_s < 0.0 {
            return Err(err("onset_s is negative".into()));
        }
        if note.offset_s <= note.onset_s {
            return Err(err("offset_s is not after onset_s".into()));
        }
        if note.midi_pitch <= 0.0 {
            return Err(err("midi_pitch must be positive".into()));
        }
        notes.push(note);
    }
    Ok(notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_text() {
        let notes = vec![
            Note {
                onset_s: 0.599479,
                offset_s: 0.795833,
                midi_pitch: 47.0,
            },
            Note {
                onset_s: 0.896354,
                offset_s: 1.135417,
                midi_pitch: 47.3,
            },
        ];
        let text = notes_to_csv(&notes);
        assert!(
            text.starts_with("onset_s,offset_s,midi_pitch\n0.599479,0.795833,47\n"),
            "{text}"
        );
        assert_eq!(notes_from_csv(&text).unwrap(), notes);
        assert_eq!(
            notes_from_csv(CSV_HEADER).unwrap(),
            vec![],
            "a header-only table means no notes"
        );
    }

    #[test]
    fn columns_are_found_by_name_and_bad_rows_are_named() {
        let text = "midi_pitch,extra,onset_s,offset_s\n60,x,1.0,1.5\n";
        assert_eq!(
            notes_from_csv(text).unwrap(),
            vec![Note {
                onset_s: 1.0,
                offset_s: 1.5,
                midi_pitch: 60.0
            }]
        );
        match notes_from_csv("onset_s,offset_s,midi_pitch\n1.0,0.5,60\n") {
            Err(Error::Csv { line: 2, reason }) => assert!(reason.contains("offset_s")),
            other => panic!("expected a line-2 error, got {other:?}"),
        }
        assert!(matches!(
            notes_from_csv("onset,offset\n"),
            Err(Error::Csv { line: 1, .. })
        ));
        assert!(matches!(
            notes_from_csv("1.0,abc,60\n"),
            Err(Error::Csv { line: 1, .. })
        ));
    }
}
