//! A memory budget shared by the workers of a run.
//!
//! Each document is admitted with an estimate of the memory its read and
//! extraction need (from its size, and for a DOCX from the inflated sizes
//! its zip declares); a worker waits until the estimates of the documents
//! in flight leave room for its own. A document estimated above the whole
//! budget runs alone (its own reader limits still bound it). So `-jN`
//! never holds N of the largest documents at once.

use std::sync::{Condvar, Mutex};

/// Bytes of peak memory per byte of text read (the text, its lines, the
/// document model and the record; measured on the corpus' text exports).
const TEXT_FACTOR: u64 = 24;
/// Bytes of peak memory per declared byte of DOCX XML (markup is mostly
/// tags, which the model does not keep).
const XML_FACTOR: u64 = 3;
/// Floor of an estimate: the fixed cost of a document.
const FLOOR: u64 = 4 << 20;

pub struct Budget {
    limit: u64,
    used: Mutex<u64>,
    freed: Condvar,
}

/// A document's share of the budget, returned when dropped.
pub struct Permit<'a> {
    budget: &'a Budget,
    amount: u64,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let mut used = self.budget.used.lock().unwrap_or_else(|p| p.into_inner());
        *used -= self.amount;
        self.budget.freed.notify_all();
    }
}

impl Budget {
    pub fn new(limit: u64) -> Budget {
        Budget {
            limit: limit.max(FLOOR),
            used: Mutex::new(0),
            freed: Condvar::new(),
        }
    }

    /// Waits until `estimate` fits beside the documents in flight.
    pub fn admit(&self, estimate: u64) -> Permit<'_> {
        let amount = estimate.clamp(FLOOR, self.limit);
        let mut used = self.used.lock().unwrap_or_else(|p| p.into_inner());
        while *used + amount > self.limit {
            used = self.freed.wait(used).unwrap_or_else(|p| p.into_inner());
        }
        *used += amount;
        Permit {
            budget: self,
            amount,
        }
    }
}

/// Estimated peak memory of reading and extracting a file of these bytes.
pub fn estimate(bytes: &[u8]) -> u64 {
    let n = bytes.len() as u64;
    match crate::read::sniff(bytes) {
        crate::read::Container::Zip => {
            let xml = crate::read::docx::declared_xml_bytes(bytes).unwrap_or(0);
            n.saturating_add(xml.saturating_mul(XML_FACTOR))
        }
        _ => n.saturating_mul(TEXT_FACTOR),
    }
}

/// The default budget: half of the memory this process may use (the
/// control group's limit when there is one, else the machine's).
pub fn default_limit() -> u64 {
    let cgroup = [
        "/sys/fs/cgroup/memory.max",
        "/sys/fs/cgroup/memory/memory.limit_in_bytes",
    ]
    .iter()
    .filter_map(|p| std::fs::read_to_string(p).ok())
    .filter_map(|s| s.trim().parse::<u64>().ok())
    .min();
    let total = std::fs::read_to_string("/proc/meminfo").ok().and_then(|s| {
        s.lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map(|kb| kb * 1024)
    });
    let mem = match (cgroup, total) {
        (Some(c), Some(t)) => c.min(t),
        (Some(c), None) => c,
        (None, Some(t)) => t,
        (None, None) => 4 << 30,
    };
    mem / 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    #[test]
    fn admitted_estimates_never_exceed_the_budget() {
        let b = Budget::new(100 << 20);
        let peak = AtomicU64::new(0);
        let now = AtomicU64::new(0);
        std::thread::scope(|s| {
            for i in 0..8u64 {
                let (b, peak, now) = (&b, &peak, &now);
                s.spawn(move || {
                    // Two of them are larger than the whole budget.
                    let est = if i % 4 == 0 { 500 << 20 } else { 40 << 20 };
                    let p = b.admit(est);
                    let cur = now.fetch_add(p.amount, Ordering::SeqCst) + p.amount;
                    peak.fetch_max(cur, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(5));
                    now.fetch_sub(p.amount, Ordering::SeqCst);
                });
            }
        });
        assert!(peak.load(Ordering::SeqCst) <= 100 << 20);
        assert_eq!(*b.used.lock().unwrap(), 0);
    }
}
