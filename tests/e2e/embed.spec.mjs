// Embed mode: the compact page an iframe shows, opened by `?embed` or embed.html, with the
// link's start time, speed, autoplay and hidden controls.
import { deflateRawSync } from 'node:zlib';
import { test, expect, poolsim } from './fixtures.mjs';

/** A link fragment (`v1.…`) for preset `name` with the view options `view`. */
function link(name, view) {
  const scenario = poolsim('presets', '--show', name);
  return `v1.${deflateRawSync(JSON.stringify({ scenario, view })).toString('base64url')}`;
}

/** No scrollbars: the document is no larger than the frame. */
async function fitsExactly(page) {
  const [w, h, iw, ih] = await page.evaluate(() => [
    document.documentElement.scrollWidth, document.documentElement.scrollHeight, innerWidth, innerHeight,
  ]);
  expect(w, 'no horizontal scrollbar').toBeLessThanOrEqual(iw);
  expect(h, 'no vertical scrollbar').toBeLessThanOrEqual(ih);
}

for (const [width, height] of [[800, 450], [640, 360]]) {
  test(`?embed opens the compact view, which fits ${width}×${height} without scrollbars`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    const fragment = link('june-15-2024', { preset: 'june-15-2024' });
    await page.goto(`/?embed#${fragment}`);
    await expect(page).toHaveURL(/\/embed\.html\?embed#v1\./);
    await expect(page.getByTestId('pool-canvas')).toBeVisible();
    await expect(page.getByTestId('connections-chart')).toBeVisible();
    await expect(page.getByTestId('clock')).toHaveText('12:00:00');
    await expect(page.getByTestId('open-in-poolsim')).toHaveAttribute('href', `./#${fragment}`);
    await fitsExactly(page);
    await page.getByTestId('play').click();
    await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('clock')).not.toHaveText('12:00:00');
    await expect(page.getByTestId('embed-outcome')).toContainText('requests');
    await fitsExactly(page);
  });
}

test('an embed starts where, how fast and how the link says, controls hidden', async ({ page }) => {
  test.slow(); // a run to the end
  await page.setViewportSize({ width: 800, height: 450 });
  await page.goto(`/embed.html#${link('fast-leak', { at_s: 120, speed: 'max', autoplay: true, hide_controls: true })}`);
  await expect(page.getByTestId('pool-canvas')).toBeVisible();
  // Autoplay at full speed from 08:02 runs the ten minutes to their end.
  await expect(page.getByTestId('clock')).toHaveText('08:10:00', { timeout: 60_000 });
  await expect(page.getByTestId('play')).toHaveCount(0);
  await expect(page.getByTestId('embed-outcome')).toContainText('pool ran out at 08:0');
  await fitsExactly(page);
});

test('embed=0 keeps the full page', async ({ page }) => {
  await page.goto('/?embed=0');
  await expect(page.getByTestId('timeline-add')).toBeVisible();
  await expect(page).toHaveURL(/\/(\?|index\.html)/);
});
