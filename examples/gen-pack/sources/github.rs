//! `gh pr list --json number,title,url,author,createdAt,mergedAt,mergedBy,baseRefName,reviews`
//! of a repository's merged pull requests, with the bot approvals, self-approvals, approvals
//! after the merge and unreviewed merges the `github-pulls` attribute tests look for.

use std::fmt::Write as _;
use std::io::{self, Write};

use chrono::{NaiveDateTime, TimeDelta};

use super::{blocks, row_time};
use crate::records::{github_login, Registry};
use crate::rng::{stream_key, Rng};
use crate::text::{sentence, SYSTEMS};
use crate::Params;

/// A GitHub GraphQL node id: a type prefix and 16 base62 characters.
fn node_id(prefix: &str, r: &mut Rng) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut s = String::from(prefix);
    for _ in 0..16 {
        s.push(ALPHABET[r.below(ALPHABET.len())] as char);
    }
    s
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).expect("a string always serialises")
}

/// `gh pr list --json …` output: one JSON array on one line (gh writes compact JSON when its
/// output is not a terminal), newest pull request first, keys in the order Go writes a map
/// (sorted), authors as gh marshals them (`is_bot`, bots as `app/<name>`).
pub(super) fn write(w: &mut dyn Write, p: &Params, reg: &Registry, rows: usize) -> io::Result<()> {
    let people = reg.people.len();
    let logins: Vec<String> = (0..people).map(|i| github_login(&reg.people, i)).collect();
    let ids: Vec<String> = (0..people)
        .map(|i| {
            node_id(
                "U_kgDO",
                &mut Rng::item(stream_key(&p.seed, "github-users"), i as u64),
            )
        })
        .collect();
    let user = |i: usize| {
        format!(
            "{{\"id\":{},\"is_bot\":false,\"login\":{},\"name\":{}}}",
            json_str(&ids[i]),
            json_str(&logins[i]),
            json_str(&reg.people[i].name)
        )
    };
    let stamp = |t: NaiveDateTime| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    w.write_all(b"[")?;
    blocks(w, &p.seed, "source-github", rows, |j, r, out| {
        // Output position j holds the (rows - 1 - j)-th pull request in time.
        let k = rows - 1 - j;
        let merged = row_time(p, k, rows, r);
        let created = merged - TimeDelta::seconds(r.range(1800, 5 * 86_400));
        let bot = r.chance(0.05);
        let (author, other) = r.two(people);
        let review = |r: &mut Rng, login: &str, state: &str, at: NaiveDateTime| {
            let mut oid = String::with_capacity(40);
            for _ in 0..5 {
                let _ = write!(oid, "{:08x}", r.next_u64() as u32);
            }
            format!(
                "{{\"id\":{},\"author\":{{\"login\":{}}},\"authorAssociation\":\"MEMBER\",\"body\":\"\",\
                 \"submittedAt\":{},\"includesCreatedEdit\":false,\"reactionGroups\":[],\"state\":\"{state}\",\
                 \"commit\":{{\"oid\":\"{oid}\"}}}}",
                json_str(&node_id("PRR_kwDO", r)),
                json_str(login),
                json_str(&stamp(at))
            )
        };
        let before = |r: &mut Rng| merged - TimeDelta::seconds(r.range(30, 1500));
        let mut reviews = Vec::new();
        if bot {
            // A dependency bump approved by a bot only.
            let at = before(r);
            reviews.push(review(r, "renovate-approve", "APPROVED", at));
        } else {
            if r.chance(0.3) {
                let at = created + TimeDelta::seconds(r.range(60, 1200));
                reviews.push(review(r, &logins[other], "COMMENTED", at));
            }
            match r.below(100) {
                0..=1 => {
                    let at = before(r);
                    reviews.push(review(r, &logins[author], "APPROVED", at)); // self-approval
                }
                2..=3 => {
                    let at = merged + TimeDelta::seconds(r.range(300, 36_000));
                    reviews.push(review(r, &logins[other], "APPROVED", at)); // after the merge
                }
                4 => {
                    let at = before(r);
                    reviews.push(review(r, &logins[other], "DISMISSED", at));
                }
                5..=6 => {} // merged without review
                _ => {
                    let at = before(r);
                    reviews.push(review(r, &logins[other], "APPROVED", at));
                }
            }
        }
        let (author_json, title) = if bot {
            let pkg = r.pick(&["serde", "tokio", "axios", "lodash", "react", "boto3"]);
            let (a, b) = (r.range(1, 9), r.range(0, 30));
            (
                "{\"is_bot\":true,\"login\":\"app/dependabot\"}".to_string(),
                format!("Bump {pkg} from {a}.{b}.0 to {a}.{}.0", b + 1),
            )
        } else {
            let area = r.pick(&SYSTEMS);
            (user(author), format!("{area}: {}", sentence(r, 6, None)))
        };
        let merger = if bot {
            other
        } else {
            *r.pick(&[author, other, other])
        };
        let base = if r.chance(0.05) {
            "release/2026.1"
        } else {
            "main"
        };
        let number = 1000 + k + 1;
        if j > 0 {
            out.push(b',');
        }
        let _ = write!(
            out,
            "{{\"author\":{author_json},\"baseRefName\":\"{base}\",\"createdAt\":{},\"mergedAt\":{},\
             \"mergedBy\":{},\"number\":{number},\"reviews\":[{}],\"title\":{},\
             \"url\":\"https://github.com/example/platform/pull/{number}\"}}",
            json_str(&stamp(created)),
            json_str(&stamp(merged)),
            user(merger),
            reviews.join(","),
            json_str(&title)
        );
    })?;
    w.write_all(b"]\n")
}
