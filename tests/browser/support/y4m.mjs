// A fake camera for Chromium: a code drawn by the app itself (its SVG), put on a light
// "table" background in a canvas, written as a Y4M video that Chromium plays as the camera
// (--use-file-for-fake-video-capture).

import fs from "node:fs";

/** Draws the SVG of `selector` on the page into a `width` x `height` grey frame, the code
 * `share` of the frame's height, slightly rotated; returns the luma bytes. */
export async function codeFrame(page, selector, width, height, share = 0.62) {
  const luma = await page.evaluate(
    async ({ selector, width, height, share }) => {
      const svg = document.querySelector(selector);
      if (!svg) throw new Error(`no ${selector} on the page`);
      const xml = new XMLSerializer().serializeToString(svg);
      const image = new Image();
      image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(xml)}`;
      await image.decode();
      const canvas = document.createElement("canvas");
      canvas.width = width;
      canvas.height = height;
      const g = canvas.getContext("2d");
      g.fillStyle = "#d8d4cc";
      g.fillRect(0, 0, width, height);
      const side = Math.round(height * share);
      const aspect = image.naturalWidth && image.naturalHeight ? image.naturalWidth / image.naturalHeight : 1;
      const [w, h] = aspect >= 1 ? [side * aspect, side] : [side, side / aspect];
      g.translate(width / 2, height / 2);
      g.rotate((4 * Math.PI) / 180);
      g.fillStyle = "#fff";
      g.fillRect(-w / 2 - 12, -h / 2 - 12, w + 24, h + 24);
      g.drawImage(image, -w / 2, -h / 2, w, h);
      const rgba = g.getImageData(0, 0, width, height).data;
      const out = new Array(width * height);
      for (let i = 0; i < out.length; i++) {
        out[i] = Math.round(0.299 * rgba[4 * i] + 0.587 * rgba[4 * i + 1] + 0.114 * rgba[4 * i + 2]);
      }
      return out;
    },
    { selector, width, height, share },
  );
  return Uint8Array.from(luma);
}

/** Writes `frames` copies of a grey frame as a 4:2:0 Y4M video (neutral chroma). */
export function writeY4m(file, luma, width, height, frames = 30) {
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const parts = [Buffer.from(`YUV4MPEG2 W${width} H${height} F15:1 Ip A1:1 C420jpeg\n`)];
  for (let i = 0; i < frames; i++) parts.push(Buffer.from("FRAME\n"), Buffer.from(luma), chroma);
  fs.writeFileSync(file, Buffer.concat(parts));
}
