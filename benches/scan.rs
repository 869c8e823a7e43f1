//! Benchmark (not a test): camera frame -> verdict at 640x480 and 1280x720 on generated card
//! frames, share read and median / p99 ms, side by side with zxing-cpp (Python) on the same
//! frames; then the device's figures (scan -> durably recorded, a 1,000,000-card register copy).
//! Run: `cargo bench -p kaiku --bench scan`.

#[path = "../tests/support/frames.rs"]
mod frames;

#[path = "support/device.rs"]
mod device;

use std::collections::HashMap;
use std::process::Command;
use std::time::Instant;

use chrono::{NaiveDate, TimeDelta, TimeZone, Utc};
use frames::{Distortion, card_frame};
use kaiku::camera::{Frame, scan_frame};
use kaiku::codes::{code39_svg, qr_svg};
use kaiku::decode::decode_luma;
use kaiku_core::verdict::{Moment, RegisterEntry, RegisterStatus, decide};
use kaiku_core::{CardId, CardKind, Credential, DeviceKnowledge, IssuerKey, KaikuId, KeyId, KeySet, OfferKind};

const REPEATS: usize = 3;

fn levels() -> Vec<(&'static str, Distortion)> {
    let d = Distortion::default();
    vec![
        ("clean", d),
        ("blur 1", Distortion { blur: 1.0, ..d }),
        ("blur 2", Distortion { blur: 2.0, ..d }),
        ("blur 3", Distortion { blur: 3.0, ..d }),
        ("noise 10", Distortion { noise: 10.0, ..d }),
        ("noise 25", Distortion { noise: 25.0, ..d }),
        ("noise 45", Distortion { noise: 45.0, ..d }),
        ("rotate 15", Distortion { rotate: 15.0, ..d }),
        ("rotate 45", Distortion { rotate: 45.0, ..d }),
        ("rotate 170", Distortion { rotate: 170.0, ..d }),
        ("tilt 0.3", Distortion { tilt: 0.3, ..d }),
        ("tilt 0.45", Distortion { tilt: 0.45, ..d }),
        ("contrast 0.2", Distortion { contrast: 0.2, ..d }),
        ("contrast 0.1", Distortion { contrast: 0.1, ..d }),
        ("glare 160", Distortion { glare: 160.0, ..d }),
        ("glare 240", Distortion { glare: 240.0, ..d }),
        ("all mild", Distortion { blur: 1.0, noise: 6.0, rotate: 10.0, tilt: 0.1, contrast: 0.6, glare: 50.0 }),
        ("all medium", Distortion { blur: 1.5, noise: 10.0, rotate: 20.0, tilt: 0.2, contrast: 0.4, glare: 90.0 }),
        ("all hard", Distortion { blur: 2.0, noise: 15.0, rotate: 30.0, tilt: 0.3, contrast: 0.3, glare: 120.0 }),
        ("dim blurry", Distortion { blur: 2.5, noise: 8.0, contrast: 0.15, ..d }),
    ]
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let key = IssuerKey::from_seed(KeyId(1), [7; 32]);
    let until = NaiveDate::from_ymd_opt(2027, 6, 30).ok_or("date")?;
    let mut codes = Vec::new(); // (svg, expected text, is QR)
    for serial in [10_001, 20_002] {
        let card = KaikuId::new('A', serial)?;
        let text = Credential {
            key_id: key.id(),
            card,
            kind: CardKind::Personal,
            valid_until: until,
            minors_on_record: 1,
            issued: None,
        }
        .issue(&key)?;
        codes.push((qr_svg(&text)?, text, true));
        codes.push((code39_svg(&card.to_string())?, card.to_string(), false));
    }
    let register: HashMap<CardId, RegisterEntry> = [10_001, 20_002]
        .into_iter()
        .filter_map(|s| KaikuId::new('A', s).ok().map(CardId::from))
        .map(|c| {
            (
                c,
                RegisterEntry {
                    kind: CardKind::Personal,
                    valid_until: until,
                    minors_on_record: 1,
                    status: RegisterStatus::Active,
                },
            )
        })
        .collect();
    let keys = KeySet::new([key.public()]);
    let at = Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).single().ok_or("time")?;
    let now = Moment { at, today: at.date_naive() };
    let known = DeviceKnowledge {
        keys: &keys,
        register: &register,
        register_as_of: Some(at - TimeDelta::hours(3)),
        stale_after: TimeDelta::days(2),
    };

    let dir = tempfile::tempdir()?;
    println!(
        "scan benchmark: {} codes x {} distortion levels per size, best of {REPEATS} runs per frame",
        codes.len(),
        levels().len()
    );
    println!("{:<9} {:<26} {:>9} {:>9} {:>9}", "size", "reader", "read", "median ms", "p99 ms");
    for (w, h, qr_px, bar_px) in [(640u32, 480u32, 300.0f32, 520.0f32), (1280, 720, 420.0, 900.0)] {
        let mut frames = Vec::new(); // (frame, expected, "level code", file)
        for (li, (level, d)) in levels().into_iter().enumerate() {
            for (ci, (svg, text, is_qr)) in codes.iter().enumerate() {
                let label = format!("{level} {}", if *is_qr { "QR" } else { "Code39" });
                let img = card_frame(svg, if *is_qr { qr_px } else { bar_px }, w, h, &d, (li * 10 + ci) as u64);
                let path = dir.path().join(format!("{w}x{h}-{li:02}-{ci}.pgm"));
                let mut pgm = format!("P5\n{w} {h}\n255\n").into_bytes();
                pgm.extend_from_slice(&img.luma);
                std::fs::write(&path, pgm)?;
                frames.push((Frame::new(img.luma, w, h)?, text.clone(), label, path));
            }
        }
        // The whole pipeline: frame -> scan (every try of `scan_frame`) -> verdict.
        let (mut times, mut read, mut by_reader, mut missed) = (Vec::new(), 0, HashMap::new(), Vec::new());
        for (frame, text, level, _) in &frames {
            let mut best = f64::MAX;
            let mut ok = false;
            for _ in 0..REPEATS {
                let t = Instant::now();
                let scan = scan_frame(frame);
                let verdict = scan.as_ref().map(|s| decide(&s.input, &known, now, OfferKind::Ticket));
                best = best.min(t.elapsed().as_secs_f64() * 1000.0);
                ok = scan.as_ref().is_some_and(|s| &s.text == text) && verdict.is_some_and(|v| v.card().is_some());
                if let Some(s) = &scan {
                    *by_reader.entry(format!("{:?}", s.reader)).or_insert(0) += usize::from(ok);
                }
            }
            read += usize::from(ok);
            if !ok {
                missed.push(level.as_str());
            }
            times.push(best);
        }
        times.sort_by(f64::total_cmp);
        let n = frames.len();
        let size = format!("{w}x{h}");
        println!(
            "{size:<9} {:<26} {:>4}/{:<4} {:>9.2} {:>9.2}",
            "kaiku pipeline -> verdict",
            read,
            n,
            percentile(&times, 0.5),
            percentile(&times, 0.99)
        );
        // rxing alone, for comparison.
        let mut rx_times = Vec::new();
        let mut rx_read = 0;
        for (frame, text, _, _) in &frames {
            let t = Instant::now();
            let d = decode_luma(frame.luma(), w, h);
            rx_times.push(t.elapsed().as_secs_f64() * 1000.0);
            rx_read += usize::from(d.is_some_and(|d| &d.text == text));
        }
        rx_times.sort_by(f64::total_cmp);
        println!(
            "{size:<9} {:<26} {:>4}/{:<4} {:>9.2} {:>9.2}",
            "rxing alone (decode)",
            rx_read,
            n,
            percentile(&rx_times, 0.5),
            percentile(&rx_times, 0.99)
        );
        // zxing-cpp on the same files.
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/zxing_scan.py");
        match Command::new("python3").arg(script).args(frames.iter().map(|f| &f.3)).output() {
            Ok(out) if out.status.success() => {
                let stdout = String::from_utf8_lossy(&out.stdout);
                let expected: HashMap<_, _> =
                    frames.iter().map(|f| (f.3.display().to_string(), (&f.1, f.2.as_str()))).collect();
                let (mut z_times, mut z_read, mut z_missed) = (Vec::new(), 0, Vec::new());
                for line in stdout.lines() {
                    let mut parts = line.splitn(3, '\t');
                    let (Some(file), Some(ms), text) = (parts.next(), parts.next(), parts.next().unwrap_or("")) else {
                        continue;
                    };
                    z_times.push(ms.parse::<f64>().unwrap_or(f64::NAN));
                    let (want, level) = expected.get(file).copied().ok_or("unknown file")?;
                    if text == want.as_str() {
                        z_read += 1;
                    } else {
                        z_missed.push(level);
                    }
                }
                z_times.sort_by(f64::total_cmp);
                println!(
                    "{size:<9} {:<26} {:>4}/{:<4} {:>9.2} {:>9.2}",
                    "zxing-cpp (decode)",
                    z_read,
                    n,
                    percentile(&z_times, 0.5),
                    percentile(&z_times, 0.99)
                );
                println!("          zxing-cpp missed: {z_missed:?}");
            }
            Ok(out) => println!(
                "{size:<9} zxing-cpp failed: {}",
                String::from_utf8_lossy(&out.stderr).lines().last().unwrap_or("")
            ),
            Err(e) => println!("{size:<9} zxing-cpp not run: {e}"),
        }
        println!("          kaiku read by: {by_reader:?} (counted over {REPEATS} runs)");
        println!("          kaiku missed: {missed:?}");
    }
    println!();
    device::run()?;
    Ok(())
}
