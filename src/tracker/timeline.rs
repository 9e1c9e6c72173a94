//! Chrome trace event JSON (`{"traceEvents":[...]}`), the format Perfetto
//! and chrome://tracing load.
//!
//! - callbacks: complete events, `ph: "X"` with `ts`/`dur`;
//! - resource lifetimes: nestable async begin/end pairs `ph: "b"`/`"e"`
//!   sharing `cat`, `name` and `id` (the async id); resources still alive at
//!   export end at the export time with `args.alive = true`;
//! - promise resolution and request end: instant events `ph: "i"`.
//!
//! Times recorded in JS are `performance.now()` milliseconds; trace events
//! use microseconds.

use std::fmt::Write as _;
use std::sync::Arc;

use super::state::{owner_name, Event};

pub struct Meta<'a> {
  pub pid: u32,
  /// Thread id in the trace: 1 + the Node thread id (main thread = 1).
  pub tid: u32,
  pub types: &'a [Arc<str>],
  pub dropped_events: u64,
}

/// Appends `s` as a JSON string literal.
pub fn push_json_str(out: &mut String, s: &str) {
  out.push('"');
  for ch in s.chars() {
    match ch {
      '"' => out.push_str("\\\""),
      '\\' => out.push_str("\\\\"),
      '\n' => out.push_str("\\n"),
      '\r' => out.push_str("\\r"),
      '\t' => out.push_str("\\t"),
      c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
        let _ = write!(out, "\\u{:04x}", c as u32);
      }
      c => out.push(c),
    }
  }
  out.push('"');
}

/// JSON number for a time in microseconds (finite; NaN/inf become 0).
fn push_us(out: &mut String, ms: f64) {
  let us = ms * 1000.0;
  let us = if us.is_finite() { us } else { 0.0 };
  // Three decimals = nanosecond resolution; trims the float noise.
  let _ = write!(out, "{:.3}", us);
}

fn type_name<'a>(meta: &'a Meta<'_>, ty: u32) -> &'a str {
  meta.types.get(ty as usize).map_or("(untracked)", |s| s)
}

fn push_ctx(out: &mut String, ctx: &Option<Arc<str>>, owner: u8) {
  if let Some(c) = ctx {
    out.push_str(",\"requestId\":");
    push_json_str(out, c);
  }
  if let Some(name) = owner_name(owner) {
    let _ = write!(out, ",\"owner\":\"{name}\"");
  }
}

pub fn header(out: &mut String, meta: &Meta<'_>) {
  let _ = writeln!(
    out,
    "{{\"displayTimeUnit\":\"ms\",\"otherData\":{{\"producer\":\"fast-async-hooks\",\"droppedEvents\":{}}},\"traceEvents\":[",
    meta.dropped_events
  );
  let _ = write!(
    out,
    "{{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":{pid},\"tid\":{tid},\"args\":{{\"name\":\"node\"}}}},\n\
     {{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":{pid},\"tid\":{tid},\"args\":{{\"name\":\"{thread}\"}}}}",
    pid = meta.pid,
    tid = meta.tid,
    thread = if meta.tid <= 1 { "event loop" } else { "worker event loop" }
  );
}

pub fn footer(out: &mut String) {
  out.push_str("\n]}\n");
}

/// Appends `event` (with a leading ",\n") as one or two trace events.
pub fn push_event(out: &mut String, meta: &Meta<'_>, event: &Event) {
  let (pid, tid) = (meta.pid, meta.tid);
  match event {
    Event::Callback { id, ty, ctx, owner, start, dur } => {
      out.push_str(",\n{\"name\":");
      push_json_str(out, type_name(meta, *ty));
      out.push_str(",\"cat\":\"callback\",\"ph\":\"X\",\"ts\":");
      push_us(out, *start);
      out.push_str(",\"dur\":");
      push_us(out, *dur);
      let _ = write!(out, ",\"pid\":{pid},\"tid\":{tid},\"args\":{{\"asyncId\":{id}");
      push_ctx(out, ctx, *owner);
      out.push_str("}}");
    }
    Event::Lifetime { id, ty, trigger, ctx, owner, start, end, alive } => {
      for (ph, ts) in [("b", start), ("e", end)] {
        out.push_str(",\n{\"name\":");
        push_json_str(out, type_name(meta, *ty));
        let _ = write!(out, ",\"cat\":\"resource\",\"ph\":\"{ph}\",\"id\":\"{id}\",\"ts\":");
        push_us(out, *ts);
        let _ = write!(out, ",\"pid\":{pid},\"tid\":{tid},\"args\":{{\"asyncId\":{id},\"triggerAsyncId\":{trigger}");
        push_ctx(out, ctx, *owner);
        if ph == "e" && *alive {
          out.push_str(",\"alive\":true");
        }
        out.push_str("}}");
      }
    }
    Event::Resolve { id, ty, ts } => {
      out.push_str(",\n{\"name\":");
      push_json_str(out, &format!("{} resolve", type_name(meta, *ty)));
      out.push_str(",\"cat\":\"promise\",\"ph\":\"i\",\"s\":\"t\",\"ts\":");
      push_us(out, *ts);
      let _ = write!(out, ",\"pid\":{pid},\"tid\":{tid},\"args\":{{\"asyncId\":{id}}}}}");
    }
    Event::ContextEnd { ctx, ts } => {
      out.push_str(",\n{\"name\":\"request end\",\"cat\":\"request\",\"ph\":\"i\",\"s\":\"p\",\"ts\":");
      push_us(out, *ts);
      let _ = write!(out, ",\"pid\":{pid},\"tid\":{tid},\"args\":{{");
      out.push_str("\"requestId\":");
      push_json_str(out, ctx);
      out.push_str("}}");
    }
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn escapes_json_strings() {
    let mut s = String::new();
    push_json_str(&mut s, "a\"b\\c\n\u{1}\u{2028}é");
    assert_eq!(s, "\"a\\\"b\\\\c\\n\\u0001\\u2028é\"");
  }

  #[test]
  fn writes_balanced_document() {
    let types: Vec<Arc<str>> = vec![Arc::from("Timeout")];
    let meta = Meta { pid: 7, tid: 1, types: &types, dropped_events: 2 };
    let mut out = String::new();
    header(&mut out, &meta);
    push_event(&mut out, &meta, &Event::Callback { id: 4, ty: 0, ctx: Some(Arc::from("r\"1")), owner: 0, start: 1.5, dur: 0.25 });
    push_event(
      &mut out,
      &meta,
      &Event::Lifetime { id: 4, ty: 9, trigger: 1, ctx: None, owner: 1, start: 1.0, end: 2.0, alive: true },
    );
    footer(&mut out);
    assert!(out.contains("\"ph\":\"X\",\"ts\":1500.000,\"dur\":250.000,\"pid\":7"), "{out}");
    assert!(out.contains("\"requestId\":\"r\\\"1\""), "{out}");
    assert!(out.contains("\"name\":\"(untracked)\",\"cat\":\"resource\",\"ph\":\"e\""), "{out}");
    assert!(out.contains("\"alive\":true"), "{out}");
    assert_eq!(out.matches("\"owner\":\"connection\"").count(), 2, "{out}");
    assert_eq!(out.matches('{').count(), out.matches('}').count());
  }
}
