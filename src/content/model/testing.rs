//! How management tests a control for SOC 2 (`test:` on controls) and the attribute results
//! evidence records give.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The nature of a test of controls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum TestNature {
    /// Asking the people who operate the control.
    Inquiry,
    /// Watching the control being performed.
    Observation,
    /// Examining records and documents.
    Inspection,
    /// Performing the control again independently.
    Reperformance,
}

impl TestNature {
    /// The lowercase word used in content, pages and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            TestNature::Inquiry => "inquiry",
            TestNature::Observation => "observation",
            TestNature::Inspection => "inspection",
            TestNature::Reperformance => "reperformance",
        }
    }
}

/// `test:` on a control: how management tests it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TestDeclaration {
    /// Nature of the test.
    pub nature: TestNature,
    /// What the tester does with each sampled item (Markdown); `test_procedure` when absent.
    #[serde(default)]
    pub procedure: Option<String>,
    /// What each sampled item is tested for, by name.
    #[serde(default)]
    pub attributes: Vec<TestAttribute>,
    /// The IT general controls an automated control's test of one relies on.
    #[serde(default)]
    pub relies_on: Vec<String>,
}

/// One named attribute of a test.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TestAttribute {
    /// Short name, matched by evidence records' `attributes:`.
    pub id: String,
    /// What is checked.
    pub description: String,
}

/// The result of one test attribute on an evidence record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum AttributeResult {
    /// The attribute holds.
    Pass,
    /// The attribute does not hold: a deviation.
    Exception,
    /// The attribute does not apply to this item.
    NotApplicable,
}
