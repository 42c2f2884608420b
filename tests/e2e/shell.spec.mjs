// The first page: the shell, the seed incident's run, the chart, presets and themes.
import { test, expect, openApp } from './fixtures.mjs';

test('loads the shell and replays the June 15, 2024 incident', async ({ page }) => {
  await openApp(page);
  await expect(page).toHaveTitle(/poolsim/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('poolsim');
  for (const region of ['Scenario', 'Pool', 'Outcome', 'Charts', 'Event log']) {
    await expect(page.getByRole('heading', { level: 2, name: region })).toBeVisible();
  }
  await expect(page.getByTestId('preset')).toHaveValue('june-15-2024');
  await expect(page.getByTestId('run-stats')).toContainText('Simulated 5 h 00 m');
  // The incident: the pool of 100 runs out near 14:00.
  await expect(page.getByTestId('exhaustion')).toHaveText(/^1[34]:\d\d:\d\d$/);
  await expect(page.getByTestId('log').locator('li').first()).toBeVisible();
});

test('draws the connections chart at the canvas size times devicePixelRatio', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await openApp(page);
  const chart = page.getByTestId('connections-chart');
  await expect(chart).toBeVisible();
  await expect(chart).toHaveAttribute('aria-label', /^Connections over time/);
  const size = await chart.evaluate((c) => ({ w: c.width, css: c.clientWidth, dpr: window.devicePixelRatio }));
  expect(size.w).toBe(Math.round(size.css * size.dpr));
});

test('a healthy pool never runs out', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('preset').selectOption('healthy-pool');
  await expect(page.getByTestId('exhaustion')).toHaveText('never');
  await expect(page.getByTestId('readout-failed')).toHaveText('0 (0.0 %)');
});

test('follows the dark colour scheme', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await openApp(page);
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(bg).toBe('rgb(13, 17, 23)');
});
