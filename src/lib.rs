//! Native half of fast-async-hooks.
//!
//! This file only wires modules together. Each concern lives in its own
//! module; the `#[napi]` surface is kept thin and delegates to plain Rust.
//! Nothing here sits on the `getStore`/`run`/propagation path (that is
//! JavaScript in `lib/`, see README "Architecture").

mod continuation_data;
mod error;
mod native_info;
#[cfg(feature = "test-hooks")]
mod test_hooks;
mod tracker;

pub use error::{Error, ErrorCode};
