// The learn page: a whole lesson walked through — predict, run, compare with the
// simulation and the formula — progress kept across reloads, and each step's run one
// click away in the visualizer.
import { test, expect, poolsim, workersClosed } from './fixtures.mjs';

test('walking through a lesson: predictions graded against the simulation, progress kept', async ({ page }) => {
  await page.goto('/learn.html#rollback-or-restart');
  await expect(page.getByTestId('lesson')).toContainText('Rolling back versus restarting');

  // Not a number: refused where it was typed, nothing runs.
  await page.getByTestId('predict-0').fill('a lot');
  await page.getByTestId('run-step-0').click();
  await expect(page.getByTestId('predict-0')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('predict-hint-0')).toHaveText('“a lot” is not a number: enter your prediction as a number.');
  await expect(page.getByTestId('predict-0')).toHaveValue('a lot');
  await expect(page.getByTestId('outcome-0')).toHaveCount(0);

  // Restart only: a guess of 5 % is far too low; the run says so with its own number.
  await page.getByTestId('predict-0').fill('5');
  await page.getByTestId('run-step-0').click();
  await expect(page.getByTestId('verdict-0')).toContainText('Too low');
  // The guess stays where it was typed; the next step's field opens empty.
  await expect(page.getByTestId('predict-0')).toHaveValue('5');
  await expect(page.getByTestId('predict-1')).toHaveValue('');
  const restart = parseFloat(await page.getByTestId('simulated-0').textContent());
  expect(restart).toBeGreaterThan(20);

  // Rollback only: worse than the restart — leaked connections stay leaked.
  await page.getByTestId('predict-1').fill(String(restart));
  await page.getByTestId('run-step-1').click();
  const rollback = parseFloat(await page.getByTestId('simulated-1').textContent());
  expect(rollback).toBeGreaterThan(restart);

  // Both: the outage ends; predicting the simulated value counts as close.
  await page.getByTestId('predict-2').fill('20');
  await page.getByTestId('run-step-2').click();
  const both = parseFloat(await page.getByTestId('simulated-2').textContent());
  expect(both).toBeLessThan(restart);
  await expect(page.getByTestId('lesson-status-rollback-or-restart')).toHaveText('✓ done');

  // The step's run, fix included, opens in the visualizer.
  await page.getByTestId('watch-2').click();
  await expect(page.getByTestId('preset')).toHaveValue('fast-leak');
  await expect(page.locator('[data-testid^="timeline-row-"]').filter({ hasText: '08:04:00' })).toHaveCount(2);

  // Progress survives a reload.
  await page.goto('/learn.html');
  await expect(page.getByTestId('lesson-status-rollback-or-restart')).toHaveText('✓ done');
});

test("Little's law: the formula, the simulation and a good guess agree", async ({ page }) => {
  await page.goto('/learn.html');
  await expect(page.getByTestId('lesson')).toContainText("A healthy pool and Little's law");
  await page.getByTestId('predict-0').fill('8');
  await page.getByTestId('predict-0').press('Enter');
  await expect(page.getByTestId('verdict-0')).toContainText('Close');
  await expect(page.getByTestId('analytic-0')).toHaveText('8.0 connections');
});

/** Whether `canvas` has been drawn: at least 2 % of its pixels differ from its top-left one. */
async function drawn(canvas) {
  return canvas.evaluate((c) => {
    if (c.width === 0 || c.height === 0) return false;
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let differ = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i] - data[0]) + Math.abs(data[i + 1] - data[1]) + Math.abs(data[i + 2] - data[2]) + Math.abs(data[i + 3] - data[3]) > 24) differ++;
    }
    return differ > 0.02 * (data.length / 4);
  });
}

/** Predict `guess` for step `i` and run it. */
async function predictAndRun(page, i, guess) {
  await page.getByTestId(`predict-${i}`).fill(String(guess));
  await page.getByTestId(`run-step-${i}`).click();
  await expect(page.getByTestId(`verdict-${i}`)).toBeVisible();
}

test("a step's run plays beside its text: pool and chart drawn, play, scrub, the moment marked", async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto('/learn.html#slow-death');
  // Predict first: until then the figure's place says what will play there.
  await expect(page.getByTestId('figure-waiting-0')).toContainText('connections chart');
  await expect(page.getByTestId('figure-0')).toHaveCount(0);
  await predictAndRun(page, 0, 5);

  const figure = page.getByTestId('figure-0');
  await expect(page.getByTestId('figure-waiting-0')).toHaveCount(0);
  const [pool, chart] = [figure.getByTestId('pool-canvas'), figure.getByTestId('figure-chart-0')];
  await expect(chart).toHaveAttribute('data-chart', 'connections');
  // It plays at once (the ten minutes in ten seconds): the clock moves on from 08:00:00,
  // and both canvases get drawn.
  const clock = page.getByTestId('figure-clock-0');
  const play = page.getByTestId('figure-play-0');
  await expect(clock).not.toHaveText('08:00:00');
  await expect.poll(() => drawn(pool)).toBe(true);
  await expect.poll(() => drawn(chart)).toBe(true);

  // Text left, figure right.
  const [text, box] = [await page.getByTestId('step-0').locator('.learn-text').boundingBox(), await figure.boundingBox()];
  expect(box.x).toBeGreaterThanOrEqual(text.x + text.width - 1);
  expect(box.y).toBeLessThan(text.y + text.height);

  // The moment the question asks about (after one minute), said with its time and one
  // press away: the figure stops there.
  const moment = page.getByTestId('figure-moment-0');
  await expect(moment).toContainText('Marked: 08:01:00, the time the question asks about.');
  await page.getByTestId('figure-goto-0').click();
  await expect(clock).toHaveText('08:01:00');
  await expect(play).toHaveAttribute('aria-pressed', 'false');
  await expect(play).toHaveText('▶ Play');

  // The scrubber seeks: forward, then back (re-simulated from the start).
  const scrubber = page.getByTestId('figure-scrubber-0');
  await expect(scrubber).toHaveAccessibleName('Simulated time');
  await scrubber.fill('300');
  await expect(clock).toHaveText('08:05:00');
  await expect(scrubber).toHaveAttribute('aria-valuetext', '08:05:00');
  await scrubber.fill('30');
  await expect(clock).toHaveText('08:00:30');
  // The moment is marked on the scrubber where it is in the run (a tenth of the way).
  const [track, mark] = [await scrubber.boundingBox(), await page.getByTestId('figure-mark-0').boundingBox()];
  const at = (mark.x + mark.width / 2 - track.x - 8) / (track.width - 16);
  expect(Math.abs(at - 60 / 600)).toBeLessThan(0.02);

  // The keyboard: the scrubber moves a second a press, the play button plays and pauses.
  await scrubber.focus();
  await page.keyboard.press('ArrowRight');
  await expect(clock).toHaveText('08:00:31');
  await play.focus();
  await page.keyboard.press('Space');
  await expect(play).toHaveAttribute('aria-pressed', 'true');
  await expect(clock).not.toHaveText('08:00:31');
  await page.keyboard.press('Space');
  await expect(play).toHaveAttribute('aria-pressed', 'false');
});

test('a question about when the pool runs out marks that moment; each step shows the chart it names', async ({ page }) => {
  await page.goto('/learn.html#june-15');
  await predictAndRun(page, 0, 100);
  // The second the command line says the pool first ran out.
  const cli = poolsim('run', '--preset', 'june-15-2024');
  const at = new Date(Date.UTC(2000, 0, 1, 12) + Math.floor(cli.first_exhaustion_s) * 1000).toISOString().slice(11, 19);
  await expect(page.getByTestId('figure-moment-0')).toContainText(`Marked: ${at}, the pool runs out.`);
  // The retries lesson's figures show the callers' attempts, then their goodput.
  await page.getByTestId('lesson-retries').click();
  await expect(page.getByTestId('figure-waiting-0')).toContainText('attempts chart');
});

test('with reduced motion and a dark theme a figure opens still on the marked moment, drawn all the same', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce', colorScheme: 'dark' });
  await page.goto('/learn.html#slow-death');
  await predictAndRun(page, 0, 5);
  const figure = page.getByTestId('figure-0');
  await expect(page.getByTestId('figure-clock-0')).toHaveText('08:01:00');
  await expect(page.getByTestId('figure-play-0')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('figure-moment-0')).toContainText('Marked: 08:01:00');
  await expect.poll(() => drawn(figure.getByTestId('pool-canvas'))).toBe(true);
  await expect.poll(() => drawn(page.getByTestId('figure-chart-0'))).toBe(true);
  // The chart's background is the dark theme's.
  const corner = await page.getByTestId('figure-chart-0').evaluate((c) => Array.from(c.getContext('2d').getImageData(1, 1, 1, 1).data));
  expect(corner[0] + corner[1] + corner[2]).toBeLessThan(3 * 80);
});

test('on a phone (390 px) the figure stacks under its text, with no sideways scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/learn.html#slow-death');
  await predictAndRun(page, 0, 5);
  const figure = page.getByTestId('figure-0');
  await expect.poll(() => drawn(figure.getByTestId('pool-canvas'))).toBe(true);
  const [text, box] = [await page.getByTestId('step-0').locator('.learn-text').boundingBox(), await figure.boundingBox()];
  expect(box.y).toBeGreaterThanOrEqual(text.y + text.height - 1);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

/** Diagnose the drill on screen: pick a cause and a fix by their words, and submit. */
async function diagnose(page, cause, fix) {
  await page.getByTestId('drill-cause').selectOption({ label: cause });
  await page.getByTestId('drill-fix').selectOption({ label: fix });
  await page.getByTestId('drill-submit').click();
}

test('a diagnosis drill: the dashboard hides the leak, the answer reveals it', async ({ page }) => {
  await page.goto('/learn.html');
  await page.getByTestId('drill-mystery-a').click();
  await expect(page).toHaveURL(/#mystery-a$/);
  const dashboard = page.getByTestId('drill-dashboard');
  await expect(dashboard).toBeVisible();
  // What a real dashboard shows: no leaked column, and nothing in the log names the cause.
  await expect(dashboard.locator('thead')).not.toContainText('leak');
  await expect(page.getByTestId('drill-log')).toContainText('Connection is not available');
  await expect(page.getByTestId('drill-log')).not.toContainText(/leak/i);
  // Never more active connections than the pool holds.
  const active = await dashboard.locator('tbody tr td:nth-of-type(1)').allTextContents();
  expect(Math.max(...active.map(Number))).toBe(20);

  await diagnose(page, 'A connection leak', 'Raise maximumPoolSize');
  await expect(page.getByTestId('drill-verdict')).toHaveText(
    '✓ Cause: A connection leak. ✗ Fix: Roll back the release and restart.',
  );
  await expect(page.getByTestId('drill-truth')).toContainText('20 connections leaked');
});

test('a drill judges the cause and fix its pickers show, before any is chosen too', async ({ page }) => {
  await page.goto('/learn.html#mystery-b');
  const [cause, fix] = [page.getByTestId('drill-cause'), page.getByTestId('drill-fix')];
  await expect(cause.locator('option:checked')).toHaveText('A connection leak');
  await expect(fix.locator('option:checked')).toHaveText('Roll back the release and restart');
  await page.getByTestId('drill-submit').click();
  await expect(page.getByTestId('drill-verdict')).toHaveText(
    '✗ Cause: A slow database. ✗ Fix: Fix the slow queries.',
  );
  // A choice stays on screen after the answer comes.
  await diagnose(page, 'A slow database', 'Lower maximumPoolSize');
  await expect(cause.locator('option:checked')).toHaveText('A slow database');
  await expect(fix.locator('option:checked')).toHaveText('Lower maximumPoolSize');
  await expect(page.getByTestId('drill-verdict')).toHaveText('✓ Cause: A slow database. ✗ Fix: Fix the slow queries.');
});

test('a database drill: the database shows beside the pool, and the tempting fix is wrong', async ({ page }) => {
  await page.goto('/learn.html#mystery-f');
  const dashboard = page.getByTestId('drill-dashboard');
  await expect(dashboard.locator('thead')).toContainText('db CPU');
  // Every connection busy, and as many queries running in the database on its 4 cores.
  const cell = (n) => dashboard.locator(`tbody tr:last-child td:nth-of-type(${n})`);
  await expect(cell(1)).toHaveText('100');
  await expect(cell(8)).toHaveText('100');
  await expect(cell(10)).toHaveText('100 %');

  // A pool at its maximum looks too small: it is not.
  await diagnose(page, 'A pool too small for the load', 'Raise maximumPoolSize');
  await expect(page.getByTestId('drill-verdict')).toHaveText(
    '✗ Cause: A database saturated by too many queries at once. ✗ Fix: Lower maximumPoolSize.',
  );
  await diagnose(page, 'A database saturated by too many queries at once', 'Lower maximumPoolSize');
  await expect(page.getByTestId('drill-verdict')).toHaveText(
    '✓ Cause: A database saturated by too many queries at once. ✓ Fix: Lower maximumPoolSize.',
  );
  await expect(page.getByTestId('drill-truth')).toContainText('0 connections leaked');
  await expect(page.getByTestId('drill-truth')).toContainText('at most 100 ran at once');
});

test('how big should the pool be: the queue at the cores, and a step on another database run as the CLI runs it', async ({ page }) => {
  await page.goto('/learn.html#pool-size');
  await expect(page.getByTestId('lesson')).toContainText('How big should the pool be?');
  // The rule of thumb's pool of 4 on the CPU-bound database: M/M/2 at its cores.
  await page.getByTestId('predict-0').fill('9');
  await page.getByTestId('run-step-0').click();
  await expect(page.getByTestId('verdict-0')).toContainText('Close');
  await expect(page.getByTestId('analytic-0')).toHaveText('9.3 ms');
  // A pool of 64: the same formula, the same mean (each step opens once the one before is answered).
  await page.getByTestId('predict-1').fill('5');
  await page.getByTestId('run-step-1').click();
  await expect(page.getByTestId('analytic-1')).toHaveText('9.3 ms');
  await expect(page.getByTestId('verdict-1')).toContainText('Too low');

  // The contended database, as shipped: the page's number is the command line's.
  const run = poolsim('run', '--preset', 'pool-sizing-contended');
  const response = run.mean_wait_ms + run.database.mean_query_ms;
  await page.getByTestId('predict-2').fill('100');
  await page.getByTestId('run-step-2').click();
  await expect(page.getByTestId('simulated-2')).toHaveText(`${response.toFixed(1)} ms`);
  await expect(page.getByTestId('verdict-2')).toContainText('Too high');
  // Its run opens in the visualizer as the step's own preset.
  await page.getByTestId('watch-2').click();
  await expect(page.getByTestId('preset')).toHaveValue('pool-sizing-contended');
});

test('the glossary names each knob in each real pool', async ({ page }) => {
  await page.goto('/learn.html#glossary');
  const glossary = page.getByTestId('glossary');
  await expect(glossary.locator('thead')).toContainText('HikariCP');
  await expect(glossary.locator('thead')).toContainText('Go database/sql');
  const maxSize = glossary.locator('tbody tr', { hasText: 'pool.max_size' });
  await expect(maxSize).toContainText('maximumPoolSize = 10');
  await expect(maxSize).toContainText('SetMaxOpenConns = 0 (unlimited)');
});

test('the keyboard scrolls the glossary across the pools, and each row keeps its knob in view', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 800 });
  await page.goto('/learn.html#glossary');
  const scroller = page.getByRole('region', { name: 'The knobs of real pools' });
  const bb8 = scroller.getByRole('columnheader', { name: 'bb8' });
  await expect(bb8).not.toBeInViewport();
  await scroller.focus();
  // Arrow keys scroll the focused region sideways, a step a press, to its right end.
  const atRightEnd = () => scroller.evaluate((el) => el.scrollLeft + el.clientWidth >= el.scrollWidth - 1);
  await expect(async () => {
    await page.keyboard.press('ArrowRight');
    expect(await atRightEnd()).toBe(true);
  }).toPass({ intervals: [0], timeout: 10_000 });
  await expect(bb8).toBeInViewport({ ratio: 0.9 });
  // Scrolled to the far right, the knob column still sits at the region's left edge.
  const knob = scroller.getByRole('rowheader', { name: /pool\.max_size/ });
  await expect(knob).toBeInViewport();
  const [region, cell] = [await scroller.boundingBox(), await knob.boundingBox()];
  expect(Math.abs(cell.x - region.x)).toBeLessThan(2);
});

test('each pool runs its own defaults: the glossary opens Go database/sql in the visualizer', async ({ page }) => {
  test.slow(); // a run to the end and a comparison
  await page.goto('/learn.html#glossary');
  const row = page.getByTestId('pool-presets');
  await expect(row).toContainText('Tomcat JDBC: the June 15 leak against removeAbandoned');
  await expect(row).toContainText('pgbouncer session pool');
  // The link holds the whole scenario (packed by the browser once the glossary shows).
  await page.getByTestId('pool-preset-go-database-sql').click();
  await expect(page.locator('.scenario-title')).toHaveText("Go database/sql defaults: a leak meets the database's limit");
  await page.getByTestId('run-to-end').click();
  await expect(page.getByTestId('clock')).toHaveText('13:00:00', { timeout: 60_000 });
  // The same run as the command line's: the database fills at the same second, and
  // requests are refused at once in PostgreSQL's words (Go's pool never waits).
  const cli = poolsim('run', '--preset', 'go-database-sql');
  const at = new Date(Date.UTC(2000, 0, 1, 12) + Math.floor(cli.first_exhaustion_s) * 1000).toISOString().slice(11, 19);
  await expect(page.getByTestId('exhaustion')).toHaveText(at);
  await expect(page.getByTestId('log')).toContainText('pq: sorry, too many clients already');
  await expect(page.getByTestId('exhaustion-banner')).toContainText('connections were in use and new requests were refused');
  // The picker lists story presets only: it says where this scenario came from.
  await expect(page.getByTestId('preset').locator('option:checked')).toHaveText('A scenario from a link');
  // Compare offers this scenario's own what-ifs (not June 15's), as `poolsim compare` does.
  await page.getByTestId('nav-compare').click();
  const compare = page.getByTestId('compare');
  await compare.getByTestId('compare-run').click();
  const cliRows = poolsim('compare', '--preset', 'go-database-sql').rows;
  await expect(compare.locator('[data-testid^="compare-row-"]')).toHaveCount(cliRows.length, { timeout: 60_000 });
  for (const [i, row] of cliRows.entries()) {
    await expect(compare.getByTestId(`compare-row-${i}`)).toContainText(row.label);
    await expect(compare.getByTestId(`compare-cell-${i}-failed`).locator('.compare-value')).toHaveText(
      row.failed.toLocaleString('en-US'),
    );
  }
});

test('how sure is one run: a step run over many seeds in workers grades the guess against the range so far, Stop keeps it, and the next step asks of the same runs', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/learn.html#how-sure');
  await expect(page.getByTestId('lesson')).toContainText('How sure is one run?');
  // Ten hours after noon: later than any morning's pool runs out.
  await page.getByTestId('predict-0').fill('600');
  await page.getByTestId('run-step-0').click();
  const progress = page.getByTestId('spread-progress-0');
  await expect(progress).toContainText('of 200 runs');
  // The runs stream in from the workers; the verdict is given on the runs so far.
  await expect.poll(async () => Number(await progress.getAttribute('data-done')), { timeout: 240_000 })
    .toBeGreaterThanOrEqual(10);
  expect(page.workers().length).toBeGreaterThan(0);
  await page.getByTestId('spread-stop-0').click();
  await expect(progress).toHaveAttribute('data-cancelled', 'true');
  await expect(progress).toContainText('cancelled: the runs done are kept');
  await expect(page.getByTestId('spread-stop-0')).toHaveCount(0);
  await workersClosed(page);

  const done = Number(await progress.getAttribute('data-done'));
  expect(done).toBeGreaterThanOrEqual(10);
  expect(done).toBeLessThan(200);
  const verdict = page.getByTestId('spread-verdict-0');
  await expect(verdict).toHaveAttribute('data-band', 'above');
  await expect(verdict).toContainText('Too high: above the range of 90 % of the runs');
  // The range is of the runs kept: the pool ran out every morning, between about 13:20
  // and 14:10 (80 to 130 minutes after noon), the median inside the range.
  const [low, high] = (await page.getByTestId('spread-range-0').textContent()).match(/[\d.]+/g).map(Number);
  const median = parseFloat(await page.getByTestId('spread-median-0').textContent());
  expect(low).toBeGreaterThan(80);
  expect(high).toBeLessThan(130);
  expect(low).toBeLessThanOrEqual(median);
  expect(median).toBeLessThanOrEqual(high);
  await expect(page.getByTestId('spread-0')).toContainText(`It happened in every one of the ${done} runs.`);
  // The one run beside the text is one of those mornings, and the next step opens.
  const one = parseFloat(await page.getByTestId('simulated-0').textContent());
  expect(one).toBeGreaterThan(80);
  expect(one).toBeLessThan(130);
  await expect(page.getByTestId('predict-1')).toBeVisible();

  // The next step is about the same 200 mornings: it grades its guess on the runs kept,
  // and starts no worker.
  await page.getByTestId('predict-1').fill('90');
  await page.getByTestId('run-step-1').click();
  const next = page.getByTestId('spread-progress-1');
  await expect(next).toHaveAttribute('data-done', String(done));
  await expect(next).toHaveAttribute('data-cancelled', 'true');
  await expect(page.getByTestId('spread-verdict-1')).toHaveAttribute('data-band', 'above');
  expect(page.workers().length).toBe(0);
});
