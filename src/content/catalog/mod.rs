//! Embedded framework catalogs: ISO/IEC 27001:2022 (clauses and Annex A), the AICPA 2017 Trust
//! Services Criteria (SOC 2), NIST CSF 2.0, and NIST's CSF 2.0 -> ISO 27001 crosswalk.
//!
//! The YAML files under `data/` (with their source and attribution headers) are compiled into the
//! binary and parsed and checked once, on first use of [`catalogs`]. Lookups by id go through hash
//! indexes built at parse time, so [`Catalogs::contains`] is cheap enough for hot validation loops.

mod parse;

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde::Serialize;

use crate::diag::suggest::levenshtein;
use parse::{dotted, load, Index};

/// Framework key of ISO/IEC 27001:2022 (mapped ids are Annex A control ids such as `5.15`).
pub const ISO27001: &str = "iso27001-2022";
/// Framework key of the AICPA 2017 Trust Services Criteria (SOC 2), ids such as `CC6.1`.
pub const SOC2: &str = "soc2-2017";
/// Framework key of NIST CSF 2.0 (mapped ids are subcategory ids such as `PR.AA-01`).
pub const CSF: &str = "nist-csf-2.0";
/// Every framework key, in display order.
pub const FRAMEWORKS: [&str; 3] = [ISO27001, SOC2, CSF];

/// The SOC 2 category that is always in scope (common criteria CC1-CC9).
pub const SECURITY: &str = "security";
/// Upper bound on the number of ids [`Catalogs::suggest`] returns.
const MAX_SUGGESTIONS: usize = 3;

const ISO_YAML: &str = include_str!("../../../data/iso27001-2022.yaml");
const SOC2_YAML: &str = include_str!("../../../data/soc2-2017.yaml");
const CSF_YAML: &str = include_str!("../../../data/nist-csf-2.0.yaml");
const CROSSWALK_YAML: &str = include_str!("../../../data/csf-to-iso27001.yaml");

/// The embedded catalogs, parsed and checked on first use.
///
/// Panics only if the embedded data is broken, which the unit tests rule out.
pub fn catalogs() -> &'static Catalogs {
    static CATALOGS: OnceLock<Catalogs> = OnceLock::new();
    CATALOGS.get_or_init(|| {
        load().unwrap_or_else(|e| panic!("embedded framework catalog data is broken: {e}"))
    })
}

/// All embedded catalogs.
#[derive(Debug, Clone, Serialize)]
pub struct Catalogs {
    /// ISO/IEC 27001:2022 clauses and Annex A controls.
    pub iso: IsoCatalog,
    /// SOC 2 Trust Services Criteria.
    pub soc2: Soc2Catalog,
    /// NIST CSF 2.0 core.
    pub csf: CsfCatalog,
    /// NIST's CSF 2.0 -> ISO 27001 informative references.
    pub crosswalk: Crosswalk,
}

/// An ISO/IEC 27001:2022 management-system clause (4 to 10 and their subclauses).
#[derive(Debug, Clone, Serialize)]
pub struct IsoClause {
    /// Clause id, e.g. `9.2` or `6.1.2`.
    pub id: String,
    /// Short title.
    pub title: String,
    /// Id of the enclosing clause; `None` for the top-level clauses 4 to 10.
    pub parent: Option<String>,
}

/// An ISO/IEC 27001:2022 Annex A control.
#[derive(Debug, Clone, Serialize)]
pub struct AnnexControl {
    /// Control id without the `A.` prefix, e.g. `5.15`.
    pub id: String,
    /// Short title.
    pub title: String,
    /// Theme (Annex A clause) number, e.g. `5`.
    pub theme: String,
    /// Theme title, e.g. `Organizational controls`.
    pub theme_title: String,
}

/// ISO/IEC 27001:2022 clauses and Annex A controls, each in standard (numeric) order.
#[derive(Debug, Clone, Serialize)]
pub struct IsoCatalog {
    /// Clauses 4 to 10 with their subclauses.
    pub clauses: Vec<IsoClause>,
    /// The 93 Annex A controls.
    pub annex_a: Vec<AnnexControl>,
    #[serde(skip)]
    clause_index: Index,
    #[serde(skip)]
    annex_index: Index,
}

impl IsoCatalog {
    /// The Annex A control `id` (`5.15`; no `A.` prefix).
    pub fn annex(&self, id: &str) -> Option<&AnnexControl> {
        self.annex_index.get(id).map(|i| &self.annex_a[i])
    }

    /// The position of Annex A control `id` in [`IsoCatalog::annex_a`].
    pub fn annex_index(&self, id: &str) -> Option<usize> {
        self.annex_index.get(id)
    }

    /// The management-system clause `id` (`9.2`).
    pub fn clause(&self, id: &str) -> Option<&IsoClause> {
        self.clause_index.get(id).map(|i| &self.clauses[i])
    }

    /// The Annex A themes as `(theme, title)`, in order: `("5", "Organizational controls")`, ...
    pub fn themes(&self) -> Vec<(&str, &str)> {
        let mut themes: Vec<(&str, &str)> = Vec::new();
        for c in &self.annex_a {
            if themes.last().map(|t| t.0) != Some(c.theme.as_str()) {
                themes.push((&c.theme, &c.theme_title));
            }
        }
        themes
    }
}

/// A SOC 2 Trust Services criterion.
#[derive(Debug, Clone, Serialize)]
pub struct Soc2Criterion {
    /// Criterion id, e.g. `CC6.1`.
    pub id: String,
    /// `security`, `availability`, `confidentiality`, `processing-integrity` or `privacy`.
    pub category: String,
    /// Group id, e.g. `CC6`.
    pub group: String,
    /// Group title, e.g. `Logical and physical access controls`.
    pub group_title: String,
    /// Our short paraphrase (not the AICPA criterion text).
    pub label: String,
}

/// The 61 SOC 2 criteria in standard order (CC1.1..CC9.2, A1, C1, PI1, P1..P8).
#[derive(Debug, Clone, Serialize)]
pub struct Soc2Catalog {
    /// All criteria.
    pub criteria: Vec<Soc2Criterion>,
    #[serde(skip)]
    index: Index,
}

impl Soc2Catalog {
    /// The criterion `id` (`CC6.1`).
    pub fn criterion(&self, id: &str) -> Option<&Soc2Criterion> {
        self.index.get(id).map(|i| &self.criteria[i])
    }

    /// The distinct categories, in standard order (`security` first).
    pub fn categories(&self) -> Vec<&str> {
        let mut categories: Vec<&str> = Vec::new();
        for c in &self.criteria {
            if !categories.contains(&c.category.as_str()) {
                categories.push(&c.category);
            }
        }
        categories
    }

    /// The criteria of the given categories, in standard order; `security` is always included and
    /// unknown category names are ignored.
    pub fn in_categories<'a>(&'a self, cats: &[String]) -> Vec<&'a Soc2Criterion> {
        self.criteria
            .iter()
            .filter(|c| c.category == SECURITY || cats.contains(&c.category))
            .collect()
    }
}

/// A NIST CSF 2.0 function (`GV`, `ID`, `PR`, `DE`, `RS`, `RC`).
#[derive(Debug, Clone, Serialize)]
pub struct CsfFunction {
    /// Function id, e.g. `PR`.
    pub id: String,
    /// Name, e.g. `Protect`.
    pub name: String,
    /// NIST's one-sentence description.
    pub text: String,
}

/// A NIST CSF 2.0 category.
#[derive(Debug, Clone, Serialize)]
pub struct CsfCategory {
    /// Category id, e.g. `PR.AA`.
    pub id: String,
    /// Name, e.g. `Identity Management, Authentication, and Access Control`.
    pub name: String,
    /// Id of its function, e.g. `PR`.
    pub function: String,
    /// NIST's description.
    pub text: String,
}

/// A NIST CSF 2.0 subcategory (an outcome).
#[derive(Debug, Clone, Serialize)]
pub struct CsfSubcategory {
    /// Subcategory id, e.g. `PR.AA-01`.
    pub id: String,
    /// Id of its category, e.g. `PR.AA`.
    pub category: String,
    /// NIST's outcome text.
    pub text: String,
}

/// The NIST CSF 2.0 core, each list in NIST's order.
#[derive(Debug, Clone, Serialize)]
pub struct CsfCatalog {
    /// The 6 functions.
    pub functions: Vec<CsfFunction>,
    /// The 22 categories.
    pub categories: Vec<CsfCategory>,
    /// The 106 subcategories.
    pub subcategories: Vec<CsfSubcategory>,
    #[serde(skip)]
    function_index: Index,
    #[serde(skip)]
    category_index: Index,
    #[serde(skip)]
    subcategory_index: Index,
    /// Withdrawn CSF 1.1 subcategory id -> CSF 2.0 subcategory ids NIST names as its successors.
    #[serde(skip)]
    withdrawn: HashMap<String, Vec<String>>,
}

impl CsfCatalog {
    /// The subcategory `id` (`PR.AA-01`).
    pub fn subcategory(&self, id: &str) -> Option<&CsfSubcategory> {
        self.subcategory_index
            .get(id)
            .map(|i| &self.subcategories[i])
    }

    /// The category `id` (`PR.AA`).
    pub fn category(&self, id: &str) -> Option<&CsfCategory> {
        self.category_index.get(id).map(|i| &self.categories[i])
    }

    /// The function `id` (`PR`).
    pub fn function(&self, id: &str) -> Option<&CsfFunction> {
        self.function_index.get(id).map(|i| &self.functions[i])
    }
}

/// ISO/IEC 27001:2022 ids that NIST cites for one CSF subcategory.
#[derive(Debug, Clone, Serialize)]
pub struct IsoReferences {
    /// Management-system clause ids (`6.1.2`), in NIST's order.
    pub clauses: Vec<String>,
    /// Annex A control ids (`5.15`), in NIST's order.
    pub annex_a: Vec<String>,
}

/// NIST's informative references from CSF 2.0 subcategories to ISO/IEC 27001:2022.
#[derive(Debug, Clone, Serialize)]
pub struct Crosswalk {
    /// CSF subcategory id -> ISO references; all 106 subcategories have an entry.
    pub csf_to_iso: BTreeMap<String, IsoReferences>,
}

impl Crosswalk {
    /// The ISO references of the CSF subcategory `csf_id`.
    pub fn iso_for(&self, csf_id: &str) -> Option<&IsoReferences> {
        self.csf_to_iso.get(csf_id)
    }
}

impl Catalogs {
    /// Does `id` exist in the catalog of `framework` (one of FRAMEWORKS)? ISO ids are Annex A ids for
    /// mapping purposes, CSF ids are subcategory ids; an unknown framework contains nothing.
    pub fn contains(&self, framework: &str, id: &str) -> bool {
        self.title(framework, id).is_some()
    }

    /// Short title/label of an id in a framework, for display: the Annex A title, the SOC 2 label or
    /// the CSF subcategory text. `Some` exactly when [`Catalogs::contains`] is true.
    pub fn title(&self, framework: &str, id: &str) -> Option<&str> {
        match framework {
            ISO27001 => self.iso.annex(id).map(|c| c.title.as_str()),
            SOC2 => self.soc2.criterion(id).map(|c| c.label.as_str()),
            CSF => self.csf.subcategory(id).map(|s| s.text.as_str()),
            _ => None,
        }
    }

    /// Closest catalog ids to a wrong id (for "did you mean" hints), at most 3, best first.
    ///
    /// Spelling slips are forgiven first (`a.5.1` -> `5.1`, `cc6.1` -> `CC6.1`, `PR.AA-1` ->
    /// `PR.AA-01`); a withdrawn CSF 1.1 id yields the CSF 2.0 subcategories NIST moved it into;
    /// otherwise ids within a small edit distance are ranked. Empty when nothing is close, and for
    /// ISO ids that are not shaped like an Annex A id (`A.9.2.3` from ISO 27001:2013, clause `6.1.2`).
    pub fn suggest(&self, framework: &str, id: &str) -> Vec<String> {
        let wanted = normalize(framework, id);
        if wanted.is_empty() {
            return Vec::new();
        }
        if self.contains(framework, &wanted) {
            return vec![wanted];
        }
        let candidates: Vec<&str> = match framework {
            // `A.9.2.3` (ISO 27001:2013) or a clause such as `6.1.2`: no Annex A id is "close".
            ISO27001 if dotted(&wanted).is_some_and(|parts| parts.len() != 2) => return Vec::new(),
            ISO27001 => self.iso.annex_a.iter().map(|c| c.id.as_str()).collect(),
            SOC2 => self.soc2.criteria.iter().map(|c| c.id.as_str()).collect(),
            CSF => {
                if let Some(into) = self.csf.withdrawn.get(&wanted) {
                    return into.iter().take(MAX_SUGGESTIONS).cloned().collect();
                }
                self.csf
                    .subcategories
                    .iter()
                    .map(|s| s.id.as_str())
                    .collect()
            }
            _ => return Vec::new(),
        };
        closest(&wanted, &candidates)
    }
}

// ---------------------------------------------------------------------------------------------
// Suggestions

/// Canonical spelling of a user-written id: no whitespace, upper case, no `A.`/`Annex A` prefix on
/// ISO ids, two-digit CSF subcategory numbers.
fn normalize(framework: &str, id: &str) -> String {
    let s: String = id
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    match framework {
        ISO27001 => {
            let rest = s.strip_prefix("ANNEX").unwrap_or(&s);
            let rest = rest.strip_prefix('A').unwrap_or(rest);
            rest.strip_prefix('.').unwrap_or(rest).to_string()
        }
        CSF => match s.rsplit_once('-') {
            Some((head, n)) if n.len() == 1 && n.as_bytes()[0].is_ascii_digit() => {
                format!("{head}-0{n}")
            }
            _ => s,
        },
        _ => s,
    }
}

/// The candidates nearest to `wanted` by edit distance, ties broken by longer common prefix, then
/// nearer trailing number (`5.38` -> `5.37` before `5.30`), then catalog order.
fn closest(wanted: &str, candidates: &[&str]) -> Vec<String> {
    let limit = (wanted.chars().count() / 2).max(1);
    let wanted_number = trailing_number(wanted);
    let mut ranked: Vec<_> = candidates
        .iter()
        .enumerate()
        .filter_map(|(order, &candidate)| {
            let distance = levenshtein(wanted, candidate);
            (distance <= limit).then(|| {
                let prefix = wanted
                    .chars()
                    .zip(candidate.chars())
                    .take_while(|(a, b)| a == b)
                    .count();
                let gap = match (wanted_number, trailing_number(candidate)) {
                    (Some(a), Some(b)) => a.abs_diff(b),
                    _ => u64::MAX,
                };
                ((distance, std::cmp::Reverse(prefix), gap, order), candidate)
            })
        })
        .collect();
    ranked.sort_unstable();
    ranked
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, c)| c.to_string())
        .collect()
}

/// The number an id ends with (`38` in `5.38`, `7` in `PR.AA-07`).
fn trailing_number(s: &str) -> Option<u64> {
    let digits = s.trim_end_matches(|c: char| c.is_ascii_digit());
    s[digits.len()..].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_data_loads() {
        if let Err(e) = load() {
            panic!("{e}");
        }
        assert!(std::ptr::eq(catalogs(), catalogs()));
    }

    #[test]
    fn annex_a_has_93_controls_in_four_themes() {
        let iso = &catalogs().iso;
        assert_eq!(iso.annex_a.len(), 93);
        let count = |theme: &str| iso.annex_a.iter().filter(|c| c.theme == theme).count();
        assert_eq!(
            [count("5"), count("6"), count("7"), count("8")],
            [37, 8, 14, 34]
        );
        assert_eq!(
            iso.themes(),
            [
                ("5", "Organizational controls"),
                ("6", "People controls"),
                ("7", "Physical controls"),
                ("8", "Technological controls"),
            ]
        );
        // Numeric, not lexical, order.
        let ids: Vec<&str> = iso.annex_a.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            &ids[..11],
            ["5.1", "5.2", "5.3", "5.4", "5.5", "5.6", "5.7", "5.8", "5.9", "5.10", "5.11"]
        );
        assert_eq!(ids[36], "5.37");
        assert_eq!(ids[92], "8.34");
        let access = iso.annex("5.15").unwrap();
        assert_eq!(access.title, "Access control");
        assert_eq!(
            (access.theme.as_str(), access.theme_title.as_str()),
            ("5", "Organizational controls")
        );
    }

    #[test]
    fn clauses_4_to_10_present() {
        let iso = &catalogs().iso;
        assert_eq!(iso.clauses.len(), 41);
        for id in ["4", "5", "6", "7", "8", "9", "10"] {
            let clause = iso
                .clause(id)
                .unwrap_or_else(|| panic!("clause {id} missing"));
            assert_eq!(clause.parent, None);
        }
        assert_eq!(iso.clause("9.2").unwrap().title, "Internal audit");
        assert_eq!(iso.clause("6.1.2").unwrap().parent.as_deref(), Some("6.1"));
        // Clause 5.1 and Annex A 5.1 are different things.
        assert_eq!(
            iso.clause("5.1").unwrap().title,
            "Leadership and commitment"
        );
        assert_eq!(
            iso.annex("5.1").unwrap().title,
            "Policies for information security"
        );
        assert!(iso.clause("11").is_none());
    }

    #[test]
    fn soc2_has_61_criteria() {
        let soc2 = &catalogs().soc2;
        assert_eq!(soc2.criteria.len(), 61);
        assert_eq!(
            soc2.categories(),
            [
                "security",
                "availability",
                "confidentiality",
                "processing-integrity",
                "privacy"
            ]
        );
        let count = |cat: &str| soc2.criteria.iter().filter(|c| c.category == cat).count();
        assert_eq!(
            soc2.categories()
                .iter()
                .map(|c| count(c))
                .collect::<Vec<_>>(),
            [33, 3, 2, 5, 18]
        );
        assert_eq!(soc2.criteria[0].id, "CC1.1");
        assert_eq!(soc2.criteria[32].id, "CC9.2");
        assert_eq!(soc2.criteria[60].id, "P8.1");
        let cc61 = soc2.criterion("CC6.1").unwrap();
        assert_eq!(
            (cc61.group.as_str(), cc61.category.as_str()),
            ("CC6", "security")
        );
        assert_eq!(cc61.group_title, "Logical and physical access controls");
        assert!(soc2.criterion("P1.2").is_none());
    }

    #[test]
    fn soc2_in_categories_always_includes_security() {
        let soc2 = &catalogs().soc2;
        assert_eq!(soc2.in_categories(&[]).len(), 33);
        let picked = soc2.in_categories(&["privacy".to_string(), "availability".to_string()]);
        assert_eq!(picked.len(), 33 + 3 + 18);
        assert_eq!(picked[33].id, "A1.1");
        assert_eq!(picked.last().unwrap().id, "P8.1");
        assert_eq!(soc2.in_categories(&["nonsense".to_string()]).len(), 33);
    }

    #[test]
    fn csf_has_6_functions_22_categories_106_subcategories() {
        let csf = &catalogs().csf;
        assert_eq!(
            (
                csf.functions.len(),
                csf.categories.len(),
                csf.subcategories.len()
            ),
            (6, 22, 106)
        );
        // `subcategory_count` of each category in the reference file.
        let expected = [
            ("GV.OC", 5),
            ("GV.RM", 7),
            ("GV.RR", 4),
            ("GV.PO", 2),
            ("GV.OV", 3),
            ("GV.SC", 10),
            ("ID.AM", 7),
            ("ID.RA", 10),
            ("ID.IM", 4),
            ("PR.AA", 6),
            ("PR.AT", 2),
            ("PR.DS", 4),
            ("PR.PS", 6),
            ("PR.IR", 4),
            ("DE.CM", 5),
            ("DE.AE", 6),
            ("RS.MA", 5),
            ("RS.AN", 4),
            ("RS.CO", 2),
            ("RS.MI", 2),
            ("RC.RP", 6),
            ("RC.CO", 2),
        ];
        let actual: Vec<(&str, usize)> = csf
            .categories
            .iter()
            .map(|c| {
                let n = csf
                    .subcategories
                    .iter()
                    .filter(|s| s.category == c.id)
                    .count();
                (c.id.as_str(), n)
            })
            .collect();
        assert_eq!(actual, expected);
        let functions: Vec<&str> = csf.functions.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(functions, ["GV", "ID", "PR", "DE", "RS", "RC"]);
        for c in &csf.categories {
            assert!(csf.function(&c.function).is_some(), "{}", c.id);
        }
        let sub = csf.subcategory("PR.AA-01").unwrap();
        assert_eq!(sub.category, "PR.AA");
        assert_eq!(csf.category("PR.AA").unwrap().function, "PR");
        assert_eq!(csf.function("PR").unwrap().name, "Protect");
        assert!(csf.subcategory("ID.AM-06").is_none());
    }

    #[test]
    fn crosswalk_references_real_ids() {
        let c = catalogs();
        let map = &c.crosswalk.csf_to_iso;
        assert_eq!(map.len(), 106);
        for (csf_id, refs) in map {
            assert!(c.csf.subcategory(csf_id).is_some(), "{csf_id}");
            assert!(
                !refs.clauses.is_empty() || !refs.annex_a.is_empty(),
                "{csf_id}"
            );
            for id in &refs.clauses {
                assert!(c.iso.clause(id).is_some(), "{csf_id}: clause {id}");
            }
            for id in &refs.annex_a {
                assert!(c.iso.annex(id).is_some(), "{csf_id}: Annex A {id}");
            }
        }
        // Totals stated in the reference's summary.
        let clause_links: usize = map.values().map(|r| r.clauses.len()).sum();
        let annex_links: usize = map.values().map(|r| r.annex_a.len()).sum();
        assert_eq!((clause_links, annex_links), (87, 244));
        assert_eq!(
            c.crosswalk.iso_for("PR.AA-01").unwrap().annex_a,
            ["5.15", "5.18", "8.2", "8.5"]
        );
        assert!(c.crosswalk.iso_for("PR.AC-01").is_none());
    }

    #[test]
    fn contains_and_title() {
        let c = catalogs();
        for (framework, id) in [(ISO27001, "5.15"), (SOC2, "CC6.1"), (CSF, "PR.AA-01")] {
            assert!(c.contains(framework, id), "{framework} {id}");
        }
        for (framework, id) in [
            (ISO27001, "5.38"),
            (ISO27001, "A.5.1"),
            (ISO27001, "9.2"),
            (SOC2, "CC10.1"),
            (SOC2, "cc6.1"),
            (CSF, "PR.AA-07"),
            (CSF, "PR.AA"),
            (SOC2, "5.15"),
            ("iso27001-2013", "5.15"),
        ] {
            assert!(!c.contains(framework, id), "{framework} {id}");
        }
        assert_eq!(c.title(ISO27001, "5.15"), Some("Access control"));
        assert_eq!(
            c.title(SOC2, "CC6.1"),
            Some("Logical access security over information assets")
        );
        assert_eq!(c.title(CSF, "RS.MI-01"), Some("Incidents are contained"));
        assert_eq!(c.title(CSF, "nope"), None);
    }

    #[test]
    fn suggest_close_ids() {
        let c = catalogs();
        let iso = c.suggest(ISO27001, "5.38");
        assert!(iso.contains(&"5.37".to_string()), "{iso:?}");
        assert_eq!(iso[0], "5.37");
        assert_eq!(c.suggest(ISO27001, "A.5.1"), ["5.1"]);
        assert_eq!(c.suggest(ISO27001, "Annex A 8.24"), ["8.24"]);
        assert_eq!(c.suggest(SOC2, "cc6.1"), ["CC6.1"]);
        assert_eq!(c.suggest(SOC2, "CC10.1")[0], "CC1.1");
        assert_eq!(c.suggest(CSF, "PR.AA-1"), ["PR.AA-01"]);
        assert_eq!(c.suggest(CSF, "PR.AA-07")[0], "PR.AA-06");
        // Withdrawn CSF 1.1 ids point at their CSF 2.0 successors.
        assert_eq!(c.suggest(CSF, "PR.AC-1"), ["PR.AA-01", "PR.AA-05"]);
        assert_eq!(c.suggest(CSF, "ID.GV-01"), ["GV.PO-01", "GV.PO-02"]);
        assert!(c.suggest(ISO27001, "hello").is_empty());
        assert!(c.suggest(ISO27001, "A.9.2.3").is_empty());
        assert!(c.suggest(ISO27001, "  ").is_empty());
        assert!(c.suggest("unknown", "5.15").is_empty());
        for (framework, id) in [
            (ISO27001, "8.35"),
            (SOC2, "P1.2"),
            (CSF, "DE.CM-04"),
            (CSF, "GV.OC-6"),
        ] {
            let hints = c.suggest(framework, id);
            assert!(
                !hints.is_empty() && hints.len() <= MAX_SUGGESTIONS,
                "{id}: {hints:?}"
            );
            assert!(
                hints.iter().all(|h| c.contains(framework, h)),
                "{id}: {hints:?}"
            );
        }
    }

    #[test]
    fn withdrawn_csf_ids_point_to_real_subcategories() {
        let csf = &catalogs().csf;
        assert_eq!(csf.withdrawn.len(), 79);
        for (old, into) in &csf.withdrawn {
            assert!(csf.subcategory(old).is_none(), "{old}");
            assert!(into.iter().all(|id| csf.subcategory(id).is_some()), "{old}");
        }
    }

    #[test]
    fn serializes_without_indexes() {
        let json = serde_json::to_value(catalogs()).unwrap();
        assert_eq!(json["iso"]["annex_a"][14]["id"], "5.15");
        assert!(json["iso"].get("annex_index").is_none());
        assert_eq!(
            json["crosswalk"]["csf_to_iso"]["GV.OC-05"]["annex_a"][0],
            "5.3"
        );
    }
}
