//! The pack's risk method and what it asks of each risk: a valid `risk_method:`, an acceptance
//! for every residual risk above the appetite, by its owner, and treatment actions done on time.

use super::{Rec, Validator};
use crate::content::model::ActionStatus;
use crate::content::risk_method::RiskMethod;
use crate::diag::{codes, RecordKind};

impl Validator<'_, '_> {
    /// `risk_method:` in pack.yaml: its scales, bands and appetite, and the policy it names.
    pub(super) fn risk_method(&mut self) {
        let Some(pack) = &self.content.pack else {
            return;
        };
        let Some(method) = &pack.value.risk_method else {
            return;
        };
        let loc = &pack.loc;
        for (field, message) in method.problems() {
            self.push(
                loc.file,
                loc.field(&format!("risk_method/{field}")),
                codes::RISK_METHOD,
                message,
            )
            .hint("the bands run from the lowest to the highest score the scales allow, each score in one band");
        }
        if let Some(policy) = &method.policy {
            if !self.index.policies.contains_key(policy.as_str()) {
                self.push(
                    loc.file,
                    loc.field("risk_method/policy"),
                    codes::UNKNOWN_POLICY,
                    format!("the risk method names policy `{policy}`, which does not exist"),
                );
            }
        }
    }

    /// Each risk against the method: acceptance above the appetite, who accepted, the people of
    /// its treatment plan and the actions overdue at the end of the period.
    pub(super) fn risk_treatment(&mut self) {
        let c = self.content;
        let method = RiskMethod::of(c.pack.as_ref().map(|p| &p.value));
        let valid = method.problems().is_empty();
        let end = self.as_of();
        for r in &c.risks {
            let risk = &r.value;
            let rec = Rec::new(&r.loc, RecordKind::Risk, &risk.id);
            let (l, i) = risk
                .residual
                .map_or((risk.likelihood, risk.impact), |s| (s.likelihood, s.impact));
            let residual = method.score(l, i);
            if valid && method.above_appetite(residual) {
                let missing: Vec<&str> = [
                    ("`accepted_by`", risk.accepted_by.is_none()),
                    ("`accepted_on`", risk.accepted_on.is_none()),
                ]
                .iter()
                .filter(|(_, m)| *m)
                .map(|(f, _)| *f)
                .collect();
                if !missing.is_empty() {
                    let field = if risk.residual.is_some() {
                        "residual"
                    } else {
                        "impact"
                    };
                    self.problem(
                        rec,
                        rec.field(field),
                        codes::ACCEPTANCE_ABOVE_APPETITE,
                        format!(
                            "risk `{}` stays at {residual} ({}) after treatment, above the appetite of {}, and names no {}",
                            risk.id,
                            method.level(residual),
                            method.appetite.unwrap_or_default(),
                            missing.join(" and ")
                        ),
                    )
                    .hint("the risk owner accepts the residual risk: add `accepted_by` and `accepted_on` (ISO 27001 6.1.3 f)");
                }
            }
            if let Some(by) = &risk.accepted_by {
                if by != &risk.owner && self.index.people.contains_key(by.as_str()) {
                    self.problem(
                        rec,
                        rec.field("accepted_by"),
                        codes::ACCEPTANCE_NOT_OWNER,
                        format!(
                            "risk `{}` is accepted by `{by}`, not by its owner `{}`",
                            risk.id, risk.owner
                        ),
                    )
                    .hint("risk owners accept residual risks (ISO 27001 6.1.3 f)");
                }
            }
            for (k, a) in risk.treatment_plan.iter().enumerate() {
                self.person(rec, &format!("treatment_plan/{k}/owner"), &a.owner);
                if a.status != ActionStatus::Done && end.is_some_and(|e| a.due < e) {
                    self.problem(
                        rec,
                        rec.field(&format!("treatment_plan/{k}/due")),
                        codes::TREATMENT_OVERDUE,
                        format!(
                            "treatment action {} of risk `{}` was due on {} and is not done",
                            k + 1,
                            risk.id,
                            a.due
                        ),
                    );
                }
            }
        }
    }
}
