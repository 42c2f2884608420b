// Every e2e test fails on a console error, an uncaught page error, or any request that
// leaves the page's own origin (poolsim makes no network calls).
import { test as base, expect } from '@playwright/test';

export const test = base.extend({
  page: async ({ page, baseURL }, use) => {
    const problems = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('request', (req) => {
      const url = req.url();
      if (!url.startsWith(baseURL) && !url.startsWith('data:') && !url.startsWith('blob:')) {
        problems.push(`request outside the page's origin: ${url}`);
      }
    });
    await use(page);
    expect(problems, 'console errors, page errors or foreign requests').toEqual([]);
  },
});

export { expect };

/** The page, loaded, with the app mounted and its pool drawn. */
export async function openApp(page, path = '/') {
  await page.goto(path);
  await expect(page.getByTestId('play')).toBeVisible();
  await expect(page.getByTestId('pool-canvas')).toBeVisible();
}
