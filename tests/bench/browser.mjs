// Browser budgets (docs/budgets.md): frames per second while playing 1,000 connections with live
// charts, and a fleet of 20 instances × 50 connections with its fleet view, per-frame work time,
// "run to end" of the seed incident against the native CLI, 100 replications of it in Web
// Workers on the compare page (and the frame rate meanwhile), and the page's weight. Run by
// `make bench` after a release build; prints a table and a JSON line. Serves dist/ on 127.0.0.1
// itself and drives Debian's Chromium.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { pageWeights, budgetOf } from '../page-weights.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const port = 4321;
const base = `http://127.0.0.1:${port}/`;
// The native CLI built by `make bench`'s previous step (`cargo run --profile native`).
const poolsimBin = process.env.POOLSIM_BIN ?? `${root}/target/native/poolsim`;

// The engine benchmark's fleet (crates/content/src/bench.rs, `fleet_with_database`): twenty
// instances with pools of 50 behind a round-robin balancer, 4,000 requests/s at 40 ms, a
// 64-core database that takes the fleet's 1,000 connections.
const fleetScenario = {
  name: 'Fleet of 20 × 50, 64-core database (bench)',
  duration_s: 3600,
  pool: { max_size: 50 },
  traffic: { rate_per_s: 4000 },
  work: { hold_ms: 40 },
  fleet: { instances: 20, balancer: 'round_robin' },
  database: { cores: 64, db_share: 0.25, contention: 0.001, max_connections: 1100 },
};

/** Animation frames per second until an element matches `selector`, or over 5 s without one. */
async function framesPerSecond(page, selector = null) {
  const { frames, ms } = await page.evaluate(
    (selector) =>
      new Promise((resolve) => {
        let n = 0;
        const start = performance.now();
        const tick = (t) => {
          n += 1;
          const done = selector ? document.querySelector(selector) !== null : t - start >= 5000;
          if (done) resolve({ frames: n, ms: t - start });
          else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
    selector,
  );
  return (frames / ms) * 1000;
}

/** Frames per second over 5 s, and the pool canvas's per-frame work (p50, max) [ms]. */
async function playingFps(page) {
  const fps = await framesPerSecond(page);
  const [workP50, workMax] = ((await page.getByTestId('pool-canvas').getAttribute('data-frame-ms')) ?? '0 0')
    .split(' ')
    .map(Number);
  return { fps, workP50, workMax };
}

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
  const { fps, workP50, workMax } = await playingFps(page);
  const slots = await page.getByTestId('readout-total').textContent();
  await page.getByTestId('play').click();

  // 1b. Playing the fleet at 10×: every instance's row, the database's gauges, one
  // instance's pool and the live charts. The scenario comes through a share link.
  const fleetFile = join(mkdtempSync(join(tmpdir(), 'poolsim-bench-')), 'fleet.json');
  writeFileSync(fleetFile, JSON.stringify(fleetScenario));
  const fleetLink = execFileSync(poolsimBin, ['link', fleetFile, '--base', base], { encoding: 'utf8' }).trim();
  await page.goto(fleetLink);
  await page.getByTestId('fleet-canvas').waitFor();
  await page.getByTestId('speed').selectOption({ label: '10×' });
  await page.getByTestId('play').click();
  await page.waitForTimeout(1500); // warm-up, as above
  const fleet = await playingFps(page);
  const fleetRows = await page.getByTestId('fleet-canvas').getAttribute('data-instances');
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
  const bench = JSON.parse(
    execFileSync(poolsimBin, ['bench'], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop(),
  );
  const nativeMs = bench.bench.find((b) => b.scenario === 'june-15-2024').ms_per_run;

  // 3. "How sure?": 100 replications of the seed incident in Web Workers (one per core) on the
  // compare page, "as it happened" alone, and the frame rate of the page meanwhile.
  await page.goto(`${base}compare.html?preset=june-15-2024`);
  await page.getByTestId('compare-run').waitFor();
  const variants = page.locator('[data-testid^="compare-variant-"]');
  for (let i = 1; i < (await variants.count()); i++) await page.getByTestId(`compare-variant-${i}`).uncheck();
  await page.getByTestId('sure-runs').fill('100');
  await page.getByTestId('sure-run').click();
  const sureFps = await framesPerSecond(page, '[data-testid="sure-progress"][data-finished]');
  const sureProgress = page.getByTestId('sure-progress');
  const sureMs = Number(await sureProgress.getAttribute('data-elapsed-ms'));
  const sureWorkers = Number(/on (\d+) worker/.exec(await sureProgress.textContent())?.[1]);
  await browser.close();

  const weights = Object.fromEntries(
    Object.entries(pageWeights(`${root}/dist`)).map(([page, { wasm_js_css, html }]) => [page, { wasm_js_css, html }]),
  );
  const result = {
    fps_1000_connections: Number(fps.toFixed(1)),
    frame_work_ms_p50: workP50,
    frame_work_ms_max: workMax,
    fps_fleet_20x50: Number(fleet.fps.toFixed(1)),
    fleet_frame_work_ms_p50: fleet.workP50,
    fleet_frame_work_ms_max: fleet.workMax,
    connections_open: Number(slots),
    run_to_end_browser_ms: browserMs,
    run_to_end_browser_first_ms: coldMs,
    run_to_end_native_ms: Number(nativeMs.toFixed(1)),
    browser_over_native: Number((browserMs / nativeMs).toFixed(2)),
    replications_100_june_15_browser_ms: sureMs,
    replications_workers: sureWorkers,
    replications_budget_ms: Number(((1.5 * 100 * nativeMs) / 2).toFixed(0)),
    replications_fps: Number(sureFps.toFixed(1)),
    page_gzip_bytes: weights,
  };
  console.log(`playing large-pool (${slots} connections) at 10×: ${result.fps_1000_connections} fps; frame work p50 ${workP50} ms, max ${workMax} ms  (budget ≥ 55 fps)`);
  console.log(`playing a fleet of ${fleetRows} × 50 connections (fleet view, one instance's pool) at 10×: ${result.fps_fleet_20x50} fps; frame work p50 ${fleet.workP50} ms, max ${fleet.workMax} ms  (budget ≥ 55 fps)`);
  console.log(`run to end, June 15 incident: browser ${browserMs} ms (first run after load ${coldMs} ms), native ${result.run_to_end_native_ms} ms → ${result.browser_over_native}×  (budget ≤ 2×)`);
  console.log(`100 replications of the June 15 incident in ${sureWorkers} workers: ${sureMs} ms, page at ${result.replications_fps} fps meanwhile  (budget ≤ 1.5 × 100 native runs ÷ 2 = ${result.replications_budget_ms} ms, ≥ 55 fps)`);
  for (const [page, { wasm_js_css: bytes, html }] of Object.entries(weights)) {
    console.log(`page weight of ${page} (wasm + js + css, gzip -9): ${bytes.toLocaleString('en-US')} B  (budget ≤ ${budgetOf(page).toLocaleString('en-US')} B); its HTML ${html.toLocaleString('en-US')} B more`);
  }
  console.log(JSON.stringify({ browser_bench: result }));
} finally {
  server.kill();
}
