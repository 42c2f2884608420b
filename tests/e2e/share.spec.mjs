// The run in the address: links open the very same run, in a fresh page and in the
// command line, and a damaged link never hurts.
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { test, expect, openApp, poolsim, poolsimText } from './fixtures.mjs';

/** The outcome line "17,533 (58.0 %)" for a `poolsim run` summary. */
const failedText = (summary) =>
  `${summary.failed.toLocaleString('en-US')} (${(summary.failed_share * 100).toFixed(1)} %)`;

/** Run the page's scenario to its end and read the failed requests (the run's statistics
 *  and its outcome show in the same render). */
async function failedAtEnd(page) {
  await page.getByTestId('run-to-end').click();
  await expect(page.getByTestId('run-stats')).toBeVisible({ timeout: 60_000 });
  return page.getByTestId('outcome-failed').textContent();
}

test('the address holds the run: a copied link opens the same run in a fresh page and in the CLI', async ({ page, browser }) => {
  test.slow(); // two runs to the end and the command line
  await openApp(page, '/?preset=fast-leak');
  await page.getByTestId('control-pool-size').fill('25');
  await page.getByTestId('control-pool-size').press('Enter');
  // The address follows the edit: no longer the preset as shipped, a link holding it all.
  await expect.poll(() => page.url()).toMatch(/#v1\.[A-Za-z0-9_-]+$/);
  await page.getByTestId('copy-link').click();
  // The field shows once the browser has packed the link (and tried the clipboard).
  await expect(page.getByTestId('copy-link-url')).toHaveValue(/#v1\./);
  const link = await page.getByTestId('copy-link-url').inputValue();
  expect(link).toBe(page.url());
  const failed = await failedAtEnd(page);

  const context = await browser.newContext();
  const fresh = await context.newPage();
  await openApp(fresh, link);
  await expect(fresh.getByTestId('control-pool-size')).toHaveValue('25');
  await expect(fresh.getByTestId('preset')).toHaveValue('fast-leak');
  expect(await failedAtEnd(fresh)).toBe(failed);
  await context.close();

  // The command line reads the browser's link (its deflate is the browser's own) alike.
  expect(failedText(poolsim('run', '--link', link))).toBe(failed);
});

test('a link made by the command line opens the same run in the browser', async ({ page, baseURL }) => {
  test.slow(); // a run to the end and the command line
  const dir = mkdtempSync(join(tmpdir(), 'poolsim-'));
  const file = join(dir, 'scenario.json');
  const scenario = poolsim('presets', '--show', 'fast-leak');
  scenario.name = 'Fast leak <b>with</b> a rollback';
  scenario.events.push({ at_s: 240, action: 'rollback' });
  writeFileSync(file, JSON.stringify(scenario));
  const link = poolsimText('link', file, '--base', `${baseURL}/`).trim();

  await openApp(page, link);
  // Names from a link are text, never markup.
  await expect(page.locator('.scenario-title')).toHaveText('Fast leak <b>with</b> a rollback');
  await expect(page.locator('[data-testid^="timeline-row-"]').filter({ hasText: '08:04:00' })).toHaveCount(1);
  expect(await failedAtEnd(page)).toBe(failedText(poolsim('run', file)));
});

test('a scenario with a database shows the database\'s figures, the command line\'s own', async ({ page, baseURL }) => {
  test.slow(); // a run to the end and the command line
  const dir = mkdtempSync(join(tmpdir(), 'poolsim-'));
  const file = join(dir, 'scenario.json');
  // A pool of 25 against a database that lets the application hold 12 connections.
  const scenario = poolsim('presets', '--show', 'fast-leak');
  scenario.pool.max_size = 25;
  scenario.database = { cores: 2, max_connections: 15 };
  writeFileSync(file, JSON.stringify(scenario));
  const link = poolsimText('link', file, '--base', `${baseURL}/`).trim();
  const db = poolsim('run', file).database;

  await openApp(page, link);
  await page.getByTestId('run-to-end').click();
  await expect(page.getByTestId('run-stats')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('outcome-db-connections')).toHaveText(`${db.peak_connections} of 12`);
  await expect(page.getByTestId('outcome-db-query')).toHaveText(`${db.mean_query_ms.toFixed(1)} ms`);
  await expect(page.getByTestId('outcome-db-refused')).toHaveText(db.refused_opens.toLocaleString('en-US'));
});

test('an unedited preset keeps a short address', async ({ page }) => {
  await openApp(page, '/?preset=slow-leak');
  await expect(page.getByTestId('preset')).toHaveValue('slow-leak');
  await page.getByTestId('preset').selectOption('healthy-pool');
  await expect.poll(() => page.url()).toMatch(/\?preset=healthy-pool$/);
  await page.reload();
  await expect(page.getByTestId('preset')).toHaveValue('healthy-pool');
});

for (const [what, fragment, message] of [
  ['damaged base64', 'v1.@@@', 'not valid base64'],
  ['a deflate bomb', `v1.${deflateRawSync(Buffer.alloc(4 << 20, 32)).toString('base64url')}`, 'too large'],
  ['corrupt data', `v1.${Buffer.from('not deflate at all').toString('base64url')}`, 'compressed data is corrupt'],
  ['an impossible value', `v1.${deflateRawSync(JSON.stringify({ scenario: { pool: { max_size: 0 } } })).toString('base64url')}`, 'pool.max_size'],
  ['a wrong type', `v1.${deflateRawSync(JSON.stringify({ scenario: { pool: { max_size: 'ten' } } })).toString('base64url')}`, 'pool.max_size: invalid type: string "ten"'],
  ['an absurd value', `v1.${deflateRawSync(JSON.stringify({ scenario: { pool: { max_size: 1e12 } } })).toString('base64url')}`, 'expected u32'],
  ['deep nesting', `v1.${deflateRawSync(`{"scenario":${'['.repeat(5000)}`).toString('base64url')}`, 'nested too deeply'],
  ['a newer format', 'v9.abc', 'newer poolsim'],
]) {
  test(`a link with ${what} says what is wrong and opens the seed incident`, async ({ page }) => {
    await openApp(page, `/#${fragment}`);
    await expect(page.getByTestId('link-error')).toContainText(message);
    await expect(page.getByTestId('preset')).toHaveValue('june-15-2024');
    await expect(page.getByTestId('control-pool-size')).toHaveValue('100');
    // The address no longer holds the bad link: a reload opens cleanly.
    await expect.poll(() => page.url()).toMatch(/\?preset=june-15-2024$/);
  });
}
