//! Paths that content gives for files inside the content root (attachments, source exports):
//! plain, relative, portable and in Unicode NFC, so they mean the same file on every system.

use unicode_normalization::is_nfc;

/// Check an attachment path: plain, relative, portable, NFC.
pub fn check_attachment_path(path: &str) -> Result<(), &'static str> {
    if path.is_empty() {
        return Err("is empty");
    }
    if path.starts_with('/') || path.starts_with('\\') {
        return Err("is absolute");
    }
    if path.contains('\\') {
        return Err("uses a backslash; use `/`");
    }
    let bytes = path.as_bytes();
    if bytes.len() >= 2 && bytes[1] == b':' && bytes[0].is_ascii_alphabetic() {
        return Err("has a drive prefix");
    }
    if path.chars().any(|ch| ch.is_control()) {
        return Err("contains a control character");
    }
    if !is_nfc(path) {
        return Err("is not in Unicode NFC form");
    }
    for part in path.split('/') {
        match part {
            "" => return Err("has an empty component"),
            "." | ".." => return Err("has a `.` or `..` component"),
            _ => {}
        }
        let stem = part.split('.').next().unwrap_or("").to_ascii_uppercase();
        let reserved = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
            || ((stem.starts_with("COM") || stem.starts_with("LPT"))
                && stem.len() == 4
                && stem.as_bytes()[3].is_ascii_digit()
                && stem.as_bytes()[3] != b'0');
        if reserved {
            return Err("uses a name reserved on Windows (CON, NUL, COM1 …)");
        }
        if part.ends_with(' ') || part.ends_with('.') {
            return Err("has a component ending in a space or dot");
        }
    }
    Ok(())
}
