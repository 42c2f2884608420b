// The compare page (compare.html, its own bundle): the June 15 what-ifs run in the browser
// and the outcome table shows the very numbers `poolsim compare` prints; the visualizer
// hands over the scenario as the user left it.
import { readFileSync } from 'node:fs';
import { test, expect, openApp, poolsim, poolsimText } from './fixtures.mjs';

/** `poolsim compare --preset NAME` as JSON (the CLI and the page share the engine). */
function cliCompare(preset) {
  return poolsim('compare', '--preset', preset);
}

/** The clock time `seconds` after `start` ("HH:MM"), as the table shows it: HH:MM for
 *  runs over an hour (rounded down), HH:MM:SS otherwise. */
function clockAt(start, seconds, longestS) {
  const [h, m] = start.split(':').map(Number);
  const t = Math.floor(h * 3600 + m * 60 + seconds) % 86400;
  const parts = [t / 3600, (t / 60) % 60, t % 60].map((n) => String(Math.floor(n)).padStart(2, '0'));
  return (longestS > 3600 ? parts.slice(0, 2) : parts).join(':');
}

/** `1025932` as `"1,025,932"`. */
const count = (n) => n.toLocaleString('en-US');

/** The value shown in a cell, without its best mark. */
const cell = (page, row, column) => page.getByTestId(`compare-cell-${row}-${column}`).locator('.compare-value');

/** The compare page, loaded, with its checklist on screen. */
async function openCompare(page, path = '/compare.html') {
  await page.goto(path);
  await expect(page.getByTestId('compare-run')).toBeVisible();
  return page.getByTestId('compare');
}

/** Open the compare page on the seed preset and run the comparison to its table. */
async function runComparison(page) {
  const compare = await openCompare(page);
  await expect(compare.getByTestId('compare-variant-0')).toBeChecked();
  await expect(compare.getByTestId('compare-variant-0')).toBeDisabled(); // the baseline always runs
  await compare.getByTestId('compare-run').click();
  await expect(compare.getByTestId('compare-table')).toBeVisible({ timeout: 120_000 });
  await expect(compare.getByTestId('compare-progress')).toHaveCount(0);
  return compare;
}

test('the compare table shows the numbers poolsim compare prints for the June 15 what-ifs', async ({ page }) => {
  test.setTimeout(240_000);
  const cli = cliCompare('june-15-2024');
  expect(cli.rows.length).toBe(7);
  const compare = await runComparison(page);
  const longest = Math.max(...cli.rows.map((r) => r.duration_s));
  const at = (s) => (s === null ? 'never' : clockAt(cli.clock_start, s, longest));

  await expect(compare.locator('[data-testid^="compare-row-"]')).toHaveCount(cli.rows.length);
  for (const [i, row] of cli.rows.entries()) {
    await expect(compare.getByTestId(`compare-row-${i}`)).toContainText(row.label);
    await expect(cell(compare, i, 'exhaustion')).toHaveText(at(row.first_exhaustion_s));
    await expect(cell(compare, i, 'timeout')).toHaveText(at(row.first_timeout_s));
    await expect(cell(compare, i, 'failed')).toHaveText(count(row.failed));
    await expect(cell(compare, i, 'leaked')).toHaveText(count(row.leaked));
    const detected = row.first_alert === null ? 'no alert' : `${at(row.time_to_detect_s)} (${row.first_alert})`;
    await expect(cell(compare, i, 'detect')).toHaveText(detected);
    // The best failed count is marked where the CLI says it is.
    const failedCell = compare.getByTestId(`compare-cell-${i}-failed`);
    if (cli.best.failed.includes(i)) await expect(failedCell).toHaveAttribute('data-best', 'true');
    else await expect(failedCell).not.toHaveAttribute('data-best');
    await expect(compare.getByTestId(`compare-lesson-${i}`)).toContainText(row.lesson);
  }
  // The postmortem's story, as a reader sees it.
  await expect(cell(compare, 0, 'exhaustion')).toHaveText('13:53');
  await expect(cell(compare, 5, 'failed')).toHaveText('0');
  await expect(compare.getByTestId('compare-cell-5-failed')).toContainText('✓');
  for (const chart of ['compare-chart-in-use', 'compare-chart-timeouts']) {
    await expect(compare.getByTestId(chart)).toHaveAttribute('role', 'img');
    await expect(compare.getByTestId(chart)).toHaveAttribute('aria-label', /7 runs compared/);
  }

  // The table as Markdown, for the postmortem: what `poolsim compare --md` prints.
  const [download] = await Promise.all([page.waitForEvent('download'), compare.getByTestId('compare-markdown').click()]);
  expect(download.suggestedFilename()).toBe('june-15-2024-connection-pool-exhaustion-compare.md');
  const markdown = readFileSync(await download.path(), 'utf8');
  const cliMarkdown = poolsimText('compare', '--preset', 'june-15-2024', '--md');
  expect(markdown.trim()).toBe(cliMarkdown.trim());
});

test('a pool-sizing preset compares pools of other sizes, and the lessons say where the time went', async ({ page }) => {
  test.setTimeout(240_000);
  const cli = cliCompare('pool-sizing-contended');
  expect(cli.rows.map((r) => r.label)).toEqual(['As it happened', 'Bigger pool only (50)', 'Bigger pool only (400)']);
  const compare = await openCompare(page, '/compare.html?preset=pool-sizing-contended');
  await expect(compare.locator('[data-testid^="compare-variant-"]')).toHaveCount(cli.rows.length);
  await compare.getByTestId('compare-run').click();
  await expect(compare.getByTestId('compare-table')).toBeVisible({ timeout: 120_000 });
  for (const [i, row] of cli.rows.entries()) {
    await expect(compare.getByTestId(`compare-row-${i}`)).toContainText(row.label);
    await expect(cell(compare, i, 'failed')).toHaveText(count(row.failed));
    await expect(compare.getByTestId(`compare-lesson-${i}`)).toContainText(row.lesson);
  }
  // Bigger is slower: the lesson of the pool of 50 says so with the CLI's numbers.
  await expect(compare.getByTestId('compare-lesson-1')).toContainText('the mean response is ');
  const [download] = await Promise.all([page.waitForEvent('download'), compare.getByTestId('compare-markdown').click()]);
  const markdown = readFileSync(await download.path(), 'utf8');
  expect(markdown).toContain('| Mean wait | Mean query | Mean response |');
  expect(markdown.trim()).toBe(poolsimText('compare', '--preset', 'pool-sizing-contended', '--md').trim());
});

test('on a phone the outcome table scrolls sideways, not the page', async ({ page }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 390, height: 800 });
  // Three rows are enough to make the table wider than a phone.
  const compare = await openCompare(page);
  for (const i of [1, 3, 4, 6]) await compare.getByTestId(`compare-variant-${i}`).uncheck();
  await compare.getByTestId('compare-run').click();
  await expect(compare.getByTestId('compare-table')).toBeVisible({ timeout: 120_000 });
  await expect(compare.locator('[data-testid^="compare-row-"]')).toHaveCount(3);
  const wrap = compare.locator('.compare-table-wrap');
  expect(await wrap.evaluate((e) => e.scrollWidth > e.clientWidth)).toBe(true);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, 'the page is no wider than the phone').toBeLessThanOrEqual(0);
});

test('the compare page compares the visualizer scenario, edits included, and links back to it', async ({ page }) => {
  await openApp(page, '/?preset=fast-leak');
  await page.getByTestId('control-pool-size').fill('25');
  await page.getByTestId('control-pool-size').press('Enter');
  await expect(page.getByTestId('nav-compare')).toHaveAttribute('href', /^compare\.html#v1\./);
  await page.getByTestId('nav-compare').click();

  const compare = await openCompare(page, page.url());
  await expect(page.getByTestId('nav-compare')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('compare-source')).toContainText('as the link holds it');
  await expect(page.getByTestId('preset')).toHaveValue('fast-leak');
  for (const i of [1, 2, 3, 4]) await compare.getByTestId(`compare-variant-${i}`).uncheck();
  await compare.getByTestId('compare-run').click();
  await expect(compare.getByTestId('compare-table')).toBeVisible({ timeout: 120_000 });
  // The baseline is the edited pool of 25, not the preset's 10: its leaked count says so.
  await expect(cell(compare, 0, 'leaked')).toHaveText('25');

  // Back in the visualizer, the edit is still there.
  await page.getByTestId('nav-visualizer').click();
  await expect(page.getByTestId('control-pool-size')).toHaveValue('25');

  // Choosing another preset on the compare page compares that preset; a reload keeps it.
  await page.goto('/compare.html?preset=slow-leak');
  await page.getByTestId('preset').selectOption('healthy-pool');
  await expect(page.getByTestId('compare-scenario')).toHaveText('Healthy pool');
  await page.reload();
  await expect(page.getByTestId('compare-scenario')).toHaveText('Healthy pool');
});

test('a damaged link on the compare page falls back to the preset and says why', async ({ page }) => {
  await openCompare(page, '/compare.html?preset=slow-leak#v1.@@@');
  await expect(page.getByTestId('compare-source')).toContainText('not valid base64');
  await expect(page.getByTestId('compare-scenario')).toHaveText('Slow leak');
});
