//! The catalogue of rules: every diagnostic's stable code, short name, severity and meaning, in
//! code order. A new rule is one more line here and one more row in the README's "Validation
//! rules" table (a test keeps them in step).

use super::{Code, Severity};

macro_rules! codes {
    ($($konst:ident = $id:literal $name:literal $sev:ident $summary:literal;)*) => {
        $(
            #[doc = $summary]
            pub const $konst: Code = Code { id: $id, name: $name, severity: Severity::$sev, summary: $summary };
        )*
        /// Every rule, in code order.
        pub const ALL: &[Code] = &[$($konst),*];
    };
}

codes! {
    YAML_SYNTAX = "E001" "yaml-syntax" Error "YAML or front-matter syntax error, empty file, invalid UTF-8, alias bomb or nesting too deep.";
    UNKNOWN_FIELD = "E002" "unknown-field" Error "A field the format does not define (put free-form data under `extra:`).";
    INVALID_VALUE = "E003" "invalid-value" Error "A value of the wrong type or outside its allowed set.";
    INVALID_DATE = "E004" "invalid-date" Error "A date that is not a real ISO 8601 calendar date (2026-02-30).";
    MISSING_FIELD = "E005" "missing-field" Error "A required field is missing.";
    FRONT_MATTER = "E006" "front-matter" Error "A Markdown file without a closed `---` front-matter block.";
    MISSING_FILE = "E007" "missing-file" Error "A required file (pack.yaml, people.yaml) is missing or unreadable.";
    DUPLICATE_ID = "E010" "duplicate-id" Error "Two records of the same kind share an id.";
    UNKNOWN_PERSON = "E011" "unknown-person" Error "An owner, operator, performer, approver or acceptor that is not in people.yaml.";
    UNKNOWN_CONTROL = "E012" "unknown-control" Error "A reference to a control id that does not exist.";
    UNKNOWN_POLICY = "E013" "unknown-policy" Error "A reference to a policy id that does not exist.";
    UNKNOWN_IDENTITY = "E014" "unknown-identity" Error "A reference to a non-human identity that does not exist.";
    UNKNOWN_RECORD = "E015" "unknown-record" Error "A reference to a risk, review or other record that does not exist.";
    UNKNOWN_FRAMEWORK_ID = "E016" "unknown-framework-id" Error "A framework id that is not in the embedded catalog (`5.38`, `CC10.1`).";
    UNDECLARED_FRAMEWORK = "E017" "undeclared-framework" Error "A mapping to a framework the pack does not declare in pack.yaml.";
    BROKEN_LINK = "E018" "broken-link" Error "A Markdown link `kind:id` to a record or framework id that does not exist.";
    SOA_UNDECIDED = "E020" "soa-undecided" Error "An Annex A control neither mapped by a control nor excluded in soa.yaml.";
    SOA_EXCLUDED_MAPPED = "E021" "soa-excluded-but-mapped" Error "An Annex A control excluded in soa.yaml although a control maps to it.";
    SOA_NO_JUSTIFICATION = "E022" "soa-no-justification" Error "An exclusion in soa.yaml without a justification.";
    EXCEPTION_MISSING = "E030" "exception-missing" Error "`result: exception` without an `exception:` block (or a block on a pass).";
    ACCEPTANCE_MISSING = "E031" "acceptance-missing" Error "`treatment: accept` without `accepted_by`.";
    OUT_OF_RANGE = "E032" "out-of-range" Error "A score outside the risk method's scales (1..5 by default), a period that ends before it starts, or a similar impossible value.";
    ATTACHMENT_PATH = "E040" "attachment-path" Error "An attachment path that is not a plain relative path inside attachments/ (`..`, absolute, drive, reserved or non-NFC name).";
    ATTACHMENT_MISSING = "E041" "attachment-missing" Error "An attachment that does not exist.";
    ATTACHMENT_SYMLINK = "E042" "attachment-symlink" Error "An attachment or content file that is a symbolic link, or an attachment reached through one (never followed).";
    ATTACHMENT_NOT_FILE = "E043" "attachment-not-file" Error "An attachment that is not a regular file.";
    POPULATION = "E050" "population" Error "A population CSV that is malformed or names an unknown control.";
    SECRET = "E060" "secret-detected" Error "A credential found in content; the secret itself is never printed.";
    SOURCE_FILE = "E070" "source-file" Error "A source's `file` that is not a plain path under `sources/` to a regular file (missing, a symbolic link, reached through one, or not a file).";
    SOURCE_EXPORT = "E071" "source-export" Error "A source export that cannot be read: malformed, truncated, wrong header, wrong encoding or a repeated item key (reported in the export at line and column).";
    SOURCE_AND_POPULATION = "E072" "source-and-population" Error "A control whose population is given both by a source and by `populations/<control>.csv`.";
    UNKNOWN_ITEM = "E073" "unknown-item" Error "An evidence `item:` that names no declared source, or a key that is not in its source's population.";
    ACCOUNT_CLAIMED_TWICE = "E074" "account-claimed-twice" Error "A source-system account that two people or identities claim in their `accounts:`.";
    RISK_METHOD = "E090" "risk-method" Error "An invalid `risk_method:` in pack.yaml (a scale of no points, bands that leave a gap or overlap, an appetite outside the scores).";
    ACCEPTANCE_ABOVE_APPETITE = "E091" "acceptance-above-appetite" Error "A residual risk above the pack's risk appetite without `accepted_by` and `accepted_on`.";
    DOCUMENT_CONTROL_MISSING = "E092" "document-control-missing" Error "The pack declares document control required, and the SoA has no `soa_document:` (version, owner, approval).";
    UNDECLARED_AUDIENCE = "E100" "undeclared-audience" Error "A build (`--audience`) for an audience that pack.yaml's `audiences:` does not declare.";
    SOC2_CATEGORY_OUT_OF_SCOPE = "E105" "soc2-category-out-of-scope" Error "A SOC 2 criterion (mapped or linked) of a category pack.yaml's `soc2.categories` does not declare: the report has no page for it.";
    OUTSIDE_PERIOD = "W101" "outside-period" Warning "Evidence dated outside the period under review.";
    NO_EVIDENCE = "W102" "no-evidence" Warning "A control with no evidence in the period.";
    FREQUENCY_GAP = "W103" "frequency-gap" Warning "Evidence does not cover every interval of the control's frequency.";
    SEGREGATION = "W104" "segregation-of-duties" Warning "The same person performed and approved a record, or an internal auditor audits a control they own or operate (ISO 27001 9.2.2).";
    OWNER_IS_OPERATOR = "W105" "owner-is-operator" Warning "A control's owner also operates it.";
    POLICY_REVIEW_OVERDUE = "W106" "policy-review-overdue" Warning "A policy past its review interval at the end of the period, or at the `--as-of` date.";
    ROTATION_LATE = "W107" "rotation-late" Warning "A non-human identity's rotations were further apart than rotation_days.";
    ROTATION_OVERDUE = "W108" "rotation-overdue" Warning "A non-human identity overdue for rotation at the end of the period, or at the `--as-of` date.";
    IDENTITY_UNOWNED = "W109" "identity-unowned" Warning "A non-human identity owned by nobody.";
    UNUSED_ALLOW = "W110" "unused-secret-allow" Warning "A `secrets.allow` fingerprint that matches no finding.";
    CLASSIFICATION_DEFAULTED = "W150" "classification-defaulted" Warning "Records without `classification` counted as the most restrictive level the audiences use (pack.yaml sets no default_classification).";
    SOURCE_INCOMPLETE = "W120" "source-incomplete" Warning "A source export that may not cover the period (extracted before it ended, first or last item far from its edges, exactly its command's row limit).";
    UNKNOWN_CREDENTIAL = "W121" "unknown-credential" Warning "An IAM user with an active access key that no person or identity claims (the inventory is incomplete).";
    REVIEW_BY_OWNER = "W135" "access-review-by-owner" Warning "An access review of a non-human identity whose reviewer (its approver, or without one its performer) owns the identity: no segregation of duties.";
    REVIEW_CSV_UNKNOWN_IDENTITY = "W132" "review-csv-unknown-identity" Warning "A row of an access review's attached review CSV (identity column `identity` or `identity_id`) naming an identity the pack does not hold: the row is not counted as a review.";
    UNDECLARED_ATTRIBUTE = "W130" "undeclared-attribute" Warning "An evidence attribute result that no `test:` of the record's controls declares.";
    ATTRIBUTE_EXCEPTION_ON_PASS = "W131" "attribute-exception-on-pass" Warning "An attribute result of `exception` on an evidence record whose `result` is pass.";
    COMMITMENTS_UNSTATED = "W137" "commitments-unstated" Warning "The pack declares soc2-2017 but `system.commitments` is missing or blank: the draft assertion's statements (b) and (c) rely on service commitments and system requirements the pack does not state (DC 2).";
    TREATMENT_OVERDUE = "W140" "treatment-overdue" Warning "A risk treatment action not done by its due date at the end of the period, or at the `--as-of` date.";
    ACCEPTANCE_NOT_OWNER = "W141" "acceptance-not-owner" Warning "A residual risk accepted by someone other than the risk owner (ISO 27001 6.1.3 f).";
    SOA_OUTSOURCED = "W142" "soa-exclusion-outsourced" Warning "An Annex A exclusion justified by outsourcing alone (the organisation stays responsible through its supplier controls).";
    CLAUSE_DOCUMENT_MISSING = "W143" "clause-document-missing" Warning "Documented information ISO/IEC 27001:2022 requires (4.3 to 10.2) that the pack does not hold (see the clause index page).";
    SOA_REVIEW_OVERDUE = "W144" "soa-review-overdue" Warning "The Statement of Applicability past its review interval at the end of the period, or at the `--as-of` date.";
    CLIMATE_UNADDRESSED = "W145" "climate-change-unaddressed" Warning "pack.yaml does not say whether climate change is a relevant issue (`context.climate_change`, ISO/IEC 27001:2022/Amd 1:2024).";
    NONCONFORMITY_TITLE_TWICE = "W146" "nonconformity-title-twice" Warning "Two nonconformities with the same title (ISO 27001 10.2: each is told apart by its title in registers and actions).";
    OBJECTIVE_MISSED = "W147" "objective-missed" Warning "An information security objective whose latest result is not met, or past its due date without a result saying whether it was met (ISO 27001 6.2), at the end of the period or the `--as-of` date.";
    NONCONFORMITY_NOT_CLOSED_OUT = "W148" "nonconformity-not-closed-out" Warning "A nonconformity closed without a review of the effectiveness of its corrective actions (or with one that found them not effective), or open past its `due` date (ISO 27001 10.2 d).";
    AUDIT_OVERDUE = "W149" "audit-overdue" Warning "An audit of the internal audit programme past its planned date without a `report` (ISO 27001 9.2.2), at the end of the period or the `--as-of` date.";
    SAMPLE_MISSING_EVIDENCE = "W160" "sample-missing-evidence" Warning "Sampled items of an in-scope control with no evidence record (the SOC 2 request list).";
    CRITERION_UNCOVERED = "W161" "criterion-uncovered" Warning "A SOC 2 criterion in scope that no control maps to.";
    ACTION_OVERDUE = "W162" "action-overdue" Warning "A review action still open after its due date at the end of the period, or at the `--as-of` date.";
    SOA_TODO = "W163" "soa-todo" Warning "Annex A controls still excluded with the placeholder justification `TODO: decide` that `evidencepack init` writes.";
}
