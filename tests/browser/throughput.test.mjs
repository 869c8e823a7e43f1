// A festival gate in a real browser with a fake camera: thirty holders' cards are registered and
// activated on the real sync server, their QR codes (the app's own drawing) become one video,
// each code in view for a second or two, one after another, as a queue shows them, and a
// scanner in gate mode takes the queue. Every plain card is recorded with no tap; every card
// with children on record stops for staff, who choose the children and record; no card is
// recorded twice, and after a sync the server has each of the thirty exactly once. The door's
// pace (people a minute, and how long after its code came into view each was recorded) is
// printed from the test's own timings.
//
// Run from the repository root:  node --test tests/browser/throughput.test.mjs
// (environment: see harness.mjs; also needs examples/card_video, built by `cargo test`).

import { after, before, describe } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { OUTPUT, WAIT, assertBuilt, escapeRe, flow, fluent, median, spawnChromium, startServer, until } from "./support/harness.mjs";
import { VIDEO_BIN, activatedCards, distributorToken, queueVideo } from "./support/queue.mjs";

const VIEWPORT = { width: 360, height: 800 };
const HOLDERS = 30;
// Every fifth holder has one or two children on record.
const CHILDREN = Array.from({ length: HOLDERS }, (_, i) => (i % 5 === 3 ? 1 + (i % 2) : 0));
// A plain card is in view for a second, one with children for two (staff choose meanwhile).
const SECONDS = { plain: 1, children: 2 };
// The table before the first holder (the door starts its camera) and after the last.
const VIDEO = { width: 480, height: 360, fps: 10, lead: 4, tail: 25 };
const t = fluent("en");

/** The card number in a text such as "Card K000 0000 09". */
const cardIn = (s) => /[A-Z]\d{9}/.exec((s ?? "").replace(/\s/g, ""))?.[0] ?? "";

/** The redemptions in the scanner's IndexedDB log, as objects. */
function storedRedemptions(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open("kaiku-scanner");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction("redemptions").objectStore("redemptions").getAll();
          all.onsuccess = () => {
            resolve(all.result.map((r) => (typeof r === "string" ? JSON.parse(r) : r)));
            open.result.close();
          };
          all.onerror = () => reject(all.error);
        };
      }),
  );
}

/** Each card's count in today's redemptions on the server (the coordinator's CSV export). */
async function serverCounts(base, token) {
  const day = new Date().toISOString().slice(0, 10);
  const r = await fetch(`${base}/api/v1/export/redemptions.csv?from=${day}&to=${day}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = await r.text();
  assert.equal(r.status, 200, `redemptions.csv: ${body}`);
  const [header, ...rows] = body.split(/\r?\n/).filter((line) => line !== "");
  const column = header.split(",").indexOf("card");
  assert.ok(column >= 0, `a card column in ${header}`);
  const counts = new Map();
  for (const row of rows) {
    const card = row.split(",")[column];
    counts.set(card, (counts.get(card) ?? 0) + 1);
  }
  return counts;
}

describe("thirty holders through a door in gate mode", { timeout: 240_000 }, () => {
  let tmp;
  let server;
  let demo;
  let chrome;
  let page;
  let queue; // [{ card, credential, children, seconds, from, to }]
  let video;
  const stops = []; // cards the door stopped for, in order
  const { step, watch } = flow(() => page);

  before(async () => {
    assertBuilt();
    assert.ok(fs.existsSync(VIDEO_BIN), `missing ${VIDEO_BIN} (cargo build -p kaiku --example card_video)`);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kaiku-throughput-"));
    server = startServer(path.join(tmp, "kaiku.sqlite"));
    process.once("exit", () => server.child.kill("SIGKILL"));
    demo = await server.ready;
  });

  after(async () => {
    await chrome?.kill();
    await server?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  step("thirty holders' activated cards become one video of their codes, one after another", async () => {
    const cards = await activatedCards(demo.base, distributorToken(server), CHILDREN);
    assert.equal(new Set(cards.map((c) => c.card)).size, HOLDERS, "thirty different cards");
    const holders = cards.map((c) => ({ ...c, seconds: c.children ? SECONDS.children : SECONDS.plain }));
    video = path.join(tmp, "queue.y4m");
    queue = queueVideo(video, holders, VIDEO);
  });

  step("the scanner enrolls and its door is switched to gate mode", async () => {
    chrome = await spawnChromium(path.join(tmp, "scanner-profile"), [
      "--use-fake-device-for-media-stream",
      "--use-fake-ui-for-media-stream",
      `--use-file-for-fake-video-capture=${video}`,
      "--lang=en-GB",
    ]);
    page = await chrome.context.newPage();
    await page.setViewportSize(VIEWPORT);
    watch(page);
    // When a camera starts playing: the fake camera then starts the video from its first frame.
    // Also the page's long tasks (over 50 ms), to print the longest while the door decodes.
    await page.addInitScript(() => {
      window.__cameraStarts = [];
      document.addEventListener("playing", (e) => {
        if (e.target instanceof HTMLVideoElement) window.__cameraStarts.push({ wall: Date.now(), page: performance.now() });
      }, true);
      window.__longTasks = [];
      new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries())).observe({ type: "longtask" });
    });
    await page.goto(`${demo.base}/`);
    await page.getByRole("button", { name: new RegExp(`^${escapeRe(t("start-scanner"))}`) }).click();
    await page.getByLabel(t("scan-enroll-code"), { exact: true }).fill(demo.enrollment);
    await page.getByLabel(t("scan-enroll-label"), { exact: true }).fill("Festival gate");
    await page.getByRole("button", { name: t("scan-enroll-submit") }).click();
    await page.locator("section.door").waitFor({ state: "visible", timeout: WAIT });
    await page.goto(`${demo.base}/scan/device`);
    const gate = page.locator("#gate-mode");
    await gate.click();
    await until("gate mode to be on", async () => (await gate.getAttribute("aria-pressed")) === "true");
  });

  step("the door records every plain card with no tap and stops for every card with children", async () => {
    const byCard = new Map(queue.map((h) => [cardIn(h.card), h]));
    await page.goto(`${demo.base}/scan`);
    await page.locator("section.door").waitFor({ state: "visible", timeout: WAIT });
    const videoSeconds = queue.at(-1).to + 2;
    let redemptions = [];
    await until("all thirty to be recorded", async () => {
      redemptions = (await storedRedemptions(page)).filter((r) => !r.undoes);
      if (redemptions.length >= HOLDERS) return true;
      // Staff's part: a card that stops gets its children chosen and is recorded. A failed
      // click is simply tried again at the next look.
      const record = page.locator("#record");
      const card = cardIn(await page.locator("section.verdict .verdict-card").textContent({ timeout: 200 }).catch(() => ""));
      if (card && !redemptions.some((r) => cardIn(r.card) === card) && (await record.isEnabled({ timeout: 200 }).catch(() => false))) {
        if (!stops.includes(card)) stops.push(card);
        const wanted = byCard.get(card)?.children ?? 0;
        const count = page.locator("#children-count");
        while ((await count.count()) > 0 && Number(await count.textContent()) < wanted) await page.locator("#children-more").click();
        await record.click({ timeout: 1_000 });
      }
      return false;
    }, (VIDEO.lead + videoSeconds) * 1000 + 20_000).catch((e) => {
      const got = new Set(redemptions.map((r) => cardIn(r.card)));
      const missing = queue.filter((h) => !got.has(cardIn(h.card))).map((h) => `${h.card}${h.children ? " (children)" : ""}`);
      throw new Error(`${e.message}; ${redemptions.length} recorded, missing ${missing.join(", ")}; stops ${stops.join(", ")}`);
    });
    await page.screenshot({ path: path.join(OUTPUT, "throughput-door-en.png") });
    const { start, longTasks } = await page.evaluate(() => {
      const start = window.__cameraStarts.at(-1);
      return { start, longTasks: window.__longTasks.filter((e) => e.startTime >= start.page).map((e) => e.duration) };
    });
    const started = start.wall; // the video's first frame, on the wall clock

    const counts = new Map();
    for (const r of redemptions) counts.set(cardIn(r.card), (counts.get(cardIn(r.card)) ?? 0) + 1);
    assert.deepEqual([...counts.entries()].filter(([, n]) => n > 1), [], "no card recorded twice");
    assert.deepEqual([...counts.keys()].sort(), [...byCard.keys()].sort(), "each of the thirty recorded");
    const withChildren = queue.filter((h) => h.children).map((h) => cardIn(h.card));
    assert.deepEqual(stops, withChildren, "the door stopped for the cards with children, and only for them");
    for (const r of redemptions) {
      const holder = byCard.get(cardIn(r.card));
      assert.equal(r.children, holder.children, `${holder.card}: the children staff chose`);
      assert.equal(r.adults, 1, `${holder.card}: one adult`);
    }

    // The door's pace, from the test's own timings: when each code came into view (the video's
    // schedule from the camera's start) and when the door read it.
    const late = (h) => Date.parse(redemptions.find((r) => cardIn(r.card) === cardIn(h.card)).scanned_at) - (started + h.from * 1000);
    const plain = queue.filter((h) => !h.children).map(late);
    const last = Math.max(...redemptions.map((r) => Date.parse(r.scanned_at)));
    const span = (last - (started + queue[0].from * 1000)) / 1000;
    console.log(
      `throughput: ${HOLDERS} holders (${withChildren.length} with children) in ${span.toFixed(1)} s: ` +
        `${((60 * HOLDERS) / span).toFixed(0)} people a minute; a plain card read and recorded ` +
        `${median(plain).toFixed(0)} ms (median), at most ${Math.max(...plain).toFixed(0)} ms after its code came into view; ` +
        `longest main-thread task ${Math.max(0, ...longTasks).toFixed(0)} ms (${longTasks.length} over 50 ms)`,
    );
  });

  step("a sync sends all thirty to the server, each exactly once", async () => {
    await until("the sync to leave nothing pending", async () => {
      if ((await page.locator(".status-pending").count()) > 0 && (await page.locator("#sync-now").isEnabled())) {
        await page.locator("#sync-now").click();
      }
      return (await page.locator(".status-pending").count()) === 0;
    }, 30_000);
    const counts = await serverCounts(demo.base, demo.coordinator);
    for (const h of queue) assert.equal(counts.get(h.card), 1, `${h.card} on the server once`);
    // A second sync sends nothing again.
    await page.locator("#sync-now").click();
    await page.waitForTimeout(1_000);
    const again = await serverCounts(demo.base, demo.coordinator);
    for (const h of queue) assert.equal(again.get(h.card), 1, `${h.card} still once after a second sync`);
  });
});
