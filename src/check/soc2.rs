//! SOC 2 settings that would stop samples from being drawn.

use std::collections::BTreeMap;

use crate::analyse::sampling::{self, SamplingError};
use crate::content::catalog::SOC2;
use crate::content::model::{Band, Frequency, SizeSetting};
use crate::content::{Content, Loc};
use crate::diag::{codes, Report};

/// Report the SOC 2 settings that would stop samples from being drawn: no
/// `soc2.sampling_seed` in a pack that declares `soc2-2017`, and sample sizes of 0.
pub(super) fn settings(content: &Content, report: &mut Report) {
    let Some(pack) = &content.pack else {
        return;
    };
    let (p, loc) = (&pack.value, &pack.loc);
    if let Some(c) = &p.soc2.seed_commitment {
        if c.nonce.trim().is_empty() {
            report
                .push(
                    loc.file,
                    loc.field("soc2/seed_commitment/nonce"),
                    codes::MISSING_FIELD,
                    "`soc2.seed_commitment.nonce` is blank: the committed seed needs the nonce the \
                     auditor provides at fieldwork",
                )
                .hint("ask the auditor for a nonce once the populations are frozen");
        }
    } else if p.frameworks.iter().any(|f| f == SOC2) && sampling::seed(&p.soc2).is_err() {
        report
            .push(
                loc.file,
                loc.field("soc2/sampling_seed"),
                codes::MISSING_FIELD,
                "`soc2.sampling_seed` is required when soc2-2017 is in frameworks: the SOC 2 sample \
                 is drawn from it and published so anyone can re-draw it",
            )
            .hint("add e.g. `soc2: { sampling_seed: \"acme-2026-h1\" }`, ideally agreed with the auditor");
    }
    for (freq, setting) in &p.soc2.sample_sizes {
        if let SizeSetting::ByPopulation(bands) = setting {
            by_population(*freq, bands, loc, report);
            continue;
        }
        if *setting == SizeSetting::Fixed(0) {
            report
                .push(
                    loc.file,
                    loc.field(&format!("soc2/sample_sizes/{freq}")),
                    codes::OUT_OF_RANGE,
                    format!("`soc2.sample_sizes.{freq}` is 0: a sample of nothing tests nothing"),
                )
                .hint("use at least 1, or remove the override to use the default");
        }
    }
    for (&from, &to) in &p.soc2.extend_on_deviation {
        if to <= from {
            report.push(
                loc.file,
                loc.field(&format!("soc2/extend_on_deviation/{from}")),
                codes::OUT_OF_RANGE,
                SamplingError::ExtensionNotLarger(from, to).to_string(),
            );
        }
    }
}

/// `by-population` only on on-event and continuous controls, each band choice in its range.
fn by_population(freq: Frequency, bands: &BTreeMap<Band, u32>, loc: &Loc, report: &mut Report) {
    let field = format!("soc2/sample_sizes/{freq}");
    if !matches!(freq, Frequency::OnEvent | Frequency::Continuous) {
        report
            .push(
                loc.file,
                loc.field(&field),
                codes::INVALID_VALUE,
                SamplingError::ByPopulationFrequency(freq).to_string(),
            )
            .hint("give a number, or use `by-population` on `on-event` or `continuous`");
        return;
    }
    for (&band, &n) in bands {
        let (lo, hi, _) = band.range();
        if !(lo..=hi).contains(&n) {
            report
                .push(
                    loc.file,
                    loc.field(&format!("{field}/{}", band.as_str())),
                    codes::OUT_OF_RANGE,
                    SamplingError::BandOutOfRange(freq, band, n).to_string(),
                )
                .hint(format!(
                    "choose a size from {lo} to {hi} (soc2-sampling practice)"
                ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::model::Pack;
    use crate::content::{Record, SourceFile};
    use crate::test_support::loc;

    fn content(soc2: &str) -> Content {
        let pack: Pack = serde_yaml_ng::from_str(&format!(
            "organisation: {{ name: A }}\nscope: {{ statement: s }}\nsystem: {{ name: S, description: d }}\nperiod: {{ start: 2026-01-01, end: 2026-06-30 }}\nframeworks: [soc2-2017]\nsoc2: {soc2}\n"
        ))
        .unwrap();
        let mut content = Content::default();
        content.files.push(SourceFile {
            rel: "pack.yaml".into(),
            text: String::new(),
            yaml: 0..0,
            yaml_line_offset: 0,
        });
        content.pack = Some(Record {
            value: pack,
            loc: loc(),
        });
        content
    }

    fn codes_of(content: &Content) -> Vec<&'static str> {
        let mut report = Report::new();
        report.add_file("pack.yaml");
        settings(content, &mut report);
        let d = report.resolve(&content.files, std::path::Path::new("c"));
        d.iter().map(|d| d.code).collect()
    }

    #[test]
    fn a_missing_seed_and_zero_sizes_are_errors() {
        assert_eq!(
            codes_of(&content("{ sample_sizes: { daily: 0 } }")),
            ["E005", "E032"]
        );
        assert!(codes_of(&content("{ sampling_seed: s, sample_sizes: { daily: 2 } }")).is_empty());
    }

    #[test]
    fn population_sizes_and_extensions_are_checked() {
        assert!(codes_of(&content(
            "{ sampling_seed: s, sample_sizes: { on-event: by-population, continuous: { 5-12: 5, 13-52: 15, over-365: 60 } }, extend_on_deviation: { 25: 40 } }"
        ))
        .is_empty());
        assert_eq!(
            codes_of(&content(
                "{ sampling_seed: s, sample_sizes: { weekly: by-population, on-event: { 5-12: 1, 13-52: 16, over-365: 25 } }, extend_on_deviation: { 25: 25 } }"
            )),
            ["E003", "E032", "E032", "E032"]
        );
        // A commitment replaces the seed; its nonce must not be blank.
        assert!(codes_of(&content("{ seed_commitment: { nonce: abc } }")).is_empty());
        assert_eq!(
            codes_of(&content("{ seed_commitment: { nonce: \" \" } }")),
            ["E005"]
        );
    }
}
