#!/usr/bin/env bash
# Seed the fuzz corpora from the fixtures (the seeds are not committed twice):
# JS-like files for analyze_js, pages for analyze_html, actions exports for
# actions_config. Run from anywhere; idempotent.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
fixtures="$here/../fixtures"
mkdir -p "$here/corpus/analyze_js" "$here/corpus/analyze_html" "$here/corpus/memo_html" "$here/corpus/actions_config"
n=0
while IFS= read -r -d '' f; do
  n=$((n + 1))
  name="seed-$(printf %02d $n)-$(basename "$f")"
  case "$f" in
    *.js|*.mjs|*.cjs|*.jsx|*.ts|*.tsx) cp "$f" "$here/corpus/analyze_js/$name" ;;
    *.html|*.htm|*.vue|*.svelte|*.astro) cp "$f" "$here/corpus/analyze_html/$name"; cp "$f" "$here/corpus/memo_html/$name" ;;
    *.yaml|*.yml|*.json) cp "$f" "$here/corpus/actions_config/$name" ;;
  esac
done < <(find "$fixtures" -type f -print0 | sort -z)
echo "seeded $n files from fixtures/"
