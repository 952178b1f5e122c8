#!/usr/bin/env python3
"""CPU time of two builds of cloudtrail-lint on the same data, interleaved (old, new, old, new, ...), with medians.

usage: scripts/compare-speed.py OLD_BINARY NEW_BINARY LOG_FILE DAY_DIR [RUNS]

LOG_FILE: e.g. the 200 MB log of `gen-cloudtrail.py --files 1 --records 125300`; DAY_DIR: a day of
`--files 2000 --records 40 --vary --gzip`. The machine is shared and noisy: compare the ratios, not the times.
"""
import resource
import statistics
import subprocess
import sys
import time


def run(binary, args):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.time()
    p = subprocess.run([binary] + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.time() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall, p.returncode


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    old, new, log, day = sys.argv[1:5]
    runs = int(sys.argv[5]) if len(sys.argv) > 5 else 5
    cases = {"log, --jobs 1": ["check", "--jobs", "1", log], "day, both cores": ["check", day]}
    for name, args in cases.items():
        res = {"old": [], "new": []}
        for _ in range(runs):
            for label, binary in (("old", old), ("new", new)):
                res[label].append(run(binary, args))
        for label in ("old", "new"):
            cpu = [r[0] for r in res[label]]
            wall = [r[1] for r in res[label]]
            print(f"{name} {label}: CPU median {statistics.median(cpu):.3f} s (min {min(cpu):.3f}); "
                  f"wall median {statistics.median(wall):.3f} s; exit {res[label][0][2]}")
        ratios = [n[0] / o[0] for o, n in zip(res["old"], res["new"])]
        print(f"{name}: new/old CPU per pair {[round(r, 3) for r in ratios]}, median {statistics.median(ratios):.3f}")


main()
