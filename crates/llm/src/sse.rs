//! A sans-IO Server-Sent Events decoder: feed it bytes as they arrive from the network, in
//! chunks split anywhere (even inside a UTF-8 character or a `\r\n`), and it yields the `data`
//! of each complete event. Comments (`: keepalive`) and `event:`/`id:`/`retry:` fields are
//! skipped; multi-line `data:` fields are joined with `\n` as the SSE spec says.

use crate::LlmError;

/// A single line longer than this is refused rather than buffered without end.
const MAX_LINE_BYTES: usize = 8 * 1024 * 1024;

#[derive(Debug, Default)]
pub(crate) struct SseDecoder {
    line: Vec<u8>,
    /// The previous byte was `\r`, so a following `\n` belongs to the same line ending.
    after_cr: bool,
    data: String,
    has_data: bool,
    /// The first line has been read (a UTF-8 BOM is stripped from it only).
    past_first_line: bool,
}

impl SseDecoder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Consumes `bytes` and appends the data of every event they complete to `events`.
    pub fn push(&mut self, bytes: &[u8], events: &mut Vec<String>) -> Result<(), LlmError> {
        for &b in bytes {
            match b {
                b'\n' if self.after_cr => self.after_cr = false,
                b'\n' | b'\r' => {
                    self.after_cr = b == b'\r';
                    self.end_line(events)?;
                }
                _ => {
                    self.after_cr = false;
                    if self.line.len() >= MAX_LINE_BYTES {
                        return Err(LlmError::malformed("event stream line longer than 8 MiB"));
                    }
                    self.line.push(b);
                }
            }
        }
        Ok(())
    }

    /// The stream ended: a last event without its closing blank line is still delivered.
    pub fn finish(&mut self, events: &mut Vec<String>) -> Result<(), LlmError> {
        if !self.line.is_empty() {
            self.end_line(events)?;
        }
        self.dispatch(events);
        Ok(())
    }

    fn end_line(&mut self, events: &mut Vec<String>) -> Result<(), LlmError> {
        let line = std::mem::take(&mut self.line);
        let first_line = !std::mem::replace(&mut self.past_first_line, true);
        if line.is_empty() {
            self.dispatch(events);
            return Ok(());
        }
        let line = String::from_utf8(line)
            .map_err(|_| LlmError::malformed("event stream is not valid UTF-8"))?;
        let line = match line.strip_prefix('\u{FEFF}') {
            Some(rest) if first_line => rest,
            _ => line.as_str(),
        };
        if line.starts_with(':') {
            return Ok(()); // a comment, typically a keepalive
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        if field == "data" {
            if self.has_data {
                self.data.push('\n');
            }
            self.data.push_str(value);
            self.has_data = true;
        }
        Ok(())
    }

    fn dispatch(&mut self, events: &mut Vec<String>) {
        if self.has_data {
            events.push(std::mem::take(&mut self.data));
            self.has_data = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_in_pieces(input: &[u8], cuts: &[usize]) -> Vec<String> {
        let mut decoder = SseDecoder::new();
        let mut events = Vec::new();
        let mut start = 0;
        for &cut in cuts.iter().chain(std::iter::once(&input.len())) {
            decoder
                .push(&input[start..cut], &mut events)
                .unwrap_or_else(|e| panic!("{e}"));
            start = cut;
        }
        decoder
            .finish(&mut events)
            .unwrap_or_else(|e| panic!("{e}"));
        events
    }

    const STREAM: &str = "\u{FEFF}data: {\"a\":\"한글\"}\n\n: keepalive\r\n\r\nevent: message\ndata: {\"a\":\"한글\"}\n\nid: 7\r\ndata:first\r\ndata: second\r\rdata: [DONE]\n\n";
    const EXPECTED: [&str; 4] = [
        "{\"a\":\"한글\"}",
        "{\"a\":\"한글\"}",
        "first\nsecond",
        "[DONE]",
    ];

    #[test]
    fn whole_stream_decodes_to_data_events() {
        assert_eq!(decode_in_pieces(STREAM.as_bytes(), &[]), EXPECTED);
    }

    #[test]
    fn every_single_split_point_gives_the_same_events() {
        // Includes cuts inside the BOM, inside "한" (3 UTF-8 bytes), and between \r and \n.
        let bytes = STREAM.as_bytes();
        for cut in 0..=bytes.len() {
            assert_eq!(
                decode_in_pieces(bytes, &[cut]),
                EXPECTED,
                "cut at byte {cut}"
            );
        }
    }

    #[test]
    fn byte_by_byte_feeding_gives_the_same_events() {
        let bytes = STREAM.as_bytes();
        let cuts: Vec<usize> = (1..bytes.len()).collect();
        assert_eq!(decode_in_pieces(bytes, &cuts), EXPECTED);
    }

    #[test]
    fn last_event_without_blank_line_is_delivered_at_eof() {
        assert_eq!(decode_in_pieces(b"data: tail", &[]), ["tail"]);
    }

    #[test]
    fn comments_and_empty_events_yield_nothing() {
        assert!(decode_in_pieces(b": ping\n\n: ping\n\nevent: x\n\n", &[]).is_empty());
    }

    #[test]
    fn invalid_utf8_is_malformed() {
        let mut d = SseDecoder::new();
        let mut events = Vec::new();
        let err = d.push(b"data: \xFF\xFE\n\n", &mut events).unwrap_err();
        assert_eq!(err.code(), "llm_malformed");
    }
}
