//! Lookups by id, built once on the content side.

use std::collections::HashMap;

use super::catalog::catalogs;
use super::links::LinkKind;
use super::Content;

/// Lookups by id, built once and shared by validation, analysis and rendering.
#[derive(Debug, Default)]
pub struct Index<'a> {
    /// Person id → index in `content.people`.
    pub people: HashMap<&'a str, usize>,
    /// Policy id → index in `content.policies`.
    pub policies: HashMap<&'a str, usize>,
    /// Control id → index in `content.controls`.
    pub controls: HashMap<&'a str, usize>,
    /// Risk id → index in `content.risks`.
    pub risks: HashMap<&'a str, usize>,
    /// Identity id → index in `content.identities`.
    pub identities: HashMap<&'a str, usize>,
    /// Evidence id → index in `content.evidence`.
    pub evidence: HashMap<&'a str, usize>,
    /// Review id → index in `content.reviews`.
    pub reviews: HashMap<&'a str, usize>,
}

impl<'a> Index<'a> {
    /// Build the index (first definition wins; duplicates are reported by [`validate`]).
    pub fn build(content: &'a Content) -> Index<'a> {
        fn map<'a, T>(items: &'a [T], id: impl Fn(&'a T) -> &'a str) -> HashMap<&'a str, usize> {
            let mut m = HashMap::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                m.entry(id(item)).or_insert(i);
            }
            m
        }
        Index {
            people: map(&content.people, |r| r.value.id.as_str()),
            policies: map(&content.policies, |d| d.meta.id.as_str()),
            controls: map(&content.controls, |r| r.value.id.as_str()),
            risks: map(&content.risks, |r| r.value.id.as_str()),
            identities: map(&content.identities, |r| r.value.id.as_str()),
            evidence: map(&content.evidence, |r| r.value.id.as_str()),
            reviews: map(&content.reviews, |d| d.meta.id.as_str()),
        }
    }

    /// Does a `kind:id` link resolve?
    pub fn resolves(&self, kind: LinkKind, id: &str) -> bool {
        let cat = catalogs();
        match kind {
            LinkKind::Policy => self.policies.contains_key(id),
            LinkKind::Control => self.controls.contains_key(id),
            LinkKind::Evidence => self.evidence.contains_key(id),
            LinkKind::Risk => self.risks.contains_key(id),
            LinkKind::Identity => self.identities.contains_key(id),
            LinkKind::Review => self.reviews.contains_key(id),
            LinkKind::Annex => cat.iso.annex(id).is_some(),
            LinkKind::Clause => cat.iso.clause(id).is_some(),
            LinkKind::Soc2 => cat.soc2.criterion(id).is_some(),
            LinkKind::Csf => {
                cat.csf.subcategory(id).is_some()
                    || cat.csf.category(id).is_some()
                    || cat.csf.function(id).is_some()
            }
        }
    }
}
