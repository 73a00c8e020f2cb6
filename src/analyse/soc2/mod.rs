//! SOC 2 tests of operating effectiveness over a loaded pack: each control's population, its
//! reproducible sample ([`super::sampling`]), the result of every sampled item, a conclusion per
//! control, and the request list of sampled items still missing evidence.
//!
//! # Populations
//!
//! A control's population is the items of its sources ([`super::soc2_sources`]) when it has
//! any; else the rows of `populations/<control-id>.csv` dated inside the period when that file
//! exists (rows outside the period are left out and counted); else, for a manual annual to
//! multiple-daily control, the occurrences its calendar expected up to the as-of date, each
//! matched to its evidence ([`super::periodic`]; item id = interval id such as `2026-W05`, date =
//! the day it was due; one without evidence is a gap, a deviation whether sampled or not);
//! otherwise the evidence records that list the control and are dated inside the period up to
//! the as-of date (item id = record id).
//!
//! # Results
//!
//! A sampled item's evidence is every record that lists the control and whose `id` or `source`
//! equals the item id (for a record-based population, the record itself): a record filed for
//! another control that happens to cite the same ticket is not evidence for this one. No record: *missing*. Any record with
//! `result: exception`, or a rotation that came late ([`super::identities`]): *exception*.
//! Otherwise *pass*.
//!
//! # Conclusions
//!
//! Every conclusion is management's, from its own records ([`super::procedure`]):
//!
//! - "Not tested: no population" when the population is empty;
//! - "deviations found" when a sampled item is an exception or has no evidence (a sampled item
//!   without evidence is a deviation), **or** the pack itself records an exception for the
//!   control in the period that the sample did not pick (a deviation the organisation knows
//!   about is never hidden by sampling);
//! - "no deviations found" otherwise.
//!
//! The analysis depends on the content only, never on the audience a bundle is rendered for, so
//! every audience sees the same sample.

mod explain;
mod population;
mod request_list;
mod results;
mod rotation;
mod sampler;

use rayon::prelude::*;

use super::sampling::SamplingError;
use crate::content::model::{Control, Pack};
use crate::content::Content;

pub use explain::shell_quote;
pub use population::{ControlPopulation, PopulationSource};
pub use request_list::RequestGroup;
pub use results::{Conclusion, ControlTest, ItemResult, Sampled};
pub use rotation::RotationDeviation;
pub use sampler::Sampler;

/// The SOC 2 tests of every control of a pack.
#[derive(Debug)]
pub struct Soc2Analysis<'c> {
    /// The sampler (seed, sizes, period).
    pub sampler: Sampler<'c>,
    /// One test per control, sorted by control id.
    pub tests: Vec<ControlTest<'c>>,
}

impl<'c> Soc2Analysis<'c> {
    /// Test every control of `content` (in parallel; the result does not depend on scheduling).
    /// With `soc2.seed_commitment`, the seed is first derived from the nonce and the digest of
    /// every in-scope population ([`Commitment`](super::commitment::Commitment)).
    pub fn new(content: &'c Content, pack: &'c Pack) -> Result<Soc2Analysis<'c>, SamplingError> {
        let mut sampler = Sampler::new(content, pack)?;
        let mut controls: Vec<&Control> = content.controls.iter().map(|r| &r.value).collect();
        controls.sort_by(|a, b| a.id.as_bytes().cmp(b.id.as_bytes()));
        // Each population is taken once; the sample is drawn once the seed is final.
        let populations: Vec<ControlPopulation<'c>> =
            controls.par_iter().map(|c| sampler.population(c)).collect();
        if let Some(c) = &pack.soc2.seed_commitment {
            sampler.commit_to(&c.nonce, &controls, &populations);
        }
        let tests = controls
            .into_par_iter()
            .zip(populations)
            .map(|(c, p)| sampler.sample(c, p))
            .collect();
        Ok(Soc2Analysis { sampler, tests })
    }

    /// Tests of the controls that appear in the SOC 2 report.
    pub fn in_scope(&self) -> impl Iterator<Item = &ControlTest<'c>> {
        self.tests.iter().filter(|t| t.in_scope)
    }

    /// The test of control `id`.
    pub fn test(&self, id: &str) -> Option<&ControlTest<'c>> {
        self.tests.iter().find(|t| t.control.id == id)
    }
}

/// Records and packs for the unit tests of the SOC 2 analysis.
#[cfg(test)]
mod fixtures {
    use std::collections::BTreeMap;

    use crate::content::catalog::SOC2;
    use crate::content::model::{Control, Evidence, ExceptionDetail, Frequency, Outcome, Pack};
    use crate::content::Record;
    use crate::test_support::loc;

    pub(super) fn control(id: &str, frequency: Frequency, automated: bool) -> Record<Control> {
        Record {
            value: Control {
                id: id.into(),
                title: format!("Control {id}"),
                description: String::new(),
                owner: "amara".into(),
                operator: "sven".into(),
                frequency,
                automated,
                policies: vec![],
                maps: BTreeMap::from([(SOC2.to_string(), vec!["CC6.1".to_string()])]),
                test_procedure: None,
                extra: None,
                test: None,
                clauses: vec![],
            },
            loc: loc(),
        }
    }

    pub(super) fn evidence(
        id: &str,
        control: &str,
        day: &str,
        source: Option<&str>,
        ok: bool,
    ) -> Record<Evidence> {
        Record {
            value: Evidence {
                title: format!("Evidence {id}"),
                source: source.map(str::to_string),
                result: if ok {
                    Outcome::Pass
                } else {
                    Outcome::Exception
                },
                exception: (!ok).then(|| ExceptionDetail {
                    description: "late".into(),
                    management_response: "fixed".into(),
                    remediated_on: None,
                }),
                ..crate::test_support::evidence(id, control, day)
            },
            loc: loc(),
        }
    }

    pub(super) fn pack(seed: Option<&str>) -> Pack {
        let yaml = format!(
            "organisation: {{ name: X }}\nscope: {{ statement: s }}\nsystem: {{ name: S, description: d }}\n\
             period: {{ start: 2026-01-01, end: 2026-06-30 }}\nframeworks: [soc2-2017]\nsoc2: {{ {} }}\n",
            seed.map(|s| format!("sampling_seed: {s}")).unwrap_or_default()
        );
        serde_yaml_ng::from_str(&yaml).unwrap()
    }
}
