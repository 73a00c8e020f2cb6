//! Streaming one zip entry: inflated, hashed and CRC-checked, within the bomb guard's limits.

use std::fs::File;
use std::io::{self, Read};
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

use super::{RangeReader, ZipEntry, MAX_ENTRY_SIZE, MAX_RATIO, MAX_TOTAL_SIZE};
use crate::bundle::{self, hex};

/// Content facts about one streamed entry.
pub(crate) struct Streamed {
    /// SHA-256 (hex) of the uncompressed bytes.
    pub(crate) sha256: String,
    /// Number of uncompressed bytes.
    pub(crate) size: u64,
    /// The bytes themselves, when asked to keep them.
    pub(crate) bytes: Option<Vec<u8>>,
}

/// Why an entry could not be streamed.
pub(crate) enum StreamError {
    /// The entry inflated past the limits its declared size was held to: refuse the archive.
    Bomb(String),
    /// Corrupt data, another size than declared, or a CRC mismatch: the entry was changed.
    Corrupt(String),
}

/// The most bytes entry `e` may inflate to: the limits its declared size was held to
/// ([`MAX_RATIO`] times its compressed size, and [`MAX_ENTRY_SIZE`]).
fn inflate_limit(e: &ZipEntry) -> u64 {
    MAX_ENTRY_SIZE.min(e.csize.max(1).saturating_mul(MAX_RATIO))
}

/// Streams one entry, hashing it; keeps the bytes when `keep`. `inflated` counts the bytes
/// inflated from the whole archive (shared by the entries streamed in parallel).
///
/// An entry that inflates past [`inflate_limit`], or an archive past [`MAX_TOTAL_SIZE`], is a
/// bomb: reading stops. Within those limits, an entry that does not inflate, inflates to another
/// size than it declares, or fails its CRC-32 is corrupt: changed, like an entry whose bytes
/// hash differently (a flipped bit in deflate data can lengthen the output; that is tampering,
/// not a bomb). Only the declared bytes are hashed and kept.
pub(crate) fn stream_entry(
    f: &File,
    e: &ZipEntry,
    keep: bool,
    inflated: &AtomicU64,
) -> std::result::Result<Streamed, StreamError> {
    let raw = RangeReader {
        f,
        pos: e.data_start,
        end: e.data_start + e.csize,
    };
    let mut rd: Box<dyn Read + '_> = if e.deflated {
        Box::new(flate2::read::DeflateDecoder::new_with_buf(
            raw,
            vec![0u8; 64 * 1024],
        ))
    } else {
        Box::new(raw)
    };
    let mut h = Sha256::new();
    let mut crc = crc32fast::Hasher::new();
    let mut buf = vec![0u8; bundle::BUF_SIZE];
    let mut kept = if keep { Some(Vec::new()) } else { None };
    let limit = inflate_limit(e);
    let mut n = 0u64;
    loop {
        let k = match rd.read(&mut buf) {
            Ok(0) => break,
            Ok(k) => k,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => {
                return Err(StreamError::Corrupt(format!(
                    "{:?}: corrupt data ({err})",
                    e.name
                )))
            }
        };
        let declared = &buf[..(e.usize.saturating_sub(n)).min(k as u64) as usize];
        h.update(declared);
        crc.update(declared);
        if let Some(v) = kept.as_mut() {
            v.extend_from_slice(declared);
        }
        n += k as u64;
        if n > limit {
            return Err(StreamError::Bomb(format!(
                "{:?}: inflates past {limit} bytes from {} compressed (more than {MAX_RATIO}:1 \
                 or {MAX_ENTRY_SIZE} bytes: bomb guard); reading stopped",
                e.name, e.csize
            )));
        }
        if inflated.fetch_add(k as u64, Ordering::Relaxed) + k as u64 > MAX_TOTAL_SIZE {
            return Err(StreamError::Bomb(format!(
                "{:?}: the archive inflates past {MAX_TOTAL_SIZE} bytes in total (bomb guard); \
                 reading stopped",
                e.name
            )));
        }
    }
    if n != e.usize {
        return Err(StreamError::Corrupt(format!(
            "{:?}: inflates to {n} bytes, not the {} declared",
            e.name, e.usize
        )));
    }
    if crc.finalize() != e.crc {
        return Err(StreamError::Corrupt(format!(
            "{:?}: CRC-32 mismatch",
            e.name
        )));
    }
    Ok(Streamed {
        sha256: hex(&h.finalize()),
        size: n,
        bytes: kept,
    })
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    /// `data` deflated into a temporary file, and the entry that describes it (declaring
    /// `declared` bytes and the CRC-32 of `data`).
    fn deflated(data: &[u8], declared: u64) -> (tempfile::NamedTempFile, ZipEntry) {
        let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(data).unwrap();
        let packed = enc.finish().unwrap();
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(&packed).unwrap();
        let e = ZipEntry {
            name: "bag/data/x".into(),
            is_dir: false,
            deflated: true,
            crc: crc32fast::hash(data),
            csize: packed.len() as u64,
            usize: declared,
            local_offset: 0,
            data_start: 0,
        };
        (file, e)
    }

    fn stream(
        file: &tempfile::NamedTempFile,
        e: &ZipEntry,
        inflated: u64,
    ) -> Result<Streamed, String> {
        match stream_entry(file.as_file(), e, true, &AtomicU64::new(inflated)) {
            Ok(s) => Ok(s),
            Err(StreamError::Bomb(why)) => Err(format!("bomb: {why}")),
            Err(StreamError::Corrupt(why)) => Err(format!("corrupt: {why}")),
        }
    }

    #[test]
    fn an_entry_is_hashed_and_kept_as_declared() {
        let (f, e) = deflated(b"hello, bag", 10);
        let s = stream(&f, &e, 0).unwrap();
        assert_eq!(s.bytes.as_deref(), Some(&b"hello, bag"[..]));
        assert_eq!(
            (s.size, s.sha256),
            (10, crate::bundle::sha256_hex(b"hello, bag"))
        );
    }

    #[test]
    fn another_size_or_crc_than_declared_is_corrupt() {
        for declared in [4, 11] {
            let (f, e) = deflated(b"hello, bag", declared);
            let why = stream(&f, &e, 0).err().unwrap();
            assert!(
                why.starts_with("corrupt:")
                    && why.contains(&format!("inflates to 10 bytes, not the {declared}")),
                "{why}"
            );
        }
        let (f, mut e) = deflated(b"hello, bag", 10);
        e.crc ^= 1;
        assert_eq!(
            stream(&f, &e, 0).err().unwrap(),
            "corrupt: \"bag/data/x\": CRC-32 mismatch"
        );
        let (f, mut e) = deflated(b"hello, bag", 10);
        e.csize -= 1; // the stream ends early
        assert!(stream(&f, &e, 0).err().unwrap().starts_with("corrupt:"));
    }

    #[test]
    fn inflating_past_the_ratio_or_the_archive_total_is_a_bomb() {
        // 8 MiB of zeros deflate more than 1000:1: declared small, they pass the limit.
        let zeros = vec![0u8; 8 << 20];
        let (f, e) = deflated(&zeros, 1000);
        assert!(e.csize * MAX_RATIO < zeros.len() as u64);
        let why = stream(&f, &e, 0).err().unwrap();
        assert!(
            why.starts_with("bomb:") && why.contains("inflates past"),
            "{why}"
        );
        // An honest entry passes the bomb guard only with the archive's total.
        let (f, e) = deflated(b"hello, bag", 10);
        assert!(stream(&f, &e, MAX_TOTAL_SIZE - 10).is_ok());
        let why = stream(&f, &e, MAX_TOTAL_SIZE - 9).err().unwrap();
        assert!(
            why.starts_with("bomb:") && why.contains("in total"),
            "{why}"
        );
    }

    #[test]
    fn an_entry_may_inflate_to_exactly_its_limit() {
        // A million zeros deflate to under 1000 bytes; padded to 1000 (the deflate stream ends
        // before the padding), the entry inflates to exactly 1000 times its compressed size.
        let zeros = vec![0u8; 1_000_000];
        let (mut f, mut e) = deflated(&zeros, 1_000_000);
        f.write_all(&vec![0u8; 1000 - e.csize as usize]).unwrap();
        e.csize = 1000;
        assert_eq!(inflate_limit(&e), 1_000_000);
        assert_eq!(stream(&f, &e, 0).unwrap().size, 1_000_000);
    }

    #[test]
    fn the_inflate_limit_is_the_declared_size_limits() {
        let (_, mut e) = deflated(b"x", 1);
        for (csize, limit) in [
            (0, MAX_RATIO),
            (1, MAX_RATIO),
            (7, 7 * MAX_RATIO),
            (u64::MAX, MAX_ENTRY_SIZE),
        ] {
            e.csize = csize;
            assert_eq!(inflate_limit(&e), limit, "{csize}");
        }
    }
}
