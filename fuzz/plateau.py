#!/usr/bin/env python3
"""Has a libFuzzer run reached a coverage plateau? Reads the log of one run and
prints its final coverage and the coverage it had at 50, 75 and 90 % of its
executions (libFuzzer's status lines carry the execution count, not the time).

usage: fuzz/plateau.py LOG
"""
import re
import sys

points = []
for line in open(sys.argv[1], errors='replace'):
    m = re.match(r'#(\d+)\s+\S+\s+cov: (\d+) ft: (\d+).*exec/s: (\d+)', line)
    if m:
        points.append(tuple(int(x) for x in m.groups()))
if not points:
    sys.exit('no status lines in ' + sys.argv[1])
n, cov, ft, eps = points[-1]
print(f'last: {n} executions, cov {cov}, ft {ft}, {eps} exec/s')
for frac in (0.5, 0.75, 0.9):
    p = [q for q in points if q[0] <= n * frac][-1]
    print(f'at {int(frac * 100)} % of the executions ({p[0]}): cov {p[1]}, ft {p[2]}')
