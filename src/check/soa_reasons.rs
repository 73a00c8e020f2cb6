//! The Statement of Applicability's reasons and declared status (ISO 27001 6.1.3 d): the risks a
//! decision names exist, a planned implementation has a date, and an exclusion is not justified
//! by outsourcing alone.

use super::{Rec, Validator};
use crate::content::model::Implementation;
use crate::diag::{codes, RecordKind};

/// Words that say a control's subject is handed to someone else.
const OUTSOURCING: &[&str] = &[
    "outsourc",
    "carve-out",
    "carved out",
    "carved-out",
    "responsibility of",
    "'s responsibility",
    "provided by",
    "handled by",
    "performed by",
    "managed by",
    "supplier",
    "vendor",
    "third party",
    "third-party",
    "provider",
    "subprocessor",
];

/// Words that give a reason of the organisation's own (its subject does not exist or apply).
const OWN_REASON: &[&str] = &["no", "not", "none", "never", "nothing", "without"];

/// Does `justification` rest on outsourcing alone: it names outsourcing and gives no reason of
/// the organisation's own (that the control's subject does not exist or does not apply)?
pub(super) fn outsourcing_alone(justification: &str) -> bool {
    let j = justification.to_lowercase();
    let outsourced = OUTSOURCING.iter().any(|w| j.contains(w));
    let own = j
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .any(|w| OWN_REASON.contains(&w) || w.ends_with("n't"));
    outsourced && !own
}

impl Validator<'_, '_> {
    /// soa.yaml's reasons: named risks exist, planned has a date, exclusions are the
    /// organisation's own decision.
    pub(super) fn soa_reasons(&mut self) {
        let c = self.content;
        for r in &c.soa {
            let d = &r.value;
            let rec = Rec::new(&r.loc, RecordKind::SoaDecision, &d.annex_a);
            for (i, id) in d.risks.iter().enumerate() {
                if !self.index.risks.contains_key(id.as_str()) {
                    self.problem(
                        rec,
                        rec.field(&format!("risks/{i}")),
                        codes::UNKNOWN_RECORD,
                        format!(
                            "Annex A {} names risk `{id}`, which does not exist",
                            d.annex_a
                        ),
                    );
                }
            }
            if d.implementation == Some(Implementation::Planned) && d.planned_for.is_none() {
                self.problem(
                    rec,
                    rec.field("implementation"),
                    codes::MISSING_FIELD,
                    format!(
                        "Annex A {} is planned but gives no `planned_for` date",
                        d.annex_a
                    ),
                );
            }
            if d.applicable == Some(false) {
                if let Some(j) = d.justification.as_deref() {
                    if outsourcing_alone(j) {
                        self.problem(
                            rec,
                            rec.field("justification"),
                            codes::SOA_OUTSOURCED,
                            format!(
                                "the exclusion of Annex A {} is justified by outsourcing alone",
                                d.annex_a
                            ),
                        )
                        .hint("an outsourced control stays the organisation's responsibility: keep it applicable and implement it through supplier controls (Annex A 5.19 to 5.22), or say why it does not apply");
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outsourcing_alone_is_recognised() {
        assert!(outsourcing_alone("Hosting is carved out to AWS."));
        assert!(outsourcing_alone(
            "Outsourced to our managed service provider."
        ));
        assert!(outsourcing_alone("AWS's responsibility."));
        assert!(!outsourcing_alone(
            "No physical premises; hosting is carved out to AWS."
        ));
        assert!(!outsourcing_alone(
            "We don't develop software; the vendor does."
        ));
        assert!(!outsourcing_alone("Outside the scope of this fixture."));
        assert!(!outsourcing_alone("Not relevant: there is no nothing."));
    }
}
