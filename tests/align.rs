//! Alignment against versions made by the test itself: the other Serbian
//! script (no numeric finding allowed), and copies of the corpus plans with
//! numbers changed inside tables and text (digit dropped, digit changed,
//! digits swapped, value ×10, value moved to the next cell) next to
//! format-only rewrites. Recall and precision over every seeded mutation
//! must both reach 95%.

mod support;

use planrec::align::{self, Finding, Severity};
use planrec::extract::{self, PlanRecord};
use planrec::normalize::numbers::Kind;
use planrec::read::{ReadOptions, read_path};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[path = "support/scratch.rs"]
mod scratch;

/// Normalization's tables of the embedded vocabulary.
fn norm() -> &'static planrec::normalize::Norm {
    vocab().norm()
}

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(name)
}

fn record_of_text(name: &str, text: &str) -> PlanRecord {
    let dir = scratch::scratch("align");
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    let doc = read_path(&p, &ReadOptions::default()).unwrap();
    let _ = std::fs::remove_file(&p);
    extract::extract(&doc, vocab())
}

fn serious(f: &Finding) -> bool {
    f.severity != Severity::FormatOnly
}

fn lines_of(f: &Finding) -> Vec<u32> {
    f.a.iter()
        .chain(f.b.iter())
        .filter_map(|p| p.provenance.line)
        .flat_map(|[x, y]| x..=y)
        .collect()
}

#[test]
fn cyrillic_against_its_latin_transliteration() {
    for name in [
        "plandiste_2019_sr-Cyrl.txt",
        "irig_2022-2027_sr-Cyrl.txt",
        "ljubovija_2026-2028_sr-Cyrl.txt",
    ] {
        let cyr = std::fs::read_to_string(corpus(name)).unwrap();
        let lat = norm().to_latin(&cyr);
        let a = record_of_text(&format!("cyr-{name}"), &cyr);
        let b = record_of_text(&format!("lat-{name}"), &lat);
        let al = align::align(&a, &b, vocab());
        let bad: Vec<&Finding> = al.findings.iter().filter(|f| serious(f)).collect();
        assert!(bad.is_empty(), "{name}: {bad:#?}");
        assert!(!al.has_errors());
        assert!(al.aligned.tables as usize == a.tables.len(), "{name}");
    }
}

/// A small deterministic generator, so failures reproduce.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// A number of the base record that a mutation can target: its line, its
/// text as written, and whether it sits in a table cell.
#[derive(Debug, Clone)]
struct Target {
    line: u32,
    raw: String,
    cell: bool,
}

fn targets(rec: &PlanRecord) -> Vec<Target> {
    let ok = |n: &planrec::extract::record::NumberRecord| {
        n.value.is_some()
            && !n.ambiguous
            && matches!(
                n.kind,
                Kind::Integer
                    | Kind::Decimal
                    | Kind::Money
                    | Kind::Count
                    | Kind::Percent
                    | Kind::Year
                    | Kind::Period
            )
            && n.raw.chars().any(|c| c.is_ascii_digit())
            && n.raw
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '%' | '-'))
    };
    let mut out = Vec::new();
    for t in &rec.tables {
        for row in &t.rows {
            for c in row {
                if let Some([l, m]) = c.provenance.line
                    && l == m
                {
                    for n in c.numbers.iter().filter(|n| ok(n)) {
                        out.push(Target {
                            line: l,
                            raw: n.raw.clone(),
                            cell: true,
                        });
                    }
                }
            }
        }
    }
    for p in &rec.paragraphs {
        if let Some([l, m]) = p.provenance.line
            && l == m
        {
            for n in p.numbers.iter().filter(|n| ok(n)) {
                out.push(Target {
                    line: l,
                    raw: n.raw.clone(),
                    cell: false,
                });
            }
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Mutation {
    DropDigit,
    ChangeDigit,
    SwapDigits,
    Times10,
    MoveCell,
    /// Not a change of value: `68.238` written `68238`, `30,5%` as `30,5 %`.
    FormatOnly,
}

/// The occurrence of `raw` in `line` as a whole number (not inside a
/// longer one), when there is exactly one.
fn locate(line: &str, raw: &str) -> Option<usize> {
    let hits: Vec<usize> = line
        .match_indices(raw)
        .map(|(i, _)| i)
        .filter(|&i| {
            let before = line[..i].chars().next_back();
            let mut after = line[i + raw.len()..].chars();
            let (a1, a2) = (after.next(), after.next());
            let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
            let glued_before = before.is_some_and(|c| c.is_ascii_digit() || c == '.' || c == ',');
            let longer_after = digit(a1) || matches!(a1, Some('.' | ',')) && digit(a2);
            !(glued_before || longer_after)
        })
        .collect();
    (hits.len() == 1).then(|| hits[0])
}

/// The new text of `raw` under a mutation, or None when it does not apply.
fn mutate_raw(raw: &str, m: Mutation, rng: &mut Lcg) -> Option<String> {
    let digits: Vec<usize> = raw
        .char_indices()
        .filter(|(_, c)| c.is_ascii_digit())
        .map(|(i, _)| i)
        .collect();
    let mut b: Vec<u8> = raw.as_bytes().to_vec();
    match m {
        Mutation::DropDigit => {
            // Keep at least one digit, never leave a leading zero.
            if digits.len() < 2 {
                return None;
            }
            let i = digits[1 + rng.below(digits.len() - 1)];
            b.remove(i);
        }
        Mutation::ChangeDigit => {
            let i = digits[rng.below(digits.len())];
            let d = b[i] - b'0';
            let mut n = (d + 1 + rng.below(8) as u8) % 10;
            if i == digits[0] && n == 0 && digits.len() > 1 {
                n = if d == 9 { 1 } else { 9 };
            }
            b[i] = b'0' + n;
        }
        Mutation::SwapDigits => {
            let pairs: Vec<(usize, usize)> = digits
                .windows(2)
                .filter(|w| w[1] == w[0] + 1 && b[w[0]] != b[w[1]])
                .filter(|w| !(w[0] == digits[0] && b[w[1]] == b'0'))
                .map(|w| (w[0], w[1]))
                .collect();
            if pairs.is_empty() {
                return None;
            }
            let (x, y) = pairs[rng.below(pairs.len())];
            b.swap(x, y);
        }
        Mutation::Times10 => {
            // Plain integers only, so ×10 is unambiguous: append a zero.
            if !raw.chars().all(|c| c.is_ascii_digit()) || raw.starts_with('0') {
                return None;
            }
            b.push(b'0');
        }
        Mutation::FormatOnly => {
            if let Some(p) = raw.find('%') {
                b.insert(p, b' ');
            } else if raw.len() >= 5
                && raw.chars().filter(|c| !c.is_ascii_digit()).count() == 1
                && (raw.as_bytes()[raw.len() - 4] == b'.' || raw.as_bytes()[raw.len() - 4] == b',')
            {
                // A thousands group written without its separator.
                b.remove(raw.len() - 4);
            } else {
                return None;
            }
        }
        Mutation::MoveCell => return None,
    }
    let s = String::from_utf8(b).ok()?;
    (s != raw).then_some(s)
}

/// Swaps the tab-separated field holding `raw` with the next field.
fn move_cell(line: &str, raw: &str) -> Option<String> {
    let mut fields: Vec<&str> = line.split('\t').collect();
    let hits: Vec<usize> = fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.trim() == raw)
        .map(|(i, _)| i)
        .collect();
    if hits.len() != 1 {
        return None;
    }
    let i = hits[0];
    // Into the next cell: when that one holds no number (empty, or text
    // that moves the other way) one value moved, else two swapped places.
    if i + 1 >= fields.len() || fields[i + 1].trim() == fields[i].trim() {
        return None;
    }
    fields.swap(i, i + 1);
    Some(fields.join("\t"))
}

struct Tally {
    mutations: usize,
    found: usize,
    findings: usize,
    true_findings: usize,
    format_rewrites: usize,
    format_flagged: usize,
    misses: Vec<String>,
    false_alarms: Vec<String>,
    moves: usize,
    moves_single: usize,
}

/// Seeds `copies` copies of one plan with `per_copy` mutations each and
/// tallies what the alignment finds.
fn run_seed(name: &str, copies: usize, per_copy: usize, seed: u64, tally: &mut Tally) {
    run_pair(None, name, copies, per_copy, seed, tally);
}

/// With `partner`, the copies of `name` are aligned against the partner
/// (another language version): findings the unchanged pair already has are
/// the baseline, neither credited nor counted against.
fn run_pair(
    partner: Option<&str>,
    name: &str,
    copies: usize,
    per_copy: usize,
    seed: u64,
    tally: &mut Tally,
) {
    let path = corpus(name);
    let Ok(text) = std::fs::read_to_string(&path) else {
        support::shared::skip(&format!("run_pair {name}"), "corpus file not found");
        return;
    };
    let own = record_of_text(&format!("own-{name}"), &text);
    let base = match partner {
        Some(p) => {
            let Ok(t) = std::fs::read_to_string(corpus(p)) else {
                return;
            };
            record_of_text(&format!("partner-{p}"), &t)
        }
        None => own.clone(),
    };
    let key = |f: &Finding| {
        (
            f.severity.as_str(),
            f.a.as_ref().map(|p| (p.raw.clone(), p.provenance.line)),
            f.b.as_ref().map(|p| (p.raw.clone(), p.provenance.line)),
        )
    };
    let baseline: BTreeSet<_> = align::align(&base, &own, vocab())
        .findings
        .iter()
        .filter(|f| serious(f))
        .map(key)
        .collect();
    let lines: Vec<&str> = text.split('\n').collect();
    let all = targets(&own);
    if all.is_empty() {
        eprintln!("skipping {name}: no single-line number to change");
        return;
    }
    let mut rng = Lcg(seed);
    let kinds = [
        Mutation::DropDigit,
        Mutation::ChangeDigit,
        Mutation::SwapDigits,
        Mutation::Times10,
        Mutation::MoveCell,
        Mutation::FormatOnly,
    ];
    for copy in 0..copies {
        let mut new_lines: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
        let mut used: BTreeSet<u32> = BTreeSet::new();
        let mut real: BTreeMap<u32, String> = BTreeMap::new();
        let mut format: BTreeMap<u32, String> = BTreeMap::new();
        // Lines with a moved cell, and how many values moved there.
        let mut moved: BTreeMap<u32, usize> = BTreeMap::new();
        let mut tries = 0;
        while real.len() + format.len() < per_copy && tries < per_copy * 50 {
            tries += 1;
            let t = &all[rng.below(all.len())];
            // One mutation per line, neighbours left alone, so every
            // finding points at exactly one change.
            if (t.line.saturating_sub(1)..=t.line + 1).any(|l| used.contains(&l)) {
                continue;
            }
            let idx = (t.line - 1) as usize;
            let Some(line) = new_lines.get(idx).cloned() else {
                continue;
            };
            let m = kinds[rng.below(kinds.len())];
            let changed = if m == Mutation::MoveCell {
                if !t.cell {
                    continue;
                }
                let m = move_cell(&line, &t.raw);
                if let Some(new) = &m {
                    // Two values moved when the neighbour held a number.
                    let swapped = line
                        .split('\t')
                        .zip(new.split('\t'))
                        .filter(|(x, y)| x != y && x.chars().any(|c| c.is_ascii_digit()))
                        .count();
                    moved.insert(t.line, swapped.max(1));
                }
                m
            } else {
                locate(&line, &t.raw).and_then(|at| {
                    mutate_raw(&t.raw, m, &mut rng)
                        .map(|new| format!("{}{}{}", &line[..at], new, &line[at + t.raw.len()..]))
                })
            };
            let Some(changed) = changed else {
                continue;
            };
            new_lines[idx] = changed;
            used.insert(t.line);
            let what = format!("{name} copy {copy} line {}: {m:?} `{}`", t.line, t.raw);
            if m == Mutation::FormatOnly {
                format.insert(t.line, what);
            } else {
                real.insert(t.line, what);
            }
        }
        let b = record_of_text(&format!("copy{copy}-{name}"), &new_lines.join("\n"));
        let al = align::align(&base, &b, vocab());
        let serious: Vec<&Finding> = al
            .findings
            .iter()
            .filter(|f| serious(f) && !baseline.contains(&key(f)))
            .collect();
        // Mutated lines, on the copy's side (b).
        let b_lines = |f: &Finding| -> Vec<u32> {
            f.b.iter()
                .filter_map(|p| p.provenance.line)
                .flat_map(|[x, y]| x..=y)
                .collect()
        };
        tally.mutations += real.len();
        tally.format_rewrites += format.len();
        for (line, what) in &real {
            if let Some(values) = moved.get(line) {
                tally.moves += 1;
                // One finding per moved value, not two unrelated ones
                // (missing here, extra there) for each.
                let n = serious.iter().filter(|f| b_lines(f).contains(line)).count();
                if n == *values {
                    tally.moves_single += 1;
                } else {
                    tally
                        .misses
                        .push(format!("{what}: {n} findings for {values} moved"));
                }
            }
            let hit = serious.iter().any(|f| b_lines(f).contains(line));
            if hit {
                tally.found += 1;
            } else {
                tally.misses.push(what.clone());
            }
        }
        for line in format.keys() {
            if serious.iter().any(|f| b_lines(f).contains(line)) {
                tally.format_flagged += 1;
            }
        }
        for f in &serious {
            tally.findings += 1;
            let ls = if partner.is_some() {
                b_lines(f)
            } else {
                lines_of(f)
            };
            if ls.iter().any(|l| real.contains_key(l)) {
                tally.true_findings += 1;
            } else {
                tally.false_alarms.push(format!(
                    "{name} copy {copy}: {} {} {:?} / {:?}",
                    f.severity,
                    f.kind,
                    f.a.as_ref().map(|p| (&p.raw, p.provenance.line)),
                    f.b.as_ref().map(|p| (&p.raw, p.provenance.line))
                ));
            }
        }
        // The right place: every finding on a mutated line names that line
        // on the mutated side.
        for f in &serious {
            if let Some(b) = &f.b
                && let Some([l, _]) = b.provenance.line
                && real.contains_key(&l)
            {
                assert!(
                    f.a.is_none() || f.a.as_ref().unwrap().provenance.line.is_some(),
                    "{f:?}"
                );
            }
        }
    }
}

#[test]
fn seeded_mutations_recall_and_precision() {
    let mut tally = Tally {
        mutations: 0,
        found: 0,
        findings: 0,
        true_findings: 0,
        format_rewrites: 0,
        format_flagged: 0,
        misses: Vec::new(),
        false_alarms: Vec::new(),
        moves: 0,
        moves_single: 0,
    };
    run_seed(
        "mitrovica-south_2024-2026_sr-Latn.txt",
        2,
        30,
        11,
        &mut tally,
    );
    run_seed(
        "mitrovica-south_2024-2026_sq-Latn.txt",
        2,
        30,
        23,
        &mut tally,
    );
    run_seed("irig_2022-2027_sr-Cyrl.txt", 2, 10, 37, &mut tally);
    run_seed("plandiste_2019_sr-Cyrl.txt", 2, 8, 41, &mut tally);
    run_seed("ljubovija_2026-2028_sr-Cyrl.txt", 1, 50, 53, &mut tally);
    // Across languages: the Serbian version against changed copies of the
    // Albanian one.
    run_pair(
        Some("mitrovica-south_2024-2026_sr-Latn.txt"),
        "mitrovica-south_2024-2026_sq-Latn.txt",
        2,
        30,
        67,
        &mut tally,
    );
    if tally.mutations == 0 {
        eprintln!("no corpus: nothing to measure");
        return;
    }
    let recall = tally.found as f64 / tally.mutations as f64;
    let precision = if tally.findings == 0 {
        1.0
    } else {
        tally.true_findings as f64 / tally.findings as f64
    };
    eprintln!(
        "mutations {} found {} (recall {:.3}); findings {} true {} (precision {:.3}); format-only rewrites {} flagged {}",
        tally.mutations,
        tally.found,
        recall,
        tally.findings,
        tally.true_findings,
        precision,
        tally.format_rewrites,
        tally.format_flagged
    );
    for m in &tally.misses {
        eprintln!("missed: {m}");
    }
    for f in &tally.false_alarms {
        eprintln!("false alarm: {f}");
    }
    assert!(
        tally.mutations >= 150,
        "too few mutations: {}",
        tally.mutations
    );
    assert!(recall >= 0.95, "recall {recall:.3}");
    assert!(precision >= 0.95, "precision {precision:.3}");
    assert_eq!(tally.format_flagged, 0, "format-only rewrites reported");
    eprintln!(
        "moved cells {}: reported as one finding {}",
        tally.moves, tally.moves_single
    );
    assert!(tally.moves >= 10, "too few moved cells: {}", tally.moves);
    // A value swapped with an equal neighbour's twin (`15 25 25` →
    // `25 15 25`) is ambiguous; nearly all others are one finding each.
    assert!(
        tally.moves_single * 100 >= tally.moves * 85,
        "moved values reported as several findings"
    );
}

#[test]
fn identical_records_have_no_findings() {
    let Ok(text) = std::fs::read_to_string(corpus("mitrovica-south_2024-2026_sq-Latn.txt")) else {
        return;
    };
    let a = record_of_text("same-a.txt", &text);
    let al = align::align(&a, &a, vocab());
    assert!(al.findings.is_empty(), "{:#?}", al.findings);
    assert!(!al.has_errors());
}

/// Replaces the first line starting with `prefix` by `f(line)`; returns the
/// new text and the 1-based line number.
fn edit_line(text: &str, prefix: &str, f: impl Fn(&str) -> String) -> Option<(String, u32)> {
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let i = lines.iter().position(|l| l.starts_with(prefix))?;
    lines[i] = f(&lines[i]);
    Some((lines.join("\n"), i as u32 + 1))
}

fn check_text(name: &str, text: &str) -> Vec<Finding> {
    align::check(&record_of_text(name, text), vocab()).findings
}

fn found_at(findings: &[Finding], severity: Severity, line: u32) -> bool {
    findings.iter().any(|f| {
        f.severity == severity
            && f.a
                .as_ref()
                .and_then(|p| p.provenance.line)
                .is_some_and(|[x, y]| x <= line && line <= y)
    })
}

#[test]
fn check_finds_seeded_errors_and_nothing_else() {
    let Ok(lj) = std::fs::read_to_string(corpus("ljubovija_2026-2028_sr-Cyrl.txt")) else {
        return;
    };
    let Ok(mi) = std::fs::read_to_string(corpus("mitrovica-south_2024-2026_sr-Latn.txt")) else {
        return;
    };
    // The unchanged plan's own inconsistencies, read line by line, are the
    // fixture of tests/consistency.rs; its budget plan adds up.
    let f = check_text("lj.txt", &lj);
    let in_budget = |f: &Finding| {
        f.severity == Severity::TotalMismatch
            && f.a
                .as_ref()
                .and_then(|p| p.provenance.line)
                .is_some_and(|[l, _]| (720..=810).contains(&l))
    };
    assert!(!f.iter().any(in_budget), "{f:#?}");
    // A measure's amount changed: its row total and its goal's subtotal
    // no longer add up.
    let (t, line) = edit_line(&lj, "Мера 1.2\t325", |l| l.replacen("325", "352", 1)).unwrap();
    let (_, goal) = edit_line(&lj, "Посебан циљ 1.\t", |l| l.to_string()).unwrap();
    let f = check_text("lj-measure.txt", &t);
    assert!(found_at(&f, Severity::TotalMismatch, line), "{f:#?}");
    assert!(found_at(&f, Severity::TotalMismatch, goal), "{f:#?}");
    // An amount written in full dinars among thousands.
    let (t, line) = edit_line(&lj, "Мера 2.1\t33.700", |l| {
        l.replacen("33.700", "33.700.000", 1)
    })
    .unwrap();
    let f = check_text("lj-scale.txt", &t);
    assert!(found_at(&f, Severity::ScaleInconsistent, line), "{f:#?}");
    // Shares of the population no longer adding up to 100%.
    let (t, line) =
        edit_line(&mi, "% stanovnika\t", |l| l.replacen("96.68%", "95.68%", 1)).unwrap();
    let f = check_text("mi-share.txt", &t);
    assert!(found_at(&f, Severity::ShareMismatch, line), "{f:#?}");
    // The unchanged plan: among its own inconsistencies (all of them in
    // fixtures/consistency, checked by tests/consistency.rs) the
    // settlement total of Tabela 5, which really is 100 more than its rows
    // (70156 against 70056).
    let f = check_text("mi.txt", &mi);
    assert!(
        f.iter().any(|f| f.severity == Severity::TotalMismatch
            && f.a.as_ref().is_some_and(|p| p.raw == "70156")),
        "{f:#?}"
    );
}

fn serious_of(a: &str, b: &str) -> Vec<Finding> {
    let ra = record_of_text("syn-a.txt", a);
    let rb = record_of_text("syn-b.txt", b);
    align::align(&ra, &rb, vocab())
        .findings
        .into_iter()
        .filter(serious)
        .collect()
}

#[test]
fn words_digits_and_reordered_label_lists() {
    let a = "Plan socijalne zaštite\n\nU opštini postoji pet naselja i 47 sela. Od toga 528 Romi, 518 Turci i 14 Srbi žive u gradu.\n";
    // Digits for the word, the list in another order and language.
    let b = "Plani i mbrojtjes sociale\n\nNë komunë ka 5 vendbanime dhe 47 fshatra. Prej tyre 14 serb, 528 rom dhe 518 turk jetojnë në qytet.\n";
    let f = serious_of(a, b);
    assert!(f.is_empty(), "{f:#?}");
    // One member of the list changed: one mismatch, paired by its label.
    let b2 = b.replace("528 rom", "582 rom");
    let f = serious_of(a, &b2);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].severity, Severity::NumericMismatch);
    assert_eq!(f[0].a.as_ref().unwrap().value, Some(528.0));
    assert_eq!(f[0].b.as_ref().unwrap().value, Some(582.0));
    // Two number words changed in one sentence, the same values written in
    // digits elsewhere in it: each change pairs with its own word.
    let c = "Plan\n\nIma deset naselja od 500 do 1.000 stanovnika, jedanaest naselja od 100 do 500 i devet naselja ispod 10 stanovnika.\n";
    let d = c
        .replace("deset naselja", "devet naselja")
        .replace("jedanaest", "dvanaest");
    let f = serious_of(c, &d);
    let pairs: Vec<(&str, &str)> = f
        .iter()
        .map(|f| {
            (
                f.a.as_ref().unwrap().raw.as_str(),
                f.b.as_ref().unwrap().raw.as_str(),
            )
        })
        .collect();
    assert_eq!(
        pairs,
        [
            ("deset naselja", "devet naselja"),
            ("jedanaest naselja", "dvanaest naselja")
        ],
        "{f:#?}"
    );
}

#[test]
fn tables_tolerate_added_column_split_rows_and_repeated_headers() {
    let a = "Tabela 1: Korisnici\n\nGrupa\t2023\t2024\t2025\nDeca\t120\t130\t140\nStari\t55\t60\t65\nOSI\t31\t33\t35\nUkupno\t206\t223\t240\n\nKraj.\n";
    // An empty column added by the export, the header repeated after a
    // page break, and the "Stari" row broken in two by it.
    let b = "Tabela 1: Korisnici\n\nGrupa\t\t2023\t2024\t2025\nDeca\t\t120\t130\t140\nStari\t\t55\nGrupa\t\t2023\t2024\t2025\n\t\t\t60\t65\nOSI\t\t31\t33\t35\nUkupno\t\t206\t223\t240\n\nKraj.\n";
    let f = serious_of(a, b);
    assert!(f.is_empty(), "{f:#?}");
    // The table cut in two by a page break in the other version.
    let split = a.replace("Stari\t55", "\nNastavak tabele:\n\nStari\t55");
    let f = serious_of(a, &split);
    assert!(f.is_empty(), "{f:#?}");
    // A value really changed in that table is still found, at its place.
    let b2 = b.replace("31\t33", "31\t38");
    let f = serious_of(a, &b2);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].b.as_ref().unwrap().raw, "38");
    assert_eq!(f[0].b.as_ref().unwrap().provenance.line, Some([8, 8]));
}

#[test]
fn text_and_docx_renditions_agree() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for name in [
        "mitrovica-south_2024-2026_sr-Latn",
        "plandiste_2019_sr-Cyrl",
    ] {
        let txt = root.join("corpus").join(format!("{name}.txt"));
        let Ok(doc) = read_path(&txt, &ReadOptions::default()) else {
            support::shared::skip(
                "text_and_docx_renditions_agree",
                &format!("{name}: no text"),
            );
            continue;
        };
        let a = extract::extract(&doc, vocab());
        let checked = align::check(&a, vocab()).findings.len();
        for writer in ["libreoffice", "pandoc"] {
            let docx = root
                .join("fixtures/seeds-docx")
                .join(format!("{name}.{writer}.docx"));
            let Ok(doc) = read_path(&docx, &ReadOptions::default()) else {
                support::shared::skip(
                    "text_and_docx_renditions_agree",
                    &format!("{} absent", docx.display()),
                );
                continue;
            };
            let b = extract::extract(&doc, vocab());
            let al = align::align(&a, &b, vocab());
            let bad: Vec<&Finding> = al.findings.iter().filter(|f| serious(f)).collect();
            assert!(bad.is_empty(), "{name} {writer}: {bad:#?}");
            assert_eq!(al.aligned.tables as usize, a.tables.len());
            // The same arithmetic findings whatever the format.
            assert_eq!(
                align::check(&b, vocab()).findings.len(),
                checked,
                "{name} {writer}"
            );
        }
    }
}

#[test]
fn check_column_shares_and_totals_on_a_small_table() {
    let ok = "Tabela 2: Korisnici po grupama\n\nGrupa\tBroj\tUdeo (%)\nDeca\t10\t50%\nStari\t6\t30%\nOSI\t4\t20%\nUkupno\t20\t100%\n\nKraj.\n";
    assert!(check_text("shares-ok.txt", ok).is_empty());
    // Shares against their 100% total row, and without one.
    let bad = ok.replace("OSI\t4\t20%", "OSI\t4\t25%");
    let f = check_text("shares-bad.txt", &bad);
    assert_eq!(f.len(), 2, "{f:#?}");
    assert_eq!(f[0].a.as_ref().unwrap().raw, "100%");
    // 4 of the total 20 is 20%, not the 25% stated.
    assert_eq!(f[1].severity, Severity::ShareMismatch);
    assert_eq!(f[1].a.as_ref().unwrap().raw, "25%");
    assert_eq!(f[1].expected, Some(20.0));
    let no_total = bad.replace("Ukupno\t20\t100%\n", "");
    let f = check_text("shares-bad2.txt", &no_total);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].severity, Severity::ShareMismatch);
    let bad = ok.replace("Ukupno\t20", "Ukupno\t21");
    let f = check_text("total-bad.txt", &bad);
    assert!(found_at(&f, Severity::TotalMismatch, 7), "{f:#?}");
}

#[test]
fn codes_that_differ_between_versions_are_reported() {
    let (Ok(sr), Ok(sq)) = (
        std::fs::read_to_string(corpus("mitrovica-south_2024-2026_sr-Latn.txt")),
        std::fs::read_to_string(corpus("mitrovica-south_2024-2026_sq-Latn.txt")),
    ) else {
        return;
    };
    let a = record_of_text("codes-sr.txt", &sr);
    let base = align::align(&a, &record_of_text("codes-sq.txt", &sq), vocab());
    assert!(
        !base
            .findings
            .iter()
            .any(|f| f.severity == Severity::CodeMismatch)
    );
    let changed = sq.replacen("Akt 2.2.3 ", "Akt 2.2.5 ", 1);
    let al = align::align(&a, &record_of_text("codes-sq2.txt", &changed), vocab());
    let codes: Vec<&Finding> = al
        .findings
        .iter()
        .filter(|f| f.severity == Severity::CodeMismatch)
        .collect();
    assert_eq!(codes.len(), 1, "{codes:#?}");
    assert_eq!(codes[0].a.as_ref().unwrap().raw, "2.2.3");
    assert_eq!(codes[0].b.as_ref().unwrap().raw, "2.2.5");
    // Nothing else changed.
    assert_eq!(al.findings.len(), base.findings.len() + 1);
}

/// The embedded vocabulary, built once for this test binary.
fn vocab() -> &'static planrec::vocab::Vocab {
    static V: std::sync::OnceLock<planrec::vocab::Vocab> = std::sync::OnceLock::new();
    V.get_or_init(planrec::vocab::Vocab::embedded)
}
