//! One place where Rust failures become JavaScript errors.
//!
//! Every fallible `#[napi]` function returns `napi::Result<T>` built from
//! [`Error`], so the JS side always sees an `Error` with a stable `code`
//! (the same codes Node uses where Node has one), never a process abort.

use std::fmt;

use napi::{Env, Status};

/// Error codes surfaced to JavaScript as `err.code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
  /// An argument had the wrong type or shape (Node: `ERR_INVALID_ARG_TYPE`).
  InvalidArgType,
  /// An argument had the right type but a bad value (Node: `ERR_INVALID_ARG_VALUE`).
  InvalidArgValue,
  /// A number argument was outside its allowed range (Node: `ERR_OUT_OF_RANGE`).
  OutOfRange,
  /// A Rust panic was caught at the FFI boundary.
  InternalPanic,
}

impl ErrorCode {
  pub fn as_str(self) -> &'static str {
    match self {
      ErrorCode::InvalidArgType => "ERR_INVALID_ARG_TYPE",
      ErrorCode::InvalidArgValue => "ERR_INVALID_ARG_VALUE",
      ErrorCode::OutOfRange => "ERR_OUT_OF_RANGE",
      ErrorCode::InternalPanic => "ERR_FAST_ASYNC_HOOKS_PANIC",
    }
  }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
  pub code: ErrorCode,
  pub message: String,
}

impl Error {
  pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
    Self { code, message: message.into() }
  }
}

impl fmt::Display for Error {
  fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(f, "{}: {}", self.code.as_str(), self.message)
  }
}

impl std::error::Error for Error {}

impl Error {
  /// Throws this error into JavaScript with Node's class and `code`, and
  /// returns the marker napi-rs expects after an exception is pending.
  ///
  /// napi-rs can only attach its own `Status` names as `code`, so errors
  /// with Node-style codes are raised here, in the one place that maps them.
  pub fn throw(self, env: &Env) -> napi::Error {
    let code = Some(self.code.as_str());
    let thrown = match self.code {
      ErrorCode::InvalidArgType | ErrorCode::InvalidArgValue => env.throw_type_error(&self.message, code),
      ErrorCode::OutOfRange => env.throw_range_error(&self.message, code),
      ErrorCode::InternalPanic => env.throw_error(&self.message, code),
    };
    match thrown {
      Ok(()) => napi::Error::from_status(Status::PendingException),
      // Throwing failed (for example the env is shutting down): fall back
      // to napi-rs' own error so the call still fails cleanly.
      Err(err) => err,
    }
  }
}

/// Runs `f`, turning a panic into an [`Error`] instead of unwinding into V8.
///
/// napi-rs already catches panics in generated glue code, but it reports
/// them as a generic failure; this keeps our own code stable and testable.
pub fn catch_panic<T>(f: impl FnOnce() -> Result<T, Error> + std::panic::UnwindSafe) -> Result<T, Error> {
  match std::panic::catch_unwind(f) {
    Ok(result) => result,
    Err(payload) => {
      let detail = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned());
      Err(Error::new(ErrorCode::InternalPanic, format!("native panic: {detail}")))
    }
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn panic_becomes_error_with_code() {
    let err = catch_panic::<()>(|| panic!("boom")).unwrap_err();
    assert_eq!(err.code, ErrorCode::InternalPanic);
    assert!(err.message.contains("boom"), "{}", err.message);
  }

  #[test]
  fn ok_passes_through() {
    assert_eq!(catch_panic(|| Ok::<_, Error>(7)).unwrap(), 7);
  }

  #[test]
  fn display_includes_code() {
    let err = Error::new(ErrorCode::InvalidArgValue, "bad");
    assert_eq!(err.to_string(), "ERR_INVALID_ARG_VALUE: bad");
  }
}
