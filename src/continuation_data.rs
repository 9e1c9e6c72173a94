//! Access to V8's continuation-preserved embedder data (CPED) from JavaScript.
//!
//! On AsyncContextFrame Nodes the current frame *is* the CPED: a Map that V8
//! carries across every async continuation. Node reads and writes it through
//! functions that are not exposed to user code. V8 itself ships the same two
//! functions, `getContinuationPreservedEmbedderData` and
//! `setContinuationPreservedEmbedderData`, as builtins on the context's
//! *extras binding object*, which TurboFan and Maglev compile down to a load
//! and a store. Node-API has no way to reach that object, so this module
//! calls the one V8 API function that returns it, once, at load time. The
//! functions it hands to JavaScript never call back into native code.
//!
//! The V8 functions are looked up by their (Itanium) mangled names in the
//! running process with `dlsym`, so a Node whose V8 lacks them, or whose
//! signatures changed (which changes the mangled names), makes this return
//! `None` and the JavaScript engine keeps its portable path.

#![cfg_attr(test, allow(dead_code))]

use napi::bindgen_prelude::Unknown;
use napi::Env;
use napi_derive::napi;

#[cfg(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64")))]
mod v8 {
  use std::ffi::{c_char, c_void, CStr};

  extern "C" {
    fn dlsym(handle: *mut c_void, symbol: *const c_char) -> *mut c_void;
  }

  /// glibc and musl: `RTLD_DEFAULT` is the null handle (the global scope,
  /// which includes the `node` executable's exported dynamic symbols).
  const RTLD_DEFAULT: *mut c_void = std::ptr::null_mut();

  // `static v8::Isolate* v8::Isolate::GetCurrent()`
  const GET_CURRENT: &CStr = c"_ZN2v87Isolate10GetCurrentEv";
  // `v8::Local<v8::Context> v8::Isolate::GetCurrentContext()`
  const GET_CURRENT_CONTEXT: &CStr = c"_ZN2v87Isolate17GetCurrentContextEv";
  // `v8::Local<v8::Object> v8::Context::GetExtrasBindingObject()`
  const GET_EXTRAS_BINDING_OBJECT: &CStr = c"_ZN2v87Context22GetExtrasBindingObjectEv";

  // A `v8::Local<T>` is a class holding one pointer, trivially copyable and
  // trivially destructible, so the C++ ABIs of these targets return it in a
  // register exactly like a pointer. A member function takes `this` as its
  // first argument. `v8::Local<T>::operator->` is that same pointer, so a
  // `Local<Context>` value is the `this` of a `Context` member function.
  type GetCurrentFn = unsafe extern "C" fn() -> *mut c_void;
  type GetCurrentContextFn = unsafe extern "C" fn(isolate: *mut c_void) -> *mut c_void;
  type GetExtrasBindingObjectFn = unsafe extern "C" fn(context: *mut c_void) -> *mut c_void;

  fn lookup(name: &CStr) -> Option<*mut c_void> {
    // SAFETY: `name` is NUL-terminated; dlsym only reads it.
    let address = unsafe { dlsym(RTLD_DEFAULT, name.as_ptr()) };
    (!address.is_null()).then_some(address)
  }

  /// The current context's extras binding object as a `Local<Object>`
  /// (a pointer to a handle in the caller's handle scope), or `None` when
  /// this process does not export the V8 functions.
  ///
  /// Must be called on a thread that has entered an isolate and a context,
  /// inside a handle scope: a Node-API callback does.
  pub fn extras_binding_object() -> Option<*mut c_void> {
    let get_current = lookup(GET_CURRENT)?;
    let get_current_context = lookup(GET_CURRENT_CONTEXT)?;
    let get_extras = lookup(GET_EXTRAS_BINDING_OBJECT)?;
    // SAFETY: each address is the exported V8 function whose mangled name
    // encodes the parameter list declared above (a different signature
    // would have a different name and fail the lookup); the return types
    // are one pointer-sized handle, see the type aliases. The caller runs
    // inside a Node-API callback, so an isolate is entered on this thread
    // with a context and a handle scope for the returned handles.
    unsafe {
      let get_current: GetCurrentFn = std::mem::transmute(get_current);
      let get_current_context: GetCurrentContextFn = std::mem::transmute(get_current_context);
      let get_extras: GetExtrasBindingObjectFn = std::mem::transmute(get_extras);
      let isolate = get_current();
      if isolate.is_null() {
        return None;
      }
      let context = get_current_context(isolate);
      if context.is_null() {
        return None;
      }
      let binding = get_extras(context);
      (!binding.is_null()).then_some(binding)
    }
  }
}

#[cfg(not(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64"))))]
mod v8 {
  pub fn extras_binding_object() -> Option<*mut std::ffi::c_void> {
    None
  }
}

/// V8's extras binding object of the calling context (whose
/// `getContinuationPreservedEmbedderData` / `setContinuationPreservedEmbedderData`
/// builtins read and write the current async context frame), or `undefined`
/// where it cannot be reached. Called once by `lib/async_hooks/frame_access.js`.
#[napi(ts_return_type = "object | undefined")]
pub fn v8_extras_binding(env: &Env) -> Option<Unknown<'_>> {
  let handle = v8::extras_binding_object()?;
  // SAFETY: Node-API's `napi_value` is, by construction in Node
  // (`v8impl::JsValueFromV8LocalValue`), the bits of a `v8::Local<v8::Value>`;
  // the handle was created in this callback's handle scope and is returned
  // to JavaScript before that scope closes.
  Some(unsafe { Unknown::from_raw_unchecked(env.raw(), handle.cast()) })
}
