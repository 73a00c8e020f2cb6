//! Parsing and checking the embedded catalog files under `data/` (their rows, ids and order).

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::Deserialize;

use super::{
    AnnexControl, Catalogs, Crosswalk, CsfCatalog, CsfCategory, CsfFunction, CsfSubcategory,
    IsoCatalog, IsoClause, IsoReferences, Soc2Catalog, Soc2Criterion, CROSSWALK_YAML, CSF_YAML,
    ISO_YAML, SECURITY, SOC2_YAML,
};

/// Id -> position in a catalog list.
#[derive(Clone, Default)]
pub(super) struct Index(HashMap<String, usize>);

impl Index {
    /// Index `ids` by position; `what` names them in the duplicate-id error.
    fn build<'a>(what: &str, ids: impl IntoIterator<Item = &'a str>) -> Result<Self, String> {
        let mut map = HashMap::new();
        for (i, id) in ids.into_iter().enumerate() {
            if map.insert(id.to_string(), i).is_some() {
                return Err(format!("duplicate {what} id {id:?}"));
            }
        }
        Ok(Index(map))
    }

    pub(super) fn get(&self, id: &str) -> Option<usize> {
        self.0.get(id).copied()
    }
}

impl fmt::Debug for Index {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Index({} ids)", self.0.len())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IsoFile {
    #[serde(rename = "standard")]
    _standard: String,
    clauses: Vec<IsoClauseRow>,
    annex_a: Vec<IsoThemeRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IsoClauseRow {
    id: String,
    title: String,
    #[serde(default)]
    parent: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IsoThemeRow {
    theme: String,
    title: String,
    controls: Vec<TitledRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TitledRow {
    id: String,
    title: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Soc2File {
    #[serde(rename = "framework")]
    _framework: String,
    categories: Vec<Soc2CategoryRow>,
    groups: Vec<Soc2GroupRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Soc2CategoryRow {
    id: String,
    #[serde(rename = "scope")]
    _scope: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Soc2GroupRow {
    id: String,
    title: String,
    category: String,
    criteria: Vec<Soc2CriterionRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Soc2CriterionRow {
    id: String,
    label: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CsfFile {
    #[serde(rename = "framework")]
    _framework: String,
    functions: Vec<CsfFunctionRow>,
    withdrawn_csf_1_1: Vec<CsfWithdrawnRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CsfFunctionRow {
    id: String,
    name: String,
    text: String,
    categories: Vec<CsfCategoryRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CsfCategoryRow {
    id: String,
    name: String,
    text: String,
    subcategories: Vec<CsfSubcategoryRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CsfSubcategoryRow {
    id: String,
    text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CsfWithdrawnRow {
    id: String,
    into: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CrosswalkFile {
    mappings: BTreeMap<String, IsoReferencesRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IsoReferencesRow {
    clauses: Vec<String>,
    annex_a: Vec<String>,
}

/// Parse and cross-check the embedded data.
pub(super) fn load() -> Result<Catalogs, String> {
    let iso = load_iso(parse("data/iso27001-2022.yaml", ISO_YAML)?)?;
    let soc2 = load_soc2(parse("data/soc2-2017.yaml", SOC2_YAML)?)?;
    let csf = load_csf(parse("data/nist-csf-2.0.yaml", CSF_YAML)?)?;
    let crosswalk = load_crosswalk(
        parse("data/csf-to-iso27001.yaml", CROSSWALK_YAML)?,
        &iso,
        &csf,
    )?;
    Ok(Catalogs {
        iso,
        soc2,
        csf,
        crosswalk,
    })
}

fn parse<T: for<'de> Deserialize<'de>>(file: &str, text: &str) -> Result<T, String> {
    serde_yaml_ng::from_str(text).map_err(|e| format!("{file}: {e}"))
}

/// `6.1.2` -> `[6, 1, 2]`, for numeric ordering; `None` unless dot-separated integers.
pub(super) fn dotted(id: &str) -> Option<Vec<u32>> {
    id.split('.')
        .map(|part| {
            let digits_only = !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
            digits_only.then(|| part.parse().ok()).flatten()
        })
        .collect()
}

/// Check that `ids` are dotted numbers in strictly increasing numeric order.
fn check_numeric_order<'a>(
    what: &str,
    ids: impl IntoIterator<Item = &'a str>,
) -> Result<(), String> {
    let mut previous: Option<(Vec<u32>, &str)> = None;
    for id in ids {
        let key = dotted(id).ok_or_else(|| format!("{what} id {id:?} is not a dotted number"))?;
        if let Some((prev_key, prev_id)) = &previous {
            if *prev_key >= key {
                return Err(format!("{what} {id:?} is out of order after {prev_id:?}"));
            }
        }
        previous = Some((key, id));
    }
    Ok(())
}

fn load_iso(file: IsoFile) -> Result<IsoCatalog, String> {
    let clauses: Vec<IsoClause> = file
        .clauses
        .into_iter()
        .map(|c| IsoClause {
            id: c.id,
            title: c.title,
            parent: c.parent,
        })
        .collect();
    check_numeric_order("ISO clause", clauses.iter().map(|c| c.id.as_str()))?;
    let clause_index = Index::build("ISO clause", clauses.iter().map(|c| c.id.as_str()))?;
    for c in &clauses {
        if let Some(parent) = &c.parent {
            if !c.id.starts_with(&format!("{parent}.")) || clause_index.get(parent).is_none() {
                return Err(format!("ISO clause {:?} has a bad parent {parent:?}", c.id));
            }
        }
    }

    let mut annex_a = Vec::new();
    for theme in file.annex_a {
        for c in theme.controls {
            let in_theme = c.id.split_once('.').map(|(t, _)| t) == Some(theme.theme.as_str());
            if !in_theme || dotted(&c.id).map(|k| k.len()) != Some(2) {
                return Err(format!("Annex A id {:?} in theme {:?}", c.id, theme.theme));
            }
            annex_a.push(AnnexControl {
                id: c.id,
                title: c.title,
                theme: theme.theme.clone(),
                theme_title: theme.title.clone(),
            });
        }
    }
    check_numeric_order("Annex A control", annex_a.iter().map(|c| c.id.as_str()))?;
    let annex_index = Index::build("Annex A", annex_a.iter().map(|c| c.id.as_str()))?;
    Ok(IsoCatalog {
        clauses,
        annex_a,
        clause_index,
        annex_index,
    })
}

fn load_soc2(file: Soc2File) -> Result<Soc2Catalog, String> {
    let order: Vec<&str> = file.categories.iter().map(|c| c.id.as_str()).collect();
    if order.first() != Some(&SECURITY) {
        return Err(format!("SOC 2 categories must start with {SECURITY:?}"));
    }
    let mut rank = 0;
    let mut criteria = Vec::new();
    for group in &file.groups {
        let group_rank = order
            .iter()
            .position(|c| *c == group.category)
            .ok_or_else(|| {
                format!(
                    "SOC 2 group {} has unknown category {:?}",
                    group.id, group.category
                )
            })?;
        if group_rank < rank {
            return Err(format!("SOC 2 group {} is out of category order", group.id));
        }
        rank = group_rank;
        let mut previous = 0;
        for c in &group.criteria {
            let number =
                c.id.strip_prefix(&format!("{}.", group.id))
                    .and_then(|n| n.parse::<u32>().ok())
                    .filter(|&n| n > previous)
                    .ok_or_else(|| format!("SOC 2 criterion {:?} in group {}", c.id, group.id))?;
            previous = number;
            criteria.push(Soc2Criterion {
                id: c.id.clone(),
                category: group.category.clone(),
                group: group.id.clone(),
                group_title: group.title.clone(),
                label: c.label.clone(),
            });
        }
    }
    Index::build("SOC 2 group", file.groups.iter().map(|g| g.id.as_str()))?;
    let index = Index::build("SOC 2 criterion", criteria.iter().map(|c| c.id.as_str()))?;
    Ok(Soc2Catalog { criteria, index })
}

fn load_csf(file: CsfFile) -> Result<CsfCatalog, String> {
    let mut functions = Vec::new();
    let mut categories = Vec::new();
    let mut subcategories = Vec::new();
    for f in file.functions {
        for c in f.categories {
            let suffix = c.id.strip_prefix(&format!("{}.", f.id));
            if !suffix.is_some_and(|s| s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase())) {
                return Err(format!("CSF category {:?} under function {}", c.id, f.id));
            }
            let mut previous = 0;
            for s in c.subcategories {
                let number = s
                    .id
                    .strip_prefix(&format!("{}-", c.id))
                    .filter(|n| n.len() == 2)
                    .and_then(|n| n.parse::<u32>().ok())
                    .filter(|&n| n > previous)
                    .ok_or_else(|| format!("CSF subcategory {:?} in category {}", s.id, c.id))?;
                previous = number;
                subcategories.push(CsfSubcategory {
                    id: s.id,
                    category: c.id.clone(),
                    text: s.text,
                });
            }
            categories.push(CsfCategory {
                id: c.id,
                name: c.name,
                function: f.id.clone(),
                text: c.text,
            });
        }
        functions.push(CsfFunction {
            id: f.id,
            name: f.name,
            text: f.text,
        });
    }
    let function_index = Index::build("CSF function", functions.iter().map(|f| f.id.as_str()))?;
    let category_index = Index::build("CSF category", categories.iter().map(|c| c.id.as_str()))?;
    let subcategory_index = Index::build(
        "CSF subcategory",
        subcategories.iter().map(|s| s.id.as_str()),
    )?;

    let mut withdrawn = HashMap::new();
    for w in file.withdrawn_csf_1_1 {
        if subcategory_index.get(&w.id).is_some() {
            return Err(format!(
                "withdrawn CSF 1.1 id {:?} is a CSF 2.0 subcategory",
                w.id
            ));
        }
        for to in &w.into {
            let known = subcategory_index.get(to).is_some()
                || category_index.get(to).is_some()
                || function_index.get(to).is_some();
            if !known {
                return Err(format!(
                    "withdrawn CSF 1.1 id {:?} points to unknown {to:?}",
                    w.id
                ));
            }
        }
        // Only subcategories are mapping targets, so only they make useful hints.
        let into = w
            .into
            .into_iter()
            .filter(|to| subcategory_index.get(to).is_some())
            .collect();
        if withdrawn.insert(w.id.clone(), into).is_some() {
            return Err(format!("duplicate withdrawn CSF 1.1 id {:?}", w.id));
        }
    }
    Ok(CsfCatalog {
        functions,
        categories,
        subcategories,
        function_index,
        category_index,
        subcategory_index,
        withdrawn,
    })
}

fn load_crosswalk(
    file: CrosswalkFile,
    iso: &IsoCatalog,
    csf: &CsfCatalog,
) -> Result<Crosswalk, String> {
    let mut csf_to_iso = BTreeMap::new();
    for (csf_id, refs) in file.mappings {
        if csf.subcategory(&csf_id).is_none() {
            return Err(format!("crosswalk key {csf_id:?} is not a CSF subcategory"));
        }
        if let Some(bad) = refs.clauses.iter().find(|id| iso.clause(id).is_none()) {
            return Err(format!("crosswalk {csf_id}: unknown ISO clause {bad:?}"));
        }
        if let Some(bad) = refs.annex_a.iter().find(|id| iso.annex(id).is_none()) {
            return Err(format!(
                "crosswalk {csf_id}: unknown Annex A control {bad:?}"
            ));
        }
        csf_to_iso.insert(
            csf_id,
            IsoReferences {
                clauses: refs.clauses,
                annex_a: refs.annex_a,
            },
        );
    }
    Ok(Crosswalk { csf_to_iso })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loader_rejects_broken_data() {
        let iso = |annex: &str| {
            let yaml = format!(
                "standard: x\nclauses: [{{id: '4', title: C}}]\nannex_a:\n  - {{theme: '5', title: T, controls: [{annex}]}}\n"
            );
            load_iso(parse("iso", &yaml)?)
        };
        assert!(iso("{id: '5.9', title: a}, {id: '5.10', title: b}").is_ok());
        assert!(iso("{id: '5.10', title: a}, {id: '5.9', title: b}").is_err());
        assert!(iso("{id: '5.1', title: a}, {id: '5.1', title: b}").is_err());
        assert!(iso("{id: '6.1', title: a}").is_err());
        assert!(iso("{id: 'A.5.1', title: a}").is_err());
        assert!(iso("{id: '5.1', title: a, extra: b}").is_err());

        let soc2 = |groups: &str| {
            let yaml = format!(
                "framework: x\ncategories: [{{id: security, scope: s}}, {{id: privacy, scope: p}}]\ngroups: [{groups}]\n"
            );
            load_soc2(parse("soc2", &yaml)?)
        };
        let cc1 = "{id: CC1, title: t, category: security, criteria: [{id: CC1.1, label: l}]}";
        let p1 = "{id: P1, title: t, category: privacy, criteria: [{id: P1.1, label: l}]}";
        assert!(soc2(&format!("{cc1}, {p1}")).is_ok());
        assert!(soc2(&format!("{p1}, {cc1}")).is_err());
        assert!(
            soc2("{id: P1, title: t, category: privacy, criteria: [{id: P2.1, label: l}]}")
                .is_err()
        );
    }
}
