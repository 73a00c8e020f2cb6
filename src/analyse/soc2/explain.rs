//! `evidencepack sample CONTROL`: a control's test explained for people who want to re-draw
//! it by hand.

use std::io::{self, Write};

use super::{ControlTest, PopulationSource, RotationDeviation, Sampler};
use crate::analyse::sampling;
use crate::analyse::soc2_sources;
use crate::content::catalog::SOC2;
use crate::content::Content;

/// The rotation deviations of `evidencepack sample`: every required rotation not on time.
fn explain_rotation_deviations(
    content: &Content,
    deviations: &[RotationDeviation],
    out: &mut dyn Write,
) -> io::Result<()> {
    if deviations.is_empty() {
        return Ok(());
    }
    let n = deviations.len();
    writeln!(
        out,
        "\n{n} required rotation{} not on time over the whole population:",
        if n == 1 { "" } else { "s" }
    )?;
    for d in deviations {
        let ids: Vec<&str> = d
            .evidence
            .iter()
            .map(|&i| content.evidence[i].value.id.as_str())
            .collect();
        write!(
            out,
            "  {}  {}  {}",
            d.item,
            if d.sampled { "sampled  " } else { "unsampled" },
            d.description
        )?;
        if !ids.is_empty() {
            write!(out, "  (evidence: {})", ids.join(" "))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// Quote `s` for a POSIX shell (single quotes, `'` written as `'\\''`).
pub fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

impl Sampler<'_> {
    /// Explain a control's test for people who want to re-draw it by hand: population and
    /// digest, seed, size and rule, then every selected item with its ranking hash and result.
    /// This is the output of `evidencepack sample CONTROL`.
    pub fn explain(&self, test: &ControlTest<'_>, out: &mut dyn Write) -> io::Result<()> {
        let c = test.control;
        let period = self.period;
        writeln!(out, "control        {}  {}", c.id, c.title)?;
        let criteria = c.maps.get(SOC2).map(|v| v.join(", ")).unwrap_or_default();
        if test.in_scope {
            writeln!(out, "in the report  yes (SOC 2 {criteria})")?;
        } else if criteria.is_empty() {
            writeln!(
                out,
                "in the report  no: the control maps to no SOC 2 criterion"
            )?;
        } else {
            writeln!(
                out,
                "in the report  no: {criteria} are outside the categories in scope"
            )?;
        }
        writeln!(
            out,
            "frequency      {}, {}",
            c.frequency,
            if c.automated { "automated" } else { "manual" }
        )?;
        let n = test.population.len();
        let items = if n == 1 { "item" } else { "items" };
        match &test.source {
            PopulationSource::File {
                rel,
                rows,
                outside_period,
            } => {
                write!(
                    out,
                    "population     {n} {items}: rows of {rel} dated {}..{}",
                    period.start, period.end
                )?;
                if *outside_period > 0 {
                    write!(
                        out,
                        " ({rows} rows, {outside_period} outside the period left out)"
                    )?;
                }
                writeln!(out)?;
            }
            PopulationSource::Rotations { identities } => writeln!(
                out,
                "population     {n} {items}: every rotation the `rotation_days` of {identities} identit{} required, due before {} (<identity>:<due date>)",
                if *identities == 1 { "y" } else { "ies" },
                self.as_of
            )?,
            PopulationSource::Evidence => writeln!(
                out,
                "population     {n} {items}: evidence records of {} dated {}..{}",
                c.id, period.start, period.end
            )?,
            PopulationSource::Sources { sources } => {
                soc2_sources::explain_population(self.content, sources, n, out)?
            }
            PopulationSource::Calendar => {
                if let Some(s) = &test.schedule {
                    writeln!(
                        out,
                        "population     {}\n               (item = interval id, date = the day it was due; see the sampling page)",
                        s.describe(period, self.as_of)
                    )?;
                }
            }
        }
        writeln!(out, "as of          {}", self.as_of)?;
        writeln!(
            out,
            "digest         sha256 {}\n               over one line \"<id>\\t<occurred_on>\\n\" per item, sorted by id\n               (`evidencepack sample {} --population | sha256sum` re-computes it)",
            test.digest, c.id
        )?;
        writeln!(out, "seed           {}", self.seed)?;
        if let Some(c) = &self.commitment {
            writeln!(
                out,
                "               committed: sha256 of the {} lines of seed-commitment.txt (the auditor's\n               nonce {:?} and the digests of {} populations in scope); see the sampling page",
                c.populations.len() + 2,
                c.nonce,
                c.populations.len()
            )?;
        }
        writeln!(out, "sample size    {} ({})", test.rule.size, test.rule)?;
        writeln!(
            out,
            "selection      sha256 of \"{}\" for every item, ascending, first {}",
            sampling::ranking_input(&self.seed, &c.id, "<item id>"),
            test.rule.size
        )?;
        writeln!(out, "conclusion     {}", test.conclusion.label())?;
        if test.sample.is_empty() {
            return Ok(());
        }
        let width = test
            .sample
            .iter()
            .map(|s| s.id.chars().count())
            .max()
            .unwrap_or(4)
            .max(4);
        writeln!(out)?;
        writeln!(
            out,
            "rank  {:<64}  {:<width$}  occurred_on  result     evidence",
            "ranking hash", "item"
        )?;
        for s in &test.sample {
            let evidence: Vec<&str> = s
                .evidence
                .iter()
                .map(|&i| self.content.evidence[i].value.id.as_str())
                .collect();
            let line = format!(
                "{:>4}  {}  {:<width$}  {}   {:<9}  {}",
                s.rank,
                s.hash,
                s.id,
                s.occurred_on,
                s.result.as_str(),
                evidence.join(" "),
            );
            writeln!(out, "{}", line.trim_end())?;
        }
        if !test.unsampled_exceptions.is_empty() {
            const SHOWN: usize = 10;
            let n = test.unsampled_exceptions.len();
            let ids: Vec<&str> = test
                .unsampled_exceptions
                .iter()
                .take(SHOWN)
                .map(|&i| self.content.evidence[i].value.id.as_str())
                .collect();
            let more = if n > SHOWN {
                format!(" and {} more (all are on the control's page)", n - SHOWN)
            } else {
                String::new()
            };
            writeln!(
                out,
                "\n{n} exception{} recorded in the period but not sampled: {}{more}",
                if n == 1 { "" } else { "s" },
                ids.join(" ")
            )?;
        }
        soc2_sources::explain_deviations(self.content, &test.deviations, out)?;
        let gaps = test.gaps();
        if !gaps.is_empty() {
            let ids: Vec<String> = gaps
                .iter()
                .map(|(o, drawn)| {
                    let drawn = if *drawn { " (sampled)" } else { "" };
                    format!("{}{drawn}", o.interval)
                })
                .collect();
            writeln!(
                out,
                "\n{} without evidence (deviations, sampled or not): {}",
                test.schedule
                    .as_ref()
                    .map_or_else(String::new, |s| s.unit(gaps.len())),
                ids.join(", ")
            )?;
        }
        explain_rotation_deviations(self.content, &test.rotation_deviations, out)?;
        let first = &test.sample[0];
        writeln!(
            out,
            "\ncheck by hand: printf '%s' {} | sha256sum",
            shell_quote(&sampling::ranking_input(&self.seed, &c.id, &first.id))
        )?;
        Ok(())
    }
}
