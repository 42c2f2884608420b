// The incident's timeline and the fixes: applied live, recorded, replayed, edited.
import { test, expect, openApp } from './fixtures.mjs';

/** Rows of the timeline editor, as text. */
async function rows(page) {
  return page.locator('[data-testid^="timeline-row-"]').allTextContents();
}

test('a fix applied live is recorded in the timeline and a restart replays it exactly', async ({ page }) => {
  test.slow(); // two runs to the end
  await openApp(page);
  await page.getByTestId('scrubber').fill('8400'); // 14:20, after the pool ran out
  await expect(page.getByTestId('clock')).toHaveText('14:20:00', { timeout: 60_000 });
  const before = (await rows(page)).length;
  await page.getByTestId('fix-rollback').click();
  await page.getByTestId('fix-restart').click();
  // The rows come with the re-render that follows each click: counted until they are there.
  const timelineRows = page.locator('[data-testid^="timeline-row-"]');
  await expect(timelineRows).toHaveCount(before + 2);
  await expect(timelineRows.filter({ hasText: '14:20:00' })).toHaveCount(2);

  await page.getByTestId('run-to-end').click();
  await expect(page.getByTestId('clock')).toHaveText('17:00:00', { timeout: 60_000 });
  const failed = await page.getByTestId('outcome-failed').textContent();
  expect(Number(failed.match(/\((\d+\.\d) %\)/)[1])).toBeLessThan(20); // as it happened: 38 %

  // Replaying the recorded timeline from the start gives the same outcome, request for request.
  await page.getByTestId('restart').click();
  await page.getByTestId('run-to-end').click();
  await expect(page.getByTestId('clock')).toHaveText('17:00:00', { timeout: 60_000 });
  await expect(page.getByTestId('outcome-failed')).toHaveText(failed);
});

test('editing the timeline changes the outcome and keeps the time you were at', async ({ page }) => {
  test.slow(); // two runs to the end
  await openApp(page);
  await page.getByTestId('preset').selectOption('fast-leak');
  await page.getByTestId('run-to-end').click();
  await expect(page.getByTestId('run-stats')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('exhaustion')).toBeVisible();
  const failedBefore = await page.getByTestId('outcome-failed').textContent();

  await page.getByTestId('scrubber').fill('120');
  await expect(page.getByTestId('clock')).toHaveText('08:02:00');
  await page.getByTestId('timeline-add').click();
  await page.getByTestId('timeline-kind').selectOption('restart_app');
  await page.getByTestId('timeline-time').fill('08:03');
  await page.getByTestId('timeline-save').click();
  await expect(page.getByTestId('clock')).toHaveText('08:02:00'); // re-simulated back to where we were
  await page.getByTestId('timeline-add').click();
  await page.getByTestId('timeline-kind').selectOption('rollback');
  await page.getByTestId('timeline-time').fill('08:03');
  await page.getByTestId('timeline-save').click();
  await expect(page.getByTestId('timeline-row-1')).toContainText('08:03:00');
  await expect(page.getByTestId('clock')).toHaveText('08:02:00');

  await page.getByTestId('run-to-end').click();
  await expect(page.getByTestId('clock')).toHaveText('08:10:00', { timeout: 60_000 });
  await expect(page.getByTestId('outcome-failed')).not.toHaveText(failedBefore);
});

test('an invalid timeline entry is refused with a clear message and nothing is lost', async ({ page }) => {
  await openApp(page);
  const before = await rows(page);
  await page.getByTestId('timeline-add').click();
  await page.getByTestId('timeline-kind').selectOption('resize_pool');
  await page.getByTestId('timeline-time').fill('18:30'); // the run ends at 17:00
  await page.getByTestId('timeline-save').click();
  await expect(page.getByTestId('timeline-error')).toContainText('17:00:00');
  expect(await rows(page)).toEqual(before);
  await expect(page.getByTestId('timeline-time')).toHaveValue('18:30'); // what was typed stays
  await expect(page.getByTestId('clock')).toHaveText('12:00:00');
});
