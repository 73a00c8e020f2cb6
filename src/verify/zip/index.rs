//! The central directory and local headers of a zip: every entry is checked, and the archive
//! refused, before a byte is decompressed (the policy is in the [parent module](super)).

use std::collections::{HashMap, HashSet};
use std::fs::File;

use super::{
    read_exact_at, u16le, u32le, u64le, ZipEntry, MAX_ENTRIES, MAX_ENTRY_SIZE, MAX_RATIO,
    MAX_TOTAL_SIZE,
};
use crate::bundle;
use crate::verify::MAX_PROBLEMS;

/// Largest central directory read into memory.
const MAX_CENTRAL_DIR: u64 = 512 << 20;

/// Why a zip was refused; every reason is listed.
type Refusals = Vec<String>;

/// Reads and checks the central directory and local headers of a zip
/// (see the module docs for what is refused).
pub(crate) fn read_zip_index(f: &File) -> std::result::Result<Vec<ZipEntry>, Refusals> {
    let one = |s: String| vec![s];
    let len = f
        .metadata()
        .map_err(|e| one(format!("cannot read: {e}")))?
        .len();
    if len < 22 {
        return Err(one("not a zip file (too short)".into()));
    }
    // End of central directory record: the last one whose comment length
    // reaches exactly the end of the file.
    let tail_len = len.min(22 + 65535);
    let mut tail = vec![0u8; tail_len as usize];
    read_exact_at(f, &mut tail, len - tail_len).map_err(|e| one(format!("cannot read: {e}")))?;
    let eocd = (0..=tail.len() - 22)
        .rev()
        .find(|&i| {
            tail[i..i + 4] == [0x50, 0x4b, 0x05, 0x06]
                && i + 22 + u16le(&tail, i + 20) as usize == tail.len()
        })
        .ok_or_else(|| one("not a zip file (no end of central directory record)".into()))?;
    let eocd_pos = len - tail_len + eocd as u64;
    let e = &tail[eocd..eocd + 22];
    let (mut disk, mut cd_disk) = (u16le(e, 4) as u32, u16le(e, 6) as u32);
    let (mut n_disk, mut n_total) = (u16le(e, 8) as u64, u16le(e, 10) as u64);
    let (mut cd_size, mut cd_offset) = (u32le(e, 12) as u64, u32le(e, 16) as u64);
    let mut cd_end_limit = eocd_pos;

    // ZIP64 end of central directory, via its locator just before the EOCD.
    if eocd_pos >= 20 {
        let mut loc = [0u8; 20];
        read_exact_at(f, &mut loc, eocd_pos - 20).map_err(|e| one(format!("cannot read: {e}")))?;
        if loc[..4] == [0x50, 0x4b, 0x06, 0x07] {
            let z_off = u64le(&loc, 8);
            if u32le(&loc, 16) > 1 || z_off.checked_add(56).is_none_or(|end| end > eocd_pos - 20) {
                return Err(one(
                    "malformed ZIP64 end of central directory locator".into()
                ));
            }
            let mut z = [0u8; 56];
            read_exact_at(f, &mut z, z_off).map_err(|e| one(format!("cannot read: {e}")))?;
            if z[..4] != [0x50, 0x4b, 0x06, 0x06] {
                return Err(one("malformed ZIP64 end of central directory".into()));
            }
            disk = u32le(&z, 16);
            cd_disk = u32le(&z, 20);
            n_disk = u64le(&z, 24);
            n_total = u64le(&z, 32);
            cd_size = u64le(&z, 40);
            cd_offset = u64le(&z, 48);
            cd_end_limit = z_off;
        }
    }
    if disk != 0 || cd_disk != 0 || n_disk != n_total {
        return Err(one("multi-disk (spanned) archives are refused".into()));
    }
    if n_total > MAX_ENTRIES {
        return Err(one(format!(
            "{n_total} entries: more than {MAX_ENTRIES} are refused"
        )));
    }
    if cd_size > MAX_CENTRAL_DIR
        || cd_offset
            .checked_add(cd_size)
            .is_none_or(|end| end > cd_end_limit)
    {
        return Err(one("central directory size or offset out of range".into()));
    }
    let mut cd = vec![0u8; cd_size as usize];
    read_exact_at(f, &mut cd, cd_offset).map_err(|e| one(format!("cannot read: {e}")))?;

    let mut refusals: Refusals = Vec::new();
    let mut refuse = |s: String| {
        if refusals.len() < MAX_PROBLEMS {
            refusals.push(s);
        }
    };
    let mut entries = Vec::with_capacity(n_total as usize);
    let mut p = 0usize;
    let mut total: u64 = 0;
    for _ in 0..n_total {
        if p + 46 > cd.len() || u32le(&cd, p) != 0x0201_4b50 {
            return Err(one("malformed central directory".into()));
        }
        let h = &cd[p..p + 46];
        let made_by = u16le(h, 4);
        let flags = u16le(h, 8);
        let method = u16le(h, 10);
        let crc = u32le(h, 16);
        let mut csize = u32le(h, 20) as u64;
        let mut usize_ = u32le(h, 24) as u64;
        let (nl, xl, cl) = (
            u16le(h, 28) as usize,
            u16le(h, 30) as usize,
            u16le(h, 32) as usize,
        );
        let disk_start = u16le(h, 34);
        let ext_attr = u32le(h, 38);
        let mut local_offset = u32le(h, 42) as u64;
        let end = p + 46 + nl + xl + cl;
        if end > cd.len() {
            return Err(one("malformed central directory".into()));
        }
        let name_raw = &cd[p + 46..p + 46 + nl];
        let extra = &cd[p + 46 + nl..p + 46 + nl + xl];
        p = end;

        let name = match std::str::from_utf8(name_raw) {
            Ok(n) if flags & 0x800 != 0 || n.is_ascii() => n.to_string(),
            Ok(n) => {
                refuse(format!(
                    "{n:?}: non-ASCII name without the UTF-8 flag (ambiguous)"
                ));
                continue;
            }
            Err(_) => {
                refuse(format!(
                    "{:?}: name is not UTF-8",
                    String::from_utf8_lossy(name_raw)
                ));
                continue;
            }
        };
        let shown_name = format!("{name:?}");

        // ZIP64 sizes/offset and forbidden extra fields.
        let mut x = 0usize;
        let mut bad_extra = None;
        while x + 4 <= extra.len() {
            let id = u16le(extra, x);
            let l = u16le(extra, x + 2) as usize;
            let Some(body) = extra.get(x + 4..x + 4 + l) else {
                bad_extra = Some("malformed extra field".to_string());
                break;
            };
            match id {
                0x0001 => {
                    let mut k = 0usize;
                    let mut take = |v: &mut u64| {
                        if *v == 0xFFFF_FFFF {
                            match body.get(k..k + 8) {
                                Some(b) => {
                                    *v = u64le(b, 0);
                                    k += 8;
                                }
                                None => bad_extra = Some("malformed ZIP64 field".into()),
                            }
                        }
                    };
                    take(&mut usize_);
                    take(&mut csize);
                    take(&mut local_offset);
                }
                0x7075 => {
                    bad_extra =
                        Some("carries an Info-ZIP Unicode path field (an alternative name)".into())
                }
                0x9901 => bad_extra = Some("is AES-encrypted".into()),
                _ => {}
            }
            x += 4 + l;
        }
        if x != extra.len() && bad_extra.is_none() {
            bad_extra = Some("malformed extra field".into());
        }
        if let Some(why) = bad_extra {
            refuse(format!("{shown_name}: {why}"));
            continue;
        }
        if disk_start != 0 {
            refuse(format!("{shown_name}: lies on another disk"));
            continue;
        }

        if let Some(why) = zip_name_problem(&name) {
            refuse(format!("{shown_name}: {why}"));
            continue;
        }
        let is_dir = name.ends_with('/');
        if flags & 0x41 != 0 || method == 99 {
            refuse(format!("{shown_name}: is encrypted"));
            continue;
        }
        let host = made_by >> 8;
        let mode = ext_attr >> 16;
        if host == 3 {
            match mode & 0o170000 {
                0o120000 => {
                    refuse(format!("{shown_name}: is a symbolic link"));
                    continue;
                }
                0 | 0o100000 | 0o040000 => {}
                _ => {
                    refuse(format!("{shown_name}: is not a regular file"));
                    continue;
                }
            }
        } else if ext_attr & 0x400 != 0 {
            refuse(format!("{shown_name}: is a reparse point (link)"));
            continue;
        }
        let deflated = match method {
            0 => {
                if csize != usize_ {
                    refuse(format!("{shown_name}: stored entry with differing sizes"));
                    continue;
                }
                false
            }
            8 => true,
            m => {
                refuse(format!(
                    "{shown_name}: compression method {m} is not supported"
                ));
                continue;
            }
        };
        if is_dir && usize_ != 0 {
            refuse(format!("{shown_name}: folder entry with content"));
            continue;
        }
        if usize_ > MAX_ENTRY_SIZE {
            refuse(format!(
                "{shown_name}: declares {usize_} bytes uncompressed, more than the {MAX_ENTRY_SIZE} allowed (bomb guard)"
            ));
            continue;
        }
        if usize_ > csize.max(1).saturating_mul(MAX_RATIO) {
            refuse(format!(
                "{shown_name}: compression ratio {usize_}:{csize} exceeds {MAX_RATIO}:1 (bomb guard)"
            ));
            continue;
        }
        total = total.saturating_add(usize_);
        entries.push(ZipEntry {
            name,
            is_dir,
            deflated,
            crc,
            csize,
            usize: usize_,
            local_offset,
            data_start: 0,
        });
    }
    if p != cd.len() {
        refuse("central directory size does not match its entries".into());
    }
    if total > MAX_TOTAL_SIZE {
        refuse(format!(
            "declares {total} bytes uncompressed in total, more than the {MAX_TOTAL_SIZE} allowed (bomb guard)"
        ));
    }

    // Duplicates, case-only duplicates, file/folder clashes.
    let mut seen: HashMap<String, &str> = HashMap::new();
    let mut dirs: HashSet<&str> = HashSet::new();
    for e in &entries {
        let key = e.name.trim_end_matches('/').to_lowercase();
        if let Some(prev) = seen.insert(key, &e.name) {
            if prev == e.name {
                refuse(format!("{:?}: duplicate entry name", e.name));
            } else {
                refuse(format!(
                    "{:?}: differs from {prev:?} only in letter case",
                    e.name
                ));
            }
        }
        let trimmed = e.name.trim_end_matches('/');
        let mut idx = 0;
        while let Some(k) = trimmed[idx..].find('/') {
            dirs.insert(&trimmed[..idx + k]);
            idx += k + 1;
        }
    }
    for e in &entries {
        if !e.is_dir && dirs.contains(e.name.as_str()) {
            refuse(format!("{:?}: is both a file and a folder", e.name));
        }
    }
    if !refusals.is_empty() {
        return Err(refusals);
    }
    let mut refuse = |s: String| {
        if refusals.len() < MAX_PROBLEMS {
            refusals.push(s);
        }
    };

    // Local headers must agree with the central directory; data must lie
    // before the central directory and no two entries may overlap.
    for e in &mut entries {
        let mut lh = [0u8; 30];
        if read_exact_at(f, &mut lh, e.local_offset).is_err() || u32le(&lh, 0) != 0x0403_4b50 {
            refuse(format!("{:?}: no local header at its offset", e.name));
            continue;
        }
        let (flags, method) = (u16le(&lh, 6), u16le(&lh, 8));
        let (nl, xl) = (u16le(&lh, 26) as u64, u16le(&lh, 28) as u64);
        let mut nx = vec![0u8; (nl + xl) as usize];
        if read_exact_at(f, &mut nx, e.local_offset + 30).is_err() {
            refuse(format!("{:?}: truncated local header", e.name));
            continue;
        }
        if &nx[..nl as usize] != e.name.as_bytes() {
            refuse(format!(
                "{:?}: local header names {:?}",
                e.name,
                String::from_utf8_lossy(&nx[..nl as usize])
            ));
            continue;
        }
        let lx = &nx[nl as usize..];
        let mut x = 0usize;
        while x + 4 <= lx.len() {
            if u16le(lx, x) == 0x7075 {
                refuse(format!(
                    "{:?}: local header carries an Info-ZIP Unicode path field",
                    e.name
                ));
            }
            x += 4 + u16le(lx, x + 2) as usize;
        }
        if flags & 0x41 != 0 || method != if e.deflated { 8 } else { 0 } {
            refuse(format!(
                "{:?}: local header disagrees with the central directory",
                e.name
            ));
            continue;
        }
        e.data_start = e.local_offset + 30 + nl + xl;
        if e.data_start.saturating_add(e.csize) > cd_offset {
            refuse(format!(
                "{:?}: data runs into the central directory",
                e.name
            ));
        }
    }
    let mut order: Vec<&ZipEntry> = entries.iter().collect();
    order.sort_by_key(|e| e.local_offset);
    for w in order.windows(2) {
        if w[0].data_start.saturating_add(w[0].csize) > w[1].local_offset {
            refuse(format!(
                "{:?}: overlaps {:?} (overlapping entries are a zip-bomb technique)",
                w[0].name, w[1].name
            ));
        }
    }
    if !refusals.is_empty() {
        return Err(refusals);
    }
    Ok(entries)
}

/// Why a zip entry name is unsafe, if it is. Folder entries end in `/`.
fn zip_name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("empty name");
    }
    if name.starts_with('/') {
        return Some("absolute path");
    }
    if name.contains('\\') {
        return Some("contains a backslash");
    }
    let b = name.as_bytes();
    if b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':' {
        return Some("starts with a drive letter");
    }
    if name.chars().any(char::is_control) {
        return Some("contains a control character");
    }
    let body = name.strip_suffix('/').unwrap_or(name);
    for c in body.split('/') {
        match c {
            ".." => return Some("has a `..` component"),
            "." | "" => return Some("has an empty or `.` component"),
            _ => {}
        }
    }
    if bundle::validate_rel_path(body).is_err() {
        return Some("is not a portable relative path");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zip_names() {
        for ok in ["bag/data/a.html", "bag/", "bag/data/x y.txt"] {
            assert_eq!(zip_name_problem(ok), None, "{ok}");
        }
        for bad in [
            "", "/abs", "../evil", "a/../b", "a\\b", "C:/x", "c:x", "a//b", "./a", "a\u{0}b",
        ] {
            assert!(zip_name_problem(bad).is_some(), "{bad:?} accepted");
        }
    }
}
