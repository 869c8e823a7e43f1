// The scanner's decoder off the page's thread (a module Web Worker): the page hands it one camera
// frame at a time, its RGBA pixels transferred (not copied), and gets back the code read as one
// line (app/camera/handoff.rs) or null. The page sends no frame while one is being decoded, so
// frames that come meanwhile are never queued (app/camera/web.rs).
import init, { scan_rgba } from "/kaiku-decoder.js";

self.onmessage = (event) => {
  const { pixels, width, height } = event.data;
  try {
    self.postMessage({ scan: scan_rgba(new Uint8Array(pixels), width, height) ?? null });
  } catch (e) {
    // A trap leaves the wasm unusable: say so and end; the page starts a new decoder.
    self.postMessage({ scan: null, failed: String(e) });
    self.close();
  }
};

try {
  await init({ module_or_path: "/kaiku-decoder_bg.wasm" });
  self.postMessage({ ready: true });
} catch (e) {
  self.postMessage({ failed: String(e) });
  self.close();
}
