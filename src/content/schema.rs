//! JSON Schemas of the content files, generated from the model types with `schemars`, so an
//! editor running yaml-language-server flags a typo'd field or a wrong value while the author
//! types. One schema per file kind ([`SchemaKind`]); `init` writes them into the pack's
//! [`SCHEMA_DIR`] and `evidencepack schema` regenerates them. They are JSON Schema draft 7, the
//! newest draft yaml-language-server supports.
//!
//! The schemas describe the shape of each file (fields, types, enumerations, required fields,
//! no unknown fields); rules across records (references, dates inside the period) stay with
//! `check`.

use std::borrow::Cow;

use schemars::generate::SchemaSettings;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde_json::Value;

use super::model::{
    Control, Evidence, Identity, IsmsFile, Pack, Person, PolicyMeta, ReviewMeta, Risk, SoaDecision,
};
use super::parse::{classify, FileKind};

/// The folder of a pack (beside `pack.yaml`) that holds the schemas.
pub const SCHEMA_DIR: &str = "schemas";

/// A kind of content file that has a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaKind {
    /// `pack.yaml`.
    Pack,
    /// `people.yaml`.
    People,
    /// `soa.yaml`.
    Soa,
    /// `controls/*.yaml`.
    Control,
    /// `risks/*.yaml`.
    Risk,
    /// `identities/*.yaml`.
    Identity,
    /// `evidence/**/*.yaml`.
    Evidence,
    /// The front matter of `policies/*.md`.
    Policy,
    /// The front matter of `reviews/*.md`.
    Review,
    /// `isms/**/*.yaml`.
    Isms,
}

impl SchemaKind {
    /// Every kind, in the order the documentation lists the files.
    pub const ALL: [SchemaKind; 10] = [
        SchemaKind::Pack,
        SchemaKind::People,
        SchemaKind::Soa,
        SchemaKind::Control,
        SchemaKind::Risk,
        SchemaKind::Identity,
        SchemaKind::Evidence,
        SchemaKind::Policy,
        SchemaKind::Review,
        SchemaKind::Isms,
    ];

    /// The kind's name on the command line and in its schema's file name.
    pub fn name(self) -> &'static str {
        match self {
            SchemaKind::Pack => "pack",
            SchemaKind::People => "people",
            SchemaKind::Soa => "soa",
            SchemaKind::Control => "control",
            SchemaKind::Risk => "risk",
            SchemaKind::Identity => "identity",
            SchemaKind::Evidence => "evidence",
            SchemaKind::Policy => "policy",
            SchemaKind::Review => "review",
            SchemaKind::Isms => "isms",
        }
    }

    /// The kind named `name`, if any.
    pub fn from_name(name: &str) -> Option<SchemaKind> {
        SchemaKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The files the schema describes, as a glob under the content root.
    pub fn files(self) -> &'static str {
        match self {
            SchemaKind::Pack => "pack.yaml",
            SchemaKind::People => "people.yaml",
            SchemaKind::Soa => "soa.yaml",
            SchemaKind::Control => "controls/**/*.yaml",
            SchemaKind::Risk => "risks/**/*.yaml",
            SchemaKind::Identity => "identities/**/*.yaml",
            SchemaKind::Evidence => "evidence/**/*.yaml",
            SchemaKind::Policy => "policies/**/*.md (front matter)",
            SchemaKind::Review => "reviews/**/*.md (front matter)",
            SchemaKind::Isms => "isms/**/*.yaml",
        }
    }

    /// The schema's file name inside [`SCHEMA_DIR`].
    pub fn file_name(self) -> String {
        format!("{}.schema.json", self.name())
    }

    /// The kind of the content file at `rel` (a path under the content root), if it has one.
    pub fn of_file(rel: &str) -> Option<SchemaKind> {
        Some(match classify(rel)? {
            FileKind::Pack => SchemaKind::Pack,
            FileKind::People => SchemaKind::People,
            FileKind::Soa => SchemaKind::Soa,
            FileKind::Policy => SchemaKind::Policy,
            FileKind::Control => SchemaKind::Control,
            FileKind::Risk => SchemaKind::Risk,
            FileKind::Identity => SchemaKind::Identity,
            FileKind::Evidence => SchemaKind::Evidence,
            FileKind::Review => SchemaKind::Review,
            FileKind::Isms => SchemaKind::Isms,
            FileKind::Population => return None,
        })
    }

    /// The schema, generated from the model type of the file.
    pub fn schema(self) -> Value {
        let generator = SchemaSettings::draft07().into_generator();
        let mut schema = match self {
            SchemaKind::Pack => generator.into_root_schema_for::<Pack>(),
            SchemaKind::People => generator.into_root_schema_for::<Vec<Person>>(),
            SchemaKind::Soa => generator.into_root_schema_for::<Vec<SoaDecision>>(),
            SchemaKind::Control => generator.into_root_schema_for::<OneOrList<Control>>(),
            SchemaKind::Risk => generator.into_root_schema_for::<OneOrList<Risk>>(),
            SchemaKind::Identity => generator.into_root_schema_for::<OneOrList<Identity>>(),
            SchemaKind::Evidence => generator.into_root_schema_for::<OneOrList<Evidence>>(),
            SchemaKind::Policy => generator.into_root_schema_for::<PolicyMeta>(),
            SchemaKind::Review => generator.into_root_schema_for::<ReviewMeta>(),
            SchemaKind::Isms => generator.into_root_schema_for::<IsmsFile>(),
        };
        schema.insert(
            "title".into(),
            format!("evidencepack {}", self.files()).into(),
        );
        schema.to_value()
    }

    /// The schema as the file `init` and `evidencepack schema` write: pretty JSON and a newline.
    pub fn text(self) -> String {
        let mut text = serde_json::to_string_pretty(&self.schema()).unwrap_or_default();
        text.push('\n');
        text
    }

    /// The yaml-language-server modeline for a file at `rel` (under the content root): the
    /// schema's path relative to the file, as the language server resolves it.
    pub fn modeline(self, rel: &str) -> String {
        let up = "../".repeat(rel.matches('/').count());
        format!(
            "# yaml-language-server: $schema={up}{SCHEMA_DIR}/{}",
            self.file_name()
        )
    }
}

/// A file holding one record (a mapping) or a list of them.
struct OneOrList<T>(std::marker::PhantomData<T>);

impl<T: JsonSchema> JsonSchema for OneOrList<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("OneOrList_{}", T::schema_name()).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let one = generator.subschema_for::<T>();
        json_schema!({
            "description": "One record, or a list of records.",
            "anyOf": [one, { "type": "array", "items": one }]
        })
    }
}

/// The schema of a value read as text whether it is written quoted or not (`version: 1.0`,
/// `annex_a: "5.23"`, clause ids): the model's `string_or_number` fields.
pub(crate) struct TextOrNumber;

impl JsonSchema for TextOrNumber {
    fn schema_name() -> Cow<'static, str> {
        "TextOrNumber".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": ["string", "number"],
            "description": "Text; quote it (\"8.10\") so that a number keeps its trailing zeros."
        })
    }
}

/// The schema of a value written as one text or a list of them (`identity: svc-deploy` or
/// `identity: [svc-deploy, svc-backup]`).
pub(crate) struct OneOrMany;

impl JsonSchema for OneOrMany {
    fn schema_name() -> Cow<'static, str> {
        "OneOrMany".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "anyOf": [
                { "type": "string" },
                { "type": "array", "items": { "type": "string" } }
            ]
        })
    }
}

/// The schema of a complementary control (CUEC or CSOC): Markdown alone, or
/// `{ control: md, criteria: [ids] }`.
pub(crate) struct ComplementaryControlSchema;

impl JsonSchema for ComplementaryControlSchema {
    fn schema_name() -> Cow<'static, str> {
        "ComplementaryControl".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A control someone else operates: Markdown alone, or `{ control, criteria }`.",
            "anyOf": [
                { "type": "string" },
                {
                    "type": "object",
                    "properties": {
                        "control": { "type": "string", "description": "What the other party is expected to do (Markdown)." },
                        "criteria": { "type": "array", "items": { "type": "string" }, "description": "The SOC 2 criteria it supports (`CC6.2`)." }
                    },
                    "required": ["control"],
                    "additionalProperties": false
                }
            ]
        })
    }
}

/// The schema of a day of the week as `calendar.working_days` takes it (`Mon` or `Monday`).
pub(crate) struct WeekdayName;

impl JsonSchema for WeekdayName {
    fn schema_name() -> Cow<'static, str> {
        "WeekdayName".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "A day of the week (`Mon` or `Monday`)."
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_name_and_file() {
        for kind in SchemaKind::ALL {
            assert_eq!(SchemaKind::from_name(kind.name()), Some(kind));
        }
        assert_eq!(SchemaKind::from_name("controls"), None);
        assert_eq!(SchemaKind::Risk.file_name(), "risk.schema.json");
    }

    #[test]
    fn files_map_to_their_kind() {
        assert_eq!(SchemaKind::of_file("pack.yaml"), Some(SchemaKind::Pack));
        assert_eq!(
            SchemaKind::of_file("evidence/2026/01/x.yaml"),
            Some(SchemaKind::Evidence)
        );
        assert_eq!(
            SchemaKind::of_file("policies/x.md"),
            Some(SchemaKind::Policy)
        );
        assert_eq!(SchemaKind::of_file("populations/AC-02.csv"), None);
        assert_eq!(SchemaKind::of_file("notes.yaml"), None);
    }

    #[test]
    fn modelines_point_back_to_the_pack_root() {
        assert_eq!(
            SchemaKind::Pack.modeline("pack.yaml"),
            "# yaml-language-server: $schema=schemas/pack.schema.json"
        );
        assert_eq!(
            SchemaKind::Evidence.modeline("evidence/2026/01/x.yaml"),
            "# yaml-language-server: $schema=../../../schemas/evidence.schema.json"
        );
    }

    #[test]
    fn record_files_take_one_record_or_a_list() {
        let schema = SchemaKind::Control.schema();
        let any = schema["anyOf"].as_array().unwrap();
        assert_eq!(any[0]["$ref"], "#/definitions/Control");
        assert_eq!(any[1]["items"]["$ref"], "#/definitions/Control");
        let control = &schema["definitions"]["Control"];
        assert_eq!(control["additionalProperties"], false);
        assert!(control["required"]
            .as_array()
            .unwrap()
            .contains(&"owner".into()));
        assert_eq!(SchemaKind::People.schema()["type"], "array");
        assert_eq!(SchemaKind::Pack.schema()["type"], "object");
    }
}
