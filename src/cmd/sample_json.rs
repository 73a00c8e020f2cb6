//! `evidencepack sample CONTROL --format json`: a control's test as one JSON document for CI and
//! auditors' tools: the population (size, digest, provenance of its sources, every item with its
//! attribute results), the sample with its ranking hashes, the deviations over the whole
//! population, the unsampled exceptions and the conclusion.

use serde_json::{json, Value};

use crate::analyse::soc2::{ControlTest, PopulationSource, Sampler};
use crate::analyse::soc2_sources::{self, address};
use crate::content::Content;

/// The JSON document of `test`.
pub(super) fn sample_json(
    content: &Content,
    sampler: &Sampler<'_>,
    test: &ControlTest<'_>,
) -> Value {
    let c = test.control;
    let evidence_ids = |ids: &[usize]| -> Vec<&str> {
        ids.iter()
            .map(|&i| content.evidence[i].value.id.as_str())
            .collect()
    };
    let (kind, file, sources, items) = match &test.source {
        PopulationSource::File { rel, .. } => (
            "file",
            Some(rel.as_str()),
            Vec::new(),
            test.population
                .iter()
                .map(|i| json!({ "id": i.id, "occurred_on": i.occurred_on }))
                .collect::<Vec<_>>(),
        ),
        PopulationSource::Rotations { .. } => (
            "rotations",
            None,
            Vec::new(),
            test.population
                .iter()
                .map(|i| json!({ "id": i.id, "due": i.occurred_on }))
                .collect(),
        ),
        PopulationSource::Evidence => (
            "evidence",
            None,
            Vec::new(),
            test.population
                .iter()
                .map(|i| json!({ "id": i.id, "occurred_on": i.occurred_on }))
                .collect(),
        ),
        PopulationSource::Sources { sources } => {
            let facts: Vec<_> = sources
                .iter()
                .filter_map(|&i| soc2_sources::facts(content, i))
                .collect();
            let mut items = Vec::with_capacity(test.population.len());
            for f in &facts {
                for item in f.items() {
                    let mut v = serde_json::to_value(item).unwrap_or(Value::Null);
                    if let Value::Object(m) = &mut v {
                        m.insert("id".into(), json!(address(&f.decl.id, item.key())));
                        m.insert("source".into(), json!(f.decl.id));
                    }
                    items.push(v);
                }
            }
            let provenance = facts
                .iter()
                .map(|f| {
                    json!({
                        "id": f.decl.id,
                        "kind": f.decl.kind.kind(),
                        "file": f.rel,
                        "extracted_at": f.decl.extracted_at.to_rfc3339(),
                        "extracted_by": f.decl.extracted_by,
                        "command": f.decl.command,
                        "provenance": f.provenance,
                        "completeness_warnings": f.warnings,
                        "accounts": f.loaded.accounts,
                        "unknown_credentials": f.loaded.unknown_credentials,
                    })
                })
                .collect();
            ("sources", None, provenance, items)
        }
        PopulationSource::Calendar => (
            "calendar",
            None,
            Vec::new(),
            test.schedule
                .iter()
                .flat_map(|s| s.due.iter())
                .map(|o| json!({ "id": o.interval, "occurred_on": o.due, "evidence": evidence_ids(&o.evidence) }))
                .collect(),
        ),
    };
    let calendar = test.schedule.as_ref().map(|s| {
        json!({
            "frequency": s.frequency.as_str(),
            "due": s.due.len(),
            "not_yet_due": s.not_yet_due,
            "partial": s.partial,
            "gaps": test.gaps().iter().map(|(o, sampled)| json!({
                "id": o.interval, "due": o.due, "sampled": sampled,
            })).collect::<Vec<_>>(),
        })
    });
    json!({
        "control": c.id,
        "title": c.title,
        "in_scope": test.in_scope,
        "frequency": c.frequency.as_str(),
        "automated": c.automated,
        "period": { "start": sampler.period.start, "end": sampler.period.end },
        "as_of": sampler.as_of,
        "population": {
            "from": kind,
            "calendar": calendar,
            "file": file,
            "size": test.population.len(),
            "digest": test.digest,
            "sources": sources,
            "items": items,
        },
        "seed": sampler.seed,
        "rule": test.rule.to_string(),
        "sample_size": test.sample.len(),
        "sample": test.sample.iter().map(|s| json!({
            "rank": s.rank,
            "id": s.id,
            "occurred_on": s.occurred_on,
            "title": s.title,
            "ranking_hash": s.hash,
            "result": s.result.as_str(),
            "evidence": evidence_ids(&s.evidence),
        })).collect::<Vec<_>>(),
        "deviations": test.deviations.iter().map(|d| json!({
            "id": d.address(),
            "source": d.source_id,
            "key": d.key,
            "locator": d.locator,
            "attribute": d.attribute.id(),
            "reason": d.reason,
            "sampled": d.sampled,
            "responses": evidence_ids(&d.responses),
        })).collect::<Vec<_>>(),
        "rotation_deviations": test.rotation_deviations.iter().map(|d| json!({
            "id": d.item,
            "identity": d.identity,
            "status": d.status.label(),
            "description": d.description,
            "sampled": d.sampled,
            "evidence": evidence_ids(&d.evidence),
        })).collect::<Vec<_>>(),
        "unsampled_exceptions": evidence_ids(&test.unsampled_exceptions),
        "conclusion": test.conclusion.label(),
    })
}
