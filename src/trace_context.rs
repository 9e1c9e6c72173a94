//! W3C Trace Context (https://www.w3.org/TR/trace-context/): the
//! `traceparent` and `tracestate` headers.
//!
//! Input is untrusted: parsers never panic, never allocate more than the
//! bounded input, and answer `None` for anything malformed (the caller then
//! starts a new trace instead of echoing bad data). `lib/request/ids.js`
//! has a JS twin of these parsers; a differential test keeps them equal, so
//! any rule changed here must change there too.
//!
//! Whitespace rule (both headers): optional whitespace around the field
//! value (RFC 9110 OWS = SP / HTAB) is stripped; no other whitespace is.
//! CR, LF, other controls and non-ASCII characters make a header invalid.

use crate::ids::{from_hex, to_hex};

/// Longest `traceparent` input we look at. Version 00 is exactly 55 chars;
/// later versions may append fields, but nothing legitimate comes close.
pub const TRACEPARENT_MAX_INPUT: usize = 512;
/// Exact length of a version-00 `traceparent`.
pub const TRACEPARENT_V00_LEN: usize = 55;

/// Longest raw `tracestate` input we look at (it is dropped unread above
/// this, whatever it contains).
pub const TRACESTATE_MAX_INPUT: usize = 4096;
/// At most 32 list-members (§3.3.1.1).
pub const TRACESTATE_MAX_MEMBERS: usize = 32;
/// Members joined by `,`, without optional whitespace, may be at most 512
/// characters: the size the spec asks vendors to propagate (§3.3.1.5).
pub const TRACESTATE_MAX_LEN: usize = 512;

/// Trace flag bit 0: the caller may have recorded the trace.
pub const FLAG_SAMPLED: u8 = 0x01;

/// A parsed `traceparent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Traceparent {
  pub version: u8,
  pub trace_id: [u8; 16],
  pub parent_id: [u8; 8],
  pub flags: u8,
}

impl Traceparent {
  pub fn sampled(self) -> bool {
    self.flags & FLAG_SAMPLED != 0
  }

  /// Formats as `vv-trace-parent-ff` with this value's own version.
  pub fn to_header(self) -> String {
    format!(
      "{}-{}-{}-{}",
      to_hex(&[self.version]),
      to_hex(&self.trace_id),
      to_hex(&self.parent_id),
      to_hex(&[self.flags])
    )
  }
}

fn is_ows(c: u8) -> bool {
  c == b' ' || c == b'\t'
}

fn trim_ows(s: &str) -> &str {
  s.trim_matches(|c: char| c == ' ' || c == '\t')
}

/// Parses a `traceparent` header value (§3.2).
///
/// - every field is lowercase hex; version `ff` is invalid;
/// - an all-zero trace-id or parent-id is invalid;
/// - version 00 is exactly 55 characters;
/// - a later version may carry more fields: the first four are parsed, and
///   the rest must start with `-` and be visible ASCII (0x21-0x7E), which
///   is then ignored.
pub fn parse_traceparent(header: &str) -> Option<Traceparent> {
  // Bound first: nothing below scans more than TRACEPARENT_MAX_INPUT bytes.
  if header.len() > TRACEPARENT_MAX_INPUT {
    return None;
  }
  let b = header.as_bytes();
  let start = b.iter().position(|&c| !is_ows(c)).unwrap_or(b.len());
  let end = b.iter().rposition(|&c| !is_ows(c)).map_or(start, |i| i + 1);
  let b = &b[start..end];
  if b.len() < TRACEPARENT_V00_LEN || b[2] != b'-' || b[35] != b'-' || b[52] != b'-' {
    return None;
  }
  let [version] = from_hex::<1>(&b[0..2])?;
  let trace_id = from_hex::<16>(&b[3..35])?;
  let parent_id = from_hex::<8>(&b[36..52])?;
  let [flags] = from_hex::<1>(&b[53..55])?;
  if version == 0xff {
    return None;
  }
  if version == 0 {
    if b.len() != TRACEPARENT_V00_LEN {
      return None;
    }
  } else if b.len() > TRACEPARENT_V00_LEN {
    let rest = &b[TRACEPARENT_V00_LEN..];
    if rest[0] != b'-' || !rest.iter().all(|&c| (0x21..=0x7e).contains(&c)) {
      return None;
    }
  }
  if trace_id == [0; 16] || parent_id == [0; 8] {
    return None;
  }
  Some(Traceparent { version, trace_id, parent_id, flags })
}

/// A version-00 `traceparent` for our own outgoing span. We always send
/// the version we implement, even when a later one came in (§3.2.4).
pub fn format_traceparent(trace_id: &[u8; 16], span_id: &[u8; 8], flags: u8) -> Option<String> {
  if *trace_id == [0; 16] || *span_id == [0; 8] {
    return None;
  }
  Some(Traceparent { version: 0, trace_id: *trace_id, parent_id: *span_id, flags }.to_header())
}

// ---------------------------------------------------------------------------
// tracestate (§3.3)
//
// Rules chosen where the spec leaves a choice:
// - empty / whitespace-only list members are allowed and skipped, so an
//   empty header is valid and yields no entries;
// - any invalid member, a duplicate key, more than 32 members or more than
//   512 characters (members joined by ',' without OWS) drops the whole
//   header: we never repair or truncate someone else's state.

/// keychar = lcalpha / DIGIT / "_" / "-" / "*" / "/"
fn is_key_char(c: u8) -> bool {
  c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'_' | b'-' | b'*' | b'/')
}

/// key = simple-key / multi-tenant-key
/// simple-key = lcalpha 0*255(keychar)
/// multi-tenant-key = tenant-id "@" system-id
/// tenant-id = (lcalpha / DIGIT) 0*240(keychar); system-id = lcalpha 0*13(keychar)
pub fn is_valid_key(key: &str) -> bool {
  let k = key.as_bytes();
  if k.is_empty() || k.len() > 256 {
    return false;
  }
  match key.split_once('@') {
    None => k[0].is_ascii_lowercase() && k.iter().all(|&c| is_key_char(c)),
    Some((tenant, system)) => {
      let (t, s) = (tenant.as_bytes(), system.as_bytes());
      (1..=241).contains(&t.len())
        && (1..=14).contains(&s.len())
        && (t[0].is_ascii_lowercase() || t[0].is_ascii_digit())
        && s[0].is_ascii_lowercase()
        && t.iter().all(|&c| is_key_char(c))
        && s.iter().all(|&c| is_key_char(c))
    }
  }
}

/// value = 0*255(chr) nblk-chr; chr = %x20 / nblk-chr;
/// nblk-chr = %x21-2B / %x2D-3C / %x3E-7E (printable ASCII but ',' and '=')
pub fn is_valid_value(value: &str) -> bool {
  let v = value.as_bytes();
  !v.is_empty()
    && v.len() <= 256
    && v.iter().all(|&c| (0x20..=0x7e).contains(&c) && c != b',' && c != b'=')
    && v[v.len() - 1] != b' '
}

/// Parses a `tracestate` header value into its `(key, value)` members, in
/// order, borrowing from the input. `None` means drop the whole header.
pub fn parse_tracestate(header: &str) -> Option<Vec<(&str, &str)>> {
  if header.len() > TRACESTATE_MAX_INPUT {
    return None;
  }
  let mut entries: Vec<(&str, &str)> = Vec::new();
  let mut size = 0usize;
  for member in header.split(',') {
    let member = trim_ows(member);
    if member.is_empty() {
      continue;
    }
    let (key, value) = member.split_once('=')?;
    if !is_valid_key(key) || !is_valid_value(value) {
      return None;
    }
    if entries.len() == TRACESTATE_MAX_MEMBERS || entries.iter().any(|&(k, _)| k == key) {
      return None;
    }
    size += usize::from(!entries.is_empty()) + member.len();
    if size > TRACESTATE_MAX_LEN {
      return None;
    }
    entries.push((key, value));
  }
  Some(entries)
}

/// Why a `tracestate` could not be formatted (index of the bad entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TracestateFormatError {
  TooManyMembers,
  InvalidKey(usize),
  InvalidValue(usize),
  DuplicateKey(usize),
  TooLong,
}

impl std::fmt::Display for TracestateFormatError {
  fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    match self {
      Self::TooManyMembers => write!(f, "tracestate must have at most {TRACESTATE_MAX_MEMBERS} members"),
      Self::InvalidKey(i) => write!(f, "entries[{i}] has an invalid tracestate key"),
      Self::InvalidValue(i) => write!(f, "entries[{i}] has an invalid tracestate value"),
      Self::DuplicateKey(i) => write!(f, "entries[{i}] repeats a tracestate key"),
      Self::TooLong => write!(f, "tracestate must format to at most {TRACESTATE_MAX_LEN} characters"),
    }
  }
}

/// Formats members as `k1=v1,k2=v2`, refusing anything `parse_tracestate`
/// would reject, so we never send a header other vendors must drop.
pub fn format_tracestate<K: AsRef<str>, V: AsRef<str>>(entries: &[(K, V)]) -> Result<String, TracestateFormatError> {
  if entries.len() > TRACESTATE_MAX_MEMBERS {
    return Err(TracestateFormatError::TooManyMembers);
  }
  let mut out = String::new();
  for (i, (key, value)) in entries.iter().enumerate() {
    let (key, value) = (key.as_ref(), value.as_ref());
    if !is_valid_key(key) {
      return Err(TracestateFormatError::InvalidKey(i));
    }
    if !is_valid_value(value) {
      return Err(TracestateFormatError::InvalidValue(i));
    }
    if entries[..i].iter().any(|(k, _)| k.as_ref() == key) {
      return Err(TracestateFormatError::DuplicateKey(i));
    }
    if i > 0 {
      out.push(',');
    }
    out.push_str(key);
    out.push('=');
    out.push_str(value);
  }
  if out.len() > TRACESTATE_MAX_LEN {
    return Err(TracestateFormatError::TooLong);
  }
  Ok(out)
}

#[cfg(test)]
mod tests {
  use super::*;
  use proptest::prelude::*;

  const SPEC: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  #[test]
  fn parses_the_spec_example() {
    let tp = parse_traceparent(SPEC).unwrap();
    assert_eq!(tp.version, 0);
    assert_eq!(to_hex(&tp.trace_id), "4bf92f3577b34da6a3ce929d0e0e4736");
    assert_eq!(to_hex(&tp.parent_id), "00f067aa0ba902b7");
    assert_eq!(tp.flags, 1);
    assert!(tp.sampled());
    assert_eq!(tp.to_header(), SPEC);
    let unsampled = parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00").unwrap();
    assert!(!unsampled.sampled());
  }

  #[test]
  fn rejects_malformed_traceparents() {
    let bad = [
      "",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0",         // short
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-",       // v00 + extra
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",  // v00 + extra
      "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",        // uppercase
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01",
      "0A-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",        // version ff
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01",        // zero trace
      "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",        // zero parent
      "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7_01",
      "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g",
      "0-04bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\nx: y",  // injection
      "\n00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\u{a0}",
      "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",       // future: no '-'
      "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-a b",    // future: space
      "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-\u{e9}", // future: non-ASCII
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\u{e9}",
      "\u{e9}0-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    ];
    for input in bad {
      assert_eq!(parse_traceparent(input), None, "{input:?}");
    }
  }

  #[test]
  fn strips_only_ows_around_the_value() {
    assert!(parse_traceparent(&format!(" \t{SPEC}\t ")).is_some());
    assert!(parse_traceparent(&format!("{SPEC}\r")).is_none());
    assert!(parse_traceparent(&format!("\x0b{SPEC}")).is_none());
  }

  #[test]
  fn future_versions_keep_the_first_four_fields() {
    let tp = parse_traceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-09-what-the-future-holds").unwrap();
    assert_eq!(tp.version, 0xcc);
    assert_eq!(tp.flags, 0x09);
    assert!(tp.sampled());
    assert_eq!(parse_traceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").unwrap().version, 1);
    assert!(parse_traceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-").is_some());
  }

  #[test]
  fn bounds_the_input() {
    let long = format!("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-{}", "a".repeat(TRACEPARENT_MAX_INPUT));
    assert!(parse_traceparent(&long).is_none());
    let fits = &long[..TRACEPARENT_MAX_INPUT];
    assert!(parse_traceparent(fits).is_some());
  }

  #[test]
  fn formats_version_00() {
    let tid = from_hex::<16>(b"4bf92f3577b34da6a3ce929d0e0e4736").unwrap();
    let sid = from_hex::<8>(b"00f067aa0ba902b7").unwrap();
    assert_eq!(format_traceparent(&tid, &sid, 1).unwrap(), SPEC);
    assert_eq!(format_traceparent(&[0; 16], &sid, 1), None);
    assert_eq!(format_traceparent(&tid, &[0; 8], 1), None);
  }

  #[test]
  fn parses_tracestate_spec_examples() {
    assert_eq!(
      parse_tracestate("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE").unwrap(),
      vec![("rojo", "00f067aa0ba902b7"), ("congo", "t61rcWkgMzE")]
    );
    assert_eq!(
      parse_tracestate(" congo=ucfJifl5GOE , rojo=00f067aa0ba902b7 ,,\t").unwrap(),
      vec![("congo", "ucfJifl5GOE"), ("rojo", "00f067aa0ba902b7")]
    );
    assert_eq!(parse_tracestate("fw529a3039@dt=aGVsbG8").unwrap(), vec![("fw529a3039@dt", "aGVsbG8")]);
    assert_eq!(parse_tracestate("a= x y").unwrap(), vec![("a", " x y")]);
    assert_eq!(parse_tracestate("").unwrap(), vec![]);
    assert_eq!(parse_tracestate(" , ,").unwrap(), vec![]);
  }

  #[test]
  fn rejects_bad_tracestates() {
    let bad = [
      "a",
      "=b",
      "a=",
      "A=b",
      "1a=b",
      "a=b=c",
      "a=b,a=c",          // duplicate key
      "a=b\r\nx=y",       // CR/LF
      "a=b\u{e9}",        // non-ASCII
      "a b=c",
      "a=\tb",            // tab inside the value
      "@b=c",
      "a@=c",
      "a@1b=c",           // system-id starts with a digit
      "a@b@c=d",
      "-a@b=c",
      "a@bbbbbbbbbbbbbbb=c", // system-id 15 chars
    ];
    for input in bad {
      assert_eq!(parse_tracestate(input), None, "{input:?}");
    }
    assert!(parse_tracestate("a@bbbbbbbbbbbbbb=c").is_some()); // system-id 14 chars
    assert!(parse_tracestate("0a@b=c").is_some()); // tenant may start with a digit
  }

  #[test]
  fn enforces_member_and_length_limits() {
    let members = |n: usize| (0..n).map(|i| format!("k{i}=v")).collect::<Vec<_>>().join(",");
    assert_eq!(parse_tracestate(&members(32)).unwrap().len(), 32);
    assert_eq!(parse_tracestate(&members(33)), None);
    // 512 characters exactly (without OWS) is accepted, 513 is not.
    let at_limit = format!("a={},b={}", "x".repeat(254), "y".repeat(253));
    assert_eq!(at_limit.len(), 512);
    assert!(parse_tracestate(&at_limit).is_some());
    assert!(parse_tracestate(&format!("a={},b={}", "x".repeat(254), "y".repeat(254))).is_none());
    // Optional whitespace does not count toward the 512.
    assert!(parse_tracestate(&format!("a={} ,   b={}", "x".repeat(254), "y".repeat(253))).is_some());
    assert!(parse_tracestate(&" ".repeat(TRACESTATE_MAX_INPUT + 1)).is_none());
    assert!(parse_tracestate(&format!("a={}", "x".repeat(257))).is_none());
  }

  #[test]
  fn formats_tracestate_and_refuses_invalid_entries() {
    assert_eq!(format_tracestate(&[("rojo", "1"), ("congo", "2")]).unwrap(), "rojo=1,congo=2");
    assert_eq!(format_tracestate::<&str, &str>(&[]).unwrap(), "");
    assert_eq!(format_tracestate(&[("A", "1")]), Err(TracestateFormatError::InvalidKey(0)));
    assert_eq!(format_tracestate(&[("a", "1"), ("b", "x,y")]), Err(TracestateFormatError::InvalidValue(1)));
    assert_eq!(format_tracestate(&[("a", "1"), ("a", "2")]), Err(TracestateFormatError::DuplicateKey(1)));
    let many: Vec<(String, String)> = (0..33).map(|i| (format!("k{i}"), "v".to_owned())).collect();
    assert_eq!(format_tracestate(&many), Err(TracestateFormatError::TooManyMembers));
    let long = [("a", "x".repeat(256)), ("b", "y".repeat(256))];
    assert_eq!(format_tracestate(&long), Err(TracestateFormatError::TooLong));
  }

  // ---- property tests

  fn lc_hex(n: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(b"0123456789abcdef".to_vec()), n)
      .prop_map(|v| String::from_utf8(v).unwrap())
  }

  fn valid_traceparent() -> impl Strategy<Value = String> {
    (lc_hex(32), lc_hex(16), any::<u8>())
      .prop_filter("non-zero ids", |(t, p, _)| t.bytes().any(|c| c != b'0') && p.bytes().any(|c| c != b'0'))
      .prop_map(|(t, p, f)| format!("00-{t}-{p}-{f:02x}"))
  }

  fn key_char() -> impl Strategy<Value = char> {
    proptest::sample::select(b"abcdefghijklmnopqrstuvwxyz0123456789_-*/".iter().map(|&b| b as char).collect::<Vec<_>>())
  }

  fn lcalpha() -> impl Strategy<Value = char> {
    (b'a'..=b'z').prop_map(|b| b as char)
  }

  fn valid_key() -> impl Strategy<Value = String> {
    let simple = (lcalpha(), proptest::collection::vec(key_char(), 0..20))
      .prop_map(|(c, rest)| std::iter::once(c).chain(rest).collect::<String>());
    let tenant = (
      prop_oneof![lcalpha(), (b'0'..=b'9').prop_map(|b| b as char)],
      proptest::collection::vec(key_char(), 0..10),
      lcalpha(),
      proptest::collection::vec(key_char(), 0..13),
    )
      .prop_map(|(t0, t, s0, s)| {
        let tenant: String = std::iter::once(t0).chain(t).collect();
        let system: String = std::iter::once(s0).chain(s).collect();
        format!("{tenant}@{system}")
      });
    prop_oneof![simple, tenant]
  }

  fn valid_value() -> impl Strategy<Value = String> {
    let chr = (0x20u8..=0x7e).prop_filter("no , =", |&c| c != b',' && c != b'=').prop_map(|c| c as char);
    let nblk = (0x21u8..=0x7e).prop_filter("no , =", |&c| c != b',' && c != b'=').prop_map(|c| c as char);
    (proptest::collection::vec(chr, 0..20), nblk).prop_map(|(v, last)| v.into_iter().chain(std::iter::once(last)).collect())
  }

  fn valid_tracestate() -> impl Strategy<Value = Vec<(String, String)>> {
    proptest::collection::vec((valid_key(), valid_value()), 0..8).prop_map(|entries| {
      let mut seen = std::collections::HashSet::new();
      entries.into_iter().filter(|(k, _)| seen.insert(k.clone())).collect()
    })
  }

  proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..700)) {
      let s = String::from_utf8_lossy(&bytes);
      let _ = parse_traceparent(&s);
      let _ = parse_tracestate(&s);
    }

    #[test]
    fn random_ascii_never_panics(s in "[ -~\t\r\n]{0,80}") {
      let _ = parse_traceparent(&s);
      let _ = parse_tracestate(&s);
    }

    #[test]
    fn near_valid_traceparents_never_panic(tp in valid_traceparent(), pos in 0usize..55, byte in any::<u8>()) {
      let mut b = tp.into_bytes();
      b[pos] = byte;
      let s = String::from_utf8_lossy(&b);
      let _ = parse_traceparent(&s);
    }

    #[test]
    fn valid_traceparents_round_trip(tp in valid_traceparent()) {
      let parsed = parse_traceparent(&tp).unwrap();
      prop_assert_eq!(parsed.to_header(), tp.clone());
      prop_assert_eq!(
        format_traceparent(&parsed.trace_id, &parsed.parent_id, parsed.flags).unwrap(), tp
      );
    }

    #[test]
    fn future_versions_parse_their_first_four_fields(
      tp in valid_traceparent(), version in 1u8..=0xfe, tail in "(-[!-~]{0,20})?"
    ) {
      let header = format!("{:02x}{}{}", version, &tp[2..], tail);
      let parsed = parse_traceparent(&header).unwrap();
      prop_assert_eq!(parsed.version, version);
      prop_assert_eq!(&parsed.to_header()[2..], &tp[2..]);
    }

    #[test]
    fn generated_ids_always_parse(flags in any::<u8>()) {
      let header = format_traceparent(&crate::ids::trace_id(), &crate::ids::span_id(), flags).unwrap();
      let parsed = parse_traceparent(&header).unwrap();
      prop_assert_eq!(parsed.flags, flags);
    }

    #[test]
    fn valid_tracestates_round_trip(entries in valid_tracestate(), ows in "[ \t]{0,2}") {
      let formatted = format_tracestate(&entries).unwrap();
      let parsed = parse_tracestate(&formatted).unwrap();
      let owned: Vec<(String, String)> = parsed.iter().map(|&(k, v)| (k.to_owned(), v.to_owned())).collect();
      prop_assert_eq!(&owned, &entries);
      // The same members with optional whitespace around them parse the same.
      let spaced = entries.iter().map(|(k, v)| format!("{ows}{k}={v}{ows}")).collect::<Vec<_>>().join(",");
      prop_assert_eq!(parse_tracestate(&spaced).unwrap(), parsed);
    }
  }
}
