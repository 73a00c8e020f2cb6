//! Reading a zip in place, safely.
//!
//! # Zip safety policy
//!
//! The central directory is parsed here (not by a zip library, which would
//! silently merge duplicate names), and before a single byte is
//! decompressed the archive is **refused as Unusable** when any entry:
//! has an absolute name, a `..`, `.` or empty component, a backslash, a
//! drive letter, a control character, a non-ASCII name without the UTF-8
//! flag, or an Info-ZIP Unicode-path extra field (an alternative name that
//! some extractors prefer); repeats another entry's name, or differs from
//! one only in letter case, or is both a file and a folder; is a symbolic
//! link or another non-regular file; is encrypted; uses a compression
//! method other than stored or deflate; has a local header whose name or
//! method disagrees with the central directory, or data that overlaps
//! another entry; declares more than 4 GiB uncompressed, or a compression
//! ratio above 1000:1; or when the archive has more than 200,000 entries,
//! declares more than 64 GiB in total, or spans several disks. While
//! streaming, the bytes actually inflated are held to the same limits (an
//! entry to 1000 times its compressed size and 4 GiB, the archive to 64 GiB):
//! reading stops as soon as one is passed, and the archive is refused (also
//! Unusable). A refused archive is reported as Unusable rather than Tampered
//! because nothing in it was checked; `write_bag_zip` never produces such an
//! archive, so an auditor should treat it as untrustworthy either way.
//!
//! Within those limits, an entry whose data does not inflate, inflates to
//! another size than declared, or fails its CRC-32 is **corrupt**: it is
//! reported changed (Tampered), like an entry whose bytes hash differently.
//! A flipped bit in deflate data is tampering with that entry, not a bomb.

use std::fs::File;
use std::io::{self, Read};

mod index;
mod stream;

pub(crate) use index::read_zip_index;
pub(crate) use stream::{stream_entry, StreamError, Streamed};

/// Most entries a zip may have.
pub const MAX_ENTRIES: u64 = 200_000;
/// Largest declared uncompressed size of one zip entry (4 GiB).
pub const MAX_ENTRY_SIZE: u64 = 4 << 30;
/// Largest declared uncompressed size of a whole zip (64 GiB).
pub const MAX_TOTAL_SIZE: u64 = 64 << 30;
/// Highest accepted compression ratio of a zip entry (uncompressed :
/// compressed).
pub const MAX_RATIO: u64 = 1000;

/// Positional reads, so rayon workers can share one `File`.
fn read_exact_at(f: &File, buf: &mut [u8], off: u64) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        f.read_exact_at(buf, off)
    }
    #[cfg(windows)]
    {
        use std::os::windows::fs::FileExt;
        let mut done = 0;
        while done < buf.len() {
            let n = f.seek_read(&mut buf[done..], off + done as u64)?;
            if n == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            done += n;
        }
        Ok(())
    }
}

/// Reads the byte range `[pos, end)` of a shared file.
struct RangeReader<'a> {
    f: &'a File,
    pos: u64,
    end: u64,
}

impl Read for RangeReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = (self.end - self.pos).min(buf.len() as u64) as usize;
        if n == 0 {
            return Ok(0);
        }
        read_exact_at(self.f, &mut buf[..n], self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

fn u16le(b: &[u8], i: usize) -> u16 {
    u16::from_le_bytes([b[i], b[i + 1]])
}
fn u32le(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes(b[i..i + 4].try_into().unwrap())
}
fn u64le(b: &[u8], i: usize) -> u64 {
    u64::from_le_bytes(b[i..i + 8].try_into().unwrap())
}

/// One accepted zip entry.
#[derive(Debug, Clone)]
pub(crate) struct ZipEntry {
    /// Its name, checked safe (folders end in `/`).
    pub(crate) name: String,
    /// A folder entry.
    pub(crate) is_dir: bool,
    /// Deflated (else stored).
    pub(crate) deflated: bool,
    /// CRC-32 of the uncompressed bytes, as the central directory declares it.
    pub(crate) crc: u32,
    /// Compressed size in the archive.
    pub(crate) csize: u64,
    /// Uncompressed size, as declared.
    pub(crate) usize: u64,
    /// Offset of its local header.
    pub(crate) local_offset: u64,
    /// Offset of its data (after the local header).
    pub(crate) data_start: u64,
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    #[test]
    fn zip64_fields_and_many_entries_are_read() {
        use std::io::Write;
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("z.zip");
        let mut w = zip::ZipWriter::new(io::BufWriter::new(File::create(&p).unwrap()));
        let o = zip::write::SimpleFileOptions::default();
        w.start_file("b/big-header.txt", o.large_file(true))
            .unwrap();
        w.write_all(b"hello zip64").unwrap();
        for i in 0..70_000u32 {
            w.start_file(
                format!("b/e{i}"),
                o.compression_method(zip::CompressionMethod::Stored),
            )
            .unwrap();
        }
        w.finish().unwrap();
        let f = File::open(&p).unwrap();
        let entries = read_zip_index(&f).unwrap();
        assert_eq!(entries.len(), 70_001);
        let e = &entries[0];
        assert_eq!((e.name.as_str(), e.usize), ("b/big-header.txt", 11));
        let s = stream_entry(&f, e, true, &Default::default()).ok().unwrap();
        assert_eq!(s.bytes.unwrap(), b"hello zip64");
    }

    #[test]
    fn range_reader_and_crc() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("f");
        fs::write(&p, b"0123456789").unwrap();
        let f = File::open(&p).unwrap();
        let mut s = String::new();
        RangeReader {
            f: &f,
            pos: 2,
            end: 5,
        }
        .read_to_string(&mut s)
        .unwrap();
        assert_eq!(s, "234");
    }
}
