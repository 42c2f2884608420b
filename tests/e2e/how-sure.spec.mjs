// "How sure?" on the compare page: the what-ifs run over many seeds in Web Workers, the
// statistics equal `poolsim replicate`'s for the same runs, cancelling closes every
// worker, and a bad number of runs is refused by name.
import { readFileSync } from 'node:fs';
import { test, expect, openApp, poolsim, poolsimText, workersClosed } from './fixtures.mjs';

/** The compare page on `preset`, its checklist on screen. */
async function openCompare(page, preset) {
  await page.goto(`/compare.html?preset=${preset}`);
  await expect(page.getByTestId('compare-run')).toBeVisible();
  return page.getByTestId('sure');
}

test('many seeds in workers give the statistics poolsim replicate prints', async ({ page }) => {
  test.setTimeout(300_000);
  // The what-ifs the page offers first are `poolsim compare`'s rows.
  const kinds = poolsim('compare', '--preset', 'fast-leak').rows.slice(1).map((r) => JSON.stringify(r.kind));
  const sure = await openCompare(page, 'fast-leak');
  await sure.getByTestId('sure-runs').fill('12');
  await sure.getByTestId('sure-run').click();
  const progress = sure.getByTestId('sure-progress');
  await expect(progress).toHaveAttribute('data-finished', 'true', { timeout: 240_000 });
  await expect(progress).toContainText('12 of 12 runs');
  await expect(sure.getByTestId('sure-error')).toHaveCount(0);
  await expect(sure.locator('[data-testid^="sure-row-"]')).toHaveCount(kinds.length + 1);
  await expect(sure.getByTestId('sure-cell-0-ran-out')).toContainText('of 12');
  await expect(sure.getByTestId('sure-against-1')).toContainText('12 paired runs');
  await expect(sure.getByTestId('sure-strip')).toBeVisible();

  const cli = poolsimText('replicate', '--preset', 'fast-leak', '--runs', '12', '--format', 'md',
    ...kinds.flatMap((k) => ['--variant', k]));
  const [md] = await Promise.all([page.waitForEvent('download'), sure.getByTestId('sure-markdown').click()]);
  expect(readFileSync(await md.path(), 'utf8').trim()).toBe(cli.trim());
  const cliCsv = poolsimText('replicate', '--preset', 'fast-leak', '--runs', '12', '--format', 'csv',
    ...kinds.flatMap((k) => ['--variant', k]));
  const [csv] = await Promise.all([page.waitForEvent('download'), sure.getByTestId('sure-csv').click()]);
  expect(readFileSync(await csv.path(), 'utf8').trim()).toBe(cliCsv.trim());
  // Finished: the workers have closed.
  await workersClosed(page);
});

test('cancelling stops the runs and closes every worker', async ({ page }) => {
  test.setTimeout(300_000);
  const sure = await openCompare(page, 'june-15-2024');
  await sure.getByTestId('sure-runs').fill('1000');
  await sure.getByTestId('sure-run').click();
  // Results stream in: the first runs are counted long before the last.
  const progress = sure.getByTestId('sure-progress');
  await expect(progress).not.toHaveAttribute('data-done', '0', { timeout: 120_000 });
  expect(page.workers().length).toBeGreaterThan(0);
  await expect(sure.getByTestId('sure-table')).toBeVisible();
  await sure.getByTestId('sure-cancel').click();
  await expect(progress).toHaveAttribute('data-cancelled', 'true');
  await expect(progress).toContainText('cancelled');
  await expect(sure.getByTestId('sure-run')).toBeEnabled();
  // The runs done are kept: far fewer than asked for.
  const done = Number(await progress.getAttribute('data-done'));
  expect(done).toBeGreaterThan(0);
  expect(done).toBeLessThan(1000);
  await expect(sure.getByTestId('sure-table')).toBeVisible();
  await workersClosed(page);
});

test('a number of runs out of range is refused by name and kept', async ({ page }) => {
  const sure = await openCompare(page, 'fast-leak');
  await sure.getByTestId('sure-runs').fill('5');
  await sure.getByTestId('sure-run').click();
  await expect(sure.getByTestId('sure-runs-error')).toHaveText('Runs: give a whole number from 10 to 1,000 (not “5”).');
  await expect(sure.getByTestId('sure-runs')).toHaveValue('5');
  await expect(sure.getByTestId('sure-runs')).toHaveAttribute('aria-invalid', 'true');
  await expect(sure.getByTestId('sure-progress')).toHaveCount(0);
  expect(page.workers().length).toBe(0);
});

test("the visualizer's outcome: how sure one run is, over 100 seeds in workers, as poolsim replicate says, with a band on the charts", async ({ page }) => {
  test.setTimeout(300_000);
  await openApp(page, '/?preset=fast-leak');
  const spread = page.getByTestId('outcome-spread');
  await spread.scrollIntoViewIfNeeded();
  const chart = page.getByTestId('connections-chart');
  await expect(chart).toBeVisible();
  const before = await chart.evaluate((c) => c.toDataURL());

  await spread.getByTestId('outcome-spread-run').click();
  const progress = spread.getByTestId('outcome-spread-progress');
  await expect(progress).toHaveAttribute('data-finished', 'true', { timeout: 240_000 });
  await expect(progress).toContainText('100 of 100 runs');
  const words = spread.getByTestId('outcome-spread-words');
  await expect(words).toContainText('Over 100 runs, each with its own seed, the pool ran out');
  await expect(words).toContainText('of requests failed (median');

  // The same runs as the command line's, to the bit: the 5th, 50th and 95th percentiles.
  const cli = poolsim('replicate', '--preset', 'fast-leak', '--runs', '100', '--format', 'json').variants[0];
  const figures = async (name) => (await words.getAttribute(name)).split(' ').map(Number);
  expect(await figures('data-exhaustion-s')).toEqual(
    [cli.first_exhaustion_s.p5, cli.first_exhaustion_s.median, cli.first_exhaustion_s.p95]);
  expect(await figures('data-failed-share')).toEqual(
    [cli.failed_share.p5, cli.failed_share.median, cli.failed_share.p95]);
  // The range is shaded on the charts.
  await expect.poll(() => chart.evaluate((c) => c.toDataURL()), { timeout: 60_000 }).not.toBe(before);
  await workersClosed(page);

  // June 15, stopped early: the runs done are kept and every worker closes.
  await openApp(page, '/?preset=june-15-2024');
  await spread.scrollIntoViewIfNeeded();
  await spread.getByTestId('outcome-spread-run').click();
  await expect(progress).not.toHaveAttribute('data-done', '0', { timeout: 120_000 });
  await spread.getByTestId('outcome-spread-stop').click();
  await expect(progress).toHaveAttribute('data-cancelled', 'true');
  await expect(progress).toContainText('cancelled: the runs done are kept');
  await expect(words).toContainText('runs, each with its own seed');
  await workersClosed(page);
});
