// Browser budgets (docs/budgets.md): frames per second while playing 1,000 connections with live
// charts, per-frame work time, "run to end" of the seed incident against the native CLI,
// and the page's weight. Run by `make bench` after a release build; prints a table and a
// JSON line. Serves dist/ on 127.0.0.1 itself and drives Debian's Chromium.
import { spawn, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { pageWeights, budgetOf } from '../page-weights.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const port = 4321;
const base = `http://127.0.0.1:${port}/`;

async function waitForServer() {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(base)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('static server did not start');
}

const server = spawn(`${root}/node_modules/.bin/http-server`, ['dist', '-p', String(port), '-a', '127.0.0.1', '-s', '-c-1'], {
  cwd: root,
  stdio: 'ignore',
});
try {
  await waitForServer();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });

  // 1. Playing 1,000 connections at 10× with live charts: frames per second, work per frame.
  await page.goto(base);
  await page.getByTestId('preset').selectOption('large-pool');
  await page.getByTestId('speed').selectOption({ label: '10×' });
  await page.getByTestId('play').click();
  await page.waitForTimeout(1500); // warm-up: pool grows, charts fill (a benchmark, not a test)
  const frames = await page.evaluate(
    () =>
      new Promise((resolve) => {
        let n = 0;
        const start = performance.now();
        const tick = (t) => {
          n += 1;
          if (t - start < 5000) requestAnimationFrame(tick);
          else resolve({ frames: n, ms: t - start });
        };
        requestAnimationFrame(tick);
      }),
  );
  const fps = (frames.frames / frames.ms) * 1000;
  const [workP50, workMax] = ((await page.getByTestId('pool-canvas').getAttribute('data-frame-ms')) ?? '0 0')
    .split(' ')
    .map(Number);
  const slots = await page.getByTestId('readout-total').textContent();
  await page.getByTestId('play').click();

  // 2. Run to end of the seed incident in the browser vs natively: right after loading
  // (V8 still running baseline-compiled wasm) and again once its optimising tier has run.
  await page.goto(base);
  const runToEnd = async () => {
    await page.getByTestId('run-to-end').click();
    const stats = await page.getByTestId('run-stats').textContent({ timeout: 60_000 });
    return Number(/in (\d+) ms/.exec(stats)?.[1]);
  };
  const coldMs = await runToEnd();
  await page.getByTestId('restart').click();
  const browserMs = await runToEnd();
  // The native CLI built by `make bench`'s previous step (`cargo run --profile native`).
  const bench = JSON.parse(
    execFileSync(`${root}/target/native/poolsim`, ['bench'], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop(),
  );
  const nativeMs = bench.bench.find((b) => b.scenario === 'june-15-2024').ms_per_run;
  await browser.close();

  const weights = Object.fromEntries(
    Object.entries(pageWeights(`${root}/dist`)).map(([page, { wasm_js_css, html }]) => [page, { wasm_js_css, html }]),
  );
  const result = {
    fps_1000_connections: Number(fps.toFixed(1)),
    frame_work_ms_p50: workP50,
    frame_work_ms_max: workMax,
    connections_open: Number(slots),
    run_to_end_browser_ms: browserMs,
    run_to_end_browser_first_ms: coldMs,
    run_to_end_native_ms: Number(nativeMs.toFixed(1)),
    browser_over_native: Number((browserMs / nativeMs).toFixed(2)),
    page_gzip_bytes: weights,
  };
  console.log(`playing large-pool (${slots} connections) at 10×: ${result.fps_1000_connections} fps; frame work p50 ${workP50} ms, max ${workMax} ms  (budget ≥ 55 fps)`);
  console.log(`run to end, June 15 incident: browser ${browserMs} ms (first run after load ${coldMs} ms), native ${result.run_to_end_native_ms} ms → ${result.browser_over_native}×  (budget ≤ 2×)`);
  for (const [page, { wasm_js_css: bytes, html }] of Object.entries(weights)) {
    console.log(`page weight of ${page} (wasm + js + css, gzip -9): ${bytes.toLocaleString('en-US')} B  (budget ≤ ${budgetOf(page).toLocaleString('en-US')} B); its HTML ${html.toLocaleString('en-US')} B more`);
  }
  console.log(JSON.stringify({ browser_bench: result }));
} finally {
  server.kill();
}
