//! The sources of a control on its SOC 2 page: each export's provenance and completeness, the
//! attribute results of every sampled item, and the deviations over the whole population with
//! the records that answer them. Everything an export says is untrusted text: the templates
//! escape it, and an item's link is kept only when it is an `https://` address.

use chrono::NaiveDate;
use serde::Serialize;

use super::ctx::Ctx;
use super::views::EvidenceRef;
use crate::analyse::soc2::{ControlTest, PopulationSource};
use crate::analyse::soc2_sources::{self, SourceFacts};
use crate::render::views::PersonView;
use crate::sources::Outcome;

/// One source of a control: what the export is and how complete it is.
#[derive(Serialize)]
pub(super) struct SourceView<'a> {
    pub(super) id: &'a str,
    pub(super) kind: &'static str,
    pub(super) file: &'a str,
    /// The copy in the bundle (`files/<sha256>.<ext>`), when the audience may see it.
    pub(super) href: Option<&'a str>,
    pub(super) sha256: &'a str,
    pub(super) bytes: u64,
    pub(super) rows_read: u64,
    pub(super) items: u64,
    pub(super) items_in_period: u64,
    pub(super) earliest: Option<NaiveDate>,
    pub(super) latest: Option<NaiveDate>,
    pub(super) extracted_at: String,
    pub(super) extracted_by: PersonView<'a>,
    pub(super) command: &'a str,
    pub(super) warnings: Vec<String>,
    /// IAM users with active keys that no identity or person claims (credential report only);
    /// their names are withheld with the items.
    pub(super) unclaimed: Vec<UnclaimedView<'a>>,
}

/// An account of a source with active credentials that no identity or person claims.
#[derive(Serialize)]
pub(super) struct UnclaimedView<'a> {
    pub(super) user: &'a str,
    pub(super) active_keys: u8,
}

/// One attribute result of a sampled item.
#[derive(Serialize)]
pub(super) struct ResultView<'a> {
    pub(super) attribute: &'static str,
    pub(super) describe: &'static str,
    /// `pass`, `fail` or `n/a`.
    pub(super) outcome: &'static str,
    pub(super) reason: Option<&'a str>,
}

/// One deviation of the population.
#[derive(Serialize)]
pub(super) struct DeviationView<'a> {
    pub(super) id: String,
    pub(super) source: &'a str,
    pub(super) key: &'a str,
    pub(super) link: Option<String>,
    pub(super) attribute: &'static str,
    pub(super) describe: &'static str,
    pub(super) reason: &'a str,
    pub(super) sampled: bool,
    pub(super) responses: Vec<EvidenceRef<'a>>,
}

/// What stands for an item's key, title or failure reason the audience may not see.
pub(super) const WITHHELD: &str = "withheld";

/// A link an export gives, when it is safe to follow.
fn safe_link(link: &str) -> Option<String> {
    link.starts_with("https://").then(|| link.to_string())
}

impl<'a> Ctx<'a> {
    /// The facts of the sources of `t` (none when its population does not come from sources).
    fn facts_of(&self, t: &ControlTest<'_>) -> Vec<SourceFacts<'a>> {
        match &t.source {
            PopulationSource::Sources { sources } => sources
                .iter()
                .filter_map(|&i| soc2_sources::facts(self.content, i))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The sources of `t`, as its page shows them.
    pub(super) fn source_views(&self, t: &ControlTest<'_>) -> Vec<SourceView<'a>> {
        self.facts_of(t)
            .into_iter()
            .map(|f| {
                let p = &f.loaded.provenance;
                let visible = self.source_items_visible(f.index);
                let unclaimed = f
                    .loaded
                    .unknown_credentials
                    .iter()
                    .map(|u| UnclaimedView {
                        user: if visible { &u.user } else { WITHHELD },
                        active_keys: u.active_keys,
                    })
                    .collect();
                SourceView {
                    id: &f.decl.id,
                    kind: f.decl.kind.kind().as_str(),
                    file: f.rel,
                    href: self.exports.get(f.rel).map(|e| e.path.as_str()),
                    sha256: &p.sha256,
                    bytes: p.bytes,
                    rows_read: p.rows_read,
                    items: p.items,
                    items_in_period: f.provenance.items_in_period,
                    earliest: p.earliest,
                    latest: p.latest,
                    extracted_at: f.decl.extracted_at.to_rfc3339(),
                    extracted_by: self.person(&f.decl.extracted_by),
                    command: &f.decl.command,
                    warnings: f.warnings,
                    unclaimed,
                }
            })
            .collect()
    }

    /// May the audience see the items of source `index` (into `content.sources`)? The items of
    /// a source classified above the audience's ceiling are counted and their outcomes shown,
    /// but their keys, titles, links and failure reasons (which name accounts) stay off the
    /// pages, as the export itself stays out of the bundle.
    pub(super) fn source_items_visible(&self, index: usize) -> bool {
        let Some(s) = self.content.sources.get(index) else {
            return true;
        };
        self.pack
            .sources
            .get(s.decl)
            .is_none_or(|decl| self.visible(self.content.source_classification(decl)))
    }

    /// Does `t`'s population come from a source whose items the audience may not see?
    pub(super) fn population_withheld(&self, t: &ControlTest<'_>) -> bool {
        match &t.source {
            PopulationSource::Sources { sources } => {
                sources.iter().any(|&i| !self.source_items_visible(i))
            }
            _ => false,
        }
    }

    /// Is the sampled item `id` (`<source id>:<key>`) of `t` from a source whose items the
    /// audience may not see?
    pub(super) fn item_withheld(&self, t: &ControlTest<'_>, id: &str) -> bool {
        let PopulationSource::Sources { sources } = &t.source else {
            return false;
        };
        sources.iter().any(|&i| {
            let decl = self
                .content
                .sources
                .get(i)
                .and_then(|s| self.pack.sources.get(s.decl));
            decl.is_some_and(|d| {
                id.strip_prefix(d.id.as_str())
                    .is_some_and(|k| k.starts_with(':'))
            }) && !self.source_items_visible(i)
        })
    }

    /// The attribute results of the sampled item `id` (`<source id>:<key>`) of `t`.
    pub(super) fn item_results(&self, t: &ControlTest<'_>, id: &str) -> Vec<ResultView<'a>> {
        for f in self.facts_of(t) {
            let Some(key) = id
                .strip_prefix(f.decl.id.as_str())
                .and_then(|k| k.strip_prefix(':'))
            else {
                continue;
            };
            if let Some(item) = f.loaded.population.find(key) {
                let withheld = !self.source_items_visible(f.index);
                return item
                    .results()
                    .map(|r| {
                        let (outcome, reason) = match r.outcome {
                            Outcome::Pass => ("pass", None),
                            Outcome::Fail(_) if withheld => ("fail", Some(WITHHELD)),
                            Outcome::Fail(why) => ("fail", Some(why)),
                            Outcome::NotApplicable(why) => ("n/a", Some(why)),
                        };
                        ResultView {
                            attribute: r.attribute.id(),
                            describe: r.attribute.describe(),
                            outcome,
                            reason,
                        }
                    })
                    .collect();
            }
        }
        Vec::new()
    }

    /// The deviations of `t` over its whole population.
    pub(super) fn deviation_views(&self, t: &'a ControlTest<'a>) -> Vec<DeviationView<'a>> {
        let facts = self.facts_of(t);
        t.deviations
            .iter()
            .map(|d| {
                if !self.source_items_visible(d.source) {
                    return DeviationView {
                        id: format!("{}:{WITHHELD}", d.source_id),
                        source: d.source_id,
                        key: WITHHELD,
                        link: None,
                        attribute: d.attribute.id(),
                        describe: d.attribute.describe(),
                        reason: WITHHELD,
                        sampled: d.sampled,
                        responses: d.responses.iter().map(|&i| self.evidence_ref(i)).collect(),
                    };
                }
                let link = facts
                    .iter()
                    .find(|f| f.index == d.source)
                    .and_then(|f| f.loaded.population.find(d.key))
                    .and_then(|item| item.link())
                    .and_then(|l| safe_link(&l));
                DeviationView {
                    id: d.address(),
                    source: d.source_id,
                    key: d.key,
                    link,
                    attribute: d.attribute.id(),
                    describe: d.attribute.describe(),
                    reason: d.reason,
                    sampled: d.sampled,
                    responses: d.responses.iter().map(|&i| self.evidence_ref(i)).collect(),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::safe_link;

    #[test]
    fn only_https_links_are_kept() {
        assert_eq!(
            safe_link("https://github.com/northwind/platform/pull/1").as_deref(),
            Some("https://github.com/northwind/platform/pull/1")
        );
        assert_eq!(safe_link("javascript:alert(1)"), None);
        assert_eq!(safe_link("http://x.example/"), None);
        assert_eq!(safe_link("=HYPERLINK(\"x\")"), None);
    }
}
