//! The documented information ISO/IEC 27001:2022 requires ([`crate::content::clauses`]): the
//! clause ids records map to exist, and each required piece is somewhere in the pack.

use super::{Rec, Validator};
use crate::content::catalog::catalogs;
use crate::content::clauses::missing;
use crate::diag::{codes, Place, RecordKind};

impl Validator<'_, '_> {
    /// `clauses:` of policies and controls name real clauses; every required piece of
    /// documented information is held (a warning per missing one, at pack.yaml, once the pack
    /// has no errors).
    pub(super) fn clauses(&mut self) {
        let c = self.content;
        let iso = &catalogs().iso;
        let mut refs: Vec<(Rec, &str, usize)> = Vec::new();
        for d in &c.policies {
            let rec = Rec::new(&d.loc, RecordKind::Policy, &d.meta.id);
            refs.extend(
                d.meta
                    .clauses
                    .iter()
                    .enumerate()
                    .map(|(i, id)| (rec, id.as_str(), i)),
            );
        }
        for r in &c.controls {
            let rec = Rec::new(&r.loc, RecordKind::Control, &r.value.id);
            refs.extend(
                r.value
                    .clauses
                    .iter()
                    .enumerate()
                    .map(|(i, id)| (rec, id.as_str(), i)),
            );
        }
        for (rec, id, i) in refs {
            if iso.clause(id).is_none() {
                self.problem(
                    rec,
                    rec.field(&format!("clauses/{i}")),
                    codes::UNKNOWN_FRAMEWORK_ID,
                    format!("`{id}` is not an ISO 27001:2022 clause"),
                )
                .hint("clauses run 4 to 10.2 (`9.3` is management review); Annex A controls go under `maps:`");
            }
        }
        // In a pack with errors a missing piece may be a record that failed to parse: report
        // what is missing once the pack is valid, not as a consequence of an error.
        let Some(pack) = c.pack.as_ref().filter(|_| self.report.error_count() == 0) else {
            return;
        };
        for r in missing(c) {
            self.push(
                pack.loc.file,
                Place::Start,
                codes::CLAUSE_DOCUMENT_MISSING,
                format!(
                    "the pack holds no documented information for clause {} ({})",
                    r.clause, r.what
                ),
            )
            .hint(format!(
                "add it, or map the policy or control that is it with `clauses: [\"{}\"]`",
                r.clause
            ));
        }
    }
}
