#!/usr/bin/env python3
"""Dev helper: print a Serbian Latin word list with the Cyrillic spelling of
each word as extra rows, for writing mappings/*.tsv by hand.

Usage: gen_sr_rows.py < rows.tsv  (first field Latin; other fields copied)
Only for Serbian words without l+j/n+j/d+ž exceptions (check the output).
"""
import sys

L2C = {"lj": "љ", "nj": "њ", "dž": "џ"}
S2C = dict(zip("abvgdđežzijklmnoprstćufhcčš", "абвгдђежзијклмнопрстћуфхцчш"))


def cyr(w: str) -> str:
    out, i = [], 0
    while i < len(w):
        pair = w[i:i + 2].lower()
        if pair in L2C:
            c = L2C[pair]
            out.append(c.upper() if w[i].isupper() else c)
            i += 2
            continue
        ch = w[i]
        c = S2C.get(ch.lower(), ch)
        out.append(c.upper() if ch.isupper() else c)
        i += 1
    return "".join(out)


for line in sys.stdin:
    line = line.rstrip("\n")
    if not line or line.startswith("#"):
        print(line)
        continue
    f = line.split("\t")
    print(line)
    c = cyr(f[0])
    if c != f[0]:
        print("\t".join([c] + f[1:]))
