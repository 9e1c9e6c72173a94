//! Random identifiers: request ids (UUID v7 / v4) and W3C trace / span ids.
//!
//! Plain Rust, no napi: the JS surface lives in `napi_ids.rs`.

use rand::Rng;
use uuid::Uuid;

/// Which UUID version a generated request id uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestIdKind {
  /// Time-ordered (RFC 9562 §5.7): sorts by creation time, good for logs
  /// and database keys. The default.
  V7,
  /// Fully random (RFC 9562 §5.4).
  V4,
}

impl RequestIdKind {
  pub fn from_name(name: &str) -> Option<Self> {
    match name {
      "v7" => Some(Self::V7),
      "v4" => Some(Self::V4),
      _ => None,
    }
  }
}

/// A new request id, hyphenated lowercase (36 chars).
///
/// `Uuid::now_v7` keeps ids from one process monotonic (it carries a
/// counter within the same millisecond), so v7 ids sort in creation order.
pub fn request_id(kind: RequestIdKind) -> String {
  let id = match kind {
    RequestIdKind::V7 => Uuid::now_v7(),
    RequestIdKind::V4 => Uuid::new_v4(),
  };
  let mut buf = [0u8; uuid::fmt::Hyphenated::LENGTH];
  id.hyphenated().encode_lower(&mut buf).to_owned()
}

/// A 16-byte W3C trace id; never all zeros (an all-zero id is invalid).
pub fn trace_id() -> [u8; 16] {
  random_non_zero()
}

/// An 8-byte W3C span (parent) id; never all zeros.
pub fn span_id() -> [u8; 8] {
  random_non_zero()
}

fn random_non_zero<const N: usize>() -> [u8; N] {
  let mut rng = rand::rng();
  let mut bytes = [0u8; N];
  loop {
    rng.fill_bytes(&mut bytes);
    // Probability 2^-64 (span) / 2^-128 (trace), but the spec forbids it.
    if bytes.iter().any(|&b| b != 0) {
      return bytes;
    }
  }
}

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Lowercase hex of `bytes`.
pub fn to_hex(bytes: &[u8]) -> String {
  let mut out = String::with_capacity(bytes.len() * 2);
  for &b in bytes {
    out.push(HEX_DIGITS[(b >> 4) as usize] as char);
    out.push(HEX_DIGITS[(b & 0x0f) as usize] as char);
  }
  out
}

/// Value of one lowercase hex digit. Uppercase is rejected on purpose:
/// W3C Trace Context only allows lowercase (`HEXDIGLC`).
fn hex_digit(c: u8) -> Option<u8> {
  match c {
    b'0'..=b'9' => Some(c - b'0'),
    b'a'..=b'f' => Some(c - b'a' + 10),
    _ => None,
  }
}

/// Decodes exactly `2 * N` lowercase hex digits.
pub fn from_hex<const N: usize>(hex: &[u8]) -> Option<[u8; N]> {
  if hex.len() != 2 * N {
    return None;
  }
  let mut out = [0u8; N];
  for (i, pair) in hex.chunks_exact(2).enumerate() {
    out[i] = (hex_digit(pair[0])? << 4) | hex_digit(pair[1])?;
  }
  Some(out)
}

#[cfg(test)]
mod tests {
  use super::*;
  use proptest::prelude::*;

  #[test]
  fn request_ids_are_rfc9562_uuids_of_the_asked_version() {
    for (kind, version) in [(RequestIdKind::V7, 7), (RequestIdKind::V4, 4)] {
      let id = request_id(kind);
      assert_eq!(id.len(), 36);
      assert_eq!(id, id.to_ascii_lowercase());
      let parsed = Uuid::parse_str(&id).unwrap();
      assert_eq!(parsed.get_version_num(), version);
      assert_eq!(parsed.get_variant(), uuid::Variant::RFC4122);
    }
  }

  #[test]
  fn v7_ids_sort_in_creation_order() {
    let ids: Vec<String> = (0..10_000).map(|_| request_id(RequestIdKind::V7)).collect();
    for pair in ids.windows(2) {
      assert!(pair[0] < pair[1], "{} !< {}", pair[0], pair[1]);
    }
  }

  #[test]
  fn kind_names() {
    assert_eq!(RequestIdKind::from_name("v7"), Some(RequestIdKind::V7));
    assert_eq!(RequestIdKind::from_name("v4"), Some(RequestIdKind::V4));
    assert_eq!(RequestIdKind::from_name("V7"), None);
    assert_eq!(RequestIdKind::from_name(""), None);
  }

  #[test]
  fn trace_and_span_ids_are_random_and_non_zero() {
    let a = trace_id();
    let b = trace_id();
    assert_ne!(a, [0; 16]);
    assert_ne!(a, b);
    assert_ne!(span_id(), [0; 8]);
    assert_ne!(span_id(), span_id());
  }

  #[test]
  fn hex_round_trip_and_rejects_uppercase() {
    assert_eq!(to_hex(&[0x00, 0xab, 0xff]), "00abff");
    assert_eq!(from_hex::<3>(b"00abff"), Some([0x00, 0xab, 0xff]));
    assert_eq!(from_hex::<3>(b"00ABFF"), None);
    assert_eq!(from_hex::<3>(b"00abf"), None);
    assert_eq!(from_hex::<1>(b"g0"), None);
  }

  proptest! {
    #[test]
    fn hex_round_trips(bytes in proptest::array::uniform16(any::<u8>())) {
      prop_assert_eq!(from_hex::<16>(to_hex(&bytes).as_bytes()), Some(bytes));
    }

    #[test]
    fn from_hex_never_panics(input in proptest::collection::vec(any::<u8>(), 0..40)) {
      let _ = from_hex::<8>(&input);
      let _ = from_hex::<16>(&input);
    }
  }
}
