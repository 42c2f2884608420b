// A fleet on the page: every instance a row of the fleet view, the database it shares, and
// one instance at a time in the pool view — checked against the command line.
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, openApp, poolsim, poolsimText } from './fixtures.mjs';

/** Six instances of 20 (5 kept idle) behind a round-robin balancer, a leaky deploy on app-2
 *  and app-3 only, and a database that lets the application hold 97 connections. */
const scenario = {
  name: 'Fleet of six, two leaking',
  duration_s: 600,
  pool: { max_size: 20, min_idle: 5 },
  traffic: { rate_per_s: 120 },
  fleet: { instances: 6, balancer: 'round_robin' },
  database: { cores: 16, max_connections: 100 },
  events: [{ at_s: 60, action: 'deploy_leak', probability: 0.02, instances: [2, 3] }],
};

/** A link to `scenario` on this server, and what `poolsim run` prints for it. */
function linkAndSummary(baseURL) {
  const file = join(mkdtempSync(join(tmpdir(), 'poolsim-')), 'fleet.json');
  writeFileSync(file, JSON.stringify(scenario));
  return { link: poolsimText('link', file, '--base', `${baseURL}/`).trim(), summary: poolsim('run', file) };
}

test('a fleet shows each instance, the database it shares, and any one instance in the pool view', async ({ page, baseURL }) => {
  test.slow(); // a run to the end and the command line
  const { link, summary } = linkAndSummary(baseURL);
  const instances = summary.instances;
  expect(instances).toHaveLength(6);

  await openApp(page, link);
  const fleet = page.getByTestId('fleet-canvas');
  await expect(fleet).toHaveAttribute('data-instances', '6');
  await expect(fleet).toHaveAttribute('role', 'listbox');
  // At the start: the warm pools, five idle connections each, against the database's limit.
  await expect(page.getByTestId('fleet-summary')).toHaveText(
    '6 instances: none exhausted; 0 of 120 connections in use; database 30 of 97 connections (max_connections 100), CPU —',
  );
  await expect(page.getByTestId('fleet-db-connections')).toHaveText('30 of 97 connections (max_connections 100)');
  await expect(page.getByTestId('pool-instance')).toHaveText('app-1 of 6');
  await expect(page.getByTestId('readout-scope')).toHaveText('Totals of the fleet of 6:');
  // The database's arithmetic beside the run: six pools of 20 against 97 usable slots.
  const companions = page.getByTestId('database-companions');
  await expect(companions).toContainText('cores × 2 + 1 = 33 connections for the whole database');
  await expect(companions).toContainText('6 × 20 = 120 wanted against 97 usable (max_connections 100 − 3 reserved): 23 too many');
  // A pool's fixes act on every instance, and say so.
  await expect(page.getByTestId('fix-resize')).toContainText('on all 6 instances');
  await expect(page.getByTestId('fix-restart')).toContainText('on all 6 instances');

  await page.getByTestId('run-to-end').click();
  await expect(page.getByTestId('run-stats')).toBeVisible({ timeout: 60_000 });
  // The instances whose every connection leaked have run out; the others serve on.
  const out = instances.filter((i) => i.leaked === i.max_size).map((i) => `app-${i.instance}`);
  expect(out).toEqual(['app-2', 'app-3']);
  await expect(page.getByTestId('fleet-summary')).toContainText(`6 instances: 2 exhausted (${out.join(', ')});`);
  await expect(page.getByTestId('fleet-summary')).toContainText('of 97 connections (max_connections 100), CPU ');
  await expect(page.getByTestId('fleet-db-cpu')).toHaveText(/^CPU \d/);
  await expect(page.getByTestId('log')).toContainText('app-2');

  // The keys move along the rows (not the speed) and Enter shows app-3 in the pool view.
  const speed = await page.getByTestId('speed').inputValue();
  await fleet.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('fleet-cursor')).toContainText('app-3 of 6:');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('pool-instance')).toHaveText('app-3 of 6');
  await expect(page.getByTestId('speed')).toHaveValue(speed);
  const app3 = instances[2];
  await expect(page.getByTestId('instance-active')).toHaveText(`${app3.max_size} of ${app3.max_size}`);
  await expect(page.getByTestId('instance-leaked')).toHaveText(String(app3.leaked));
  await expect(page.getByTestId('pool-canvas')).toHaveAttribute('aria-label', new RegExp(`^app-3 of 6: Pool of ${app3.max_size}: ${app3.max_size} in use \\(${app3.leaked} leaked\\)`));

  // A click on app-5's row shows app-5, which never leaked (six rows of words: one column).
  expect(Number(await fleet.getAttribute('data-rows'))).toBe(6);
  const rowHeight = Number(await fleet.getAttribute('data-row-height'));
  await fleet.click({ position: { x: 70, y: 4.5 * rowHeight } });
  await expect(page.getByTestId('pool-instance')).toHaveText('app-5 of 6');
  await expect(page.getByTestId('instance-leaked')).toHaveText(String(instances[4].leaked));
  expect(instances[4].leaked).toBe(0);
  await expect(page.getByTestId('instance-active')).toHaveText(new RegExp(`^\\d+ of ${instances[4].max_size}$`));
  // The outcome is the fleet's, and names the instance that ran out first.
  const first = instances.reduce((a, b) => ((b.first_exhaustion_s ?? Infinity) < (a.first_exhaustion_s ?? Infinity) ? b : a));
  await expect(page.getByTestId('outcome-exhaustion')).toContainText(`(app-${first.instance})`);
  await expect(page.getByTestId('outcome-requests')).toHaveText(summary.requests.toLocaleString('en-US'));
});

test('deep health checks take every instance out of the balancer; checks without the database bring them back', async ({ page }) => {
  test.slow(); // seeks re-simulate the preset
  await openApp(page, '/?preset=buildkite-2016-health-checks');
  const summary = page.getByTestId('fleet-summary');
  await expect(summary).toContainText('4 instances: none exhausted; 0 out of the load balancer;');
  // By 17:18 every pool has run out, every SELECT 1 waits in vain and the balancer has
  // nothing left to send requests to.
  await page.getByTestId('scrubber').fill('1100');
  await expect(summary).toContainText('; 4 out of the load balancer;', { timeout: 60_000 });
  await expect(page.getByTestId('fleet-cursor')).toContainText(' — out of the load balancer');
  await expect(page.getByTestId('balancer-chart')).toHaveAttribute('aria-label', /0 of 4 now, 0 at the fewest/);
  const fix = page.getByTestId('fix-health-check');
  await expect(fix).toHaveText(/^Health checks without the database at 17:18:20/);
  await fix.click();
  await expect(page.getByTestId('log')).toContainText('Health checks: shallow (the instance answers without the database)');
  await expect(fix).toBeDisabled();
  // Ten passing checks 30 s apart later, every instance is back in.
  await page.getByTestId('scrubber').fill('1500');
  await expect(summary).toContainText('; 0 out of the load balancer;', { timeout: 60_000 });
  await expect(page.getByTestId('balancer-chart')).toHaveAttribute('aria-label', /4 of 4 now, 0 at the fewest/);
});
