//! What a content file is, from where it sits, and how one is parsed: decoded, its front matter
//! split off, its YAML parsed and its records deserialized one by one, every problem placed.

use std::cell::OnceCell;
use std::ops::Range;
use std::path::Path;

use chrono::NaiveDate;
use serde::de::DeserializeOwned;

use super::model::{
    Control, Evidence, Identity, IsmsFile, Pack, Person, PolicyMeta, ReviewMeta, Risk, SoaDecision,
};
use super::salvage::Salvage;
use super::{explain, yaml, PopulationRow, SourceFile};
use crate::diag::{codes, suggest, Code, Diagnostic, Place, Positions, Report};

/// The kind of a content file, from where it sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FileKind {
    Pack,
    People,
    Soa,
    Policy,
    Control,
    Risk,
    Identity,
    Evidence,
    Population,
    Review,
    Isms,
}

pub(super) fn classify(rel: &str) -> Option<FileKind> {
    let (dir, rest) = match rel.split_once('/') {
        Some((d, r)) => (d, r),
        None => ("", rel),
    };
    let is_yaml = rest.ends_with(".yaml") || rest.ends_with(".yml");
    let is_md = rest.ends_with(".md");
    match (dir, rest) {
        ("", "pack.yaml") => Some(FileKind::Pack),
        ("", "people.yaml") => Some(FileKind::People),
        ("", "soa.yaml") => Some(FileKind::Soa),
        ("policies", _) if is_md => Some(FileKind::Policy),
        ("reviews", _) if is_md => Some(FileKind::Review),
        ("controls", _) if is_yaml => Some(FileKind::Control),
        ("risks", _) if is_yaml => Some(FileKind::Risk),
        ("identities", _) if is_yaml => Some(FileKind::Identity),
        ("evidence", _) if is_yaml => Some(FileKind::Evidence),
        ("isms", _) if is_yaml => Some(FileKind::Isms),
        ("populations", _) if rest.ends_with(".csv") => Some(FileKind::Population),
        _ => None,
    }
}

/// Parsed records of one file, before they are merged into [`super::Content`].
#[derive(Clone)]
pub(super) enum Parsed {
    Pack(Vec<(Pack, String)>),
    People(Vec<(Person, String)>),
    Soa(Vec<(SoaDecision, String)>),
    Controls(Vec<(Control, String)>),
    Risks(Vec<(Risk, String)>),
    Identities(Vec<(Identity, String)>),
    Evidence(Vec<(Evidence, String)>),
    Policy(Box<Option<(PolicyMeta, String, usize)>>),
    Review(Box<Option<(ReviewMeta, String, usize)>>),
    Population(Option<(String, Vec<PopulationRow>)>),
    Isms(Vec<(IsmsFile, String)>),
}

/// A problem found while parsing one file (merged into the report in file order).
#[derive(Clone)]
pub(super) struct FileProblem {
    pub(super) place: Place,
    pub(super) code: &'static Code,
    pub(super) message: String,
    pub(super) hint: Option<String>,
}

impl FileProblem {
    /// Record the problem in `report`, against the registered file `file`.
    pub(super) fn push_to(self, report: &mut Report, file: usize) {
        let pending = report.push(file, self.place, *self.code, self.message);
        if let Some(hint) = self.hint {
            pending.hint(hint);
        }
    }
}

pub(super) fn empty_source(rel: String) -> SourceFile {
    SourceFile {
        rel,
        text: String::new(),
        yaml: 0..0,
        yaml_line_offset: 0,
    }
}

/// Decode, split front matter, parse YAML and deserialize the records of one file.
pub(super) fn parse_file(
    rel: String,
    kind: FileKind,
    bytes: Vec<u8>,
    problems: &mut Vec<FileProblem>,
    unclassified: &mut Vec<String>,
    salvage: &mut Salvage,
) -> (SourceFile, Result<Parsed, FileProblem>) {
    let id_key = if kind == FileKind::Soa {
        "annex_a"
    } else {
        "id"
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let bytes = err.into_bytes();
            salvage.unreadable(&String::from_utf8_lossy(&bytes), id_key);
            let prefix = String::from_utf8_lossy(&bytes[..valid]);
            let line = prefix.matches('\n').count() + 1;
            let col = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            return (
                empty_source(rel),
                Err(FileProblem {
                    place: Place::Line(line, col),
                    code: &codes::YAML_SYNTAX,
                    message: "file is not valid UTF-8".into(),
                    hint: Some("save the file as UTF-8".into()),
                }),
            );
        }
    };
    // A UTF-8 byte-order mark (saved by Windows editors) is not part of the YAML.
    let bom = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let mut source = SourceFile {
        rel,
        yaml: bom..text.len(),
        yaml_line_offset: 0,
        text,
    };
    if source.text.trim().is_empty() {
        // An empty people.yaml names nobody: that is its one error, not every reference.
        if kind == FileKind::People {
            salvage.unreadable("", id_key);
        }
        let message = "file is empty".to_string();
        return (
            source,
            Err(FileProblem {
                place: Place::Start,
                code: &codes::YAML_SYNTAX,
                message,
                hint: None,
            }),
        );
    }
    let parsed = match kind {
        FileKind::Policy | FileKind::Review => {
            match split_front_matter(&source.text) {
                Err(message) => {
                    salvage.unreadable(&source.text, id_key);
                    Err(FileProblem {
                        place: Place::Start,
                        code: &codes::FRONT_MATTER,
                        message,
                        hint: Some("start the file with `---`, the YAML front matter, then `---` on a line of its own".into()),
                    })
                }
                Ok((range, body_line)) => {
                    source.yaml = range;
                    source.yaml_line_offset = 1;
                    let body_start = line_start(&source.text, body_line);
                    let body = source.text[body_start..].to_string();
                    let meta_text = source.yaml_text();
                    let before = problems.len();
                    let parsed = if kind == FileKind::Policy {
                        let mut v =
                            records::<PolicyMeta>(meta_text, kind, problems, unclassified, salvage);
                        Parsed::Policy(Box::new(v.pop().map(|(m, _)| (m, body, body_line))))
                    } else {
                        let mut v =
                            records::<ReviewMeta>(meta_text, kind, problems, unclassified, salvage);
                        Parsed::Review(Box::new(v.pop().map(|(m, _)| (m, body, body_line))))
                    };
                    // Syntax errors are positioned inside the front matter; make them file lines.
                    for p in &mut problems[before..] {
                        if let Place::Line(line, _) = &mut p.place {
                            *line += source.yaml_line_offset;
                        }
                    }
                    Ok(parsed)
                }
            }
        }
        FileKind::Population => parse_population(&source, problems).map(Parsed::Population),
        _ => {
            let text = source.yaml_text();
            Ok(match kind {
                FileKind::Pack => {
                    Parsed::Pack(records(text, kind, problems, unclassified, salvage))
                }
                FileKind::People => {
                    Parsed::People(records(text, kind, problems, unclassified, salvage))
                }
                FileKind::Soa => Parsed::Soa(records(text, kind, problems, unclassified, salvage)),
                FileKind::Control => {
                    Parsed::Controls(records(text, kind, problems, unclassified, salvage))
                }
                FileKind::Risk => {
                    Parsed::Risks(records(text, kind, problems, unclassified, salvage))
                }
                FileKind::Identity => {
                    Parsed::Identities(records(text, kind, problems, unclassified, salvage))
                }
                FileKind::Evidence => {
                    Parsed::Evidence(records(text, kind, problems, unclassified, salvage))
                }
                FileKind::Isms => {
                    Parsed::Isms(records(text, kind, problems, unclassified, salvage))
                }
                _ => unreachable!("markdown and csv kinds are handled above"),
            })
        }
    };
    (source, parsed)
}

/// Parse one content file's bytes as [`super::load()`] does, without a disk or the rest of the
/// pack: `rel` is its path under the content root (`controls/ac.yaml`, `policies/x.md`), which
/// decides what the file holds. Returns every problem the file has on its own, each resolved to
/// a `line:col` of the file, as `check` would print it; `None` when `rel` names no content file.
///
/// The fuzz targets and the corpus replay test call this; checks across files (references,
/// duplicates) need the whole pack and stay with `check`.
pub fn parse_one(rel: &str, bytes: &[u8]) -> Option<Vec<Diagnostic>> {
    let kind = classify(rel)?;
    let mut problems = Vec::new();
    let (source, parsed) = parse_file(
        rel.to_string(),
        kind,
        bytes.to_vec(),
        &mut problems,
        &mut Vec::new(),
        &mut Salvage::default(),
    );
    problems.extend(parsed.err());
    let mut report = Report::new();
    let file = report.add_file(&source.rel);
    for p in problems {
        p.push_to(&mut report, file);
    }
    Some(report.resolve(&[source], Path::new("")))
}

/// Parse a YAML text as one record or a list of records of type `T`. The pointers of the
/// records of a classified kind (policy, review, identity, evidence) that give no
/// `classification` are added to `unclassified`; what can be read of records that
/// fail (their ids) goes into `salvage`.
pub(super) fn records<T: DeserializeOwned>(
    text: &str,
    kind: FileKind,
    problems: &mut Vec<FileProblem>,
    unclassified: &mut Vec<String>,
    salvage: &mut Salvage,
) -> Vec<(T, String)> {
    let id_key = if kind == FileKind::Soa {
        "annex_a"
    } else {
        "id"
    };
    let value = match yaml::parse(text) {
        Ok(v) => v,
        Err(err) => {
            let (message, hint) = explain::syntax(text, err.line, err.column, &err.message);
            problems.push(FileProblem {
                place: Place::Line(err.line, err.column),
                code: &codes::YAML_SYNTAX,
                message,
                hint,
            });
            salvage.unreadable(text, id_key);
            return Vec::new();
        }
    };
    let single_only = matches!(
        kind,
        FileKind::Pack | FileKind::Policy | FileKind::Review | FileKind::Isms
    );
    let list_only = matches!(kind, FileKind::People | FileKind::Soa);
    let items: Vec<(yaml::Value, String)> = match value {
        yaml::Value::Sequence(seq) if !single_only => seq
            .into_iter()
            .enumerate()
            .map(|(i, v)| (v, format!("/{i}")))
            .collect(),
        yaml::Value::Mapping(_) if !list_only => vec![(value, String::new())],
        yaml::Value::Null => {
            if !list_only {
                problems.push(FileProblem {
                    place: Place::Start,
                    code: &codes::YAML_SYNTAX,
                    message: "file holds no record".into(),
                    hint: None,
                });
            }
            return Vec::new();
        }
        _ => {
            let expected = if single_only {
                "a mapping"
            } else if list_only {
                "a list"
            } else {
                "a mapping or a list of mappings"
            };
            problems.push(FileProblem {
                place: Place::Start,
                code: &codes::INVALID_VALUE,
                message: format!("expected {expected} at the top of the file"),
                hint: None,
            });
            salvage.unreadable(text, id_key);
            return Vec::new();
        }
    };
    // Positions of the text, for the few values read back as written (built once, on need).
    let positions: OnceCell<Positions> = OnceCell::new();
    let written = |pointer: &str| {
        let pos = positions.get_or_init(|| Positions::build(text));
        explain::written_value(text, pos, pointer)
    };
    let mut out = Vec::with_capacity(items.len());
    let classified = matches!(
        kind,
        FileKind::Policy | FileKind::Review | FileKind::Identity | FileKind::Evidence
    );
    for (mut value, pointer) in items {
        if kind == FileKind::Soa {
            // `annex_a: 8.10` is the number 8.1 to YAML: read the id as it is written.
            if let Some(v @ yaml::Value::Number(_)) = value.get_mut("annex_a") {
                if let Some(text) = written(&format!("{pointer}/annex_a")) {
                    *v = yaml::Value::String(text);
                }
            }
        }
        let unset = classified && value.get("classification").is_none();
        match yaml::from_value::<T>(&value) {
            Ok(rec) => {
                if unset {
                    unclassified.push(pointer.clone());
                }
                out.push((rec, pointer))
            }
            Err(err) => {
                if kind == FileKind::Control {
                    restore_annex_mappings(&mut value, &pointer, &written);
                }
                salvage.record(&value, id_key);
                let at = format!("{pointer}{}", err.pointer);
                let as_written = written(&at);
                problems.push(classify_field_error(&pointer, err, as_written.as_deref()));
            }
        }
    }
    out
}

/// A control's unquoted Annex A ids (`8.10`, the number 8.1 to YAML) as they are written, so
/// what a failed control maps still counts for the Statement of Applicability.
fn restore_annex_mappings(
    value: &mut yaml::Value,
    pointer: &str,
    written: &impl Fn(&str) -> Option<String>,
) {
    let ids = value
        .get_mut("maps")
        .and_then(|m| m.get_mut(super::catalog::ISO27001))
        .and_then(yaml::Value::as_sequence_mut);
    for (i, v) in ids.into_iter().flatten().enumerate() {
        if v.is_number() {
            let at = format!("{pointer}/maps/{}/{i}", super::catalog::ISO27001);
            if let Some(text) = written(&at) {
                *v = yaml::Value::String(text);
            }
        }
    }
}

/// Turn a serde error into a diagnostic with the right code and place.
/// `written` is the failing value as it stands in the file, when it could be read.
pub(super) fn classify_field_error(
    record: &str,
    err: yaml::FieldError,
    written: Option<&str>,
) -> FileProblem {
    let msg = err.message;
    let mut pointer = format!("{record}{}", err.pointer);
    if let Some(field) = between(&msg, "unknown field `", "`") {
        if !pointer.ends_with(&format!("/{field}")) {
            pointer = format!("{pointer}/{field}");
        }
        // serde says "expected `a`", "expected `a` or `b`" or "expected one of `a`, `b`, `c`".
        let expected = msg.split_once("expected ").map_or("", |(_, e)| e);
        let candidates: Vec<&str> = expected
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|s| !s.is_empty())
            .collect();
        let hint = match suggest::closest(field, &candidates) {
            Some(best) => format!("did you mean `{best}`? (free-form data goes under `extra:`)"),
            None => format!(
                "allowed fields: {}; free-form data goes under `extra:`",
                candidates.join(", ")
            ),
        };
        return FileProblem {
            place: Place::Pointer(pointer),
            code: &codes::UNKNOWN_FIELD,
            message: format!("unknown field `{field}`"),
            hint: Some(hint),
        };
    }
    if let Some(field) = between(&msg, "missing field `", "`") {
        return FileProblem {
            place: Place::Pointer(pointer),
            code: &codes::MISSING_FIELD,
            message: format!("missing required field `{field}`"),
            hint: None,
        };
    }
    const DATE_ERRORS: [&str; 6] = [
        "input is out of range",
        "input contains invalid characters",
        "premature end of input",
        "trailing input",
        "input is not enough for unique date",
        "no possible date and time matching input",
    ];
    if DATE_ERRORS.iter().any(|e| msg.contains(e)) {
        let field = pointer.rsplit('/').next().unwrap_or("").to_string();
        let message = match written {
            Some(value) => format!("`{field}` is not a valid date: `{value}` ({msg})"),
            None => format!("`{field}` is not a valid date ({msg})"),
        };
        return FileProblem {
            place: Place::Pointer(pointer),
            code: &codes::INVALID_DATE,
            message,
            hint: Some("dates are ISO 8601 calendar dates, e.g. 2026-03-28".into()),
        };
    }
    if let Some((message, hint)) = written.and_then(|w| explain::number_for_text(&msg, w)) {
        return FileProblem {
            place: Place::Pointer(pointer),
            code: &codes::INVALID_VALUE,
            message,
            hint: Some(hint),
        };
    }
    FileProblem {
        place: Place::Pointer(pointer),
        code: &codes::INVALID_VALUE,
        message: msg,
        hint: None,
    }
}

pub(super) fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let i = s.find(start)? + start.len();
    let j = s[i..].find(end)? + i;
    Some(&s[i..j])
}

/// Split `---\n<yaml>\n---\n<body>`: the YAML's byte range and the body's 1-based first line.
pub(super) fn split_front_matter(text: &str) -> Result<(Range<usize>, usize), String> {
    let text_no_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - text_no_bom.len();
    let mut lines = text_no_bom.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        return Err("missing front matter: the file must start with a `---` line".into());
    }
    let start = bom + first.len();
    let mut offset = start;
    let mut line_no = 1;
    for line in lines {
        line_no += 1;
        if line.trim_end() == "---" || line.trim_end() == "..." {
            return Ok((start..offset, line_no + 1));
        }
        offset += line.len();
    }
    Err("front matter is not closed: add a `---` line after the YAML".into())
}

/// Byte offset of the start of 1-based `line` (or the end of the text).
pub(super) fn line_start(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.match_indices('\n')
        .nth(line - 2)
        .map_or(text.len(), |(i, _)| i + 1)
}

/// Parse `populations/<control-id>.csv`.
pub(super) fn parse_population(
    source: &SourceFile,
    problems: &mut Vec<FileProblem>,
) -> Result<Option<(String, Vec<PopulationRow>)>, FileProblem> {
    let control = source
        .rel
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches(".csv")
        .to_string();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(source.text.as_bytes());
    let headers = reader.headers().map_err(|e| FileProblem {
        place: Place::Line(1, 1),
        code: &codes::POPULATION,
        message: format!("unreadable header row: {e}"),
        hint: None,
    })?;
    let col = |name: &str| headers.iter().position(|h| h.trim() == name);
    let (Some(id_col), Some(date_col)) = (col("id"), col("occurred_on")) else {
        return Err(FileProblem {
            place: Place::Line(1, 1),
            code: &codes::POPULATION,
            message: "population header must name at least `id` and `occurred_on`".into(),
            hint: None,
        });
    };
    let title_col = col("title");
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(1, |p| p.line() as usize);
                problems.push(FileProblem {
                    place: Place::Line(line, 1),
                    code: &codes::POPULATION,
                    message: format!("malformed row: {e}"),
                    hint: None,
                });
                continue;
            }
        };
        let line = record.position().map_or(1, |p| p.line() as usize);
        let id = record.get(id_col).unwrap_or("").trim().to_string();
        let date_text = record.get(date_col).unwrap_or("").trim();
        if id.is_empty() {
            problems.push(FileProblem {
                place: Place::Line(line, 1),
                code: &codes::POPULATION,
                message: "row without an id".into(),
                hint: None,
            });
            continue;
        }
        let Ok(occurred_on) = NaiveDate::parse_from_str(date_text, "%Y-%m-%d") else {
            problems.push(FileProblem {
                place: Place::Line(line, 1),
                code: &codes::INVALID_DATE,
                message: format!("`occurred_on` of row `{id}` is not a valid date: `{date_text}`"),
                hint: Some("dates are ISO 8601 calendar dates, e.g. 2026-03-28".into()),
            });
            continue;
        };
        let title = title_col
            .and_then(|c| record.get(c))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        rows.push(PopulationRow {
            id,
            occurred_on,
            title,
            line,
        });
    }
    Ok(Some((control, rows)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_split_with_the_body_line() {
        let text = "---\nid: X\ntitle: T\n---\n# Body\n";
        let (range, body_line) = split_front_matter(text).unwrap();
        assert_eq!(&text[range], "id: X\ntitle: T\n");
        assert_eq!(body_line, 5);
        assert_eq!(&text[line_start(text, body_line)..], "# Body\n");
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        assert!(split_front_matter("---\nid: X\n").is_err());
        assert!(split_front_matter("id: X\n").is_err());
    }

    #[test]
    fn files_are_classified_by_folder() {
        assert_eq!(classify("pack.yaml"), Some(FileKind::Pack));
        assert_eq!(
            classify("evidence/2026/01/a.yaml"),
            Some(FileKind::Evidence)
        );
        assert_eq!(classify("policies/ac.md"), Some(FileKind::Policy));
        assert_eq!(classify("policies/ac.yaml"), None);
        assert_eq!(classify("README.md"), None);
    }
}
