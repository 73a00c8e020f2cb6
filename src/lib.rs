//! evidencepack: validate a compliance content pack and render it as an ISO 27001
//! management-system narrative and a SOC 2 control-sample report.

pub mod analyse;
pub mod audience;
pub mod build;
pub mod bundle;
pub mod catalog;
pub mod cli;
pub mod diag;
pub mod linkcheck;
pub mod links;
pub mod load;
pub mod model;
pub mod package;
pub mod render;
pub mod report;
pub mod secrets;
pub mod sources;
#[cfg(test)]
mod test_support;
pub mod validate;
pub mod verify;
pub mod yaml;
