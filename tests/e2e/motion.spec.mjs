// Requests in motion on the pool view: one dot per request while a person can follow them,
// flows per second past that, and nothing moving with reduced motion.
import { test, expect, openApp } from './fixtures.mjs';

/** June 15 at 14:00, mid-incident (the pool ran out at 13:54), playing at `speed`. */
async function playAt14(page, speed) {
  await openApp(page);
  await page.getByTestId('scrubber').fill('7200');
  await expect(page.getByTestId('clock')).toHaveText('14:00:00', { timeout: 60_000 });
  await page.getByTestId('speed').selectOption({ label: speed });
  await page.getByTestId('play').click();
}

const moving = (page) => page.getByTestId('pool-canvas').getAttribute('data-moving').then(Number);

test('June 15 at 1× draws each request as a dot, at 600× as flows, and says which', async ({ page }) => {
  await playAt14(page, '1×');
  const mode = page.getByTestId('pool-mode');
  const canvas = page.getByTestId('pool-canvas');
  await expect(mode).toHaveText('Each dot is one request.', { timeout: 30_000 });
  await expect(canvas).toHaveAttribute('aria-label', /Each dot is one request\./);
  // 150 logins a second at 1×: requests fly to the slots freed and drop out of the line.
  await expect.poll(() => moving(page), { timeout: 30_000 }).toBeGreaterThan(0);
  await page.getByTestId('speed').selectOption({ label: '600×' });
  await expect(mode).toHaveText('Too many to draw one by one: flows per second.', { timeout: 30_000 });
  await expect(canvas).toHaveAttribute('aria-label', /Too many to draw one by one: flows per second\./);
  await expect.poll(() => moving(page), { timeout: 30_000 }).toBe(0);
});

test('with reduced motion no particle moves, and the view says so', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await playAt14(page, '1×');
  await expect(page.getByTestId('pool-mode')).toHaveText('Each dot is one request. Reduced motion: nothing moves.', {
    timeout: 30_000,
  });
  // Across several refreshes of the panels while the run plays on, nothing moves.
  const clock = page.getByTestId('clock');
  for (let i = 0; i < 3; i++) {
    const before = await clock.textContent();
    await expect(clock).not.toHaveText(before, { timeout: 30_000 });
    expect(await moving(page)).toBe(0);
  }
  await expect(page.getByTestId('readout-pending')).not.toHaveText('0');
});
