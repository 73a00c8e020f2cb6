//! Bundles on disk: the folder writer that hashes every file once ([`writer`]) and the manifest
//! it ends with ([`manifest`]), the BagIt zip of a finished bundle ([`package`]) and its
//! signature ([`sign`]), and the link check of the rendered pages ([`linkcheck`]).

pub mod linkcheck;
pub mod manifest;
pub mod package;
pub mod sign;
pub mod writer;

pub use crate::hashing::{hash_file, hash_reader, hex, sha256_hex, BUF_SIZE};
pub(crate) use manifest::parse_manifest_line;
pub use manifest::{is_sha256_hex, FileEntry, Manifest, MANIFEST_NAME};
pub use sign::{key_id, Signer, SIGN_PASSWORD_ENV};
pub use writer::{validate_rel_path, BundleWriter, IN_MEMORY_BYTES, STAGING_DIR};

/// Name of the file at the top of the output folder that names every bundle, zip and digest
/// (written by [`crate::build`], read by [`crate::verify`]).
pub const PACK_JSON: &str = "pack.json";

/// Value of `format` in `pack.json`; changes only when a reader would misread the file.
pub const PACK_FORMAT: &str = "evidencepack-pack/1";

/// Name of the landing page at the top of the output folder (written by [`crate::build`],
/// checked by [`crate::verify`] against the SHA-256 `pack.json` records for it).
pub const LANDING: &str = "index.html";
