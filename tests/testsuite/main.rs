//! The integration tests of evidencepack, in one test binary (one link, one run): whole packs on
//! disk built and checked through the library and the real `evidencepack` binary.
//!
//! See `README.md` in this folder for the modules, the fixtures and the shared helpers.

mod a11y;
mod authoring;
mod check;
mod common;
mod integrity;
mod pack;
mod render_iso;
mod secret_rules;
mod soc2;
