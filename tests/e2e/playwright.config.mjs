// End-to-end tests of the built site (dist/) in Debian's Chromium — no browser downloads.
import { defineConfig } from '@playwright/test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const port = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.mjs',
  // Generous limits: every wait is for a condition, so they cost nothing on a quiet machine
  // and keep a loaded 2-core one (a fresh CI build beside other work) from failing.
  timeout: 180_000,
  expect: { timeout: 30_000 },
  workers: 2,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
             '--disable-component-update', '--no-first-run', '--disable-sync'],
    },
  },
  webServer: {
    // A plain static server over the release build (`trunk serve` would inject live reload).
    command: `node_modules/.bin/http-server dist -p ${port} -a 127.0.0.1 -s -c-1`,
    cwd: root,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 30_000,
  },
});
