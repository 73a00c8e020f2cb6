//! The risk register under the pack's own method (`risk_method:`): every score, level, heat map
//! cell and appetite decision is computed from [`RiskMethod`], the register is sorted by id (and
//! shown again by score after treatment), and
//! each risk carries its treatment plan with the actions overdue at the end of the period.

use std::cmp::Ordering;

use super::model::Model;
use super::views::{
    BandView, HeatCell, HeatMap, HeatRow, MethodView, PlanActionView, RiskView, RisksPage, Score,
};
use crate::content::model::{ActionStatus, RegisterOrder};
use crate::content::risk_method::RiskMethod;
use crate::diag::RecordKind;
use crate::render::views::Titled;

impl<'a> Model<'a> {
    /// Every risk of the register, sorted by id (numbers in ids compare as numbers).
    pub(super) fn risk_views(&self) -> Vec<RiskView<'a>> {
        let method = self.method;
        let end = self.period.map(|p| p.end);
        let mut risks: Vec<RiskView<'a>> = self
            .content
            .risks
            .iter()
            .map(|r| {
                let v = &r.value;
                let score = method.score(v.likelihood, v.impact);
                let residual_score = v.residual.map(|s| method.score(s.likelihood, s.impact));
                let after = residual_score.unwrap_or(score);
                RiskView {
                    id: &v.id,
                    title: &v.title,
                    description: v.description.as_deref(),
                    owner: self.person(&v.owner),
                    likelihood: v.likelihood,
                    impact: v.impact,
                    score,
                    level: method.level(score),
                    treatment: v.treatment,
                    residual: v.residual.map(|s| Score(s.likelihood, s.impact)),
                    residual_score,
                    residual_level: residual_score.map(|s| method.level(s)),
                    controls: v.controls.iter().map(|c| self.control_title(c)).collect(),
                    accepted_by: v.accepted_by.as_deref().map(|p| self.person(p)),
                    reviewed_on: v.reviewed_on,
                    warnings: self.warnings(RecordKind::Risk, &v.id),
                    tone: method.tone_of(score),
                    residual_tone: residual_score.map(|s| method.tone_of(s)),
                    above_appetite: method.above_appetite(after),
                    accepted_on: v.accepted_on,
                    plan: v
                        .treatment_plan
                        .iter()
                        .map(|a| PlanActionView {
                            action: &a.action,
                            owner: self.person(&a.owner),
                            due: a.due,
                            status: match a.status {
                                ActionStatus::Planned => "planned",
                                ActionStatus::InProgress => "in progress",
                                ActionStatus::Done => "done",
                            },
                            overdue: a.status != ActionStatus::Done
                                && end.is_some_and(|e| a.due < e),
                        })
                        .collect(),
                    asset: v.asset.as_deref(),
                    threat: v.threat.as_deref(),
                    vulnerability: v.vulnerability.as_deref(),
                    scenario: v.scenario.as_deref(),
                    consequence: v.consequence.as_deref(),
                }
            })
            .collect();
        risks.sort_by(|a, b| natural_cmp(a.id, b.id));
        risks
    }

    /// The policy that documents the risk method, when the pack names one.
    pub(super) fn method_policy(&self) -> Option<Titled<'a>> {
        self.method.policy.as_deref().map(|p| self.policy_title(p))
    }

    /// The risk page: the method, both heat maps and the register, by id and by score.
    pub(super) fn risks_page(&self) -> RisksPage<'_> {
        let method = self.method;
        let n = method.bands.len();
        let (min, max) = method.score_range();
        let by_id: Vec<&RiskView> = self.risks.iter().collect();
        let by_score = by_score(&self.risks);
        let order = self
            .content
            .pack
            .as_ref()
            .map(|p| p.value.risk_register.order)
            .unwrap_or_default();
        let (risks, again, order) = match order {
            RegisterOrder::Id => (by_id, by_score, "id"),
            RegisterOrder::Score => (by_score, by_id, "score"),
        };
        RisksPage {
            risks,
            again,
            order,
            inherent: heat_map(method, &self.risks, |r| (r.likelihood, r.impact)),
            residual: heat_map(method, &self.risks, |r| {
                r.residual.map_or((r.likelihood, r.impact), |s| (s.0, s.1))
            }),
            method: MethodView {
                points: (0..method.likelihood.len().max(method.impact.len()))
                    .map(|i| {
                        (
                            i + 1,
                            method.likelihood.get(i).map_or("", String::as_str),
                            method.impact.get(i).map_or("", String::as_str),
                        )
                    })
                    .collect(),
                likelihood: &method.likelihood,
                impact: &method.impact,
                formula: match method.formula {
                    crate::content::risk_method::Formula::Product => "likelihood × impact",
                    crate::content::risk_method::Formula::Sum => "likelihood + impact",
                },
                min,
                max,
                bands: method
                    .bands
                    .iter()
                    .enumerate()
                    .map(|(i, b)| BandView {
                        level: &b.level,
                        from: b.from,
                        to: b.to,
                        tone: RiskMethod::tone(i, n),
                    })
                    .collect(),
                appetite: method.appetite,
                policy: self.method_policy(),
                declared: self
                    .content
                    .pack
                    .as_ref()
                    .is_some_and(|p| p.value.risk_method.is_some()),
            },
            above_appetite: self.risks.iter().filter(|r| r.above_appetite).count(),
            accepted: self
                .risks
                .iter()
                .filter(|r| r.above_appetite && r.accepted_by.is_some())
                .count(),
            overdue_actions: self
                .risks
                .iter()
                .flat_map(|r| &r.plan)
                .filter(|a| a.overdue)
                .count(),
        }
    }

    /// How many risks stay high (or worse) after treatment: their residual level has the tone
    /// `high` or `critical` under the method.
    pub(super) fn risks_high_residual(&self) -> usize {
        self.risks
            .iter()
            .filter(|r| matches!(r.residual_tone.unwrap_or(r.tone), "high" | "critical"))
            .count()
    }
}

/// The register ordered by the score after treatment (the inherent score where a risk has no
/// residual), highest first, then by inherent score, then by id.
fn by_score<'r, 'a>(risks: &'r [RiskView<'a>]) -> Vec<&'r RiskView<'a>> {
    let mut out: Vec<&RiskView> = risks.iter().collect();
    out.sort_by(|a, b| {
        let after = |r: &RiskView| r.residual_score.unwrap_or(r.score);
        after(b)
            .cmp(&after(a))
            .then(b.score.cmp(&a.score))
            .then_with(|| natural_cmp(a.id, b.id))
    });
    out
}

/// Compare ids so that `R-9` comes before `R-10`: runs of digits compare as numbers.
pub(super) fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Ordering::Equal,
            (None, _) => return Ordering::Less,
            (_, None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let da = a.iter().take_while(|c| c.is_ascii_digit()).count();
                let db = b.iter().take_while(|c| c.is_ascii_digit()).count();
                let (na, nb) = (&a[..da], &b[..db]);
                let strip = |n: &'_ [u8]| -> usize { n.iter().take_while(|&&c| c == b'0').count() };
                let (ta, tb) = (&na[strip(na)..], &nb[strip(nb)..]);
                let ord = ta
                    .len()
                    .cmp(&tb.len())
                    .then_with(|| ta.cmp(tb))
                    .then(da.cmp(&db));
                if ord != Ordering::Equal {
                    return ord;
                }
                (a, b) = (&a[da..], &b[db..]);
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(y);
                }
                (a, b) = (&a[1..], &b[1..]);
            }
        }
    }
}

/// The likelihood × impact grid of the method: `rows[highest impact first]`, each with one cell
/// per likelihood point (lowest first), every risk listed in its cell.
pub(super) fn heat_map<'r>(
    method: &RiskMethod,
    risks: &[RiskView<'r>],
    score: impl Fn(&RiskView) -> (u8, u8),
) -> HeatMap<'r> {
    let nl = u8::try_from(method.likelihood.len()).unwrap_or(u8::MAX);
    let ni = u8::try_from(method.impact.len()).unwrap_or(u8::MAX);
    let mut rows: Vec<HeatRow> = (1..=ni)
        .rev()
        .map(|impact| HeatRow {
            impact,
            label: method.impact[usize::from(impact - 1)].clone(),
            cells: (1..=nl)
                .map(|likelihood| {
                    let s = method.score(likelihood, impact);
                    HeatCell {
                        likelihood,
                        impact,
                        score: s,
                        level: method.level(s).to_string(),
                        tone: method.tone_of(s),
                        risks: Vec::new(),
                    }
                })
                .collect(),
        })
        .collect();
    for r in risks {
        let (l, i) = score(r);
        if (1..=nl).contains(&l) && (1..=ni).contains(&i) {
            rows[usize::from(ni - i)].cells[usize::from(l - 1)]
                .risks
                .push(r.id);
        }
    }
    HeatMap { rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_sort_by_their_numbers() {
        let mut ids = vec!["R-10", "R-9", "R-02", "R-1", "A-3", "R-10a", "R-100"];
        ids.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(ids, ["A-3", "R-1", "R-02", "R-9", "R-10", "R-10a", "R-100"]);
        assert_eq!(natural_cmp("R-01", "R-1"), Ordering::Greater);
        assert_eq!(natural_cmp("R-1", "R-1"), Ordering::Equal);
    }

    #[test]
    fn heat_map_puts_high_impact_on_top() {
        let map = heat_map(&RiskMethod::default(), &[], |_| (1, 1));
        assert_eq!(map.rows.len(), 5);
        assert_eq!(map.rows[0].impact, 5);
        assert_eq!(map.rows[0].cells.len(), 5);
        assert_eq!(map.rows[0].cells[4].level, "high");
        assert_eq!(map.rows[0].cells[4].score, 25);
        assert_eq!(map.rows[4].cells[0].level, "low");
        assert_eq!(map.rows[4].cells[0].likelihood, 1);
    }

    #[test]
    fn heat_map_follows_the_scales() {
        let method = RiskMethod {
            likelihood: vec!["a".into(), "b".into(), "c".into()],
            impact: vec!["x".into(); 4],
            bands: vec![crate::content::risk_method::Band {
                level: "all".into(),
                from: 1,
                to: 12,
            }],
            ..RiskMethod::default()
        };
        let map = heat_map(&method, &[], |_| (1, 1));
        assert_eq!(map.rows.len(), 4);
        assert_eq!(map.rows[0].impact, 4);
        assert_eq!(map.rows[0].cells.len(), 3);
        assert_eq!(map.rows[0].cells[2].score, 12);
    }
}
