//! `github-pulls`: the JSON array that `gh pr list --json
//! number,title,url,author,createdAt,mergedAt,mergedBy,baseRefName,reviews` prints.
//!
//! The shapes follow gh's own source (cli/cli `api/queries_pr.go`, `api/queries_issue.go`,
//! `api/query_builder.go`, `api/export_pr.go`): `author` and `mergedBy` are
//! `{"id","is_bot","login","name"}`, and a GitHub App (Dependabot, a merge queue) is
//! `{"is_bot":true,"login":"app/dependabot"}`; a deleted account is `mergedBy: null` (an author
//! reads as `{"is_bot":true,"login":"app/"}`); each review is
//! `{"id","author":{"login"},"authorAssociation","body","submittedAt","includesCreatedEdit",
//! "reactionGroups","state","commit":{"oid"}}` where a review's author is spelled as GraphQL
//! spells it (a bot reviewer is `dependabot`, not `dependabot[bot]`); `state` is `APPROVED`,
//! `CHANGES_REQUESTED`, `COMMENTED`, `DISMISSED` or `PENDING`; timestamps are RFC 3339 UTC.
//! gh fetches the first 100 reviews of a pull request. Fields other than those used here
//! (`headRefName`, `reviewDecision`, `labels`, `body` …) may be present and are skipped
//! without being held in memory.
//!
//! An item is a merged pull request (`mergedAt` set), keyed `<repository>#<number>` from its
//! `url`, dated by `mergedAt` (UTC). Pull requests that were not merged are read and counted
//! but are not items.

mod attributes;
mod parse;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use attributes::test;
pub(crate) use parse::stream;
pub use parse::{parse, Account, PullFacts, Review, ReviewState};

/// `options:` of a `github-pulls` source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// Independent approvals required before the merge (default 1).
    #[serde(default = "one", deserialize_with = "super::decl::at_least_one")]
    pub min_approvals: u32,
    /// Base branches a pull request may be merged into; empty allows any. A trailing `*`
    /// matches any suffix (`release/*`).
    #[serde(default)]
    pub base_branches: Vec<String>,
}

fn one() -> u32 {
    1
}

impl Default for Options {
    fn default() -> Options {
        Options {
            min_approvals: 1,
            base_branches: Vec::new(),
        }
    }
}
