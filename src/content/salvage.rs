//! What can still be read of records that failed to parse, so one broken record is one error:
//! its id stays known (references to it are not reported as unknown), and its Annex A mappings
//! still count for the Statement of Applicability.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use regex::Regex;

use super::catalog;
use super::yaml::Value;
use crate::diag::RecordKind;

/// What one file gave up when some of its records failed to parse.
#[derive(Debug, Default, Clone)]
pub(super) struct Salvage {
    /// Ids of records that failed to parse but whose id could be read.
    pub(super) ids: Vec<String>,
    /// Annex A ids mapped by controls that failed to parse.
    pub(super) annex_mapped: Vec<String>,
    /// The file did not parse at all (YAML syntax, front matter): its ids were scanned from the
    /// text, and anything else in it is unknown.
    pub(super) unreadable: bool,
}

impl Salvage {
    /// Keep what can be read of a record value that failed to deserialize.
    pub(super) fn record(&mut self, value: &Value, key: &str) {
        if let Some(id) = value.get(key).and_then(scalar_text) {
            self.ids.push(id);
        }
        let annex = value
            .get("maps")
            .and_then(|m| m.get(catalog::ISO27001))
            .and_then(Value::as_sequence);
        self.annex_mapped
            .extend(annex.into_iter().flatten().filter_map(scalar_text));
    }

    /// Keep the ids written in a file whose YAML does not parse (`id: X` anywhere in it, or
    /// `annex_a: X` for soa.yaml).
    pub(super) fn unreadable(&mut self, text: &str, key: &str) {
        static ID: OnceLock<Regex> = OnceLock::new();
        static ANNEX: OnceLock<Regex> = OnceLock::new();
        let pattern = |k: &str| {
            Regex::new(&format!(
                r#"(?m)(?:^|[\s{{,\-])(?:{k}):[ \t]*["']?([A-Za-z0-9][A-Za-z0-9._@-]*)"#
            ))
            .expect("constant regex")
        };
        let re = if key == "annex_a" {
            ANNEX.get_or_init(|| pattern("annex_a"))
        } else {
            ID.get_or_init(|| pattern("id"))
        };
        self.unreadable = true;
        self.ids
            .extend(re.captures_iter(text).map(|c| c[1].to_string()));
    }
}

/// A scalar's text (a string, or a number as YAML printed it).
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Records of the pack that failed to parse, as far as they could be read.
#[derive(Debug, Default)]
pub struct Unparsed {
    /// Ids of records that failed to parse, by kind.
    ids: HashMap<RecordKind, HashSet<String>>,
    /// Kinds with a file that did not parse at all.
    unreadable: HashSet<RecordKind>,
    /// Annex A ids mapped by controls that failed to parse.
    annex_mapped: HashSet<String>,
}

impl Unparsed {
    /// Add what a file of records of `kind` gave up.
    pub(super) fn add(&mut self, kind: RecordKind, salvage: Salvage) {
        if salvage.unreadable {
            self.unreadable.insert(kind);
        }
        self.ids.entry(kind).or_default().extend(salvage.ids);
        self.annex_mapped.extend(salvage.annex_mapped);
    }

    /// Is `id` a record of `kind` that exists but failed to parse? References to it are not
    /// unknown: its own error says what is wrong.
    pub fn has(&self, kind: RecordKind, id: &str) -> bool {
        self.ids.get(&kind).is_some_and(|ids| ids.contains(id))
    }

    /// Did a file of records of `kind` fail to parse at all (so any id might be in it)?
    pub fn unreadable(&self, kind: RecordKind) -> bool {
        self.unreadable.contains(&kind)
    }

    /// Is Annex A `id` mapped by a control that failed to parse?
    pub fn annex_mapped(&self, id: &str) -> bool {
        self.annex_mapped.contains(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_scanned_from_unparsable_text() {
        let mut s = Salvage::default();
        s.unreadable(
            "- { id: amara, name: A }\n-\t{ id: \"sven\", name: S }\n- id: dmitri\n  valid: x\n  rid: no\n",
            "id",
        );
        assert!(s.unreadable);
        assert_eq!(s.ids, ["amara", "sven", "dmitri"]);
        let mut s = Salvage::default();
        s.unreadable(
            "- { annex_a: \"5.1\", applicable: false }\n- annex_a: 8.10\n",
            "annex_a",
        );
        assert_eq!(s.ids, ["5.1", "8.10"]);
    }

    #[test]
    fn a_failed_record_keeps_its_id_and_annex_mappings() {
        let v: Value = serde_yaml_ng::from_str(
            "{ id: AC-1, ownr: x, maps: { iso27001-2022: [\"5.15\", 8.2], soc2-2017: [CC6.1] } }",
        )
        .unwrap();
        let mut s = Salvage::default();
        s.record(&v, "id");
        assert!(!s.unreadable);
        assert_eq!(s.ids, ["AC-1"]);
        assert_eq!(s.annex_mapped, ["5.15", "8.2"]);
        let mut u = Unparsed::default();
        u.add(RecordKind::Control, s);
        assert!(u.has(RecordKind::Control, "AC-1"));
        assert!(!u.has(RecordKind::Policy, "AC-1"));
        assert!(!u.unreadable(RecordKind::Control));
        assert!(u.annex_mapped("5.15") && !u.annex_mapped("6.1"));
    }
}
