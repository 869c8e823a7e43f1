// The door, camera first, in a real browser: a phone of 360 × 640 with the fake camera playing a
// holder's card. With a verdict showing, the camera preview and the record button are both fully
// on screen (bounding boxes), in Finnish, Swedish and English, at 100 % and at 200 % text, and axe
// finds nothing. A ticket desk's wide window shows them side by side. Screenshots go to the output
// folder (door-<lang>-<percent>.png).
//
// Run from the repository root:  node --test tests/browser/door_layout.test.mjs  (environment: see ./kaiku)

import { after, before, describe } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import {
  LANGS, OUTPUT, WAIT, assertAccessible, assertBuilt, chooseLanguage, escapeRe, flow, fluent, launchBrowser,
  spawnChromium, startServer,
} from "./support/harness.mjs";
import { codeFrame, writeY4m } from "./support/y4m.mjs";

const PHONE = { width: 360, height: 640 };
const DESK = { width: 1280, height: 800 };
const FRAME = { width: 640, height: 480 };
const en = fluent("en");

/** Where `selector` is on screen, and the viewport. */
async function box(page, selector) {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    const r = el?.getBoundingClientRect();
    return r && { top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: innerWidth, height: innerHeight };
  }, selector);
}

/** Fails unless `selector` is wholly inside the viewport. */
async function assertOnScreen(page, selector, where) {
  const b = await box(page, selector);
  assert.ok(b, `${where}: no ${selector} on the page`);
  const inside = b.top >= -0.5 && b.left >= -0.5 && b.bottom <= b.height + 0.5 && b.right <= b.width + 0.5;
  assert.ok(inside, `${where}: ${selector} is not fully on screen: ${JSON.stringify(b)}`);
  return b;
}

/** Sets the text size with the A− / A+ buttons (named in `lang`) until it is `percent`. */
async function textSize(page, lang, percent) {
  const t = fluent(lang);
  const shell = page.locator(".shell");
  for (let i = 0; i < 12; i++) {
    const now = Number(/font-size:\s*(\d+)%/.exec(await shell.getAttribute("style"))?.[1]);
    if (now === percent) return;
    const name = now < percent ? t("text-larger") : t("text-smaller");
    const before = await shell.getAttribute("style");
    await page.getByRole("button", { name: new RegExp(escapeRe(name)) }).click();
    await page.waitForFunction((s) => document.querySelector(".shell")?.getAttribute("style") !== s, before, { timeout: WAIT });
  }
  assert.fail(`the text size never became ${percent} %`);
}

describe("the door at 360 × 640, camera first", { timeout: 240_000 }, () => {
  let tmp;
  let server;
  let demo;
  let chrome;
  let page;
  let video;
  const { step, watch } = flow(() => page);

  before(async () => {
    assertBuilt();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kaiku-door-layout-"));
    server = startServer(path.join(tmp, "kaiku.sqlite"));
    process.once("exit", () => server.child.kill("SIGKILL"));
    demo = await server.ready;
  });

  after(async () => {
    await chrome?.kill();
    await server?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  step("a holder's activated card becomes the fake camera's video", async () => {
    const holder = await launchBrowser();
    try {
      const p = await (await holder.newContext({ viewport: PHONE, locale: "en-GB" })).newPage();
      await p.goto(`${demo.base}/activate`);
      await p.getByLabel(en("activate-code"), { exact: true }).fill(demo.code);
      await p.getByRole("button", { name: en("activate-submit") }).click();
      await p.locator("article.card .qr svg").waitFor({ state: "visible", timeout: WAIT });
      const luma = await codeFrame(p, "article.card .qr svg", FRAME.width, FRAME.height);
      video = path.join(tmp, "card-qr.y4m");
      writeY4m(video, luma, FRAME.width, FRAME.height);
    } finally {
      await holder.close();
    }
  });

  step("the scanner enrolls and the camera's first read shows a verdict under the preview", async () => {
    chrome = await spawnChromium(path.join(tmp, "scanner-profile"), [
      "--use-fake-device-for-media-stream",
      "--use-fake-ui-for-media-stream",
      `--use-file-for-fake-video-capture=${video}`,
      "--lang=en-GB",
    ]);
    page = await chrome.context.newPage();
    await page.setViewportSize(PHONE);
    watch(page);
    await page.goto(`${demo.base}/`);
    await page.getByRole("button", { name: new RegExp(`^${escapeRe(en("start-scanner"))}`) }).click();
    await page.locator("section.enroll").waitFor({ state: "visible", timeout: WAIT });
    await page.getByLabel(en("scan-enroll-code"), { exact: true }).fill(demo.enrollment);
    await page.getByLabel(en("scan-enroll-label"), { exact: true }).fill("Door layout test");
    await page.getByRole("button", { name: en("scan-enroll-submit") }).click();
    await page.locator("section.verdict.verdict-admit").waitFor({ state: "visible", timeout: 30_000 });
    await page.locator("#scan-preview.preview").waitFor({ state: "visible", timeout: WAIT });
    await assertOnScreen(page, "#scan-preview", "the camera's verdict");
    await assertOnScreen(page, "#record", "the camera's verdict");
  });

  for (const lang of LANGS) {
    for (const percent of [100, 200]) {
      step(`${lang}, ${percent} % text: with a verdict showing, the preview and the record button are on screen`, async () => {
        await chooseLanguage(page, lang);
        await textSize(page, lang, percent);
        // The next person's card, read by a keyboard-wedge reader (the camera still holds the first).
        const next = page.locator("#next-person");
        if (await next.count()) await next.click();
        await page.locator("#card-input").fill(demo.card);
        await page.locator("#card-input").press("Enter");
        await page.locator("section.verdict.verdict-admit").waitFor({ state: "visible", timeout: WAIT });
        await page.locator("#record").waitFor({ state: "visible", timeout: WAIT });
        // The door scrolls itself to the top of the screen; let that finish.
        await page.waitForFunction(() => Math.abs(document.getElementById("door").getBoundingClientRect().top) < 1, null, { timeout: WAIT });
        const where = `${lang} at ${percent} %`;
        const preview = await assertOnScreen(page, "#scan-preview", where);
        assert.ok(preview.bottom - preview.top >= 90, `${where}: the preview is a usable size: ${JSON.stringify(preview)}`);
        assert.ok(preview.top < preview.height / 4, `${where}: the preview is at the top: ${JSON.stringify(preview)}`);
        await assertOnScreen(page, "#record", where);
        await assertOnScreen(page, "section.verdict .verdict-head", where);
        const { scrollWidth, innerWidth, sheet, wide } = await page.evaluate(() => {
          const panel = document.querySelector(".door-sheet");
          const edge = panel.getBoundingClientRect().left + panel.clientLeft + panel.clientWidth;
          return {
            scrollWidth: document.documentElement.scrollWidth,
            innerWidth,
            sheet: [panel.scrollWidth, panel.clientWidth],
            // What sticks out of the panel, to say what to fix.
            wide: [...panel.querySelectorAll("*")]
              .filter((el) => el.getBoundingClientRect().right > edge + 0.5)
              .map((el) => `${el.tagName.toLowerCase()}#${el.id}.${[...el.classList].join(".")}`)
              .slice(0, 8),
          };
        });
        assert.ok(scrollWidth <= innerWidth, `${where}: nothing scrolls sideways (${scrollWidth} > ${innerWidth})`);
        assert.ok(sheet[0] <= sheet[1], `${where}: the panel does not scroll sideways (${sheet}): ${wide.join(", ")}`);
        await page.screenshot({ path: path.join(OUTPUT, `door-${lang}-${percent}.png`) });
        const passes = await assertAccessible(page, `the door with a verdict, ${where}`);
        console.log(`axe: door with a verdict, ${where}: no violations (${passes} rules passed)`);
      });
    }
  }

  step("a ticket desk's wide window shows the camera beside the verdict and the record button", async () => {
    await chooseLanguage(page, "en");
    await textSize(page, "en", 100);
    await page.setViewportSize(DESK);
    await page.locator("#next-person").click();
    await page.locator("#card-input").fill(demo.card);
    await page.locator("#card-input").press("Enter");
    await page.locator("#record").waitFor({ state: "visible", timeout: WAIT });
    await page.waitForFunction(() => Math.abs(document.getElementById("door").getBoundingClientRect().top) < 1, null, { timeout: WAIT });
    const preview = await assertOnScreen(page, "#scan-preview", "the desk");
    const record = await assertOnScreen(page, "#record", "the desk");
    assert.ok(record.left >= preview.right, `side by side: preview ${JSON.stringify(preview)}, record ${JSON.stringify(record)}`);
    await page.screenshot({ path: path.join(OUTPUT, "door-desk-en.png") });
    await assertAccessible(page, "the door in a wide window");
  });
});
