// Numbers that grow never run into each other: after June 15 has run to its end (the
// largest counts and percentages it shows), no two pieces of text in the pool's
// readouts or the outcome panel overlap, at the widths people use.
import { test, expect, openApp } from './fixtures.mjs';

/** Every piece of text in `selector`'s elements, as rectangles of its rendered lines. */
function textBoxes(selector) {
  const boxes = [];
  for (const root of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) {
        if (r.width > 0 && r.height > 0) {
          boxes.push({ text: node.textContent.trim(), left: r.left, right: r.right, top: r.top, bottom: r.bottom });
        }
      }
    }
  }
  return boxes;
}

/** Pairs of boxes of different text that overlap by more than a pixel each way. */
function overlaps(boxes) {
  const found = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i], boxes[j]];
      const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (x > 1 && y > 1) found.push(`"${a.text}" × "${b.text}"`);
    }
  }
  return found;
}

for (const [width, height] of [[1400, 900], [1280, 800], [1024, 768], [390, 844]]) {
  test(`at ${width} px no text overlaps in the readouts or the outcome after June 15 ran to its end`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await openApp(page);
    await page.getByTestId('run-to-end').click();
    await expect(page.getByTestId('clock')).toHaveText('17:00:00', { timeout: 120_000 });
    await expect(page.getByTestId('outcome-failed')).toContainText('%');
    const panels = '.live-readouts, .region-readouts';
    const boxes = await page.evaluate(textBoxes, panels);
    expect(boxes.length).toBeGreaterThan(20);
    expect(overlaps(boxes)).toEqual([]);
  });
}
