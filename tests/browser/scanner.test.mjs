// Scanner mode in a real browser with a fake camera: a holder's card is activated in one
// Chromium, its QR code (the SVG the app draws) becomes a Y4M video, and a second Chromium plays
// it as its camera. The scanner enrolls with the demo venue's one-time code, reads the card in
// the web build, shows the verdict, records the redemption in IndexedDB, keeps it across a
// reload and a SIGKILL of the browser, syncs to the real sync server on loopback exactly once,
// and the server's statistics count it. axe-core checks the scanner screens in fi/sv/en.
// Screenshots of the door go to the output folder.
//
// Run from the repository root:  node --test tests/browser/   (environment: see holder.test.mjs)

import { after, before, describe } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import {
  LANGS, OUTPUT, WAIT, assertAccessibleInEveryLanguage, assertBuilt, escapeRe, flow, fluent, launchBrowser,
  spawnChromium, startServer, until,
} from "./support/harness.mjs";
import { codeFrame, writeY4m } from "./support/y4m.mjs";

const VIEWPORT = { width: 360, height: 800 };
const FRAME = { width: 640, height: 480 };
const t = fluent("en");

/** Today's uses the server stored, as the region's coordinator exports them (`redemptions.csv`,
 * one a row): exact, where the statistics below administrator are whole months rounded to 5. */
async function usesToday(base, token) {
  const day = new Date().toISOString().slice(0, 10);
  const r = await fetch(`${base}/api/v1/export/redemptions.csv?from=${day}&to=${day}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = await r.text();
  assert.equal(r.status, 200, `redemptions.csv: ${body}`);
  return body.split(/\r?\n/).filter((line) => line !== "").length - 1;
}

describe("scanner mode in the browser with a fake camera", { timeout: 180_000 }, () => {
  let tmp;
  let server;
  let demo;
  let chrome; // the scanner's Chromium: { browser, context, kill }
  let page;
  let video;
  let usesBefore;
  const { step, watch } = flow(() => page);

  before(async () => {
    assertBuilt();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kaiku-scanner-browser-"));
    server = startServer(path.join(tmp, "kaiku.sqlite"));
    process.once("exit", () => server.child.kill("SIGKILL"));
    demo = await server.ready;
    assert.ok(demo.enrollment && demo.coordinator, "the demo server printed an enrollment code and a coordinator token");
    console.log(`server: ${demo.base}, card ${demo.card}, enrollment code ${demo.enrollment}`);
  });

  after(async () => {
    await chrome?.kill();
    await server?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** The scanner's Chromium on its own profile, camera = the card's video, English. */
  const openScanner = async () => {
    chrome = await spawnChromium(path.join(tmp, "scanner-profile"), [
      "--use-fake-device-for-media-stream",
      "--use-fake-ui-for-media-stream",
      `--use-file-for-fake-video-capture=${video}`,
      "--lang=en-GB",
    ]);
    page = await chrome.context.newPage();
    await page.setViewportSize(VIEWPORT);
    watch(page);
  };

  step("a holder's activated card becomes the fake camera's video", async () => {
    const holder = await launchBrowser();
    try {
      const p = await (await holder.newContext({ viewport: VIEWPORT, locale: "en-GB" })).newPage();
      await p.goto(`${demo.base}/activate`);
      await p.getByLabel(t("activate-code"), { exact: true }).fill(demo.code);
      await p.getByRole("button", { name: t("activate-submit") }).click();
      await p.locator("article.card .qr svg").waitFor({ state: "visible", timeout: WAIT });
      const luma = await codeFrame(p, "article.card .qr svg", FRAME.width, FRAME.height);
      video = path.join(tmp, "card-qr.y4m");
      writeY4m(video, luma, FRAME.width, FRAME.height);
    } finally {
      await holder.close();
    }
    assert.ok(fs.statSync(video).size > FRAME.width * FRAME.height * 30, "30 frames written");
    usesBefore = await usesToday(demo.base, demo.coordinator);
  });

  step("the scanner enrolls with the venue's one-time code, accessible in every language", async () => {
    await openScanner();
    await page.goto(`${demo.base}/`);
    await page.getByRole("button", { name: new RegExp(`^${escapeRe(t("start-scanner"))}`) }).click();
    await page.locator("section.enroll").waitFor({ state: "visible", timeout: WAIT });
    await assertAccessibleInEveryLanguage(page, "enrollment", LANGS);
    await page.getByLabel(t("scan-enroll-code"), { exact: true }).fill(demo.enrollment);
    await page.getByLabel(t("scan-enroll-label"), { exact: true }).fill("Browser test door");
    await page.getByRole("button", { name: t("scan-enroll-submit") }).click();
    await page.locator("section.door").waitFor({ state: "visible", timeout: WAIT });
  });

  step("the camera reads the card's QR code and the door says yes at once", async () => {
    const verdict = page.locator("section.verdict");
    await verdict.waitFor({ state: "visible", timeout: 30_000 });
    assert.match(await verdict.getAttribute("class"), /verdict-admit/, "a yes");
    assert.equal((await verdict.locator(".verdict-words").textContent()).trim(), t("scan-verdict-admit"));
    assert.equal(await verdict.getAttribute("role"), "alert", "announced to screen readers");
    const shown = (await verdict.locator(".verdict-card").textContent()).replace(/\s/g, "");
    assert.ok(shown.includes(demo.card), `the card number ${demo.card} is shown, got ${shown}`);
    await page.screenshot({ path: path.join(OUTPUT, "scanner-verdict-en.png"), fullPage: true });
    await assertAccessibleInEveryLanguage(page, "door with a verdict", LANGS);
    await verdict.waitFor({ state: "visible", timeout: WAIT });
  });

  step("one tap records the ticket in the device's log before it says recorded", async () => {
    await page.locator("#record").click();
    const recorded = page.locator("p.recorded");
    await recorded.waitFor({ state: "visible", timeout: WAIT });
    const stored = await page.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const open = indexedDB.open("kaiku-scanner");
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const all = open.result.transaction("redemptions").objectStore("redemptions").getAll();
            all.onsuccess = () => resolve(all.result.map((r) => (typeof r === "string" ? r : JSON.stringify(r))));
            all.onerror = () => reject(all.error);
          };
        }),
    );
    assert.equal(stored.length, 1, `one redemption in IndexedDB, got ${stored.length}`);
    assert.ok(stored[0].includes(demo.card), `it is the card's: ${stored[0]}`);
    await page.screenshot({ path: path.join(OUTPUT, "scanner-recorded-en.png"), fullPage: true });
  });

  step("the redemption is still in today's list after a reload", async () => {
    await page.goto(`${demo.base}/scan/history`);
    const item = page.locator("section.history ol.redemptions li");
    await item.first().waitFor({ state: "visible", timeout: WAIT });
    assert.equal(await item.count(), 1);
    assert.ok((await item.first().textContent()).replace(/\s/g, "").includes(demo.card));
  });

  step("sync sends it to the server once and the statistics count it", async () => {
    await page.goto(`${demo.base}/scan`);
    await page.locator("#sync-now").waitFor({ state: "visible", timeout: WAIT });
    await until("the sync to leave nothing pending", async () => {
      if ((await page.locator(".status-pending").count()) > 0 && (await page.locator("#sync-now").isEnabled())) {
        await page.locator("#sync-now").click();
      }
      return (await page.locator(".status-pending").count()) === 0;
    }, 30_000).catch(async (e) => {
      throw new Error(`${e.message}; status: ${await page.locator(".scan-status").textContent()}`);
    });
    const uses = await usesToday(demo.base, demo.coordinator);
    assert.equal(uses, usesBefore + 1, "the statistics count the one redemption");
    await page.locator("#sync-now").click();
    await page.waitForTimeout(1_000);
    assert.equal(await usesToday(demo.base, demo.coordinator), usesBefore + 1, "a second sync stores nothing twice");
    await page.screenshot({ path: path.join(OUTPUT, "scanner-synced-en.png"), fullPage: true });
  });

  step("a redemption recorded right before the browser is killed is there after a restart, and syncs once", async () => {
    await page.goto(`${demo.base}/scan`);
    const verdict = page.locator("section.verdict.verdict-admit");
    await verdict.waitFor({ state: "visible", timeout: 30_000 });
    await page.locator("#record").click();
    await page.locator("p.recorded").waitFor({ state: "visible", timeout: WAIT });
    await chrome.kill();
    await openScanner();
    await page.goto(`${demo.base}/scan/history`);
    const items = page.locator("section.history ol.redemptions li");
    await until("both redemptions in today's list after the kill", async () => (await items.count()) === 2);
    await page.goto(`${demo.base}/scan`);
    await until("the sync after the restart", async () => {
      if ((await page.locator(".status-pending").count()) > 0 && (await page.locator("#sync-now").isEnabled())) {
        await page.locator("#sync-now").click();
      }
      return (await page.locator(".status-pending").count()) === 0 && (await usesToday(demo.base, demo.coordinator)) === usesBefore + 2;
    }, 30_000);
  });

  step("a card number typed as fast as a keyboard-wedge barcode reader types is read whole", async () => {
    await page.goto(`${demo.base}/scan`);
    const field = page.locator("#card-input");
    await field.waitFor({ state: "visible", timeout: WAIT });
    if ((await page.locator("#next-person").count()) > 0) await page.locator("#next-person").click();
    await field.click();
    await page.keyboard.type(demo.card, { delay: 0 });
    await page.keyboard.press("Enter");
    const verdict = page.locator("section.verdict");
    await verdict.waitFor({ state: "visible", timeout: WAIT });
    const shown = (await verdict.locator(".verdict-card").textContent()).replace(/\s/g, "");
    assert.ok(shown.includes(demo.card), `the whole number ${demo.card} was read, got ${shown}`);
    assert.equal(await field.inputValue(), "", "the field is empty for the next card");
  });
});
