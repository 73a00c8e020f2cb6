//! The one read of an export. Every byte passes through a [`Tap`] exactly once on its way to a
//! parser: it is hashed (SHA-256), counted, and checked to be UTF-8, so the provenance of an
//! export comes from the same read as its items and a file in another encoding is refused at
//! the line and column of its first foreign byte instead of being misread.

use std::io::{self, Read};

use sha2::{Digest, Sha256};

use super::error::{Position, SourceError};

/// A reader that hashes, counts and validates everything read through it.
pub(crate) struct Tap<R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
    /// 1-based line of the next byte.
    line: u64,
    /// Absolute offset of the first byte of the current line.
    line_start: u64,
    /// The start of a UTF-8 sequence cut by the end of the previous read.
    pending: [u8; 4],
    pending_len: usize,
    error: Option<SourceError>,
}

/// What a finished [`Tap`] saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Digested {
    /// Lowercase hex SHA-256 of every byte.
    pub sha256: String,
    /// Number of bytes.
    pub bytes: u64,
}

impl<R: Read> Tap<R> {
    /// Wraps `inner`.
    pub(crate) fn new(inner: R) -> Tap<R> {
        Tap {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
            line: 1,
            line_start: 0,
            pending: [0; 4],
            pending_len: 0,
            error: None,
        }
    }

    /// The encoding problem that stopped the read, if any (a parser sees only an I/O error).
    pub(crate) fn take_error(&mut self) -> Option<SourceError> {
        self.error.take()
    }

    /// Turns an I/O error met by a parser into the positioned problem behind it: the encoding
    /// error this tap found, or the I/O error itself.
    pub(crate) fn explain(&mut self, err: &io::Error) -> SourceError {
        self.take_error()
            .unwrap_or_else(|| SourceError::file(format!("cannot read the export: {err}")))
    }

    /// Reads whatever the parser left (trailing whitespace) so the hash covers the whole file,
    /// then returns the hash and size.
    pub(crate) fn finish(mut self) -> Result<Digested, SourceError> {
        let mut sink = [0u8; 8192];
        loop {
            match self.read(&mut sink) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.explain(&e)),
            }
        }
        Ok(Digested {
            sha256: hex(&self.hasher.finalize()),
            bytes: self.bytes,
        })
    }

    /// The position of byte `at` of `chunk` (the chunk starts at `self.bytes`).
    fn position_in(&self, chunk: &[u8], at: usize) -> Position {
        let before = &chunk[..at];
        let newlines = memchr::memchr_iter(b'\n', before).count() as u64;
        let line_start = match memchr::memrchr(b'\n', before) {
            Some(i) => self.bytes + i as u64 + 1,
            None => self.line_start,
        };
        Position::At {
            line: self.line + newlines,
            column: self.bytes + at as u64 - line_start + 1,
        }
    }

    fn fail(&mut self, position: Position, message: String) -> io::Error {
        self.error = Some(SourceError::new(position, message));
        io::Error::new(io::ErrorKind::InvalidData, "the export is not UTF-8")
    }

    /// Checks that `chunk` continues valid UTF-8; returns the offset of the first bad byte.
    fn check_utf8(&mut self, chunk: &[u8]) -> Result<(), usize> {
        let mut start = 0;
        if self.pending_len > 0 {
            let width = utf8_width(self.pending[0]);
            let take = (width - self.pending_len).min(chunk.len());
            self.pending[self.pending_len..self.pending_len + take].copy_from_slice(&chunk[..take]);
            if self.pending_len + take < width {
                self.pending_len += take;
                return Ok(());
            }
            if std::str::from_utf8(&self.pending[..width]).is_err() {
                return Err(0);
            }
            self.pending_len = 0;
            start = take;
        }
        match std::str::from_utf8(&chunk[start..]) {
            Ok(_) => Ok(()),
            Err(e) => {
                let bad = start + e.valid_up_to();
                if e.error_len().is_some() {
                    return Err(bad);
                }
                let tail = &chunk[bad..];
                self.pending[..tail.len()].copy_from_slice(tail);
                self.pending_len = tail.len();
                Ok(())
            }
        }
    }

    fn advance(&mut self, chunk: &[u8]) {
        self.hasher.update(chunk);
        if let Some(i) = memchr::memrchr(b'\n', chunk) {
            self.line += memchr::memchr_iter(b'\n', chunk).count() as u64;
            self.line_start = self.bytes + i as u64 + 1;
        }
        self.bytes += chunk.len() as u64;
    }
}

impl<R: Read> Read for Tap<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.error.is_some() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "the export is not UTF-8",
            ));
        }
        let n = self.inner.read(buf)?;
        if n == 0 {
            if self.pending_len > 0 {
                let start = Position::At {
                    line: self.line,
                    column: self.bytes - self.pending_len as u64 - self.line_start + 1,
                };
                return Err(self.fail(
                    start,
                    "the export ends inside a UTF-8 character (truncated, or not UTF-8)".into(),
                ));
            }
            return Ok(0);
        }
        let chunk = &buf[..n];
        if self.bytes == 0 && (chunk.starts_with(b"\xff\xfe") || chunk.starts_with(b"\xfe\xff")) {
            return Err(self.fail(
                Position::At { line: 1, column: 1 },
                "the export is UTF-16 (it starts with a UTF-16 byte order mark); exports are \
                 read as UTF-8: export it again as UTF-8"
                    .into(),
            ));
        }
        if let Err(at) = self.check_utf8(chunk) {
            let position = self.position_in(chunk, at);
            let byte = chunk[at];
            return Err(self.fail(
                position,
                format!(
                    "byte 0x{byte:02X} is not UTF-8: the export is in another encoding (Latin-1 or \
                     Windows-1252?); export it again as UTF-8"
                ),
            ));
        }
        self.advance(chunk);
        Ok(n)
    }
}

/// Length of the UTF-8 sequence a lead byte starts (1 for anything that is not a lead byte).
fn utf8_width(lead: u8) -> usize {
    match lead {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        _ => 1,
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds `data` through a tap in reads of at most `step` bytes.
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    fn run(data: &[u8], step: usize) -> Result<Digested, SourceError> {
        let mut tap = Tap::new(Trickle { data, step });
        let mut out = Vec::new();
        match tap.read_to_end(&mut out) {
            Ok(_) => {
                assert_eq!(out, data);
                tap.finish()
            }
            Err(e) => Err(tap.explain(&e)),
        }
    }

    #[test]
    fn hashes_and_counts_every_byte() {
        // printf 'abc' | sha256sum
        let d = run(b"abc", 1).unwrap();
        assert_eq!(
            d.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(d.bytes, 3);
        let empty = run(b"", 7).unwrap();
        assert_eq!(
            empty.sha256,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn finish_hashes_what_the_parser_did_not_read() {
        let mut tap = Tap::new(&b"[1]\n\n  "[..]);
        let mut first = [0u8; 3];
        tap.read_exact(&mut first).unwrap();
        let d = tap.finish().unwrap();
        assert_eq!(d.bytes, 7);
    }

    #[test]
    fn utf8_split_across_reads_is_accepted() {
        let text = "Jürgen Müller → 日本 🦀\n".as_bytes();
        for step in 1..6 {
            assert!(run(text, step).is_ok(), "step {step}");
        }
    }

    #[test]
    fn latin1_is_refused_at_its_line_and_column() {
        // "Müller" in Latin-1 on the third line, the ü at byte column 3.
        let data = b"a,b\n1,2\nM\xfcller,3\n";
        for step in [1, 2, 5, 64] {
            let err = run(data, step).unwrap_err();
            assert_eq!(
                err.position,
                Position::At { line: 3, column: 2 },
                "step {step}"
            );
            assert!(err.message.contains("0xFC"), "{}", err.message);
            assert!(err.message.contains("Latin-1"), "{}", err.message);
        }
    }

    #[test]
    fn utf16_is_refused_with_a_hint() {
        let data = b"\xff\xfeu\0s\0e\0r\0";
        let err = run(data, 64).unwrap_err();
        assert_eq!(err.position, Position::At { line: 1, column: 1 });
        assert!(err.message.contains("UTF-16"), "{}", err.message);
        let be = run(b"\xfe\xff\0u", 64).unwrap_err();
        assert!(be.message.contains("UTF-16"));
    }

    #[test]
    fn a_file_cut_inside_a_character_is_refused() {
        let data = "ok é".as_bytes();
        let err = run(&data[..data.len() - 1], 2).unwrap_err();
        assert!(err.message.contains("ends inside"), "{}", err.message);
        assert_eq!(err.position, Position::At { line: 1, column: 4 });
    }

    #[test]
    fn an_invalid_continuation_after_a_cut_is_refused() {
        // A 2-byte lead byte at the end of one read, followed by a non-continuation byte.
        let err = run(b"ab\xc3(", 3).unwrap_err();
        assert!(err.message.contains("not UTF-8"), "{}", err.message);
    }

    #[test]
    fn widths_of_lead_bytes() {
        assert_eq!(utf8_width(b'a'), 1);
        assert_eq!(utf8_width(0xC3), 2);
        assert_eq!(utf8_width(0xE2), 3);
        assert_eq!(utf8_width(0xF0), 4);
        assert_eq!(utf8_width(0x80), 1);
    }
}
