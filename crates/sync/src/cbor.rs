//! The CBOR subset automerge-repo speaks: a top-level map with text keys whose
//! values are text, byte strings, unsigned numbers, booleans, arrays and maps.
//!
//! Reading uses `minicbor`'s zero-copy decoder: the top-level map is walked once,
//! each key's value is located and skipped (minicbor's `skip` is iterative, so
//! deeply nested junk cannot overflow the stack), and fields are then read by
//! name with errors that say which field had which wrong type.
//!
//! Writing is a small hand-written encoder (preferred, shortest-form headers):
//! writing into a `Vec` cannot fail, so encoding needs no `Result`.

use minicbor::Decoder;
use minicbor::data::{Tag, Type};

use crate::error::ProtocolError;

/// CBOR tag 64: "uint8 typed array". cbor-x writes it for `Uint8Array`s unless
/// told `tagUint8Array: false` (which automerge-repo does); accepted when reading.
const TAG_UINT8_ARRAY: u64 = 64;

/// Largest integer a JS number holds exactly (2^53 - 1); cbor-x writes integers
/// above 2^32 as float64, so floats up to this bound are accepted as integers.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

fn malformed(d: &Decoder<'_>, e: &minicbor::decode::Error) -> ProtocolError {
    ProtocolError::MalformedCbor {
        at: d.position(),
        reason: e.to_string(),
    }
}

fn type_name(t: Result<Type, minicbor::decode::Error>) -> String {
    match t {
        Ok(Type::String | Type::StringIndef) => "text".into(),
        Ok(Type::Bytes | Type::BytesIndef) => "bytes".into(),
        Ok(Type::Map | Type::MapIndef) => "map".into(),
        Ok(Type::Array | Type::ArrayIndef) => "array".into(),
        Ok(Type::U8 | Type::U16 | Type::U32 | Type::U64) => "unsigned integer".into(),
        Ok(Type::I8 | Type::I16 | Type::I32 | Type::I64 | Type::Int) => "integer".into(),
        Ok(other) => other.to_string(),
        Err(e) => format!("invalid CBOR ({e})"),
    }
}

/// The fields of one CBOR map, located but not yet read.
#[derive(Debug, Clone)]
pub(crate) struct MapFields<'b> {
    input: &'b [u8],
    /// `(key, value start, value end)` in `input`, in wire order.
    fields: Vec<(&'b str, usize, usize)>,
    /// Prefix for error field names of nested maps (`"peerMetadata."`).
    path: String,
}

impl<'b> MapFields<'b> {
    /// Reads `input`, which must hold exactly one CBOR map with text keys.
    pub(crate) fn parse(input: &'b [u8]) -> Result<Self, ProtocolError> {
        Self::parse_at(input, String::new())
    }

    fn parse_at(input: &'b [u8], path: String) -> Result<Self, ProtocolError> {
        let mut d = Decoder::new(input);
        let len = match d.datatype() {
            Ok(Type::Map | Type::MapIndef) => d.map().map_err(|e| malformed(&d, &e))?,
            Ok(Type::Break | Type::Unknown(_)) => {
                return Err(ProtocolError::MalformedCbor {
                    at: 0,
                    reason: format!("a message cannot start with byte {:#04x}", input[0]),
                });
            }
            Ok(other) => {
                return Err(ProtocolError::NotAMap {
                    found: type_name(Ok(other)),
                });
            }
            Err(e) => return Err(malformed(&d, &e)),
        };
        let mut fields: Vec<(&'b str, usize, usize)> = Vec::new();
        let mut remaining = len;
        loop {
            match remaining {
                Some(0) => break,
                Some(n) => remaining = Some(n - 1),
                None => {
                    if d.datatype().map_err(|e| malformed(&d, &e))? == Type::Break {
                        d.skip().map_err(|e| malformed(&d, &e))?;
                        break;
                    }
                }
            }
            let key = match d.datatype() {
                Ok(Type::String) => d.str().map_err(|e| malformed(&d, &e))?,
                other => {
                    return Err(ProtocolError::NotAMap {
                        found: format!("a map with a {} key", type_name(other)),
                    });
                }
            };
            if fields.iter().any(|(k, _, _)| *k == key) {
                return Err(ProtocolError::DuplicateField {
                    field: format!("{path}{key}"),
                });
            }
            let start = d.position();
            d.skip().map_err(|e| malformed(&d, &e))?;
            fields.push((key, start, d.position()));
        }
        if d.position() < input.len() {
            return Err(ProtocolError::TrailingBytes {
                count: input.len() - d.position(),
            });
        }
        Ok(Self {
            input,
            fields,
            path,
        })
    }

    fn name(&self, key: &str) -> String {
        format!("{}{key}", self.path)
    }

    /// A decoder positioned on `key`'s value, or `None` when the key is absent
    /// or its value is `null`/`undefined` (cbor-x writes `undefined` for
    /// properties set to `undefined`).
    fn value(&self, key: &str) -> Option<(Decoder<'b>, usize)> {
        let (_, start, end) = self.fields.iter().find(|(k, _, _)| *k == key)?;
        let mut d = Decoder::new(&self.input[..*end]);
        d.set_position(*start);
        match d.datatype() {
            Ok(Type::Null | Type::Undefined) => None,
            _ => Some((d, *end)),
        }
    }

    fn wrong(&self, key: &str, expected: &'static str, d: &Decoder<'_>) -> ProtocolError {
        ProtocolError::WrongType {
            field: self.name(key),
            expected,
            found: type_name(d.datatype()),
        }
    }

    /// True when the map has `key` (with any value, even `null`).
    #[cfg(test)]
    pub(crate) fn has(&self, key: &str) -> bool {
        self.fields.iter().any(|(k, _, _)| *k == key)
    }

    /// `key` as text; `None` when absent or null.
    pub(crate) fn str(&self, key: &str) -> Result<Option<&'b str>, ProtocolError> {
        let Some((mut d, _)) = self.value(key) else {
            return Ok(None);
        };
        if d.datatype().ok() != Some(Type::String) {
            return Err(self.wrong(key, "text", &d));
        }
        d.str().map(Some).map_err(|e| malformed(&d, &e))
    }

    /// `key` as a byte string (optionally under tag 64); `None` when absent or null.
    pub(crate) fn bytes(&self, key: &str) -> Result<Option<&'b [u8]>, ProtocolError> {
        let Some((mut d, _)) = self.value(key) else {
            return Ok(None);
        };
        if d.datatype().ok() == Some(Type::Tag) {
            match d.tag() {
                Ok(t) if t == Tag::new(TAG_UINT8_ARRAY) => {}
                _ => return Err(self.wrong(key, "bytes", &d)),
            }
        }
        if d.datatype().ok() != Some(Type::Bytes) {
            return Err(self.wrong(key, "bytes", &d));
        }
        d.bytes().map(Some).map_err(|e| malformed(&d, &e))
    }

    /// `key` as a non-negative integer; integral float64 values up to 2^53 are
    /// accepted because cbor-x writes JS numbers above 2^32 as floats.
    pub(crate) fn uint(&self, key: &str) -> Result<Option<u64>, ProtocolError> {
        let Some((mut d, _)) = self.value(key) else {
            return Ok(None);
        };
        match d.datatype() {
            Ok(Type::U8 | Type::U16 | Type::U32 | Type::U64) => {
                d.u64().map(Some).map_err(|e| malformed(&d, &e))
            }
            Ok(Type::F16 | Type::F32 | Type::F64) => {
                let f = d.f64().map_err(|e| malformed(&d, &e))?;
                if f.fract() == 0.0 && (0.0..=MAX_SAFE_INTEGER).contains(&f) {
                    // exact: integral and below 2^53
                    Ok(Some(f as u64))
                } else {
                    Err(ProtocolError::InvalidField {
                        field: self.name(key),
                        reason: format!("{f} is not a non-negative whole number"),
                    })
                }
            }
            _ => Err(self.wrong(key, "a non-negative integer", &d)),
        }
    }

    /// `key` as a boolean; `None` when absent or null.
    pub(crate) fn bool(&self, key: &str) -> Result<Option<bool>, ProtocolError> {
        let Some((mut d, _)) = self.value(key) else {
            return Ok(None);
        };
        if d.datatype().ok() != Some(Type::Bool) {
            return Err(self.wrong(key, "a boolean", &d));
        }
        d.bool().map(Some).map_err(|e| malformed(&d, &e))
    }

    /// `key` as an array of text of at most `max_items` items.
    pub(crate) fn str_array(
        &self,
        key: &str,
        max_items: usize,
    ) -> Result<Option<Vec<&'b str>>, ProtocolError> {
        let Some((mut d, _)) = self.value(key) else {
            return Ok(None);
        };
        let len = match d.datatype() {
            Ok(Type::Array | Type::ArrayIndef) => d.array().map_err(|e| malformed(&d, &e))?,
            _ => return Err(self.wrong(key, "an array of text", &d)),
        };
        let mut items = Vec::new();
        loop {
            match len {
                Some(n) if items.len() as u64 == n => break,
                None if d.datatype().ok() == Some(Type::Break) => break,
                _ => {}
            }
            if items.len() == max_items {
                return Err(ProtocolError::InvalidField {
                    field: self.name(key),
                    reason: format!("more than {max_items} items"),
                });
            }
            if d.datatype().ok() != Some(Type::String) {
                return Err(ProtocolError::WrongType {
                    field: format!("{}[{}]", self.name(key), items.len()),
                    expected: "text",
                    found: type_name(d.datatype()),
                });
            }
            items.push(d.str().map_err(|e| malformed(&d, &e))?);
        }
        Ok(Some(items))
    }

    /// `key` as a nested map.
    pub(crate) fn map(&self, key: &str) -> Result<Option<MapFields<'b>>, ProtocolError> {
        let Some((d, end)) = self.value(key) else {
            return Ok(None);
        };
        if !matches!(d.datatype(), Ok(Type::Map | Type::MapIndef)) {
            return Err(self.wrong(key, "a map", &d));
        }
        let start = d.position();
        Self::parse_at(&self.input[start..end], format!("{}.", self.name(key))).map(Some)
    }

    /// The keys in wire order.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &'b str> + '_ {
        self.fields.iter().map(|(k, _, _)| *k)
    }
}

/// A CBOR writer producing shortest-form (preferred) headers.
#[derive(Debug, Default)]
pub(crate) struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    fn head(&mut self, major: u8, value: u64) {
        let m = major << 5;
        if value < 24 {
            self.buf.push(m | value as u8);
        } else if value <= u64::from(u8::MAX) {
            self.buf.extend_from_slice(&[m | 24, value as u8]);
        } else if value <= u64::from(u16::MAX) {
            self.buf.push(m | 25);
            self.buf.extend_from_slice(&(value as u16).to_be_bytes());
        } else if value <= u64::from(u32::MAX) {
            self.buf.push(m | 26);
            self.buf.extend_from_slice(&(value as u32).to_be_bytes());
        } else {
            self.buf.push(m | 27);
            self.buf.extend_from_slice(&value.to_be_bytes());
        }
    }

    pub(crate) fn uint(&mut self, value: u64) -> &mut Self {
        self.head(0, value);
        self
    }

    pub(crate) fn bytes(&mut self, value: &[u8]) -> &mut Self {
        self.head(2, value.len() as u64);
        self.buf.extend_from_slice(value);
        self
    }

    pub(crate) fn str(&mut self, value: &str) -> &mut Self {
        self.head(3, value.len() as u64);
        self.buf.extend_from_slice(value.as_bytes());
        self
    }

    pub(crate) fn array(&mut self, len: usize) -> &mut Self {
        self.head(4, len as u64);
        self
    }

    pub(crate) fn map(&mut self, len: usize) -> &mut Self {
        self.head(5, len as u64);
        self
    }

    pub(crate) fn bool(&mut self, value: bool) -> &mut Self {
        self.buf.push(if value { 0xf5 } else { 0xf4 });
        self
    }

    pub(crate) fn finish(self) -> Vec<u8> {
        self.buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = Writer::new();
        w.map(entries.len());
        let mut out = w.finish();
        for (k, v) in entries {
            let mut kw = Writer::new();
            kw.str(k);
            out.extend(kw.finish());
            out.extend_from_slice(v);
        }
        out
    }

    #[test]
    fn writer_uses_shortest_headers() {
        let mut w = Writer::new();
        w.uint(23).uint(24).uint(256).uint(70_000).uint(1 << 40);
        assert_eq!(
            w.finish(),
            [
                0x17, 0x18, 24, 0x19, 1, 0, 0x1a, 0, 1, 0x11, 0x70, 0x1b, 0, 0, 1, 0, 0, 0, 0, 0
            ]
        );
    }

    #[test]
    fn reads_fields_by_name_with_their_types() {
        let input = map_of(&[
            ("a", &[0x61, b'x']),
            ("b", &[0x42, 1, 2]),
            ("n", &[0x18, 200]),
            ("u", &[0xf7]),
        ]);
        let m = MapFields::parse(&input).expect("valid map");
        assert_eq!(m.str("a"), Ok(Some("x")));
        assert_eq!(m.bytes("b"), Ok(Some(&[1u8, 2][..])));
        assert_eq!(m.uint("n"), Ok(Some(200)));
        assert_eq!(m.str("u"), Ok(None), "undefined reads as absent");
        assert!(m.has("u"));
        assert_eq!(m.str("missing"), Ok(None));
        let err = m.bytes("a").unwrap_err();
        assert_eq!(
            err,
            ProtocolError::WrongType {
                field: "a".into(),
                expected: "bytes",
                found: "text".into()
            }
        );
    }

    #[test]
    fn cbor_x_map16_headers_and_float_integers_are_read() {
        // cbor-x (useRecords: false) always writes objects with a map16 header,
        // and numbers above 2^32 as float64.
        let mut input = vec![0xb9, 0x00, 0x01, 0x61, b't'];
        input.push(0xfb);
        input.extend_from_slice(&1_764_000_000_000f64.to_be_bytes());
        let m = MapFields::parse(&input).expect("valid map");
        assert_eq!(m.uint("t"), Ok(Some(1_764_000_000_000)));
        let half = [0xa1, 0x61, b'h', 0xfb, 0x3f, 0xe0, 0, 0, 0, 0, 0, 0];
        assert!(MapFields::parse(&half).expect("map").uint("h").is_err());
    }

    #[test]
    fn tagged_byte_strings_are_accepted() {
        let input = map_of(&[("d", &[0xd8, 64, 0x41, 9])]);
        let m = MapFields::parse(&input).expect("valid map");
        assert_eq!(m.bytes("d"), Ok(Some(&[9u8][..])));
    }

    #[test]
    fn indefinite_maps_and_arrays_are_read() {
        let input = [0xbf, 0x61, b'v', 0x9f, 0x61, b'1', 0xff, 0xff];
        let m = MapFields::parse(&input).expect("valid map");
        assert_eq!(m.str_array("v", 4), Ok(Some(vec!["1"])));
    }

    #[test]
    fn structural_errors_are_reported_not_panicked() {
        assert!(matches!(
            MapFields::parse(&[0x83, 1, 2, 3]),
            Err(ProtocolError::NotAMap { .. })
        ));
        assert!(matches!(
            MapFields::parse(&[0xa1, 0x01, 0x02]),
            Err(ProtocolError::NotAMap { .. })
        ));
        assert!(matches!(
            MapFields::parse(&[0xa2, 0x61, b'a']),
            Err(ProtocolError::MalformedCbor { .. })
        ));
        assert!(matches!(
            MapFields::parse(&[0xa0, 0x00]),
            Err(ProtocolError::TrailingBytes { count: 1 })
        ));
        assert!(matches!(
            MapFields::parse(&[]),
            Err(ProtocolError::MalformedCbor { .. })
        ));
        let dup = map_of(&[("a", &[1]), ("a", &[2])]);
        assert!(matches!(
            MapFields::parse(&dup),
            Err(ProtocolError::DuplicateField { .. })
        ));
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        let mut input = vec![0xa1, 0x61, b'x'];
        input.extend(std::iter::repeat_n(0x81, 1_000_000));
        input.push(0x00);
        let m = MapFields::parse(&input).expect("deep but valid");
        assert!(m.str("x").is_err());
        // and the same without the innermost item: an error, not a crash
        let truncated = &input[..input.len() - 1];
        assert!(MapFields::parse(truncated).is_err());
    }

    #[test]
    fn huge_claimed_lengths_fail_cleanly() {
        // an array claiming 2^63 items, then nothing
        let input = [0xa1, 0x61, b'v', 0x9b, 0x80, 0, 0, 0, 0, 0, 0, 0];
        assert!(MapFields::parse(&input).is_err());
        // a byte string claiming 4 GiB
        let input = [0xa1, 0x61, b'd', 0x5a, 0xff, 0xff, 0xff, 0xff, 1];
        assert!(MapFields::parse(&input).is_err());
    }

    #[test]
    fn array_item_limit_and_item_types_are_enforced() {
        let input = map_of(&[("v", &[0x83, 0x61, b'a', 0x61, b'b', 0x01])]);
        let m = MapFields::parse(&input).expect("map");
        assert!(matches!(
            m.str_array("v", 2),
            Err(ProtocolError::InvalidField { .. })
        ));
        assert_eq!(
            m.str_array("v", 5).unwrap_err(),
            ProtocolError::WrongType {
                field: "v[2]".into(),
                expected: "text",
                found: "unsigned integer".into()
            }
        );
    }
}
