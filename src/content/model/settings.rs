//! Parts of `pack.yaml` beside the pack itself: the context of the organisation (ISO 27001
//! 4.1-4.3), how pages print and how the risk register is ordered.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `context:` in pack.yaml: issues, interested parties, climate change, interfaces.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Context {
    /// External issues (4.1).
    #[serde(default)]
    pub external_issues: Vec<String>,
    /// Internal issues (4.1).
    #[serde(default)]
    pub internal_issues: Vec<String>,
    /// Interested parties and their requirements (4.2).
    #[serde(default)]
    pub interested_parties: Vec<InterestedParty>,
    /// Whether climate change is a relevant issue (4.1 and 4.2 as amended in 2024).
    #[serde(default)]
    pub climate_change: Option<ClimateChange>,
    /// Interfaces and dependencies between the ISMS and others (4.3 c).
    #[serde(default)]
    pub interfaces: Vec<String>,
}

/// An interested party and its requirements.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InterestedParty {
    /// Who.
    pub party: String,
    /// What they require.
    pub requirements: String,
}

/// The organisation's answer to the climate change question.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClimateChange {
    /// Is climate change a relevant issue?
    pub relevant: bool,
    /// Why, and whether interested parties have climate-related requirements.
    pub statement: String,
}

/// `print:` settings in pack.yaml.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PrintSettings {
    /// The paper size pages print on.
    #[serde(default)]
    pub paper: Paper,
}

/// A paper size.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Paper {
    /// ISO A4, 210 x 297 mm (the default).
    #[default]
    A4,
    /// US Letter, 8.5 x 11 in.
    Letter,
}

impl Paper {
    /// The name used in pack.yaml and in the page's class (`paper-a4`).
    pub fn as_str(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::Letter => "letter",
        }
    }
}

/// `risk_register:` in pack.yaml: how the ISO bundle lists the register.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RiskRegisterSettings {
    /// The order of the register (the other order is shown after it).
    #[serde(default)]
    pub order: RegisterOrder,
}

/// The order of the risk register.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RegisterOrder {
    /// By id, numbers in ids compared as numbers (the default).
    #[default]
    Id,
    /// Highest score after treatment first (the inherent score where a risk has none), then the
    /// inherent score, then the id.
    Score,
}
