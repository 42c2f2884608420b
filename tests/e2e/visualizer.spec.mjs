// Playing, changing and watching the pool run out — checked against the command line.
import { test, expect, openApp, poolsim, allowFailedLoads } from './fixtures.mjs';

/** `poolsim run --preset NAME` summary (the CLI and the page share the engine). */
function cliSummary(preset) {
  return poolsim('run', '--preset', preset);
}

/** HH:MM:SS of `seconds` after the clock time `start` ("HH:MM"). */
function clockAt(start, seconds) {
  const [h, m] = start.split(':').map(Number);
  const t = Math.floor(h * 3600 + m * 60 + seconds) % 86400;
  return [t / 3600, (t / 60) % 60, t % 60].map((n) => String(Math.floor(n)).padStart(2, '0')).join(':');
}

test('playing a leak at speed shows the exhaustion banner at the time poolsim run reports', async ({ page }) => {
  const summary = cliSummary('fast-leak');
  expect(summary.first_exhaustion_s).not.toBeNull();
  await openApp(page);
  await page.getByTestId('preset').selectOption('fast-leak');
  await expect(page.getByTestId('exhaustion-estimate')).toContainText('At this leak rate the pool runs out in ~');
  await page.getByTestId('speed').selectOption({ label: '60×' });
  await page.getByTestId('play').click();
  await expect(page.getByTestId('exhaustion')).toHaveText(clockAt('08:00', summary.first_exhaustion_s), {
    timeout: 30_000,
  });
  await expect(page.getByTestId('exhaustion-banner')).toContainText('all 10 connections in use');
});

test('a chosen preset is fetched from beside the page; one that cannot be leaves the scenario as it was', async ({ page }) => {
  await openApp(page);
  const fetched = page.waitForRequest((r) => r.url().endsWith('/scenarios/fast-leak.json'));
  await page.getByTestId('preset').selectOption('fast-leak');
  await fetched;
  await expect(page.getByTestId('control-pool-size')).toHaveValue('10');
  await expect(page.getByTestId('play')).toBeEnabled();
  // The network fails for the next one: the page says so and keeps the fast leak.
  allowFailedLoads(page, /\/scenarios\/(slow-leak|healthy-pool)\.json$/);
  await page.route('**/scenarios/slow-leak.json', (route) => route.abort('internetdisconnected'));
  await page.getByTestId('preset').selectOption('slow-leak');
  await expect(page.getByTestId('preset-error')).toContainText('the preset “Slow leak” could not be loaded');
  await expect(page.getByTestId('preset-error')).toContainText('The scenario is unchanged');
  await expect(page.getByTestId('preset')).toHaveValue('fast-leak');
  await expect(page.getByTestId('control-pool-size')).toHaveValue('10');
  await expect(page.getByTestId('play')).toBeEnabled();
  // A server that answers with an error page is refused the same way.
  await page.route('**/scenarios/healthy-pool.json', (route) => route.fulfill({ status: 404, body: 'Not found' }));
  await page.getByTestId('preset').selectOption('healthy-pool');
  await expect(page.getByTestId('preset-error')).toContainText('the server answered 404');
  await expect(page.getByTestId('preset')).toHaveValue('fast-leak');
  // Back online, the one chosen opens and the message goes.
  await page.unroute('**/scenarios/slow-leak.json');
  await page.getByTestId('preset').selectOption('slow-leak');
  await expect(page.getByTestId('preset-error')).toHaveCount(0);
  await expect(page.getByTestId('preset')).toHaveValue('slow-leak');
});

test('keyboard: space plays and pauses, arrow keys change speed', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('preset').selectOption('healthy-pool');
  await expect(page.getByTestId('play')).toBeEnabled(); // the preset is in
  await page.locator('body').click({ position: { x: 5, y: 5 } }); // focus the page, not a control
  await expect(page.getByTestId('speed')).toHaveValue('2'); // 60×
  await page.keyboard.press('ArrowUp');
  await expect(page.getByTestId('speed')).toHaveValue('3'); // 300×
  await page.keyboard.press(' ');
  await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('clock')).not.toHaveText('09:00:00');
  await page.keyboard.press(' ');
  await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'false');
  const paused = await page.getByTestId('clock').textContent();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('speed')).toHaveValue('2');
  // Paused means paused: the clock holds across frames.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await expect(page.getByTestId('clock')).toHaveText(paused);
  // Focus is visible on the play button when tabbed to.
  await page.getByTestId('play').focus();
  const outline = await page.getByTestId('play').evaluate((b) => getComputedStyle(b).outlineStyle);
  expect(outline).not.toBe('none');
});

test('a bigger pool delays exhaustion and no leak avoids it', async ({ page }) => {
  test.slow(); // three runs to the end
  await openApp(page);
  await page.getByTestId('preset').selectOption('fast-leak');
  await page.getByTestId('run-to-end').click();
  await expect(page.getByTestId('run-stats')).toBeVisible({ timeout: 60_000 });
  const small = await page.getByTestId('exhaustion').textContent();

  await page.getByTestId('restart').click();
  await page.getByTestId('control-pool-size').fill('40');
  await page.getByTestId('control-pool-size').press('Enter');
  await page.getByTestId('run-to-end').click();
  await expect(page.getByTestId('run-stats')).toBeVisible({ timeout: 60_000 });
  const bigger = await page.getByTestId('exhaustion').textContent();
  expect(bigger > small, `pool 40 exhausts at ${bigger}, after pool 10 at ${small}`).toBe(true);

  await page.getByTestId('restart').click();
  await page.getByTestId('control-leak').fill('0');
  await page.getByTestId('control-leak').press('Enter');
  await page.getByTestId('run-to-end').click();
  await expect(page.getByTestId('run-stats')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('exhaustion')).toHaveCount(0);
  await expect(page.getByTestId('readout-leaked')).toHaveText('0');
});

test('an invalid pool size is refused inline and the run keeps its pool', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('control-pool-size').fill('0');
  await page.getByTestId('control-pool-size').press('Enter');
  await expect(page.getByTestId('control-error-pool-size')).toBeVisible();
  await expect(page.getByTestId('readout-idle')).toHaveText('100');
});

test('a change while playing applies live at the current time', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('preset').selectOption('fast-leak');
  await page.getByTestId('step').click();
  await page.getByTestId('step').click();
  await expect(page.getByTestId('clock')).toHaveText('08:00:02');
  await page.getByTestId('control-pool-size').fill('25');
  await page.getByTestId('control-pool-size').press('Enter');
  await expect(page.getByTestId('clock')).toHaveText('08:00:02'); // not restarted
  await page.getByTestId('step').click();
  await expect(page.getByTestId('log')).toContainText('25');
});

test('seeking re-simulates: the view at 14:00 is always the same', async ({ page }) => {
  test.slow(); // a run to the end and two seeks of two hours
  await openApp(page);
  const scrubber = page.getByTestId('scrubber');
  const view = async () => ({
    clock: await page.getByTestId('clock').textContent(),
    leaked: await page.getByTestId('readout-leaked').textContent(),
    pending: await page.getByTestId('readout-pending').textContent(),
    timeouts: await page.getByTestId('readout-timeouts').textContent(),
  });
  await scrubber.fill('7200'); // forward from 12:00 to 14:00
  await expect(page.getByTestId('clock')).toHaveText('14:00:00', { timeout: 60_000 });
  const first = await view();
  await page.getByTestId('run-to-end').click();
  await expect(page.getByTestId('clock')).toHaveText('17:00:00', { timeout: 60_000 });
  await scrubber.fill('7200'); // back: re-simulated from 12:00
  await expect(page.getByTestId('clock')).toHaveText('14:00:00', { timeout: 60_000 });
  expect(await view()).toEqual(first);
  expect(Number(first.leaked)).toBeGreaterThan(90);
});

test('grabbing the scrubber during run to end stops at the chosen time', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('run-to-end').click();
  await page.getByTestId('scrubber').fill('3600'); // while the incident is still being run
  await expect(page.getByTestId('clock')).toHaveText('13:00:00');
  await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'false');
  // It stays there: two more frames later, still 13:00:00.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await expect(page.getByTestId('clock')).toHaveText('13:00:00');
});

test('switching the database on shows its three charts; a bad value names the field and keeps the last good one', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('preset').selectOption('fast-leak');
  const charts = ['db-connections', 'db-cpu', 'query-stretch'].map((slug) => page.getByTestId(`${slug}-chart`));
  for (const chart of charts) await expect(chart).toHaveCount(0);
  await expect(page.getByTestId('control-db-cores')).toHaveCount(0);

  // By keyboard, as a screen reader announces it: a switch named "Model the database".
  const database = page.getByRole('switch', { name: 'Model the database' });
  await expect(database).not.toBeChecked();
  await database.focus();
  await page.keyboard.press('Space');
  await expect(database).toBeChecked();
  for (const chart of charts) await expect(chart).toBeVisible();
  await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'false'); // Space toggled the switch only
  await expect(page.getByTestId('control-db-cores')).toHaveValue('4');
  await expect(page.getByTestId('control-db-max-connections')).toHaveValue('100');
  for (const clock of ['08:00:01', '08:00:02']) {
    await page.getByTestId('step').click();
    await expect(page.getByTestId('clock')).toHaveText(clock);
  }
  await expect(charts[0]).toHaveAttribute('aria-label', /of 97 usable \(max_connections 100, 3 reserved\)/);
  await expect(charts[1]).toHaveAttribute('aria-label', /of 4 cores busy/);

  const cores = page.getByTestId('control-db-cores');
  await cores.fill('0');
  await cores.press('Enter');
  await expect(page.getByTestId('control-error-db-cores')).toContainText(
    'Database cores: must be between 1 and 1024 cores, got 0',
  );
  await cores.press('Escape');
  await expect(cores).toHaveValue('4');
  await expect(page.getByTestId('control-error-db-cores')).toHaveCount(0);
  await page.getByTestId('restart').click();
  await expect(page.getByTestId('clock')).toHaveText('08:00:00');
  for (const clock of ['08:00:01', '08:00:02']) {
    await page.getByTestId('step').click();
    await expect(page.getByTestId('clock')).toHaveText(clock);
  }
  await expect(charts[1]).toHaveAttribute('aria-label', /of 4 cores busy/); // the run kept 4 cores

  // Off while the run has started: a setting of the next run, as the field says.
  await database.uncheck();
  await expect(page.locator('#control-database-hint')).toHaveText(/Applies on restart/);
  await expect(charts[0]).toBeVisible();
  await page.getByTestId('restart').click();
  for (const chart of charts) await expect(chart).toHaveCount(0);
  await expect(page.getByTestId('connections-chart')).toBeVisible();
});

test("a retry storm shows its goodput and attempts charts, and the callers' fixes record themselves on the timeline", async ({ page }) => {
  await openApp(page, '/?preset=github-2023-05-10-retry-storm');
  const goodput = page.getByTestId('goodput-chart');
  const attempts = page.getByTestId('attempts-chart');
  await expect(goodput).toBeVisible();
  await expect(attempts).toBeVisible();
  await expect(page.getByTestId('fix-jitter')).toHaveCount(0); // the callers' fixes wait for the run

  // 12:20: the writes are slow, callers give up after a second and retry at once.
  await page.getByTestId('scrubber').fill('1200');
  await expect(page.getByTestId('clock')).toHaveText('12:20:00', { timeout: 60_000 });
  await expect(goodput).toHaveAttribute('aria-label', /0 answered in time in the last second/);
  // At least two attempts a request (the label is redrawn with the charts: wait for it).
  await expect(attempts).toHaveAttribute('aria-label', /at worst ([2-9]|\d{2,})(\.\d)? attempts a request/);

  const jitter = page.getByTestId('fix-jitter');
  await expect(jitter).toHaveText('Add jitter to retries at 12:20:00');
  await expect(jitter).toBeEnabled();
  await jitter.click();
  await expect(jitter).toBeDisabled();
  await expect(page.locator('#fix-jitter-help')).toHaveText('Retries already back off with jitter.');
  const budget = page.getByTestId('fix-retry-budget');
  await budget.click();
  await expect(budget).toBeDisabled();
  await expect(page.getByTestId('fix-fail-fast')).toHaveText('Fail fast: timeout 1 s at 12:20:00');
  const rows = page.locator('[data-testid^="timeline-row-"]');
  await expect(rows.filter({ hasText: 'Callers retry 3 times on timeouts, after 100 ms, doubling up to 20 s, with full jitter' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'Retry budget: 10 % of requests' })).toHaveCount(1);
});

test('a newcomer is told what to do first, until the run starts', async ({ page }) => {
  await openApp(page);
  const line = page.getByTestId('first-minute');
  await expect(line).toHaveText('Press play — at 13:53 the pool runs out. Then try a fix.');
  await page.getByTestId('step').click();
  await expect(page.getByTestId('clock')).toHaveText('12:00:01');
  await expect(line).toHaveCount(0);
  await page.getByTestId('restart').click(); // back at 12:00: once used, it stays away
  await expect(page.getByTestId('clock')).toHaveText('12:00:00');
  await expect(line).toHaveCount(0);
  await page.getByTestId('preset').selectOption('fast-leak');
  await expect(page.getByTestId('clock')).toHaveText('08:00:00');
  await expect(line).toHaveCount(0); // only on the June 15 replay
});
