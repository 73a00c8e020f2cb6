//! Evidence records (`evidence/**/*.yaml`): what was done, by whom, when, for which controls.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{AttributeResult, Classification, Extra, Interval};

/// Kind of evidence record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceKind {
    /// A ticket.
    Ticket,
    /// A log extract.
    Log,
    /// An approval.
    Approval,
    /// A change.
    Change,
    /// A documented exception.
    Exception,
    /// A credential rotation.
    Rotation,
    /// An access review.
    AccessReview,
    /// An offboarding.
    Offboarding,
    /// A training record.
    Training,
    /// A review.
    Review,
    /// An incident.
    Incident,
    /// A scan.
    Scan,
    /// Anything else.
    Other,
}

/// Outcome of an evidence record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The control operated as designed.
    Pass,
    /// A deviation (needs an exception block).
    Exception,
}

/// An exception with management's response.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExceptionDetail {
    /// What went wrong (Markdown).
    pub description: String,
    /// Management's response (Markdown).
    pub management_response: String,
    /// When it was remediated.
    #[serde(default)]
    pub remediated_on: Option<NaiveDate>,
}

/// The `identity:` of an evidence record: one identity id, or a list of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdentityRefs {
    /// The ids, in the order written.
    pub ids: Vec<String>,
    /// Whether it was written as a list (`identity: [a, b]`), so positions are `identity/<n>`.
    pub list: bool,
}

impl IdentityRefs {
    /// One identity id, as `identity: svc-deploy` writes it.
    pub fn one(id: &str) -> IdentityRefs {
        IdentityRefs {
            ids: vec![id.to_string()],
            list: false,
        }
    }

    /// No identity.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

impl Serialize for IdentityRefs {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.ids.as_slice() {
            [one] if !self.list => s.serialize_str(one),
            ids => ids.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for IdentityRefs {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = IdentityRefs;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an identity id or a list of identity ids")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<IdentityRefs, E> {
                Ok(IdentityRefs::one(v))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<IdentityRefs, E> {
                Ok(IdentityRefs::default())
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<IdentityRefs, E> {
                Ok(IdentityRefs::default())
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<IdentityRefs, A::Error> {
                let mut ids = Vec::new();
                while let Some(id) = seq.next_element::<String>()? {
                    ids.push(id);
                }
                Ok(IdentityRefs { ids, list: true })
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// An evidence record.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// Evidence id, e.g. `EV-2026-0142`.
    pub id: String,
    /// Controls it evidences.
    pub controls: Vec<String>,
    /// What kind of evidence.
    pub kind: EvidenceKind,
    /// Title.
    pub title: String,
    /// When the activity happened.
    pub occurred_on: NaiveDate,
    /// Who performed it.
    pub performed_by: String,
    /// Who approved it.
    #[serde(default)]
    pub approved_by: Option<String>,
    /// System concerned.
    #[serde(default)]
    pub system: Option<String>,
    /// Non-human identity concerned (rotation, access review, offboarding): one id, or a list
    /// when an access review covers several.
    #[serde(default, skip_serializing_if = "IdentityRefs::is_empty")]
    #[schemars(with = "crate::content::schema::OneOrMany")]
    pub identity: IdentityRefs,
    /// Further identities an access review covered (with `identity:`, every one it names).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identities: Vec<String>,
    /// Where the original lives (URL or ticket id); matches population rows.
    #[serde(default)]
    pub source: Option<String>,
    /// Pass or exception.
    pub result: Outcome,
    /// Required when result is exception.
    #[serde(default)]
    pub exception: Option<ExceptionDetail>,
    /// Classification.
    #[serde(default)]
    pub classification: Classification,
    /// Files under `attachments/`.
    #[serde(default)]
    pub attachments: Vec<String>,
    /// Summary (Markdown).
    #[serde(default)]
    pub summary: Option<String>,
    /// Free-form data for templates.
    #[serde(default)]
    pub extra: Extra,
    /// The item of a source this record speaks about (`<source id>:<item key>`): management's
    /// response to a deviation, or an explanation. It never changes the item's results.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// Results of the test attributes of its controls, by attribute id.
    #[serde(default)]
    pub attributes: BTreeMap<String, AttributeResult>,
    /// For an incident: its effect on the service commitments and users (Markdown; DC 4).
    #[serde(default)]
    pub impact: Option<String>,
    /// The interval of its control's calendar it is evidence for, when not the one it occurred
    /// in (`covers: 2026-01` for a February review of January).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::content::schema::TextOrNumber>")]
    pub covers: Option<Interval>,
}

impl Evidence {
    /// Every identity the record names (`identity:` then `identities:`), in the order written.
    pub fn identity_ids(&self) -> impl Iterator<Item = &str> {
        self.identity
            .ids
            .iter()
            .chain(&self.identities)
            .map(String::as_str)
    }
}
