//! The JSON Schemas of the content files (issue 15 item 10): the example pack's every YAML file
//! and front matter validates against the schema of its kind, a typo'd field does not, the
//! schemas committed in `content/schemas/` are what the model types generate, and `init`, `new`
//! and `schema` write them and the modelines that point at them.

use std::fs;
use std::path::Path;

use evidencepack::content::schema::{SchemaKind, SCHEMA_DIR};
use serde_json::Value;

use crate::common::{bin, files};

/// The example pack.
fn example() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/content"))
}

/// A YAML text as the JSON the schema is about (keys as text, as YAML mapping keys like
/// `25: 40` are read).
fn json_of_yaml(text: &str) -> Value {
    fn convert(v: serde_yaml_ng::Value) -> Value {
        use serde_yaml_ng::Value as Y;
        match v {
            Y::Null => Value::Null,
            Y::Bool(b) => Value::Bool(b),
            Y::Number(n) => serde_json::to_value(n).unwrap(),
            Y::String(s) => Value::String(s),
            Y::Sequence(seq) => Value::Array(seq.into_iter().map(convert).collect()),
            Y::Mapping(map) => Value::Object(
                map.into_iter()
                    .map(|(k, v)| {
                        let key = match convert(k) {
                            Value::String(s) => s,
                            other => other.to_string(),
                        };
                        (key, convert(v))
                    })
                    .collect(),
            ),
            Y::Tagged(t) => convert(t.value),
        }
    }
    convert(serde_yaml_ng::from_str(text).unwrap())
}

/// The YAML of a content file: the whole file, or a Markdown file's front matter.
fn yaml_of(rel: &str, text: &str) -> String {
    if !rel.ends_with(".md") {
        return text.to_string();
    }
    let rest = text.strip_prefix("---\n").unwrap();
    rest[..rest.find("\n---\n").unwrap()].to_string()
}

/// The problems `schema` finds in the file `rel` of `root`, one line each.
fn problems(root: &Path, rel: &str, text: &str) -> Vec<String> {
    let kind = SchemaKind::of_file(rel).unwrap();
    let schema: Value = serde_json::from_str(
        &fs::read_to_string(root.join(SCHEMA_DIR).join(kind.file_name())).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let instance = json_of_yaml(&yaml_of(rel, text));
    validator
        .iter_errors(&instance)
        .map(|e| format!("{rel}{}: {e}", e.instance_path()))
        .collect()
}

/// Every content file of `root` that has a schema, with its text.
fn content_files(root: &Path) -> Vec<(String, String)> {
    files(root)
        .into_iter()
        .filter(|rel| SchemaKind::of_file(rel).is_some())
        .map(|rel| {
            let text = fs::read_to_string(root.join(&rel)).unwrap();
            (rel, text)
        })
        .collect()
}

#[test]
fn every_file_of_the_example_pack_validates_against_its_schema() {
    let files = content_files(example());
    // Every kind is exercised, so a schema that rejects its own kind cannot hide.
    for kind in SchemaKind::ALL {
        assert!(
            files
                .iter()
                .any(|(rel, _)| SchemaKind::of_file(rel) == Some(kind)),
            "no {} file in the example pack",
            kind.name()
        );
    }
    let problems: Vec<String> = files
        .iter()
        .flat_map(|(rel, text)| problems(example(), rel, text))
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn a_typo_an_unknown_value_or_a_missing_field_fails_the_schema() {
    let control = fs::read_to_string(example().join("controls/access.yaml")).unwrap();
    let typo = control.replacen("  operator: tomasz", "  opertor: tomasz", 1);
    let found = problems(example(), "controls/access.yaml", &typo);
    assert!(
        found.iter().any(|p| p.contains("opertor")),
        "the typo is named: {found:#?}"
    );
    let frequency = control.replacen("frequency: continuous", "frequency: hourly", 1);
    assert!(!problems(example(), "controls/access.yaml", &frequency).is_empty());
    let pack = fs::read_to_string(example().join("pack.yaml")).unwrap();
    let no_period = pack.replacen("period:", "perod:", 1);
    assert!(problems(example(), "pack.yaml", &no_period).len() >= 2);
    // A single record is a file of its kind too, and a quoted or unquoted version both are text.
    let one = "id: EV-1\ncontrols: [AC-01]\nkind: ticket\ntitle: T\noccurred_on: 2026-01-01\nperformed_by: x\nresult: pass\n";
    assert!(problems(example(), "evidence/one.yaml", one).is_empty());
    let policy = "---\nid: P\ntitle: T\nowner: a\napproved_by: a\napproved_on: 2026-01-01\nversion: 1.0\n---\n";
    assert!(problems(example(), "policies/p.md", policy).is_empty());
    let bad_date = one.replace("2026-01-01", "[2026]");
    assert!(!problems(example(), "evidence/one.yaml", &bad_date).is_empty());
}

#[test]
fn the_committed_schemas_are_what_the_model_types_generate() {
    for kind in SchemaKind::ALL {
        let committed =
            fs::read_to_string(example().join(SCHEMA_DIR).join(kind.file_name())).unwrap();
        assert!(
            committed == kind.text(),
            "content/schemas/{} is stale: run `evidencepack --content content schema`",
            kind.file_name()
        );
        let out = bin().args(["schema", kind.name()]).output().unwrap();
        assert!(out.status.success());
        assert_eq!(String::from_utf8(out.stdout).unwrap(), committed);
    }
}

#[test]
fn init_and_new_write_schemas_and_modelines_that_validate() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("pack");
    let run = |args: &[&str]| bin().current_dir(tmp.path()).args(args).output().unwrap();
    assert!(run(&["init", "pack"]).status.success());
    for kind in SchemaKind::ALL {
        assert_eq!(
            fs::read_to_string(root.join(SCHEMA_DIR).join(kind.file_name())).unwrap(),
            kind.text()
        );
    }
    for kind in ["risk", "identity", "review"] {
        let out = run(&["--content", "pack", "new", kind, "X-1"]);
        assert!(out.status.success(), "{out:?}");
    }
    let written = content_files(&root);
    assert_eq!(written.len(), 9, "{written:#?}");
    for (rel, text) in &written {
        let kind = SchemaKind::of_file(rel).unwrap();
        assert!(
            text.lines().take(2).any(|l| l == kind.modeline(rel)),
            "{rel} names its schema: {text}"
        );
        assert_eq!(problems(&root, rel, text), Vec::<String>::new());
    }
    // `schema` rewrites a stale schema; without a pack it says so.
    fs::write(root.join("schemas/risk.schema.json"), "{}").unwrap();
    assert!(run(&["--content", "pack", "schema"]).status.success());
    assert_eq!(
        fs::read_to_string(root.join("schemas/risk.schema.json")).unwrap(),
        SchemaKind::Risk.text()
    );
    let out = run(&["--content", "nowhere", "schema"]);
    assert_eq!(out.status.code(), Some(2));
    // A pack without schemas gets records without a modeline (it would name a missing file).
    fs::remove_dir_all(root.join(SCHEMA_DIR)).unwrap();
    assert!(run(&["--content", "pack", "new", "control", "C-9"])
        .status
        .success());
    let control = fs::read_to_string(root.join("controls/C-9.yaml")).unwrap();
    assert!(control.starts_with("id: C-9\n"), "{control}");
}
