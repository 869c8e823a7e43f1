//! Camera-like test frames of the card's codes, made in plain Rust: the app's SVG rasterised
//! with resvg, placed on a card in a larger greyscale frame through a homography (rotation,
//! perspective), then blur, low contrast, a glare blob and sensor noise.
#![allow(dead_code)]

use kaiku::decode::rgba_to_luma;
use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{Options, Tree};

/// How a frame is spoiled; `Distortion::default()` is a clean, straight photo.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Distortion {
    /// Gaussian blur sigma, in frame pixels.
    pub blur: f32,
    /// Sensor noise standard deviation, in grey levels.
    pub noise: f32,
    /// Rotation in the image plane, degrees.
    pub rotate: f32,
    /// Tilt away from the camera: the far edge shrinks by this share (0.3 = 30 %).
    pub tilt: f32,
    /// Share of the grey range left (1 = full contrast, 0.2 = a dim, washed-out frame).
    pub contrast: f32,
    /// Peak brightness added by a glare blob over part of the code, in grey levels.
    pub glare: f32,
}

impl Default for Distortion {
    fn default() -> Self {
        Self { blur: 0.0, noise: 0.0, rotate: 0.0, tilt: 0.0, contrast: 1.0, glare: 0.0 }
    }
}

/// A greyscale frame.
#[derive(Debug, Clone)]
pub struct Image {
    pub luma: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// Rasterises an SVG document at `scale` pixels per unit, as greyscale.
pub fn rasterise(svg: &str, scale: f32) -> Image {
    let tree = Tree::from_str(svg, &Options::default()).expect("the app's SVG parses");
    let size = tree.size();
    let (w, h) = ((size.width() * scale).ceil() as u32, (size.height() * scale).ceil() as u32);
    let mut pixmap = Pixmap::new(w, h).expect("non-empty");
    resvg::render(&tree, Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    Image { luma: rgba_to_luma(pixmap.data()), width: w, height: h }
}

/// A frame of `width` x `height` showing `svg` about `code_width` pixels wide, spoiled by `d`.
pub fn card_frame(svg: &str, code_width: f32, width: u32, height: u32, d: &Distortion, seed: u64) -> Image {
    let tree = Tree::from_str(svg, &Options::default()).expect("the app's SVG parses");
    // Rasterise at twice the final size, so the warp samples a sharp source.
    let code = rasterise(svg, 2.0 * code_width / tree.size().width());
    let (cw, ch) = (code.width as f32, code.height as f32);
    let (fw, fh) = (width as f32, height as f32);
    // The code's corners in the frame: centred, scaled, tilted (far = top edge), rotated.
    let (hw, hh) = (code_width / 2.0, code_width * ch / cw / 2.0);
    let shrink = 1.0 - d.tilt;
    let corners = [(-hw * shrink, -hh), (hw * shrink, -hh), (hw, hh), (-hw, hh)];
    let (s, c) = d.rotate.to_radians().sin_cos();
    let quad = corners.map(|(x, y)| (fw / 2.0 + x * c - y * s, fh / 2.0 + x * s + y * c));
    let to_code = invert(square_to_quad(quad));
    let mut out = vec![0f32; (width * height) as usize];
    for y in 0..height {
        for x in 0..width {
            let (u, v) = apply(&to_code, x as f32 + 0.5, y as f32 + 0.5);
            let value = if (-0.15..1.15).contains(&u) && (-0.25..1.25).contains(&v) {
                // On the card: the code, with white card around it.
                sample(&code, u * cw - 0.5, v * ch - 0.5).unwrap_or(235.0)
            } else {
                // A table: darker, with a soft gradient.
                70.0 + 40.0 * (x as f32 / fw) + 20.0 * (y as f32 / fh)
            };
            out[(y * width + x) as usize] = value;
        }
    }
    if d.blur > 0.0 {
        blur(&mut out, width as usize, height as usize, d.blur);
    }
    let mut rng = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let (gx, gy) = (quad[0].0 * 0.35 + quad[2].0 * 0.65, quad[0].1 * 0.6 + quad[2].1 * 0.4);
    let glare_radius = code_width * 0.18;
    for y in 0..height {
        for x in 0..width {
            let p = &mut out[(y * width + x) as usize];
            *p = 128.0 + (*p - 128.0) * d.contrast;
            if d.glare > 0.0 {
                let r2 = (x as f32 - gx).powi(2) + (y as f32 - gy).powi(2);
                *p += d.glare * (-r2 / (2.0 * glare_radius * glare_radius)).exp();
            }
            if d.noise > 0.0 {
                *p += d.noise * gaussian(&mut rng);
            }
        }
    }
    Image { luma: out.iter().map(|p| p.round().clamp(0.0, 255.0) as u8).collect(), width, height }
}

/// Bilinear sample; `None` outside the image.
fn sample(img: &Image, x: f32, y: f32) -> Option<f32> {
    let (w, h) = (img.width as i64, img.height as i64);
    let (x0, y0) = (x.floor() as i64, y.floor() as i64);
    if x0 < -1 || y0 < -1 || x0 >= w || y0 >= h {
        return None;
    }
    let at = |xx: i64, yy: i64| f32::from(img.luma[(yy.clamp(0, h - 1) * w + xx.clamp(0, w - 1)) as usize]);
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let top = at(x0, y0) * (1.0 - fx) + at(x0 + 1, y0) * fx;
    let bottom = at(x0, y0 + 1) * (1.0 - fx) + at(x0 + 1, y0 + 1) * fx;
    Some(top * (1.0 - fy) + bottom * fy)
}

/// Separable Gaussian blur with edge clamping.
fn blur(img: &mut [f32], w: usize, h: usize, sigma: f32) {
    let r = (sigma * 3.0).ceil() as isize;
    let kernel: Vec<f32> = (-r..=r).map(|i| (-(i * i) as f32 / (2.0 * sigma * sigma)).exp()).collect();
    let sum: f32 = kernel.iter().sum();
    let kernel: Vec<f32> = kernel.iter().map(|k| k / sum).collect();
    let mut tmp = vec![0f32; img.len()];
    for (pass, (len, stride, lines, line_stride)) in [(w, 1, h, w), (h, w, w, 1)].into_iter().enumerate() {
        let (src, dst): (&[f32], &mut [f32]) = if pass == 0 { (img, &mut tmp) } else { (&tmp, img) };
        for line in 0..lines {
            for i in 0..len {
                let mut acc = 0.0;
                for (k, weight) in kernel.iter().enumerate() {
                    let j = (i as isize + k as isize - r).clamp(0, len as isize - 1) as usize;
                    acc += weight * src[line * line_stride + j * stride];
                }
                dst[line * line_stride + i * stride] = acc;
            }
        }
    }
}

/// Roughly normal noise from a xorshift generator (sum of four uniforms).
fn gaussian(state: &mut u64) -> f32 {
    let mut sum = 0.0;
    for _ in 0..4 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        sum += (*state >> 40) as f32 / (1u64 << 24) as f32;
    }
    (sum - 2.0) * 1.732
}

type Matrix = [[f32; 3]; 3];

/// The homography taking the unit square to `quad` (Heckbert's closed form).
fn square_to_quad(q: [(f32, f32); 4]) -> Matrix {
    let [(x0, y0), (x1, y1), (x2, y2), (x3, y3)] = q;
    let (sx, sy) = (x0 - x1 + x2 - x3, y0 - y1 + y2 - y3);
    let (dx1, dx2, dy1, dy2) = (x1 - x2, x3 - x2, y1 - y2, y3 - y2);
    let den = dx1 * dy2 - dx2 * dy1;
    let g = (sx * dy2 - dx2 * sy) / den;
    let h = (dx1 * sy - sx * dy1) / den;
    [[x1 - x0 + g * x1, x3 - x0 + h * x3, x0], [y1 - y0 + g * y1, y3 - y0 + h * y3, y0], [g, h, 1.0]]
}

fn invert(m: Matrix) -> Matrix {
    let [[a, b, c], [d, e, f], [g, h, i]] = m;
    let (ca, cb, cc) = (e * i - f * h, f * g - d * i, d * h - e * g);
    let det = a * ca + b * cb + c * cc;
    [
        [ca / det, (c * h - b * i) / det, (b * f - c * e) / det],
        [cb / det, (a * i - c * g) / det, (c * d - a * f) / det],
        [cc / det, (b * g - a * h) / det, (a * e - b * d) / det],
    ]
}

fn apply(m: &Matrix, x: f32, y: f32) -> (f32, f32) {
    let w = m[2][0] * x + m[2][1] * y + m[2][2];
    ((m[0][0] * x + m[0][1] * y + m[0][2]) / w, (m[1][0] * x + m[1][1] * y + m[1][2]) / w)
}
