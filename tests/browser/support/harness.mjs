// Shared by the browser tests: the real sync server on loopback, Debian's Chromium, Fluent
// texts, axe-core, and a step runner that stops a flow at its first failed step.

import { it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, "..", "..", "..");
export const SERVER_BIN = process.env.KAIKU_SERVER_BIN || "/root/.cache/kaiku/target/debug/kaiku-sync-server";
export const WEB_DIR = path.resolve(process.env.KAIKU_WEB_DIR || "/root/.cache/kaiku/target/web");
export const OUTPUT = path.resolve(process.env.KAIKU_TEST_OUTPUT || path.join(HERE, "..", "output"));
// The app's own decoder over PNG files (examples/decode_image.rs, built by `cargo test`).
export const DECODE_BIN = process.env.KAIKU_DECODE_BIN || "/root/.cache/kaiku/target/debug/examples/decode_image";
export const CHROMIUM = process.env.KAIKU_CHROMIUM || "/usr/bin/chromium";
export const AXE = path.join(HERE, "..", "node_modules", "axe-core", "axe.min.js");
export const LANGS = ["fi", "sv", "en"];
export const WAIT = 15_000;
// The web app's parts, each its own page and download (app/parts.rs).
export const PARTS = [
  { name: "holder", page: "index.html" },
  { name: "scan", page: "scan.html" },
  { name: "staff", page: "staff.html" },
];

/** Fails early, saying what to build, when a part the tests need is missing. */
export function assertBuilt() {
  for (const file of [SERVER_BIN, DECODE_BIN, CHROMIUM, AXE, ...PARTS.flatMap((p) => [path.join(WEB_DIR, p.page), path.join(WEB_DIR, `kaiku-${p.name}_bg.wasm`)])]) {
    assert.ok(fs.existsSync(file), `missing ${file} (build the server and the web app first)`);
  }
  fs.mkdirSync(OUTPUT, { recursive: true });
}

/** Debian's Chromium, headless, with `extra` flags. */
export function launchBrowser(extra = []) {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", ...extra],
  });
}

/** The one-line messages of a Fluent file, with `{ $arg }` filled in by `text(id, args)`. */
export function fluent(lang) {
  const source = fs.readFileSync(path.join(REPO, "assets", "i18n", `${lang}.ftl`), "utf8");
  const messages = new Map();
  for (const line of source.split("\n")) {
    const m = /^([a-z][a-z0-9-]*) = (.+)$/.exec(line);
    if (m && !m[2].includes("->")) messages.set(m[1], m[2].trim());
  }
  return (id, args = {}) => {
    const message = messages.get(id);
    assert.ok(message !== undefined, `no one-line message ${id} in ${lang}.ftl`);
    return message.replace(/\{ *\$([a-z]+) *\}/g, (_, name) => String(args[name]));
  };
}

export const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Starts the real sync server with demo data (once per database file); resolves once it listens,
 * with its address, a card's activation code, the scanner enrollment code and the coordinator's
 * token. `addr` and `fresh: false` restart it on a known port with the data it has. */
export function startServer(database, addr = "127.0.0.1:0", { fresh = true, demo = true } = {}) {
  const child = spawn(
    SERVER_BIN,
    ["serve", ...(demo ? ["--demo"] : []), "--addr", addr, "--web-root", WEB_DIR, "--database", database],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const log = [];
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk) => log.push(chunk));
  // A binary that cannot start reports "error" and never "exit".
  const exited = new Promise((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
    child.once("error", (error) => resolve({ code: null, signal: null, error }));
  });
  const ready = new Promise((resolve, reject) => {
    let card = null;
    let code = null;
    let enrollment = null;
    let coordinator = null;
    const timer = setTimeout(() => reject(new Error(`the server did not start in 30 s:\n${log.join("")}`)), 30_000);
    child.once("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${SERVER_BIN}: ${e.message}`));
    });
    exited.then(({ code: status, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${status ?? signal}) before listening:\n${log.join("")}`));
    });
    readline.createInterface({ input: child.stdout }).on("line", (line) => {
      log.push(`${line}\n`);
      const activation = /^Activation code for card (\w+): ([\w-]+)\s*$/.exec(line);
      if (activation && !code) [, card, code] = activation;
      const enroll = /^Scanner enrollment code \(venue 1\): ([\w-]+)\s*$/.exec(line);
      if (enroll) enrollment = enroll[1];
      const coord = /^Region coordinator token: (\S+)\s*$/.exec(line);
      if (coord) coordinator = coord[1];
      const listening = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(line);
      if (listening) {
        clearTimeout(timer);
        if (!code && fresh && demo) reject(new Error(`the server printed no activation code:\n${log.join("")}`));
        else resolve({ base: listening[1], port: Number(listening[2]), card, code, enrollment, coordinator });
      }
    });
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited;
  };
  return { child, ready, stop, log };
}

/** Runs axe-core on the page with the WCAG 2.1 A and AA rules; fails listing every violation. */
export async function assertAccessible(page, where) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) {
    await page.addScriptTag({ path: AXE });
  }
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
  );
  const report = result.violations.map((v) => {
    const nodes = v.nodes.map((n) => `      at ${n.target.join(" ")}\n        ${(n.failureSummary || "").replace(/\n/g, "\n        ")}`);
    return `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes.join("\n")}`;
  });
  assert.equal(result.violations.length, 0, `axe found ${result.violations.length} violation(s) on ${where}:\n${report.join("\n")}`);
  return result.passes.length;
}

/** Switches the language with the picker and waits until the page speaks it. */
export async function chooseLanguage(page, lang) {
  await page.selectOption("#lang-select", lang);
  await page.waitForFunction(
    (code) => document.documentElement.lang === code && document.querySelector(`.shell[lang="${code}"]`) !== null,
    lang,
    { timeout: WAIT },
  );
}

/** Axe on the current screen in each language; ends in FLOW_LANG. */
export async function assertAccessibleInEveryLanguage(page, screen, langs = LANGS) {
  for (const lang of langs) {
    await chooseLanguage(page, lang);
    const passes = await assertAccessible(page, `the ${screen} screen in ${lang}`);
    console.log(`axe: ${screen} screen, ${lang}: no violations (${passes} rules passed)`);
  }
}

/** What the app's decoder reads in a screenshot of `target` (a locator, or a page with
 * `options.clip`), saved as `name`.png in the output folder: `{ symbology, text }`, or null
 * when it finds no code. */
export async function decodeShot(target, name, options = {}) {
  const file = path.join(OUTPUT, `${name}.png`);
  await target.screenshot({ path: file, ...options });
  const out = execFileSync(DECODE_BIN, [file], { encoding: "utf8" }).trim();
  if (out === "none") return null;
  const [symbology, ...text] = out.split("\t");
  return { symbology, text: text.join("\t") };
}

/** Polls `probe` (async, in node) until it returns a truthy value. */
export async function until(what, probe, timeout = WAIT) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    try {
      last = await probe();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
}


/** A flow of dependent steps: after the first failure the rest are skipped; every step also
 * fails on uncaught page errors, and a failure saves a screenshot of `page()`. */
export function flow(page) {
  let broken = null;
  const pageErrors = [];
  const consoleErrors = [];
  const watch = (p) => {
    p.on("pageerror", (e) => pageErrors.push(`${p.url()}: ${e.message}`));
    p.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
  };
  const step = (name, body) =>
    it(name, async (ctx) => {
      if (broken) {
        ctx.skip(`after the failed step "${broken}"`);
        return;
      }
      try {
        await body();
        assert.deepEqual(pageErrors, [], "uncaught errors in the page");
      } catch (e) {
        broken = name;
        if (consoleErrors.length) console.error(`browser console errors so far:\n  ${consoleErrors.join("\n  ")}`);
        const p = page();
        if (p && !p.isClosed()) {
          const file = path.join(OUTPUT, `failure-${name.replace(/[^a-z0-9]+/gi, "-").slice(0, 60)}.png`);
          await p.screenshot({ path: file, fullPage: true }).catch(() => {});
          console.error(`screenshot of the failure: ${file}`);
        }
        throw e;
      }
    });
  return { step, watch };
}

/** Chromium as a child process of ours on the profile folder `profile` (so a test can SIGKILL it
 * and start it again on the same storage), driven over the DevTools protocol. Resolves to
 * `{ browser, context, kill }`; `context` is the profile's own (persistent) context. */
export async function spawnChromium(profile, extra = []) {
  const child = spawn(
    CHROMIUM,
    ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
      `--user-data-dir=${profile}`, "--remote-debugging-port=0", ...extra, "about:blank"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const endpoint = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("Chromium printed no DevTools address in 30 s")), 30_000);
    child.once("error", (e) => reject(new Error(`cannot start ${CHROMIUM}: ${e.message}`)));
    readline.createInterface({ input: child.stderr }).on("line", (line) => {
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  const browser = await chromium.connectOverCDP(endpoint);
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited;
  };
  return { browser, context: browser.contexts()[0], kill };
}
