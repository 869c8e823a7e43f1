// Checks every staff console screen gets: axe-core (WCAG 2.1 A/AA) in Finnish, Swedish and
// English, and no sideways scrolling on a 360 px page at the text size the flow set (200 %).

import assert from "node:assert/strict";
import path from "node:path";

import { OUTPUT, WAIT, assertAccessibleInEveryLanguage } from "./harness.mjs";

/** Raises the text size with the A+ button until it is at its largest (200 %). */
export async function largestText(page, t) {
  const larger = page.getByRole("button", { name: t("text-larger") });
  for (let i = 0; i < 10 && (await larger.isEnabled()); i++) {
    const before = await page.locator(".shell").getAttribute("style");
    await larger.click();
    await page.waitForFunction((s) => document.querySelector(".shell")?.getAttribute("style") !== s, before, { timeout: WAIT });
  }
  assert.match(await page.locator(".shell").getAttribute("style"), /font-size:\s*200%/);
}

/** Axe in every language (ending in English), and nothing wider than the page. */
export async function assertConsoleScreen(page, screen) {
  await assertAccessibleInEveryLanguage(page, screen);
  const { scrollWidth, innerWidth, percent, wide } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    percent: document.querySelector(".shell")?.style.fontSize,
    // What sticks out (outside a scrolling table container), to say what to fix.
    wide: [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5 && !el.closest(".table-scroll, [tabindex]"))
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}.${[...el.classList].join(".")}`)
      .slice(0, 8),
  }));
  const file = `console-${screen.replace(/[^a-z0-9]+/gi, "-")}.png`;
  await page.screenshot({ path: path.join(OUTPUT, file), fullPage: true });
  assert.ok(scrollWidth <= innerWidth, `${screen} at ${percent} text scrolls sideways: ${scrollWidth} > ${innerWidth}; wide: ${wide.join(", ")}`);
  console.log(`console screen ok: ${screen} (axe fi/sv/en, ${percent} text, ${innerWidth} px)`);
}
