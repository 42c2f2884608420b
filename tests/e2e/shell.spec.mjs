// The page's shell: regions, the seed incident opening paused, themes, presets.
import { test, expect, openApp } from './fixtures.mjs';

test('opens paused on the June 15, 2024 incident with a warm pool', async ({ page }) => {
  await openApp(page);
  await expect(page).toHaveTitle(/poolsim/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('poolsim');
  // Each panel's heading says in plain words what it shows.
  for (const region of [
    'Scenario and its settings',
    'Pool: connections in use, idle and leaked',
    'Fix it now: apply a fix at this moment',
    'Charts: the pool over time',
    'Timeline: what happens, and when',
    'Outcome so far: requests served and failed',
    "Event log: the pool's own messages",
  ]) {
    await expect(page.getByRole('heading', { level: 2, name: region, exact: true })).toBeVisible();
  }
  await expect(page.getByTestId('preset')).toHaveValue('june-15-2024');
  await expect(page.getByTestId('clock')).toHaveText('12:00:00');
  await expect(page.getByTestId('readout-idle')).toHaveText('100');
  await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'false');
});

test('run to end replays the incident: exhaustion near 14:00, recovery after 15:45', async ({ page }) => {
  test.slow(); // a run to the end
  await openApp(page);
  await page.getByTestId('run-to-end').click();
  await expect(page.getByTestId('run-stats')).toHaveText(/^Simulated 5 h 00 m — 2\.\d M requests — in \d+ ms$/, {
    timeout: 60_000,
  });
  await expect(page.getByTestId('clock')).toHaveText('17:00:00');
  await expect(page.getByTestId('exhaustion')).toHaveText(/^1(3:[45]\d|4:[0-2]\d):\d\d$/);
  await expect(page.getByTestId('outcome-recovered')).toHaveText(/^1[56]:\d\d:\d\d$/);
  const recovered = await page.getByTestId('outcome-recovered').textContent();
  expect(recovered >= '15:45:00').toBe(true);
});

test('draws the pool and chart at their CSS size times devicePixelRatio', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('run-to-end').click();
  for (const id of ['pool-canvas', 'connections-chart']) {
    const canvas = page.getByTestId(id);
    await expect(canvas).toBeVisible();
    await expect(canvas).toHaveAttribute('role', 'img');
    // Sized when drawn, which follows the render (and the run): retried until it holds.
    await expect(async () => {
      const size = await canvas.evaluate((c) => ({ w: c.width, css: c.clientWidth, dpr: window.devicePixelRatio }));
      expect(size.w).toBe(Math.round(size.css * size.dpr));
    }).toPass({ timeout: 30_000 });
  }
});

test('a healthy pool never times out', async ({ page }) => {
  test.slow(); // a run to the end
  await openApp(page);
  await page.getByTestId('preset').selectOption('healthy-pool');
  await expect(page.getByTestId('clock')).toHaveText(/^\d\d:\d\d:00$/);
  await page.getByTestId('run-to-end').click();
  await expect(page.getByTestId('run-stats')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('readout-timeouts')).toHaveText('0');
  await expect(page.getByTestId('outcome-failed')).toHaveText('0 (0.0 %)');
});

test('follows the dark colour scheme', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await openApp(page);
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(bg).toBe('rgb(13, 17, 23)');
});

test('fits a phone screen without horizontal scrolling', async ({ page }) => {
  test.slow(); // a run to the end
  await page.setViewportSize({ width: 390, height: 844 });
  await openApp(page);
  await page.getByTestId('run-to-end').click();
  await expect(page.getByTestId('run-stats')).toBeVisible({ timeout: 60_000 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: test.info().outputPath('phone.png'), fullPage: true });
});
