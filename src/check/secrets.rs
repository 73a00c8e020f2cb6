//! The secret-leak guard's side of validation: findings become `E060` diagnostics unless
//! `secrets.allow` lists their fingerprint, and an allowed fingerprint that matches nothing is a
//! warning. Content files are scanned here; attachments are scanned where the build pipeline
//! reads them (once each), and their findings handed to [`SecretGuard::finish`].

use std::collections::HashSet;

use rayon::prelude::*;

use super::Validator;
use crate::content::Content;
use crate::diag::{codes, Place, Report};
use crate::secrets;

impl Validator<'_, '_> {
    /// The secret-leak guard over every content file (YAML, Markdown, CSV: each scanned whole,
    /// so positions are exact). Attachments are scanned where they are read
    /// ([`SecretGuard::finish`]).
    pub(super) fn secrets(&mut self) -> SecretGuard {
        let c = self.content;
        let findings: Vec<(usize, secrets::Finding)> = c
            .files
            .par_iter()
            .enumerate()
            .flat_map_iter(|(i, f)| secrets::scan(&f.text).into_iter().map(move |x| (i, x)))
            .collect();
        let mut guard = SecretGuard::default();
        for (file, finding) in findings {
            guard.report(c, self.report, file, &finding);
        }
        // Exports are scanned by the read that loads them.
        for s in &c.sources {
            for finding in &s.secrets {
                let file = match self.report.file_index(&s.rel) {
                    Some(i) => i,
                    None => self.report.add_file(&s.rel),
                };
                guard.report(c, self.report, file, finding);
            }
        }
        guard
    }
}

/// A secret found in an attachment: its path under `attachments/` and the finding.
pub type AttachmentSecret = (String, secrets::Finding);

/// The secret guard between [`super::validate`] and the reads of the attachments: which of
/// `secrets.allow`'s fingerprints matched so far. [`SecretGuard::finish`] reports the findings
/// in attachments and the allowed fingerprints that matched nothing.
#[derive(Debug, Default)]
#[must_use = "SecretGuard::finish reports the attachments' findings and unused allow entries"]
pub struct SecretGuard {
    used: HashSet<String>,
}

impl SecretGuard {
    /// Reports `found` (each attachment's findings, from the reads that scan, hash or copy them),
    /// then every `secrets.allow` entry that matched no finding.
    pub fn finish(
        mut self,
        content: &Content,
        report: &mut Report,
        mut found: Vec<AttachmentSecret>,
    ) {
        found.sort_by(|a, b| (&a.0, a.1.line, a.1.col).cmp(&(&b.0, b.1.line, b.1.col)));
        for (rel, finding) in found {
            let rel = format!("attachments/{rel}");
            let file = match report.file_index(&rel) {
                Some(i) => i,
                None => report.add_file(&rel),
            };
            self.report(content, report, file, &finding);
        }
        if let Some(p) = &content.pack {
            for (i, fp) in p.value.secrets.allow.iter().enumerate() {
                if !self.used.contains(fp) {
                    report.push(
                        p.loc.file,
                        p.loc.field(&format!("secrets/allow/{i}")),
                        codes::UNUSED_ALLOW,
                        format!("`{fp}` matches no finding; remove it from secrets.allow"),
                    );
                }
            }
        }
    }

    /// Reports one finding in `file`, unless `secrets.allow` lists its fingerprint.
    fn report(
        &mut self,
        content: &Content,
        report: &mut Report,
        file: usize,
        f: &secrets::Finding,
    ) {
        let allowed = content
            .pack
            .as_ref()
            .is_some_and(|p| p.value.secrets.allow.contains(&f.fingerprint));
        if allowed {
            self.used.insert(f.fingerprint.clone());
            return;
        }
        report
            .push(
                file,
                Place::Line(f.line, f.col),
                codes::SECRET,
                format!("possible {} ({}), fingerprint {}; the value is not shown", f.rule_name, f.rule_id, f.fingerprint),
            )
            .hint(format!("remove it and rotate the credential; if it is a reviewed false positive, add \"{}\" to secrets.allow in pack.yaml", f.fingerprint));
    }
}
