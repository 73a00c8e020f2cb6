//! Non-human identity records (`identities/*.yaml`): service accounts, keys, certificates.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{AccountNames, Classification, Extra};

/// Kind of non-human identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum IdentityKind {
    /// A service account.
    ServiceAccount,
    /// An API key.
    ApiKey,
    /// An OAuth application.
    OauthApp,
    /// An X.509 certificate.
    Certificate,
    /// An SSH key.
    SshKey,
    /// A bot account.
    Bot,
    /// A workload identity.
    Workload,
}

/// A non-human identity.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    /// Identity id, e.g. `svc-deploy`.
    pub id: String,
    /// What kind of identity.
    pub kind: IdentityKind,
    /// The system it lives in.
    pub system: String,
    /// The person accountable for it (never another identity).
    #[serde(default)]
    pub owner: Option<String>,
    /// What it is for (Markdown).
    #[serde(default)]
    pub description: Option<String>,
    /// When it was created.
    pub created_on: NaiveDate,
    /// Maximum age of a credential, in days.
    #[serde(default)]
    pub rotation_days: Option<u32>,
    /// When it was decommissioned.
    #[serde(default)]
    pub decommissioned_on: Option<NaiveDate>,
    /// Classification.
    #[serde(default)]
    pub classification: Classification,
    /// Free-form data for templates.
    #[serde(default)]
    pub extra: Extra,
    /// What the source systems call this identity (`aws-iam-user: ci-deployer`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub accounts: BTreeMap<String, AccountNames>,
}
