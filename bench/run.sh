#!/usr/bin/env bash
# The action-lint benchmark: action-lint vs ripgrep vs an ESLint rule, on the
# generated sparse and dense sites. Not part of CI; run on demand.
#
#   bench/run.sh [--scale S] [--seed N] [--runs N] [--eslint-runs N]
#                [--skip-eslint] [--skip-extra] [--memory-pages "A B"]
#
#   --scale S          site size; 1.0 = full size (a few hundred MB per site). Default 1.0.
#   --seed N           generator seed. Default 42.
#   --runs N           timed runs of action-lint and ripgrep per site. Default 5.
#   --eslint-runs N    timed runs of ESLint per site (it is slow). Default 1.
#   --skip-eslint      leave ESLint out.
#   --skip-extra       leave out the --jobs 1/2, memory-growth and explicit-files checks.
#   --memory-pages "A B"  page counts of the dense variants for the RSS growth check.
#                         Default "2000 20000".
#
# Installs what it needs if missing (ripgrep, GNU time, the npm packages),
# builds action-lint (release), generates the sites under bench/work/sites
# (cached by seed, scale and generator), warms the page cache, then times the
# tools alternating within each round, with /usr/bin/time (wall, user+sys CPU,
# peak RSS). Raw results: bench/work/results/<stamp>.tsv; the table is printed
# and also written to bench/work/results/<stamp>.md.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
WORK=$HERE/work

SCALE=1.0
SEED=42
RUNS=5
ESLINT_RUNS=1
SKIP_ESLINT=0
SKIP_EXTRA=0
MEMORY_PAGES="2000 20000"
JOBS=2

while [ $# -gt 0 ]; do
  case "$1" in
    --scale) SCALE=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --eslint-runs) ESLINT_RUNS=$2; shift 2 ;;
    --skip-eslint) SKIP_ESLINT=1; shift ;;
    --skip-extra) SKIP_EXTRA=1; shift ;;
    --memory-pages) MEMORY_PAGES=$2; shift 2 ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

log() { printf '\n== %s\n' "$*" >&2; }

# ---------------------------------------------------------------- tools
apt_install() {
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y "$@" >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y "$@" >/dev/null; }
  else
    sudo apt-get install -y "$@" >/dev/null 2>&1 || { sudo apt-get update >/dev/null && sudo apt-get install -y "$@" >/dev/null; }
  fi
}
command -v rg >/dev/null || { log "installing ripgrep"; apt_install ripgrep; }
[ -x /usr/bin/time ] || { log "installing GNU time"; apt_install time; }
command -v python3 >/dev/null || { log "installing python3"; apt_install python3; }
if ! command -v npm >/dev/null; then log "installing node and npm"; apt_install nodejs npm; fi

if [ ! -d "$WORK/npm/node_modules/lodash" ]; then
  log "installing library packages (copied into the sites) into bench/work/npm"
  mkdir -p "$WORK/npm"
  npm install --prefix "$WORK/npm" --no-audit --no-fund --loglevel=error \
    lodash@4 moment@2 jquery@3 three@0 d3@7 react@18 react-dom@18 >/dev/null \
    || echo "warning: npm install failed; the generator falls back to synthetic bundles" >&2
fi
if [ "$SKIP_ESLINT" = 0 ] && [ ! -x "$HERE/eslint/node_modules/.bin/eslint" ]; then
  log "installing ESLint and eslint-plugin-html into bench/eslint/node_modules"
  (cd "$HERE/eslint" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

log "building action-lint (release)"
(cd "$ROOT" && cargo build --release --quiet)
AL=${CARGO_TARGET_DIR:-$ROOT/target}/release/action-lint
RG=$(command -v rg)
ESLINT=(node "$HERE/eslint/node_modules/eslint/bin/eslint.js" --config "$HERE/eslint/eslint.config.mjs" -f json -o /dev/null .)
# ESLint keeps every file's AST and results; give it room on the big sites.
export NODE_OPTIONS="--max-old-space-size=8192"

# ---------------------------------------------------------------- sites
GENHASH=$( (cat "$HERE/gen.py"; ls -l "$WORK/npm/node_modules" 2>/dev/null) | sha256sum | cut -c1-16)
gen_sites() { # DIR ARGS... — generate unless cached with the same generator
  local dir=$1; shift
  if [ -f "$dir/GENHASH" ] && [ "$(cat "$dir/GENHASH")" = "$GENHASH" ]; then
    return
  fi
  log "generating $(basename "$dir") ($*)"
  rm -rf "$dir"
  python3 "$HERE/gen.py" --out "$dir" "$@"
  echo "$GENHASH" >"$dir/GENHASH"
}
SITES=$WORK/sites/s$SEED-x$SCALE
gen_sites "$SITES" --seed "$SEED" --scale "$SCALE"

# ---------------------------------------------------------------- timing
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$WORK/results"
TSV=$WORK/results/$STAMP.tsv
printf 'label\ttool\twall_s\tuser_s\tsys_s\tmaxrss_kb\trc\n' >"$TSV"
TMPT=$(mktemp)
trap 'rm -f "$TMPT" "$TMPT.err" "$TMPT.wall"' EXIT

# measure LABEL TOOL DIR CMD... — one timed run, appended to the TSV.
measure() {
  local label=$1 tool=$2 dir=$3; shift 3
  local rc=0
  # Wall time from bash's clock (microseconds; GNU time's %e has only
  # centiseconds, 3 % of a 0.35 s run); CPU and peak RSS from GNU time.
  (
    cd "$dir" || exit 2
    start=$EPOCHREALTIME
    /usr/bin/time -f '%e %U %S %M' -o "$TMPT" "$@" >/dev/null 2>"$TMPT.err"
    rc=$?
    echo "$start $EPOCHREALTIME" >"$TMPT.wall"
    exit $rc
  ) || rc=$?
  # action-lint and ESLint exit 1 when they find problems; 2 is a failed run.
  if [ "$rc" -ge 2 ]; then
    echo "run.sh: $tool failed (exit $rc) in $dir:" >&2
    head -20 "$TMPT.err" >&2
    exit 1
  fi
  read -r _ user sys rss < <(grep -E '^[0-9.]+ [0-9.]+ [0-9.]+ [0-9]+$' "$TMPT" | tail -1)
  wall=$(awk '{printf "%.4f", $2 - $1}' "$TMPT.wall")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$tool" "$wall" "$user" "$sys" "$rss" "$rc" >>"$TSV"
  printf '  %-14s %-16s %7ss  cpu %6ss  rss %6s MB\n' "$label" "$tool" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u + s}')" "$((rss / 1024))" >&2
}

al() { echo "$AL" check . --no-ignore --format json --jobs "$1"; }
rg_cmd() { RG_CMD=("$RG" -c 'talkativeApi|triggerAction' -g '*.{html,htm,js,mjs,cjs,jsx,ts,tsx}' --threads "$1" --no-ignore .); }
rg_cmd 1; RG_J1=("${RG_CMD[@]}")
rg_cmd "$JOBS"

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
log "warm-up (page cache), not timed"
for site in sparse dense; do
  (cd "$SITES/$site" && $(al $JOBS) >/dev/null 2>&1 || true; "${RG_CMD[@]}" >/dev/null || true)
done

log "main comparison: $RUNS rounds, alternating (scale $SCALE)"
for i in $(seq 1 "$RUNS"); do
  for site in sparse dense; do
    measure "$site" action-lint "$SITES/$site" $(al $JOBS)
    measure "$site" ripgrep "$SITES/$site" "${RG_CMD[@]}"
    if [ "$SKIP_ESLINT" = 0 ] && [ "$i" -le "$ESLINT_RUNS" ]; then
      measure "$site" eslint "$SITES/$site" "${ESLINT[@]}"
    fi
  done
done

if [ "$SKIP_EXTRA" = 0 ]; then
  # Twice the runs: the ratio is judged at 1.8, and a run's spread on this
  # kind of machine is as large as the gap. ripgrep's own ratio on the same
  # files, in the same rounds, is the machine's ceiling for reading them.
  log "threads: --jobs 1 vs --jobs 2 on dense (ripgrep --threads 1 vs 2 beside), alternating, $((2 * RUNS)) rounds"
  for i in $(seq 1 $((2 * RUNS))); do
    measure dense-jobs action-lint-j1 "$SITES/dense" $(al 1)
    measure dense-jobs action-lint-j2 "$SITES/dense" $(al 2)
    measure dense-jobs ripgrep-j1 "$SITES/dense" "${RG_J1[@]}"
    measure dense-jobs ripgrep-j2 "$SITES/dense" "${RG_CMD[@]}"
  done

  log "explicit files (pre-commit): 5 files of the sparse site, from its root"
  mapfile -t EXPLICIT <"$SITES/sparse-explicit.txt"
  for i in $(seq 1 "$RUNS"); do
    measure explicit action-lint "$SITES/sparse" "$AL" check --no-ignore --format json --jobs "$JOBS" "${EXPLICIT[@]}"
  done

  log "memory growth: dense site with ${MEMORY_PAGES// / vs } pages"
  for n in $MEMORY_PAGES; do
    gen_sites "$WORK/sites/s$SEED-x$SCALE-p$n" --seed "$SEED" --scale "$SCALE" --site dense --pages "$n"
    (cd "$WORK/sites/s$SEED-x$SCALE-p$n/dense" && $(al $JOBS) >/dev/null 2>&1 || true)
  done
  for i in $(seq 1 3); do
    for n in $MEMORY_PAGES; do
      measure "pages-$n" action-lint "$WORK/sites/s$SEED-x$SCALE-p$n/dense" $(al $JOBS)
    done
  done
fi

# ---------------------------------------------------------------- table
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
MD=$WORK/results/$STAMP.md
{
  echo "Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM;" \
    "load average $LOAD_START at start, $LOAD_END at end."
  echo "Versions: action-lint $(cd "$ROOT" && git rev-parse --short HEAD), $("$RG" --version | sed -n 1p)$( [ "$SKIP_ESLINT" = 0 ] && echo ", ESLint $(node "$HERE/eslint/node_modules/eslint/bin/eslint.js" --version), eslint-plugin-html $(node -p "require('$HERE/eslint/node_modules/eslint-plugin-html/package.json').version"), node $(node --version)")."
  echo "Command: bench/run.sh --scale $SCALE --seed $SEED --runs $RUNS --eslint-runs $ESLINT_RUNS$( [ "$SKIP_ESLINT" = 1 ] && echo ' --skip-eslint')$( [ "$SKIP_EXTRA" = 1 ] && echo ' --skip-extra') --memory-pages \"$MEMORY_PAGES\""
  echo
} >"$MD"
python3 - "$TSV" "$SITES/STAMP.json" "$MEMORY_PAGES" "$SCALE" "$RUNS" "$ESLINT_RUNS" >>"$MD" <<'PY'
import csv, json, statistics, sys
tsv, stamp_path, mem_pages, scale, runs, eruns = sys.argv[1:]
rows = list(csv.DictReader(open(tsv), delimiter="\t"))
stamp = json.load(open(stamp_path))

def med(label, tool, key):
    xs = [float(r[key]) for r in rows if r["label"] == label and r["tool"] == tool]
    return statistics.median(xs) if xs else None

def cpu(label, tool):
    xs = [float(r["user_s"]) + float(r["sys_s"]) for r in rows if r["label"] == label and r["tool"] == tool]
    return statistics.median(xs) if xs else None

def n(label, tool):
    return sum(1 for r in rows if r["label"] == label and r["tool"] == tool)

def fmt(x, d=2):
    return "—" if x is None else f"{x:.{d}f}"

def mb(kb):
    return None if kb is None else kb / 1024

targets = []
print(f"Scale {scale}, seed {stamp['seed']}; medians of {runs} runs (ESLint: {eruns}); 2 threads for every tool.\n")
print("| site | files | MB | tool | runs | wall (s) | CPU user+sys (s) | peak RSS (MB) | ratio |")
print("|---|---:|---:|---|---:|---:|---:|---:|---|")
for site in ("sparse", "dense"):
    st = stamp["sites"][site]
    al, rg, es = med(site, "action-lint", "wall_s"), med(site, "ripgrep", "wall_s"), med(site, "eslint", "wall_s")
    for tool in ("action-lint", "ripgrep", "eslint"):
        if not n(site, tool):
            continue
        ratio = ""
        if tool == "action-lint" and rg:
            ratio = f"{al / rg:.2f}× ripgrep"
        if tool == "eslint" and al:
            ratio = f"{es / al:.1f}× action-lint"
        print(f"| {site} | {st['files']} | {st['bytes'] / 1e6:.0f} | {tool} | {n(site, tool)} | {fmt(med(site, tool, 'wall_s'))} | {fmt(cpu(site, tool))} | {fmt(mb(med(site, tool, 'maxrss_kb')), 0)} | {ratio} |")
    limit = 1.5 if site == "sparse" else 4.0
    if al and rg:
        targets.append((f"{site}: action-lint ≤ {limit}× ripgrep", f"{al / rg:.2f}×", al / rg <= limit))
    if al and es:
        targets.append((f"{site}: ≥ 100× faster than ESLint", f"{es / al:.1f}×", es / al >= 100))
    rss = mb(med(site, "action-lint", "maxrss_kb"))
    if rss is not None:
        targets.append((f"{site}: peak RSS ≤ 100 MB", f"{rss:.0f} MB", rss <= 100))

extra = []
j1, j2 = med("dense-jobs", "action-lint-j1", "wall_s"), med("dense-jobs", "action-lint-j2", "wall_s")
if j1 and j2:
    extra.append(f"| dense, --jobs 1 vs --jobs 2 | {fmt(j1, 3)} s vs {fmt(j2, 3)} s (CPU {fmt(cpu('dense-jobs', 'action-lint-j1'))} s vs {fmt(cpu('dense-jobs', 'action-lint-j2'))} s) | speed-up {j1 / j2:.3f}× |")
    targets.append(("dense: 2 threads ≥ 1.8× 1 thread", f"{j1 / j2:.3f}×", j1 / j2 >= 1.8))
r1, r2 = med("dense-jobs", "ripgrep-j1", "wall_s"), med("dense-jobs", "ripgrep-j2", "wall_s")
if r1 and r2:
    extra.append(f"| dense, ripgrep --threads 1 vs 2 (the same rounds) | {fmt(r1, 3)} s vs {fmt(r2, 3)} s | speed-up {r1 / r2:.3f}× |")
ex = med("explicit", "action-lint", "wall_s")
if ex is not None:
    extra.append(f"| explicit files (5 files of sparse, whole-root facts) | {fmt(ex)} s wall, {fmt(mb(med('explicit', 'action-lint', 'maxrss_kb')), 0)} MB | |")
    targets.append(("explicit-files mode ≤ 0.5 s", f"{ex:.2f} s", ex <= 0.5))
pages = mem_pages.split()
mems = [(p, mb(med(f"pages-{p}", "action-lint", "maxrss_kb")), med(f"pages-{p}", "action-lint", "wall_s")) for p in pages]
if all(m is not None for _, m, _ in mems) and len(mems) == 2:
    (pa, ma, wa), (pb, mb_, wb) = mems
    # Per added page too: what a bound per file (BENCHMARKS.md, "Session 13") would be checked against.
    per_page = (mb_ - ma) * 1024 / (int(pb) - int(pa)) if pb != pa else 0.0
    extra.append(f"| peak RSS, dense {pa} vs {pb} pages | {ma:.0f} MB vs {mb_:.0f} MB ({fmt(wa)} s vs {fmt(wb)} s); {per_page:.1f} KB per added page | growth {mb_ / ma:.2f}× |")
    targets.append((f"RSS not growing with files ({pa} → {pb} pages)", f"{ma:.0f} → {mb_:.0f} MB", mb_ <= 100 and mb_ <= 1.25 * ma))
if extra:
    print("\n| check | measured | |\n|---|---|---|")
    print("\n".join(extra))
print("\n| target | measured | met |\n|---|---|---|")
for t, v, ok in targets:
    print(f"| {t} | {v} | {'yes' if ok else '**no**'} |")
PY
log "results: $TSV"
cat "$MD"
