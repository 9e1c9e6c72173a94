//! Functions that exist only so the test suite can drive the FFI error path
//! (`catch_panic`, `Error::throw`) from JavaScript. Compiled only with the
//! `test-hooks` feature (`npm run build:test-hooks`, a separate binary in
//! target/test-hooks/), never into the published binary.

use napi::Env;
use napi_derive::napi;

use crate::error::{catch_panic, Error, ErrorCode};

/// Deliberately panics inside native code: a Rust panic must surface as a
/// JS exception and never abort the process.
#[napi]
pub fn native_panic_for_test(env: Env, message: String) -> napi::Result<()> {
  catch_panic(move || -> Result<(), Error> { panic!("{message}") }).map_err(|err| err.throw(&env))
}

/// Throws a typed error for the test suite to inspect (`code`, class, message).
#[napi]
pub fn native_error_for_test(env: Env, message: String) -> napi::Result<()> {
  Err(Error::new(ErrorCode::InvalidArgValue, message).throw(&env))
}
