//! `soc2.seed_commitment`: a sampling seed nobody can steer.
//!
//! A seed management alone chooses lets it try seeds until the sample suits it. With a
//! commitment, the final seed is the lowercase hex SHA-256 of the *commitment text*:
//!
//! ```text
//! evidencepack-seed-commitment/1
//! nonce<TAB><the auditor's nonce>
//! <control id><TAB><population digest>     one line per control in scope, sorted by id
//! ```
//!
//! (every line ends with a line feed; ids and the nonce escaped like population ids). The nonce
//! is given by the auditor at fieldwork, after the populations are frozen: management cannot
//! pick it, and changing any population afterwards changes the seed, so the populations cannot
//! be changed after the nonce either. The bundle publishes the text as `seed-commitment.txt`,
//! so `sha256sum seed-commitment.txt` prints the seed.

use crate::hashing::sha256_hex;

/// The first line of the commitment text: its format and version.
pub const HEADER: &str = "evidencepack-seed-commitment/1";

/// A committed seed and how it was derived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commitment {
    /// The auditor's nonce.
    pub nonce: String,
    /// `(control id, population digest)` of every control in scope, sorted by id.
    pub populations: Vec<(String, String)>,
    /// The exact text hashed.
    pub text: String,
    /// The final seed: SHA-256 of `text`.
    pub seed: String,
}

impl Commitment {
    /// Commit `nonce` to the `populations` (control id, digest), in any order.
    pub fn new(nonce: &str, mut populations: Vec<(String, String)>) -> Commitment {
        populations.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        let mut text = format!("{HEADER}\nnonce\t{}\n", escape(nonce));
        for (id, digest) in &populations {
            text.push_str(&escape(id));
            text.push('\t');
            text.push_str(digest);
            text.push('\n');
        }
        Commitment {
            nonce: nonce.to_string(),
            seed: sha256_hex(text.as_bytes()),
            populations,
            text,
        }
    }
}

/// `\`, tab, line feed and carriage return escaped, so no value can forge a line.
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_is_the_sha256_of_the_documented_text() {
        let c = Commitment::new(
            "n0nce",
            vec![("CM-01".into(), "bb".into()), ("AC-02".into(), "aa".into())],
        );
        assert_eq!(
            c.text,
            "evidencepack-seed-commitment/1\nnonce\tn0nce\nAC-02\taa\nCM-01\tbb\n"
        );
        // printf 'evidencepack-seed-commitment/1\nnonce\tn0nce\nAC-02\taa\nCM-01\tbb\n' | sha256sum
        assert_eq!(
            c.seed,
            "dec20cfc3b603e93f4581760b70def31f273a36160f1466cc3a94756d97f282a"
        );
        let other = Commitment::new("n0nce", vec![("AC-02".into(), "ab".into())]);
        assert_ne!(other.seed, c.seed);
        assert!(Commitment::new("a\tb", vec![])
            .text
            .contains("nonce\ta\\tb\n"));
    }
}
