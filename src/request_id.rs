//! Validation of an incoming request id (`X-Request-Id` and friends).
//!
//! The header is attacker-controlled and ends up in logs and responses, so
//! it is accepted only if it is short and made of a safe ASCII allowlist;
//! otherwise the caller generates a fresh id. The length is checked before
//! any scan, and nothing is allocated here.

/// Default maximum length of an accepted request id.
pub const DEFAULT_MAX_LEN: usize = 128;
/// Default allowlist: `[A-Za-z0-9._:-]` (no spaces, quotes, CR/LF, `%`).
pub const DEFAULT_ALLOWED: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-";

/// What makes a request id acceptable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestIdPolicy {
  max_len: usize,
  /// Bit `c` set = ASCII byte `c` allowed.
  allowed: u128,
}

/// Why a policy could not be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyError {
  /// `max_len` was 0.
  ZeroMaxLen,
  /// The allowlist was empty.
  EmptyAllowlist,
  /// The allowlist had a non-ASCII or control character (those are never
  /// safe to echo into a header or a log line).
  UnsafeAllowedChar,
}

impl std::fmt::Display for PolicyError {
  fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    f.write_str(match self {
      Self::ZeroMaxLen => "maxLength must be at least 1",
      Self::EmptyAllowlist => "allowedChars must not be empty",
      Self::UnsafeAllowedChar => "allowedChars may only contain printable ASCII characters (0x21-0x7E)",
    })
  }
}

impl Default for RequestIdPolicy {
  fn default() -> Self {
    Self::new(DEFAULT_MAX_LEN, DEFAULT_ALLOWED).expect("default policy is valid")
  }
}

impl RequestIdPolicy {
  /// `allowed_chars` lists every accepted character; only printable ASCII
  /// without space (0x21-0x7E) may be listed.
  pub fn new(max_len: usize, allowed_chars: &str) -> Result<Self, PolicyError> {
    if max_len == 0 {
      return Err(PolicyError::ZeroMaxLen);
    }
    if allowed_chars.is_empty() {
      return Err(PolicyError::EmptyAllowlist);
    }
    let mut allowed = 0u128;
    for c in allowed_chars.bytes() {
      if !(0x21..=0x7e).contains(&c) {
        return Err(PolicyError::UnsafeAllowedChar);
      }
      allowed |= 1u128 << c;
    }
    Ok(Self { max_len, allowed })
  }

  pub fn max_len(&self) -> usize {
    self.max_len
  }

  /// True if `value` is a non-empty id of at most `max_len` bytes, all in
  /// the allowlist. Allowed characters are ASCII, so bytes = characters
  /// for every accepted value.
  pub fn accepts(&self, value: &str) -> bool {
    let b = value.as_bytes();
    !b.is_empty() && b.len() <= self.max_len && b.iter().all(|&c| c < 128 && self.allowed & (1u128 << c) != 0)
  }
}

#[cfg(test)]
mod tests {
  use super::*;
  use proptest::prelude::*;

  #[test]
  fn default_policy_accepts_common_ids() {
    let p = RequestIdPolicy::default();
    for ok in ["abc", "0190d3a4-7b7c-7cc2-9a56-3a4a2b1c0d9e", "req_1.2:3-x", "A"] {
      assert!(p.accepts(ok), "{ok:?}");
    }
  }

  #[test]
  fn default_policy_rejects_unsafe_ids() {
    let p = RequestIdPolicy::default();
    for bad in ["", "a b", "a\r\nSet-Cookie: x", "a\n", "\u{e9}", "a/b", "<script>", "a%0d", "a\"b", "a,b", "\0"] {
      assert!(!p.accepts(bad), "{bad:?}");
    }
    assert!(p.accepts(&"a".repeat(128)));
    assert!(!p.accepts(&"a".repeat(129)));
  }

  #[test]
  fn custom_policy() {
    let p = RequestIdPolicy::new(4, "0123456789").unwrap();
    assert!(p.accepts("1234"));
    assert!(!p.accepts("12345"));
    assert!(!p.accepts("12a"));
    assert_eq!(p.max_len(), 4);
    assert_eq!(RequestIdPolicy::new(0, "a"), Err(PolicyError::ZeroMaxLen));
    assert_eq!(RequestIdPolicy::new(1, ""), Err(PolicyError::EmptyAllowlist));
    assert_eq!(RequestIdPolicy::new(1, "a b"), Err(PolicyError::UnsafeAllowedChar));
    assert_eq!(RequestIdPolicy::new(1, "a\u{e9}"), Err(PolicyError::UnsafeAllowedChar));
    assert_eq!(RequestIdPolicy::new(1, "\x7f"), Err(PolicyError::UnsafeAllowedChar));
  }

  proptest! {
    #[test]
    fn never_panics_and_accepted_ids_are_safe(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
      let s = String::from_utf8_lossy(&bytes);
      let p = RequestIdPolicy::default();
      if p.accepts(&s) {
        prop_assert!(s.len() <= DEFAULT_MAX_LEN);
        prop_assert!(s.bytes().all(|c| c.is_ascii_alphanumeric() || b"._:-".contains(&c)));
      }
    }

    #[test]
    fn allowlisted_ids_up_to_the_bound_are_accepted(id in "[A-Za-z0-9._:-]{1,128}") {
      prop_assert!(RequestIdPolicy::default().accepts(&id));
    }

    #[test]
    fn generated_request_ids_pass_the_default_policy(v7 in any::<bool>()) {
      let kind = if v7 { crate::ids::RequestIdKind::V7 } else { crate::ids::RequestIdKind::V4 };
      let id = crate::ids::request_id(kind);
      prop_assert!(RequestIdPolicy::default().accepts(&id));
    }
  }
}
