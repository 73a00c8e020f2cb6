//! Non-human identity evidence for the SOC 2 report: each identity's rotations, access reviews
//! and offboardings, and every period during which a credential was older than its
//! `rotation_days` (a *late rotation*).
//!
//! Rotations are not sampled: the tool checks every one. A credential's age runs from its
//! previous rotation to its next one, or to the end of the period (or its decommissioning, when
//! earlier). An interval longer than `rotation_days` that reaches into the period is late.
//!
//! Before the first recorded rotation the pack may not hold the history (evidence is kept for
//! the period), so the first interval starts at the identity's `created_on` when that is inside
//! the period, and otherwise at the start of the period: the credential was at least that old,
//! so a first rotation more than `rotation_days` into the period is certainly late, and nothing
//! is claimed about the unrecorded time before.

use chrono::NaiveDate;

use crate::content::model::{EvidenceKind, Identity, Period};
use crate::content::{Content, Index};

/// Where a credential's age starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Since {
    /// The identity's `created_on`.
    Created,
    /// The start of the period (the identity is older and no earlier rotation is on record).
    PeriodStart,
    /// A rotation (index into `content.evidence`).
    Rotation(usize),
}

/// Where a credential's age ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// A rotation (index into `content.evidence`): that rotation came late.
    Rotation(usize),
    /// The end of the period: still not rotated.
    PeriodEnd,
    /// The identity's decommissioning.
    Decommissioned,
}

/// An interval during which a credential was older than allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LateRotation {
    /// The identity id.
    pub identity: String,
    /// Start of the interval.
    pub from: NaiveDate,
    /// What the start is.
    pub since: Since,
    /// End of the interval.
    pub to: NaiveDate,
    /// What the end is.
    pub until: Until,
    /// Length in days.
    pub days: i64,
    /// The allowed maximum (`rotation_days`).
    pub max_days: u32,
}

impl LateRotation {
    /// One sentence for the report, e.g. `svc-deploy was rotated 105 days after its previous
    /// rotation (2026-01-10 to 2026-04-25); the maximum is 90 days.`
    pub fn describe(&self) -> String {
        let since = match self.since {
            Since::Created => "its creation",
            Since::PeriodStart => "the start of the period",
            Since::Rotation(_) => "its previous rotation",
        };
        match self.until {
            Until::Rotation(_) => format!(
                "`{}` was rotated {} days after {since} ({} to {}); the maximum is {} days.",
                self.identity, self.days, self.from, self.to, self.max_days
            ),
            Until::PeriodEnd => format!(
                "`{}` was not rotated for {} days after {since} ({} to the end of the period, {}); the maximum is {} days.",
                self.identity, self.days, self.from, self.to, self.max_days
            ),
            Until::Decommissioned => format!(
                "`{}` was not rotated for {} days after {since} ({} to its decommissioning on {}); the maximum is {} days.",
                self.identity, self.days, self.from, self.to, self.max_days
            ),
        }
    }
}

/// One identity's evidence and late rotations.
#[derive(Debug, Clone)]
pub struct IdentityReview<'c> {
    /// The identity.
    pub identity: &'c Identity,
    /// Its rotation records (indices into `content.evidence`), by date.
    pub rotations: Vec<usize>,
    /// Its access-review records, by date.
    pub access_reviews: Vec<usize>,
    /// Its offboarding records, by date.
    pub offboardings: Vec<usize>,
    /// Other records naming it, by date.
    pub other: Vec<usize>,
    /// Late rotations that reach into the period.
    pub late: Vec<LateRotation>,
}

/// Review every identity of `content` for `period`, sorted by identity id. `index` is the
/// content's cross-references ([`Content::index`]; a redacted copy passes its original's).
pub fn review<'c>(content: &'c Content, index: &Index, period: Period) -> Vec<IdentityReview<'c>> {
    let mut out: Vec<IdentityReview<'_>> = content
        .identities
        .iter()
        .zip(&index.evidence_of_identity)
        .map(|(r, records)| {
            let idn = &r.value;
            let of = |kind: EvidenceKind| -> Vec<usize> {
                records
                    .iter()
                    .copied()
                    .filter(|&i| content.evidence[i].value.kind == kind)
                    .collect()
            };
            let rotations = of(EvidenceKind::Rotation);
            let access_reviews = of(EvidenceKind::AccessReview);
            let offboardings = of(EvidenceKind::Offboarding);
            let other = records
                .iter()
                .copied()
                .filter(|&i| {
                    !matches!(
                        content.evidence[i].value.kind,
                        EvidenceKind::Rotation
                            | EvidenceKind::AccessReview
                            | EvidenceKind::Offboarding
                    )
                })
                .collect();
            let late = late_rotations(content, idn, &rotations, period);
            IdentityReview {
                identity: idn,
                rotations,
                access_reviews,
                offboardings,
                other,
                late,
            }
        })
        .collect();
    out.sort_by(|a, b| a.identity.id.as_bytes().cmp(b.identity.id.as_bytes()));
    out
}

/// Late intervals of one identity (`rotations` sorted by date).
fn late_rotations(
    content: &Content,
    idn: &Identity,
    rotations: &[usize],
    period: Period,
) -> Vec<LateRotation> {
    let Some(max_days) = idn.rotation_days else {
        return Vec::new();
    };
    let (end, end_kind) = match idn.decommissioned_on {
        Some(d) if d < period.end => (d, Until::Decommissioned),
        _ => (period.end, Until::PeriodEnd),
    };
    if end < period.start {
        return Vec::new();
    }
    let mut late = Vec::new();
    let (mut from, mut since) = (idn.created_on, Since::Created);
    let first_rotation = rotations
        .iter()
        .map(|&i| content.evidence[i].value.occurred_on)
        .find(|&d| d >= idn.created_on);
    if idn.created_on < period.start && first_rotation.is_none_or(|d| d >= period.start) {
        (from, since) = (period.start, Since::PeriodStart);
    }
    let mut check = |from: NaiveDate, since: Since, to: NaiveDate, until: Until| {
        let days = (to - from).num_days();
        if days > i64::from(max_days) && to >= period.start {
            late.push(LateRotation {
                identity: idn.id.clone(),
                from,
                since,
                to,
                until,
                days,
                max_days,
            });
        }
    };
    for &i in rotations {
        let day = content.evidence[i].value.occurred_on;
        if day < from || day > end {
            continue;
        }
        check(from, since, day, Until::Rotation(i));
        from = day;
        since = Since::Rotation(i);
    }
    check(from, since, end, end_kind);
    late
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::model::{Evidence, IdentityKind, Outcome};
    use crate::content::Record;
    use crate::test_support::{d, loc};

    fn identity(
        id: &str,
        created: &str,
        rotation_days: Option<u32>,
        gone: Option<&str>,
    ) -> Record<Identity> {
        Record {
            value: Identity {
                id: id.into(),
                kind: IdentityKind::ServiceAccount,
                system: "ci".into(),
                owner: Some("sven".into()),
                description: None,
                created_on: d(created),
                rotation_days,
                decommissioned_on: gone.map(d),
                classification: Default::default(),
                extra: None,
                accounts: Default::default(),
            },
            loc: loc(),
        }
    }

    fn record(id: &str, identity: &str, kind: EvidenceKind, day: &str) -> Record<Evidence> {
        Record {
            value: Evidence {
                id: id.into(),
                controls: vec!["NHI-01".into()],
                kind,
                title: id.into(),
                occurred_on: d(day),
                performed_by: "sven".into(),
                approved_by: None,
                system: None,
                identity: Some(identity.into()),
                source: None,
                result: Outcome::Pass,
                exception: None,
                classification: Default::default(),
                attachments: vec![],
                summary: None,
                extra: None,
                item: None,
                attributes: Default::default(),
                impact: None,
                covers: None,
            },
            loc: loc(),
        }
    }

    fn period() -> Period {
        Period {
            start: d("2026-01-01"),
            end: d("2026-06-30"),
        }
    }

    #[test]
    fn late_rotations_count_from_the_period_start_when_history_is_unrecorded() {
        let mut c = Content::default();
        c.identities
            .push(identity("svc", "2025-10-01", Some(90), None));
        c.evidence
            .push(record("R2", "svc", EvidenceKind::Rotation, "2026-04-25"));
        c.evidence
            .push(record("R1", "svc", EvidenceKind::Rotation, "2026-01-10"));
        c.evidence.push(record(
            "AR",
            "svc",
            EvidenceKind::AccessReview,
            "2026-03-01",
        ));
        let r = review(&c, c.index(), period());
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].rotations, vec![1, 0], "sorted by date");
        assert_eq!(r[0].access_reviews, vec![2]);
        let late: Vec<(i64, Until)> = r[0].late.iter().map(|l| (l.days, l.until)).collect();
        // Created before the period with no earlier rotation on record: the first interval
        // starts at the period start (2026-01-01 → 2026-01-10, 9 days, fine); 2026-01-10 →
        // 2026-04-25 is 105 days (late); 2026-04-25 → 2026-06-30 is 66 days (fine).
        assert_eq!(late, vec![(105, Until::Rotation(0))]);
        assert!(r[0].late[0]
            .describe()
            .contains("rotated 105 days after its previous rotation"));
    }

    #[test]
    fn a_first_rotation_long_into_the_period_or_after_creation_is_late() {
        let mut c = Content::default();
        c.identities
            .push(identity("old", "2022-01-01", Some(30), None));
        c.identities
            .push(identity("new", "2026-01-15", Some(30), None));
        for (id, who, day) in [
            ("R1", "old", "2026-02-15"),
            ("R2", "old", "2026-03-10"),
            ("R3", "new", "2026-03-01"),
            ("R4", "new", "2026-03-20"),
        ] {
            c.evidence
                .push(record(id, who, EvidenceKind::Rotation, day));
        }
        let r = review(&c, c.index(), period());
        let by_id = |id: &str| r.iter().find(|x| x.identity.id == id).unwrap();
        let old = &by_id("old").late;
        // 2026-01-01 → 2026-02-15 is 45 days; then 23 days; then 112 days to the period end.
        assert_eq!(
            old.iter().map(|l| (l.since, l.days)).collect::<Vec<_>>(),
            [(Since::PeriodStart, 45), (Since::Rotation(1), 112)]
        );
        assert!(old[0]
            .describe()
            .contains("45 days after the start of the period"));
        let new = &by_id("new").late;
        assert_eq!((new[0].since, new[0].days), (Since::Created, 45));
    }

    #[test]
    fn overdue_at_period_end_and_decommissioning() {
        let mut c = Content::default();
        c.identities
            .push(identity("old", "2025-01-01", Some(30), Some("2025-12-01")));
        c.identities
            .push(identity("gone", "2026-01-01", Some(30), Some("2026-03-01")));
        c.identities
            .push(identity("never", "2026-01-01", None, None));
        c.identities
            .push(identity("stale", "2026-01-01", Some(100), None));
        let r = review(&c, c.index(), period());
        let by_id = |id: &str| r.iter().find(|x| x.identity.id == id).unwrap();
        assert!(
            by_id("old").late.is_empty(),
            "decommissioned before the period"
        );
        assert_eq!(by_id("gone").late[0].until, Until::Decommissioned);
        assert_eq!(by_id("gone").late[0].days, 59);
        assert!(by_id("never").late.is_empty(), "no rotation_days, no rule");
        assert_eq!(by_id("stale").late[0].until, Until::PeriodEnd);
        assert_eq!(by_id("stale").late[0].days, 180);
    }

    /// `(since, from, until, to, days)` of every late interval of the identity `id`.
    fn late_of(c: &Content, id: &str) -> Vec<(Since, NaiveDate, Until, NaiveDate, i64)> {
        let r = review(c, c.index(), period());
        let idn = r.iter().find(|x| x.identity.id == id).unwrap();
        idn.late
            .iter()
            .map(|l| (l.since, l.from, l.until, l.to, l.days))
            .collect()
    }

    #[test]
    fn records_of_other_kinds_are_kept_apart() {
        let mut c = Content::default();
        c.identities.push(identity("svc", "2026-01-01", None, None));
        c.evidence
            .push(record("R", "svc", EvidenceKind::Rotation, "2026-02-01"));
        c.evidence
            .push(record("T", "svc", EvidenceKind::Ticket, "2026-02-02"));
        c.evidence
            .push(record("O", "svc", EvidenceKind::Offboarding, "2026-02-03"));
        let r = review(&c, c.index(), period());
        assert_eq!(r[0].rotations, vec![0]);
        assert_eq!(r[0].offboardings, vec![2]);
        assert_eq!(r[0].other, vec![1], "only the ticket is other");
    }

    #[test]
    fn decommissioning_ends_the_age_only_when_earlier_than_the_period_end() {
        let mut c = Content::default();
        c.identities
            .push(identity("last", "2026-01-01", Some(30), Some("2026-06-30")));
        c.identities.push(identity(
            "after",
            "2026-01-01",
            Some(30),
            Some("2026-09-01"),
        ));
        c.identities.push(identity(
            "first",
            "2025-01-01",
            Some(30),
            Some("2026-01-01"),
        ));
        c.evidence
            .push(record("R0", "first", EvidenceKind::Rotation, "2025-06-01"));
        let end = d("2026-06-30");
        // On the period's last day: the same day as the end of the period, which it is.
        assert_eq!(
            late_of(&c, "last"),
            [(Since::Created, d("2026-01-01"), Until::PeriodEnd, end, 180)]
        );
        // After the period: the age is counted to the period's end only.
        assert_eq!(
            late_of(&c, "after"),
            [(Since::Created, d("2026-01-01"), Until::PeriodEnd, end, 180)]
        );
        // On the period's first day, overdue since a rotation before the period: late on
        // that first day (an interval that reaches into the period).
        let rotation_day = d("2025-06-01");
        assert_eq!(
            late_of(&c, "first"),
            [(
                Since::Rotation(0),
                rotation_day,
                Until::Decommissioned,
                d("2026-01-01"),
                214
            )]
        );
    }

    #[test]
    fn a_rotation_on_the_creation_day_starts_the_age() {
        let mut c = Content::default();
        c.identities
            .push(identity("svc", "2025-06-01", Some(30), None));
        c.evidence
            .push(record("R0", "svc", EvidenceKind::Rotation, "2025-06-01"));
        // The rotation is on record, so the age runs from it, not from the period start.
        assert_eq!(
            late_of(&c, "svc"),
            [(
                Since::Rotation(0),
                d("2025-06-01"),
                Until::PeriodEnd,
                d("2026-06-30"),
                394
            )]
        );
    }

    #[test]
    fn an_identity_created_on_the_first_day_counts_from_its_creation() {
        let mut c = Content::default();
        c.identities
            .push(identity("svc", "2026-01-01", Some(100), None));
        assert_eq!(
            late_of(&c, "svc"),
            [(
                Since::Created,
                d("2026-01-01"),
                Until::PeriodEnd,
                d("2026-06-30"),
                180
            )]
        );
    }

    #[test]
    fn exactly_rotation_days_is_on_time_and_one_more_is_late() {
        let mut c = Content::default();
        c.identities
            .push(identity("svc", "2026-01-01", Some(30), None));
        for (id, day) in [
            ("R1", "2026-01-31"),
            ("R2", "2026-03-03"),
            ("R3", "2026-04-01"),
        ] {
            c.evidence
                .push(record(id, "svc", EvidenceKind::Rotation, day));
        }
        c.evidence
            .push(record("R4", "svc", EvidenceKind::Rotation, "2026-06-01"));
        c.evidence
            .push(record("R5", "svc", EvidenceKind::Rotation, "2026-06-30"));
        // 01-01 → 01-31 is 30 days (on time); 01-31 → 03-03 is 31 (late); 03-03 → 04-01 is
        // 29; 04-01 → 06-01 is 61 (late); 06-01 → 06-30 is 29; 06-30 → the end is 0.
        let late = late_of(&c, "svc");
        assert_eq!(
            late.iter().map(|l| (l.4, l.2)).collect::<Vec<_>>(),
            [(31, Until::Rotation(1)), (61, Until::Rotation(3))]
        );
    }

    #[test]
    fn rotations_after_the_end_are_not_counted_and_one_on_the_last_day_is() {
        let mut c = Content::default();
        c.identities
            .push(identity("gone", "2026-01-01", Some(30), Some("2026-03-01")));
        c.identities
            .push(identity("open", "2026-05-01", Some(30), None));
        c.evidence
            .push(record("R0", "gone", EvidenceKind::Rotation, "2026-03-01"));
        c.evidence
            .push(record("R1", "gone", EvidenceKind::Rotation, "2026-04-01"));
        c.evidence
            .push(record("R2", "open", EvidenceKind::Rotation, "2026-07-15"));
        // Rotated on its decommissioning day: that rotation is the late one; the one a month
        // after it is gone is not counted.
        assert_eq!(
            late_of(&c, "gone"),
            [(
                Since::Created,
                d("2026-01-01"),
                Until::Rotation(0),
                d("2026-03-01"),
                59
            )]
        );
        // A rotation after the period does not end an interval inside it.
        assert_eq!(
            late_of(&c, "open"),
            [(
                Since::Created,
                d("2026-05-01"),
                Until::PeriodEnd,
                d("2026-06-30"),
                60
            )]
        );
    }
}
