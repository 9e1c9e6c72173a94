//! Build facts exposed to JavaScript.

use napi_derive::napi;

/// Version of the native addon; the JS entry checks it against package.json
/// so a stale prebuilt binary is reported instead of misbehaving.
#[napi]
pub fn native_version() -> &'static str {
  env!("CARGO_PKG_VERSION")
}
