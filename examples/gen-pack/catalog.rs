//! Framework ids from the project's own catalogs (`data/*.yaml`), read at run time so the
//! generator never maps a control to an id that `check` would refuse.

use std::fs;
use std::io;
use std::path::Path;

use serde::Deserialize;

/// The ids a control may map to.
pub(crate) struct Catalogs {
    /// ISO/IEC 27001:2022 Annex A control ids (`5.15`), in standard order (93).
    pub(crate) annex_a: Vec<String>,
    /// SOC 2 criteria of the categories in scope (`CC6.1`), in standard order.
    pub(crate) soc2: Vec<String>,
    /// NIST CSF 2.0 subcategory ids (`PR.AA-01`) (106).
    pub(crate) csf: Vec<String>,
}

#[derive(Deserialize)]
struct Iso {
    annex_a: Vec<IsoTheme>,
}

#[derive(Deserialize)]
struct IsoTheme {
    controls: Vec<Id>,
}

#[derive(Deserialize)]
struct Soc2 {
    groups: Vec<Soc2Group>,
}

#[derive(Deserialize)]
struct Soc2Group {
    category: String,
    criteria: Vec<Id>,
}

#[derive(Deserialize)]
struct Csf {
    functions: Vec<CsfFunction>,
}

#[derive(Deserialize)]
struct CsfFunction {
    categories: Vec<CsfCategory>,
}

#[derive(Deserialize)]
struct CsfCategory {
    subcategories: Vec<Id>,
}

#[derive(Deserialize)]
struct Id {
    id: String,
}

fn read<T: for<'de> Deserialize<'de>>(dir: &Path, name: &str) -> io::Result<T> {
    let path = dir.join(name);
    let text = fs::read_to_string(&path)?;
    serde_yaml_ng::from_str(&text).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{}: {e}", path.display()),
        )
    })
}

impl Catalogs {
    /// Reads the catalogs in `dir` (the repository's `data/`), keeping the SOC 2 criteria of
    /// `categories` only.
    pub(crate) fn load(dir: &Path, categories: &[&str]) -> io::Result<Catalogs> {
        let iso: Iso = read(dir, "iso27001-2022.yaml")?;
        let soc2: Soc2 = read(dir, "soc2-2017.yaml")?;
        let csf: Csf = read(dir, "nist-csf-2.0.yaml")?;
        Ok(Catalogs {
            annex_a: iso
                .annex_a
                .into_iter()
                .flat_map(|t| t.controls)
                .map(|c| c.id)
                .collect(),
            soc2: soc2
                .groups
                .into_iter()
                .filter(|g| categories.contains(&g.category.as_str()))
                .flat_map(|g| g.criteria)
                .map(|c| c.id)
                .collect(),
            csf: csf
                .functions
                .into_iter()
                .flat_map(|f| f.categories)
                .flat_map(|c| c.subcategories)
                .map(|s| s.id)
                .collect(),
        })
    }
}
