//! Frame sources without a camera: frames held in memory, and binary PGM image files played in
//! order (what tests and the benchmark feed the scanner with).

use std::collections::VecDeque;
use std::path::PathBuf;

use super::{Frame, FrameError, FrameSource};

/// Plays frames held in memory, in order.
#[derive(Debug, Default)]
pub struct MemorySource {
    frames: VecDeque<Frame>,
}

impl MemorySource {
    pub fn new(frames: impl IntoIterator<Item = Frame>) -> Self {
        Self { frames: frames.into_iter().collect() }
    }
}

impl FrameSource for MemorySource {
    fn next_frame(&mut self) -> Option<Frame> {
        self.frames.pop_front()
    }
}

/// Why an image file is not a usable frame.
#[derive(Debug, thiserror::Error)]
pub enum PgmError {
    #[error("cannot read {0}: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("not a binary 8-bit PGM (P5) image")]
    NotPgm,
    #[error(transparent)]
    Frame(#[from] FrameError),
}

/// Reads a binary 8-bit PGM (`P5`) image.
pub fn parse_pgm(bytes: &[u8]) -> Result<Frame, PgmError> {
    let mut pos = 0;
    let mut fields = [0u32; 3];
    if bytes.get(..2) != Some(b"P5") {
        return Err(PgmError::NotPgm);
    }
    pos += 2;
    for field in &mut fields {
        // Whitespace and comments, then a decimal number.
        loop {
            match bytes.get(pos) {
                Some(b) if b.is_ascii_whitespace() => pos += 1,
                Some(b'#') => {
                    while bytes.get(pos).is_some_and(|b| *b != b'\n') {
                        pos += 1;
                    }
                }
                _ => break,
            }
        }
        let start = pos;
        while bytes.get(pos).is_some_and(u8::is_ascii_digit) {
            pos += 1;
        }
        let digits =
            std::str::from_utf8(bytes.get(start..pos).ok_or(PgmError::NotPgm)?).map_err(|_| PgmError::NotPgm)?;
        *field = digits.parse().map_err(|_| PgmError::NotPgm)?;
    }
    let [width, height, max] = fields;
    if max != 255 || !bytes.get(pos).is_some_and(u8::is_ascii_whitespace) {
        return Err(PgmError::NotPgm);
    }
    let pixels = bytes.get(pos + 1..).ok_or(PgmError::NotPgm)?;
    Ok(Frame::new(pixels.to_vec(), width, height)?)
}

/// Plays PGM image files in order; a file that cannot be read ends nothing, it is skipped and
/// its error kept.
#[derive(Debug, Default)]
pub struct PgmFileSource {
    paths: VecDeque<PathBuf>,
    pub errors: Vec<PgmError>,
}

impl PgmFileSource {
    pub fn new(paths: impl IntoIterator<Item = PathBuf>) -> Self {
        Self { paths: paths.into_iter().collect(), errors: Vec::new() }
    }
}

impl FrameSource for PgmFileSource {
    fn next_frame(&mut self) -> Option<Frame> {
        while let Some(path) = self.paths.pop_front() {
            match std::fs::read(&path).map_err(|e| PgmError::Io(path.clone(), e)).and_then(|b| parse_pgm(&b)) {
                Ok(frame) => return Some(frame),
                Err(e) => self.errors.push(e),
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pgm_images_become_frames() {
        let mut bytes = b"P5\n# a comment\n3 2\n255\n".to_vec();
        bytes.extend([0, 1, 2, 3, 4, 5]);
        let frame = parse_pgm(&bytes).expect("parses");
        assert_eq!((frame.width(), frame.height(), frame.luma()), (3, 2, &[0, 1, 2, 3, 4, 5][..]));
    }

    #[test]
    fn broken_pgm_images_are_errors_not_panics() {
        for bad in [&b""[..], b"P6\n1 1\n255\n\0", b"P5\n3 2\n255\n\0\0", b"P5\n3", b"P5\n99999999999 2\n255\n"] {
            assert!(parse_pgm(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn unreadable_files_are_skipped() {
        let mut source = PgmFileSource::new([PathBuf::from("/nonexistent/kaiku.pgm")]);
        assert!(source.next_frame().is_none());
        assert_eq!(source.errors.len(), 1);
    }
}
