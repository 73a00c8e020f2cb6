//! The SOC 2 system description in `pack.yaml` (DC 200): its subservice organisations and their
//! complementary controls (CSOCs), the complementary user entity controls (CUECs), and the
//! significant changes of the period.

use std::fmt;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

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
    /// Complementary user entity controls (DC 6): Markdown each, or with the criteria they support.
    #[serde(default)]
    #[schemars(with = "Vec<crate::content::schema::ComplementaryControlSchema>")]
    pub complementary_user_entity_controls: Vec<ComplementaryControl>,
    /// Significant changes to the system and its controls during the period (DC 9).
    #[serde(default)]
    pub significant_changes: Vec<SignificantChange>,
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
    /// Complementary subservice organisation controls: what the description assumes it operates,
    /// with the criteria each supports.
    #[serde(default)]
    #[schemars(with = "Vec<crate::content::schema::ComplementaryControlSchema>")]
    pub csocs: Vec<ComplementaryControl>,
    /// How the service organisation monitors it, e.g. a yearly review of its SOC 2 report
    /// (Markdown, optional).
    #[serde(default)]
    pub monitoring: Option<String>,
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

/// A control someone else operates that the criteria rely on: a CUEC (customers) or a CSOC (a
/// subservice organisation). Written as Markdown alone, or as `{ control: md, criteria: [...] }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComplementaryControl {
    /// What the other party is expected to do (Markdown).
    pub control: String,
    /// The SOC 2 criteria it supports (`CC6.2`).
    pub criteria: Vec<String>,
}

impl<'de> Deserialize<'de> for ComplementaryControl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Full {
            control: String,
            #[serde(default)]
            criteria: Vec<String>,
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ComplementaryControl;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("the control as text, or `{ control: text, criteria: [ids] }`")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<ComplementaryControl, E> {
                Ok(ComplementaryControl {
                    control: v.to_string(),
                    criteria: Vec::new(),
                })
            }

            fn visit_map<A: MapAccess<'de>>(self, m: A) -> Result<ComplementaryControl, A::Error> {
                let full = Full::deserialize(de::value::MapAccessDeserializer::new(m))?;
                Ok(ComplementaryControl {
                    control: full.control,
                    criteria: full.criteria,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// A significant change to the system or its controls during the period (DC 9).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SignificantChange {
    /// When it took effect.
    pub date: NaiveDate,
    /// What changed and why (Markdown).
    pub change: String,
    /// The controls it changed or introduced (optional).
    #[serde(default)]
    pub controls: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::yaml;

    fn parse(text: &str) -> Result<Vec<ComplementaryControl>, yaml::FieldError> {
        yaml::from_value(&yaml::parse(text).unwrap())
    }

    #[test]
    fn complementary_controls_are_text_or_a_control_with_criteria() {
        let v =
            parse("- Customers manage users.\n- { control: Keys rotated, criteria: [CC6.1] }\n")
                .unwrap();
        assert_eq!(v[0].control, "Customers manage users.");
        assert!(v[0].criteria.is_empty());
        assert_eq!(v[1].control, "Keys rotated");
        assert_eq!(v[1].criteria, ["CC6.1"]);
        let err = parse("- { control: x, criterion: [CC6.1] }\n").unwrap_err();
        assert_eq!(err.pointer, "/0/criterion", "{err:?}");
        assert!(err.message.contains("unknown field `criterion`"), "{err:?}");
        let err = parse("- 3\n").unwrap_err();
        assert!(err.message.contains("criteria: [ids]"), "{err:?}");
    }
}
