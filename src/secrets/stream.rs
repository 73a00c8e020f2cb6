//! Scanning a text as it arrives: [`StreamScanner`] cuts it into overlapping windows of a few
//! MiB, [`FileScanner`] sniffs a file's first bytes and streams text files through one, so a
//! secret anywhere in a 1 GB log is found in bounded memory, at the line and column a whole-text
//! [`scan`](super::scan) would report.

use super::engine::{scan_raw, LineCursor};
use super::rules::MAX_PEM_BLOCK;
use super::Finding;

/// Bytes a [`StreamScanner`] collects before it scans them.
const WINDOW_BYTES: usize = 4 << 20;
/// Bytes at the end of one window that are scanned again at the start of the next: more than
/// any match and the PEM block after it can span, so a finding reported from one window has all
/// the text it needs in that window.
const OVERLAP_BYTES: usize = MAX_PEM_BLOCK + 4096;
/// A line longer than this is scanned in pieces that overlap by [`OVERLAP_BYTES`].
const LONG_LINE_BYTES: usize = 64 << 20;

/// Scans a text that arrives in pieces (a file read block by block) in bounded memory, and finds
/// what [`scan`](super::scan) finds in the whole text, at the same lines and columns.
///
/// The text is scanned in windows of about 4 MiB (`WINDOW_BYTES`) that end at a line break; each
/// window's last `OVERLAP_BYTES` (from a line start) open the next one, and a window reports
/// only the findings that start before that overlap. Invalid UTF-8 is read as
/// `String::from_utf8_lossy` reads it. Lines longer than 64 MiB (`LONG_LINE_BYTES`, never seen in
/// real evidence) are cut inside the line: a match that starts within a few bytes of such a cut
/// may be judged without the text before it.
#[derive(Debug)]
pub struct StreamScanner {
    /// Bytes not yet reported on: the overlap of the previous window, then new input.
    pending: Vec<u8>,
    /// 1-based line and column (in chars) of `pending[0]` in the whole text.
    line: usize,
    col: usize,
    /// Scan once `pending` holds this many bytes.
    threshold: usize,
    /// [`WINDOW_BYTES`] and [`LONG_LINE_BYTES`] (smaller in tests).
    window: usize,
    long_line: usize,
    findings: Vec<Finding>,
}

impl Default for StreamScanner {
    fn default() -> Self {
        StreamScanner {
            pending: Vec::new(),
            line: 1,
            col: 1,
            threshold: WINDOW_BYTES,
            window: WINDOW_BYTES,
            long_line: LONG_LINE_BYTES,
            findings: Vec::new(),
        }
    }
}

impl StreamScanner {
    /// A scanner at the start of a text.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes the next piece of the text.
    pub fn feed(&mut self, bytes: &[u8]) {
        self.pending.extend_from_slice(bytes);
        if self.pending.len() >= self.threshold {
            self.step(false);
        }
    }

    /// Ends the text; returns every finding in order of position.
    pub fn finish(mut self) -> Vec<Finding> {
        self.step(true);
        self.findings
    }

    /// Scans a window of `pending` and keeps its overlap; `last` scans and reports everything.
    fn step(&mut self, last: bool) {
        let end = if last {
            self.pending.len()
        } else if let Some(i) = self.pending.iter().rposition(|&b| b == b'\n') {
            i + 1
        } else if self.pending.len() >= self.long_line {
            last_char_start(&self.pending)
        } else {
            return self.wait();
        };
        // Valid UTF-8 (every export, which the source reader checks) is checked by the faster
        // `from_utf8`; anything else is read as `from_utf8_lossy` reads it.
        let bytes = &self.pending[..end];
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => std::borrow::Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(bytes),
        };
        // Where the next window starts: the start of the line that holds the overlap's first
        // byte (inside a line only when that line is too long to wait for).
        let keep = if last {
            text.len()
        } else {
            let cut = floor_char_boundary(&text, text.len().saturating_sub(OVERLAP_BYTES));
            match text[..cut].rfind('\n') {
                Some(i) => i + 1,
                None if cut > 0 && text.len() >= self.long_line => cut,
                None => return self.wait(),
            }
        };
        let mut cursor = LineCursor::new(&text);
        for r in scan_raw(&text) {
            if r.start >= keep {
                break;
            }
            let (line, col) = cursor.position(r.start);
            let (line, col) = self.place(line, col);
            self.findings.push(r.finding(line, col));
        }
        let (line, col) = cursor.position(keep);
        (self.line, self.col) = self.place(line, col);
        match text {
            // The window's text is `pending`'s own bytes: the rest moves to the front, and the
            // buffer (a window's worth, its pages already touched) serves the next window.
            std::borrow::Cow::Borrowed(_) => {
                self.pending.drain(..keep);
            }
            std::borrow::Cow::Owned(text) => {
                let mut rest = Vec::with_capacity(text.len() - keep + self.pending.len() - end);
                rest.extend_from_slice(&text.as_bytes()[keep..]);
                rest.extend_from_slice(&self.pending[end..]);
                self.pending = rest;
            }
        }
        self.threshold = self.pending.len() + self.window;
    }

    /// No window can end yet (one line fills `pending`): scan again when it has doubled.
    fn wait(&mut self) {
        self.threshold = self.pending.len().saturating_mul(2).max(self.window);
    }

    /// A (line, column) inside the current window, as a position in the whole text.
    fn place(&self, line: usize, col: usize) -> (usize, usize) {
        if line == 1 {
            (self.line, self.col + col - 1)
        } else {
            (self.line + line - 1, col)
        }
    }
}

/// Where the last character of `bytes` starts (it may be incomplete: more bytes are to come).
fn last_char_start(bytes: &[u8]) -> usize {
    let mut i = bytes.len().saturating_sub(1);
    while i > 0 && bytes[i] & 0xc0 == 0x80 {
        i -= 1;
    }
    i
}

/// Extensions of files that are never text: a [`FileScanner`] skips them unread.
const BINARY_EXTENSIONS: [&str; 16] = [
    "png", "jpg", "jpeg", "gif", "webp", "pdf", "zip", "gz", "tgz", "bz2", "xz", "zst", "7z",
    "docx", "xlsx", "pptx",
];

/// Bytes a [`FileScanner`] looks at before it decides whether a file is text.
const SNIFF_BYTES: usize = 8 * 1024 + 1;

/// Scans a file for secrets as it is read (by a copy, a hash, or just to scan it), so the guard
/// never needs a read of its own: binary files (by extension, or by [`looks_like_text`] on their
/// first bytes) are passed over, text files go through a [`StreamScanner`].
#[derive(Debug)]
pub struct FileScanner {
    state: FileState,
}

#[derive(Debug)]
enum FileState {
    /// Collecting the first bytes.
    Sniffing(Vec<u8>),
    Text(StreamScanner),
    Binary,
}

impl FileScanner {
    /// A scanner for the file at `path` (only its extension is looked at).
    pub fn for_path(path: &std::path::Path) -> Self {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let state = if BINARY_EXTENSIONS.contains(&ext.as_str()) {
            FileState::Binary
        } else {
            FileState::Sniffing(Vec::new())
        };
        FileScanner { state }
    }

    /// Whether the scanner still wants the file's bytes (a binary file's are not needed).
    pub fn wants_bytes(&self) -> bool {
        !matches!(self.state, FileState::Binary)
    }

    /// Takes the next bytes of the file.
    pub fn feed(&mut self, bytes: &[u8]) {
        match &mut self.state {
            FileState::Sniffing(head) => {
                head.extend_from_slice(bytes);
                if head.len() >= SNIFF_BYTES {
                    self.decide();
                }
            }
            FileState::Text(scanner) => scanner.feed(bytes),
            FileState::Binary => {}
        }
    }

    /// Ends the file; returns its findings (none for a binary file).
    pub fn finish(mut self) -> Vec<Finding> {
        self.decide();
        match self.state {
            FileState::Text(scanner) => scanner.finish(),
            FileState::Sniffing(_) | FileState::Binary => Vec::new(),
        }
    }

    /// Text or binary, from the bytes collected so far.
    fn decide(&mut self) {
        if let FileState::Sniffing(head) = &mut self.state {
            let head = std::mem::take(head);
            self.state = if looks_like_text(&head) {
                let mut scanner = StreamScanner::new();
                scanner.feed(&head);
                FileState::Text(scanner)
            } else {
                FileState::Binary
            };
        }
    }
}

/// Scans the file at `path` for secrets, reading it block by block.
pub fn scan_file(path: &std::path::Path) -> std::io::Result<Vec<Finding>> {
    use std::io::Read;
    let mut scanner = FileScanner::for_path(path);
    if !scanner.wants_bytes() {
        return Ok(Vec::new());
    }
    let mut file = std::fs::File::open(path)?;
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => scanner.feed(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
        if !scanner.wants_bytes() {
            break;
        }
    }
    Ok(scanner.finish())
}

/// The largest char boundary of `s` at most `i`.
fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Heuristic: is this attachment content text worth scanning? (valid UTF-8 or mostly printable, no
/// NUL in the first 8 KiB)
///
/// Only the first 8 KiB are inspected; a multi-byte character cut by that limit does not count
/// against the content. Text that is not UTF-8 (e.g. Latin-1) should be scanned through
/// `String::from_utf8_lossy`. Empty content counts as text.
pub fn looks_like_text(bytes: &[u8]) -> bool {
    const SAMPLE: usize = 8 * 1024;
    let sample = &bytes[..bytes.len().min(SAMPLE)];
    if sample.contains(&0) {
        return false;
    }
    match std::str::from_utf8(sample) {
        Ok(_) => return true,
        // Invalid only because the sample ends inside a character: still UTF-8 text.
        Err(e) if e.error_len().is_none() && bytes.len() > SAMPLE => return true,
        Err(_) => {}
    }
    let printable = sample
        .iter()
        .filter(|&&b| matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x20..=0x7e))
        .count();
    printable * 10 >= sample.len() * 9
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::samples::*;
    use crate::secrets::{rules, scan};

    /// A scanner with small windows, so that tests cross many window edges.
    fn small_scanner(window: usize, long_line: usize) -> StreamScanner {
        StreamScanner {
            threshold: window,
            window,
            long_line,
            ..StreamScanner::default()
        }
    }

    /// Every sample, many times over, among filler lines with multi-byte characters and invalid
    /// UTF-8, with PEM blocks bound to straddle window edges.
    fn long_text_with_samples() -> Vec<u8> {
        let samples = samples();
        let (_, pem_before, pem, pem_after) = samples
            .iter()
            .find(|(id, ..)| *id == "private-key")
            .expect("a PEM sample");
        let pem = format!("{pem_before}{pem}{pem_after}\n");
        let mut text = Vec::new();
        for round in 0..6 {
            for (i, (_, before, secret, after)) in samples.iter().enumerate() {
                // PEM blocks make up most of the text, so window edges fall inside them.
                text.extend_from_slice(pem.repeat(i % 7).as_bytes());
                for k in 0..(round * 37 + i * 11) % 300 {
                    text.extend_from_slice(
                        format!("Zeile {k}: Überprüfung der Zugänge, ticket SEC-{round}{i}\n")
                            .as_bytes(),
                    );
                }
                if i % 5 == 0 {
                    text.extend_from_slice(b"caf\xe9 cr\xe8me \xff\n");
                }
                text.extend_from_slice(format!("€ {before}{secret}{after}\n").as_bytes());
            }
        }
        text
    }

    #[test]
    fn streaming_finds_what_scan_finds_across_window_edges() {
        let text = long_text_with_samples();
        let whole = scan(&String::from_utf8_lossy(&text));
        assert!(whole.len() >= 6 * rules().len(), "{}", whole.len());
        for (window, piece) in [
            (100_000, 1),
            (100_000, 4093),
            (150_000, 65_536),
            (WINDOW_BYTES, 1 << 20),
        ] {
            let mut scanner = small_scanner(window, LONG_LINE_BYTES);
            for chunk in text.chunks(piece) {
                scanner.feed(chunk);
            }
            assert_eq!(
                scanner.finish(),
                whole,
                "window {window}, pieces of {piece}"
            );
        }
    }

    #[test]
    fn streaming_scans_a_line_longer_than_the_window_and_one_too_long_to_wait_for() {
        // Samples on one line, far apart (minified JSON, a one-line export).
        let mut line = String::new();
        for (_, before, secret, after) in samples() {
            if before.contains('\n') || after.contains('\n') {
                continue;
            }
            line.push_str(&"{\"note\":\"nothing here\"},".repeat(1500));
            line.push_str(&format!(" {before}{secret}{after} "));
        }
        let text = format!("first line\n{line}\nlast line\n");
        let whole = scan(&text);
        assert!(whole.len() >= rules().len() - 1);
        for long_line in [LONG_LINE_BYTES, 300_000] {
            let mut scanner = small_scanner(100_000, long_line);
            for chunk in text.as_bytes().chunks(8192) {
                scanner.feed(chunk);
            }
            assert_eq!(scanner.finish(), whole, "long lines cut at {long_line}");
        }
    }

    /// A secret far into a large text attachment is found (the guard once read only the first
    /// 16 MiB); binary files are passed over unread.
    #[test]
    fn scan_file_reads_text_files_to_the_end_and_skips_binary_ones() {
        let dir = tempfile::tempdir().unwrap();
        let (_, before, secret, after) = samples()
            .into_iter()
            .find(|(id, ..)| *id == "github-pat")
            .expect("a GitHub sample");
        let filler = "2026-03-01T10:00:00Z deploy ok; nothing to see here\n".repeat(450_000);
        let lines = filler.lines().count();
        let text = format!("{filler}é {before}{secret}{after}\n");
        assert!(text.len() > 20 << 20);
        let log = dir.path().join("deploy.log");
        std::fs::write(&log, &text).unwrap();
        let findings = scan_file(&log).unwrap();
        assert_eq!(ids(&findings), ["github-pat"]);
        assert_eq!(
            (findings[0].line, findings[0].col),
            (lines + 1, 3 + before.chars().count())
        );

        let png = dir.path().join("screenshot.PNG");
        std::fs::write(&png, &text).unwrap();
        assert_eq!(scan_file(&png).unwrap(), Vec::new());
        let mut binary = vec![0u8; 16];
        binary.extend_from_slice(text.as_bytes());
        let bin = dir.path().join("dump.dat");
        std::fs::write(&bin, &binary).unwrap();
        assert_eq!(scan_file(&bin).unwrap(), Vec::new());
    }

    #[test]
    fn text_detection() {
        assert!(looks_like_text(b""));
        assert!(looks_like_text(
            "Zugangsdaten: keine im Klartext.\n".as_bytes()
        ));
        assert!(!looks_like_text(b"PK\x03\x04\x14\x00\x00\x00"));
        // Latin-1 text: not UTF-8 but mostly printable.
        assert!(looks_like_text(
            b"Caf\xe9 and cr\xe8me: access review notes.\n"
        ));
        // Binary without NUL: mostly unprintable.
        let binary: Vec<u8> = (1..=255u8).cycle().take(4096).map(|b| b | 0x80).collect();
        assert!(!looks_like_text(&binary));
        // A multi-byte char cut by the 8 KiB sample limit is still text.
        let mut long = "a".repeat(8 * 1024 - 1).into_bytes();
        long.extend_from_slice("é and more".as_bytes());
        assert!(looks_like_text(&long));
        // NUL after the first 8 KiB is not inspected.
        let mut late_nul = vec![b'a'; 9000];
        late_nul.push(0);
        assert!(looks_like_text(&late_nul));
    }
}
