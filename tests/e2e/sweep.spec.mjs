// "Sweep" on the compare page: two knobs over ranges run in the "How sure?" workers, the
// heatmap's cells appear with their numbers and answer the keyboard, the CSV download is
// `poolsim sweep --format csv`'s bytes, the smallest pool that survives is said in
// `poolsim smallest-pool`'s sentence, and a wrong field is refused beside it.
import { readFileSync } from 'node:fs';
import { test, expect, poolsimText, workersClosed } from './fixtures.mjs';

/** The compare page on `preset`, its sweep section on screen. */
async function openSweep(page, preset) {
  await page.goto(`/compare.html?preset=${preset}`);
  await expect(page.getByTestId('compare-run')).toBeVisible();
  const sweep = page.getByTestId('sweep');
  await sweep.scrollIntoViewIfNeeded();
  return sweep;
}

/** Set one axis of the form: `side` is `x` or `y`. */
async function axis(sweep, side, knob, from, to, steps) {
  await sweep.getByTestId(`sweep-${side}-knob`).selectOption(knob);
  await sweep.getByTestId(`sweep-${side}-from`).fill(from);
  await sweep.getByTestId(`sweep-${side}-to`).fill(to);
  await sweep.getByTestId(`sweep-${side}-steps`).fill(steps);
}

test('a small sweep fills the heatmap, answers the keyboard and downloads the command line\'s CSV', async ({ page }) => {
  test.setTimeout(300_000);
  const sweep = await openSweep(page, 'fast-leak');
  await axis(sweep, 'x', 'pool.max_size', '10', '30', '3');
  await axis(sweep, 'y', 'work.hold_ms', '10', '30', '2');
  await sweep.getByTestId('sweep-runs').fill('10');
  await sweep.getByTestId('sweep-until').fill('08:05');
  await sweep.getByTestId('sweep-run').click();

  const progress = sweep.getByTestId('sweep-progress');
  await expect(progress).toHaveAttribute('data-finished', 'true', { timeout: 240_000 });
  await expect(progress).toContainText('6 of 6 cells');
  await expect(progress).toContainText('60 of 60 runs');
  await expect(sweep.getByTestId('sweep-error')).toHaveCount(0);
  await expect(sweep.getByTestId('sweep-heatmap')).toHaveAttribute('data-cells-done', '6');

  // Every cell is there with its number: the share of runs that did not run out.
  const cells = sweep.locator('[data-testid^="sweep-cell-"][data-text]');
  await expect(cells).toHaveCount(6);
  for (let i = 0; i < 6; i++) {
    await expect(sweep.getByTestId(`sweep-cell-${i}`)).toHaveAttribute('data-text', /^\d+ %$/);
  }
  // The first cell (the smallest pool, the shortest hold) by keyboard, then its right neighbour.
  await sweep.getByTestId('sweep-cell-0').focus();
  const detail = sweep.getByTestId('sweep-cell-detail');
  await expect(detail).toContainText('pool.max_size = 10, work.hold_ms = 10: runs that did not run out until 08:05');
  await expect(detail).toContainText('the pool ran out in');
  await page.keyboard.press('ArrowRight');
  await expect(sweep.getByTestId('sweep-cell-1')).toBeFocused();
  await expect(detail).toContainText('pool.max_size = 20, work.hold_ms = 10:');
  await page.keyboard.press('ArrowUp');
  await expect(sweep.getByTestId('sweep-cell-4')).toBeFocused();
  await expect(detail).toContainText('pool.max_size = 20, work.hold_ms = 30:');

  const cli = poolsimText('sweep', '--preset', 'fast-leak', '--x', 'pool.max_size=10..30:3',
    '--y', 'work.hold_ms=10..30:2', '--runs', '10', '--until', '08:05', '--format', 'csv');
  const [csv] = await Promise.all([page.waitForEvent('download'), sweep.getByTestId('sweep-csv').click()]);
  expect(readFileSync(await csv.path(), 'utf8').trim()).toBe(cli.trim());
  await expect(sweep.getByTestId('sweep-command')).toContainText(
    '--x pool.max_size=10..30:3 --y work.hold_ms=10..30:2 --runs 10 --until 08:05');
  await workersClosed(page);
});

test('the smallest pool that survives is found as poolsim smallest-pool finds it', async ({ page }) => {
  test.setTimeout(300_000);
  const sweep = await openSweep(page, 'fast-leak');
  await sweep.getByTestId('sweep-runs').fill('10');
  await sweep.getByTestId('sweep-hunt-run').click();
  const answer = sweep.getByTestId('sweep-hunt-answer');
  await expect(answer).toBeVisible({ timeout: 240_000 });
  const cli = poolsimText('smallest-pool', '--preset', 'fast-leak', '--runs', '10');
  // The command line's second paragraph is the answer in words.
  const sentence = cli.split('\n\n')[1].trim();
  await expect(answer).toHaveText(sentence);
  await workersClosed(page);
});

test('cancelling a sweep or the search keeps what is done and closes every worker', async ({ page }) => {
  test.setTimeout(300_000);
  const sweep = await openSweep(page, 'june-15-2024');
  // The default axes' 4 × 5 cells of June 15, 100 runs each: far more than the wait below.
  await sweep.getByTestId('sweep-runs').fill('100');
  await sweep.getByTestId('sweep-run').click();
  const progress = sweep.getByTestId('sweep-progress');
  await expect(progress).not.toHaveAttribute('data-done', '0', { timeout: 120_000 });
  expect(page.workers().length).toBeGreaterThan(0);
  await sweep.getByTestId('sweep-cancel').click();
  await expect(progress).toHaveAttribute('data-cancelled', 'true');
  await expect(progress).toContainText('cancelled');
  const done = Number(await progress.getAttribute('data-done'));
  expect(done).toBeGreaterThan(0);
  expect(done).toBeLessThan(2000);
  await expect(sweep.getByTestId('sweep-heatmap')).toBeVisible();
  await expect(sweep.getByTestId('sweep-run')).toBeEnabled();
  await workersClosed(page);

  // The search, cancelled while it tries its first size.
  await sweep.getByTestId('sweep-runs').fill('1000');
  await sweep.getByTestId('sweep-hunt-run').click();
  const status = sweep.getByTestId('sweep-hunt-status');
  await expect(status).toContainText('Trying a pool of');
  await expect.poll(() => page.workers().length, { timeout: 60_000 }).toBeGreaterThan(0);
  await sweep.getByTestId('sweep-hunt-cancel').click();
  await expect(status).toContainText('Cancelled after');
  await expect(status).toHaveAttribute('data-finished', 'true');
  await expect(sweep.getByTestId('sweep-hunt-answer')).toHaveCount(0);
  await workersClosed(page);
});

test('a wrong field is refused beside it, and nothing runs', async ({ page }) => {
  const sweep = await openSweep(page, 'fast-leak');
  await sweep.getByTestId('sweep-x-from').fill('0');
  await sweep.getByTestId('sweep-y-steps').fill('1');
  await sweep.getByTestId('sweep-runs').fill('5');
  await sweep.getByTestId('sweep-run').click();
  await expect(sweep.getByTestId('sweep-y-steps-error')).toContainText('Rows, steps:');
  await expect(sweep.getByTestId('sweep-runs-error')).toHaveText(
    'Runs per cell: give a whole number from 10 to 1,000 (not “5”).');
  await expect(sweep.getByTestId('sweep-y-steps')).toHaveAttribute('aria-invalid', 'true');
  await sweep.getByTestId('sweep-y-steps').fill('3');
  await sweep.getByTestId('sweep-runs').fill('10');
  await sweep.getByTestId('sweep-run').click();
  await expect(sweep.getByTestId('sweep-x-from-error')).toContainText('pool.max_size');
  await expect(sweep.getByTestId('sweep-progress')).toHaveCount(0);
  expect(page.workers().length).toBe(0);
});
