//! The declaration of a source in `pack.yaml` (`sources:`), exactly as the contract
//! (`sources.md`) states it: id, kind, file, control, extracted_at, extracted_by, command,
//! classification and kind-specific `options`. Unknown fields and unknown option keys are
//! errors; an unknown kind is an error that lists the supported ones.

use std::fmt;

use chrono::{DateTime, FixedOffset};
use serde::de::{self, DeserializeOwned, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::{credential_report, generic_csv, github, jira};

/// A supported kind of export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The JSON array `gh pr list --json …` prints.
    GithubPulls,
    /// The decoded CSV of `aws iam get-credential-report`.
    AwsIamCredentialReport,
    /// Jira's "Export CSV (all fields)".
    JiraCsv,
    /// Any CSV with a header row and a `columns:` mapping.
    Csv,
}

impl Kind {
    /// Every supported kind, in the order the documentation lists them.
    pub const ALL: [Kind; 4] = [
        Kind::GithubPulls,
        Kind::AwsIamCredentialReport,
        Kind::JiraCsv,
        Kind::Csv,
    ];

    /// The name used in `pack.yaml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::GithubPulls => "github-pulls",
            Kind::AwsIamCredentialReport => "aws-iam-credential-report",
            Kind::JiraCsv => "jira-csv",
            Kind::Csv => "csv",
        }
    }

    /// The kind named `name`, if supported.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// An inventory kind describes a state (the accounts and keys at the report time) rather
    /// than events: its `control` is optional, and an item belongs to the period when it
    /// existed by the period's end rather than when its date falls inside the period.
    pub fn is_inventory(self) -> bool {
        matches!(self, Kind::AwsIamCredentialReport)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A kind with its typed options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "options", rename_all = "kebab-case")]
pub enum KindOptions {
    /// `github-pulls`.
    GithubPulls(github::Options),
    /// `aws-iam-credential-report`.
    AwsIamCredentialReport(credential_report::Options),
    /// `jira-csv`.
    JiraCsv(jira::Options),
    /// `csv`.
    Csv(generic_csv::Options),
}

impl KindOptions {
    /// The kind.
    pub fn kind(&self) -> Kind {
        match self {
            KindOptions::GithubPulls(_) => Kind::GithubPulls,
            KindOptions::AwsIamCredentialReport(_) => Kind::AwsIamCredentialReport,
            KindOptions::JiraCsv(_) => Kind::JiraCsv,
            KindOptions::Csv(_) => Kind::Csv,
        }
    }

    /// Deserializes `options` for `kind` from any deserializer.
    fn read<'de, D: Deserializer<'de>>(kind: Kind, options: D) -> Result<KindOptions, D::Error> {
        Ok(match kind {
            Kind::GithubPulls => KindOptions::GithubPulls(Deserialize::deserialize(options)?),
            Kind::AwsIamCredentialReport => {
                KindOptions::AwsIamCredentialReport(Deserialize::deserialize(options)?)
            }
            Kind::JiraCsv => KindOptions::JiraCsv(Deserialize::deserialize(options)?),
            Kind::Csv => KindOptions::Csv(Deserialize::deserialize(options)?),
        })
    }

    /// The options every kind has when `options:` is left out (`generic_csv` needs `columns`,
    /// so it has none).
    fn defaults(kind: Kind) -> Result<KindOptions, String> {
        let empty = serde_json::Value::Object(serde_json::Map::new());
        KindOptions::read(kind, empty).map_err(|e| e.to_string())
    }
}

/// One entry of `sources:` in `pack.yaml`.
///
/// `C` is the pack's classification type: this module does not depend on the content model,
/// the pack model instantiates it with its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceDecl<C> {
    /// Unique id, `[a-z0-9-]+`; items are addressed as `<id>:<item key>`.
    pub id: String,
    /// The kind and its options.
    #[serde(flatten)]
    pub kind: KindOptions,
    /// The export, relative to the content root, under `sources/`.
    pub file: String,
    /// The control whose population this is (optional for inventory kinds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub control: Option<String>,
    /// When the export was taken.
    pub extracted_at: DateTime<FixedOffset>,
    /// Who took it (a person id).
    pub extracted_by: String,
    /// How to take it again (shown to the auditor, never run).
    pub command: String,
    /// Classification, when not the pack's default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classification: Option<C>,
}

const FIELDS: &[&str] = &[
    "id",
    "kind",
    "file",
    "control",
    "extracted_at",
    "extracted_by",
    "command",
    "classification",
    "options",
];

/// Why a source id is not acceptable, if it is not.
fn check_id(id: &str) -> Result<(), String> {
    let ok = !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "source id `{id}` must be lowercase letters, digits and `-` (e.g. `gh-platform-prs`)"
        ))
    }
}

/// The message for an unknown kind, listing the supported ones.
fn unknown_kind(name: &str) -> String {
    let supported: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
    format!(
        "unknown source kind `{name}`; supported kinds: {}",
        supported.join(", ")
    )
}

impl<'de, C: DeserializeOwned> Deserialize<'de> for SourceDecl<C> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_struct("SourceDecl", FIELDS, DeclVisitor(std::marker::PhantomData))
    }
}

struct DeclVisitor<C>(std::marker::PhantomData<C>);

/// `options:` read before `kind:` is known, kept until it is.
enum Options {
    Absent,
    Typed(KindOptions),
    Pending(serde_json::Value),
}

/// Deserializes the value of `options:` with the kind known.
struct OptionsSeed(Kind);

impl<'de> de::DeserializeSeed<'de> for OptionsSeed {
    type Value = KindOptions;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<KindOptions, D::Error> {
        KindOptions::read(self.0, d)
    }
}

fn take<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

impl<'de, C: DeserializeOwned> Visitor<'de> for DeclVisitor<C> {
    type Value = SourceDecl<C>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a source: a mapping with id, kind, file, extracted_at, extracted_by, command")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut id: Option<String> = None;
        let mut kind: Option<Kind> = None;
        let mut file: Option<String> = None;
        let mut control: Option<Option<String>> = None;
        let mut extracted_at: Option<DateTime<FixedOffset>> = None;
        let mut extracted_by: Option<String> = None;
        let mut command: Option<String> = None;
        let mut classification: Option<Option<C>> = None;
        let mut options = Options::Absent;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "id" => {
                    take(&mut map, &mut id, "id")?;
                    if let Some(id) = &id {
                        check_id(id).map_err(de::Error::custom)?;
                    }
                }
                "kind" => {
                    if kind.is_some() {
                        return Err(de::Error::duplicate_field("kind"));
                    }
                    let name: String = map.next_value()?;
                    let known = Kind::from_name(&name)
                        .ok_or_else(|| de::Error::custom(unknown_kind(&name)))?;
                    kind = Some(known);
                }
                "file" => take(&mut map, &mut file, "file")?,
                "control" => take(&mut map, &mut control, "control")?,
                "extracted_at" => take(&mut map, &mut extracted_at, "extracted_at")?,
                "extracted_by" => take(&mut map, &mut extracted_by, "extracted_by")?,
                "command" => take(&mut map, &mut command, "command")?,
                "classification" => take(&mut map, &mut classification, "classification")?,
                "options" => {
                    if !matches!(options, Options::Absent) {
                        return Err(de::Error::duplicate_field("options"));
                    }
                    options = match kind {
                        Some(k) => Options::Typed(map.next_value_seed(OptionsSeed(k))?),
                        None => Options::Pending(map.next_value()?),
                    };
                }
                other => {
                    let _: IgnoredAny = map.next_value()?;
                    return Err(de::Error::unknown_field(other, FIELDS));
                }
            }
        }
        let id = id.ok_or_else(|| de::Error::missing_field("id"))?;
        let kind = kind.ok_or_else(|| de::Error::missing_field("kind"))?;
        let file = file.ok_or_else(|| de::Error::missing_field("file"))?;
        let extracted_at = extracted_at.ok_or_else(|| de::Error::missing_field("extracted_at"))?;
        let extracted_by = extracted_by.ok_or_else(|| de::Error::missing_field("extracted_by"))?;
        let command = command.ok_or_else(|| de::Error::missing_field("command"))?;
        let control = control.flatten();
        if control.is_none() && !kind.is_inventory() {
            return Err(de::Error::custom(format!(
                "missing field `control`: a `{kind}` source is the population of a control"
            )));
        }
        if !file.starts_with("sources/") {
            return Err(de::Error::custom(format!(
                "`file: {file}` must be a path under `sources/` (exports live there, byte for byte)"
            )));
        }
        let kind = match options {
            Options::Typed(typed) => typed,
            Options::Pending(value) => KindOptions::read(kind, value)
                .map_err(|e| de::Error::custom(format!("options: {e}")))?,
            Options::Absent => KindOptions::defaults(kind).map_err(|e| {
                de::Error::custom(format!("a `{kind}` source needs `options:` ({e})"))
            })?,
        };
        Ok(SourceDecl {
            id,
            kind,
            file,
            control,
            extracted_at,
            extracted_by,
            command,
            classification: classification.flatten(),
        })
    }
}

/// `serde(deserialize_with)` for counts that must be at least 1.
pub(crate) fn at_least_one<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let n = u32::deserialize(d)?;
    if n == 0 {
        return Err(de::Error::custom("must be at least 1"));
    }
    Ok(n)
}

/// `serde(deserialize_with)` for a `strftime` date format.
pub(crate) fn date_format<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let format = String::deserialize(d)?;
    super::dates::check_format(&format).map_err(de::Error::custom)?;
    Ok(format)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in for the pack's classification type.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "kebab-case")]
    enum Class {
        Internal,
        Confidential,
    }

    fn decl(yaml: &str) -> Result<SourceDecl<Class>, String> {
        serde_yaml_ng::from_str(yaml).map_err(|e| e.to_string())
    }

    const GH: &str = "
id: gh-platform-prs
kind: github-pulls
file: sources/github/platform-2026h1.json
control: CM-01
extracted_at: 2026-07-01T08:12:00Z
extracted_by: oliver
command: >-
  gh pr list --repo northwind/platform --state merged --limit 5000
  --json number,title,url,author,createdAt,mergedAt,mergedBy,baseRefName,reviews
classification: confidential
options: { min_approvals: 2, base_branches: [main] }
";

    #[test]
    fn the_contract_example_reads() {
        let d = decl(GH).unwrap();
        assert_eq!(d.id, "gh-platform-prs");
        assert_eq!(d.kind.kind(), Kind::GithubPulls);
        let KindOptions::GithubPulls(o) = &d.kind else {
            panic!("{:?}", d.kind)
        };
        assert_eq!(o.min_approvals, 2);
        assert_eq!(o.base_branches, ["main"]);
        assert_eq!(d.control.as_deref(), Some("CM-01"));
        assert_eq!(d.extracted_at.to_rfc3339(), "2026-07-01T08:12:00+00:00");
        assert!(d.command.contains("--limit 5000 --json"));
        assert_eq!(d.classification, Some(Class::Confidential));
    }

    #[test]
    fn options_default_when_left_out_or_written_before_the_kind() {
        let d = decl(&GH.replace("options: { min_approvals: 2, base_branches: [main] }\n", ""))
            .unwrap();
        assert_eq!(d.kind, KindOptions::GithubPulls(github::Options::default()));
        let early = "options: { min_approvals: 3 }\n".to_string()
            + &GH.replace("options: { min_approvals: 2, base_branches: [main] }\n", "");
        let KindOptions::GithubPulls(o) = decl(&early).unwrap().kind else {
            panic!()
        };
        assert_eq!(o.min_approvals, 3);
        assert!(o.base_branches.is_empty());
    }

    #[test]
    fn unknown_kinds_fields_and_options_are_errors() {
        let err = decl(&GH.replace("github-pulls", "gitlab-merge-requests")).unwrap_err();
        assert!(
            err.contains(
                "unknown source kind `gitlab-merge-requests`; supported kinds: github-pulls, \
                 aws-iam-credential-report, jira-csv, csv"
            ),
            "{err}"
        );
        let err = decl(&format!("{GH}owner: amara\n")).unwrap_err();
        assert!(err.contains("unknown field `owner`"), "{err}");
        let err = decl(&GH.replace("min_approvals: 2", "min_aprovals: 2")).unwrap_err();
        assert!(err.contains("unknown field `min_aprovals`"), "{err}");
        let early = "options: { bogus: 1 }\n".to_string()
            + &GH.replace("options: { min_approvals: 2, base_branches: [main] }\n", "");
        let err = decl(&early).unwrap_err();
        assert!(err.contains("options: unknown field `bogus`"), "{err}");
        let err = decl(&GH.replace("min_approvals: 2", "min_approvals: 0")).unwrap_err();
        assert!(err.contains("at least 1"), "{err}");
        let err = decl(&GH.replace("confidential", "secret")).unwrap_err();
        assert!(err.contains("unknown variant `secret`"), "{err}");
    }

    #[test]
    fn required_fields_ids_files_and_controls() {
        for field in ["id", "file", "extracted_at", "extracted_by", "command"] {
            let yaml: String = GH
                .lines()
                .filter(|l| !l.starts_with(&format!("{field}:")))
                .filter(|l| field != "command" || !l.starts_with("  "))
                .map(|l| format!("{l}\n"))
                .collect();
            let err = decl(&yaml).unwrap_err();
            assert!(
                err.contains(&format!("missing field `{field}`")),
                "{field}: {err}"
            );
        }
        let err = decl(&GH.replace("kind: github-pulls\n", "")).unwrap_err();
        assert!(err.contains("missing field `kind`"), "{err}");
        let err = decl(&GH.replace("control: CM-01\n", "")).unwrap_err();
        assert!(err.contains("missing field `control`"), "{err}");
        let err = decl(&GH.replace("gh-platform-prs", "GH_prs")).unwrap_err();
        assert!(err.contains("lowercase letters"), "{err}");
        let err = decl(&GH.replace("file: sources/", "file: attachments/")).unwrap_err();
        assert!(err.contains("under `sources/`"), "{err}");
        let err = decl(&GH.replace("2026-07-01T08:12:00Z", "2026-07-01")).unwrap_err();
        assert!(
            err.contains("extracted_at") || err.contains("premature"),
            "{err}"
        );
        let err = decl(&format!("{GH}id: again\n")).unwrap_err();
        assert!(err.contains("duplicate field `id`"), "{err}");
    }

    #[test]
    fn an_inventory_kind_needs_no_control_and_a_csv_needs_columns() {
        let report = "
id: aws-prod-credentials
kind: aws-iam-credential-report
file: sources/aws/credential-report.csv
extracted_at: 2026-07-01T09:00:00+02:00
extracted_by: sven
command: aws iam get-credential-report --query Content --output text | base64 -d
";
        let d = decl(report).unwrap();
        assert_eq!(d.control, None);
        assert!(Kind::AwsIamCredentialReport.is_inventory());
        assert!(!Kind::JiraCsv.is_inventory());
        let csv = report
            .replace("aws-iam-credential-report", "csv")
            .replace("aws-prod-credentials", "hr-leavers")
            + "control: HR-03\n";
        let err = decl(&csv).unwrap_err();
        assert!(
            err.contains("needs `options:`") && err.contains("columns"),
            "{err}"
        );
    }

    #[test]
    fn kinds_round_trip_by_name() {
        for kind in Kind::ALL {
            assert_eq!(Kind::from_name(kind.as_str()), Some(kind));
            assert_eq!(kind.to_string(), kind.as_str());
        }
        assert_eq!(Kind::from_name("GitHub-Pulls"), None);
    }

    #[test]
    fn declarations_serialize_as_written() {
        let d = decl(GH).unwrap();
        let v = serde_json::to_value(&d).unwrap();
        assert_eq!(v["kind"], "github-pulls");
        assert_eq!(v["options"]["min_approvals"], 2);
        assert_eq!(v["classification"], "confidential");
    }
}
