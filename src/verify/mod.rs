//! Verifying bundle folders, BagIt zips and whole build outputs (being split into one file per
//! idea; see `zip/index.rs` for now).

mod zip;

pub use zip::index::*;
