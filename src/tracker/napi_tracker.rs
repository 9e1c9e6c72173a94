//! JavaScript surface of the resource tracker (`NativeResourceTracker`).
//!
//! Only `lib/tracker` calls this. Per-event work never crosses into Rust:
//! the hook callbacks write records into a `Float64Array` and `drain` is
//! called once per full buffer or per query. The buffer is borrowed for the
//! duration of one `drain` call through napi-rs' `Float64ArraySlice`, so no
//! raw pointer outlives the call and there is no `unsafe` here.

// Under `cargo test` napi-derive compiles out the registration that
// references these items, so they look unused there.
#![cfg_attr(test, allow(dead_code))]

use std::sync::{Arc, OnceLock};

use napi::bindgen_prelude::{Float64ArraySlice, Function, Object};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{Env, Status};
use napi_derive::napi;
use tokio::io::AsyncWriteExt;

use super::state::{owner_name, Config, Event, Tracker, NO_CONTEXT, STRIDE};
use super::timeline::{self, Meta};
use crate::error::{catch_panic, Error, ErrorCode};

/// Bytes serialized before each write (and progress report).
const WRITE_CHUNK: usize = 256 * 1024;

#[napi(object)]
pub struct NativeTrackerOptions {
  pub max_events: u32,
  pub max_contexts: u32,
  pub capture_stacks: bool,
}

#[napi(object)]
pub struct NativeResourceInfo {
  pub async_id: f64,
  pub r#type: String,
  pub trigger_async_id: f64,
  pub request_id: Option<String>,
  /// "connection" / "server": owned beyond the request that created it.
  pub owner: Option<String>,
  pub created_at: f64,
  pub age_ms: f64,
  pub callbacks: u32,
  pub callback_ms: f64,
  pub resolved_at: Option<f64>,
  pub stack: Option<String>,
}

#[napi(object)]
pub struct NativeAncestor {
  pub async_id: f64,
  pub r#type: String,
  pub trigger_async_id: f64,
  pub request_id: Option<String>,
  pub alive: bool,
}

#[napi(object)]
pub struct NativeRequestSummary {
  pub request_id: String,
  pub created: f64,
  pub alive: f64,
  pub callbacks: f64,
  pub callback_ms: f64,
  pub first_seen_at: f64,
  pub ended_at: Option<f64>,
}

#[napi(object)]
pub struct NativeLeak {
  pub async_id: f64,
  pub r#type: String,
  pub trigger_async_id: f64,
  pub request_id: String,
  pub owner: Option<String>,
  pub age_ms: f64,
  pub ended_ms_ago: Option<f64>,
  pub callbacks: u32,
  pub stack: Option<String>,
}

#[napi(object)]
pub struct NativeTrackerStats {
  pub live: f64,
  pub live_bytes: f64,
  pub contexts: f64,
  pub events: f64,
  pub max_events: f64,
  pub dropped_events: f64,
  pub records: f64,
  pub batches: f64,
  pub untracked: f64,
}

/// Outcome of `writeTimeline`: I/O errors are reported as data so the JS
/// wrapper can reject with a Node-style error carrying the OS `code`.
#[napi(object)]
pub struct NativeWriteResult {
  pub bytes: f64,
  pub events: f64,
  pub error_code: Option<String>,
  pub error_message: Option<String>,
}

fn run<T>(env: &Env, f: impl FnOnce() -> Result<T, Error> + std::panic::UnwindSafe) -> napi::Result<T> {
  catch_panic(f).map_err(|err| err.throw(env))
}

#[napi]
pub struct NativeResourceTracker {
  inner: Tracker,
}

#[napi]
impl NativeResourceTracker {
  #[napi(constructor)]
  pub fn new(options: NativeTrackerOptions) -> Self {
    let cfg = Config {
      max_events: options.max_events as usize,
      max_contexts: options.max_contexts as usize,
      capture_stacks: options.capture_stacks,
    };
    Self { inner: Tracker::new(cfg) }
  }

  /// Folds the first `count` records of `records` into the map. New type
  /// names (in index order), new request ids (`ctxIndexes[i]` ->
  /// `ctxNames[i]`) and creation stacks (one per init, in order) ride along.
  /// Returns context indexes JS may reuse.
  #[napi]
  #[allow(clippy::too_many_arguments)]
  pub fn drain(
    &mut self,
    env: Env,
    records: Float64ArraySlice<'_>,
    count: u32,
    new_types: Vec<String>,
    ctx_indexes: Vec<u32>,
    ctx_names: Vec<String>,
    stacks: Vec<String>,
    now: f64,
  ) -> napi::Result<Vec<u32>> {
    let used = (count as usize).saturating_mul(STRIDE);
    let data: &[f64] = &records;
    if used > data.len() {
      return Err(Error::new(ErrorCode::OutOfRange, "record count exceeds the buffer").throw(&env));
    }
    if ctx_indexes.len() != ctx_names.len() {
      return Err(Error::new(ErrorCode::InvalidArgValue, "context indexes and names differ in length").throw(&env));
    }
    let batch = &data[..used];
    let inner = std::panic::AssertUnwindSafe(&mut self.inner);
    run(&env, move || {
      let inner = inner;
      let tracker: &mut Tracker = inner.0;
      for name in &new_types {
        tracker.add_type(name);
      }
      for (idx, name) in ctx_indexes.iter().zip(&ctx_names) {
        tracker.add_context(*idx, name, now);
      }
      let freed = tracker.apply(batch, stacks);
      tracker.shrink();
      Ok(freed)
    })
  }

  #[napi]
  pub fn active_resources(&self, now: f64, ctx: Option<u32>, ty: Option<u32>) -> Vec<NativeResourceInfo> {
    let t = &self.inner;
    let mut out: Vec<NativeResourceInfo> = t
      .resources()
      .filter(|(_, r)| ctx.is_none_or(|c| r.ctx == c) && ty.is_none_or(|x| r.ty == x))
      .map(|(id, r)| NativeResourceInfo {
        async_id: id as f64,
        r#type: t.type_name(r.ty).to_owned(),
        trigger_async_id: r.trigger as f64,
        request_id: t.context_name(r.ctx).map(str::to_owned),
        owner: owner_name(r.owner).map(str::to_owned),
        created_at: r.created,
        age_ms: now - r.created,
        callbacks: r.callbacks,
        callback_ms: r.callback_ms,
        resolved_at: if r.resolved.is_nan() { None } else { Some(r.resolved) },
        stack: t.stack(id).map(str::to_owned),
      })
      .collect();
    out.sort_by(|a, b| a.async_id.total_cmp(&b.async_id));
    out
  }

  #[napi]
  pub fn ancestry(&self, async_id: f64) -> Vec<NativeAncestor> {
    let t = &self.inner;
    t.ancestry(async_id as u64)
      .into_iter()
      .map(|l| NativeAncestor {
        async_id: l.id as f64,
        r#type: t.type_name(l.ty).to_owned(),
        trigger_async_id: l.trigger as f64,
        request_id: l.ctx.as_deref().map(str::to_owned),
        alive: l.alive,
      })
      .collect()
  }

  #[napi]
  pub fn request_summary(&self, ctx: u32) -> Option<NativeRequestSummary> {
    if ctx == NO_CONTEXT {
      return None;
    }
    self.inner.context(ctx).map(|c| NativeRequestSummary {
      request_id: c.name.to_string(),
      created: c.created as f64,
      alive: c.alive as f64,
      callbacks: c.callbacks as f64,
      callback_ms: c.callback_ms,
      first_seen_at: c.first_seen,
      ended_at: c.ended,
    })
  }

  #[napi]
  pub fn leak_report(&self, now: f64, older_than_ms: f64, include_open: bool, include_owned: bool) -> Vec<NativeLeak> {
    let t = &self.inner;
    t.leaks(now, older_than_ms, include_open, include_owned)
      .into_iter()
      .map(|(id, r, c)| NativeLeak {
        async_id: id as f64,
        r#type: t.type_name(r.ty).to_owned(),
        trigger_async_id: r.trigger as f64,
        request_id: c.name.to_string(),
        owner: owner_name(r.owner).map(str::to_owned),
        age_ms: now - r.created,
        ended_ms_ago: c.ended.map(|e| now - e),
        callbacks: r.callbacks,
        stack: t.stack(id).map(str::to_owned),
      })
      .collect()
  }

  #[napi]
  pub fn stats(&self) -> NativeTrackerStats {
    let s = self.inner.stats();
    NativeTrackerStats {
      live: s.live as f64,
      live_bytes: s.live_bytes as f64,
      contexts: s.contexts as f64,
      events: s.events as f64,
      max_events: s.max_events as f64,
      dropped_events: s.dropped_events as f64,
      records: s.records as f64,
      batches: s.batches as f64,
      untracked: s.untracked as f64,
    }
  }

  /// Blocking variant of `writeTimeline` for exit handlers only (the
  /// event loop is over by then, so nothing else waits on this thread).
  #[napi]
  pub fn write_timeline_sync(&self, path: String, now: f64, pid: u32, tid: u32) -> NativeWriteResult {
    let events = self.inner.timeline_snapshot(now);
    let dropped = self.inner.stats().dropped_events;
    match write_events_sync(&path, (pid, tid), self.inner.types(), dropped, &events) {
      Ok(bytes) => NativeWriteResult { bytes: bytes as f64, events: events.len() as f64, error_code: None, error_message: None },
      Err(err) => NativeWriteResult {
        bytes: 0.0,
        events: 0.0,
        error_code: Some(io_code(&err)),
        error_message: Some(err.to_string()),
      },
    }
  }

  /// Snapshots the timeline on the JS thread (a copy of the bounded ring
  /// plus live resources) and serializes + writes it on a tokio worker. The
  /// returned promise resolves with a [`NativeWriteResult`]. `on_progress`
  /// (already bound to the caller's async context by JS) is called with
  /// the bytes written so far after each chunk, through a threadsafe
  /// function (non-blocking; a full queue skips a report, never blocks).
  #[napi(ts_return_type = "Promise<NativeWriteResult>")]
  pub fn write_timeline<'env>(
    &self,
    env: &'env Env,
    path: String,
    now: f64,
    pid: u32,
    tid: u32,
    on_progress: Option<Function<'env, f64, ()>>,
  ) -> napi::Result<Object<'env>> {
    let events = self.inner.timeline_snapshot(now);
    let types: Vec<Arc<str>> = self.inner.types().to_vec();
    let dropped = self.inner.stats().dropped_events;
    let progress: Option<ThreadsafeFunction<f64, (), f64, Status, false>> = match on_progress {
      Some(f) => Some(f.build_threadsafe_function().build()?),
      None => None,
    };
    let runtime = export_runtime().map_err(|message| napi::Error::new(Status::GenericFailure, message))?;
    let (deferred, promise) = env.create_deferred()?;
    runtime.spawn(async move {
      let count = events.len();
      let outcome = write_events(&path, (pid, tid), &types, dropped, &events, progress.as_ref()).await;
      let result = match outcome {
        Ok(bytes) => NativeWriteResult { bytes: bytes as f64, events: count as f64, error_code: None, error_message: None },
        Err(err) => NativeWriteResult {
          bytes: 0.0,
          events: 0.0,
          error_code: Some(io_code(&err)),
          error_message: Some(err.to_string()),
        },
      };
      deferred.resolve(move |_env| Ok(result));
    });
    Ok(promise)
  }
}

/// The runtime that writes timelines, built on the first export with one
/// worker thread. Not napi-rs' own runtime, which starts its workers when
/// the addon loads, and the addon loads with the context engine (see
/// `continuation_data.rs`): a process that never exports starts no thread.
fn export_runtime() -> Result<&'static tokio::runtime::Runtime, String> {
  static RUNTIME: OnceLock<Result<tokio::runtime::Runtime, String>> = OnceLock::new();
  RUNTIME
    .get_or_init(|| {
      tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("fah-export")
        .enable_all()
        .build()
        .map_err(|err| format!("cannot start the export runtime: {err}"))
    })
    .as_ref()
    .map_err(Clone::clone)
}

/// Same document as [`write_events`], written synchronously (for process
/// exit, where no event loop turn is left to await a promise).
fn write_events_sync(path: &str, ids: (u32, u32), types: &[Arc<str>], dropped: u64, events: &[Event]) -> std::io::Result<usize> {
  use std::io::Write;
  let meta = Meta { pid: ids.0, tid: ids.1, types, dropped_events: dropped };
  let mut file = std::fs::File::create(path)?;
  let mut buf = String::with_capacity(WRITE_CHUNK + 4096);
  let mut written = 0usize;
  timeline::header(&mut buf, &meta);
  for event in events {
    timeline::push_event(&mut buf, &meta, event);
    if buf.len() >= WRITE_CHUNK {
      file.write_all(buf.as_bytes())?;
      written += buf.len();
      buf.clear();
    }
  }
  timeline::footer(&mut buf);
  file.write_all(buf.as_bytes())?;
  written += buf.len();
  file.sync_data()?;
  Ok(written)
}

async fn write_events(
  path: &str,
  (pid, tid): (u32, u32),
  types: &[Arc<str>],
  dropped: u64,
  events: &[Event],
  progress: Option<&ThreadsafeFunction<f64, (), f64, Status, false>>,
) -> std::io::Result<usize> {
  let meta = Meta { pid, tid, types, dropped_events: dropped };
  let mut file = tokio::fs::File::create(path).await?;
  let mut buf = String::with_capacity(WRITE_CHUNK + 4096);
  let mut written = 0usize;
  timeline::header(&mut buf, &meta);
  for event in events {
    timeline::push_event(&mut buf, &meta, event);
    if buf.len() >= WRITE_CHUNK {
      file.write_all(buf.as_bytes()).await?;
      written += buf.len();
      buf.clear();
      if let Some(p) = progress {
        p.call(written as f64, ThreadsafeFunctionCallMode::NonBlocking);
      }
    }
  }
  timeline::footer(&mut buf);
  file.write_all(buf.as_bytes()).await?;
  written += buf.len();
  file.flush().await?;
  file.sync_data().await?;
  if let Some(p) = progress {
    p.call(written as f64, ThreadsafeFunctionCallMode::NonBlocking);
  }
  Ok(written)
}

/// Node-style error code for an I/O error (`ENOENT`, `EACCES`, ...).
fn io_code(err: &std::io::Error) -> String {
  use std::io::ErrorKind::*;
  match err.kind() {
    NotFound => "ENOENT",
    PermissionDenied => "EACCES",
    AlreadyExists => "EEXIST",
    IsADirectory => "EISDIR",
    NotADirectory => "ENOTDIR",
    StorageFull => "ENOSPC",
    _ => "EIO",
  }
  .to_owned()
}
