//! Evidence records: scheduled rotations of the non-human identities, then records drawn from
//! the controls by frequency (as gen-corpus.py draws them), their YAML files and the population
//! CSVs of a few event-driven controls.
//!
//! Only what other stages need (control, kind, date, identity) is kept per record; the rest of
//! a record (people, system, result, summary …) comes from the record's own random stream when
//! its file is written, so records are written in parallel and memory stays at a few bytes per
//! record.

use std::fmt::Write as _;
use std::io;

use chrono::{Datelike, Days, NaiveDate};
use rayon::prelude::*;

use crate::attachments::Plan as Attachments;
use crate::records::{days, Registry, FAMILIES, FREQUENCIES};
use crate::rng::{stream_key, Rng};
use crate::text::{capitalise, flow_list, scalar, sentence, Out, CLASSIFICATIONS, SYSTEMS};
use crate::Params;

/// Families whose controls rotate credentials (NHI, CR).
const ROTATING_FAMILIES: [&str; 2] = ["NHI", "CR"];

/// Kinds that concern a non-human identity.
const IDENTITY_KINDS: [&str; 3] = ["rotation", "access-review", "offboarding"];

/// What later stages need of one record.
#[derive(Clone, Copy)]
pub(crate) struct Record {
    /// Index of its control.
    pub(crate) control: u32,
    /// Its kind (`ticket`, `rotation` …).
    pub(crate) kind: &'static str,
    /// When it happened.
    pub(crate) day: NaiveDate,
    /// The identity it concerns.
    pub(crate) identity: Option<u32>,
}

impl Record {
    /// The record's id: `EV-2026-000042` for the 42nd record.
    pub(crate) fn id(&self, n: usize) -> String {
        format!("EV-{}-{:06}", self.day.year(), n + 1)
    }

    fn title(&self, reg: &Registry) -> String {
        format!(
            "{} for {} on {}",
            capitalise(&self.kind.replace('-', " ")),
            reg.controls[self.control as usize].id,
            self.day
        )
    }
}

/// The evidence of a pack.
pub(crate) struct Evidence {
    /// Every record, in id order.
    pub(crate) records: Vec<Record>,
    /// How many of them are scheduled rotations.
    pub(crate) rotations: usize,
    /// Each identity's last scheduled rotation (the AWS credential report's key dates).
    pub(crate) last_rotation: Vec<Option<NaiveDate>>,
}

/// Chooses every record's control, kind and date.
pub(crate) fn plan(p: &Params, reg: &Registry) -> Evidence {
    let (mut records, last_rotation) = rotations(p, reg);
    let rotations = records.len();
    let mut r = Rng::section(&p.seed, "evidence");
    let weights: Vec<u32> = reg
        .controls
        .iter()
        .map(|c| FREQUENCIES[c.frequency].2)
        .collect();
    let span = days(p) as usize + 1;
    while records.len() < p.evidence {
        let c = r.weighted(&weights);
        let family = reg.controls[c].family;
        let kind = *r.pick(FAMILIES[family].2);
        let day = p.start + Days::new(r.below(span) as u64);
        let identity = (IDENTITY_KINDS.contains(&kind)
            && ROTATING_FAMILIES.contains(&FAMILIES[family].0)
            && !reg.identities.is_empty())
        .then(|| r.below(reg.identities.len()) as u32);
        records.push(Record {
            control: c as u32,
            kind,
            day,
            identity,
        });
    }
    Evidence {
        records,
        rotations,
        last_rotation,
    }
}

/// Rotation records of every identity, each within its `rotation_days` of the previous one (or
/// of the period's start), so most identities are rotated on time; one identity in ten has
/// one late rotation. At most a quarter of the records are rotations.
fn rotations(p: &Params, reg: &Registry) -> (Vec<Record>, Vec<Option<NaiveDate>>) {
    let mut last = vec![None; reg.identities.len()];
    let controls: Vec<u32> = reg
        .controls
        .iter()
        .enumerate()
        .filter(|(_, c)| ROTATING_FAMILIES.contains(&FAMILIES[c.family].0))
        .map(|(i, _)| i as u32)
        .collect();
    let mut out = Vec::new();
    if controls.is_empty() {
        return (out, last);
    }
    let budget = p.evidence / 4;
    let mut r = Rng::section(&p.seed, "rotations");
    for (i, ident) in reg.identities.iter().enumerate() {
        let rd = ident.rotation_days;
        let mut late = r.chance(0.1);
        let mut day = p.start + Days::new(r.below(rd.min(days(p) + 1) as usize) as u64);
        while day <= p.end && out.len() < budget {
            out.push(Record {
                control: controls[out.len() % controls.len()],
                kind: "rotation",
                day,
                identity: Some(i as u32),
            });
            last[i] = Some(day);
            let interval = if late {
                late = false;
                rd + r.range(1, 20)
            } else {
                rd - r.range(0, rd / 6)
            };
            day = day + Days::new(interval as u64);
        }
    }
    (out, last)
}

/// Writes the records, `--per-file` to a file, in parallel.
pub(crate) fn write(
    out: &Out,
    p: &Params,
    reg: &Registry,
    ev: &Evidence,
    att: &Attachments,
) -> io::Result<()> {
    let key = stream_key(&p.seed, "evidence-detail");
    let per_file = p.per_file.max(1);
    ev.records
        .par_chunks(per_file)
        .enumerate()
        .try_for_each(|(chunk, records)| {
            let first = chunk * per_file;
            let mut s = String::with_capacity(records.len() * 700);
            for (k, rec) in records.iter().enumerate() {
                let n = first + k;
                let yaml = record_yaml(p, reg, rec, n, &mut Rng::item(key, n as u64), att);
                if per_file == 1 {
                    s.push_str(&yaml);
                } else {
                    // A list item: indent every line but the first by two spaces.
                    for (i, line) in yaml.lines().enumerate() {
                        s.push_str(if i == 0 { "- " } else { "  " });
                        s.push_str(line);
                        s.push('\n');
                    }
                }
            }
            let head = records[0];
            let name = if per_file == 1 {
                head.id(first)
            } else {
                format!("batch-{:06}", chunk + 1)
            };
            let rel = format!(
                "evidence/{}/{:02}/{name}.yaml",
                head.day.year(),
                head.day.month()
            );
            out.write(&rel, s.as_bytes())
        })
}

fn record_yaml(
    p: &Params,
    reg: &Registry,
    rec: &Record,
    n: usize,
    r: &mut Rng,
    att: &Attachments,
) -> String {
    let control = &reg.controls[rec.control as usize].id;
    let (performer, approver) = r.two(reg.people.len());
    let identity = rec.identity.map(|i| &reg.identities[i as usize]);
    let system = match identity {
        Some(ident) if rec.kind == "rotation" => ident.system,
        _ => *r.pick(&SYSTEMS),
    };
    let mut s = String::with_capacity(640);
    let _ = writeln!(
        s,
        "id: {}\ncontrols: [{control}]\nkind: {}\ntitle: {}\noccurred_on: {}",
        rec.id(n),
        rec.kind,
        scalar(&rec.title(reg)),
        rec.day
    );
    let _ = writeln!(
        s,
        "performed_by: {}\napproved_by: {}\nsystem: {system}",
        scalar(&reg.people[performer].id),
        scalar(&reg.people[approver].id)
    );
    if let Some(ident) = identity {
        let _ = writeln!(s, "identity: {}", ident.id);
    }
    let _ = writeln!(
        s,
        "source: \"https://tickets.example.test/browse/SEC-{}\"",
        n + 1
    );
    if r.chance(0.02) {
        let fixed = (rec.day + Days::new(r.range(1, 20) as u64)).min(p.end);
        let _ = writeln!(
            s,
            "result: exception\nexception:\n  description: {}\n  management_response: {}\n  remediated_on: {fixed}",
            scalar(&sentence(r, 10, None)),
            scalar(&sentence(r, 10, None))
        );
    } else {
        s.push_str("result: pass\n");
    }
    let _ = writeln!(s, "classification: {}", r.pick(&CLASSIFICATIONS));
    let paths = att.paths_of(n, rec);
    if !paths.is_empty() {
        let _ = writeln!(s, "attachments: {}", flow_list(&paths));
    }
    let link = format!("[{control}](control:{control})");
    let words = r.range(8, 18) as usize;
    let _ = writeln!(s, "summary: {}", scalar(&sentence(r, words, Some(&link))));
    s
}

/// Writes `populations/<control>.csv` for up to `--populations` event-driven controls not in
/// `taken` (a control draws its population from one place only). Each row is one of the
/// control's records, so every sampled occurrence has its evidence. Returns the rows written.
pub(crate) fn write_populations(
    out: &Out,
    p: &Params,
    reg: &Registry,
    ev: &Evidence,
    taken: &[usize],
) -> io::Result<usize> {
    let mut rows_written = 0;
    let mut chosen = 0;
    for (c, control) in reg.controls.iter().enumerate() {
        if chosen == p.populations {
            break;
        }
        let event_driven = matches!(
            FREQUENCIES[control.frequency].0,
            "on-event" | "multiple-daily"
        );
        if !event_driven || taken.contains(&c) {
            continue;
        }
        let mut rows: Vec<(NaiveDate, usize)> = ev
            .records
            .iter()
            .enumerate()
            .filter(|(_, r)| r.control as usize == c)
            .map(|(n, r)| (r.day, n))
            .collect();
        if rows.is_empty() {
            continue;
        }
        rows.sort_unstable();
        let mut w =
            csv::Writer::from_writer(out.create(&format!("populations/{}.csv", control.id))?);
        w.write_record(["id", "occurred_on", "title"])?;
        for &(day, n) in &rows {
            let rec = &ev.records[n];
            w.write_record([rec.id(n), day.to_string(), rec.title(reg)])?;
        }
        out.finish(w.into_inner().map_err(|e| e.into_error())?)?;
        rows_written += rows.len();
        chosen += 1;
    }
    Ok(rows_written)
}
