// Measures the staff console's statistics dashboard in Debian's Chromium on a large demo
// register: how long each statistics request takes, and how long the page takes to draw the
// figures and charts once the last answer is in. Also saves the dashboard's screenshots for
// docs/screenshots/.
//
// Run from the repository root, after `./kaiku web` and `cargo build -p kaiku-sync-server`:
//   node tests/browser/measure/dashboard.mjs [CARDS] [REDEMPTIONS] [SCREENSHOT_DIR]
// (defaults 100000, 1000000, docs/screenshots). The database is kept in the temp folder by
// size, so a second run starts at once.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { SERVER_BIN, launchBrowser, median, startServer } from "../support/harness.mjs";

const cards = Number(process.argv[2] ?? 100_000);
const redemptions = Number(process.argv[3] ?? 1_000_000);
const shots = path.resolve(process.argv[4] ?? "docs/screenshots");
const RUNS = 5;
const PASSWORD = "kirjasto-kahvila-94";

const dir = path.join(os.tmpdir(), `kaiku-dashboard-${cards}-${redemptions}`);
const db = path.join(dir, "kaiku.sqlite");
const invitationFile = path.join(dir, "invitation.txt");
if (!fs.existsSync(invitationFile)) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const init = execFileSync(SERVER_BIN, ["init", "--database", db], { encoding: "utf8" });
  const code = /Administrator invitation code[^\n]*\n\s+(\S+)/.exec(init)?.[1];
  assert.ok(code, init);
  console.log(`building the demo register: ${cards} cards, ${redemptions} redemptions…`);
  execFileSync(SERVER_BIN, ["demo", "--cards", String(cards), "--redemptions", String(redemptions), "--database", db], { stdio: "ignore" });
  fs.writeFileSync(invitationFile, code);
}

const server = startServer(db, "127.0.0.1:0", { demo: false });
const { base } = await server.ready;
const browser = await launchBrowser();
try {
  // The administrator's password, set once with init's invitation.
  const code = fs.readFileSync(invitationFile, "utf8").trim();
  await fetch(`${base}/api/v1/auth/accept-invitation`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ code, username: "admin", password: PASSWORD }),
  });
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-GB" })).newPage();
  await page.goto(`${base}/staff/sign-in`);
  await page.locator("#username").fill("admin");
  await page.locator("#password").fill(PASSWORD);
  await page.locator("#sign-in").click();
  await page.locator("#who-role").waitFor({ timeout: 30_000 });

  const requests = [];
  const drawn = [];
  for (let run = 0; run < RUNS; run++) {
    const answers = [];
    const sent = new Map();
    const stats = (r) => new URL(r.url()).pathname.startsWith("/api/v1/statistics");
    const onRequest = (r) => stats(r) && sent.set(r, Date.now());
    const listener = (r) => {
      if (stats(r) && sent.has(r)) answers.push({ url: r.url(), ms: Date.now() - sent.get(r), at: Date.now() });
    };
    page.on("request", onRequest);
    page.on("requestfinished", listener);
    await page.goto(`${base}/staff/statistics`);
    await page.locator("#cross-tab").waitFor({ timeout: 60_000 });
    await page.locator("#chart-months svg").waitFor({ timeout: 60_000 });
    const done = Date.now();
    page.off("request", onRequest);
    page.off("requestfinished", listener);
    assert.ok(answers.length >= 2, `the dashboard asked for its statistics: ${answers.map((a) => a.url)}`);
    const last = Math.max(...answers.map((a) => a.at));
    drawn.push(done - last);
    for (const a of answers) requests.push(a);
  }
  const byPath = new Map();
  for (const r of requests) {
    const key = new URL(r.url).pathname + (new URL(r.url).search.includes("format=csv") ? " (csv)" : "");
    byPath.set(key, [...(byPath.get(key) ?? []), r.ms]);
  }
  for (const [key, times] of byPath) {
    console.log(`MEASURE ${key}: median ${median(times).toFixed(0)} ms over ${times.length} (${times.map((t) => t.toFixed(0)).join(", ")})`);
  }
  console.log(`MEASURE dashboard drawn after the last answer: median ${median(drawn).toFixed(0)} ms over ${RUNS} (${drawn.join(", ")})`);

  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, "dashboard-desktop.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.evaluate(() => document.querySelector("#stats-heading")?.scrollIntoView());
  await page.screenshot({ path: path.join(shots, "dashboard-phone.png"), fullPage: false });
  console.log(`screenshots in ${shots}`);
} finally {
  await browser.close();
  await server.stop();
}
