// Every e2e test fails on a console error, an uncaught page error, or any request that
// leaves the page's own origin (poolsim makes no network calls).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test as base, expect } from '@playwright/test';

const root = fileURLToPath(new URL('../..', import.meta.url));

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

/** The output of the poolsim command line run with `args` (the CLI and the pages share
 *  the engine, so the tests check the pages against it). */
export function poolsimText(...args) {
  return execFileSync('cargo', ['run', '-q', '--locked', '-p', 'poolsim', '--', ...args], { cwd: root, encoding: 'utf8' });
}

/** The poolsim command line's JSON output for `args`. */
export function poolsim(...args) {
  return JSON.parse(poolsimText(...args));
}
