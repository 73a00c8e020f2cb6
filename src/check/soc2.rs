//! SOC 2 settings that would stop samples from being drawn.

use crate::analyse::sampling;
use crate::content::catalog::SOC2;
use crate::content::Content;
use crate::diag::{codes, Report};

/// Report the SOC 2 settings that would stop samples from being drawn: no
/// `soc2.sampling_seed` in a pack that declares `soc2-2017`, and sample sizes of 0.
pub(super) fn settings(content: &Content, report: &mut Report) {
    let Some(pack) = &content.pack else {
        return;
    };
    let (p, loc) = (&pack.value, &pack.loc);
    if p.frameworks.iter().any(|f| f == SOC2) && sampling::seed(&p.soc2).is_err() {
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
    for (freq, &n) in &p.soc2.sample_sizes {
        if n == 0 {
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
}
