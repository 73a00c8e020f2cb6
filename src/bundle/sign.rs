//! Signing a bag: a minisign (Ed25519) key signs its `tagmanifest-sha256.txt`, so that the
//! standard `minisign -V` verifies it.

use std::fs;
use std::io;
use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};

/// Environment variable holding the password of an encrypted minisign secret
/// key (see [`Signer::from_file`]).
pub const SIGN_PASSWORD_ENV: &str = "EVIDENCEPACK_SIGN_PASSWORD";

/// A minisign (Ed25519) secret key used to sign `tagmanifest-sha256.txt`.
pub struct Signer {
    sk: minisign::SecretKey,
    pk: minisign::PublicKey,
}

impl Signer {
    /// Loads a minisign secret key file (as written by `minisign -G`, or
    /// `minisign -G -W` for an unencrypted key).
    ///
    /// Password policy: an unencrypted key needs none (a given password is
    /// ignored). For an encrypted key the password is `password` when it is
    /// `Some`, otherwise the value of the `EVIDENCEPACK_SIGN_PASSWORD`
    /// environment variable (an empty value is an empty password). There is
    /// never an interactive prompt: with neither, loading fails, so builds
    /// in CI cannot hang. A wrong password fails with an error.
    pub fn from_file(path: &Path, password: Option<String>) -> Result<Signer> {
        let text = fs::read_to_string(path)
            .with_context(|| format!("reading minisign secret key {}", path.display()))?;
        let encoded = text
            .lines()
            .nth(1)
            .map(str::trim)
            .ok_or_else(|| anyhow!("{} is not a minisign secret key", path.display()))?;
        let sk_box = minisign::SecretKeyBox::from_string(&text)
            .map_err(|e| anyhow!("{}: {e}", path.display()))?;
        // The key starts with "Ed", then the KDF algorithm: [0, 0] for an
        // unencrypted key, base64 "RWQA..."; "Sc" (scrypt) gives "RWRT...".
        let sk = if encoded.starts_with("RWQA") {
            match sk_box.into_unencrypted_secret_key() {
                Ok(sk) => sk,
                Err(e) => unchecked_unencrypted_key(encoded)
                    .ok_or_else(|| anyhow!("{}: {e}", path.display()))?,
            }
        } else {
            let password = password
                .or_else(|| std::env::var(SIGN_PASSWORD_ENV).ok())
                .ok_or_else(|| {
                    anyhow!(
                        "minisign secret key {} is encrypted: set {SIGN_PASSWORD_ENV} to its password",
                        path.display()
                    )
                })?;
            sk_box
                .into_secret_key(Some(password))
                .map_err(|e| anyhow!("{}: {e}", path.display()))?
        };
        Signer::from_secret_key(sk)
    }

    /// Wraps an already decrypted minisign secret key.
    pub fn from_secret_key(sk: minisign::SecretKey) -> Result<Signer> {
        if sk.is_encrypted() {
            bail!("the minisign secret key is still encrypted");
        }
        let pk = minisign::PublicKey::from_secret_key(&sk).map_err(|e| anyhow!("{e}"))?;
        Ok(Signer { sk, pk })
    }

    /// The key id as minisign prints it (16 upper-case hex digits).
    pub fn key_id(&self) -> String {
        key_id(self.pk.keynum())
    }

    /// The public key in minisign's `.pub` file format, to hand to auditors.
    pub fn public_key_file_text(&self) -> Result<String> {
        let b = self.pk.to_box().map_err(|e| anyhow!("{e}"))?;
        let mut s = b.into_string();
        if !s.ends_with('\n') {
            s.push('\n');
        }
        Ok(s)
    }

    /// Signs `data` (minisign's pre-hashed Ed25519 mode, which
    /// `minisign -V` verifies) and returns the `.minisig` file text.
    /// `trusted_comment` is covered by the signature; it must be one line.
    pub fn sign(&self, data: &[u8], trusted_comment: &str) -> Result<String> {
        if trusted_comment.contains(['\n', '\r']) {
            bail!("trusted comment must be a single line");
        }
        let sig = minisign::sign(
            Some(&self.pk),
            &self.sk,
            io::Cursor::new(data),
            Some(trusted_comment),
            Some("evidencepack signature of tagmanifest-sha256.txt"),
        )
        .map_err(|e| anyhow!("signing: {e}"))?;
        Ok(sig.into_string())
    }
}

/// An unencrypted key as `minisign -G -W` (minisign 0.11) writes it: with an all-zero
/// checksum, which the minisign crate refuses as corrupted. Accepted when its Ed25519 secret
/// and public halves belong together (a test signature verifies); `None` otherwise.
fn unchecked_unencrypted_key(encoded: &str) -> Option<minisign::SecretKey> {
    use ct_codecs::{Base64, Decoder};
    let bytes = Base64::decode_to_vec(encoded, None).ok()?;
    // sig_alg 2, kdf_alg 2, chk_alg 2, salt 32, opslimit 8, memlimit 8, keynum 8, sk 64, chk 32.
    if bytes.len() != 158 || bytes[126..].iter().any(|&b| b != 0) {
        return None;
    }
    let sk = minisign::SecretKey::from_bytes(&bytes).ok()?;
    let pk = minisign::PublicKey::from_secret_key(&sk).ok()?;
    let probe = b"evidencepack key check";
    let sig = minisign::sign(Some(&pk), &sk, io::Cursor::new(probe), None, None).ok()?;
    minisign::verify(&pk, &sig, io::Cursor::new(probe), true, false, false).ok()?;
    Some(sk)
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("key_id", &self.key_id())
            .finish_non_exhaustive()
    }
}

/// A minisign key number shown as minisign does (little-endian u64, hex).
pub fn key_id(keynum: &[u8]) -> String {
    let mut b = [0u8; 8];
    let n = keynum.len().min(8);
    b[..n].copy_from_slice(&keynum[..n]);
    format!("{:016X}", u64::from_le_bytes(b))
}

/// Test helper: a fresh unencrypted key pair as (secret key file text,
/// public key file text).
#[cfg(test)]
pub(crate) fn generate_keypair_for_tests() -> (String, String) {
    let kp = minisign::KeyPair::generate_unencrypted_keypair().unwrap();
    let sk = kp.sk.to_box(None).unwrap().into_string();
    let pk = kp.pk.to_box().unwrap().into_string();
    (sk, pk)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signer_from_unencrypted_and_encrypted_files() {
        let d = tempfile::tempdir().unwrap();
        let (sk, pk) = generate_keypair_for_tests();
        let p = d.path().join("k.key");
        fs::write(&p, sk).unwrap();
        let s = Signer::from_file(&p, None).unwrap();
        assert!(pk.contains(&s.public_key_file_text().unwrap().lines().nth(1).unwrap()[..20]));
        let sig = s.sign(b"hello", "timestamp:0").unwrap();
        let pk = minisign::PublicKey::from_box(minisign::PublicKeyBox::from_string(&pk).unwrap())
            .unwrap();
        let sb = minisign::SignatureBox::from_string(&sig).unwrap();
        minisign::verify(&pk, &sb, io::Cursor::new(b"hello"), true, false, false).unwrap();
        assert!(minisign::verify(&pk, &sb, io::Cursor::new(b"hellO"), true, false, false).is_err());

        let kp = minisign::KeyPair::generate_encrypted_keypair(Some("pw".into())).unwrap();
        let ep = d.path().join("e.key");
        fs::write(&ep, kp.sk.to_box(None).unwrap().into_string()).unwrap();
        let s2 = Signer::from_file(&ep, Some("pw".into())).unwrap();
        assert_eq!(s2.key_id(), key_id(kp.pk.keynum()));
        assert!(Signer::from_file(&ep, Some("wrong".into())).is_err());
    }

    /// `minisign -G -W` (minisign 0.11) writes unencrypted keys with a zero checksum.
    #[test]
    fn signer_from_a_minisign_cli_unencrypted_key() {
        use ct_codecs::{Base64, Decoder, Encoder};
        let d = tempfile::tempdir().unwrap();
        let (sk, pk) = generate_keypair_for_tests();
        let mut lines: Vec<String> = sk.lines().map(str::to_string).collect();
        let mut bytes = Base64::decode_to_vec(&lines[1], None).unwrap();
        bytes[126..].fill(0);
        lines[1] = Base64::encode_to_string(&bytes).unwrap();
        let p = d.path().join("cli.key");
        fs::write(&p, lines.join("\n") + "\n").unwrap();
        let s = Signer::from_file(&p, None).unwrap();
        assert_eq!(
            s.public_key_file_text().unwrap().lines().nth(1),
            pk.lines().nth(1)
        );
        // Zero checksum but halves that do not belong together: refused.
        bytes[100] ^= 1;
        lines[1] = Base64::encode_to_string(&bytes).unwrap();
        fs::write(&p, lines.join("\n") + "\n").unwrap();
        assert!(Signer::from_file(&p, None).is_err());
    }
}
