//! Analysis of a loaded pack for the reports: SOC 2 sampling and tests of controls.
//!
//! Everything here is a pure function of the content: the same pack gives the same samples,
//! results and conclusions on any machine, whatever the audience a bundle is rendered for.

pub mod commitment;
pub mod credentials;
pub mod identities;
pub mod periodic;
pub mod procedure;
pub mod sampling;
pub mod soc2;
pub mod soc2_sources;
