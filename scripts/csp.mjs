// Put a Content-Security-Policy in each built page (run by scripts/post-build.sh on
// release builds). The page may run only its own files and its own inline scripts —
// Trunk's loader and the `?embed` redirect, allowed by their SHA-256 hashes, computed
// here because the loader names hashed files — and compile its own wasm; it may load
// nothing from anywhere else, and nothing may be injected as markup that runs.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

for (const file of process.argv.slice(2)) {
  let html = readFileSync(file, 'utf8');
  html = html.replace(/<meta http-equiv="?Content-Security-Policy"?[^>]*>/i, '');
  const hashes = [...html.matchAll(/<script(?:\s[^>]*)?>([\s\S]*?)<\/script>/g)]
    .filter((m) => m[1].trim() !== '')
    .map((m) => `'sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}'`);
  const policy = [
    "default-src 'self'",
    `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')}`.trim(),
    "style-src 'self'",
    // plotters measures chart text with a hidden, inline-styled <span>: style attributes
    // (which cannot run code or read the page) are allowed, <style> elements are not.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const meta = `<meta http-equiv="Content-Security-Policy" content="${policy}">`;
  // Right after the charset, before any script: the policy covers everything after it.
  const at = html.search(/<meta charset=[^>]*>/i);
  if (at < 0) throw new Error(`${file}: no <meta charset> to put the policy after`);
  const end = html.indexOf('>', at) + 1;
  writeFileSync(file, html.slice(0, end) + meta + html.slice(end));
}
