#!/usr/bin/env bash
# Trunk pre-build hook: one stylesheet a page. Each styles/pages/<page>.css lists the area
# stylesheets its page uses as `@import "../<area>.css";` lines; this inlines them into
# target/css/<page>.css, the file the page links. One file compresses better than many
# (the page weight budget) and costs one request.
set -euo pipefail
cd "${TRUNK_SOURCE_DIR:-$(dirname "$0")/..}"
mkdir -p target/css
for page in styles/pages/*.css; do
  out="target/css/$(basename "$page")"
  while IFS= read -r line || [[ -n "$line" ]]; do
    if [[ "$line" =~ ^@import\ \"(.+)\"\;$ ]]; then
      cat "styles/pages/${BASH_REMATCH[1]}"
    else
      printf '%s\n' "$line"
    fi
  done < "$page" > "$out.tmp"
  mv "$out.tmp" "$out"
done
