//! `evidencepack sample CONTROL`: a control's SOC 2 population digest, sample size and items,
//! so anyone can re-draw the sample by hand.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use super::{read_content, Format};
use crate::analyse::sampling;
use crate::analyse::soc2::Sampler;
use crate::content::AsOf;
use crate::diag::suggest::closest;
use crate::diag::Severity;

/// Explain the sample of `control` (or print its canonical population); refuse on content
/// errors (exit 1) and on an unknown control (exit 2).
pub(super) fn run(
    content: &Path,
    control: &str,
    population: bool,
    format: Format,
    as_of: AsOf,
) -> anyhow::Result<ExitCode> {
    let checked = read_content(content, as_of)?;
    let content = &checked.content;
    let pack = match (&content.pack, checked.errors()) {
        (Some(pack), 0) => &pack.value,
        _ => {
            for d in checked
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
            {
                eprintln!("{d}");
            }
            eprintln!("error: the content has errors; fix them (see `evidencepack check`) before sampling");
            return Ok(ExitCode::from(1));
        }
    };
    let Some(record) = content.controls.iter().find(|r| r.value.id == control) else {
        let ids: Vec<&str> = content
            .controls
            .iter()
            .map(|r| r.value.id.as_str())
            .collect();
        let hint = match closest(control, &ids) {
            Some(best) => format!("did you mean `{best}`?"),
            None if ids.len() > 12 => format!("known controls include {}, …", ids[..12].join(", ")),
            None => format!("known controls: {}", ids.join(", ")),
        };
        eprintln!("error: unknown control `{control}`; {hint}");
        return Ok(ExitCode::from(2));
    };
    let committed = pack.soc2.seed_commitment.is_some();
    let setup = if committed {
        Ok(())
    } else {
        sampling::seed(&pack.soc2).map(|_| ())
    };
    let mut sampler = match setup.and_then(|_| Sampler::new(content, pack)) {
        Ok(s) => s,
        Err(err) => {
            eprintln!("error: {err}");
            return Ok(ExitCode::from(1));
        }
    };
    if let Some(c) = &pack.soc2.seed_commitment {
        // The committed seed is over every in-scope population, not only this control's.
        let controls: Vec<_> = content.controls.iter().map(|r| &r.value).collect();
        sampler.commit(&c.nonce, &controls);
    }
    let test = sampler.test(&record.value);
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    if population {
        out.write_all(sampling::canonical_population(&test.population).as_bytes())?;
    } else if format == Format::Json {
        let doc = super::sample_json::sample_json(content, &sampler, &test);
        serde_json::to_writer_pretty(&mut out, &doc)?;
        writeln!(out)?;
    } else {
        sampler.explain(&test, &mut out)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
