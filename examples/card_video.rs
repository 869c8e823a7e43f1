//! Writes a Y4M video of card codes shown one after another, as a queue at a door shows them to
//! the camera, for Chromium's fake camera (`--use-file-for-fake-video-capture`). Each code is the
//! app's own QR drawing on a card on a table (tests/support/frames.rs), slightly turned.
//!
//!     card_video OUT.y4m WIDTH HEIGHT FPS < SEGMENTS
//!
//! SEGMENTS has a line a segment, `SECONDS<tab>TEXT`; an empty TEXT is the table with no card.

use std::io::{BufRead, BufWriter, Write};
use std::process::ExitCode;

#[path = "../tests/support/frames.rs"]
mod frames;

use frames::{Distortion, card_frame};

fn main() -> ExitCode {
    match run() {
        Ok(frames) => {
            eprintln!("{frames} frames written");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("card_video: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<usize, Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [out, width, height, fps] = args.as_slice() else {
        return Err("usage: card_video OUT.y4m WIDTH HEIGHT FPS < SEGMENTS".into());
    };
    let (width, height, fps): (u32, u32, u32) = (width.parse()?, height.parse()?, fps.parse()?);
    if width % 2 != 0 || height % 2 != 0 || fps == 0 {
        return Err("the width and height must be even, the frame rate above 0".into());
    }
    let mut video = BufWriter::new(std::fs::File::create(out)?);
    writeln!(video, "YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg")?;
    // Neutral chroma: a grey picture.
    let chroma = vec![128u8; (width as usize / 2) * (height as usize / 2) * 2];
    let mut written = 0;
    for (i, line) in std::io::stdin().lock().lines().enumerate() {
        let line = line?;
        let (seconds, text) = line.split_once('\t').unwrap_or((line.as_str(), ""));
        let seconds: f32 = seconds.trim().parse().map_err(|e| format!("line {}: {e}", i + 1))?;
        let luma = if text.is_empty() { table(width, height) } else { code(text, width, height, i as u64)? };
        let count = (seconds * fps as f32).round() as usize;
        for _ in 0..count {
            video.write_all(b"FRAME\n")?;
            video.write_all(&luma)?;
            video.write_all(&chroma)?;
        }
        written += count;
    }
    video.flush()?;
    Ok(written)
}

/// The card's QR code about 60 % of the frame's height, turned a few degrees each its own way.
fn code(text: &str, width: u32, height: u32, seed: u64) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    let svg = kaiku::codes::qr_svg(text)?;
    let turn = [-6.0, -3.0, 2.0, 5.0][seed as usize % 4];
    let d = Distortion { rotate: turn, noise: 2.0, ..Distortion::default() };
    Ok(card_frame(&svg, height as f32 * 0.6, width, height, &d, seed).luma)
}

/// The table with no card: the frame's background and sensor noise.
fn table(width: u32, height: u32) -> Vec<u8> {
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut luma = Vec::with_capacity((width * height) as usize);
    for y in 0..height {
        for x in 0..width {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let base = 70.0 + 40.0 * (x as f32 / width as f32) + 20.0 * (y as f32 / height as f32);
            luma.push((base + (seed % 9) as f32 - 4.0) as u8);
        }
    }
    luma
}
