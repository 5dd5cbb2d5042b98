//! Shards of a batch: which of N parts a document belongs to, from its
//! plan key (municipality id and period, the same in every language
//! version), found by the document-facts step alone on a preview of the
//! file; and the batch id every shard's summary carries.

use super::Input;
use crate::extract::{self, PlanRecord, record::DocumentInfo};
use crate::read::{self, ReadOptions};
use sha2::{Digest, Sha256};
use std::path::Path;

/// One of N deterministic parts of a batch: `index` is 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl std::str::FromStr for Shard {
    type Err = String;

    /// Parses `K/N` with 1 ≤ K ≤ N.
    fn from_str(s: &str) -> std::result::Result<Shard, String> {
        let (k, n) = s
            .split_once('/')
            .ok_or_else(|| format!("shard `{s}`: expected K/N, e.g. 2/8"))?;
        let index: usize = k
            .trim()
            .parse()
            .map_err(|_| format!("shard `{s}`: K is not a number"))?;
        let count: usize = n
            .trim()
            .parse()
            .map_err(|_| format!("shard `{s}`: N is not a number"))?;
        if count == 0 || index == 0 || index > count {
            return Err(format!("shard `{s}`: need 1 ≤ K ≤ N"));
        }
        Ok(Shard { index, count })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// Whether the document with this plan key belongs to this shard.
    pub fn owns(&self, key: &str) -> bool {
        shard_of(key, self.count) + 1 == self.index
    }
}

/// 0-based shard of a key among `count`: the first 8 bytes of its SHA-256,
/// so the choice is the same on every machine and every build.
pub fn shard_of(key: &str, count: usize) -> usize {
    let d = Sha256::digest(key.as_bytes());
    let mut x = [0u8; 8];
    x.copy_from_slice(&d[..8]);
    (u64::from_be_bytes(x) % count.max(1) as u64) as usize
}

/// Top-level blocks read by the shard-key preview of a DOCX.
const PREVIEW_BLOCKS: usize = 80;

/// The plan key of a record: municipality id and period, the same for
/// every language version of one plan; `None` when the record names no
/// municipality id.
pub fn plan_key(rec: &PlanRecord) -> Option<String> {
    plan_key_of(&rec.document)
}

/// [`plan_key`] from the document facts alone.
fn plan_key_of(d: &DocumentInfo) -> Option<String> {
    let m = d.municipality_id.as_deref()?;
    let year = |y: Option<i32>| y.map(|y| y.to_string()).unwrap_or_default();
    let (from, to) = d.period.map(|p| (p.from, p.to)).unwrap_or((None, None));
    Some(format!("{m}|{}-{}", year(from), year(to)))
}

/// The shard key of one input: its plan key from the document facts
/// ([`extract::facts`], not the whole extraction) of a preview of the file,
/// or its own relative path when the preview gives none (or fails: the
/// full read will then report the failure in exactly one shard).
pub fn shard_key(input: &Input, opts: &ReadOptions) -> String {
    let rel = Path::new(&input.rel);
    std::fs::read(&input.path)
        .ok()
        .and_then(|bytes| read::preview_bytes(rel, &bytes, opts, PREVIEW_BLOCKS).ok())
        .and_then(|doc| plan_key_of(&extract::facts(&doc, &opts.vocab)))
        .unwrap_or_else(|| format!("path:{}", input.rel))
}

/// The batch id of an input set: SHA-256 of its relative paths in order.
pub fn batch_id<'a>(paths: impl Iterator<Item = &'a str>) -> String {
    let mut h = Sha256::new();
    for p in paths {
        h.update(p.as_bytes());
        h.update(b"\n");
    }
    let d = h.finalize();
    d[..16].iter().map(|b| format!("{b:02x}")).collect()
}
