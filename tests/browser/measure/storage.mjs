// Measures the browser stores the web app could keep its data in, in Debian's Chromium:
// write latency (each write committed before the next) and survival across a browser restart.
// Run: node tests/browser/measure/storage.mjs http://127.0.0.1:PORT/   (any page of the origin)
import { chromium } from "../node_modules/playwright-core/index.mjs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const url = process.argv[2] ?? "http://127.0.0.1:8080/";
const profile = mkdtempSync(join(tmpdir(), "kaiku-storage-"));
const args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
const open = () => chromium.launchPersistentContext(profile, { executablePath: process.env.KAIKU_CHROMIUM ?? "/usr/bin/chromium", args });

const writes = async (page, n) =>
  page.evaluate(async (n) => {
    const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const p99 = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length * 0.99)];
    const record = (i) => JSON.stringify({ id: crypto.randomUUID(), seq: i, card: "A000100009", at: new Date().toISOString(), pad: "x".repeat(200) });
    const db = await new Promise((ok, no) => {
      const r = indexedDB.open("measure", 1);
      r.onupgradeneeded = () => r.result.createObjectStore("log");
      r.onsuccess = () => ok(r.result);
      r.onerror = () => no(r.error);
    });
    const idb = async (durability) => {
      const times = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        await new Promise((ok, no) => {
          const tx = db.transaction("log", "readwrite", { durability });
          tx.objectStore("log").put(record(i), `${durability}-${i}`);
          tx.oncomplete = ok;
          tx.onerror = () => no(tx.error);
        });
        times.push(performance.now() - t0);
      }
      return { median: median([...times]), p99: p99([...times]) };
    };
    const ls = () => {
      const times = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        localStorage.setItem(`ls-${i}`, record(i));
        times.push(performance.now() - t0);
      }
      return { median: median([...times]), p99: p99([...times]) };
    };
    return { strict: await idb("strict"), relaxed: await idb("relaxed"), localStorage: ls() };
  }, n);

const count = async (page) =>
  page.evaluate(async () => {
    const db = await new Promise((ok) => { const r = indexedDB.open("measure", 1); r.onupgradeneeded = () => r.result.createObjectStore("log"); r.onsuccess = () => ok(r.result); });
    const idb = await new Promise((ok) => { const r = db.transaction("log").objectStore("log").count(); r.onsuccess = () => ok(r.result); });
    return { indexedDB: idb, localStorage: localStorage.length };
  });

let ctx = await open();
let page = await ctx.newPage();
await page.goto(url);
const n = 300;
const t = await writes(page, n);
for (const [store, { median, p99 }] of Object.entries(t)) {
  console.log(`MEASURE ${store}: ${n} writes, median ${median.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms per committed write`);
}
await ctx.close();
ctx = await open();
page = await ctx.newPage();
await page.goto(url);
const after = await count(page);
console.log(`MEASURE after a browser restart: IndexedDB holds ${after.indexedDB} of ${2 * n}, localStorage ${after.localStorage} of ${n}`);
await ctx.close();

// Killed, not closed: write 100 records to each store, then SIGKILL the browser at once.
import { spawn } from "node:child_process";
const port = 9300 + Math.floor(Math.random() * 500);
const killed = spawn(process.env.KAIKU_CHROMIUM ?? "/usr/bin/chromium", [...args, "--headless", `--user-data-dir=${profile}`, `--remote-debugging-port=${port}`, "about:blank"], { stdio: "ignore" });
let cdp;
for (let i = 0; i < 100 && !cdp; i++) {
  await new Promise((r) => setTimeout(r, 100));
  cdp = await chromium.connectOverCDP(`http://127.0.0.1:${port}`).catch(() => undefined);
}
page = await cdp.contexts()[0].newPage();
await page.goto(url);
await page.evaluate(async () => {
  const db = await new Promise((ok) => { const r = indexedDB.open("measure", 1); r.onsuccess = () => ok(r.result); });
  for (let i = 0; i < 100; i++) {
    await new Promise((ok) => { const tx = db.transaction("log", "readwrite", { durability: "strict" }); tx.objectStore("log").put("k", `killed-${i}`); tx.oncomplete = ok; });
    localStorage.setItem(`killed-${i}`, "k");
  }
});
killed.kill("SIGKILL");
await new Promise((r) => killed.on("exit", r));
ctx = await open();
page = await ctx.newPage();
await page.goto(url);
const afterKill = await count(page);
console.log(`MEASURE after SIGKILL right after 100 confirmed writes each: IndexedDB (strict) holds ${afterKill.indexedDB - 2 * n} of 100, localStorage ${afterKill.localStorage - n} of 100`);
await ctx.close();
rmSync(profile, { recursive: true, force: true });
