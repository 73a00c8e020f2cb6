//! Non-human identity evidence for the SOC 2 report: each identity's rotations, access reviews
//! and offboardings, every rotation its `rotation_days` required in the period ([`DueRotation`],
//! the rotation control's population), and every period during which a credential was older
//! than allowed (a [`LateRotation`]).
//!
//! A credential's age runs from its previous rotation to its next one, or to the end of the
//! evaluation (the period's end) or its decommissioning, when earlier. Each rotation is due
//! `rotation_days` after the previous one: met *on time*, met *late* (rotated after its due
//! date), or *overdue* (not rotated by the end). Decommissioning inside the period, on its last
//! day too, ends the obligation.
//!
//! Before the first recorded rotation the pack may not hold the history (evidence is kept for
//! the period), so the first interval starts at the identity's `created_on` when that is inside
//! the period, or when the first rotation came within `rotation_days` of it (on time whatever
//! the history), or when no rotation is on record at all (the credential is the one created
//! then). Otherwise it starts at the start of the period: the credential was at least that old,
//! so a first rotation more than `rotation_days` into the period is certainly late, and one
//! sooner is never shown as on time: its *age before the first rotation is not evidenced*.

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
    /// One sentence for the pages, e.g. `svc-deploy was rotated 105 days after its previous
    /// rotation (2026-01-10 to 2026-04-25); the maximum is 90 days.` (the id as plain text: a
    /// page never shows a diagnostic's backticks).
    pub fn describe(&self) -> String {
        self.sentence(&self.identity)
    }

    /// The same sentence as a `check` message, the id quoted as diagnostics quote ids
    /// (`` `svc-deploy` was rotated ... ``).
    pub fn message(&self) -> String {
        self.sentence(&format!("`{}`", self.identity))
    }

    fn sentence(&self, who: &str) -> String {
        let since = match self.since {
            Since::Created => "its creation",
            Since::PeriodStart => "the start of the period",
            Since::Rotation(_) => "its previous rotation",
        };
        let (days, from, to, max) = (self.days, self.from, self.to, self.max_days);
        match self.until {
            Until::Rotation(_) => format!(
                "{who} was rotated {days} days after {since} ({from} to {to}); the maximum is {max} days."
            ),
            Until::PeriodEnd => format!(
                "{who} was not rotated for {days} days after {since} ({from} to the end of the period, {to}); the maximum is {max} days."
            ),
            Until::Decommissioned => format!(
                "{who} was not rotated for {days} days after {since} ({from} to its decommissioning on {to}); the maximum is {max} days."
            ),
        }
    }
}

/// What became of one rotation that an identity's `rotation_days` required.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueStatus {
    /// Rotated on or before its due date (index into `content.evidence`).
    OnTime(usize),
    /// Rotated on or before the due date counted from the start of the period, but the
    /// credential's age before the period is not on record: never shown as on time.
    AgeNotEvidenced(usize),
    /// Rotated after its due date (index into `content.evidence`).
    Late(usize),
    /// Not rotated by the end of the evaluation (the period's end).
    Overdue,
    /// Not rotated before the identity was decommissioned, after its due date.
    OverdueUntilDecommissioned,
}

impl DueStatus {
    /// The word the pages use: `on time`, `age before the first rotation not evidenced`,
    /// `late` (rotated after its due date) or `overdue` (not rotated).
    pub fn label(self) -> &'static str {
        match self {
            DueStatus::OnTime(_) => "on time",
            DueStatus::AgeNotEvidenced(_) => "age before the first rotation not evidenced",
            DueStatus::Late(_) => "late",
            DueStatus::Overdue => "overdue",
            DueStatus::OverdueUntilDecommissioned => "overdue until decommissioned",
        }
    }

    /// The rotation record that met (or missed) the due date, if any.
    pub fn rotation(self) -> Option<usize> {
        match self {
            DueStatus::OnTime(i) | DueStatus::AgeNotEvidenced(i) | DueStatus::Late(i) => Some(i),
            DueStatus::Overdue | DueStatus::OverdueUntilDecommissioned => None,
        }
    }
}

/// One rotation an identity's `rotation_days` required inside the evaluated window: the item of
/// the rotation control's SOC 2 population, addressed `<identity>:<due date>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueRotation {
    /// The identity id.
    pub identity: String,
    /// The last day on which the rotation was on time (`from` + `rotation_days`).
    pub due: NaiveDate,
    /// Where the credential's age starts.
    pub from: NaiveDate,
    /// What the start is.
    pub since: Since,
    /// What became of it.
    pub status: DueStatus,
}

impl DueRotation {
    /// The item id: `<identity>:<due date>`.
    pub fn key(&self) -> String {
        format!("{}:{}", self.identity, self.due)
    }

    /// Whether it is a deviation (anything but a rotation on time).
    pub fn is_deviation(&self) -> bool {
        !matches!(self.status, DueStatus::OnTime(_))
    }

    /// One sentence for the pages and `sample`, e.g. `Rotation of svc-deploy due 2026-04-20: overdue,
    /// not rotated by 2026-06-30 (71 days past its due date).`
    pub fn describe(&self, content: &Content, end: NaiveDate) -> String {
        let day = |i: usize| content.evidence[i].value.occurred_on;
        let head = format!("Rotation of {} due {}", self.identity, self.due);
        match self.status {
            DueStatus::OnTime(i) => format!("{head}: on time, rotated {}.", day(i)),
            DueStatus::AgeNotEvidenced(i) => format!(
                "{head} (counted from the start of the period): rotated {}, but no rotation before the period is on record, so the credential's age before its first rotation is not evidenced.",
                day(i)
            ),
            DueStatus::Late(i) => format!(
                "{head}: late, rotated {} ({} days after its due date).",
                day(i),
                (day(i) - self.due).num_days()
            ),
            DueStatus::Overdue => format!(
                "{head}: overdue, not rotated by {end} ({} days past its due date).",
                (end - self.due).num_days()
            ),
            DueStatus::OverdueUntilDecommissioned => {
                format!("{head}: overdue, not rotated before the identity was decommissioned.")
            }
        }
    }
}

/// One identity's evidence, required rotations and late rotations.
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
    /// Every rotation its `rotation_days` required in the window, by due date.
    pub due: Vec<DueRotation>,
    /// Whether it existed before the window with no rotation on record before its first one in
    /// the window: its age before that rotation is not evidenced.
    pub age_not_evidenced: bool,
    /// Late rotations that reach into the period (rotated late, overdue, or overdue until
    /// decommissioned).
    pub late: Vec<LateRotation>,
}

/// The reviewer of access-review record `ev`: its approver, or without one its performer.
pub fn reviewer(ev: &crate::content::model::Evidence) -> &str {
    ev.approved_by.as_deref().unwrap_or(&ev.performed_by)
}

impl IdentityReview<'_> {
    /// Its access reviews whose reviewer ([`reviewer`]) owns it: no segregation of duties.
    pub fn reviews_by_owner<'a>(
        &'a self,
        content: &'a Content,
    ) -> impl Iterator<Item = usize> + 'a {
        self.access_reviews.iter().copied().filter(move |&i| {
            self.identity.owner.as_deref() == Some(reviewer(&content.evidence[i].value))
        })
    }

    /// The required rotation still not done at the end of the window, if any.
    pub fn overdue(&self) -> Option<&DueRotation> {
        self.due.iter().find(|d| d.status == DueStatus::Overdue)
    }
}

/// Review every identity of `content` over `window` (the period under review, whose `end` is
/// the evaluation date: an identity not rotated by then is overdue), sorted by identity id.
/// `index` is the content's cross-references ([`Content::index`]; a redacted copy passes its
/// original's).
pub fn review<'c>(content: &'c Content, index: &Index, window: Period) -> Vec<IdentityReview<'c>> {
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
            let (due, age_not_evidenced) = schedule(content, idn, &rotations, window);
            let late = due
                .iter()
                .filter_map(|d| late_of(content, idn, d, window))
                .collect();
            IdentityReview {
                identity: idn,
                rotations,
                access_reviews,
                offboardings,
                other,
                due,
                age_not_evidenced,
                late,
            }
        })
        .collect();
    out.sort_by(|a, b| a.identity.id.as_bytes().cmp(b.identity.id.as_bytes()));
    out
}

/// The late interval a required rotation stands for, when it was not on time (rotated after its
/// due date, or not rotated by the end of the window or the decommissioning).
fn late_of(
    content: &Content,
    idn: &Identity,
    d: &DueRotation,
    window: Period,
) -> Option<LateRotation> {
    let max_days = idn.rotation_days?;
    let (to, until) = match d.status {
        DueStatus::OnTime(_) | DueStatus::AgeNotEvidenced(_) => return None,
        DueStatus::Late(i) => (content.evidence[i].value.occurred_on, Until::Rotation(i)),
        DueStatus::Overdue => (window.end, Until::PeriodEnd),
        DueStatus::OverdueUntilDecommissioned => (idn.decommissioned_on?, Until::Decommissioned),
    };
    Some(LateRotation {
        identity: idn.id.clone(),
        from: d.from,
        since: d.since,
        to,
        until,
        days: (to - d.from).num_days(),
        max_days,
    })
}

/// The rotations one identity's `rotation_days` required in `window` (`rotations` sorted by
/// date), and whether its age before the first of them is not evidenced.
///
/// The credential's age runs from its previous rotation (or its creation, or the window's start
/// when it is older and no earlier rotation is on record); the next rotation is due
/// `rotation_days` later. A due date is required in the window when the credential would be
/// older than allowed before the window ends (the due date is before the end, or before a
/// decommissioning that comes first) and it was not met before the window started. The next
/// rotation meets it on time or late; none by the end leaves it overdue (one item, however long
/// the credential stays overdue). Rotations before the window only move the age's start.
fn schedule(
    content: &Content,
    idn: &Identity,
    rotations: &[usize],
    window: Period,
) -> (Vec<DueRotation>, bool) {
    let Some(max_days) = idn.rotation_days else {
        return (Vec::new(), false);
    };
    // Decommissioning inside the window, on its last day too, ends the obligation.
    let (end, decommissioned) = match idn.decommissioned_on {
        Some(d) if d <= window.end => (d, true),
        _ => (window.end, false),
    };
    if end < window.start {
        return (Vec::new(), false);
    }
    let day = |i: usize| content.evidence[i].value.occurred_on;
    let (mut from, mut since) = (idn.created_on, Since::Created);
    let first_rotation = rotations
        .iter()
        .map(|&i| day(i))
        .find(|&d| d >= idn.created_on);
    // Created before the window with no rotation on record before it: a first rotation within
    // `rotation_days` of the creation is on time whatever the unrecorded history (a rotation
    // in it would only make the credential younger); a later one is counted from the window's
    // start. Without any rotation on record, the credential is the one created on `created_on`.
    if idn.created_on < window.start
        && first_rotation.is_some_and(|d| {
            d >= window.start && (d - idn.created_on).num_days() > i64::from(max_days)
        })
    {
        (from, since) = (window.start, Since::PeriodStart);
    }
    let age_not_evidenced =
        since == Since::PeriodStart && first_rotation.is_some_and(|d| d > window.start);
    let mut due = Vec::new();
    for &i in rotations {
        let on = day(i);
        if on < from || on > end {
            continue;
        }
        if on > from {
            let due_on = from + chrono::Days::new(u64::from(max_days));
            let status = if on > due_on {
                DueStatus::Late(i)
            } else if since == Since::PeriodStart {
                DueStatus::AgeNotEvidenced(i)
            } else {
                DueStatus::OnTime(i)
            };
            if due_on < end && on >= window.start {
                due.push(DueRotation {
                    identity: idn.id.clone(),
                    due: due_on,
                    from,
                    since,
                    status,
                });
            }
        }
        from = on;
        since = Since::Rotation(i);
    }
    let due_on = from + chrono::Days::new(u64::from(max_days));
    if due_on < end {
        due.push(DueRotation {
            identity: idn.id.clone(),
            due: due_on,
            from,
            since,
            status: if decommissioned {
                DueStatus::OverdueUntilDecommissioned
            } else {
                DueStatus::Overdue
            },
        });
    }
    (due, age_not_evidenced)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::model::{Evidence, IdentityKind, IdentityRefs};
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
                kind,
                identity: IdentityRefs::one(identity),
                ..crate::test_support::evidence(id, "NHI-01", day)
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
        // The page's sentence names the identity plainly; check's message quotes it.
        assert_eq!(
            r[0].late[0].describe(),
            "svc was rotated 105 days after its previous rotation (2026-01-10 to 2026-04-25); the maximum is 90 days."
        );
        assert_eq!(
            r[0].late[0].message(),
            "`svc` was rotated 105 days after its previous rotation (2026-01-10 to 2026-04-25); the maximum is 90 days."
        );
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
        // On the period's last day: decommissioned, not overdue at the end of the period.
        assert_eq!(
            late_of(&c, "last"),
            [(
                Since::Created,
                d("2026-01-01"),
                Until::Decommissioned,
                end,
                180
            )]
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
    /// `(key, status)` of every required rotation of the identity `id`, and whether its age
    /// before the first rotation is not evidenced.
    fn due_of(c: &Content, id: &str) -> (Vec<(String, DueStatus)>, bool) {
        let r = review(c, c.index(), period());
        let idn = r.iter().find(|x| x.identity.id == id).unwrap();
        let due = idn.due.iter().map(|d| (d.key(), d.status)).collect();
        (due, idn.age_not_evidenced)
    }

    fn due(list: &[(&str, DueStatus)]) -> Vec<(String, DueStatus)> {
        list.iter().map(|(k, s)| (k.to_string(), *s)).collect()
    }

    #[test]
    fn every_required_rotation_is_an_item_with_its_due_date() {
        let mut c = Content::default();
        c.identities
            .push(identity("old", "2025-10-01", Some(90), None));
        c.identities
            .push(identity("new", "2026-01-15", Some(30), None));
        for (id, who, day) in [
            ("R0", "old", "2026-01-10"),
            ("R1", "old", "2026-04-25"),
            ("R2", "new", "2026-02-14"),
            ("R3", "new", "2026-03-20"),
        ] {
            c.evidence
                .push(record(id, who, EvidenceKind::Rotation, day));
        }
        // old: no rotation before the period, so its age counts from 2026-01-01: due 04-01, met
        // on 01-10 but never on time; then due 04-10 (90 days after 01-10), rotated 04-25:
        // late; then due 07-24, after the period: not required.
        assert_eq!(
            due_of(&c, "old"),
            (
                due(&[
                    ("old:2026-04-01", DueStatus::AgeNotEvidenced(0)),
                    ("old:2026-04-10", DueStatus::Late(1)),
                ]),
                true
            )
        );
        // new: created 01-15, due 02-14 and rotated that day (on time); due 03-16, rotated 03-20
        // (late); due 04-19, not rotated by 06-30: overdue, one item.
        assert_eq!(
            due_of(&c, "new"),
            (
                due(&[
                    ("new:2026-02-14", DueStatus::OnTime(2)),
                    ("new:2026-03-16", DueStatus::Late(3)),
                    ("new:2026-04-19", DueStatus::Overdue),
                ]),
                false
            )
        );
        let r = review(&c, c.index(), period());
        let new = r.iter().find(|x| x.identity.id == "new").unwrap();
        assert_eq!(
            new.overdue().map(DueRotation::key).as_deref(),
            Some("new:2026-04-19")
        );
        assert_eq!(
            new.due[2].describe(&c, d("2026-06-30")),
            "Rotation of new due 2026-04-19: overdue, not rotated by 2026-06-30 (72 days past its due date)."
        );
        assert_eq!(
            new.due[1].describe(&c, d("2026-06-30")),
            "Rotation of new due 2026-03-16: late, rotated 2026-03-20 (4 days after its due date)."
        );
        assert!(!new.due[0].is_deviation() && new.due[1].is_deviation());
        assert!(new.due[2].is_deviation() && r[1].due[0].is_deviation());
    }

    #[test]
    fn decommissioning_ends_the_obligation_inside_the_period_and_on_its_last_day() {
        let mut c = Content::default();
        // Decommissioned on its due date: the credential never got older than allowed.
        c.identities.push(identity(
            "on-due",
            "2026-01-01",
            Some(59),
            Some("2026-03-01"),
        ));
        // Decommissioned the day after its due date: overdue until then.
        c.identities.push(identity(
            "day-after",
            "2026-01-01",
            Some(58),
            Some("2026-03-01"),
        ));
        // Decommissioned on the period's last day, due the day before: overdue until
        // decommissioned, not overdue at the end of the period.
        c.identities.push(identity(
            "last-day",
            "2026-05-01",
            Some(59),
            Some("2026-06-30"),
        ));
        // Due on the period's last day and not decommissioned: not yet required.
        c.identities
            .push(identity("due-last", "2026-05-01", Some(60), None));
        // Due the day before the period's last day: overdue.
        c.identities
            .push(identity("due-before", "2026-05-01", Some(59), None));
        // Created after the period, or gone before it: nothing required.
        c.identities
            .push(identity("later", "2026-07-01", Some(1), None));
        c.identities
            .push(identity("gone", "2025-01-01", Some(1), Some("2025-12-31")));
        assert_eq!(due_of(&c, "on-due").0, []);
        assert_eq!(
            due_of(&c, "day-after").0,
            due(&[(
                "day-after:2026-02-28",
                DueStatus::OverdueUntilDecommissioned
            )])
        );
        assert_eq!(
            due_of(&c, "last-day").0,
            due(&[("last-day:2026-06-29", DueStatus::OverdueUntilDecommissioned)])
        );
        assert_eq!(due_of(&c, "due-last").0, []);
        assert_eq!(
            due_of(&c, "due-before").0,
            due(&[("due-before:2026-06-29", DueStatus::Overdue)])
        );
        assert_eq!(due_of(&c, "later"), (vec![], false));
        assert_eq!(due_of(&c, "gone"), (vec![], false));
        let r = review(&c, c.index(), period());
        let x = r.iter().find(|x| x.identity.id == "day-after").unwrap();
        assert!(
            x.overdue().is_none(),
            "decommissioned, not overdue at the end"
        );
        assert!(x.due[0]
            .describe(&c, d("2026-06-30"))
            .ends_with("overdue, not rotated before the identity was decommissioned."));
    }

    #[test]
    fn history_before_the_period_moves_the_age_and_a_due_date_before_it_can_be_an_item() {
        let mut c = Content::default();
        c.identities
            .push(identity("svc", "2024-01-01", Some(30), None));
        c.identities
            .push(identity("first-day", "2024-01-01", Some(200), None));
        c.identities
            .push(identity("quiet", "2024-01-01", Some(365), None));
        for (id, who, day) in [
            ("H0", "svc", "2025-05-10"),
            ("H1", "svc", "2025-06-01"),
            ("R0", "svc", "2026-02-01"),
            ("R1", "svc", "2026-02-01"),
            ("F0", "first-day", "2026-01-01"),
        ] {
            c.evidence
                .push(record(id, who, EvidenceKind::Rotation, day));
        }
        // svc: rotated on time before the period (history, no item); due 2025-07-01, rotated
        // 2026-02-01: late, an item of the period although its due date is before it; a second
        // rotation the same day adds nothing; then due 03-03: overdue.
        assert_eq!(
            due_of(&c, "svc"),
            (
                due(&[
                    ("svc:2025-07-01", DueStatus::Late(2)),
                    ("svc:2026-03-03", DueStatus::Overdue),
                ]),
                false
            )
        );
        // Rotated on the period's first day: its age is evidenced from then on.
        assert_eq!(due_of(&c, "first-day"), (vec![], false));
        // No rotation on record at all: the credential created in 2024 was due a year later
        // and is overdue (an item of the period although its due date is before it).
        assert_eq!(
            due_of(&c, "quiet"),
            (due(&[("quiet:2024-12-31", DueStatus::Overdue)]), false)
        );
        let r = review(&c, c.index(), period());
        assert!(r.iter().find(|x| x.identity.id == "svc").unwrap().due[0]
            .describe(&c, d("2026-06-30"))
            .contains("rotated 2026-02-01 (215 days after its due date)"));
    }

    #[test]
    fn boundaries_of_the_first_rotation_and_of_the_last_day() {
        let mut c = Content::default();
        // Created before the period, first rotated exactly rotation_days later: on time from
        // its creation, not counted from the period's start (one day more would be).
        c.identities
            .push(identity("edge", "2025-12-11", Some(30), None));
        // Created on the period's first day and first rotated late: its age is evidenced from
        // its creation, so the late rotation is not also "age not evidenced".
        c.identities
            .push(identity("born-first-day", "2026-01-01", Some(30), None));
        // Due on the period's last day and rotated that day: not yet required in the period.
        c.identities
            .push(identity("due-end", "2026-06-01", Some(29), None));
        for (id, who, day) in [
            ("E0", "edge", "2026-01-10"),
            ("B0", "born-first-day", "2026-02-15"),
            ("D0", "due-end", "2026-06-30"),
        ] {
            c.evidence
                .push(record(id, who, EvidenceKind::Rotation, day));
        }
        assert_eq!(
            due_of(&c, "edge"),
            (
                due(&[
                    ("edge:2026-01-10", DueStatus::OnTime(0)),
                    ("edge:2026-02-09", DueStatus::Overdue),
                ]),
                false
            )
        );
        assert_eq!(
            due_of(&c, "born-first-day"),
            (
                due(&[
                    ("born-first-day:2026-01-31", DueStatus::Late(1)),
                    ("born-first-day:2026-03-17", DueStatus::Overdue),
                ]),
                false
            )
        );
        assert_eq!(due_of(&c, "due-end"), (vec![], false));
    }

    #[test]
    fn statuses_name_their_rotation_and_label() {
        let all = [
            (DueStatus::OnTime(3), Some(3), "on time"),
            (
                DueStatus::AgeNotEvidenced(4),
                Some(4),
                "age before the first rotation not evidenced",
            ),
            (DueStatus::Late(5), Some(5), "late"),
            (DueStatus::Overdue, None, "overdue"),
            (
                DueStatus::OverdueUntilDecommissioned,
                None,
                "overdue until decommissioned",
            ),
        ];
        for (status, rotation, label) in all {
            assert_eq!((status.rotation(), status.label()), (rotation, label));
        }
    }

    #[test]
    fn a_review_approved_or_else_performed_by_the_owner_lacks_segregation_of_duties() {
        let mut c = Content::default();
        // Both identities are owned by sven, who performs every record of `record`.
        c.identities.push(identity("svc", "2026-01-01", None, None));
        for (id, approver) in [("A0", None), ("A1", Some("amara")), ("A2", Some("sven"))] {
            let mut r = record(id, "svc", EvidenceKind::AccessReview, "2026-03-31");
            r.value.approved_by = approver.map(str::to_string);
            c.evidence.push(r);
        }
        assert_eq!(reviewer(&c.evidence[0].value), "sven", "the performer");
        assert_eq!(reviewer(&c.evidence[1].value), "amara", "the approver");
        let r = review(&c, c.index(), period());
        assert_eq!(r[0].access_reviews, [0, 1, 2]);
        assert_eq!(r[0].reviews_by_owner(&c).collect::<Vec<_>>(), [0, 2]);
    }
}
