#!/usr/bin/env bash
# Trunk post-build hook: build poolsim's other pages beside index.html.
#
# Each page is its own wasm bundle (a binary in src/bin, an HTML file at the top of the
# repository), so that each downloads only what it shows and stays within the page-weight
# budget. Trunk builds one HTML file per run: this hook runs it once more per page, into
# target/pages/<page>, and copies the result into the build being staged, as <page>.html
# and its hashed assets. `trunk build` and `trunk serve` both get every page.
set -euo pipefail

PAGES=(compare)

# The nested builds run this hook too: they have nothing more to build.
[[ -n "${POOLSIM_NESTED_PAGE:-}" ]] && exit 0

cd "${TRUNK_SOURCE_DIR:?run by trunk as a post_build hook}"
profile=()
[[ "${TRUNK_PROFILE:-}" == release ]] && profile=(--release)

for page in "${PAGES[@]}"; do
  out="target/pages/$page"
  POOLSIM_NESTED_PAGE="$page" trunk build "${profile[@]}" --dist "$out" "$page.html"
  # The page's HTML under its own name; its assets (hashed names: no clashes) beside it.
  cp "$out/index.html" "$TRUNK_STAGING_DIR/$page.html"
  find "$out" -maxdepth 1 -type f ! -name index.html -exec cp -n {} "$TRUNK_STAGING_DIR/" \;
done
