//! Resource tracker: a map of live async resources keyed by async id, fed
//! in batches from JavaScript hook callbacks (`lib/tracker`), with per-request
//! summaries, leak finding and a Chrome trace timeline written off-thread.

mod napi_tracker;
pub mod state;
mod store;
pub mod timeline;
