//! Records and packs for the unit tests of the SOC 2 analysis.

use std::collections::BTreeMap;

use crate::content::catalog::SOC2;
use crate::content::model::{
    Control, Evidence, EvidenceKind, ExceptionDetail, Frequency, Outcome, Pack,
};
use crate::content::Record;
use crate::test_support::{d, loc};

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
            id: id.into(),
            controls: vec![control.into()],
            kind: EvidenceKind::Ticket,
            title: format!("Evidence {id}"),
            occurred_on: d(day),
            performed_by: "sven".into(),
            approved_by: None,
            system: None,
            identity: Default::default(),
            identities: vec![],
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
            classification: Default::default(),
            attachments: vec![],
            summary: None,
            extra: None,
            item: None,
            attributes: Default::default(),
            impact: None,
            covers: None,
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
