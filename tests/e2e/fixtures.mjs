// Every e2e test fails on a console error, an uncaught page error, or any request that
// leaves the page's own origin (poolsim makes no network calls).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test as base, expect } from '@playwright/test';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** URLs each page may fail to load without failing its test (see `allowFailedLoads`). */
const failedLoadsAllowed = new WeakMap();

/** Let `page` fail to load URLs matching `pattern` (a test that breaks them on purpose):
 *  the browser's own console error for them is expected, not a problem. */
export function allowFailedLoads(page, pattern) {
  failedLoadsAllowed.set(page, pattern);
}

export const test = base.extend({
  page: async ({ page, baseURL }, use) => {
    const problems = [];
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const allowed = failedLoadsAllowed.get(page);
      const expected = allowed && msg.text().startsWith('Failed to load resource') && allowed.test(msg.location().url);
      if (!expected) problems.push(`console error: ${msg.text()}`);
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

/** The page, loaded, with the app mounted, its pool drawn and the preset it names (fetched
 *  when it is not the seed) in: play is enabled once it is. */
export async function openApp(page, path = '/') {
  await page.goto(path);
  await expect(page.getByTestId('play')).toBeEnabled();
  await expect(page.getByTestId('pool-canvas')).toBeVisible();
}

/** Every Web Worker the page started has closed (a finished, cancelled or abandoned batch
 *  of runs leaves none behind). */
export async function workersClosed(page) {
  await expect.poll(() => page.workers().length, { timeout: 60_000 }).toBe(0);
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
