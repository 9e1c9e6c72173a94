//! Build facts and self-checks exposed to JavaScript.

use napi::Env;
use napi_derive::napi;

use crate::error::{catch_panic, Error, ErrorCode};

/// Version of the native addon; the JS entry checks it against package.json
/// so a stale prebuilt binary is reported instead of misbehaving.
#[napi]
pub fn native_version() -> &'static str {
  env!("CARGO_PKG_VERSION")
}

/// Deliberately panics inside native code. Used by the test suite to prove
/// that a Rust panic surfaces as a JS exception and never aborts the process.
#[napi]
pub fn native_panic_for_test(env: Env, message: String) -> napi::Result<()> {
  catch_panic(move || -> Result<(), Error> { panic!("{message}") }).map_err(|err| err.throw(&env))
}

/// Returns a typed error for the test suite to inspect (`code`, message).
#[napi]
pub fn native_error_for_test(env: Env, message: String) -> napi::Result<()> {
  Err(Error::new(ErrorCode::InvalidArgValue, message).throw(&env))
}
