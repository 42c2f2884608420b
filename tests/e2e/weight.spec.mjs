// The download budget (docs/budgets.md: wasm + js + css, gzip -9: the embed page ≤ 250 KB,
// every other page ≤ 350 KB), checked on the release
// build every test run, page by page: a change that makes a page heavier than its budget
// fails here, not first in `make bench`.
import { test, expect } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { pageWeights, budgetOf } from '../page-weights.mjs';

const dist = fileURLToPath(new URL('../../dist', import.meta.url));
const weights = pageWeights(dist);

test('every page of the site is measured: the visualizer and its four companion pages', () => {
  expect(Object.keys(weights).sort()).toEqual(['compare.html', 'embed.html', 'index.html', 'learn.html', 'share.html']);
  for (const [page, { assets }] of Object.entries(weights)) {
    expect(assets.filter((a) => a.endsWith('.wasm')), `${page} loads one wasm bundle`).toHaveLength(1);
    expect(assets.filter((a) => a.endsWith('.css')), `${page} loads one stylesheet`).toHaveLength(1);
  }
});

for (const page of Object.keys(weights)) {
  test(`${page} downloads at most ${budgetOf(page).toLocaleString('en-US')} B of wasm, js and css (gzip -9)`, () => {
    expect(weights[page].wasm_js_css).toBeLessThanOrEqual(budgetOf(page));
  });
}
