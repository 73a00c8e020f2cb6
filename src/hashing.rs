//! SHA-256 as the crate writes it: 64 lower-case hex digits, computed while bytes stream by.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;

use sha2::{Digest, Sha256};

/// Buffer size for streaming reads (hashing and copying).
pub const BUF_SIZE: usize = 256 * 1024;

/// SHA-256 of `bytes` as 64 lower-case hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// Streams the file at `path` through SHA-256 with a 256 KiB buffer and
/// returns (hex digest, size in bytes).
pub fn hash_file(path: &Path) -> io::Result<(String, u64)> {
    let mut f = File::open(path)?;
    hash_reader(&mut f)
}

/// Streams `r` to its end through SHA-256; returns (hex digest, bytes read).
pub fn hash_reader<R: Read + ?Sized>(r: &mut R) -> io::Result<(String, u64)> {
    copy_hashing(r, &mut io::sink())
}

/// Copies `input` to `out` in 256 KiB chunks, hashing on the way; returns
/// (hex sha256, bytes copied). Flushes `out` at the end.
pub fn copy_hashing(
    input: &mut (impl Read + ?Sized),
    out: &mut (impl Write + ?Sized),
) -> io::Result<(String, u64)> {
    let mut h = Sha256::new();
    let mut buf = vec![0u8; BUF_SIZE];
    let mut n = 0u64;
    loop {
        let k = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(k) => k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        h.update(&buf[..k]);
        out.write_all(&buf[..k])?;
        n += k as u64;
    }
    out.flush()?;
    Ok((hex(&h.finalize()), n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_empty_and_abc() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn hash_file_streams_large_file() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("f");
        let data: Vec<u8> = (0..(BUF_SIZE * 3 + 17)).map(|i| (i % 251) as u8).collect();
        std::fs::write(&p, &data).unwrap();
        assert_eq!(
            hash_file(&p).unwrap(),
            (sha256_hex(&data), data.len() as u64)
        );
    }

    #[test]
    fn a_copy_is_hashed_and_identical() {
        let data: Vec<u8> = (0..(BUF_SIZE + 3)).map(|i| (i % 7) as u8).collect();
        let mut out = Vec::new();
        let (sha, n) = copy_hashing(&mut data.as_slice(), &mut out).unwrap();
        assert_eq!((sha, n), (sha256_hex(&data), data.len() as u64));
        assert_eq!(out, data);
    }
}
