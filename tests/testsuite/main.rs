//! The integration tests of evidencepack, in one test binary (one link, one run): whole packs on
//! disk built and checked through the library and the real `evidencepack` binary.
//!
//! See `README.md` in this folder for the modules, the fixtures and the shared helpers.

mod a11y;
mod authoring;
mod check;
mod classification;
mod common;
mod fuzz_corpus;
// The fuzz targets' drivers, shared with `fuzz/` so the corpora replay through the same code;
// their items are `pub` for the fuzz crate, which this binary cannot reach.
#[allow(unreachable_pub)]
#[path = "../../fuzz/src/lib.rs"]
mod fuzz_drivers;
mod integrity;
mod iso_records;
mod iso_stage2;
mod landing;
mod layers;
mod pack;
mod periodic;
mod print;
mod render_iso;
mod rotations;
mod schema;
mod secret_rules;
mod sections;
mod serve;
mod soc2;
mod soc2_dc200;
mod soc2_fidelity;
mod sources;
mod zips;
