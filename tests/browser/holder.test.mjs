// Holder mode in a real browser: Kaiku's web app in headless Chromium at 360 px, served by
// the real sync server on loopback. Activation, the card, accessibility (axe-core, WCAG 2.1
// A/AA) in Finnish, Swedish and English, the card offline from the service worker and
// IndexedDB, text at 200 %, and a few measurements (lines starting with MEASURE).
//
// Run from the repository root:  node --test tests/browser/
// Environment:
//   KAIKU_SERVER_BIN   the sync server binary (default /root/.cache/kaiku/target/debug/kaiku-sync-server)
//   KAIKU_WEB_DIR      the built web app (default /root/.cache/kaiku/target/web)
//   KAIKU_TEST_OUTPUT  where screenshots go (default tests/browser/output/)
//   KAIKU_CHROMIUM     the browser (default /usr/bin/chromium)

import { after, before, describe } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";

import {
  LANGS, OUTPUT, WAIT, assertAccessibleInEveryLanguage, assertBuilt, chooseLanguage, escapeRe, flow, fluent,
  launchBrowser, median, startServer, until,
} from "./support/harness.mjs";

// The flow runs in the language chosen last.
const FLOW_LANG = LANGS[LANGS.length - 1];
const HOLDER_NAME = "Maija Meikäläinen";
const VIEWPORT = { width: 360, height: 800 };
const RELOADS = 5;

// ---------------------------------------------------------------------------------------
// Helpers

const grouped = (id) => `${id.slice(0, 4)} ${id.slice(4, 8)} ${id.slice(8)}`;

/** The card as the page shows it. */
async function readCard(page) {
  const card = page.locator("article.card");
  await card.waitFor({ state: "visible", timeout: WAIT });
  return {
    id: (await card.locator(".card-id-digits").textContent()).trim(),
    name: (await card.locator(".holder-name").textContent()).trim(),
    qr: await card.locator('.qr[role="img"]').getAttribute("aria-label"),
    barcode: await card.locator('.barcode[role="img"]').getAttribute("aria-label"),
    qrSize: await card.locator(".qr svg").boundingBox(),
    barcodeSize: await card.locator(".barcode svg").boundingBox(),
  };
}

function assertCard(shown, cardId, t, where) {
  assert.equal(shown.id, grouped(cardId), `${where}: the card number in groups`);
  assert.ok(shown.name.endsWith(HOLDER_NAME), `${where}: the holder's name, got ${JSON.stringify(shown.name)}`);
  assert.equal(shown.qr, t("card-qr-label", { id: cardId }), `${where}: the QR code's label`);
  assert.ok(shown.qrSize && shown.qrSize.width >= 150 && shown.qrSize.height >= 150, `${where}: the QR code is drawn large, got ${JSON.stringify(shown.qrSize)}`);
}

// ---------------------------------------------------------------------------------------
// The test

describe("holder mode in the browser", { timeout: 150_000 }, () => {
  const t = fluent(FLOW_LANG);
  let tmp;
  let server;
  let demo;
  let browser;
  let context;
  let page;
  const downloads = [];
  let cardShown = false;

  const { step, watch } = flow(() => page);

  before(async () => {
    assertBuilt();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kaiku-browser-"));
    server = startServer(path.join(tmp, "kaiku.sqlite"));
    // Never leave the server running, whatever happens to this process.
    process.once("exit", () => server.child.kill("SIGKILL"));
    demo = await server.ready;
    console.log(`server: ${demo.base}, card ${demo.card}, code ${demo.code}`);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: VIEWPORT, locale: "fi-FI", serviceWorkers: "allow" });
    page = await context.newPage();
    watch(page);
    // Every wasm and JS file the page fetches until the card first shows (the holder's download).
    page.on("response", (r) => {
      const file = new URL(r.url()).pathname.slice(1);
      if (cardShown || !/\.(wasm|js)$/.test(file)) return;
      downloads.push(r.body().then((bytes) => ({ file, raw: bytes.length, gz: zlib.gzipSync(bytes, { level: 9 }).length })));
    });
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  step("the start screen is accessible in Finnish, Swedish and English", async () => {
    await page.goto(`${demo.base}/`);
    await page.locator("section.start").waitFor({ state: "visible", timeout: WAIT });
    assert.equal(await page.inputValue("#lang-select"), "fi", "the device language (fi-FI) is chosen at first");
    await assertAccessibleInEveryLanguage(page, "start");
  });

  step("My card leads to activation, which is accessible in every language", async () => {
    await page.getByRole("button", { name: new RegExp(`^${escapeRe(t("start-holder"))}`) }).click();
    await page.waitForURL("**/card", { timeout: WAIT });
    const activate = page.getByRole("link", { name: t("card-activate") });
    await activate.waitFor({ state: "visible", timeout: WAIT });
    await activate.click();
    await page.locator("section.activate").waitFor({ state: "visible", timeout: WAIT });
    assert.equal(new URL(page.url()).pathname, "/activate");
    await assertAccessibleInEveryLanguage(page, "activation");
  });

  step("activation with the code and a name shows the card, accessible in every language", async () => {
    await page.getByLabel(t("activate-code"), { exact: true }).fill(demo.code);
    await page.getByLabel(t("activate-name")).fill(HOLDER_NAME);
    await page.getByRole("button", { name: t("activate-submit") }).click();
    await page.locator("article.card").waitFor({ state: "visible", timeout: WAIT });
    cardShown = true;
    assert.equal(new URL(page.url()).pathname, "/card");
    await assertAccessibleInEveryLanguage(page, "card");
    const shown = await readCard(page);
    assertCard(shown, demo.card, t, "online");
    assert.equal(shown.barcode, t("card-barcode-label", { id: demo.card }), "the barcode's label");
    assert.ok(shown.barcodeSize && shown.barcodeSize.width >= 200 && shown.barcodeSize.height >= 40, `the barcode is drawn, got ${JSON.stringify(shown.barcodeSize)}`);
    assert.equal(await page.locator(".status .offline").count(), 0, "online, the card does not say it is offline");
    await page.screenshot({ path: path.join(OUTPUT, "card-online.png"), fullPage: true });
  });

  step("with the server gone, the card still opens from the service worker and IndexedDB", async () => {
    await until("the service worker to control the page and cache kaiku-holder_bg.wasm", () =>
      page.evaluate(async () => {
        const reg = await navigator.serviceWorker.getRegistration();
        if (!reg?.active || reg.active.state !== "activated" || !navigator.serviceWorker.controller) return false;
        for (const key of await caches.keys()) {
          if (key.startsWith("kaiku-") && (await (await caches.open(key)).match("/kaiku-holder_bg.wasm"))) return key;
        }
        return false;
      }), 30_000);
    // The scanner's and the console's parts, opened once while online, are kept too.
    const other = await context.newPage();
    watch(other);
    const parts = [["/scan", ".scanner"], ["/staff", ".console"]];
    for (const [where, shown] of parts) {
      await other.goto(`${demo.base}${where}`, { timeout: WAIT });
      await other.locator(shown).first().waitFor({ state: "visible", timeout: WAIT });
    }
    await server.stop();
    await assert.rejects(fetch(`${demo.base}/`), "the server is gone");
    for (const [where, shown] of parts) {
      await other.goto(`${demo.base}${where}`, { timeout: WAIT });
      await other.locator(shown).first().waitFor({ state: "visible", timeout: WAIT });
    }
    await other.close();

    await page.reload({ timeout: WAIT });
    assertCard(await readCard(page), demo.card, t, "offline");
    const offline = page.locator(".status .offline");
    await offline.waitFor({ state: "visible", timeout: WAIT });
    assert.equal((await offline.textContent()).trim(), t("status-offline"));
    await page.screenshot({ path: path.join(OUTPUT, "card-offline.png"), fullPage: true });

    // A new tab at the start: the app remembers "My card" and goes straight to the card.
    const tab = await context.newPage();
    watch(tab);
    await tab.goto(`${demo.base}/`, { timeout: WAIT });
    await tab.waitForURL("**/card", { timeout: WAIT });
    assertCard(await readCard(tab), demo.card, t, "offline, new tab");
    await tab.locator(".status .offline").waitFor({ state: "visible", timeout: WAIT });
    page = tab;
  });

  step("at 200 % text on a 360 px screen the card does not scroll sideways", async () => {
    const larger = page.getByRole("button", { name: t("text-larger") });
    for (let i = 0; i < 10 && (await larger.isEnabled()); i++) {
      const before = await page.locator(".shell").getAttribute("style");
      await larger.click();
      await page.waitForFunction((s) => document.querySelector(".shell")?.getAttribute("style") !== s, before, { timeout: WAIT });
    }
    assert.ok(await larger.isDisabled(), "A+ ends disabled at the largest size");
    assert.match(await page.locator(".shell").getAttribute("style"), /font-size:\s*200%/);
    await page.locator("article.card").waitFor({ state: "visible", timeout: WAIT });
    const { scrollWidth, innerWidth, wide } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      // What sticks out, to say what to fix.
      wide: [...document.querySelectorAll("body *")]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
        .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} right=${Math.round(el.getBoundingClientRect().right)}`)
        .slice(0, 10),
    }));
    await page.screenshot({ path: path.join(OUTPUT, "card-200pct.png"), fullPage: true });
    assert.ok(scrollWidth <= innerWidth, `horizontal overflow at 200 %: scrollWidth ${scrollWidth} > innerWidth ${innerWidth}; wide: ${wide.join(", ")}`);
    assertCard(await readCard(page), demo.card, t, "200 %");
  });

  step("measurements: download size and time to the card with the app cached", async () => {
    // What the page fetched (wasm and JS) from opening the app until the card first showed.
    const fetched = await Promise.all(downloads);
    for (const f of fetched) console.log(`MEASURE gzip ${f.file}: ${f.gz} bytes (${f.raw} raw)`);
    const total = fetched.reduce((s, f) => s + f.gz, 0);
    console.log(`MEASURE holder's download before the card shows, wasm + JS: ${total} bytes gzip = ${(total / 1024).toFixed(1)} KiB in ${fetched.length} files (gzip -9, each file alone)`);
    assert.ok(fetched.some((f) => f.file === "kaiku-holder_bg.wasm"), `the holder's part was fetched: ${fetched.map((f) => f.file)}`);
    const others = fetched.filter((f) => /^kaiku-(scan|staff)/.test(f.file));
    assert.deepEqual(others, [], "nothing of the scanner or the console is in the holder's download");
    assert.ok(total <= 500 * 1024, `the holder's download is at most 500 KiB gzip, got ${total} bytes`);

    // The moment the card is in the page and laid out, from navigation start.
    await page.addInitScript(() => {
      const seen = () => {
        const card = document.querySelector("article.card");
        if (card && card.getBoundingClientRect().height > 0 && window.__cardShownAt === undefined) {
          window.__cardShownAt = performance.now();
          return true;
        }
        return false;
      };
      new MutationObserver((_, observer) => seen() && observer.disconnect()).observe(document, { childList: true, subtree: true });
    });
    const fcp = [];
    const shown = [];
    for (let i = 0; i < RELOADS; i++) {
      await page.reload({ timeout: WAIT });
      await page.locator("article.card").waitFor({ state: "visible", timeout: WAIT });
      const m = await page.waitForFunction(
        () => {
          const paint = performance.getEntriesByType("paint").find((e) => e.name === "first-contentful-paint");
          return window.__cardShownAt !== undefined && paint ? { fcp: paint.startTime, card: window.__cardShownAt } : null;
        },
        null,
        { timeout: WAIT },
      );
      const { fcp: f, card: c } = await m.jsonValue();
      assert.ok(await page.evaluate(() => navigator.serviceWorker.controller !== null), "the reload was served by the service worker");
      fcp.push(f);
      shown.push(c);
    }
    const ms = (xs) => xs.map((x) => x.toFixed(0)).join(", ");
    console.log(`MEASURE first-contentful-paint, cached reload, median of ${RELOADS}: ${median(fcp).toFixed(0)} ms (runs: ${ms(fcp)})`);
    console.log(`MEASURE card visible (article.card laid out) from navigation start, cached reload, median of ${RELOADS}: ${median(shown).toFixed(0)} ms (runs: ${ms(shown)})`);
  });
});
