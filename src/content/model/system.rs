//! The SOC 2 system description in `pack.yaml` (DC 200) and its subservice organisations.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The SOC 2 system description (DC 200).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SystemDescription {
    /// The system's name.
    pub name: String,
    /// Services, infrastructure, software, people, data, procedures (Markdown).
    pub description: String,
    /// Principal service commitments and system requirements (Markdown, optional; DC 2).
    #[serde(default)]
    pub commitments: Option<String>,
    /// Subservice organisations and the method used for each.
    #[serde(default)]
    pub subservice_organisations: Vec<SubserviceOrganisation>,
    /// Complementary user entity controls (Markdown each).
    #[serde(default)]
    pub complementary_user_entity_controls: Vec<String>,
}

/// A subservice organisation (DC 7).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubserviceOrganisation {
    /// Its name.
    pub name: String,
    /// The services it provides.
    pub services: String,
    /// How it is treated in the report.
    pub method: SubserviceMethod,
}

/// Carve-out or inclusive treatment of a subservice organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SubserviceMethod {
    /// Its controls are excluded from the report.
    CarveOut,
    /// Its controls are described and tested.
    Inclusive,
}
