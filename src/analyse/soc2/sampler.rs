//! The sampler: the seed, the size table and the evidence lookups of one pack, built once;
//! it draws each control's sample from its population and concludes.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rayon::prelude::*;

use super::rotation::rotation_controls;
#[cfg(doc)]
use super::Soc2Analysis;
use super::{
    Conclusion, ControlPopulation, ControlTest, ItemResult, PopulationSource, RotationDeviation,
    Sampled,
};
use crate::analyse::commitment::Commitment;
use crate::analyse::identities::{self, IdentityReview, LateRotation, Until};
use crate::analyse::sampling::{self, SampleSizes, SamplingError};
use crate::analyse::soc2_sources;
use crate::content::catalog::{catalogs, SOC2};
use crate::content::model::{Control, Outcome, Pack, Period};
use crate::content::Content;

/// Draws samples for the controls of one pack: the seed, the size table, the period and the
/// evidence lookups, built once.
#[derive(Debug)]
pub struct Sampler<'c> {
    pub(super) content: &'c Content,
    /// The seed in force: `soc2.sampling_seed`, or the committed seed once
    /// [`Soc2Analysis::new`] has derived it.
    pub seed: String,
    /// The effective sample-size table.
    pub sizes: SampleSizes,
    /// The period under review.
    pub period: Period,
    /// The date the pack is evaluated at ([`Content::as_of`]): populations end there, and a
    /// credential not rotated by then is overdue.
    pub as_of: NaiveDate,
    /// Every non-human identity's rotations, reviews, offboardings and late rotations.
    pub identities: Vec<IdentityReview<'c>>,
    /// Controls whose population is the identities' required rotations.
    pub(super) rotation_controls: HashSet<&'c str>,
    in_scope_criteria: HashSet<&'static str>,
    by_key: HashMap<&'c str, Vec<usize>>,
    late_by_record: HashMap<usize, LateRotation>,
    /// Evidence records that address a source's item (`item:`), by address.
    by_item: HashMap<&'c str, Vec<usize>>,
    /// How the seed was derived, when the pack commits it (`soc2.seed_commitment`).
    pub commitment: Option<Commitment>,
    /// Samples drawn so far (tests count that each control is drawn once).
    #[cfg(test)]
    pub(super) draws: std::sync::atomic::AtomicUsize,
}

impl<'c> Sampler<'c> {
    /// Set up sampling for `content` under `pack`'s settings; refuses a zero sample size, and a
    /// pack without a seed that declares `soc2-2017` (a pack that does not cannot map a control
    /// to a SOC 2 criterion, so nothing is sampled and the seed is left empty).
    pub fn new(content: &'c Content, pack: &'c Pack) -> Result<Sampler<'c>, SamplingError> {
        let seed = match sampling::seed(&pack.soc2) {
            // The committed seed needs the populations: Soc2Analysis::new derives it.
            _ if pack.soc2.seed_commitment.is_some() => "",
            Err(SamplingError::MissingSeed) if !pack.frameworks.iter().any(|f| f == SOC2) => "",
            other => other?,
        }
        .to_string();
        let sizes = SampleSizes::from_settings(&pack.soc2)?;
        let mut by_key: HashMap<&str, Vec<usize>> = HashMap::with_capacity(content.evidence.len());
        for (i, r) in content.evidence.iter().enumerate() {
            let ev = &r.value;
            by_key.entry(ev.id.as_str()).or_default().push(i);
            if let Some(src) = ev.source.as_deref().filter(|s| *s != ev.id) {
                by_key.entry(src).or_default().push(i);
            }
        }
        let window = content.evaluated_period().unwrap_or(pack.period);
        let identities = identities::review(content, content.index(), window);
        let late_by_record = identities
            .iter()
            .flat_map(|r| r.late.iter())
            .filter_map(|l| match l.until {
                Until::Rotation(i) => Some((i, l.clone())),
                _ => None,
            })
            .collect();
        let in_scope_criteria = catalogs()
            .soc2
            .in_categories(&pack.soc2.categories)
            .into_iter()
            .map(|c| c.id.as_str())
            .collect();
        Ok(Sampler {
            content,
            seed,
            sizes,
            period: pack.period,
            as_of: window.end,
            identities,
            rotation_controls: rotation_controls(content),
            in_scope_criteria,
            by_key,
            late_by_record,
            by_item: soc2_sources::records_by_item(content),
            commitment: None,
            #[cfg(test)]
            draws: Default::default(),
        })
    }

    /// Derive the committed seed from `nonce` and the population digests of the in-scope
    /// `controls`, and use it from now on. Populations do not depend on the seed, and nothing
    /// is drawn before the seed is final.
    pub fn commit(&mut self, nonce: &str, controls: &[&'c Control]) {
        let populations: Vec<ControlPopulation<'c>> =
            controls.par_iter().map(|c| self.population(c)).collect();
        self.commit_to(nonce, controls, &populations);
    }

    /// [`Sampler::commit`] to the `populations` already taken of `controls` (same order).
    pub(super) fn commit_to(
        &mut self,
        nonce: &str,
        controls: &[&'c Control],
        populations: &[ControlPopulation<'c>],
    ) {
        let populations = controls
            .iter()
            .zip(populations)
            .filter(|(c, _)| self.in_scope(c))
            .map(|(c, p)| (c.id.clone(), p.digest.clone()))
            .collect();
        let commitment = Commitment::new(nonce, populations);
        self.seed = commitment.seed.clone();
        self.commitment = Some(commitment);
    }

    /// The late rotation that evidence record `i` closes, if it came late.
    pub fn late_rotation(&self, i: usize) -> Option<&LateRotation> {
        self.late_by_record.get(&i)
    }

    /// Whether evidence record `i` is an exception: `result: exception`, or a late rotation.
    pub fn is_exception(&self, i: usize) -> bool {
        self.content
            .evidence
            .get(i)
            .is_some_and(|r| r.value.result == Outcome::Exception)
            || self.late_by_record.contains_key(&i)
    }

    /// Whether `control` maps to a SOC 2 criterion of a category in scope.
    pub fn in_scope(&self, control: &Control) -> bool {
        control.maps.get(SOC2).is_some_and(|ids| {
            ids.iter()
                .any(|id| self.in_scope_criteria.contains(id.as_str()))
        })
    }

    /// Test one control: population, digest, sample, results and conclusion.
    pub fn test(&self, control: &'c Control) -> ControlTest<'c> {
        self.sample(control, self.population(control))
    }

    /// Draw the sample from a control's `population` (once, or twice on an extension after a
    /// deviation) and conclude.
    pub(super) fn sample(
        &self,
        control: &'c Control,
        population: ControlPopulation<'c>,
    ) -> ControlTest<'c> {
        let ControlPopulation {
            source,
            items: population,
            titles,
            failed,
            schedule,
            rotations,
            rotation_due,
            digest,
        } = population;
        let content = self.content;
        let id = control.id.as_str();
        let period = self.period;
        let mut rule = self
            .sizes
            .rule(control.frequency, control.automated, population.len());
        // soc2.extend_on_deviation: a deviation in the first sample takes the larger one. The
        // ranking is the same, so the first sample is the start of the extended one, and one
        // draw of the larger size gives both.
        let extended = self
            .sizes
            .extended(rule.size)
            .map(|to| to.min(population.len()))
            .filter(|&to| to > rule.size);
        #[cfg(test)]
        self.draws
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let picks = sampling::draw(&self.seed, id, &population, extended.unwrap_or(rule.size));
        let judge = |(k, pick): (usize, &sampling::Pick)| -> Sampled {
            let item = &population[pick.index];
            let judged = rotations.as_ref().map(|r| r[pick.index].clone());
            let evidence = match (&failed, &schedule) {
                _ if judged.is_some() => judged.as_ref().map_or_else(Vec::new, |j| j.0.clone()),
                (None, Some(s)) => s.due[pick.index].evidence.clone(),
                (Some(_), _) => self
                    .by_item
                    .get(item.id.as_str())
                    .cloned()
                    .unwrap_or_default(),
                (None, None) => self.evidence_for(&item.id, id),
            };
            let result = if let Some((_, result)) = judged {
                result
            } else if let Some(failed) = &failed {
                // The export is the evidence: its attributes decide, records can only add an
                // exception.
                if failed[pick.index] || evidence.iter().any(|&i| self.is_exception(i)) {
                    ItemResult::Exception
                } else {
                    ItemResult::Pass
                }
            } else if evidence.is_empty() {
                ItemResult::Missing
            } else if evidence.iter().any(|&i| self.is_exception(i)) {
                ItemResult::Exception
            } else {
                ItemResult::Pass
            };
            let title = titles[pick.index].map(str::to_string).or_else(|| {
                evidence
                    .first()
                    .map(|&i| content.evidence[i].value.title.clone())
            });
            Sampled {
                rank: k + 1,
                id: item.id.clone(),
                occurred_on: item.occurred_on,
                title,
                hash: pick.hash.clone(),
                evidence,
                result,
            }
        };
        let first = rule.size.min(picks.len());
        let mut sample: Vec<Sampled> = picks[..first].iter().enumerate().map(judge).collect();
        let deviation = sample.iter().any(|s| s.result != ItemResult::Pass);
        if let Some(to) = extended.filter(|_| deviation) {
            rule.extended_from = Some(rule.size);
            rule.size = to;
            rule.whole_population = to >= population.len();
            sample.extend(picks.iter().enumerate().skip(first).map(judge));
        }
        let deviations = match &source {
            PopulationSource::Sources { sources } => {
                let picked: HashSet<&str> = sample.iter().map(|s| s.id.as_str()).collect();
                soc2_sources::deviations(content, sources, &picked, &self.by_item)
            }
            _ => Vec::new(),
        };
        let picked: HashSet<&str> = sample.iter().map(|s| s.id.as_str()).collect();
        let rotation_deviations: Vec<RotationDeviation> = rotation_due
            .iter()
            .zip(rotations.iter().flatten())
            .filter(|(d, _)| d.is_deviation())
            .map(|(d, (evidence, _))| {
                let item = d.key();
                RotationDeviation {
                    sampled: picked.contains(item.as_str()),
                    item,
                    identity: d.identity.clone(),
                    status: d.status,
                    description: d.describe(content, self.as_of),
                    evidence: evidence.clone(),
                }
            })
            .collect();
        // Records shown beside a deviation are not listed again as unsampled exceptions.
        let sampled: HashSet<usize> = sample
            .iter()
            .flat_map(|s| s.evidence.iter().copied())
            .chain(deviations.iter().flat_map(|d| d.responses.iter().copied()))
            .chain(
                rotation_deviations
                    .iter()
                    .flat_map(|d| d.evidence.iter().copied()),
            )
            .collect();
        let mut unsampled_exceptions: Vec<usize> = self
            .records_of(id)
            .filter(|i| !sampled.contains(i))
            .filter(|&i| {
                self.is_exception(i) && period.contains(content.evidence[i].value.occurred_on)
            })
            .collect();
        unsampled_exceptions.sort_by(|&a, &b| {
            let (a, b) = (&content.evidence[a].value, &content.evidence[b].value);
            (a.occurred_on, a.id.as_bytes()).cmp(&(b.occurred_on, b.id.as_bytes()))
        });
        let conclusion = if population.is_empty() {
            Conclusion::NoPopulation
        } else if sample.iter().any(|s| s.result != ItemResult::Pass)
            || !unsampled_exceptions.is_empty()
            || !deviations.is_empty()
            || schedule.as_ref().is_some_and(|s| s.gaps().next().is_some())
            || !rotation_deviations.is_empty()
        {
            // A sampled item without evidence is a deviation like an exception.
            Conclusion::Exceptions
        } else {
            Conclusion::NoExceptions
        };
        ControlTest {
            control,
            in_scope: self.in_scope(control),
            source,
            population,
            digest,
            rule,
            sample,
            unsampled_exceptions,
            conclusion,
            deviations,
            schedule,
            rotation_deviations,
        }
    }

    /// Indices of the evidence records that list `control`, in content order, each once.
    pub(super) fn records_of<'a>(&'a self, control: &str) -> impl Iterator<Item = usize> + 'a {
        let index = self.content.index();
        let list = index
            .controls
            .get(control)
            .map_or(&[][..], |&c| index.evidence_of_control[c].as_slice());
        list.iter().copied()
    }

    /// Indices of the evidence records of `control` whose `id` or `source` is `item`, in
    /// content order.
    fn evidence_for(&self, item: &str, control: &str) -> Vec<usize> {
        let mut v: Vec<usize> = self
            .by_key
            .get(item)
            .into_iter()
            .flatten()
            .copied()
            .filter(|&i| {
                self.content.evidence[i]
                    .value
                    .controls
                    .iter()
                    .any(|c| c == control)
            })
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{control, evidence, pack};
    use super::super::{Conclusion, Soc2Analysis};
    use super::*;
    use crate::content::model::Frequency;
    use crate::content::{Population, PopulationRow};
    use crate::test_support::d;

    #[test]
    fn conclusions() {
        let mut content = Content::default();
        content
            .controls
            .push(control("EMPTY", Frequency::OnEvent, false));
        content
            .controls
            .push(control("MISS", Frequency::Annual, false));
        content
            .controls
            .push(control("AUTO", Frequency::Daily, true));
        content.populations.push(Population {
            control: "MISS".into(),
            file: 0,
            rows: vec![PopulationRow {
                id: "R-1".into(),
                occurred_on: d("2026-01-05"),
                title: Some("row".into()),
                line: 2,
            }],
        });
        // AUTO: 30 passing records and one exception; the test of one may not pick it, but the
        // known exception still makes the conclusion "Exceptions noted".
        for i in 0..30 {
            content.evidence.push(evidence(
                &format!("A-{i:02}"),
                "AUTO",
                "2026-01-02",
                None,
                true,
            ));
        }
        content
            .evidence
            .push(evidence("A-x", "AUTO", "2026-01-03", None, false));
        let pack = pack(Some("s"));
        let a = Soc2Analysis::new(&content, &pack).unwrap();
        assert_eq!(
            a.test("EMPTY").unwrap().conclusion,
            Conclusion::NoPopulation
        );
        let miss = a.test("MISS").unwrap();
        assert_eq!(
            miss.conclusion,
            Conclusion::Exceptions,
            "missing evidence is a deviation"
        );
        assert_eq!(miss.sample[0].title.as_deref(), Some("row"));
        let auto = a.test("AUTO").unwrap();
        assert_eq!(auto.sample.len(), 1);
        assert_eq!(auto.conclusion, Conclusion::Exceptions);
        let picked_exception = auto.sample[0].id == "A-x";
        assert_eq!(
            auto.unsampled_exceptions.len(),
            usize::from(!picked_exception)
        );
        assert_eq!(
            a.tests
                .iter()
                .map(|t| t.control.id.as_str())
                .collect::<Vec<_>>(),
            ["AUTO", "EMPTY", "MISS"]
        );
    }

    #[test]
    fn a_pack_without_a_seed_is_refused() {
        let content = Content::default();
        let pack = pack(None);
        assert_eq!(
            Soc2Analysis::new(&content, &pack).err(),
            Some(SamplingError::MissingSeed)
        );
    }

    #[test]
    fn a_pack_without_soc2_needs_no_seed() {
        let content = Content::default();
        let mut pack = pack(None);
        pack.frameworks = vec!["iso27001-2022".into()];
        assert_eq!(Sampler::new(&content, &pack).unwrap().seed, "");
    }

    #[test]
    fn scope_follows_the_categories() {
        let content = Content::default();
        let pack = pack(Some("s"));
        let s = Sampler::new(&content, &pack).unwrap();
        let mut c = control("C", Frequency::Annual, false).value;
        assert!(s.in_scope(&c));
        c.maps.insert(SOC2.into(), vec!["A1.1".into()]);
        assert!(!s.in_scope(&c), "availability is not in scope of this pack");
        c.maps.clear();
        assert!(!s.in_scope(&c));
    }

    #[test]
    fn a_committed_seed_draws_each_control_once_and_only_after_the_seed_is_final() {
        use std::sync::atomic::Ordering::Relaxed;
        let mut content = Content::default();
        for id in ["C-1", "C-2", "C-3"] {
            content.controls.push(control(id, Frequency::Weekly, false));
            for i in 0..8 {
                let e = evidence(&format!("{id}-E{i}"), id, "2026-02-01", None, true);
                content.evidence.push(e);
            }
        }
        let mut pack = pack(None);
        pack.soc2.seed_commitment =
            Some(crate::content::model::SeedCommitment { nonce: "n".into() });
        let a = Soc2Analysis::new(&content, &pack).unwrap();
        assert_eq!(a.sampler.draws.load(Relaxed), 3, "one draw per control");
        let c = a.sampler.commitment.as_ref().unwrap();
        assert_eq!(c.populations.len(), 3);
        assert_eq!(a.sampler.seed, c.seed);
        for t in &a.tests {
            assert_eq!(t.sample.len(), 5);
            let first: Vec<&str> = sampling::draw(&c.seed, &t.control.id, &t.population, 5)
                .into_iter()
                .map(|p| t.population[p.index].id.as_str())
                .collect();
            let drawn: Vec<&str> = t.sample.iter().map(|s| s.id.as_str()).collect();
            assert_eq!(
                drawn, first,
                "{} is drawn with the committed seed",
                t.control.id
            );
        }
        // `evidencepack sample` commits without drawing anything, to the same seed.
        let mut s = Sampler::new(&content, &pack).unwrap();
        let controls: Vec<&Control> = content.controls.iter().map(|r| &r.value).collect();
        s.commit("n", &controls);
        assert_eq!(s.seed, c.seed);
        assert_eq!(s.draws.load(Relaxed), 0);
    }
}
