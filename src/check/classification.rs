//! W150: records that give no classification took the most restrictive level the pack's
//! audiences use ([`Content::default_classification`]), because pack.yaml sets no
//! `default_classification`. A pack that sets one has chosen, and is not warned; the
//! redaction logs list the records either way.

use crate::content::Content;
use crate::diag::{codes, Report};

/// One warning, at pack.yaml, with the number of records that took the default classification
/// and which level that is, when pack.yaml sets no `default_classification`.
pub(super) fn defaulted(content: &Content, report: &mut Report) {
    let n = content.unclassified.len();
    let Some(pack) = content.pack.as_ref() else {
        return;
    };
    if n == 0 || pack.value.default_classification.is_some() {
        return;
    }
    let (level, why) = content.default_classification();
    report
        .push(
            pack.loc.file,
            pack.loc.place(),
            codes::CLASSIFICATION_DEFAULTED,
            format!(
                "{n} record{} give{} no classification and count{} as `{}`, {why}",
                if n == 1 { "" } else { "s" },
                if n == 1 { "s" } else { "" },
                if n == 1 { "s" } else { "" },
                level.as_str()
            ),
        )
        .hint(
            "give each record a `classification`, or set `default_classification` in pack.yaml; \
             every bundle's redaction log lists them",
        );
}
