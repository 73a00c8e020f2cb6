//! Bundles on disk: the folder writer that hashes every file once ([`writer`]), the BagIt zip of
//! a finished bundle with its signature ([`package`]), and the link check of the rendered pages
//! ([`linkcheck`]).

pub mod linkcheck;
pub mod package;
pub mod writer;

pub use crate::hashing::{hash_file, hash_reader, hex, sha256_hex, BUF_SIZE};
pub(crate) use writer::parse_manifest_line;
pub use writer::{
    is_sha256_hex, validate_rel_path, BundleWriter, FileEntry, Manifest, IN_MEMORY_BYTES,
    MANIFEST_NAME, STAGING_DIR,
};
