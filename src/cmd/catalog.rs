//! `evidencepack catalog [FRAMEWORK] [QUERY]...`: the ids a control can map to (Annex A
//! controls, SOC 2 criteria, NIST CSF 2.0 subcategories) with their titles, filtered by words,
//! and the pack's controls that map to each; `--unmapped` keeps the ids no control maps to.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::ValueEnum;

use crate::build::check::load_and_validate;
use crate::content::catalog::{self, catalogs};

/// A framework of the embedded catalogs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Framework {
    /// ISO/IEC 27001:2022 Annex A.
    #[value(name = "iso27001-2022")]
    Iso27001,
    /// SOC 2 Trust Services Criteria (2017, revised points of focus 2022).
    #[value(name = "soc2-2017")]
    Soc2,
    /// NIST CSF 2.0 subcategories.
    #[value(name = "nist-csf-2.0")]
    Csf,
}

impl Framework {
    /// Its key in `maps:` and `frameworks:`.
    fn key(self) -> &'static str {
        match self {
            Framework::Iso27001 => catalog::ISO27001,
            Framework::Soc2 => catalog::SOC2,
            Framework::Csf => catalog::CSF,
        }
    }

    /// Every id it has with its title, in standard order.
    fn entries(self) -> Vec<(&'static str, String)> {
        let cat = catalogs();
        match self {
            Framework::Iso27001 => cat
                .iso
                .annex_a
                .iter()
                .map(|a| (a.id.as_str(), a.title.clone()))
                .collect(),
            Framework::Soc2 => cat
                .soc2
                .criteria
                .iter()
                .map(|c| (c.id.as_str(), format!("{} ({})", c.label, c.category)))
                .collect(),
            Framework::Csf => cat
                .csf
                .subcategories
                .iter()
                .map(|s| (s.id.as_str(), s.text.clone()))
                .collect(),
        }
    }
}

/// Does every word of `query` occur (case-insensitively) in `text`?
fn matches(query: &[String], text: &str) -> bool {
    let text = text.to_lowercase();
    query.iter().all(|w| text.contains(&w.to_lowercase()))
}

/// List the catalogs' ids. The pack at `content` names the controls mapping to each; without a
/// readable pack the ids are listed alone (and `--unmapped` is refused).
pub(super) fn run(
    content: &Path,
    framework: Option<Framework>,
    query: &[String],
    unmapped: bool,
) -> anyhow::Result<ExitCode> {
    let pack = load_and_validate(content)
        .ok()
        .filter(|v| v.content.pack.is_some());
    if unmapped && pack.is_none() {
        anyhow::bail!(
            "--unmapped needs a pack: none found at {}",
            content.display()
        );
    }
    // framework key -> id -> the controls mapping it.
    let mut mapped: BTreeMap<&str, BTreeMap<&str, Vec<&str>>> = BTreeMap::new();
    if let Some(v) = &pack {
        for r in &v.content.controls {
            for (fw, ids) in &r.value.maps {
                for id in ids {
                    let by_id = mapped.entry(fw.as_str()).or_default();
                    by_id
                        .entry(id.as_str())
                        .or_default()
                        .push(r.value.id.as_str());
                }
            }
        }
    }
    let frameworks = match framework {
        Some(f) => vec![f],
        None => vec![Framework::Iso27001, Framework::Soc2, Framework::Csf],
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut shown = 0;
    for f in frameworks {
        let by_id = mapped.get(f.key());
        for (id, title) in f.entries() {
            let controls = by_id.and_then(|m| m.get(id));
            if unmapped && controls.is_some() {
                continue;
            }
            if !matches(query, &format!("{id} {title}")) {
                continue;
            }
            shown += 1;
            match controls {
                Some(c) => writeln!(out, "{}\t{id}\t{title}\t[{}]", f.key(), c.join(", "))?,
                None => writeln!(out, "{}\t{id}\t{title}", f.key())?,
            }
        }
    }
    out.flush()?;
    Ok(if shown == 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_must_match_in_any_case() {
        let q = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        assert!(matches(&q("ACCESS rights"), "8.2 Privileged access rights"));
        assert!(!matches(&q("access cloud"), "8.2 Privileged access rights"));
        assert!(matches(&[], "anything"));
    }

    #[test]
    fn entries_cover_the_catalogs() {
        assert_eq!(Framework::Iso27001.entries().len(), 93);
        assert_eq!(Framework::Soc2.entries().len(), 61);
        assert_eq!(Framework::Csf.entries().len(), 106);
    }
}
