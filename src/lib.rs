//! evidencepack: validate a compliance content pack and render it as an ISO 27001
//! management-system narrative and a SOC 2 control-sample report.

pub mod analyse;
pub mod build;
pub mod bundle;
pub mod check;
pub mod cmd;
pub mod content;
pub mod diag;
pub mod hashing;
pub mod render;
pub mod secrets;
#[cfg(test)]
mod test_support;
pub mod verify;

/// TEMP until verify/ merge: the old `crate::package` paths `src/verify.rs` uses (now
/// `crate::bundle::package` and `crate::bundle::sign`).
#[doc(hidden)]
pub mod package {
    pub use crate::bundle::package::{write_bag_zip, BAGIT_TXT, SIGNATURE_NAME};
    pub use crate::bundle::sign::key_id;
}
