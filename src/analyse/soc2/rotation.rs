//! Rotation controls: their population is every rotation the identities' `rotation_days`
//! required in the period ([`crate::analyse::identities`]), each judged on time, late, overdue or
//! with its age not evidenced.

use std::collections::HashSet;

use super::{ItemResult, Sampler};
use crate::analyse::identities::{DueRotation, DueStatus};
use crate::content::model::{EvidenceKind, Frequency, Outcome};
use crate::content::Content;

/// A required rotation of a rotation control's population that was not on time, sampled or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RotationDeviation {
    /// The item id (`<identity>:<due date>`).
    pub item: String,
    /// The identity id.
    pub identity: String,
    /// What became of it (never on time).
    pub status: DueStatus,
    /// One sentence for pages and the command line.
    pub description: String,
    /// Whether the item is in the sample.
    pub sampled: bool,
    /// The rotation record, if any, then management's responses: records of the control naming
    /// the identity with `result: exception`, dated on or after the due date (indices into
    /// `content.evidence`).
    pub evidence: Vec<usize>,
}

impl Sampler<'_> {
    /// The required rotations of the identities whose rotation control `control` is, by
    /// identity id then due date. An identity belongs to every rotation control its rotation
    /// records name, or, when they name none, to every rotation control.
    pub(super) fn due_rotations(&self, control: &str) -> Vec<&DueRotation> {
        let content = self.content;
        self.identities
            .iter()
            .filter(|r| {
                let named: Vec<&str> = r
                    .rotations
                    .iter()
                    .flat_map(|&i| content.evidence[i].value.controls.iter())
                    .map(String::as_str)
                    .filter(|c| self.rotation_controls.contains(c))
                    .collect();
                named.is_empty() || named.contains(&control)
            })
            .flat_map(|r| r.due.iter())
            .collect()
    }

    /// The evidence and result of one required rotation of rotation control `control`: its
    /// rotation record, then the records of the control naming the identity with `result:
    /// exception` dated on or after the due date (management's response). On time: a pass
    /// (unless the record is an exception); its age not evidenced: missing (the rotation before
    /// the period is what is missing); late or overdue: an exception.
    pub(super) fn rotation_result(
        &self,
        control: &str,
        d: &DueRotation,
    ) -> (Vec<usize>, ItemResult) {
        let content = self.content;
        let mut evidence: Vec<usize> = d.status.rotation().into_iter().collect();
        if d.is_deviation() {
            let position = content.index().identities.get(d.identity.as_str()).copied();
            evidence.extend(
                position
                    .map_or(&[][..], |p| {
                        content.index().evidence_of_identity[p].as_slice()
                    })
                    .iter()
                    .copied()
                    .filter(|&i| {
                        let ev = &content.evidence[i].value;
                        ev.kind != EvidenceKind::Rotation
                            && ev.result == Outcome::Exception
                            && ev.occurred_on >= d.due
                            && ev.controls.iter().any(|c| c == control)
                    }),
            );
        }
        let result = match d.status {
            DueStatus::OnTime(i) if !self.is_exception(i) => ItemResult::Pass,
            DueStatus::AgeNotEvidenced(_) => ItemResult::Missing,
            _ => ItemResult::Exception,
        };
        (evidence, result)
    }
}

/// The rotation controls of `content`: on-event controls that a `kind: rotation` record naming
/// an identity lists. A periodic control that also lists rotations (a monthly certificate review)
/// keeps its own population.
pub(super) fn rotation_controls(content: &Content) -> HashSet<&str> {
    let on_event: HashSet<&str> = content
        .controls
        .iter()
        .filter(|c| c.value.frequency == Frequency::OnEvent)
        .map(|c| c.value.id.as_str())
        .collect();
    content
        .evidence
        .iter()
        .filter(|r| r.value.kind == EvidenceKind::Rotation && !r.value.identity.is_empty())
        .flat_map(|r| r.value.controls.iter())
        .map(String::as_str)
        .filter(|c| on_event.contains(c))
        .collect()
}
