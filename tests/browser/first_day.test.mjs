// A region's first day, from an empty register made by `init`, in real browsers against the
// real sync server on loopback: the administrator, a coordinator, a distributor, a venue, a
// holder's phone and a scanner phone, each through the app's own screens. Codes shown on
// screen are read back with the app's own decoder (examples/decode_image.rs) or by a browser's
// fake camera playing them, as a phone would.

import { after, before, describe } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import {
  OUTPUT, SERVER_BIN, WAIT, assertBuilt, decodeShot, flow, fluent, launchBrowser, startServer, until,
} from "./support/harness.mjs";
import { codeFrame, writeY4m } from "./support/y4m.mjs";
import { assertConsoleScreen, largestText } from "./support/console.mjs";

const VIEWPORT = { width: 360, height: 800 };
const FRAME = { width: 640, height: 480 };
const PASSWORD = "kirjasto-kahvila-94";
const t = fluent("en");

/** The rows of a statistics CSV (the server's `figure,name,value`) as `{ "cards.used": "1", ... }`. */
function csvFigures(text) {
  const figures = {};
  for (const line of text.split(/\r?\n/).slice(1)) {
    const [figure, name, value] = line.split(",");
    if (value !== undefined) figures[`${figure}.${name}`] = value;
  }
  return figures;
}

describe("a region's first day, from init", { timeout: 600_000 }, () => {
  let tmp;
  let server;
  let base;
  let adminCode;
  let browser;
  let page;
  const invited = {};
  let cardId;
  let activationQr;
  let holderCardQr;
  let enrollLink;

  const { step, watch } = flow(() => page);

  before(async () => {
    assertBuilt();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kaiku-first-day-"));
    const db = path.join(tmp, "kaiku.sqlite");
    const init = execFileSync(SERVER_BIN, ["init", "--database", db], { encoding: "utf8" });
    adminCode = /Administrator invitation code[^\n]*\n\s+(\S+)/.exec(init)?.[1];
    assert.ok(adminCode, `init printed the administrator's invitation:\n${init}`);
    server = startServer(db, "127.0.0.1:0", { demo: false });
    process.once("exit", () => server.child.kill("SIGKILL"));
    ({ base } = await server.ready);
    browser = await launchBrowser();
    // Three device pixels a CSS pixel: screenshots of codes as sharp as a phone's screen.
    const context = await browser.newContext({ viewport: VIEWPORT, locale: "en-GB", deviceScaleFactor: 3 });
    page = await context.newPage();
    watch(page);
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** Sets a password with an invitation code; the console then opens signed in. */
  const accept = async (code, username) => {
    await page.goto(`${base}/staff/invitation`);
    await page.locator("#invitation-code").fill(code);
    await page.locator("#new-username").fill(username);
    await page.locator("#new-password").fill(PASSWORD);
    await page.locator("#new-password-again").fill(PASSWORD);
    await page.locator("#accept-invitation").click();
    await page.locator("#who-role").waitFor({ state: "visible", timeout: WAIT });
    return (await page.locator("#who-role").textContent()).trim();
  };

  const signOut = async () => {
    await page.goto(`${base}/staff`);
    await page.locator("#sign-out").click();
    await page.locator("#sign-in-form").waitFor({ state: "visible", timeout: WAIT });
  };

  const signIn = async (username) => {
    await page.goto(`${base}/staff/sign-in`);
    await page.locator("#username").fill(username);
    await page.locator("#password").fill(PASSWORD);
    await page.locator("#sign-in").click();
    await page.locator("#who-role").waitFor({ state: "visible", timeout: WAIT });
  };

  /** Invites a user of `role` for the organisation named `org` on the invite screen. */
  const invite = async (role, org, label) => {
    await page.goto(`${base}/staff/users/invite`);
    await page.locator("#invite-role").selectOption(role);
    const scope = page.locator("#invite-scope");
    await until(`${org} in the list`, async () => (await scope.locator("option", { hasText: org }).count()) > 0);
    await scope.selectOption({ label: org });
    await page.locator("#invite-label").fill(label);
    await page.locator("#invite").click();
    const made = page.locator("#invitation-made");
    await made.waitFor({ state: "visible", timeout: WAIT });
    return (await made.textContent()).trim();
  };

  step("the administrator sets a password with the invitation init printed and signs in", async () => {
    // The whole day runs at the largest text: every screen is checked at 200 % on 360 px.
    await page.goto(`${base}/staff/invitation`);
    await page.locator("#invitation-form").waitFor({ state: "visible", timeout: WAIT });
    await largestText(page, t);
    await assertConsoleScreen(page, "accept an invitation");
    const role = await accept(adminCode, "admin");
    assert.equal(role, t("staff-role-admin"));
    await assertConsoleScreen(page, "administrator's home");
  });

  step("the administrator creates a region and invites its coordinator", async () => {
    await page.locator("#go-regions").click();
    await page.locator("#region-name").fill("Lappi");
    await page.locator("#create-region").click();
    await page.locator("#regions", { hasText: "Lappi" }).waitFor({ state: "visible", timeout: WAIT });
    await assertConsoleScreen(page, "regions");
    await page.locator("[id^=invite-coordinator-]").first().click();
    await page.locator("#invite-label").fill("Lapin koordinaattori");
    await page.locator("#invite").click();
    await page.locator("#invitation-made").waitFor({ state: "visible", timeout: WAIT });
    invited.coordinator = (await page.locator("#invitation-made").textContent()).trim();
    await signOut();
  });

  step("the coordinator signs in, creates a distributor and a venue with a ticket, invites a user for each", async () => {
    const role = await accept(invited.coordinator, "koordinaattori");
    assert.ok(role.startsWith(t("staff-role-coordinator")), role);
    await page.locator("#go-organisations").click();
    await page.locator("#distributor-name").fill("Rovaniemen sosiaalitoimi");
    await page.locator("#create-distributor").click();
    await page.locator("#distributors", { hasText: "Rovaniemen sosiaalitoimi" }).waitFor({ state: "visible", timeout: WAIT });
    await page.locator("#venue-name").fill("Arktikum");
    await page.locator("#offer-name").fill("Museum ticket");
    await page.locator("#create-venue").click();
    await page.locator("#venues", { hasText: "Arktikum" }).waitFor({ state: "visible", timeout: WAIT });
    await assertConsoleScreen(page, "organisations");
    invited.distributor = await invite("distributor", "Rovaniemen sosiaalitoimi", "Anna");
    await assertConsoleScreen(page, "invitation made");
    invited.venue = await invite("venue", "Arktikum", "Arktikum door");
    await signOut();
  });

  step("the distributor hands out a card with two children on record and prints it; both codes scan", async () => {
    const role = await accept(invited.distributor, "anna");
    assert.ok(role.startsWith(t("staff-role-distributor")), role);
    await page.locator("#go-hand-out").click();
    await page.locator("#hand-out-form").waitFor({ state: "visible", timeout: WAIT });
    await assertConsoleScreen(page, "hand out a card");
    await page.locator("#birth-year").fill("1985");
    await page.locator("#postal-code").fill("96100");
    await page.locator("#children").fill("2");
    await page.locator("#hand-out").click();
    await page.locator("#card-number").waitFor({ state: "visible", timeout: WAIT });
    cardId = (await page.locator("#card-number").textContent()).replace(/\s/g, "");
    assert.match(cardId, /^[A-Z]\d{9}$/, "a Kaiku card number");
    await assertConsoleScreen(page, "the card handed out");

    await page.locator("#go-print").click();
    const card = page.locator("#printed-card > svg");
    await card.waitFor({ state: "visible", timeout: WAIT });
    // The printed card's QR code (top right) and Code 39 barcode (bottom), as print.rs lays them out (mm).
    const box = await card.boundingBox();
    const mm = box.width / 85.6;
    const clip = (x, y, w, h) => ({ x: box.x + (x - 2) * mm, y: box.y + (y - 2) * mm, width: (w + 4) * mm, height: (h + 4) * mm });
    const qr = await decodeShot(page, "first-day-printed-qr", { clip: clip(60.6, 3.0, 22.0, 22.0) });
    assert.deepEqual(qr, { symbology: "Qr", text: cardId }, "the printed QR code reads as the card");
    const bars = await decodeShot(page, "first-day-printed-code39", { clip: clip(3.0, 37.0, 79.6, 13.0) });
    assert.deepEqual(bars, { symbology: "Code39", text: cardId }, "the printed barcode reads as the card");
    await assertConsoleScreen(page, "print the card");
  });

  step("the distributor puts the card on a phone: its activation QR", async () => {
    await page.goto(`${base}/staff/cards/${cardId}`);
    await page.locator("#to-phone").click();
    const qr = page.locator(".activation .qr svg");
    await qr.waitFor({ state: "visible", timeout: WAIT });
    const code = (await page.locator("#activation-code").textContent()).trim();
    const read = await decodeShot(qr, "first-day-activation-qr");
    assert.equal(read?.text, `${base}/activate?code=${code}`, "the QR is the activation link");
    activationQr = path.join(tmp, "activation.y4m");
    writeY4m(activationQr, await codeFrame(page, ".activation .qr svg", FRAME.width, FRAME.height), FRAME.width, FRAME.height);
    await signOut();
  });

  step("the holder's phone reads the activation QR with its camera and shows the card", async () => {
    const phone = await launchBrowser([
      "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", `--use-file-for-fake-video-capture=${activationQr}`,
    ]);
    try {
      const p = await (await phone.newContext({ viewport: VIEWPORT, locale: "en-GB" })).newPage();
      watch(p);
      await p.goto(`${base}/activate`);
      await p.locator("#activate-camera").click();
      await p.waitForURL("**/activate?code=*", { timeout: 30_000 });
      await p.getByLabel(t("activate-name")).fill("Maija");
      await p.getByRole("button", { name: t("activate-submit") }).click();
      await p.locator("article.card .qr svg").waitFor({ state: "visible", timeout: WAIT });
      const shown = (await p.locator("article.card .card-id-digits").textContent()).replace(/\s/g, "");
      assert.equal(shown, cardId, "the phone shows the card handed out");
      holderCardQr = path.join(tmp, "card.y4m");
      writeY4m(holderCardQr, await codeFrame(p, "article.card .qr svg", FRAME.width, FRAME.height), FRAME.width, FRAME.height);
    } finally {
      await phone.close();
    }
  });

  step("the venue user adds a scanner phone: its enrollment QR", async () => {
    const role = await accept(invited.venue, "arktikum");
    assert.ok(role.startsWith(t("staff-role-venue")), role);
    await page.locator("#go-add-scanner").click();
    await page.locator("#create-code").click();
    const qr = page.locator(".qr svg").first();
    await qr.waitFor({ state: "visible", timeout: WAIT });
    await assertConsoleScreen(page, "add a scanner phone");
    const code = (await page.locator("#enrollment-code").textContent()).trim();
    enrollLink = (await decodeShot(qr, "first-day-enrollment-qr"))?.text;
    assert.equal(enrollLink, `${base}/scan?enroll=${code}`, "the QR is the enrollment link");
  });

  step("the scanner opens the link, enrolls, reads the phone's card, records one adult and two children, syncs", async () => {
    const scanner = await launchBrowser([
      "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", `--use-file-for-fake-video-capture=${holderCardQr}`,
    ]);
    try {
      const p = await (await scanner.newContext({ viewport: VIEWPORT, locale: "en-GB" })).newPage();
      watch(p);
      await p.goto(enrollLink);
      await p.locator("#enroll-form button[type=submit]").click();
      await p.locator("section.door").waitFor({ state: "visible", timeout: WAIT }).catch(async (e) => {
        await p.screenshot({ path: path.join(OUTPUT, "first-day-enroll-failed.png"), fullPage: true });
        throw new Error(`${e.message}; the page says: ${(await p.locator("main").textContent()).slice(0, 600)}`);
      });
      const verdict = p.locator("section.verdict.verdict-admit");
      await verdict.waitFor({ state: "visible", timeout: 30_000 });
      assert.ok((await verdict.locator(".verdict-card").textContent()).replace(/\s/g, "").includes(cardId));
      await p.locator("#children-more").click();
      await p.locator("#children-more").click();
      await until("two children chosen", async () => (await p.locator("#children-count").textContent()).trim() === "2");
      await p.locator("#record").click();
      await p.locator("p.recorded").waitFor({ state: "visible", timeout: WAIT });
      await until("the sync to leave nothing pending", async () => {
        if ((await p.locator(".status-pending").count()) > 0 && (await p.locator("#sync-now").isEnabled())) {
          await p.locator("#sync-now").click();
        }
        return (await p.locator(".status-pending").count()) === 0;
      }, 30_000);
    } finally {
      await scanner.close();
    }
    await signOut();
  });

  step("the coordinator's dashboard for this month shows \"fewer than 5\" for the one card, and so does its CSV; the administrator sees 1 card used, 1 adult and 2 children", async () => {
    const figure = async (id) => (await page.locator(`#${id}`).textContent()).replace(/\s/g, "");
    const monthOnDashboard = async () => {
      await page.locator("#go-statistics").click();
      await page.locator("#period-kind").selectOption("month");
      await page.locator("#stats-show").click();
    };
    await signIn("koordinaattori");
    await monthOnDashboard();
    // Below administrator every count of 1-4 is "fewer than 5", and a note says why.
    const fewer = t("stats-fewer-than", { n: 5 }).replace(/\s/g, "");
    await until("the month's figures", async () => (await figure("fig-cards-used")) === fewer);
    assert.equal(await figure("fig-adults"), fewer);
    assert.equal(await figure("fig-children"), fewer);
    assert.ok(await page.locator("#stats-rounded").isVisible(), "the note on rounding is shown");
    await assertConsoleScreen(page, "statistics dashboard");
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#stats-csv").click()]);
    const csv = csvFigures(fs.readFileSync(await download.path(), "utf8"));
    assert.equal(csv["counts.rounded_to"], "5", JSON.stringify(csv));
    assert.equal(csv["cards.used"], "<5", JSON.stringify(csv));
    assert.equal(csv["all.adults"], "<5", JSON.stringify(csv));
    assert.equal(csv["all.children"], "<5", JSON.stringify(csv));
    await signOut();
    // The administrator's figures are exact.
    await signIn("admin");
    await monthOnDashboard();
    await until("the month's exact figures", async () => (await figure("fig-cards-used")) === "1");
    assert.equal(await figure("fig-adults"), "1");
    assert.equal(await figure("fig-children"), "2");
    assert.equal(await page.locator("#stats-rounded").count(), 0, "no note on exact figures");
    await signOut();
    await signIn("koordinaattori");
  });
  step("every other console screen of each role passes axe in fi/sv/en and fits 360 px at 200 % text", async () => {
    // Every screen is checked and every finding reported together, not only the first.
    const findings = [];
    const visit = async (where, screen) => {
      try {
        await page.goto(`${base}${where}`);
        await page.locator("main h1").first().waitFor({ state: "visible", timeout: WAIT });
        // Lists arrive after the heading: wait for the screen to stop saying it is loading.
        await until(`${screen} loaded`, async () => (await page.locator("[aria-busy=true], .loading").count()) === 0);
        await assertConsoleScreen(page, screen);
      } catch (e) {
        findings.push(`${screen} (${where}): ${e.message}`);
      }
    };
    await visit("/staff", "coordinator's home");
    await visit("/staff/users", "users of the region");
    await signOut();
    await assertConsoleScreen(page, "sign in");
    await signIn("admin");
    await visit("/staff/keys", "signing keys");
    await visit("/staff/users", "all users");
    await signOut();
    await signIn("anna");
    await visit("/staff/cards", "my cards");
    await visit("/staff/cards/import", "import cards");
    await signOut();
    await signIn("arktikum");
    // The first venue and its first offer of a new register: ids 1.
    await visit("/staff/venue/1/offers", "offers");
    await visit("/staff/venue/1/offers/new", "new offer");
    await visit("/staff/venue/1/offers/1", "edit an offer");
    await visit("/staff/venue/1/devices", "devices");
    await visit("/staff/venue/1/uses", "uses");
    assert.deepEqual(findings, [], findings.join("\n\n"));
  });
});
