//! The one cache layer of extraction: a memo of values by text, owned by the
//! document's [`super::Ctx`], so it lives as long as one document and never
//! outlives the lexicons it was computed with.
//!
//! In: a text and the function that computes its value. Out: the value,
//! computed once per distinct text while the memo has room. Bounded: when
//! full it starts over, so a document of millions of distinct cells keeps a
//! fixed footprint (results never depend on hits, only time does).

use crate::normalize::fast_hash::FastMap;
use std::cell::RefCell;

/// Values of type `V` by text, at most `cap` of them.
pub struct Memo<V> {
    map: RefCell<FastMap<Box<str>, V>>,
    cap: usize,
}

impl<V: Clone> Memo<V> {
    pub fn new(cap: usize) -> Memo<V> {
        Memo {
            map: RefCell::new(FastMap::default()),
            cap,
        }
    }

    /// The value of `key`, from the memo or from `make` (then kept).
    pub fn get_or(&self, key: &str, make: impl FnOnce(&str) -> V) -> V {
        if let Some(v) = self.map.borrow().get(key) {
            return v.clone();
        }
        // Computed outside any borrow: `make` may use other memos.
        let v = make(key);
        let mut map = self.map.borrow_mut();
        if map.len() >= self.cap {
            map.clear();
        }
        map.insert(key.into(), v.clone());
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn computes_once_and_stays_bounded() {
        let calls = Cell::new(0);
        let m: Memo<usize> = Memo::new(2);
        let f = |s: &str| {
            calls.set(calls.get() + 1);
            s.len()
        };
        assert_eq!(m.get_or("abc", f), 3);
        assert_eq!(m.get_or("abc", f), 3);
        assert_eq!(calls.get(), 1);
        m.get_or("de", f);
        assert_eq!(calls.get(), 2);
        // Full: the memo starts over instead of growing, so "abc" is
        // computed again while "f", kept after the start-over, is not.
        assert_eq!(m.get_or("f", f), 1);
        assert_eq!(m.get_or("f", f), 1);
        assert_eq!(calls.get(), 3);
        assert_eq!(m.get_or("abc", f), 3);
        assert_eq!(calls.get(), 4);
        assert_eq!(m.map.borrow().len(), 2);
    }
}
