//! A streaming CSV reader that keeps only the columns a kind needs.
//!
//! `csv::Reader` holds a whole record in memory, so one 100 MB cell (a Jira description, a log
//! pasted into a comment) costs 100 MB. This reader drives `csv_core` (the `csv` crate's own
//! parser) field by field: cells of columns nobody asked for are parsed and dropped in fixed
//! buffers, cells that are kept are capped at [`MAX_CELL`]. Memory is bounded by the kept cells
//! of one record whatever the file's size. Quoting follows RFC 4180 as `csv` does (multi-line
//! quoted cells, `""` escapes, CRLF or LF, blank lines skipped, a UTF-8 byte order mark
//! ignored). Positions are physical lines and byte columns of the file, as an editor shows them.

use std::io::{self, Read};
use std::ops::Range;

use csv_core::ReadFieldResult;

use chrono::NaiveDateTime;

use super::dates::DateFormat;
use super::error::{Position, SourceError};
use super::item::Interner;
use super::tap::Tap;

/// Longest cell kept from a column in use; longer ones are refused (they are not what the
/// column holds). Cells of columns not in use may be of any length.
pub(crate) const MAX_CELL: usize = 1 << 20;

/// Longest header name.
const MAX_HEADER: usize = 64 * 1024;

/// Most columns a header row may have (Jira "all fields" exports have a few hundred).
const MAX_COLUMNS: usize = 100_000;

const CHUNK: usize = 256 * 1024;

/// A streaming CSV reader over a [`Tap`].
pub(crate) struct CsvStream<'t, R> {
    tap: &'t mut Tap<R>,
    core: csv_core::Reader,
    buf: Box<[u8]>,
    start: usize,
    end: usize,
    eof: bool,
    /// Absolute offset of `buf[start]`.
    offset: u64,
    /// Lines are counted lazily, up to `buf[counted]` (at record and kept cell starts, and
    /// before a refill), so positions cost one newline search over the file in all.
    counted: usize,
    /// 1-based line of `buf[counted]`.
    line: u64,
    /// Absolute offset where that line starts.
    line_start: u64,
    scratch: Box<[u8]>,
    headers: Vec<String>,
}

/// The cells kept from one record.
#[derive(Debug, Default)]
pub(crate) struct Row {
    /// 1-based line where the record starts.
    pub line: u64,
    /// Cell bytes; only `data[..used]` is meaningful (the rest is room to parse into).
    data: Vec<u8>,
    used: usize,
    cells: Vec<Cell>,
}

#[derive(Debug)]
struct Cell {
    slot: usize,
    column: usize,
    byte_column: u64,
    line: u64,
    range: Range<usize>,
}

/// Which columns to keep: for each column of the header, the slot it fills, if any.
pub(crate) type Keep = [Option<usize>];

impl<'t, R: Read> CsvStream<'t, R> {
    /// Starts reading `tap` and reads its header row.
    pub(crate) fn new(tap: &'t mut Tap<R>) -> Result<CsvStream<'t, R>, SourceError> {
        let mut stream = CsvStream {
            tap,
            core: csv_core::Reader::new(),
            buf: vec![0; CHUNK].into_boxed_slice(),
            start: 0,
            end: 0,
            eof: false,
            offset: 0,
            counted: 0,
            line: 1,
            line_start: 0,
            scratch: vec![0; 8192].into_boxed_slice(),
            headers: Vec::new(),
        };
        stream.read_headers()?;
        Ok(stream)
    }

    /// The header row, each name trimmed.
    pub(crate) fn headers(&self) -> &[String] {
        &self.headers
    }

    fn read_headers(&mut self) -> Result<(), SourceError> {
        let keep: Vec<Option<usize>> = Vec::new();
        let mut row = Row::default();
        let mut names = Vec::new();
        let got = self.read_record(&keep, &mut row, Some(&mut names))?;
        if !got {
            return Err(SourceError::file(
                "the export is empty: there is no header row",
            ));
        }
        self.headers = names;
        Ok(())
    }

    /// Reads the next record into `row`, keeping the columns `keep` names. Returns `false` at the
    /// end of the file. A record with another number of cells than the header is an error.
    pub(crate) fn next_record(&mut self, keep: &Keep, row: &mut Row) -> Result<bool, SourceError> {
        self.read_record(keep, row, None)
    }

    /// Reads every record, keeping the columns `keep` names, and hands each to `each` with the
    /// header row; returns how many records there were.
    pub(crate) fn for_each(
        mut self,
        keep: &Keep,
        mut each: impl FnMut(&Row, &[String]) -> Result<(), SourceError>,
    ) -> Result<u64, SourceError> {
        let mut row = Row::default();
        let mut rows = 0;
        while self.next_record(keep, &mut row)? {
            rows += 1;
            each(&row, &self.headers)?;
        }
        Ok(rows)
    }

    fn fill(&mut self) -> Result<(), SourceError> {
        if self.start < self.end || self.eof {
            return Ok(());
        }
        self.sync();
        self.start = 0;
        self.end = 0;
        self.counted = 0;
        loop {
            match self.tap.read(&mut self.buf) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(());
                }
                Ok(n) => {
                    self.end = n;
                    return Ok(());
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.tap.explain(&e)),
            }
        }
    }

    /// Marks `n` bytes from `buf[start]` as read.
    fn consume(&mut self, n: usize) {
        self.start += n;
        self.offset += n as u64;
    }

    /// Counts the lines up to `buf[start]`.
    fn sync(&mut self) {
        let bytes = &self.buf[self.counted..self.start];
        if let Some(i) = memchr::memrchr(b'\n', bytes) {
            self.line += memchr::memchr_iter(b'\n', bytes).count() as u64;
            let counted_offset = self.offset - (self.start - self.counted) as u64;
            self.line_start = counted_offset + i as u64 + 1;
        }
        self.counted = self.start;
    }

    /// The line and byte column of `buf[start]`.
    fn here(&mut self) -> (u64, u64) {
        self.sync();
        (self.line, self.offset - self.line_start + 1)
    }

    /// Skips the line ends before a record (csv_core skips them too) so the record's position
    /// is its first byte. Returns `false` at the end of the file.
    fn skip_line_ends(&mut self) -> Result<bool, SourceError> {
        loop {
            self.fill()?;
            if self.start == self.end {
                return Ok(false);
            }
            let run = self.buf[self.start..self.end]
                .iter()
                .take_while(|&&b| b == b'\n' || b == b'\r')
                .count();
            self.consume(run);
            if self.start < self.end {
                return Ok(true);
            }
        }
    }

    fn header_name(&self, column: usize) -> String {
        self.headers
            .get(column)
            .cloned()
            .unwrap_or_else(|| format!("column {}", column + 1))
    }

    fn read_record(
        &mut self,
        keep: &Keep,
        row: &mut Row,
        mut names: Option<&mut Vec<String>>,
    ) -> Result<bool, SourceError> {
        row.used = 0;
        row.cells.clear();
        if !self.skip_line_ends()? {
            // Let csv_core see the end of the input.
            let (res, _, _) = self.core.read_field(&[], &mut self.scratch);
            debug_assert!(matches!(res, ReadFieldResult::End));
            return Ok(false);
        }
        row.line = self.here().0;
        let mut column = 0usize;
        loop {
            let slot = if names.is_some() {
                Some(column)
            } else {
                keep.get(column).copied().flatten()
            };
            let (line, byte_column) = match slot {
                Some(_) => self.here(),
                None => (0, 0),
            };
            if names.is_some() && column >= MAX_COLUMNS {
                return Err(SourceError::new(
                    Position::At {
                        line,
                        column: byte_column,
                    },
                    format!("the header row has more than {MAX_COLUMNS} columns"),
                ));
            }
            let limit = if names.is_some() {
                MAX_HEADER
            } else {
                MAX_CELL
            };
            let begin = row.used;
            // Inside a record, csv_core is needed only for a field's last bytes, a record's end
            // or a cell that reaches past the buffer: a field wholly in the buffer and ended by a
            // delimiter is cut out here with a memchr (most of a Jira export's bytes are long
            // cells nobody reads), and csv_core's state after the delimiter stays as it was.
            let fast = if column > 0 && names.is_none() {
                self.fill()?;
                let input = &self.buf[self.start..self.end];
                delimited_field(input).filter(|f| slot.is_none() || !f.quoted)
            } else {
                None
            };
            // A quoted cell's position and quotes, counted as it is read: one still open at the
            // end of the file (an odd count) means the export was cut short inside it, which
            // csv_core would take as the end of the record. (A cell the fast path cut out was
            // closed: it ends at a delimiter outside quotes.)
            let mut quoted = None;
            let mut quotes = 0usize;
            let mut first = true;
            let record_end = if let Some(field) = fast {
                if slot.is_some() {
                    let text = &self.buf[self.start..self.start + field.len - 1];
                    if row.data.len() - row.used < text.len() {
                        row.data
                            .resize((row.data.len() * 2).max(row.used + text.len()), 0);
                    }
                    row.data[row.used..row.used + text.len()].copy_from_slice(text);
                    row.used += text.len();
                }
                self.consume(field.len);
                false
            } else {
                loop {
                    self.fill()?;
                    if first {
                        first = false;
                        if self.buf[self.start..self.end].first() == Some(&b'"') {
                            quoted = Some(self.here());
                        }
                    }
                    let input = &self.buf[self.start..self.end];
                    let (res, nin) = if slot.is_some() {
                        if row.data.len() - row.used < 1024 {
                            row.data.resize((row.data.len() * 2).max(4096), 0);
                        }
                        let (res, nin, nout) =
                            self.core.read_field(input, &mut row.data[row.used..]);
                        row.used += nout;
                        (res, nin)
                    } else {
                        let (res, nin, _) = self.core.read_field(input, &mut self.scratch);
                        (res, nin)
                    };
                    if quoted.is_some() {
                        quotes += memchr::memchr_iter(b'"', &self.buf[self.start..][..nin]).count();
                    }
                    self.consume(nin);
                    if slot.is_some() && row.used - begin > limit {
                        let header = if names.is_some() {
                            format!("column {}", column + 1)
                        } else {
                            self.header_name(column)
                        };
                        return Err(SourceError::new(
                            Position::Cell {
                                line,
                                column: byte_column,
                                header,
                            },
                            format!(
                                "this cell is longer than {} KiB, far more than the column holds \
                             (a broken quote, or not this kind of export?)",
                                limit / 1024
                            ),
                        ));
                    }
                    match res {
                        ReadFieldResult::InputEmpty | ReadFieldResult::OutputFull => {}
                        ReadFieldResult::Field { record_end } => break record_end,
                        ReadFieldResult::End => break true,
                    }
                }
            };
            if let Some((line, column)) = quoted {
                // `eof` is set once the buffer is spent and the file gave no more.
                if quotes % 2 == 1 && self.eof {
                    return Err(SourceError::new(
                        Position::At { line, column },
                        "this quoted cell is never closed: the file ends inside it (a truncated \
                         export?)",
                    ));
                }
            }
            if let Some(slot) = slot {
                let range = begin..row.used;
                if let Some(names) = names.as_deref_mut() {
                    let name = std::str::from_utf8(&row.data[range.clone()])
                        .map_err(|_| {
                            SourceError::new(
                                Position::At {
                                    line,
                                    column: byte_column,
                                },
                                "the header row is not UTF-8",
                            )
                        })?
                        .trim()
                        .to_string();
                    names.push(name);
                } else {
                    row.cells.push(Cell {
                        slot,
                        column,
                        byte_column,
                        line,
                        range,
                    });
                }
            }
            column += 1;
            if record_end {
                break;
            }
        }
        if names.is_none() && column != self.headers.len() {
            return Err(SourceError::new(
                Position::At {
                    line: row.line,
                    column: 1,
                },
                format!(
                    "this record has {column} cells but the header row has {} (a cell with an \
                     unbalanced quote, or a truncated file?)",
                    self.headers.len()
                ),
            ));
        }
        Ok(true)
    }
}

/// A field cut out of the buffer without csv_core ([`delimited_field`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Delimited {
    /// Its bytes with the delimiter after it.
    len: usize,
    /// Whether it is quoted (its bytes are then not its text).
    quoted: bool,
}

/// The field that starts at `input[0]`, inside a record, when it ends in `input` with a `,`:
/// where csv_core (RFC 4180 quoting, `""` escapes, any of CR, LF, CRLF ending a record) would
/// end it. An unquoted field runs to the first `,`, CR or LF (a quote inside it is text); a
/// quoted one to its closing quote, a `"` not doubled. Any other ending (a record's end, text
/// after a closing quote, the end of `input`) is left to csv_core.
fn delimited_field(input: &[u8]) -> Option<Delimited> {
    if input.first() == Some(&b'"') {
        let mut at = 1;
        loop {
            let quote = at + memchr::memchr(b'"', &input[at..])?;
            match input.get(quote + 1)? {
                b'"' => at = quote + 2,
                b',' => {
                    return Some(Delimited {
                        len: quote + 2,
                        quoted: true,
                    })
                }
                _ => return None,
            }
        }
    }
    let end = memchr::memchr3(b',', b'\n', b'\r', input)?;
    (input[end] == b',').then_some(Delimited {
        len: end + 1,
        quoted: false,
    })
}

impl Row {
    /// The first non-empty value of `slot`, trimmed, with its cell.
    pub(crate) fn first(&self, slot: usize) -> Option<&str> {
        self.values(slot).next()
    }

    /// Every non-empty value of `slot` (a repeated column), trimmed, in column order.
    pub(crate) fn values(&self, slot: usize) -> impl Iterator<Item = &str> + '_ {
        self.cells
            .iter()
            .filter(move |c| c.slot == slot)
            .map(|c| self.text(c))
            .filter(|s| !s.is_empty())
    }

    fn text(&self, cell: &Cell) -> &str {
        // The tap refuses anything that is not UTF-8, and cells are split at ASCII bytes.
        std::str::from_utf8(&self.data[cell.range.clone()])
            .unwrap_or("")
            .trim()
    }

    /// The date in `slot` read with `format` (`None` when the cell is empty); a value that does
    /// not read is an error at its cell.
    pub(crate) fn date(
        &self,
        slot: usize,
        headers: &[String],
        format: &DateFormat,
    ) -> Result<Option<NaiveDateTime>, SourceError> {
        let Some(text) = self.first(slot) else {
            return Ok(None);
        };
        match format.parse(text) {
            Some(date) => Ok(Some(date)),
            None => Err(self.error(
                slot,
                headers,
                format!(
                    "`{text}` is not a date in the format `{}` (set `date_format`)",
                    format.as_str()
                ),
            )),
        }
    }

    /// A problem with the (first) cell of `slot`, placed at that cell.
    pub(crate) fn error(&self, slot: usize, headers: &[String], message: String) -> SourceError {
        let position = match self.cells.iter().find(|c| c.slot == slot) {
            Some(c) => Position::Cell {
                line: c.line,
                column: c.byte_column,
                header: headers.get(c.column).cloned().unwrap_or_default(),
            },
            None => Position::At {
                line: self.line,
                column: 1,
            },
        };
        SourceError::new(position, message)
    }
}

/// Streams a CSV export whose dates are written in `date_format`: compiles the format, checks
/// that the header row has the `wanted` columns (else the export is not `what`), and hands each
/// record to `each` with the header row, the format and an interner for account names; returns
/// the number of records.
pub(crate) fn stream_dated<R: Read>(
    tap: &mut Tap<R>,
    date_format: &str,
    wanted: &Wanted<'_>,
    what: &str,
    mut each: impl FnMut(&Row, &[String], &DateFormat, &mut Interner) -> Result<(), SourceError>,
) -> Result<u64, SourceError> {
    let format = DateFormat::new(date_format).map_err(SourceError::file)?;
    let csv = CsvStream::new(tap)?;
    let keep = wanted.plan(csv.headers(), what)?;
    let mut names = Interner::default();
    csv.for_each(&keep, |row, headers| {
        each(row, headers, &format, &mut names)
    })
}

/// How a CSV kind reads its export: its options, its compiled date format and its slots.
pub(crate) struct Reading<'a, O, S> {
    /// The kind's options.
    pub(crate) options: &'a O,
    /// `date_format`, compiled.
    pub(crate) format: &'a DateFormat,
    /// Where its columns are.
    pub(crate) slots: &'a S,
}

/// The columns a kind reads, as slots of a [`Row`]; a name asked for twice (a Jira
/// `date_column: Created`) gets the one slot.
#[derive(Debug, Default)]
pub(crate) struct Wanted<'a> {
    names: Vec<&'a str>,
}

impl<'a> Wanted<'a> {
    /// The slot of the column `name`.
    pub(crate) fn slot(&mut self, name: &'a str) -> usize {
        match self.names.iter().position(|n| *n == name) {
            Some(i) => i,
            None => {
                self.names.push(name);
                self.names.len() - 1
            }
        }
    }

    /// Maps each column of `headers` to the slot of its name (every column of a repeated name
    /// fills the one slot). A wanted name the header lacks is an error that names every missing
    /// one and says `what` the export should be.
    pub(crate) fn plan(
        &self,
        headers: &[String],
        what: &str,
    ) -> Result<Vec<Option<usize>>, SourceError> {
        let keep: Vec<Option<usize>> = headers
            .iter()
            .map(|h| self.names.iter().position(|n| *n == h.as_str()))
            .collect();
        let missing: Vec<String> = self
            .names
            .iter()
            .enumerate()
            .filter(|(slot, _)| !keep.contains(&Some(*slot)))
            .map(|(_, name)| format!("`{name}`"))
            .collect();
        if missing.is_empty() {
            return Ok(keep);
        }
        Err(SourceError::new(
            Position::At { line: 1, column: 1 },
            format!(
                "the header row has no {} column{}: is this {what}?",
                missing.join(", "),
                if missing.len() == 1 { "" } else { "s" }
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str, keep: &Keep) -> Result<Vec<(u64, Vec<String>)>, SourceError> {
        rows_in_reads(text, keep, usize::MAX)
    }

    /// Reads of at most `step` bytes, so that fields are cut by the end of the buffer.
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

    fn rows_in_reads(
        text: &str,
        keep: &Keep,
        step: usize,
    ) -> Result<Vec<(u64, Vec<String>)>, SourceError> {
        let mut tap = Tap::new(Trickle {
            data: text.as_bytes(),
            step,
        });
        let mut s = CsvStream::new(&mut tap)?;
        let mut row = Row::default();
        let mut out = Vec::new();
        while s.next_record(keep, &mut row)? {
            let slots = keep.iter().flatten().copied().max().map_or(0, |m| m + 1);
            let values = (0..slots)
                .map(|slot| row.values(slot).collect::<Vec<_>>().join("|"))
                .collect();
            out.push((row.line, values));
        }
        Ok(out)
    }

    #[test]
    fn a_file_cut_inside_a_quoted_cell_is_refused_at_the_quote() {
        // The last column, kept or dropped, and a quoted cell longer than a read chunk.
        for keep in [[Some(0), Some(1)], [Some(0), None]] {
            let e = rows("k,note\nA,\"closed \"\"x\"\"\"\nB,\"two\nlines, cut", &keep).unwrap_err();
            assert_eq!(e.position, Position::At { line: 3, column: 3 }, "{keep:?}");
            assert!(e.message.contains("never closed"), "{}", e.message);
        }
        let long = format!("k,note\nA,\"{}", "\"\"".repeat(CHUNK));
        let e = rows(&long, &[Some(0), None]).unwrap_err();
        assert_eq!(e.position, Position::At { line: 2, column: 3 });
        // Closed quoted cells at the end of the file, with or without a line end, are fine;
        // so is a quote inside an unquoted cell.
        for text in ["k,n\nA,\"x\"\"\"\"\"", "k,n\nA,\"x\"\n", "k,n\nA,5\" disk"] {
            assert_eq!(rows(text, &[Some(0), None]).unwrap().len(), 1, "{text}");
        }
    }

    #[test]
    fn headers_are_trimmed_and_a_bom_is_ignored() {
        let mut tap = Tap::new(&b"\xef\xbb\xbfIssue key , Summary\nA-1,x\n"[..]);
        let s = CsvStream::new(&mut tap).unwrap();
        assert_eq!(s.headers(), ["Issue key", "Summary"]);
    }

    #[test]
    fn multi_line_cells_crlf_and_blank_lines_keep_their_lines() {
        let text = "k,d\r\nA,\"two\r\nlines\"\r\n\r\nB,\"say \"\"hi\"\"\"\r\n";
        let got = rows(text, &[Some(0), Some(1)]).unwrap();
        assert_eq!(
            got,
            [
                (2, vec!["A".to_string(), "two\r\nlines".to_string()]),
                (5, vec!["B".to_string(), "say \"hi\"".to_string()]),
            ]
        );
    }

    #[test]
    fn repeated_columns_fill_one_slot_in_order() {
        let text = "Key,Labels,Labels,Other\nA,x,,z\nB,,y,z\n";
        let keep = [Some(0), Some(1), Some(1), None];
        let got = rows(text, &keep).unwrap();
        assert_eq!(got[0].1, ["A", "x"]);
        assert_eq!(got[1].1, ["B", "y"]);
    }

    #[test]
    fn a_ragged_record_is_an_error_at_its_line() {
        let err = rows("a,b\n1,2\n3\n", &[Some(0), None]).unwrap_err();
        assert_eq!(err.position, Position::At { line: 3, column: 1 });
        assert!(err.message.contains("1 cells but the header row has 2"));
    }

    #[test]
    fn an_empty_file_has_no_header() {
        for text in [&b""[..], b"\r\n\n"] {
            let mut tap = Tap::new(text);
            let err = CsvStream::new(&mut tap).err().unwrap();
            assert!(err.message.contains("no header row"), "{}", err.message);
        }
    }

    #[test]
    fn long_cells_of_unused_columns_are_dropped_and_used_ones_refused() {
        let big = "x".repeat(MAX_CELL + 10);
        let text = format!("k,text\nA,\"{big}\"\nB,short\n");
        let got = rows(&text, &[Some(0), None]).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[1], (3, vec!["B".to_string()]));
        let err = rows(&text, &[Some(0), Some(1)]).unwrap_err();
        assert_eq!(
            err.position,
            Position::Cell {
                line: 2,
                column: 3,
                header: "text".into()
            }
        );
        assert!(err.message.contains("1024 KiB"), "{}", err.message);
    }

    #[test]
    fn cell_errors_point_at_the_cell() {
        let mut tap = Tap::new(&b"a,b\n1,  xyz\n"[..]);
        let mut s = CsvStream::new(&mut tap).unwrap();
        let mut row = Row::default();
        assert!(s.next_record(&[None, Some(0)], &mut row).unwrap());
        assert_eq!(row.first(0), Some("xyz"));
        let err = row.error(0, s.headers(), "bad".into());
        assert_eq!(err.to_string(), "line 2, column 3 (`b`): bad");
        assert!(!s.next_record(&[None, Some(0)], &mut row).unwrap());
    }

    #[test]
    fn plans_share_slots_and_name_missing_columns() {
        let headers: Vec<String> = ["a", "b", "b"].iter().map(|s| s.to_string()).collect();
        let mut wanted = Wanted::default();
        assert_eq!(
            (wanted.slot("b"), wanted.slot("a"), wanted.slot("b")),
            (0, 1, 0)
        );
        assert_eq!(
            wanted.plan(&headers, "x").unwrap(),
            [Some(1), Some(0), Some(0)]
        );
        wanted.slot("z");
        wanted.slot("y");
        let err = wanted.plan(&headers, "a test export").unwrap_err();
        assert_eq!(err.position, Position::At { line: 1, column: 1 });
        assert_eq!(
            err.message,
            "the header row has no `z`, `y` columns: is this a test export?"
        );
        let mut one = Wanted::default();
        one.slot("q");
        assert!(one
            .plan(&headers, "x")
            .unwrap_err()
            .message
            .contains("no `q` column:"));
    }

    #[test]
    fn for_each_counts_the_records() {
        let mut tap = Tap::new(&b"k\n1\n2\n"[..]);
        let s = CsvStream::new(&mut tap).unwrap();
        let mut seen = Vec::new();
        let n = s
            .for_each(&[Some(0)], |row, headers| {
                seen.push((row.first(0).unwrap().to_string(), headers.len()));
                Ok(())
            })
            .unwrap();
        assert_eq!(n, 2);
        assert_eq!(seen, [("1".to_string(), 1), ("2".to_string(), 1)]);
    }

    #[test]
    fn delimited_fields_end_where_csv_core_ends_them() {
        let cut = |s: &str| delimited_field(s.as_bytes()).map(|f| (f.len, f.quoted));
        assert_eq!(cut("abc,d"), Some((4, false)));
        assert_eq!(cut(",x"), Some((1, false)));
        assert_eq!(cut("a\"b,c"), Some((4, false)));
        assert_eq!(cut("\"a,\"\"\nb\",c"), Some((9, true)));
        assert_eq!(cut("\"\","), Some((3, true)));
        // Record ends, text after a closing quote and cut fields go to csv_core.
        for s in [
            "abc\n,", "abc\r\n", "abc", "\"a\"\n", "\"a\"x,", "\"a,b", "\"a\"", "",
        ] {
            assert_eq!(cut(s), None, "{s:?}");
        }
    }

    #[test]
    fn fields_cut_without_csv_core_read_as_csv_reads_them() {
        // Every kind of field in every column, kept or not, in buffers cut at every size.
        let text = "k,a,b,c\r\nA,\"q,\"\"x\"\"\nz\",plain \"x\" y,\"t\"\r\n\r\nB,,\"\",last\nC,1,\"2\"tail,3\n";
        let mut reference = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(text.as_bytes());
        let want: Vec<Vec<String>> = reference
            .records()
            .map(|r| r.unwrap().iter().map(|c| c.trim().to_string()).collect())
            .collect();
        let keeps = [
            [Some(0), Some(1), Some(2), Some(3)],
            [Some(0), None, Some(2), None],
        ];
        for (keep, step) in keeps
            .iter()
            .flat_map(|k| (1..=text.len()).map(move |s| (k, s)))
        {
            let got = rows_in_reads(text, keep, step).unwrap();
            let lines: Vec<u64> = got.iter().map(|g| g.0).collect();
            assert_eq!(lines, [2, 5, 6]);
            for (g, w) in got.iter().zip(&want) {
                for (slot, column) in keep.iter().enumerate() {
                    if column.is_some() {
                        assert_eq!(g.1[slot], w[slot], "{keep:?} in reads of {step}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_last_record_may_lack_a_line_end() {
        let got = rows("a\n1\n2", &[Some(0)]).unwrap();
        assert_eq!(
            got,
            [(2, vec!["1".to_string()]), (3, vec!["2".to_string()])]
        );
    }
}
