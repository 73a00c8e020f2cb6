//! The JSON Schema of a `sources:` entry, matching [`SourceDecl`]'s hand-written `Deserialize`:
//! the common fields, and `options` typed by `kind`.

use std::borrow::Cow;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};

use super::decl::{Kind, SourceDecl};
use super::{credential_report, generic_csv, github, jira};

impl<C: JsonSchema> JsonSchema for SourceDecl<C> {
    fn schema_name() -> Cow<'static, str> {
        "SourceDecl".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let options = [
            (
                Kind::GithubPulls,
                generator.subschema_for::<github::Options>(),
            ),
            (
                Kind::AwsIamCredentialReport,
                generator.subschema_for::<credential_report::Options>(),
            ),
            (Kind::JiraCsv, generator.subschema_for::<jira::Options>()),
            (Kind::Csv, generator.subschema_for::<generic_csv::Options>()),
        ];
        let by_kind: Vec<serde_json::Value> = options
            .into_iter()
            .map(|(kind, schema)| {
                let mut then = json_schema!({ "properties": { "options": schema } });
                if !kind.is_inventory() {
                    then.insert("required".into(), serde_json::json!(["control"]));
                }
                if kind == Kind::Csv {
                    then.insert("required".into(), serde_json::json!(["control", "options"]));
                }
                serde_json::json!({
                    "if": { "properties": { "kind": { "const": kind.as_str() } } },
                    "then": then
                })
            })
            .collect();
        let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
        let classification = generator.subschema_for::<C>();
        json_schema!({
            "description": "A raw export from a system of record (docs/content-format.md, `sources:`).",
            "type": "object",
            "properties": {
                "id": { "type": "string", "pattern": "^[a-z0-9-]+$" },
                "kind": { "enum": kinds },
                "file": { "type": "string", "pattern": "^sources/" },
                "control": { "type": ["string", "null"] },
                "extracted_at": { "type": "string", "format": "date-time" },
                "extracted_by": { "type": "string" },
                "command": { "type": "string" },
                "classification": classification,
                "options": { "type": "object" }
            },
            "required": ["id", "kind", "file", "extracted_at", "extracted_by", "command"],
            "additionalProperties": false,
            "allOf": by_kind
        })
    }
}
