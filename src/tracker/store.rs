//! Live resources keyed by async id.
//!
//! Node hands out async ids in increasing order and most resources die
//! young, so the recent ones live in a window indexed by `id - base`
//! (sequential memory, no hashing: records arrive in id order and stay in
//! cache). Resources that outlive the window (an interval, a server socket)
//! move to a hash map. Both parts are bounded by what is alive plus the
//! window length.

use std::collections::{HashMap, VecDeque};
use std::hash::BuildHasherDefault;

use super::state::{IdHasher, Resource};

type OldMap = HashMap<u64, Resource, BuildHasherDefault<IdHasher>>;

pub struct Store {
  base: u64,
  window: VecDeque<Option<Resource>>,
  in_window: usize,
  old: OldMap,
  max_window: usize,
}

impl Store {
  pub fn new(max_window: usize) -> Self {
    Self { base: 0, window: VecDeque::new(), in_window: 0, old: OldMap::default(), max_window: max_window.max(1) }
  }

  pub fn len(&self) -> usize {
    self.in_window + self.old.len()
  }

  pub fn insert(&mut self, id: u64, r: Resource) -> Option<Resource> {
    if self.window.is_empty() {
      self.base = id;
    }
    if id < self.base {
      return self.old.insert(id, r);
    }
    let mut off = (id - self.base) as usize;
    if off >= self.max_window {
      // A jump past the whole window: everything in it is now "old".
      self.evict_all();
      self.base = id;
      off = 0;
    }
    if off >= self.window.len() {
      self.window.resize_with(off + 1, || None);
    }
    let prev = self.window[off].replace(r);
    if prev.is_none() {
      self.in_window += 1;
    }
    while self.window.len() > self.max_window {
      self.pop_front_to_old();
    }
    self.trim_front();
    prev
  }

  pub fn get(&self, id: u64) -> Option<&Resource> {
    if id >= self.base {
      self.window.get((id - self.base) as usize)?.as_ref()
    } else {
      self.old.get(&id)
    }
  }

  pub fn get_mut(&mut self, id: u64) -> Option<&mut Resource> {
    if id >= self.base {
      self.window.get_mut((id - self.base) as usize)?.as_mut()
    } else {
      self.old.get_mut(&id)
    }
  }

  pub fn remove(&mut self, id: u64) -> Option<Resource> {
    if id >= self.base {
      let r = self.window.get_mut((id - self.base) as usize)?.take();
      if r.is_some() {
        self.in_window -= 1;
        self.trim_front();
      }
      r
    } else {
      self.old.remove(&id)
    }
  }

  pub fn iter(&self) -> impl Iterator<Item = (u64, &Resource)> {
    let base = self.base;
    self
      .window
      .iter()
      .enumerate()
      .filter_map(move |(i, r)| r.as_ref().map(|r| (base + i as u64, r)))
      .chain(self.old.iter().map(|(&id, r)| (id, r)))
  }

  /// Bytes held by the two containers (not counting what entries point to).
  pub fn bytes(&self) -> usize {
    self.window.capacity() * std::mem::size_of::<Option<Resource>>()
      + self.old.capacity() * (std::mem::size_of::<(u64, Resource)>() + 1)
  }

  /// Gives memory back after a burst (neither container shrinks by itself).
  pub fn shrink(&mut self) {
    if self.window.capacity() > 1024 && self.window.len() * 4 < self.window.capacity() {
      self.window.shrink_to(self.window.len() * 2);
    }
    if self.old.capacity() > 1024 && self.old.len() * 4 < self.old.capacity() {
      self.old.shrink_to(self.old.len() * 2);
    }
  }

  fn trim_front(&mut self) {
    while let Some(None) = self.window.front() {
      self.window.pop_front();
      self.base += 1;
    }
    if self.window.is_empty() {
      self.in_window = 0;
    }
  }

  fn pop_front_to_old(&mut self) {
    if let Some(front) = self.window.pop_front() {
      if let Some(r) = front {
        self.in_window -= 1;
        self.old.insert(self.base, r);
      }
      self.base += 1;
    }
  }

  fn evict_all(&mut self) {
    let base = self.base;
    for (i, slot) in self.window.drain(..).enumerate() {
      if let Some(r) = slot {
        self.old.insert(base + i as u64, r);
      }
    }
    self.in_window = 0;
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  fn res(trigger: u64) -> Resource {
    Resource { ty: 0, trigger, ctx: 0, created: 0.0, callbacks: 0, callback_ms: 0.0, resolved: f64::NAN }
  }

  #[test]
  fn window_and_old_agree_with_a_hash_map() {
    let mut store = Store::new(8);
    let mut model = HashMap::new();
    // Deterministic pseudo-random mix of inserts (increasing ids, with
    // gaps and jumps) and removes.
    let mut next = 5u64;
    let mut seed = 12345u64;
    for _ in 0..20_000 {
      seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
      let r = (seed >> 33) % 10;
      if r < 5 {
        next += 1 + (seed >> 40) % 3 + if r == 0 { (seed >> 20) % 50 } else { 0 };
        assert_eq!(store.insert(next, res(next)).is_some(), model.insert(next, next).is_some());
      } else if let Some(&id) = model.keys().nth(((seed >> 12) as usize) % model.len().max(1)) {
        assert!(store.remove(id).is_some());
        model.remove(&id);
      }
      assert_eq!(store.len(), model.len());
    }
    for (&id, &trigger) in &model {
      assert_eq!(store.get(id).map(|r| r.trigger), Some(trigger));
    }
    let mut ids: Vec<u64> = store.iter().map(|(id, _)| id).collect();
    ids.sort_unstable();
    let mut expected: Vec<u64> = model.keys().copied().collect();
    expected.sort_unstable();
    assert_eq!(ids, expected);
    for id in expected {
      store.remove(id);
    }
    assert_eq!(store.len(), 0);
    store.shrink();
  }
}
