//! Streaming one zip entry: inflated, hashed and CRC-checked, never past its declared size.

use std::fs::File;
use std::io::{self, Read};

use sha2::{Digest, Sha256};

use super::{RangeReader, ZipEntry};
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
    /// The entry inflated past its declared size: refuse the archive.
    Bomb(String),
    /// Corrupt data or a CRC mismatch: the entry was changed.
    Corrupt(String),
}

/// Streams one entry, hashing it; keeps the bytes when `keep`.
pub(crate) fn stream_entry(
    f: &File,
    e: &ZipEntry,
    keep: bool,
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
    let mut n = 0u64;
    loop {
        // Never ask for more than one byte past the declared size.
        let want = (e.usize - n.min(e.usize) + 1).min(buf.len() as u64) as usize;
        let k = match rd.read(&mut buf[..want]) {
            Ok(0) => break,
            Ok(k) => k,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => {
                return Err(StreamError::Corrupt(format!(
                    "{:?}: cannot be read: {err}",
                    e.name
                )))
            }
        };
        n += k as u64;
        if n > e.usize {
            return Err(StreamError::Bomb(format!(
                "{:?}: inflates past its declared {} bytes (bomb guard); reading stopped",
                e.name, e.usize
            )));
        }
        h.update(&buf[..k]);
        crc.update(&buf[..k]);
        if let Some(v) = kept.as_mut() {
            v.extend_from_slice(&buf[..k]);
        }
    }
    if n != e.usize {
        return Err(StreamError::Corrupt(format!(
            "{:?}: {n} bytes, but {} declared",
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
