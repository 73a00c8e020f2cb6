//! The hand-written part of a pack: people, pack.yaml, policies, controls, the SoA, risks,
//! non-human identities and reviews. Small next to the evidence; generated in one thread.

use std::fmt::Write as _;
use std::io;

use chrono::{Days, NaiveDate};

use crate::catalog::Catalogs;
use crate::rng::Rng;
use crate::text::{
    any_sentence, capitalise, flow_list, paragraph, scalar, sentence, Out, CLASSIFICATIONS, FIRST,
    LAST, SYSTEMS, TITLES, WORDS,
};
use crate::Params;

/// Control families: id prefix, topic, and the evidence kinds their controls produce.
pub(crate) const FAMILIES: [(&str, &str, &[&str]); 14] = [
    (
        "AC",
        "access control",
        &["access-review", "approval", "ticket"],
    ),
    (
        "NHI",
        "non-human identities",
        &["rotation", "access-review", "offboarding"],
    ),
    (
        "HR",
        "people security",
        &["offboarding", "approval", "ticket"],
    ),
    ("CM", "change management", &["change", "approval", "ticket"]),
    ("LG", "logging and monitoring", &["log", "ticket"]),
    ("IR", "incident response", &["ticket", "log", "exception"]),
    ("BC", "backup and continuity", &["log", "ticket"]),
    (
        "VM",
        "vulnerability management",
        &["ticket", "exception", "change"],
    ),
    ("CR", "cryptography", &["rotation", "change"]),
    ("SD", "secure development", &["change", "approval"]),
    (
        "SU",
        "supplier management",
        &["approval", "ticket", "exception"],
    ),
    ("AM", "asset management", &["log", "ticket"]),
    ("RM", "risk management", &["approval", "exception"]),
    ("NW", "network security", &["change", "log"]),
];

/// Frequencies, with how often a control has each (weights as gen-corpus.py) and how many
/// evidence records a control of that frequency attracts.
pub(crate) const FREQUENCIES: [(&str, u32, u32); 9] = [
    ("annual", 2, 1),
    ("semiannual", 1, 2),
    ("quarterly", 4, 4),
    ("monthly", 4, 12),
    ("weekly", 2, 50),
    ("daily", 3, 250),
    ("multiple-daily", 1, 600),
    ("on-event", 5, 120),
    ("continuous", 2, 30),
];

/// Evidence kinds named in the policies' control tables.
const EVIDENCE_KINDS: [&str; 8] = [
    "ticket",
    "log",
    "approval",
    "change",
    "exception",
    "rotation",
    "access-review",
    "offboarding",
];

const NHI_KINDS: [&str; 7] = [
    "service-account",
    "api-key",
    "oauth-app",
    "certificate",
    "ssh-key",
    "bot",
    "workload",
];

/// A person of people.yaml.
pub(crate) struct Person {
    /// Id (`amara`, `amara20`).
    pub(crate) id: String,
    /// Full name.
    pub(crate) name: String,
}

/// A control of the one control set.
pub(crate) struct Control {
    /// Id (`AC-01`).
    pub(crate) id: String,
    /// Index into [`FAMILIES`].
    pub(crate) family: usize,
    /// Index into [`FREQUENCIES`].
    pub(crate) frequency: usize,
    title: String,
    description: String,
    owner: usize,
    operator: usize,
    automated: bool,
    /// Policy indices, sorted.
    pub(crate) policies: Vec<usize>,
    iso: Vec<String>,
    soc2: Vec<String>,
    csf: Vec<String>,
    test_procedure: String,
}

/// A non-human identity.
pub(crate) struct Identity {
    /// Id (`nhi-001`).
    pub(crate) id: String,
    kind: &'static str,
    /// The system it lives in.
    pub(crate) system: &'static str,
    owner: usize,
    /// When it was created.
    pub(crate) created_on: NaiveDate,
    /// Maximum credential age.
    pub(crate) rotation_days: i64,
}

/// Everything later stages refer to.
pub(crate) struct Registry {
    /// people.yaml, in order.
    pub(crate) people: Vec<Person>,
    /// Policy ids.
    pub(crate) policies: Vec<String>,
    /// The control set.
    pub(crate) controls: Vec<Control>,
    /// Non-human identities.
    pub(crate) identities: Vec<Identity>,
    /// Risk ids.
    pub(crate) risks: Vec<String>,
    /// SoA exclusions written.
    pub(crate) soa_exclusions: usize,
}

/// The SOC 2 categories every generated pack declares.
pub(crate) const SOC2_CATEGORIES: [&str; 3] = ["security", "availability", "confidentiality"];

/// Chooses people, policies, controls, identities and risks (nothing is written yet).
pub(crate) fn plan(p: &Params, catalogs: &Catalogs) -> Registry {
    let people = people(&p.seed, p.people);
    let policies: Vec<String> = (1..=p.policies).map(|i| format!("POL-{i:03}")).collect();
    let mut controls = controls(&p.seed, p.controls, policies.len(), people.len(), catalogs);
    // A policy lists exactly the controls that name it; a policy nobody names gets one.
    let mut r = Rng::section(&p.seed, "policies");
    for pi in 0..policies.len() {
        if !controls.iter().any(|c| c.policies.contains(&pi)) {
            let c = r.below(controls.len());
            controls[c].policies.push(pi);
            controls[c].policies.sort_unstable();
        }
    }
    let identities = identities(&p.seed, p.identities, people.len(), p.start);
    let risks = (1..=p.risks).map(|i| format!("R-{i:03}")).collect();
    Registry {
        people,
        policies,
        controls,
        identities,
        risks,
        soa_exclusions: 0,
    }
}

fn people(seed: &str, n: usize) -> Vec<Person> {
    let mut r = Rng::section(seed, "people");
    let mut out: Vec<Person> = Vec::with_capacity(n);
    for i in 0..n {
        let first = FIRST[i % FIRST.len()];
        let last = r.pick(&LAST);
        let base = first.to_ascii_lowercase();
        let id = if out.iter().any(|p| p.id == base) {
            format!("{base}{i}")
        } else {
            base
        };
        // Names stay unique (Jira exports name people by display name).
        let mut name = format!("{first} {last}");
        if out.iter().any(|p| p.name == name) {
            name = format!("{first} {}. {last}", char::from(b'A' + (i % 26) as u8));
        }
        out.push(Person { id, name });
    }
    out
}

fn controls(
    seed: &str,
    n: usize,
    policies: usize,
    people: usize,
    catalogs: &Catalogs,
) -> Vec<Control> {
    let mut r = Rng::section(seed, "controls");
    let width = if n <= 99 * FAMILIES.len() { 2 } else { 3 };
    let mut per_family = [0usize; FAMILIES.len()];
    let freq_weights: Vec<u32> = FREQUENCIES.iter().map(|f| f.1).collect();
    (0..n)
        .map(|i| {
            let family = i % FAMILIES.len();
            per_family[family] += 1;
            let (prefix, topic, _) = FAMILIES[family];
            let frequency = r.weighted(&freq_weights);
            let (owner, operator) = r.two(people);
            let title_words: Vec<&str> = (0..4).map(|_| *r.pick(&WORDS)).collect();
            let k = r.range(1, 2) as usize;
            let mut pol: Vec<usize> = r.distinct(policies, k);
            pol.sort_unstable();
            let mut iso = pick_ids(&mut r, &catalogs.annex_a, 1, 3);
            iso.sort_by_key(|id| annex_order(id));
            let mut soc2 = pick_ids(&mut r, &catalogs.soc2, 1, 2);
            soc2.sort();
            let mut csf = pick_ids(&mut r, &catalogs.csf, 1, 2);
            csf.sort();
            Control {
                id: format!("{prefix}-{:0width$}", per_family[family]),
                family,
                frequency,
                title: format!("{}: {}", capitalise(topic), title_words.join(" ")),
                description: paragraph(&mut r, &[]),
                owner,
                operator,
                automated: r.chance(0.3),
                policies: pol,
                iso,
                soc2,
                csf,
                test_procedure: sentence(&mut r, 14, None),
            }
        })
        .collect()
}

fn pick_ids(r: &mut Rng, ids: &[String], lo: i64, hi: i64) -> Vec<String> {
    let k = r.range(lo, hi) as usize;
    r.distinct(ids.len(), k)
        .into_iter()
        .map(|i| ids[i].clone())
        .collect()
}

/// `5.9` before `5.10`.
fn annex_order(id: &str) -> Vec<u32> {
    id.split('.').filter_map(|x| x.parse().ok()).collect()
}

fn identities(seed: &str, n: usize, people: usize, start: NaiveDate) -> Vec<Identity> {
    let mut r = Rng::section(seed, "identities");
    (0..n)
        .map(|i| {
            let kind: &'static str = NHI_KINDS[r.below(NHI_KINDS.len())];
            let system: &'static str = SYSTEMS[r.below(SYSTEMS.len())];
            Identity {
                id: format!("nhi-{:03}", i + 1),
                kind,
                system,
                owner: r.below(people),
                created_on: start - Days::new(r.range(30, 900) as u64),
                rotation_days: *r.pick(&[30, 90, 180, 365]),
            }
        })
        .collect()
}

/// GitHub login of person `i`: `amara-okafor`, as people usually pick them.
pub(crate) fn github_login(people: &[Person], i: usize) -> String {
    let mut login = String::new();
    for word in people[i].name.split(|c: char| !c.is_ascii_alphanumeric()) {
        if !word.is_empty() {
            if !login.is_empty() {
                login.push('-');
            }
            login.push_str(&word.to_ascii_lowercase());
        }
    }
    login + &suffix(&people[i].id)
}

fn suffix(id: &str) -> String {
    id.trim_start_matches(|c: char| c.is_ascii_alphabetic())
        .to_string()
}

/// Writes people.yaml; with `accounts`, each person's accounts in the source systems.
pub(crate) fn write_people(out: &Out, reg: &Registry, accounts: bool) -> io::Result<()> {
    let mut s = String::new();
    for (i, p) in reg.people.iter().enumerate() {
        let _ = writeln!(s, "- id: {}", scalar(&p.id));
        let _ = writeln!(s, "  name: {}", scalar(&p.name));
        let _ = writeln!(s, "  title: {}", scalar(TITLES[i % TITLES.len()]));
        let _ = writeln!(s, "  email: {}", scalar(&format!("{}@example.test", p.id)));
        if accounts {
            let _ = writeln!(
                s,
                "  accounts: {{ github: {}, aws: {}, jira: {}, okta: {} }}",
                scalar(&github_login(&reg.people, i)),
                scalar(&p.id),
                scalar(&p.name),
                scalar(&format!("{}@example.test", p.id))
            );
        }
    }
    out.write("people.yaml", s.as_bytes())
}

/// Writes pack.yaml, with `sources` (already YAML) appended when given.
pub(crate) fn write_pack_yaml(out: &Out, p: &Params, sources: Option<&str>) -> io::Result<()> {
    let org = &p.organisation;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "organisation:\n  name: {}\n  website: \"https://example.test\"",
        scalar(org)
    );
    let _ = writeln!(
        s,
        "scope:\n  statement: |\n    The information security management system of {org} covering the SaaS platform, \
         its people and its suppliers.\n  boundaries: [aws-prod, github, okta, engineering, support]\n  \
         exclusions:\n    - item: office network\n      reason: Fully remote organisation."
    );
    let _ = writeln!(
        s,
        "system:\n  name: Example Platform\n  description: |\n    A multi-tenant SaaS platform hosted on AWS.\n  \
         subservice_organisations:\n    - {{ name: AWS, services: hosting, method: carve-out }}\n  \
         complementary_user_entity_controls: [Customers manage their own user accounts.]"
    );
    let _ = writeln!(s, "period:\n  start: {}\n  end: {}", p.start, p.end);
    let _ = writeln!(s, "frameworks: [iso27001-2022, soc2-2017, nist-csf-2.0]");
    let _ = writeln!(
        s,
        "soc2:\n  categories: {}\n  sampling_seed: {}",
        flow_list(&SOC2_CATEGORIES),
        scalar(&format!("synthetic-{}", p.seed))
    );
    let _ = writeln!(
        s,
        "audiences:\n  auditor: {{ max_classification: confidential }}\n  customer: {{ max_classification: internal }}"
    );
    if let Some(sources) = sources {
        s.push_str(sources);
    }
    out.write("pack.yaml", s.as_bytes())
}

/// Writes the policies, one Markdown file each.
pub(crate) fn write_policies(out: &Out, p: &Params, reg: &Registry) -> io::Result<()> {
    let mut r = Rng::section(&p.seed, "policy-text");
    for (i, pid) in reg.policies.iter().enumerate() {
        let mut ctrls: Vec<&str> = reg
            .controls
            .iter()
            .filter(|c| c.policies.contains(&i))
            .map(|c| c.id.as_str())
            .collect();
        ctrls.sort_unstable();
        let title = format!(
            "{} policy {}",
            capitalise(FAMILIES[i % FAMILIES.len()].1),
            i + 1
        );
        let (owner, approver) = r.two(reg.people.len());
        let approved = p.start - Days::new(r.range(10, 300) as u64);
        let version = format!("{}.{}", r.range(1, 5), r.range(0, 9));
        let mut s = String::from("---\n");
        let _ = writeln!(s, "id: {pid}\ntitle: {}", scalar(&title));
        let _ = writeln!(
            s,
            "owner: {}\napproved_by: {}\napproved_on: {approved}",
            scalar(&reg.people[owner].id),
            scalar(&reg.people[approver].id)
        );
        let _ = writeln!(
            s,
            "version: {}\nreview_interval_months: 12\nclassification: {}\ncontrols: {}\n---",
            scalar(&version),
            r.pick(&CLASSIFICATIONS),
            flow_list(&ctrls)
        );
        let start = s.len();
        let _ = write!(
            s,
            "# {title}\n\n## Purpose\n\n{}\n\n## Scope\n\n{}\n\n## Controls\n\n\
             | control | requirement | evidence |\n| --- | --- | --- |\n",
            paragraph(&mut r, &[]),
            paragraph(&mut r, &[])
        );
        for c in &ctrls {
            let kind = r.pick(&EVIDENCE_KINDS);
            let _ = writeln!(
                s,
                "| [{c}](control:{c}) | {} | {kind} |",
                sentence(&mut r, 8, None)
            );
        }
        let links: Vec<String> = ctrls
            .iter()
            .take(2)
            .map(|c| format!("[{c}](control:{c})"))
            .collect();
        let mut n = 0;
        while ((s.len() - start) as f64) < p.policy_kb * 1024.0 {
            n += 1;
            let _ = write!(s, "\n## Section {n}\n\n{}\n\n", paragraph(&mut r, &links));
            for _ in 0..3 {
                let _ = writeln!(s, "- {}", sentence(&mut r, 10, None));
            }
        }
        out.write(&format!("policies/{pid}.md"), s.as_bytes())?;
    }
    Ok(())
}

/// Writes the controls, one file per family.
pub(crate) fn write_controls(out: &Out, reg: &Registry) -> io::Result<()> {
    for (f, (prefix, _, _)) in FAMILIES.iter().enumerate() {
        let mut s = String::new();
        for c in reg.controls.iter().filter(|c| c.family == f) {
            let pols: Vec<&str> = c
                .policies
                .iter()
                .map(|&i| reg.policies[i].as_str())
                .collect();
            let _ = writeln!(s, "- id: {}\n  title: {}", c.id, scalar(&c.title));
            let _ = writeln!(s, "  description: |\n    {}", c.description);
            let _ = writeln!(
                s,
                "  owner: {}\n  operator: {}\n  frequency: {}\n  automated: {}\n  policies: {}",
                scalar(&reg.people[c.owner].id),
                scalar(&reg.people[c.operator].id),
                FREQUENCIES[c.frequency].0,
                c.automated,
                flow_list(&pols)
            );
            let _ = writeln!(
                s,
                "  maps:\n    iso27001-2022: {}\n    soc2-2017: {}\n    nist-csf-2.0: {}",
                flow_list(&c.iso),
                flow_list(&c.soc2),
                flow_list(&c.csf)
            );
            let _ = writeln!(s, "  test_procedure: |\n    {}", c.test_procedure);
        }
        if !s.is_empty() {
            out.write(&format!("controls/{prefix}.yaml"), s.as_bytes())?;
        }
    }
    Ok(())
}

/// Writes soa.yaml: every Annex A control no control maps to is excluded, with a reason.
pub(crate) fn write_soa(out: &Out, reg: &mut Registry, catalogs: &Catalogs) -> io::Result<()> {
    let mut s = String::new();
    let mut n = 0;
    for id in &catalogs.annex_a {
        if !reg.controls.iter().any(|c| c.iso.contains(id)) {
            n += 1;
            let _ = writeln!(
                s,
                "- {{ annex_a: {}, applicable: false, justification: Not relevant to the synthetic scope. }}",
                scalar(id)
            );
        }
    }
    reg.soa_exclusions = n;
    if s.is_empty() {
        s.push_str("[]\n");
    }
    out.write("soa.yaml", s.as_bytes())
}

/// Writes the risk register, in four files by theme.
pub(crate) fn write_risks(out: &Out, p: &Params, reg: &Registry) -> io::Result<()> {
    const THEMES: [(&str, &[&str]); 4] = [
        (
            "identity-and-access",
            &[
                "Stale access to",
                "Leaked credential for",
                "Privilege creep in",
            ],
        ),
        (
            "operations",
            &[
                "Prolonged outage of",
                "Failed restore of",
                "Unreviewed change to",
            ],
        ),
        (
            "third-party",
            &[
                "Breach at the supplier of",
                "Lapsed contract for",
                "Unassessed use of",
            ],
        ),
        (
            "data",
            &[
                "Disclosure of data in",
                "Loss of integrity in",
                "Over-retention in",
            ],
        ),
    ];
    const TREATMENTS: [(&str, u32); 4] = [
        ("mitigate", 14),
        ("accept", 3),
        ("transfer", 2),
        ("avoid", 1),
    ];
    let mut r = Rng::section(&p.seed, "risks");
    let weights: Vec<u32> = TREATMENTS.iter().map(|t| t.1).collect();
    let mut files = vec![String::new(); THEMES.len()];
    for (i, id) in reg.risks.iter().enumerate() {
        let theme = i % THEMES.len();
        let title = format!("{} {}", r.pick(THEMES[theme].1), r.pick(&SYSTEMS));
        let (likelihood, impact) = (r.range(1, 5), r.range(1, 5));
        let treatment = TREATMENTS[r.weighted(&weights)].0;
        let k = r.range(1, 3) as usize;
        let mut ctrls: Vec<&str> = r
            .distinct(reg.controls.len(), k)
            .into_iter()
            .map(|c| reg.controls[c].id.as_str())
            .collect();
        ctrls.sort_unstable();
        let owner = r.below(reg.people.len());
        let links: Vec<String> = ctrls
            .iter()
            .map(|c| format!("[{c}](control:{c})"))
            .collect();
        let s = &mut files[theme];
        let _ = writeln!(s, "- id: {id}\n  title: {}", scalar(&title));
        let _ = writeln!(s, "  description: |\n    {}", paragraph(&mut r, &links));
        let _ = writeln!(
            s,
            "  owner: {}\n  likelihood: {likelihood}\n  impact: {impact}\n  treatment: {treatment}\n  controls: {}",
            scalar(&reg.people[owner].id),
            flow_list(&ctrls)
        );
        let _ = writeln!(
            s,
            "  residual: {{ likelihood: {}, impact: {} }}",
            r.range(1, likelihood),
            r.range(1, impact)
        );
        if treatment == "accept" {
            let acceptor = r.below(reg.people.len());
            let _ = writeln!(s, "  accepted_by: {}", scalar(&reg.people[acceptor].id));
        }
        let reviewed = p.start + Days::new(r.below(days(p) as usize + 1) as u64);
        let _ = writeln!(s, "  reviewed_on: {reviewed}");
    }
    for (theme, s) in files.iter().enumerate() {
        if !s.is_empty() {
            out.write(&format!("risks/{}.yaml", THEMES[theme].0), s.as_bytes())?;
        }
    }
    Ok(())
}

/// Days from the period's start to its end.
pub(crate) fn days(p: &Params) -> i64 {
    (p.end - p.start).num_days()
}

/// Writes the identities, one file per system; with `aws_accounts`, the identities in the AWS
/// credential report name their IAM user.
pub(crate) fn write_identities(out: &Out, reg: &Registry, aws_accounts: &[bool]) -> io::Result<()> {
    let mut systems: Vec<&str> = reg.identities.iter().map(|i| i.system).collect();
    systems.sort_unstable();
    systems.dedup();
    for system in systems {
        let mut s = String::new();
        for (n, ident) in reg.identities.iter().enumerate() {
            if ident.system != system {
                continue;
            }
            let _ = writeln!(
                s,
                "- id: {}\n  kind: {}\n  system: {}\n  owner: {}\n  created_on: {}\n  rotation_days: {}\n  decommissioned_on: null",
                ident.id,
                ident.kind,
                ident.system,
                scalar(&reg.people[ident.owner].id),
                ident.created_on,
                ident.rotation_days
            );
            if aws_accounts.get(n).copied().unwrap_or(false) {
                let _ = writeln!(s, "  accounts: {{ aws-iam-user: {} }}", ident.id);
            }
        }
        out.write(&format!("identities/{system}.yaml"), s.as_bytes())?;
    }
    Ok(())
}

/// Writes the management-system reviews: a management review, internal audits, nonconformities
/// and corrective actions, in that rotation.
pub(crate) fn write_reviews(out: &Out, p: &Params, reg: &Registry) -> io::Result<()> {
    const KINDS: [(&str, &str, &str); 4] = [
        ("management-review", "MR", "ISMS management review"),
        ("internal-audit", "IA", "Internal audit"),
        ("nonconformity", "NC", "Nonconformity"),
        ("corrective-action", "CA", "Corrective action"),
    ];
    let mut r = Rng::section(&p.seed, "reviews");
    let year = p.start.format("%Y");
    let mut ids: Vec<String> = Vec::new();
    let mut counts = [0usize; KINDS.len()];
    let person = |i: usize| scalar(&reg.people[i].id);
    for n in 0..p.reviews {
        let k = if n == 0 { 0 } else { 1 + (n - 1) % 3 };
        let (kind, prefix, label) = KINDS[k];
        counts[k] += 1;
        let id = format!("{prefix}-{year}-{}", counts[k]);
        let date = p.start + Days::new(r.below(days(p) as usize + 1) as u64);
        let mut related: Vec<String> = r
            .distinct(reg.controls.len(), 2)
            .into_iter()
            .map(|c| reg.controls[c].id.clone())
            .collect();
        if !reg.risks.is_empty() {
            related.push(r.pick(&reg.risks).clone());
        }
        if let Some(previous) = ids.last() {
            related.push(previous.clone());
        }
        let mut s = String::from("---\n");
        let _ = writeln!(
            s,
            "id: {id}\nkind: {kind}\ntitle: {}\ndate: {date}",
            scalar(&format!("{label} {id}"))
        );
        if k == 1 {
            let _ = writeln!(s, "auditor: {}", person(r.below(reg.people.len())));
        } else {
            let k = r.range(3, 6) as usize;
            let attendees: Vec<String> = r
                .distinct(reg.people.len(), k)
                .into_iter()
                .map(person)
                .collect();
            let _ = writeln!(s, "attendees: [{}]", attendees.join(", "));
        }
        let open = r.chance(0.4);
        let _ = writeln!(
            s,
            "status: {}\nclassification: internal\nrelates_to: {}",
            if open { "open" } else { "closed" },
            flow_list(&related)
        );
        if k == 1 || k == 2 {
            let _ = writeln!(s, "findings: {}", flow_list(&related[..1]));
        }
        s.push_str("actions:\n");
        for a in 1..=r.range(1, 4) {
            let due = date + Days::new(r.range(14, 120) as u64);
            let _ = writeln!(
                s,
                "  - {{ id: {id}-A{a}, title: {}, owner: {}, due: {due}, status: {} }}",
                scalar(&sentence(&mut r, 6, None)),
                person(r.below(reg.people.len())),
                if open && r.chance(0.5) {
                    "open"
                } else {
                    "closed"
                }
            );
        }
        s.push_str("---\n");
        let links: Vec<String> = related
            .iter()
            .map(|x| {
                let kind = if x.starts_with("R-") {
                    "risk"
                } else if ids.contains(x) {
                    "review"
                } else {
                    "control"
                };
                format!("[{x}]({kind}:{x})")
            })
            .collect();
        let _ = write!(s, "# {label} {id}\n\n{}\n\n", paragraph(&mut r, &links));
        for section in ["Inputs", "Discussion", "Decisions"] {
            let _ = write!(s, "## {section}\n\n{}\n\n", paragraph(&mut r, &[]));
            let _ = writeln!(s, "- {}\n", any_sentence(&mut r, None));
        }
        out.write(&format!("reviews/{date}-{kind}-{id}.md"), s.as_bytes())?;
        ids.push(id);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_have_unique_ids_names_and_plausible_logins() {
        let people = people("1", 60);
        for (i, p) in people.iter().enumerate() {
            assert!(
                people[..i].iter().all(|q| q.id != p.id && q.name != p.name),
                "{}",
                p.name
            );
            let login = github_login(&people, i);
            assert!(
                login
                    .split('-')
                    .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_alphanumeric())),
                "{login}"
            );
        }
        assert_eq!(people[20].id, "amara20");
    }

    #[test]
    fn annex_ids_sort_numerically() {
        let mut ids = vec!["5.10", "5.9", "8.1"];
        ids.sort_by_key(|id| annex_order(id));
        assert_eq!(ids, ["5.9", "5.10", "8.1"]);
    }
}
