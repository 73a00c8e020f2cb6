//! Issue 12 item 9, the system description (DC 200), and the leftovers of items 5 to 8: CSOCs per
//! subservice organisation and CUECs with the criteria they support, on the system and criteria
//! pages; an unknown criterion as an error at its line and column; the warning when the draft
//! assertion relies on commitments the pack does not state; significant changes; and the SOC 2
//! risk page scored with the pack's own risk method. On `fixtures/soc2-fidelity`, edited here.

use std::path::Path;

use super::soc2::{built_from, read};

/// A copy of `soc2-fidelity` whose pack.yaml has each `(from, to)` replaced (each must occur).
fn edited(replacements: &[(&str, &str)]) -> tempfile::TempDir {
    let pack = tempfile::tempdir().unwrap();
    crate::common::copy_tree(&crate::common::fixture("soc2-fidelity"), pack.path());
    let mut yaml = read(&pack.path().join("pack.yaml"));
    for (from, to) in replacements {
        assert!(yaml.contains(from), "pack.yaml has no {from:?}");
        yaml = yaml.replacen(from, to, 1);
    }
    std::fs::write(pack.path().join("pack.yaml"), yaml).unwrap();
    pack
}

/// `evidencepack check` on `content`: exit code and stdout.
fn check(content: &Path) -> (i32, String) {
    let (o, stdout) = super::soc2_fidelity::check(content);
    (o.status.code().unwrap(), stdout)
}

/// 1-based line and column of the first `needle` in `text`.
fn position(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).unwrap();
    let line = text[..at].matches('\n').count() + 1;
    let col = at - text[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, col)
}

/// The table row of `html` that starts with `<tr id="{id}">` (or `<tr id="{id}"`).
fn row<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("<tr id=\"{id}\""))
        .unwrap_or_else(|| panic!("no row {id}"));
    let rest = &html[start..];
    &rest[..rest.find("</tr>").unwrap()]
}

const CLOUDCO: &str =
    r#"    - { name: CloudCo, services: "hosting and physical security", method: carve-out }"#;
const CLOUDCO_CSOCS: &str = r#"    - name: CloudCo
      services: "hosting and physical security"
      method: carve-out
      csocs:
        - { control: "CloudCo restricts physical access to its data centres to authorised staff.", criteria: [CC6.4] }
        - { control: "CloudCo keeps redundant power, cooling and network in each data centre.", criteria: [A1.2] }
      monitoring: "The CISO reads CloudCo's SOC 2 Type II report and bridge letter every year."
"#;
const CUECS: &str = "  complementary_user_entity_controls:\n";
const CUECS_MAPPED: &str = "  significant_changes:
    - { date: 2026-03-18, change: \"Reporting databases moved to PostgreSQL 16.\", controls: [CM-01] }
  complementary_user_entity_controls:
    - { control: \"Customers export the dashboards they must retain.\", criteria: [A1.2, CC6.2] }
";

#[test]
fn csocs_and_cuecs_show_the_criteria_they_support_without_a_conclusion_on_a_criterion() {
    let pack = edited(&[(CLOUDCO, CLOUDCO_CSOCS.trim_end()), (CUECS, CUECS_MAPPED)]);
    let (code, stdout) = check(pack.path());
    assert_eq!(code, 0, "{stdout}");
    let out = built_from(pack.path(), &[]);
    let system = read(&out.path().join("soc2/system.html"));

    // The mapped CUEC is the first of three; the two written as text are not mapped.
    let cuec = row(&system, "cuec-1");
    assert!(cuec.contains("Customers export the dashboards they must retain."));
    assert!(cuec.contains(r##"<a class="ref" href="criteria.html#A1.2">A1.2</a>, <a class="ref" href="criteria.html#CC6.2">CC6.2</a>"##), "{cuec}");
    assert!(row(&system, "cuec-2").contains("not mapped to criteria"));
    assert_eq!(system.matches("<tr id=\"cuec-").count(), 3);

    // CloudCo's two CSOCs with their criteria, and how it is monitored; PayRoll states none.
    let csocs =
        &system[system.find("id=\"csocs-1\"").unwrap()..system.find("id=\"csocs-2\"").unwrap()];
    assert!(csocs.contains("This description assumes that CloudCo operates the controls below"));
    assert_eq!(csocs.matches("<tr><td>").count(), 2, "{csocs}");
    assert!(csocs.contains(r##"href="criteria.html#CC6.4">CC6.4</a>"##));
    assert!(csocs.contains(r##"href="criteria.html#A1.2">A1.2</a>"##));
    assert!(csocs.contains("SOC 2 Type II report and bridge letter every year"));
    let payroll = &system[system.find("id=\"csocs-2\"").unwrap()..];
    assert!(payroll.contains("No complementary subservice organisation controls are listed"));

    // DC 9: the significant change with its control.
    let changes = &system[system.find("id=\"changes\"").unwrap()..];
    let changes = &changes[..changes.find("</table>").unwrap()];
    assert!(changes.contains("<td class=\"nowrap\">2026-03-18</td>"));
    assert!(changes.contains("Reporting databases moved to PostgreSQL 16."));
    assert!(changes.contains("controls/CM-01.html"));

    // The criteria page: A1.2 relies on CUEC 1 and on CloudCo, CC6.2 on CUEC 1, CC6.4 on CloudCo.
    let criteria = read(&out.path().join("soc2/criteria.html"));
    let a12 = row(&criteria, "A1.2");
    assert!(
        a12.contains(
            r##"<li>CUEC <a href="system.html#cuec-1">1</a></li><li>CSOC at CloudCo</li>"##
        ),
        "{a12}"
    );
    assert_eq!(criteria.matches("CSOC at CloudCo").count(), 2);
    assert_eq!(criteria.matches("system.html#cuec-1").count(), 2);
    assert!(row(&criteria, "CC6.4").contains("CSOC at CloudCo"));
    // Which controls address a criterion, and how many; never a conclusion on it.
    let cc81 = row(&criteria, "CC8.1");
    assert!(cc81.contains("yes, 1: "), "{cc81}");
    assert!(cc81.contains("controls/CM-01.html"));
    assert!(!criteria.contains("deviations found"));
    assert!(criteria.contains("with Revised Points of"));
    assert!(criteria.contains("2017 Trust Services Criteria"));
}

#[test]
fn an_unknown_criterion_is_an_error_at_its_line_and_column() {
    let pack = edited(&[
        (CLOUDCO, CLOUDCO_CSOCS.trim_end()),
        (CUECS, CUECS_MAPPED),
        ("criteria: [A1.2, CC6.2]", "criteria: [A1.2, CC9.9]"),
        ("criteria: [CC6.4]", "criteria: [CC6.4, C1.1]"),
    ]);
    let yaml = read(&pack.path().join("pack.yaml"));
    let (code, stdout) = check(pack.path());
    assert_eq!(code, 1, "{stdout}");
    let (line, col) = position(&yaml, "CC9.9");
    assert!(
        stdout.contains(&format!(
            "pack.yaml:{line}:{col}: error[E016]: `CC9.9` is not a criterion of the soc2-2017 catalog"
        )),
        "{stdout}"
    );
    // C1.1 is a confidentiality criterion, a category the fixture does not declare.
    let (line, col) = position(&yaml, "C1.1]");
    assert!(
        stdout.contains(&format!(
            "pack.yaml:{line}:{col}: error[E105]: `C1.1` is a SOC 2 criterion of a category pack.yaml does not declare"
        )),
        "{stdout}"
    );
    assert!(stdout.contains(": 2 errors"), "{stdout}");
}

#[test]
fn the_draft_assertion_relying_on_unstated_commitments_is_a_warning() {
    let stated = "  commitments: |\n    99.5% monthly availability; customer data encrypted in transit and at rest.\n";
    let pack = edited(&[(stated, "")]);
    let (code, stdout) = check(pack.path());
    assert_eq!(code, 0, "{stdout}");
    let warning = "pack.yaml:7:1: warning[W137]: the draft assertion says the controls met \"our service commitments and system requirements\", and pack.yaml states none";
    assert!(stdout.contains(warning), "{stdout}");
    assert_eq!(stdout.matches("[W137]").count(), 1);
    let out = built_from(pack.path(), &[]);
    let index = read(&out.path().join("soc2/index.html"));
    assert!(index.contains("Statements (b) and (c) rely on our service commitments and system\n    requirements, and the description states none"));

    // A blank text is not a statement either: the warning points at its key.
    let pack = edited(&[(stated, "  commitments: \" \"\n")]);
    let (_, stdout) = check(pack.path());
    assert!(stdout.contains("pack.yaml:15:3: warning[W137]"), "{stdout}");

    // A pack that does not report against SOC 2 drafts no assertion: no warning, and no check of
    // the criteria categories its description names (C1.1 is outside the fixture's categories).
    let pack = edited(&[
        (stated, ""),
        (
            "frameworks: [iso27001-2022, soc2-2017]",
            "frameworks: [iso27001-2022]",
        ),
        (
            CUECS,
            "  complementary_user_entity_controls:\n    - { control: Kept, criteria: [C1.1] }\n",
        ),
    ]);
    let (_, stdout) = check(pack.path());
    assert!(stdout.contains("error[E017]"), "{stdout}");
    assert!(!stdout.contains("W137"), "{stdout}");
    assert!(!stdout.contains("E105"), "{stdout}");

    // Stated, no warning and no notice.
    let pack = edited(&[]);
    let (_, stdout) = check(pack.path());
    assert!(!stdout.contains("W137"), "{stdout}");
    let out = built_from(pack.path(), &[]);
    assert!(!read(&out.path().join("soc2/index.html")).contains("Statements (b) and (c) rely"));
}

#[test]
fn a_significant_change_outside_the_period_or_naming_an_unknown_control_is_reported() {
    let pack = edited(&[(
        CUECS,
        "  significant_changes:\n    - { date: 2025-12-01, change: Old, controls: [CM-1] }\n  complementary_user_entity_controls:\n",
    )]);
    let yaml = read(&pack.path().join("pack.yaml"));
    let (code, stdout) = check(pack.path());
    assert_eq!(code, 1, "{stdout}");
    let (line, col) = position(&yaml, "date: 2025-12-01");
    assert!(stdout.contains(&format!("pack.yaml:{line}:{col}: warning[W101]: significant change dated 2025-12-01 is outside the period 2026-01-01 to 2026-06-30")), "{stdout}");
    let (line, col) = position(&yaml, "CM-1]");
    assert!(
        stdout.contains(&format!(
            "pack.yaml:{line}:{col}: error[E012]: unknown control `CM-1`"
        )),
        "{stdout}"
    );
}

#[test]
fn the_soc2_risk_page_scores_with_the_packs_risk_method() {
    // Sum of 1..4 scales, three bands: R-01 is 3 + 4 = 7 (intolerable, the top of three bands,
    // coloured high), residual 2 + 3 = 5 (tolerable, medium), not above the appetite of 5.
    let method = "risk_method:
  likelihood: [low, medium, high, very high]
  impact: [low, medium, high, very high]
  formula: sum
  bands:
    - { level: acceptable, from: 2, to: 4 }
    - { level: tolerable, from: 5, to: 6 }
    - { level: intolerable, from: 7, to: 8 }
  appetite: 5
audiences:";
    let pack = edited(&[("audiences:", method)]);
    let out = built_from(pack.path(), &[]);
    let page = read(&out.path().join("soc2/risks/R-01.html"));
    assert!(page.contains(r#"<dt>Inherent risk</dt><dd><span class="badge badge-level-high">7 intolerable</span> likelihood 3 (high) + impact 4 (very high)</dd>"#), "{page}");
    assert!(page.contains(r#"<dt>Residual risk</dt><dd><span class="badge badge-level-medium">5 tolerable</span> likelihood 2 (medium) + impact 3 (high)</dd>"#), "{page}");
    assert!(!page.contains("above appetite"));
    // The ISO bundle's page of the same risk says the same.
    let iso = read(&out.path().join("iso27001/risks/R-01.html"));
    assert!(iso.contains(r#"<span class="badge badge-level-high">7 intolerable</span>"#));

    // Without a method, the default: 3 x 4 = 12, medium (8 to 14).
    let out = built_from(&crate::common::fixture("soc2-fidelity"), &[]);
    let page = read(&out.path().join("soc2/risks/R-01.html"));
    assert!(page.contains(r#"<span class="badge badge-level-medium">12 medium</span> likelihood 3 (possible) × impact 4 (major)"#), "{page}");
}

#[test]
fn the_soc2_risk_page_names_who_accepted_the_residual_risk_not_the_treatment() {
    // R-01 is mitigated; its owner accepts the residual risk (2 x 3 = 6). The acceptance is of
    // the residual risk, so it stands beside the residual score, never beside "mitigate".
    let pack = edited(&[]);
    let risks = pack.path().join("risks/risks.yaml");
    let yaml = read(&risks);
    std::fs::write(
        &risks,
        yaml.replace(
            "  reviewed_on: 2026-02-10",
            "  reviewed_on: 2026-02-10\n  accepted_by: dmitri\n  accepted_on: 2026-02-11",
        ),
    )
    .unwrap();
    let out = built_from(pack.path(), &[]);
    let page = read(&out.path().join("soc2/risks/R-01.html"));
    assert!(
        page.contains(
            r#"<dt>Treatment</dt><dd><span class="badge badge-mitigate">mitigate</span></dd>"#
        ),
        "{page}"
    );
    assert!(page.contains(r#"<dt>Residual risk accepted by</dt><dd><span class="person" title="CTO">Dmitri Volkov</span> on <time>2026-02-11</time></dd>"#), "{page}");
    assert_eq!(page.matches("accepted by").count(), 1, "{page}");

    // Without an acceptance on record, the page says nothing was accepted.
    let out = built_from(&crate::common::fixture("soc2-fidelity"), &[]);
    let page = read(&out.path().join("soc2/risks/R-01.html"));
    assert!(!page.contains("accepted"), "{page}");
}
