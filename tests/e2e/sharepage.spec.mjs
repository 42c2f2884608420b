// The share page (share.html): files that hold the whole run — the same files the
// command line writes — imports that refuse bad input without losing anything, and the
// scenarios kept in this browser.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, poolsimText } from './fixtures.mjs';

/** The share page on `path`, its run finished (the page runs it to the end on load). */
async function openShare(page, path) {
  await page.goto(path);
  await expect(page.getByTestId('share-progress')).toHaveText('The files below hold the whole run.', {
    timeout: 60_000,
  });
}

/** Click an export button and read the file it downloads. */
async function exported(page, testId, encoding = 'utf8') {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return readFileSync(await download.path(), encoding);
}

test('the files hold the whole run, as the command line writes them', async ({ page }) => {
  test.slow(); // a run to the end, the command line and five files
  const dir = mkdtempSync(join(tmpdir(), 'poolsim-'));
  poolsimText('run', '--preset', 'fast-leak', '--csv', join(dir, 'run.csv'), '--md', join(dir, 'run.md'));
  await openShare(page, '/share.html?preset=fast-leak');

  const csv = await exported(page, 'export-csv');
  const rows = csv.trim().split('\n');
  expect(rows.length, 'a header and one row per sampled second of the 10 minutes').toBe(1 + 600);
  expect(csv).toBe(readFileSync(join(dir, 'run.csv'), 'utf8'));
  expect(await exported(page, 'export-markdown')).toBe(readFileSync(join(dir, 'run.md'), 'utf8'));

  const svg = await exported(page, 'export-svg');
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return { error: doc.querySelector('parsererror')?.textContent ?? null, root: doc.documentElement.nodeName };
  }, svg);
  expect(parsed).toEqual({ error: null, root: 'svg' });

  const png = await exported(page, 'export-png', null);
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

  const json = JSON.parse(await exported(page, 'export-json'));
  expect(json.name).toBe('Fast leak');
});

test('an import with errors names the field and changes nothing; a good one opens everywhere', async ({ page }) => {
  test.slow(); // two runs to the end
  await openShare(page, '/share.html?preset=slow-leak');
  const before = page.url();
  await page.getByTestId('import-paste').fill('{ "name": "Bad", "pool": { "max_size": "lots" } }');
  await page.getByTestId('import-apply').click();
  await expect(page.getByTestId('import-error')).toContainText('pool.max_size');
  await expect(page.getByTestId('share-scenario')).toHaveText('Slow leak');
  expect(page.url()).toBe(before);

  await page.getByTestId('import-paste').fill('{ "name": "Imported <i>pool</i>", "duration_s": 600, "pool": { "max_size": 7 } }');
  await page.getByTestId('import-apply').click();
  await expect(page.getByTestId('share-scenario')).toHaveText('Imported <i>pool</i>');
  await expect(page.getByTestId('share-progress')).toHaveText('The files below hold the whole run.', {
    timeout: 60_000,
  });
  await expect.poll(() => page.url()).toMatch(/share\.html#v1\./);
  await page.getByTestId('nav-visualizer').click();
  await expect(page.getByTestId('control-pool-size')).toHaveValue('7');
  await expect(page.locator('.scenario-title')).toHaveText('Imported <i>pool</i>');
});

test('saved scenarios survive a reload and load back', async ({ page }) => {
  test.slow(); // a run to the end
  await openShare(page, '/share.html?preset=fast-leak');
  await page.getByTestId('saved-name').fill('My fast leak');
  await page.getByTestId('saved-save').click();
  await expect(page.getByTestId('saved-item-0')).toContainText('My fast leak');
  await page.goto('/share.html?preset=healthy-pool');
  await expect(page.getByTestId('share-scenario')).toHaveText('Healthy pool');
  await expect(page.getByTestId('saved-item-0')).toContainText('My fast leak');
  await page.getByTestId('saved-load-0').click();
  await expect(page.getByTestId('share-scenario')).toHaveText('Fast leak');
});

for (const path of ['/', '/compare.html', '/embed.html', '/share.html', '/learn.html']) {
  test(`${path} carries a Content-Security-Policy: its own scripts and wasm only`, async ({ page }) => {
    await page.goto(path);
    const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(policy).toContain("default-src 'self'");
    expect(policy).toMatch(/script-src 'self' 'wasm-unsafe-eval'( 'sha256-[A-Za-z0-9+/=]+')+;/);
    expect(policy).not.toContain("script-src 'self' 'unsafe-inline'");
    expect(policy).toContain("object-src 'none'");
    // The page ran under it (its inline loader is among the allowed hashes).
    await expect(page.locator('.brand, .embed-title').first()).toBeVisible();
  });
}
