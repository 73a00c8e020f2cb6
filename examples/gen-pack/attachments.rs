//! Attachments: CSV exports and logs (text that deflates 4-6x) and grayscale noise PNGs
//! (incompressible, like screenshots), `--attachments-mb` in all, sizes log-normal around
//! `--attachment-kb`, each referenced by exactly one evidence record, as gen-corpus.py makes
//! them. Files are generated and written in parallel, each from its own random stream, and are
//! at most 4 MiB, so memory stays bounded whatever the total.

use std::io;

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;

use crate::evidence::{Evidence, Record};
use crate::records::Registry;
use crate::rng::{stream_key, Rng};
use crate::text::{sentence, Out, SYSTEMS};
use crate::Params;

/// The largest attachment.
const MAX_SIZE: u64 = 4 << 20;
/// The smallest attachment.
const MIN_SIZE: u64 = 1024;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Format {
    Csv,
    Log,
    Png,
}

impl Format {
    fn ext(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Log => "log",
            Format::Png => "png",
        }
    }
}

#[derive(Clone, Copy)]
struct Item {
    record: u32,
    size: u32,
    format: Format,
}

/// Which record gets which attachments, of what size and format.
pub(crate) struct Plan {
    /// In creation order; item `i` is file number `i + 1`.
    items: Vec<Item>,
    /// Item numbers grouped by record: those of record `n` are `order[offsets[n]..offsets[n+1]]`.
    order: Vec<u32>,
    offsets: Vec<u32>,
}

impl Plan {
    /// Draws attachments until the budget is spent.
    pub(crate) fn new(p: &Params, ev: &Evidence) -> Plan {
        let mut r = Rng::section(&p.seed, "attachments");
        let budget = (p.attachments_mb * 1024.0 * 1024.0) as u64;
        let median = p.attachment_kb * 1024.0;
        let n = ev.records.len();
        let mut items = Vec::new();
        let mut total = 0u64;
        while n > 0 && total < budget {
            let size = ((r.lognormal() * median) as u64)
                .clamp(MIN_SIZE, MAX_SIZE)
                .min((budget - total).max(MIN_SIZE));
            let record = r.below(n) as u32;
            let t = r.unit();
            let format = if t < 0.4 {
                Format::Csv
            } else if t < 0.6 {
                Format::Log
            } else {
                Format::Png
            };
            items.push(Item {
                record,
                size: size as u32,
                format,
            });
            total += size;
        }
        let mut offsets = vec![0u32; n + 1];
        for item in &items {
            offsets[item.record as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let mut order: Vec<u32> = (0..items.len() as u32).collect();
        order.sort_by_key(|&i| (items[i as usize].record, i));
        Plan {
            items,
            order,
            offsets,
        }
    }

    /// Number of attachments.
    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    /// Attachment paths of record `n`, relative to attachments/.
    pub(crate) fn paths_of(&self, n: usize, rec: &Record) -> Vec<String> {
        let (a, b) = (self.offsets[n] as usize, self.offsets[n + 1] as usize);
        self.order[a..b]
            .iter()
            .map(|&i| self.path(i as usize, n, rec))
            .collect()
    }

    fn path(&self, i: usize, n: usize, rec: &Record) -> String {
        format!(
            "{}/{}-{:02}/{}-{:06}.{}",
            rec.kind,
            rec.day.year(),
            rec.day.month(),
            rec.id(n).to_ascii_lowercase(),
            i + 1,
            self.items[i].format.ext()
        )
    }

    /// Writes every attachment (in parallel); returns their total bytes.
    pub(crate) fn write(
        &self,
        out: &Out,
        p: &Params,
        reg: &Registry,
        ev: &Evidence,
    ) -> io::Result<u64> {
        let pools = Pools::new(&p.seed, reg);
        let key = stream_key(&p.seed, "attachment-bytes");
        self.items
            .par_iter()
            .enumerate()
            .map(|(i, item)| {
                let n = item.record as usize;
                let rec = &ev.records[n];
                let mut r = Rng::item(key, i as u64);
                let size = u64::from(item.size);
                let data = match item.format {
                    Format::Csv => pools.csv(&mut r, size, rec.day),
                    Format::Log => pools.log(&mut r, size, rec.day),
                    Format::Png => png_noise(&mut r, size),
                };
                out.write(&format!("attachments/{}", self.path(i, n, rec)), &data)?;
                Ok(data.len() as u64)
            })
            .sum()
    }
}

/// Lines that text attachments are made of (4096 of each, as gen-corpus.py).
struct Pools {
    csv: Vec<String>,
    log: Vec<String>,
}

impl Pools {
    fn new(seed: &str, reg: &Registry) -> Pools {
        let mut r = Rng::section(seed, "text-pools");
        let people: Vec<&str> = reg.people.iter().map(|p| p.id.as_str()).collect();
        let csv = (0..4096)
            .map(|_| {
                let user = r.pick(&people);
                let system = r.pick(&SYSTEMS);
                let role = r.pick(&["admin", "read", "write", "deploy", "billing"]);
                let decision = r.pick(&["keep", "keep", "keep", "revoke", "reduce"]);
                let reviewer = r.pick(&people);
                let comment = sentence(&mut r, 6, None);
                format!("{user},{system},{role},{decision},{reviewer},\"{comment}\"")
            })
            .collect();
        let log = (0..4096)
            .map(|_| {
                let system = r.pick(&SYSTEMS);
                let level = r.pick(&["INFO", "INFO", "WARN", "AUDIT"]);
                let event = r.pick(&[
                    "login",
                    "assume-role",
                    "key.rotate",
                    "deploy",
                    "policy.update",
                    "user.disable",
                ]);
                let actor = r.pick(&people);
                let (a, b, c) = (r.range(0, 255), r.range(0, 255), r.range(1, 254));
                let text = sentence(&mut r, 5, None);
                format!("{system} {level} {event} actor={actor} src=10.{a}.{b}.{c} {text}")
            })
            .collect();
        Pools { csv, log }
    }

    /// An access-review style CSV export of at least `size` bytes.
    fn csv(&self, r: &mut Rng, size: u64, day: NaiveDate) -> Vec<u8> {
        let mut out = Vec::with_capacity(size as usize + 256);
        out.extend_from_slice(b"row,timestamp,user,system,role,decision,reviewer,comment\n");
        let header = out.len();
        let day = day.to_string();
        let mut row = 0u64;
        while ((out.len() - header) as u64) < size {
            row += 1;
            out.extend_from_slice(row.to_string().as_bytes());
            out.push(b',');
            push_time(&mut out, &day, r, false);
            out.push(b',');
            out.extend_from_slice(r.pick(&self.csv).as_bytes());
            out.push(b'\n');
        }
        out
    }

    /// A log extract of at least `size` bytes.
    fn log(&self, r: &mut Rng, size: u64, day: NaiveDate) -> Vec<u8> {
        let mut out = Vec::with_capacity(size as usize + 256);
        let day = day.to_string();
        while (out.len() as u64) < size {
            push_time(&mut out, &day, r, true);
            out.push(b' ');
            out.extend_from_slice(r.pick(&self.log).as_bytes());
            out.push(b'\n');
        }
        out
    }
}

/// `2026-03-28T14:05:09Z` (with `.123` before the Z when `millis`).
fn push_time(out: &mut Vec<u8>, day: &str, r: &mut Rng, millis: bool) {
    out.extend_from_slice(day.as_bytes());
    out.push(b'T');
    for (i, max) in [24, 60, 60].into_iter().enumerate() {
        if i > 0 {
            out.push(b':');
        }
        let v = r.below(max) as u8;
        out.extend_from_slice(&[b'0' + v / 10, b'0' + v % 10]);
    }
    if millis {
        let ms = r.below(1000) as u16;
        out.extend_from_slice(&[
            b'.',
            b'0' + (ms / 100) as u8,
            b'0' + (ms / 10 % 10) as u8,
            b'0' + (ms % 10) as u8,
        ]);
    }
    out.push(b'Z');
}

/// A valid 8-bit grayscale PNG of random pixels, 512 wide, about `size` bytes: the image data
/// is stored uncompressed (deflate "stored" blocks), as `zlib.compress(raw, 0)` does in
/// gen-corpus.py, so the file is as incompressible as a screenshot's compressed pixels.
pub(crate) fn png_noise(r: &mut Rng, size: u64) -> Vec<u8> {
    const WIDTH: usize = 512;
    let height = (size as usize / (WIDTH + 1)).max(1);
    let mut raw = vec![0u8; height * (WIDTH + 1)];
    for row in raw.chunks_exact_mut(WIDTH + 1) {
        row[0] = 0; // filter type: none
        r.fill(&mut row[1..]);
    }
    // zlib stream: header, stored blocks of at most 65535 bytes, Adler-32 (RFC 1950/1951).
    let mut z = Vec::with_capacity(raw.len() + raw.len() / 65535 * 5 + 16);
    z.extend_from_slice(&[0x78, 0x01]);
    let mut blocks = raw.chunks(65535).peekable();
    while let Some(block) = blocks.next() {
        z.push(u8::from(blocks.peek().is_none()));
        let len = block.len() as u16;
        z.extend_from_slice(&len.to_le_bytes());
        z.extend_from_slice(&(!len).to_le_bytes());
        z.extend_from_slice(block);
    }
    z.extend_from_slice(&adler32(&raw).to_be_bytes());

    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&(WIDTH as u32).to_be_bytes());
    ihdr.extend_from_slice(&(height as u32).to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit grayscale, deflate, no filter, no interlace
    let mut png = Vec::with_capacity(z.len() + 64);
    png.extend_from_slice(b"\x89PNG\r\n\x1a\n");
    for (kind, data) in [(b"IHDR", &ihdr[..]), (b"IDAT", &z[..]), (b"IEND", &[][..])] {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc = crc32fast::Hasher::new();
        crc.update(kind);
        crc.update(data);
        png.extend_from_slice(kind);
        png.extend_from_slice(data);
        png.extend_from_slice(&crc.finalize().to_be_bytes());
    }
    png
}

/// Adler-32 (RFC 1950), reducing modulo 65521 every 5552 bytes as zlib does.
fn adler32(data: &[u8]) -> u32 {
    const MOD: u32 = 65521;
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in data.chunks(5552) {
        for &byte in chunk {
            a += u32::from(byte);
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn noise_png_is_a_valid_png_of_the_asked_size() {
        let mut r = Rng::from_key(9);
        let png = png_noise(&mut r, 200_000);
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert!((199_000..201_000).contains(&png.len()), "{}", png.len());
        // The IDAT chunk inflates to height rows of a filter byte and 512 pixels, and its CRC
        // and the zlib Adler-32 check out (flate2 verifies the Adler-32).
        let idat_len = u32::from_be_bytes(png[33..37].try_into().unwrap()) as usize;
        assert_eq!(&png[37..41], b"IDAT");
        let idat = &png[41..41 + idat_len];
        let crc = u32::from_be_bytes(png[41 + idat_len..45 + idat_len].try_into().unwrap());
        let mut h = crc32fast::Hasher::new();
        h.update(b"IDAT");
        h.update(idat);
        assert_eq!(h.finalize(), crc);
        let mut raw = Vec::new();
        flate2::read::ZlibDecoder::new(idat)
            .read_to_end(&mut raw)
            .unwrap();
        let height = u32::from_be_bytes(png[20..24].try_into().unwrap()) as usize;
        assert_eq!(raw.len(), height * 513);
        assert!(raw.chunks(513).all(|row| row[0] == 0));
        assert!(png.ends_with(&[0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82]));
    }

    #[test]
    fn adler32_matches_the_rfc_example() {
        // The worked example of Wikipedia's Adler-32 article: "Wikipedia" gives 0x11E60398.
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
        assert_eq!(adler32(&vec![0xFF; 100_000]), {
            let (mut a, mut b) = (1u64, 0u64);
            for _ in 0..100_000 {
                a = (a + 0xFF) % 65521;
                b = (b + a) % 65521;
            }
            ((b << 16) | a) as u32
        });
    }
}
