// Measures the page's main thread while the door decodes camera frames: the longest task and
// the time spent in long tasks (over 50 ms, the browser's own "longtask" entries) in Debian's
// Chromium, its fake camera playing a picture with no code in it (the decoder then runs every
// try on every frame: its most costly case, and what a door sees between people).
//
// Run from the repository root, after `./kaiku web` and `cargo build -p kaiku-sync-server`:
//   node tests/browser/measure/longtask.mjs [SECONDS]        (default 20)
// KAIKU_WEB_DIR picks another build (e.g. one of an older commit).

import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { escapeRe, fluent, spawnChromium, startServer, WAIT, WEB_DIR } from "../support/harness.mjs";
import { writeY4m } from "../support/y4m.mjs";

const seconds = Number(process.argv[2] ?? 20);
const FRAME = { width: 1280, height: 720 };
const t = fluent("en");

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kaiku-longtask-"));
const video = path.join(tmp, "no-code.y4m");
// A table, lighter to the right, with sensor noise; the fake camera plays it over and over.
const table = new Uint8Array(FRAME.width * FRAME.height);
for (let i = 0; i < table.length; i++) {
  const x = i % FRAME.width;
  table[i] = 70 + Math.round((40 * x) / FRAME.width) + Math.floor(Math.random() * 9);
}
writeY4m(video, table, FRAME.width, FRAME.height, 20);
const server = startServer(path.join(tmp, "kaiku.sqlite"));
const demo = await server.ready;
const chrome = await spawnChromium(path.join(tmp, "profile"), [
  "--use-fake-device-for-media-stream",
  "--use-fake-ui-for-media-stream",
  `--use-file-for-fake-video-capture=${video}`,
  "--lang=en-GB",
]);
try {
  const page = await chrome.context.newPage();
  await page.setViewportSize({ width: 360, height: 800 });
  // Every long task from the first script on, kept where the measurement can read it.
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: "longtask", buffered: true });
  });
  await page.goto(`${demo.base}/`);
  await page.getByRole("button", { name: new RegExp(`^${escapeRe(t("start-scanner"))}`) }).click();
  await page.getByLabel(t("scan-enroll-code"), { exact: true }).fill(demo.enrollment);
  await page.getByLabel(t("scan-enroll-label"), { exact: true }).fill("Long task measurement");
  await page.getByRole("button", { name: t("scan-enroll-submit") }).click();
  await page.locator("section.door").waitFor({ state: "visible", timeout: WAIT });
  await page.waitForFunction(() => document.querySelector("video")?.readyState >= 2, null, { timeout: WAIT });
  // From here on the camera runs and every frame is decoded.
  const from = await page.evaluate(() => performance.now());
  await page.waitForTimeout(seconds * 1000);
  const result = await page.evaluate((from) => {
    const tasks = window.__longTasks.filter((e) => e.start >= from);
    const span = performance.now() - from;
    const total = tasks.reduce((s, e) => s + e.duration, 0);
    const longest = tasks.reduce((m, e) => Math.max(m, e.duration), 0);
    const sorted = tasks.map((e) => e.duration).sort((a, b) => a - b);
    return { span, count: tasks.length, total, longest, median: sorted[Math.floor(sorted.length / 2)] ?? 0 };
  }, from);
  console.log(`web build: ${WEB_DIR}`);
  console.log(
    `${(result.span / 1000).toFixed(1)} s decoding at the door: longest main-thread task ${result.longest.toFixed(0)} ms; ` +
      `${result.count} long tasks (median ${result.median.toFixed(0)} ms), ` +
      `${((100 * result.total) / result.span).toFixed(0)} % of the time in long tasks`,
  );
} finally {
  await chrome.kill();
  await server.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
