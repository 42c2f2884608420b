// The accessibility audit: axe-core on every page, in the state a user sees it in (the
// visualizer playing June 15, the compare table after a run, a sweep's heatmap and the
// smallest pool found, a lesson step answered, a drill, the glossary), in the light and the
// dark theme, with no serious or critical violation. And the visualizer's polite live region: it says what matters once, not every
// frame.
import { AxeBuilder } from '@axe-core/playwright';
import { test, expect, openApp, poolsim } from './fixtures.mjs';

/** Run axe on the page as it is; fail listing every serious or critical violation by
 *  rule, element and page. */
async function audit(page, where) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const grave = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${where}: ${v.id} (${v.impact}) at ${n.target.join(' ')}: ${n.failureSummary}`));
  expect(grave, `serious or critical accessibility violations on ${where}`).toEqual([]);
}

/** The clock read as seconds of the day ("13:53:12" → 50,012). */
const secondsOf = (clock) => clock.split(':').reduce((s, part) => s * 60 + Number(part), 0);

for (const colorScheme of ['light', 'dark']) {
  test.describe(`${colorScheme} theme`, () => {
    test.use({ colorScheme });

    test('the visualizer, playing June 15', async ({ page }) => {
      await openApp(page, '/?preset=june-15-2024');
      await audit(page, `index.html (${colorScheme}, paused at the start)`);
      await page.getByTestId('speed').selectOption({ label: '600×' });
      await page.getByTestId('play').click();
      // Into the incident: the pool ran out, the alert fired, the log scrolls; then paused.
      await expect(async () => {
        expect(secondsOf(await page.getByTestId('clock').textContent())).toBeGreaterThan(secondsOf('14:10:00'));
      }).toPass({ timeout: 120_000 });
      await page.getByTestId('play').click();
      await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'false');
      await audit(page, `index.html (${colorScheme}, played to ${await page.getByTestId('clock').textContent()})`);
    });

    test('the compare page, its table after a run', async ({ page }) => {
      test.setTimeout(240_000);
      await page.goto('/compare.html');
      await page.getByTestId('compare-run').click();
      await expect(page.getByTestId('compare-table')).toBeVisible({ timeout: 120_000 });
      await expect(page.getByTestId('compare-progress')).toHaveCount(0);
      await audit(page, `compare.html (${colorScheme}, after a run)`);
    });

    test('the compare page, a sweep\'s heatmap and the smallest pool found', async ({ page }) => {
      test.setTimeout(240_000);
      await page.goto('/compare.html?preset=fast-leak');
      const sweep = page.getByTestId('sweep');
      await sweep.getByTestId('sweep-x-steps').fill('3');
      await sweep.getByTestId('sweep-y-steps').fill('2');
      await sweep.getByTestId('sweep-run').click();
      await expect(sweep.getByTestId('sweep-progress')).toHaveAttribute('data-finished', 'true', { timeout: 120_000 });
      await sweep.getByTestId('sweep-cell-0').focus();
      await sweep.getByTestId('sweep-hunt-run').click();
      await expect(sweep.getByTestId('sweep-hunt-answer')).toBeVisible({ timeout: 120_000 });
      await audit(page, `compare.html (${colorScheme}, after a sweep and the search)`);
    });

    test('the share page', async ({ page }) => {
      await page.goto('/share.html');
      await expect(page.getByTestId('share-progress')).toHaveText('The files below hold the whole run.', {
        timeout: 60_000,
      });
      await audit(page, `share.html (${colorScheme})`);
    });

    test('the embed page', async ({ page }) => {
      await page.goto('/embed.html');
      await expect(page.getByTestId('play')).toBeVisible();
      await expect(page.getByTestId('pool-canvas')).toBeVisible();
      await audit(page, `embed.html (${colorScheme})`);
    });

    test('a lesson step, answered', async ({ page }) => {
      await page.goto('/learn.html#rollback-or-restart');
      await expect(page.getByTestId('lesson')).toContainText('Rolling back versus restarting');
      await page.getByTestId('predict-0').fill('5');
      await page.getByTestId('run-step-0').click();
      await expect(page.getByTestId('verdict-0')).toContainText('Too low');
      await audit(page, `learn.html#rollback-or-restart (${colorScheme}, step 1 answered)`);
    });

    test('a diagnosis drill, answered', async ({ page }) => {
      await page.goto('/learn.html#mystery-a');
      await expect(page.getByTestId('drill-dashboard')).toBeVisible();
      await audit(page, `learn.html#mystery-a (${colorScheme})`);
      await page.getByTestId('drill-submit').click();
      await expect(page.getByTestId('drill-verdict')).toBeVisible();
      await audit(page, `learn.html#mystery-a (${colorScheme}, answered)`);
    });

    test('the glossary', async ({ page }) => {
      await page.goto('/learn.html#glossary');
      await expect(page.getByRole('region', { name: 'The knobs of real pools' })).toBeVisible();
      await audit(page, `learn.html#glossary (${colorScheme})`);
    });
  });
}

test('the event log scrolls by keyboard: focused, its arrow keys are its own', async ({ page }) => {
  await openApp(page, '/?preset=june-15-2024');
  await page.getByTestId('run-to-end').click();
  await expect(page.getByTestId('run-stats')).toBeVisible({ timeout: 60_000 });
  const log = page.getByTestId('log');
  await expect.poll(() => log.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
  const speed = await page.getByTestId('speed').inputValue();
  await log.focus();
  await page.keyboard.press('ArrowDown');
  await expect.poll(() => log.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
  await expect(page.getByTestId('speed')).toHaveValue(speed);
});

test('the live region says when the pool ran out, once, and not every frame', async ({ page }) => {
  await openApp(page, '/?preset=june-15-2024');
  const region = page.getByTestId('announcement');
  await expect(region).toHaveAttribute('aria-live', 'polite');
  await expect(region).toHaveText('');
  // Every text the region takes while the run plays, as a screen reader is told it.
  await region.evaluate((el) => {
    window.said = [];
    new MutationObserver(() => window.said.push(el.textContent)).observe(el, {
      childList: true,
      characterData: true,
      subtree: true,
    });
  });
  await page.getByTestId('speed').selectOption({ label: '600×' });
  await page.getByTestId('play').click();
  const ranOut = await page.getByTestId('exhaustion').textContent({ timeout: 120_000 });
  expect(ranOut).toMatch(/^13:5\d:\d\d$/);
  // Past the alert that follows, then paused.
  await expect(async () => {
    expect(secondsOf(await page.getByTestId('clock').textContent())).toBeGreaterThan(secondsOf('14:10:00'));
  }).toPass({ timeout: 120_000 });
  await page.getByTestId('play').click();
  const said = await page.evaluate(() => window.said);
  // The deploy at 12:30, the pool running out at the banner's time, the alert it sets off.
  expect(said).toContainEqual(expect.stringMatching(/^At 12:30:00: /));
  expect(said).toContainEqual(`At ${ranOut}: the pool ran out, every connection in use.`);
  // The alert when `poolsim run` says it fires (the run starts at 12:00).
  const firedS = 12 * 3600 + poolsim('run', '--preset', 'june-15-2024').alerts.FailedLogins;
  const fired = [firedS / 3600, (firedS / 60) % 60, firedS % 60].map((n) => String(Math.floor(n)).padStart(2, '0')).join(':');
  expect(said).toContainEqual(`At ${fired}: alert fired: FailedLogins`);
  // Hundreds of frames played, yet each news was said once: few changes, none repeated.
  expect(said.length, said.join('\n')).toBeLessThanOrEqual(8);
  expect(new Set(said).size, said.join('\n')).toBe(said.length);
});
