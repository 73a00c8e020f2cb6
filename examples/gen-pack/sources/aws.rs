//! The IAM credential report (`aws iam get-credential-report`, decoded).

use std::io::{self, Write};

use chrono::{Days, NaiveDate, NaiveDateTime, TimeDelta};

use super::{aws_identities, extracted_at};
use crate::evidence::Evidence;
use crate::records::Registry;
use crate::rng::Rng;
use crate::Params;

/// AWS documents a quota of 5,000 IAM users per account.
pub(super) const MAX_USERS: usize = 5000;
/// The AWS account of the report.
const ACCOUNT: &str = "400012345678";

/// The IAM credential report: the 22 columns AWS documents, the `<root_account>` row first,
/// then every user by name: people (console passwords, MFA, a few without) and the identities
/// that live in AWS (access keys dated by their last rotation; one stale second key, one key
/// unused for months).
pub(super) fn write(
    w: &mut dyn Write,
    p: &Params,
    reg: &Registry,
    ev: &Evidence,
) -> io::Result<()> {
    const HEADER: &str = "user,arn,user_creation_time,password_enabled,password_last_used,\
        password_last_changed,password_next_rotation,mfa_active,access_key_1_active,\
        access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,\
        access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,\
        access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,\
        cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";
    const NO_KEY: &str = "false,N/A,N/A,N/A,N/A";
    let mut r = Rng::section(&p.seed, "source-aws");
    let now = extracted_at(p);
    let ts = |t: NaiveDateTime| t.format("%Y-%m-%dT%H:%M:%S+00:00").to_string();
    let at = |d: NaiveDate, r: &mut Rng| {
        d.and_hms_opt(
            r.range(7, 19) as u32,
            r.range(0, 59) as u32,
            r.range(0, 59) as u32,
        )
        .expect("a valid time")
    };
    let mut rows: Vec<(String, String)> = Vec::new();
    for (i, person) in reg.people.iter().enumerate() {
        let created = at(p.start - Days::new(r.range(60, 1500) as u64), &mut r);
        let last_used = if r.chance(0.05) {
            "no_information".to_string()
        } else {
            ts(now - TimeDelta::seconds(r.range(600, 86_400 * 20)))
        };
        let mfa = i % 12 != 5; // one person in twelve has no MFA device
        let row = format!(
            "{},arn:aws:iam::{ACCOUNT}:user/{},{},true,{last_used},{},N/A,{mfa},{NO_KEY},{NO_KEY},false,N/A,false,N/A",
            person.id,
            person.id,
            ts(created),
            ts(created + TimeDelta::days(r.range(0, 40))),
        );
        rows.push((person.id.clone(), row));
    }
    for (n, &i) in aws_identities(reg).iter().enumerate() {
        let ident = &reg.identities[i];
        let rotated = at(ev.last_rotation[i].unwrap_or(ident.created_on), &mut r);
        let used = if n == 1 {
            ts(now - TimeDelta::days(r.range(120, 200))) // unused for months
        } else {
            ts(now - TimeDelta::seconds(r.range(60, 86_400 * 3)))
        };
        let region = r.pick(&["eu-west-2", "eu-west-1", "us-east-1"]);
        let service = r.pick(&["s3", "sts", "ecr", "secretsmanager", "dynamodb"]);
        let key2 = if n == 0 {
            // A second key left active long after the first replaced it.
            let old = rotated - TimeDelta::days(ident.rotation_days + r.range(30, 200));
            format!("true,{},N/A,N/A,N/A", ts(old))
        } else {
            NO_KEY.to_string()
        };
        let row = format!(
            "{},arn:aws:iam::{ACCOUNT}:user/{},{},false,N/A,N/A,N/A,false,true,{},{used},{region},{service},{key2},false,N/A,false,N/A",
            ident.id,
            ident.id,
            ts(at(ident.created_on, &mut r)),
            ts(rotated),
        );
        rows.push((ident.id.clone(), row));
    }
    rows.sort();
    rows.truncate(MAX_USERS);
    writeln!(w, "{}", HEADER.replace(' ', ""))?;
    writeln!(
        w,
        "<root_account>,arn:aws:iam::{ACCOUNT}:root,{},not_supported,{},not_supported,not_supported,true,{NO_KEY},{NO_KEY},false,N/A,false,N/A",
        ts(at(p.start - Days::new(2000), &mut r)),
        ts(now - TimeDelta::days(r.range(20, 80)))
    )?;
    for (_, row) in rows {
        writeln!(w, "{row}")?;
    }
    Ok(())
}
