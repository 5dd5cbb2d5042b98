//! A damaged copy of a plan beside its language versions: the intact
//! Albanian and Serbian versions are paired and aligned with each other, and
//! the copy is reported as a version of the Albanian plan, not in its place
//! (whatever the copy's name makes its place in path order).

use planrec::batch::{self, Options};
use std::path::Path;

#[path = "support/scratch.rs"]
mod scratch;
use scratch::Scratch;

const SQ: &str = "mitrovica-south_2024-2026_sq-Latn";
const SR: &str = "mitrovica-south_2024-2026_sr-Latn";

fn corpus(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("corpus")
            .join(name),
    )
    .expect("bundled corpus plan")
}

fn tmp(tag: &str) -> Scratch {
    scratch::scratch(&format!("damaged-{tag}"))
}

/// The pairs of a run over both versions and a copy of the Albanian one
/// cut off at about a third, named `copy`.
fn pairs_with_copy(tag: &str, copy: &str) -> (Vec<(String, String)>, Vec<String>) {
    let base = tmp(tag);
    let inp = base.join("in");
    std::fs::create_dir_all(&inp).expect("input dir");
    let sq = corpus(&format!("{SQ}.txt"));
    std::fs::write(inp.join(format!("{SQ}.txt")), &sq).expect("write");
    std::fs::write(inp.join(format!("{SR}.txt")), corpus(&format!("{SR}.txt"))).expect("write");
    // Cut at a line end a third of the way in: the title page and the
    // first tables survive, the rest of the plan is gone.
    let cut = sq[sq.len() / 3..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(sq.len(), |p| sq.len() / 3 + p + 1);
    std::fs::write(inp.join(format!("{copy}.txt")), &sq[..cut]).expect("write");
    let opts = Options {
        jobs: 2,
        ..Options::default()
    };
    let r = batch::run(&inp, &base.join("out"), &opts, &|_| {}).expect("run");
    assert!(r.summary.failures.is_empty(), "{:?}", r.summary.failures);
    let pairs = r
        .summary
        .pairs
        .iter()
        .map(|p| (p.a.clone(), p.b.clone()))
        .collect();
    let _ = std::fs::remove_dir_all(&base);
    (pairs, r.summary.unpaired.clone())
}

fn assert_intact_pair_wins(tag: &str, copy: &str) {
    let (pairs, unpaired) = pairs_with_copy(tag, copy);
    let has = |x: &str, y: &str| {
        pairs
            .iter()
            .any(|(a, b)| (a == x && b == y) || (a == y && b == x))
    };
    assert!(has(SQ, SR), "the intact pair was not aligned: {pairs:?}");
    assert!(
        !has(copy, SR),
        "the damaged copy took the Albanian plan's place: {pairs:?}"
    );
    // The copy is reported, as a version of the plan it was cut from.
    assert!(
        has(copy, SQ) || unpaired.iter().any(|u| u == copy),
        "the copy is not reported: {pairs:?} {unpaired:?}"
    );
}

#[test]
fn damaged_copy_named_before_the_plan_does_not_take_its_place() {
    // `-` sorts before `.`: the copy comes first in path order.
    assert_intact_pair_wins("before", &format!("{SQ}-copy"));
}

#[test]
fn damaged_copy_named_after_the_plan_does_not_take_its_place() {
    assert_intact_pair_wins("after", &format!("zz-{SQ}"));
}
