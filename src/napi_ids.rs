//! JavaScript surface of `ids`, `trace_context` and `request_id`.
//!
//! Thin on purpose: argument checking and conversion only; every rule lives
//! in the plain Rust modules. Header parsers take any JS value and answer
//! `null` for anything but a well-formed string (Node hands over `string`,
//! `string[]` or `undefined`). Strings are length-checked in UTF-16 units
//! (O(1) in V8) before they are copied out, so an oversized header is never
//! copied. Bad option types throw Node-style errors through `error.rs`.

// Under `cargo test` napi-derive compiles out the registration that
// references these functions, so they look unused there.
#![cfg_attr(test, allow(dead_code))]

use napi::bindgen_prelude::{Array, Either, Latin1String, Unknown};
use napi::{Env, JsString, JsStringUtf8, ValueType};
use napi_derive::napi;

use crate::error::{catch_panic, Error, ErrorCode};
use crate::ids::{self, from_hex, to_hex, RequestIdKind};
use crate::request_id::{RequestIdPolicy, DEFAULT_MAX_LEN};
use crate::trace_context::{self, TRACEPARENT_MAX_INPUT, TRACESTATE_MAX_INPUT, TRACESTATE_MAX_MEMBERS};

type StringOr<'a> = Either<JsString<'a>, Unknown<'a>>;

/// The string as UTF-8 if it has at most `max_units` UTF-16 code units;
/// longer strings are left inside V8. UTF-8 is at most 3 bytes per unit,
/// so the copy is bounded by `3 * max_units`.
fn read_bounded<'a>(s: JsString<'a>, max_units: usize) -> napi::Result<Option<JsStringUtf8<'a>>> {
  if s.utf16_len()? > max_units {
    return Ok(None);
  }
  Ok(Some(s.into_utf8()?))
}

fn is_undefined(value: &Unknown<'_>) -> napi::Result<bool> {
  Ok(value.get_type()? == ValueType::Undefined)
}

fn type_error(name: &str, expected: &str) -> Error {
  Error::new(ErrorCode::InvalidArgType, format!("The \"{name}\" argument must be {expected}"))
}

fn value_error(name: &str, reason: &str) -> Error {
  Error::new(ErrorCode::InvalidArgValue, format!("The argument '{name}' {reason}"))
}

/// Runs `f` with panics caught, throwing any error into JS.
fn run<T>(env: &Env, f: impl FnOnce() -> Result<T, Error> + std::panic::UnwindSafe) -> napi::Result<T> {
  catch_panic(f).map_err(|err| err.throw(env))
}

// ---------------------------------------------------------------------------
// Generation

/// A new request id: UUID v7 (default) or v4, hyphenated lowercase.
#[napi]
pub fn generate_request_id(env: Env, kind: StringOr<'_>) -> napi::Result<Latin1String> {
  let kind = match kind {
    Either::B(other) if is_undefined(&other)? => RequestIdKind::V7,
    Either::B(_) => return Err(type_error("kind", "one of 'v7' or 'v4'").throw(&env)),
    Either::A(name) => {
      let name = read_bounded(name, 2)?;
      match name.as_ref().and_then(|n| n.as_str().ok()).and_then(RequestIdKind::from_name) {
        Some(kind) => kind,
        None => return Err(value_error("kind", "must be one of 'v7' or 'v4'").throw(&env)),
      }
    }
  };
  run(&env, || Ok(Latin1String::from(ids::request_id(kind))))
}

/// A new 32-hex-digit W3C trace id (never all zeros).
#[napi]
pub fn generate_trace_id() -> Latin1String {
  // Latin-1 (one-byte) creation skips V8's UTF-8 decoding; ids are ASCII.
  Latin1String::from(to_hex(&ids::trace_id()))
}

/// A new 16-hex-digit W3C span id (never all zeros).
#[napi]
pub fn generate_span_id() -> Latin1String {
  Latin1String::from(to_hex(&ids::span_id()))
}

// ---------------------------------------------------------------------------
// traceparent

#[napi(object)]
pub struct ParsedTraceparent {
  /// Two lowercase hex digits, e.g. "00".
  pub version: String,
  pub trace_id: String,
  pub parent_id: String,
  /// The trace-flags byte (0-255).
  pub flags: u32,
  /// Bit 0 of `flags`.
  pub sampled: bool,
}

/// Parses a `traceparent` header value; `null` if absent or malformed.
#[napi]
pub fn parse_traceparent(env: Env, header: StringOr<'_>) -> napi::Result<Option<ParsedTraceparent>> {
  let Either::A(header) = header else { return Ok(None) };
  let Some(header) = read_bounded(header, TRACEPARENT_MAX_INPUT)? else { return Ok(None) };
  let header = header.as_str()?;
  run(&env, || {
    Ok(trace_context::parse_traceparent(header).map(|tp| ParsedTraceparent {
      version: to_hex(&[tp.version]),
      trace_id: to_hex(&tp.trace_id),
      parent_id: to_hex(&tp.parent_id),
      flags: u32::from(tp.flags),
      sampled: tp.sampled(),
    }))
  })
}

fn hex_id_arg<const N: usize>(name: &str, value: StringOr<'_>) -> Result<[u8; N], Error> {
  let expected = format!("a string of {} lowercase hex characters", 2 * N);
  let Either::A(s) = value else { return Err(type_error(name, &expected)) };
  let utf8 = read_bounded(s, 2 * N).map_err(|e| Error::new(ErrorCode::InvalidArgValue, e.reason.clone()))?;
  let bytes = utf8
    .as_ref()
    .and_then(|u| from_hex::<N>(u.as_slice()))
    .ok_or_else(|| value_error(name, &format!("must be {} lowercase hex characters", 2 * N)))?;
  if bytes == [0; N] {
    return Err(value_error(name, "must not be all zeros"));
  }
  Ok(bytes)
}

fn flags_arg(flags: Either<f64, Unknown<'_>>) -> Result<u8, Error> {
  match flags {
    Either::A(n) if n.fract() == 0.0 && (0.0..=255.0).contains(&n) => Ok(n as u8),
    Either::A(_) => Err(Error::new(ErrorCode::OutOfRange, "The value of \"flags\" is out of range. It must be an integer >= 0 and <= 255")),
    Either::B(other) => match other.get_type() {
      Ok(ValueType::Undefined) => Ok(0),
      _ => Err(type_error("flags", "a number")),
    },
  }
}

/// Formats a version-00 `traceparent` for our span:
/// `formatTraceparent(traceId, spanId, flags = 0)`.
#[napi]
pub fn format_traceparent(
  env: Env,
  trace_id: StringOr<'_>,
  span_id: StringOr<'_>,
  flags: Either<f64, Unknown<'_>>,
) -> napi::Result<String> {
  let checked = (|| Ok((hex_id_arg::<16>("traceId", trace_id)?, hex_id_arg::<8>("spanId", span_id)?, flags_arg(flags)?)))();
  let (trace_id, span_id, flags) = checked.map_err(|err: Error| err.throw(&env))?;
  run(&env, || {
    // Both ids were checked non-zero above, so this is always Some.
    trace_context::format_traceparent(&trace_id, &span_id, flags)
      .ok_or_else(|| value_error("traceId", "must not be all zeros"))
  })
}

// ---------------------------------------------------------------------------
// tracestate

/// Parses a `tracestate` header value into `[key, value]` pairs; `null` if
/// absent or malformed (the whole header is dropped, see trace_context.rs).
#[napi]
pub fn parse_tracestate(env: Env, header: StringOr<'_>) -> napi::Result<Option<Vec<(String, String)>>> {
  let Either::A(header) = header else { return Ok(None) };
  let Some(header) = read_bounded(header, TRACESTATE_MAX_INPUT)? else { return Ok(None) };
  let header = header.as_str()?;
  run(&env, || {
    Ok(trace_context::parse_tracestate(header)
      .map(|entries| entries.into_iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect()))
  })
}

/// Reads `entries` (an array of `[key, value]` string pairs). All type
/// checks come before any value check, as in the JS twin.
fn tracestate_entries(entries: Either<Array<'_>, Unknown<'_>>) -> Result<Vec<(String, String)>, Error> {
  let pair_error = |i: u32| type_error(&format!("entries[{i}]"), "a [key, value] pair of strings");
  let Either::A(array) = entries else { return Err(type_error("entries", "an array of [key, value] pairs")) };
  if array.len() as usize > TRACESTATE_MAX_MEMBERS {
    return Err(value_error("entries", &format!("must have at most {TRACESTATE_MAX_MEMBERS} members")));
  }
  let mut out = Vec::with_capacity(array.len() as usize);
  for i in 0..array.len() {
    let Ok(Some(Either::A(pair))) = array.get::<Either<Array<'_>, Unknown<'_>>>(i) else { return Err(pair_error(i)) };
    if pair.len() != 2 {
      return Err(pair_error(i));
    }
    let (Ok(Some(Either::A(key))), Ok(Some(Either::A(value)))) =
      (pair.get::<StringOr<'_>>(0), pair.get::<StringOr<'_>>(1))
    else {
      return Err(pair_error(i));
    };
    // Keys and values longer than 256 are invalid anyway; don't copy them.
    let read = |s: JsString<'_>| -> Result<String, Error> {
      match read_bounded(s, 257) {
        Ok(Some(u)) => u.into_owned().map_err(|e| Error::new(ErrorCode::InvalidArgValue, e.reason.clone())),
        // Over 256 units: stand in a value no key/value rule accepts, so
        // the formatter reports it as invalid without copying it.
        Ok(None) => Ok(String::from("\u{0}")),
        Err(e) => Err(Error::new(ErrorCode::InvalidArgValue, e.reason.clone())),
      }
    };
    out.push((read(key)?, read(value)?));
  }
  Ok(out)
}

/// Formats `[key, value]` pairs as a `tracestate` header value; throws
/// `ERR_INVALID_ARG_VALUE` for anything a receiver would have to drop.
#[napi]
pub fn format_tracestate(env: Env, entries: Either<Array<'_>, Unknown<'_>>) -> napi::Result<String> {
  let entries = tracestate_entries(entries).map_err(|err| err.throw(&env))?;
  run(&env, move || {
    trace_context::format_tracestate(&entries).map_err(|e| Error::new(ErrorCode::InvalidArgValue, e.to_string()))
  })
}

// ---------------------------------------------------------------------------
// X-Request-Id

fn max_length_arg(value: Either<f64, Unknown<'_>>) -> Result<usize, Error> {
  match value {
    Either::A(n) if n.fract() == 0.0 && (1.0..=u32::MAX as f64).contains(&n) => Ok(n as usize),
    Either::A(_) => Err(Error::new(
      ErrorCode::OutOfRange,
      "The value of \"maxLength\" is out of range. It must be an integer >= 1 and <= 4294967295",
    )),
    Either::B(other) => match other.get_type() {
      Ok(ValueType::Undefined) => Ok(DEFAULT_MAX_LEN),
      _ => Err(type_error("maxLength", "a number")),
    },
  }
}

fn policy_arg(max_length: Either<f64, Unknown<'_>>, allowed_chars: StringOr<'_>) -> Result<RequestIdPolicy, Error> {
  let max_len = max_length_arg(max_length)?;
  match allowed_chars {
    Either::B(other) if matches!(other.get_type(), Ok(ValueType::Undefined)) => {
      RequestIdPolicy::new(max_len, crate::request_id::DEFAULT_ALLOWED).map_err(|e| Error::new(ErrorCode::InvalidArgValue, e.to_string()))
    }
    Either::B(_) => Err(type_error("allowedChars", "a string")),
    Either::A(chars) => {
      // 94 printable ASCII characters exist; anything longer has repeats or
      // invalid characters, so it is bounded without loss.
      let chars = read_bounded(chars, 256).map_err(|e| Error::new(ErrorCode::InvalidArgValue, e.reason.clone()))?;
      let chars = chars.as_ref().and_then(|c| c.as_str().ok()).unwrap_or("\u{0}");
      RequestIdPolicy::new(max_len, chars).map_err(|e| Error::new(ErrorCode::InvalidArgValue, e.to_string()))
    }
  }
}

/// Returns `value` if it is an acceptable incoming request id (non-empty,
/// at most `maxLength` characters, every character in `allowedChars`),
/// else `null`. Defaults: 128 and `[A-Za-z0-9._:-]`.
#[napi]
pub fn validate_request_id<'a>(
  env: Env,
  value: StringOr<'a>,
  max_length: Either<f64, Unknown<'_>>,
  allowed_chars: StringOr<'_>,
) -> napi::Result<Option<JsStringUtf8<'a>>> {
  let policy = policy_arg(max_length, allowed_chars).map_err(|err| err.throw(&env))?;
  let Either::A(value) = value else { return Ok(None) };
  // The length check in UTF-16 units comes first; accepted ids are ASCII,
  // where units, characters and bytes agree.
  let Some(utf8) = read_bounded(value, policy.max_len())? else { return Ok(None) };
  let accepted = run(&env, || Ok(policy.accepts(utf8.as_str().unwrap_or("\u{0}"))))?;
  // Hand back the caller's own string instead of allocating a new one.
  Ok(accepted.then_some(utf8))
}
