//! What the bundles would refuse or show, found by `check` first: a SOC 2 criterion (mapped or
//! linked) of a category the pack does not declare, whose criteria page the SOC 2 bundle does
//! not have (`E105`); and the findings the bundles show as warnings: sampled items without
//! evidence (`W160`, the request list), in-scope criteria no control maps to (`W161`), review
//! actions still open after their due date (`W162`).

use std::collections::BTreeSet;

use super::{Rec, Validator};
use crate::analyse::soc2::Soc2Analysis;
use crate::content::catalog::{catalogs, SECURITY, SOC2};
use crate::content::model::{Pack, Status};
use crate::diag::{codes, Code, RecordKind};

/// The codes of the findings the bundles already show in their own form (request list,
/// criteria coverage, actions): the pages do not list them again among the warnings.
pub const SHOWN_BY_BUNDLES: [Code; 3] = [
    codes::SAMPLE_MISSING_EVIDENCE,
    codes::CRITERION_UNCOVERED,
    codes::ACTION_OVERDUE,
];

/// Is the SOC 2 criterion `id` (a known one) of a category `pack` declares (security always;
/// every one when pack.yaml could not be read)?
pub(super) fn criterion_in_scope(pack: Option<&Pack>, id: &str) -> bool {
    let Some(c) = catalogs().soc2.criterion(id) else {
        return true;
    };
    // Without a readable pack.yaml its scope is unknown: its own error says so, and the
    // criteria are not reported out of scope on top of it (no cascade).
    c.category == SECURITY || pack.is_none_or(|p| p.soc2.categories.contains(&c.category))
}

/// The hint for a criterion of a category the pack does not declare.
pub(super) fn out_of_scope_hint(id: &str) -> String {
    let category = catalogs()
        .soc2
        .criterion(id)
        .map_or("", |c| c.category.as_str());
    format!("add `{category}` to `soc2.categories` in pack.yaml, or remove it: the SOC 2 report covers only the categories in scope")
}

impl Validator<'_, '_> {
    /// The warnings the bundles show, as `check` warnings.
    pub(super) fn bundle_findings(&mut self) {
        let Some(pack) = &self.content.pack else {
            return;
        };
        // Coverage and samples of a pack with errors would report their consequences (a mapping
        // or a population row that failed, a record that did not parse): errors come first, and
        // these findings once the pack is valid.
        let valid = self.report.error_count() == 0;
        if valid && pack.value.frameworks.iter().any(|f| f == SOC2) {
            self.uncovered_criteria();
            self.samples_without_evidence();
        }
        self.overdue_actions();
    }

    /// `W161`: in-scope criteria that no control maps to (one warning for the pack).
    fn uncovered_criteria(&mut self) {
        let c = self.content;
        let Some(pack) = &c.pack else { return };
        let mapped: BTreeSet<&str> = c
            .controls
            .iter()
            .filter_map(|r| r.value.maps.get(SOC2))
            .flatten()
            .map(String::as_str)
            .collect();
        let field = if pack.value.soc2.categories.is_empty() {
            "frameworks"
        } else {
            "soc2/categories"
        };
        let uncovered: Vec<&str> = catalogs()
            .soc2
            .in_categories(&pack.value.soc2.categories)
            .into_iter()
            .map(|crit| crit.id.as_str())
            .filter(|id| !mapped.contains(id))
            .collect();
        let Some(first) = uncovered.first() else {
            return;
        };
        let n = uncovered.len();
        let shown = if n > 8 {
            format!("{}, …", uncovered[..8].join(", "))
        } else {
            uncovered.join(", ")
        };
        self.push(
            pack.loc.file,
            pack.loc.field(field),
            codes::CRITERION_UNCOVERED,
            format!(
                "{n} SOC 2 criteri{} in scope {} no control mapping to {} ({shown})",
                if n == 1 { "on" } else { "a" },
                if n == 1 { "has" } else { "have" },
                if n == 1 { "it" } else { "them" },
            ),
        )
        .hint(format!(
            "map a control to each: `maps: {{ soc2-2017: [{first}] }}`; `evidencepack catalog soc2-2017 --unmapped` lists them"
        ));
    }

    /// `W160`: in-scope controls whose sample has items without evidence (one warning per
    /// control, naming the first items), but for calendar populations.
    fn samples_without_evidence(&mut self) {
        let c = self.content;
        let Some(pack) = &c.pack else { return };
        // A sampling setting that stops the sample is an error of its own.
        let Ok(analysis) = Soc2Analysis::new(c, &pack.value) else {
            return;
        };
        // A periodic control's missing occurrences are its calendar gaps, which `W103` reports
        // (sampled or not): one warning per cause.
        for test in analysis.in_scope().filter(|t| t.schedule.is_none()) {
            let missing: Vec<&str> = test.missing().map(|s| s.id.as_str()).collect();
            if missing.is_empty() {
                continue;
            }
            let id = test.control.id.as_str();
            let Some(&i) = self.index.controls.get(id) else {
                continue;
            };
            let rec = Rec::new(&c.controls[i].loc, RecordKind::Control, id);
            let shown = if missing.len() > 3 {
                format!("{}, …", missing[..3].join(", "))
            } else {
                missing.join(", ")
            };
            let n = missing.len();
            self.problem(
                rec,
                rec.loc.place(),
                codes::SAMPLE_MISSING_EVIDENCE,
                format!(
                    "{n} sampled item{} of control `{id}` {} no evidence record ({shown}); {} a deviation of the control (\"deviations found\") until {} evidence is provided",
                    if n == 1 { "" } else { "s" },
                    if n == 1 { "has" } else { "have" },
                    if n == 1 { "it is" } else { "each is" },
                    if n == 1 { "its" } else { "their" },
                ),
            )
            .hint(format!("add evidence whose `id` or `source` is the item id; `evidencepack sample {id}` lists the sample"));
        }
    }

    /// `W162`: review actions still open after their due date, at the end of the period (or the
    /// as-of date).
    fn overdue_actions(&mut self) {
        let c = self.content;
        let Some(end) = self.as_of() else {
            return;
        };
        let when = if c.pack.as_ref().map(|p| p.value.period.end) == Some(end) {
            "the end of the period"
        } else {
            "the as-of date"
        };
        for d in &c.reviews {
            let rec = Rec::new(&d.loc, RecordKind::Review, &d.meta.id);
            for (i, a) in d.meta.actions.iter().enumerate() {
                if a.status == Status::Open && a.due < end {
                    self.problem(
                        rec,
                        rec.field(&format!("actions/{i}/due")),
                        codes::ACTION_OVERDUE,
                        format!(
                            "action `{}` of review `{}` was due on {} and is still open at {when} ({end})",
                            a.id, d.meta.id, a.due
                        ),
                    )
                    .about(RecordKind::Person, &a.owner)
                    .hint("close it (`status: closed`) or record why it is late");
                }
            }
        }
    }
}
