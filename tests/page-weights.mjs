// Each page's download, as the budget counts it (docs/budgets.md): GNU `gzip -9` of the wasm, js and css
// its HTML references (every page is its own bundle), and of the HTML itself. Shared by the
// budget test (tests/e2e/weight.spec.mjs) and `make bench` (tests/bench/browser.mjs).
// GNU gzip is the reference: Node's bundled zlib packs wasm about 1.4 % larger.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** docs/budgets.md: wasm + js + css, gzip -9, in bytes. The embed page lives in other
 * people's documents and gets less. */
export const PAGE_BUDGET_BYTES = { 'embed.html': 250_000, default: 350_000 };

/** The budget of `page` (`index.html` …) in bytes. */
export const budgetOf = (page) => PAGE_BUDGET_BYTES[page] ?? PAGE_BUDGET_BYTES.default;

/** `{ "index.html": { assets: [...], wasm_js_css, html } , … }` for every page in `dist`. */
export function pageWeights(dist) {
  const gz = (f) => execFileSync('gzip', ['-9c', `${dist}/${f}`], { maxBuffer: 64 << 20 }).length;
  const pages = readdirSync(dist).filter((f) => f.endsWith('.html'));
  return Object.fromEntries(
    pages.map((page) => {
      const html = readFileSync(`${dist}/${page}`, 'utf8');
      const assets = [...new Set([...html.matchAll(/\.\/([\w.-]+\.(?:wasm|js|css))/g)].map((m) => m[1]))];
      return [page, { assets, wasm_js_css: assets.reduce((sum, f) => sum + gz(f), 0), html: gz(page) }];
    }),
  );
}
