//! Live resources keyed by async id.
//!
//! Node hands out async ids in increasing order and most resources die
//! young, so the recent ones live in a window: a power-of-two ring of slots
//! indexed by `id & mask` (no hashing, no per-entry allocation; records
//! arrive in id order and stay in cache). The window covers the ids
//! `base..base + capacity`; it grows (doubling) up to `max_window` ids, and
//! resources still alive when `base` has to move past them (an interval, a
//! server socket) move to a hash map. Both parts are bounded by what is alive
//! plus the window length.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::state::{IdHasher, Resource};

type OldMap = HashMap<u64, Resource, BuildHasherDefault<IdHasher>>;

/// Marks an empty slot (no async id is ever `u64::MAX`: ids are doubles
/// below 2^53).
const EMPTY: u64 = u64::MAX;
const MIN_WINDOW: usize = 1024;

#[derive(Clone, Copy)]
struct Slot {
  id: u64,
  r: Resource,
}

impl Slot {
  fn empty() -> Self {
    Slot { id: EMPTY, r: Resource::default() }
  }
}

pub struct Store {
  /// Lowest id the window may hold; every occupied slot holds an id in
  /// `base..end`, and `end - base <= slots.len()`.
  base: u64,
  /// One past the highest id inserted into the window.
  end: u64,
  slots: Vec<Slot>,
  mask: u64,
  in_window: usize,
  old: OldMap,
  max_window: usize,
}

impl Store {
  pub fn new(max_window: usize) -> Self {
    let max_window = max_window.max(1).next_power_of_two();
    Self { base: 0, end: 0, slots: Vec::new(), mask: 0, in_window: 0, old: OldMap::default(), max_window }
  }

  pub fn len(&self) -> usize {
    self.in_window + self.old.len()
  }

  fn min_cap(&self) -> usize {
    MIN_WINDOW.min(self.max_window)
  }

  fn cap(&self) -> u64 {
    self.slots.len() as u64
  }

  pub fn insert(&mut self, id: u64, r: Resource) -> Option<Resource> {
    if id == EMPTY {
      return self.old.insert(id, r);
    }
    if self.in_window == 0 {
      // Empty window: restart it at `id` (keeps the span small).
      self.base = id;
      self.end = id;
    }
    if id < self.base {
      return self.old.insert(id, r);
    }
    if id - self.base >= self.cap() {
      self.make_room(id);
    }
    let slot = &mut self.slots[(id & self.mask) as usize];
    if slot.id == id {
      return Some(std::mem::replace(&mut slot.r, r));
    }
    debug_assert_eq!(slot.id, EMPTY);
    slot.id = id;
    slot.r = r;
    self.in_window += 1;
    if id >= self.end {
      self.end = id + 1;
    }
    None
  }

  /// Grows the window or moves `base` so that `id` fits.
  fn make_room(&mut self, id: u64) {
    let need = id - self.base + 1;
    if (self.slots.len() as u64) < need && self.slots.len() < self.max_window {
      let cap = (need.min(self.max_window as u64) as usize).next_power_of_two().max(self.min_cap()).max(self.slots.len() * 2);
      self.resize(cap.min(self.max_window));
    }
    if id - self.base >= self.cap() {
      // Still too far: everything below `id - cap + 1` leaves the window.
      let new_base = id + 1 - self.cap();
      self.advance_base(new_base);
    }
  }

  /// Moves live entries with ids below `new_base` to the old map.
  fn advance_base(&mut self, new_base: u64) {
    if self.in_window > 0 {
      let stop = new_base.min(self.end);
      if stop - self.base >= self.cap() {
        for slot in &mut self.slots {
          if slot.id != EMPTY && slot.id < new_base {
            self.old.insert(slot.id, slot.r);
            slot.id = EMPTY;
            self.in_window -= 1;
          }
        }
      } else {
        let mut i = self.base;
        while i < stop {
          let slot = &mut self.slots[(i & self.mask) as usize];
          if slot.id == i {
            self.old.insert(i, slot.r);
            slot.id = EMPTY;
            self.in_window -= 1;
          }
          i += 1;
        }
      }
    }
    self.base = new_base;
    if self.end < new_base {
      self.end = new_base;
    }
    self.trim();
  }

  /// Moves `base` up to the oldest live id in the window (each id is passed
  /// over once: amortized O(1)), so `end - base` is the live span.
  fn trim(&mut self) {
    if self.in_window == 0 {
      self.base = self.end;
      return;
    }
    let mut b = self.base;
    while self.slots[(b & self.mask) as usize].id != b {
      b += 1;
    }
    self.base = b;
  }

  /// Re-lays the window out in `cap` slots (a power of two that holds
  /// `end - base`).
  fn resize(&mut self, cap: usize) {
    let mut slots = vec![Slot::empty(); cap];
    let mask = cap as u64 - 1;
    for slot in self.slots.drain(..) {
      if slot.id != EMPTY {
        let id = slot.id;
        slots[(id & mask) as usize] = slot;
      }
    }
    self.slots = slots;
    self.mask = mask;
  }

  #[inline]
  fn slot_of(&self, id: u64) -> Option<usize> {
    if id >= self.base && id < self.end {
      let i = (id & self.mask) as usize;
      if self.slots[i].id == id {
        return Some(i);
      }
    }
    None
  }

  pub fn get(&self, id: u64) -> Option<&Resource> {
    if id < self.base {
      return self.old.get(&id);
    }
    self.slot_of(id).map(|i| &self.slots[i].r)
  }

  pub fn get_mut(&mut self, id: u64) -> Option<&mut Resource> {
    if id < self.base {
      return self.old.get_mut(&id);
    }
    match self.slot_of(id) {
      Some(i) => Some(&mut self.slots[i].r),
      None => None,
    }
  }

  pub fn remove(&mut self, id: u64) -> Option<Resource> {
    if id < self.base {
      return self.old.remove(&id);
    }
    let i = self.slot_of(id)?;
    let slot = &mut self.slots[i];
    slot.id = EMPTY;
    let r = slot.r;
    self.in_window -= 1;
    if id == self.base || self.in_window == 0 {
      self.trim();
    }
    Some(r)
  }

  pub fn iter(&self) -> impl Iterator<Item = (u64, &Resource)> {
    self
      .slots
      .iter()
      .filter(|s| s.id != EMPTY)
      .map(|s| (s.id, &s.r))
      .chain(self.old.iter().map(|(&id, r)| (id, r)))
  }

  /// Bytes held by the two containers (not counting what entries point to).
  pub fn bytes(&self) -> usize {
    self.slots.capacity() * std::mem::size_of::<Slot>()
      + self.old.capacity() * (std::mem::size_of::<(u64, Resource)>() + 1)
  }

  /// Gives memory back after a burst (neither container shrinks by itself).
  pub fn shrink(&mut self) {
    let cap = self.slots.len();
    if cap > self.min_cap() {
      let span = if self.in_window == 0 { 0 } else { (self.end - self.base) as usize };
      if span * 4 < cap {
        self.resize((span * 2).next_power_of_two().max(self.min_cap()));
      }
    }
    if self.old.capacity() > 1024 && self.old.len() * 4 < self.old.capacity() {
      self.old.shrink_to(self.old.len() * 2);
    }
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  fn res(trigger: u64) -> Resource {
    Resource { trigger, ..Resource::default() }
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
