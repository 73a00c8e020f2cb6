//! evidencepack: validate a compliance content pack and render it as an ISO 27001
//! management-system narrative and a SOC 2 control-sample report.
//!
//! # Layout
//!
//! The folders follow the pipeline. Each layer imports only the layers above it in this list,
//! never one below nor another folder of its own layer, so there is no import cycle between
//! folders (`tests/testsuite/layers.rs` checks it against this list):
//!
//! 1. leaves, importing nothing of the crate: [`hashing`] (SHA-256 in hex, while streaming),
//!    [`secrets`] (the secret-leak guard's rules and scanners) and [`sources`] (raw exports
//!    from systems of record, parsed and tested);
//! 2. [`diag`]: diagnostics: the stable codes, [`diag::Diagnostic`] with the records it is about,
//!    the [`diag::Report`] that collects problems and resolves their positions;
//! 3. [`content`]: the pack as loaded: the model, YAML, the walk and parse of the content root,
//!    `kind:id` links, the framework catalogs, audiences, and the cross-reference
//!    [`content::Index`] every later stage borrows;
//! 4. [`analyse`]: pure functions of the content: identity rotations, SOC 2 samples and tests;
//! 5. [`check`]: every validation rule, by topic, and the secret guard's reporting;
//! 6. [`bundle`]: bundles on disk: the hashing folder writer and its manifest, the BagIt zip,
//!    its signature, the link check;
//! 7. [`render`]: the pages: the shared engine and view models, then one folder per bundle
//!    ([`render::iso`], [`render::soc2`]);
//! 8. [`build`]: the pipelines: the check a build starts with (and `check` runs alone), the one
//!    read of each attachment, staging, the content digest, `pack.json`; [`verify`] sits beside
//!    it, re-hashing what a build wrote;
//! 9. [`serve`]: the preview server: builds into its own folder, serves it on localhost,
//!    rebuilds on a change and reloads the open pages;
//! 10. [`cmd`]: the command line, one module per subcommand.

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
pub mod serve;
pub mod sources;
#[cfg(test)]
mod test_support;
pub mod verify;
