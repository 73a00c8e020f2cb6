//! Diagnostics as SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format), the format
//! GitHub code scanning reads to annotate pull requests: one run, the rule catalogue as the
//! driver's rules, one result per diagnostic at its file, line and column.

use serde_json::{json, Value};

use super::{codes, Diagnostic, Severity};

/// The SARIF log of `diags`.
pub fn log(diags: &[Diagnostic]) -> Value {
    let rules: Vec<Value> = codes::ALL
        .iter()
        .map(|c| {
            json!({
                "id": c.id,
                "name": c.name,
                "shortDescription": { "text": c.summary },
                "defaultConfiguration": { "level": level(c.severity) },
            })
        })
        .collect();
    let results: Vec<Value> = diags
        .iter()
        .map(|d| {
            let text = match &d.hint {
                Some(h) => format!("{}\nhelp: {h}", d.message),
                None => d.message.clone(),
            };
            let mut result = json!({
                "ruleId": d.code,
                "level": level(d.severity),
                "message": { "text": text },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&d.path) },
                        "region": { "startLine": d.line, "startColumn": d.column },
                    }
                }],
            });
            if let Some(i) = codes::ALL.iter().position(|c| c.id == d.code) {
                result["ruleIndex"] = json!(i);
            }
            result
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "evidencepack",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "results": results,
        }]
    })
}

/// SARIF's level for a severity.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// A relative path as a URI reference: `/` separators, every byte outside RFC 3986's
/// unreserved characters percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            uri("content/controls/a b.yaml"),
            "content/controls/a%20b.yaml"
        );
        assert_eq!(uri("c/é.md"), "c/%C3%A9.md");
        assert_eq!(uri("c\\x.yaml"), "c/x.yaml");
    }
}
