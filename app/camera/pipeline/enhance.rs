//! Copies of a frame for the decoders' later tries: halved (2x2 average), the middle, smoothed
//! (3x3 average), smoothed along upright bars, sharpened across them, transposed,
//! contrast-stretched. Plain integer arithmetic, a pass or two over the pixels, no panics on
//! any frame size.

use crate::camera::Frame;

/// The frame at half width and height, each pixel the average of a 2x2 block: a quarter of
/// the work for the decoders and half the sensor noise. `None` for frames under 2x2.
pub fn halve(frame: &Frame) -> Option<Frame> {
    let (w, h) = (frame.width() / 2, frame.height() / 2);
    let stride = usize::try_from(frame.width()).ok()?;
    let mut out = Vec::with_capacity(usize::try_from(u64::from(w) * u64::from(h)).ok()?);
    for pair in frame.luma().chunks_exact(stride * 2).take(usize::try_from(h).ok()?) {
        let (top, bottom) = pair.split_at(stride);
        for (t, b) in top.chunks_exact(2).zip(bottom.chunks_exact(2)) {
            let sum = u16::from(t[0]) + u16::from(t[1]) + u16::from(b[0]) + u16::from(b[1]);
            out.push(((sum + 2) / 4) as u8);
        }
    }
    Frame::new(out, w, h).ok()
}

/// The middle of the frame, half its width and height, at full resolution.
pub fn centre(frame: &Frame) -> Option<Frame> {
    let (w, h) = (usize::try_from(frame.width()).ok()?, usize::try_from(frame.height()).ok()?);
    let (x0, y0, cw, ch) = (w / 4, h / 4, w / 2, h / 2);
    let rows = frame.luma().chunks_exact(w).skip(y0).take(ch);
    let out = rows.flat_map(|row| &row[x0..x0 + cw]).copied().collect();
    Frame::new(out, u32::try_from(cw).ok()?, u32::try_from(ch).ok()?).ok()
}

/// Each pixel the average of its 3x3 neighbourhood (edges repeated): noise down by three.
pub fn smooth(frame: &Frame) -> Option<Frame> {
    let (w, h) = (usize::try_from(frame.width()).ok()?, usize::try_from(frame.height()).ok()?);
    let rows: Vec<u16> = frame
        .luma()
        .chunks_exact(w)
        .flat_map(|row| {
            (0..w).map(move |x| {
                u16::from(row[x.saturating_sub(1)]) + u16::from(row[x]) + u16::from(row[(x + 1).min(w - 1)])
            })
        })
        .collect();
    let mut out = Vec::with_capacity(w * h);
    for y in 0..h {
        let (above, here, below) = (y.saturating_sub(1) * w, y * w, (y + 1).min(h - 1) * w);
        out.extend((0..w).map(|x| ((rows[above + x] + rows[here + x] + rows[below + x] + 4) / 9) as u8));
    }
    Frame::new(out, frame.width(), frame.height()).ok()
}

/// Each pixel the average of `2 * reach + 1` pixels above and below it (edges repeated): the
/// bars of an upright barcode keep their edges while the noise along them averages out.
pub fn smooth_columns(frame: &Frame, reach: usize) -> Option<Frame> {
    let (w, h) = (usize::try_from(frame.width()).ok()?, usize::try_from(frame.height()).ok()?);
    let luma = frame.luma();
    let row = |y: usize| &luma[y.min(h - 1) * w..][..w];
    let span = u32::try_from(2 * reach + 1).ok()?;
    // Running column sums over rows y - reach ..= y + reach.
    let mut sums = vec![0u32; w];
    for k in 0..=2 * reach {
        for (s, &p) in sums.iter_mut().zip(row(k.saturating_sub(reach))) {
            *s += u32::from(p);
        }
    }
    let mut out = Vec::with_capacity(w * h);
    for y in 0..h {
        out.extend(sums.iter().map(|&s| ((s + span / 2) / span) as u8));
        let (enter, leave) = (row(y + reach + 1), row(y.saturating_sub(reach)));
        for ((s, &e), &l) in sums.iter_mut().zip(enter).zip(leave) {
            *s = *s + u32::from(e) - u32::from(l);
        }
    }
    Frame::new(out, frame.width(), frame.height()).ok()
}

/// Each pixel pushed away from the average of the `2 * reach + 1` pixels around it in its row,
/// by `gain` times the difference (clamped): blurred bars get their edges back.
pub fn sharpen_rows(frame: &Frame, reach: usize, gain: i32) -> Option<Frame> {
    let w = usize::try_from(frame.width()).ok()?;
    let span = i32::try_from(2 * reach + 1).ok()?;
    let mut out = Vec::with_capacity(frame.luma().len());
    for row in frame.luma().chunks_exact(w) {
        let at = |x: usize| i32::from(row[x.min(w - 1)]);
        // Running sum over x - reach ..= x + reach.
        let mut sum: i32 = (0..=2 * reach).map(|k| at(k.saturating_sub(reach))).sum();
        for x in 0..w {
            let p = at(x);
            out.push((p + gain * (p - (sum + span / 2) / span)).clamp(0, 255) as u8);
            sum += at(x + reach + 1) - at(x.saturating_sub(reach));
        }
    }
    Frame::new(out, frame.width(), frame.height()).ok()
}

/// The frame mirrored across its diagonal: rows become columns, so a barcode standing upright
/// lies down for the row readers (which also read each row backwards, so the mirror is harmless).
pub fn transpose(frame: &Frame) -> Option<Frame> {
    let (w, h) = (usize::try_from(frame.width()).ok()?, usize::try_from(frame.height()).ok()?);
    let luma = frame.luma();
    let out = (0..w).flat_map(|x| (0..h).map(move |y| luma[y * w + x])).collect();
    Frame::new(out, frame.height(), frame.width()).ok()
}

/// The frame with its 1st..99th percentile brightness stretched to full range; `None` when
/// the frame already uses most of the range (a retry would read nothing new).
pub fn stretch_contrast(luma: &[u8]) -> Option<Vec<u8>> {
    let mut histogram = [0usize; 256];
    for &p in luma {
        histogram[usize::from(p)] += 1;
    }
    let cut = luma.len() / 100;
    let percentile = |from_top: bool| {
        let mut seen = 0;
        let mut levels: Box<dyn Iterator<Item = usize>> =
            if from_top { Box::new((0..256).rev()) } else { Box::new(0..256) };
        levels.find(|&v| {
            seen += histogram[v];
            seen > cut
        })
    };
    let (lo, hi) = (percentile(false)?, percentile(true)?);
    if hi <= lo || hi - lo > 160 {
        return None;
    }
    let table: Vec<u8> = (0..256usize)
        .map(|v| (v.clamp(lo, hi) - lo).saturating_mul(255).checked_div(hi - lo).unwrap_or(0) as u8)
        .collect();
    Some(luma.iter().map(|&p| table[usize::from(p)]).collect())
}

/// `frame` contrast-stretched, or as it is when it already spans the range.
pub fn stretched(frame: Frame) -> Frame {
    stretch_contrast(frame.luma())
        .and_then(|luma| Frame::new(luma, frame.width(), frame.height()).ok())
        .unwrap_or(frame)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(luma: Vec<u8>, w: u32, h: u32) -> Frame {
        Frame::new(luma, w, h).expect("frame")
    }

    #[test]
    fn halving_averages_blocks_and_drops_an_odd_edge() {
        let f = frame(vec![0, 4, 9, 10, 20, 30, 1, 1, 1], 3, 3);
        let half = halve(&f).expect("halves");
        assert_eq!((half.width(), half.height(), half.luma()), (1, 1, &[9u8][..]));
        assert_eq!(halve(&frame(vec![1, 2], 2, 1)), None);
        assert_eq!(halve(&frame(vec![7], 1, 1)), None);
    }

    #[test]
    fn the_centre_is_the_middle_half() {
        let f = frame((0..32).collect(), 8, 4);
        let c = centre(&f).expect("crops");
        assert_eq!((c.width(), c.height(), c.luma()), (4, 2, &[10u8, 11, 12, 13, 18, 19, 20, 21][..]));
        assert_eq!(centre(&frame(vec![1, 2, 3], 3, 1)), None);
    }

    #[test]
    fn smoothing_keeps_flat_frames_and_odd_sizes() {
        for (w, h) in [(1, 1), (1, 5), (5, 1), (4, 3)] {
            let flat = frame(vec![90; (w * h) as usize], w, h);
            assert_eq!(smooth(&flat).as_ref(), Some(&flat));
            assert_eq!(smooth_columns(&flat, 3).as_ref(), Some(&flat));
        }
        // A single bright pixel spreads over its neighbours.
        let mut dot = vec![0; 9];
        dot[4] = 90;
        assert_eq!(smooth(&frame(dot.clone(), 3, 3)).expect("smooths").luma(), &[10; 9]);
        assert_eq!(smooth_columns(&frame(dot, 3, 3), 1).expect("smooths").luma(), &[0, 30, 0, 0, 30, 0, 0, 30, 0]);
    }

    #[test]
    fn smoothing_columns_keeps_vertical_edges() {
        let bars: Vec<u8> = (0..6 * 8).map(|i| if (i % 6) < 3 { 0 } else { 255 }).collect();
        let f = frame(bars, 6, 8);
        assert_eq!(smooth_columns(&f, 3).as_ref(), Some(&f));
    }

    #[test]
    fn sharpening_rows_steepens_edges_and_keeps_flat_rows() {
        let flat = frame(vec![77; 12], 4, 3);
        assert_eq!(sharpen_rows(&flat, 3, 2).as_ref(), Some(&flat));
        // A soft step 50 -> 150 gets darker before it and brighter after it.
        let step = frame(vec![50, 50, 50, 75, 100, 125, 150, 150, 150], 9, 1);
        let sharp = sharpen_rows(&step, 1, 2).expect("sharpens");
        assert_eq!(sharp.luma(), &[50, 50, 34, 75, 100, 125, 166, 150, 150]);
        assert_eq!(sharpen_rows(&frame(vec![0, 255, 0], 3, 1), 1, 4).expect("sharpens").luma(), &[0, 255, 0]);
    }

    #[test]
    fn transposing_swaps_rows_and_columns() {
        let t = transpose(&frame(vec![1, 2, 3, 4, 5, 6], 3, 2)).expect("transposes");
        assert_eq!((t.width(), t.height(), t.luma()), (2, 3, &[1u8, 4, 2, 5, 3, 6][..]));
    }

    #[test]
    fn low_contrast_is_stretched_and_full_contrast_is_left_alone() {
        let dull: Vec<u8> = (0..1000).map(|i| 100 + (i % 50) as u8).collect();
        let stretched_dull = stretch_contrast(&dull).expect("stretches");
        assert_eq!((stretched_dull.iter().min(), stretched_dull.iter().max()), (Some(&0), Some(&255)));
        let full: Vec<u8> = (0..1000).map(|i| (i % 256) as u8).collect();
        assert_eq!(stretch_contrast(&full), None);
        let f = frame(full, 100, 10);
        assert_eq!(stretched(f.clone()), f);
    }
}
