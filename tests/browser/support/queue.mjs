// A queue at the door, for the throughput test: holders' cards registered, given activation
// codes and activated through the real server's API (as a distributor and the holders' phones
// do), and a video of their QR codes one after another for Chromium's fake camera, drawn by
// the app's own QR code (examples/card_video.rs).

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";

import { DECODE_BIN } from "./harness.mjs";

// Built beside the decoder example (`cargo build -p kaiku --example card_video`, or `cargo test`).
export const VIDEO_BIN = path.join(path.dirname(DECODE_BIN), "card_video");

/** A JSON request to the API; retries when the server's rate limit asks to wait. */
export async function api(base, method, route, { token, body } = {}) {
  for (;;) {
    const r = await fetch(`${base}/api/v1${route}`, {
      method,
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (r.status === 429) {
      await new Promise((ok) => setTimeout(ok, 1000 * Number(r.headers.get("retry-after") ?? 1)));
      continue;
    }
    const text = await r.text();
    assert.ok(r.ok, `${method} ${route}: ${r.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }
}

/** The first distributor's token the demo server printed. */
export function distributorToken(server) {
  const m = /^Distributor '[^']+' token: (\S+)$/m.exec(server.log.join(""));
  assert.ok(m, "the demo server printed a distributor's token");
  return m[1];
}

/** Registers a personal card for each entry of `children` (minor children on record), has an
 * activation code made for it and activates it as the holder's phone would: `{ card,
 * credential, children }` in the same order. */
export async function activatedCards(base, token, children) {
  const cards = [];
  for (const [i, minors] of children.entries()) {
    const view = await api(base, "POST", "/cards", {
      token,
      body: {
        kind: "personal",
        background: {
          birth_year: 1960 + i, gender: i % 2 ? "male" : "female", mother_tongue: "finnish",
          life_situations: [], postal_code: "96100", minor_children: minors, minor_grandchildren: 0,
        },
      },
    });
    const card = view.card.id;
    const { code } = await api(base, "POST", `/cards/${card}/activation-code`, { token });
    const { credential } = await api(base, "POST", "/activate", { body: { code } });
    cards.push({ card, credential, children: minors });
  }
  return cards;
}

/** Writes the fake camera's video: `lead` seconds of the bare table, each holder's QR code for
 * its `seconds`, then `tail` seconds of table. Returns when each holder's code is in view, in
 * seconds from the video's start: `[{ ...holder, from, to }]`. */
export function queueVideo(file, holders, { width, height, fps, lead, tail }) {
  let at = lead;
  const lines = [`${lead}\t`];
  const shown = holders.map((h) => {
    lines.push(`${h.seconds}\t${h.credential}`);
    const segment = { ...h, from: at, to: at + h.seconds };
    at += h.seconds;
    return segment;
  });
  lines.push(`${tail}\t`);
  execFileSync(VIDEO_BIN, [file, String(width), String(height), String(fps)], { input: `${lines.join("\n")}\n` });
  return shown;
}
