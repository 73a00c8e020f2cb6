#!/usr/bin/env python3
"""Pick the checked-in corpus of a fuzz target from a libFuzzer merge.

Usage (from fuzz/): pick_corpus.py CONTROL_FILE OUT_DIR [MAX_FILES [MAX_BYTES]]

CONTROL_FILE is what `-merge=1 -merge_control_file=CONTROL_FILE` leaves: every input of the
merge with the coverage features it reaches. Inputs are chosen greedily, the most new features
per byte first, until MAX_FILES (default 50) or MAX_BYTES (default 250000) is reached, and
copied into OUT_DIR under their SHA-1.
"""
import hashlib
import os
import sys


def main():
    ctl, out = sys.argv[1], sys.argv[2]
    max_files = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    max_bytes = int(sys.argv[4]) if len(sys.argv) > 4 else 250000
    lines = open(ctl).read().split("\n")
    n = int(lines[0])
    files = lines[2 : 2 + n]
    features = {}
    for line in lines[2 + n :]:
        parts = line.split()
        if len(parts) >= 2 and parts[0] == "FT":
            features[int(parts[1])] = set(map(int, parts[2:]))
    covered, chosen, total = set(), [], 0
    while len(chosen) < max_files:
        best, gain = None, 0
        for i, f in features.items():
            size = os.path.getsize(files[i])
            if i in chosen or total + size > max_bytes or size > 20000:
                continue
            g = len(f - covered) / (1 + size / 2000)
            if g > gain:
                best, gain = i, g
        if best is None:
            break
        chosen.append(best)
        covered |= features[best]
        total += os.path.getsize(files[best])
    every = set().union(*features.values()) if features else set()
    os.makedirs(out, exist_ok=True)
    for i in chosen:
        data = open(files[i], "rb").read()
        open(os.path.join(out, hashlib.sha1(data).hexdigest()), "wb").write(data)
    print(f"{len(chosen)} files, {total} bytes, {len(covered)}/{len(every)} features")


if __name__ == "__main__":
    main()
