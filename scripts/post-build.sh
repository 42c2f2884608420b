#!/usr/bin/env bash
# Trunk post-build hook, in this order (the third is at the end):
#
# 1. Release builds: minify the JavaScript (wasm-bindgen's glue) with esbuild. Trunk's own
#    minifier cannot read it; minified, it is a quarter smaller (the page-weight budget).
#    Not the replication worker's (loaded only when the compare page runs many seeds).
# 2. Build poolsim's other pages beside index.html. Each page is its own wasm bundle (a
#    binary in src/bin, an HTML file at the top of the repository), so each downloads only
#    what it shows. Trunk builds one HTML file per run: this runs it once more per page,
#    into target/pages/<page>, and copies the result into the build being staged, as
#    <page>.html and its hashed assets. `trunk build` and `trunk serve` both get every page.
set -euo pipefail

PAGES=(compare embed share learn)

cd "${TRUNK_SOURCE_DIR:?run by trunk as a post_build hook}"
staging="${TRUNK_STAGING_DIR:?}"

if [[ "${TRUNK_PROFILE:-}" == release ]]; then
  for js in "$staging"/*.js; do
    [[ -e "$js" ]] || continue
    # A worker's script (Trunk's data-type="worker") is a classic script whose global
    # `wasm_bindgen` its loader calls: minified as a module, that name would be lost.
    [[ "$(basename "$js")" == *worker* ]] && continue
    node_modules/.bin/esbuild "$js" --minify --format=esm --log-level=warning --outfile="$js.min"
    mv "$js.min" "$js"
  done
fi

# The nested builds run this hook too: they have no other pages to build.
[[ -n "${POOLSIM_NESTED_PAGE:-}" ]] && exit 0

profile=()
[[ "${TRUNK_PROFILE:-}" == release ]] && profile=(--release)
for page in "${PAGES[@]}"; do
  out="target/pages/$page"
  POOLSIM_NESTED_PAGE="$page" trunk build "${profile[@]}" --dist "$out" "$page.html"
  # The page's HTML under its own name; its assets (hashed names: no clashes) beside it.
  cp "$out/index.html" "$staging/$page.html"
  find "$out" -maxdepth 1 -type f ! -name index.html -exec cp -n {} "$staging/" \;
done

# 3. Release builds: a Content-Security-Policy in every page (scripts/csp.mjs). Not in
#    `trunk serve`'s debug builds, whose live reload injects a script of its own.
if [[ "${TRUNK_PROFILE:-}" == release ]]; then
  node scripts/csp.mjs "$staging"/*.html
fi
