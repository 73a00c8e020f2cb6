//! Code hosting, package registries and developer tools: GitHub, GitLab, Atlassian, npm, PyPI,
//! Postman.

use super::{assign, Check, Reach, Spec};

/// GitHub personal access token (classic), `ghp_` + 36 base62 chars.
///
/// Sources: GitHub secret scanning token formats ("Behind GitHub's new authentication token
/// formats": prefix, 30 random chars, 6-char CRC32 checksum); gitleaks rule `github-pat`.
pub(super) const GITHUB_PAT: Spec = Spec {
    id: "github-pat",
    name: "GitHub personal access token",
    pattern: r"ghp_[0-9A-Za-z]{36}",
    group: 0,
    keywords: &["ghp_"],
    check: Check::Token(3.0),
    reach: Reach::Line,
};

/// GitHub fine-grained personal access token, `github_pat_` + 82 chars (22 + `_` + 59).
///
/// Sources: GitHub secret scanning token formats; gitleaks rule `github-fine-grained-pat`.
pub(super) const GITHUB_FINE_GRAINED_PAT: Spec = Spec {
    id: "github-fine-grained-pat",
    name: "GitHub fine-grained personal access token",
    pattern: r"github_pat_[0-9A-Za-z_]{82}",
    group: 0,
    keywords: &["github_pat_"],
    check: Check::Token(3.0),
    reach: Reach::Line,
};

/// GitHub OAuth access token, `gho_` + 36 base62 chars.
///
/// Sources: GitHub secret scanning token formats; gitleaks rule `github-oauth`.
pub(super) const GITHUB_OAUTH: Spec = Spec {
    id: "github-oauth",
    name: "GitHub OAuth access token",
    pattern: r"gho_[0-9A-Za-z]{36}",
    group: 0,
    keywords: &["gho_"],
    check: Check::Token(3.0),
    reach: Reach::Line,
};

/// GitHub App user-to-server (`ghu_`) or installation / server-to-server (`ghs_`) token.
///
/// Sources: GitHub secret scanning token formats; gitleaks rule `github-app-token`.
pub(super) const GITHUB_APP_TOKEN: Spec = Spec {
    id: "github-app-token",
    name: "GitHub App token",
    pattern: r"(?:ghu|ghs)_[0-9A-Za-z]{36}",
    group: 0,
    keywords: &["ghu_", "ghs_"],
    check: Check::Token(3.0),
    reach: Reach::Line,
};

/// GitHub App refresh token, `ghr_` + 36 (current) up to 76 (older) base62 chars.
///
/// Sources: GitHub secret scanning token formats; gitleaks rule `github-refresh-token`.
pub(super) const GITHUB_REFRESH_TOKEN: Spec = Spec {
    id: "github-refresh-token",
    name: "GitHub refresh token",
    pattern: r"ghr_[0-9A-Za-z]{36,76}",
    group: 0,
    keywords: &["ghr_"],
    check: Check::Token(3.0),
    reach: Reach::Line,
};

/// GitLab personal access token, `glpat-` + 20 chars, or the newer routable form
/// (`glpat-` + 27..300 chars + `.` + 9 chars).
///
/// Sources: gitleaks rules `gitlab-pat` and `gitlab-pat-routable`; detect-secrets
/// `GitLabTokenDetector`.
pub(super) const GITLAB_PAT: Spec = Spec {
    id: "gitlab-pat",
    name: "GitLab personal access token",
    pattern: r"glpat-[0-9A-Za-z_-]{20,300}(?:\.[0-9a-z]{9})?",
    group: 0,
    keywords: &["glpat-"],
    check: Check::Token(3.0),
    reach: Reach::Line,
};

/// Atlassian (Jira, Confluence, Bitbucket) API token: the current form `ATATT3` + 186 chars
/// anywhere, or the older 24-char token assigned to a name with `atlassian`, `confluence` or
/// `jira` and `token`, `key`, `secret`, `pass` or `pat` (`JIRA_API_TOKEN=…`).
///
/// Sources: gitleaks rule `atlassian-api-token`; trufflehog `jiratoken` v1 and v2 detectors;
/// Atlassian Support, "Manage API tokens for your Atlassian account".
pub(super) const ATLASSIAN_API_TOKEN: Spec = Spec {
    id: "atlassian-api-token",
    name: "Atlassian API token",
    pattern: concat!(
        r"(?i)(?-u:\b)(?:[a-z0-9_.-]{0,30}?(?:atlassian|confluence|jira)[a-z0-9_.-]{0,20}?(?:token|key|secret|pass(?:word)?|pat)s?",
        assign!(),
        r"([a-z0-9]{24})(?:[^a-z0-9]|$)|(?-u:\b)(?-i:(ATATT3[A-Za-z0-9_=-]{186}))(?:[^A-Za-z0-9_=-]|$))"
    ),
    group: 1,
    keywords: &["atatt3", "atlassian", "confluence", "jira"],
    check: Check::Token(3.5),
    reach: Reach::NextLine,
};

/// npm access token (granular, automation, publish), `npm_` + 36 base62 chars.
///
/// Sources: GitHub blog, "npm access tokens now have a prefix" (`npm_`, 30 random chars and a
/// CRC32 checksum, as GitHub's own); gitleaks rule `npm-access-token`; trufflehog `npmtokenv2`.
pub(super) const NPM_TOKEN: Spec = Spec {
    id: "npm-access-token",
    name: "npm access token",
    pattern: r"(?-u:\b)(npm_[A-Za-z0-9]{36})(?:[^A-Za-z0-9_]|$)",
    group: 1,
    keywords: &["npm_"],
    check: Check::Token(3.0),
    reach: Reach::Line,
};

/// PyPI API (upload) token: `pypi-` and a macaroon whose first bytes encode `pypi.org`
/// (`AgEIcHlwaS5vcmc`), 50 or more chars in all.
///
/// Sources: PyPI help, "API tokens" (the `pypi-` prefix); gitleaks rule `pypi-upload-token`;
/// trufflehog `pypi`.
pub(super) const PYPI_TOKEN: Spec = Spec {
    id: "pypi-upload-token",
    name: "PyPI API token",
    pattern: r"(?-u:\b)pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,1000}",
    group: 0,
    keywords: &["pypi-ageichlwas5vcmc"],
    check: Check::Token(3.0),
    reach: Reach::Line,
};

/// Postman API key, `PMAK-` + 24 hex chars + `-` + 34 hex chars.
///
/// Sources: Postman Learning Center, "Generate and use Postman API keys" (`PMAK-`); gitleaks
/// rule `postman-api-token`; trufflehog `postman`.
pub(super) const POSTMAN_API_KEY: Spec = Spec {
    id: "postman-api-key",
    name: "Postman API key",
    pattern: r"(?-u:\b)(PMAK-[a-fA-F0-9]{24}-[a-fA-F0-9]{34})(?:[^A-Za-z0-9_-]|$)",
    group: 1,
    keywords: &["pmak-"],
    check: Check::Token(3.0),
    reach: Reach::Line,
};

#[cfg(test)]
mod tests {
    use crate::secrets::samples::*;

    #[test]
    fn github_tokens() {
        for (rule, prefix, len) in [
            ("github-pat", "ghp_", 36),
            ("github-oauth", "gho_", 36),
            ("github-app-token", "ghs_", 36),
            ("github-app-token", "ghu_", 36),
            ("github-refresh-token", "ghr_", 36),
        ] {
            let t = format!("{prefix}{}", fake(ALNUM, len, 1));
            assert_finds_in(rule, ASSIGNMENTS, "github", &t);
            assert_finds_in(rule, ANYWHERE, "github", &t);
            assert_placeholders_clean("github", prefix, len);
        }
        let fine = format!("github_pat_{}_{}", fake(ALNUM, 22, 2), fake(ALNUM, 59, 3));
        assert_finds_in("github-fine-grained-pat", ASSIGNMENTS, "github", &fine);
        assert_finds_in("github-fine-grained-pat", ANYWHERE, "github", &fine);
    }

    #[test]
    fn gitlab_pat() {
        let t = format!("glpat-{}", fake(URLSAFE, 20, 4));
        assert_finds_in("gitlab-pat", ASSIGNMENTS, "gitlab", &t);
        assert_finds_in("gitlab-pat", ANYWHERE, "gitlab", &t);
        assert_placeholders_clean("gitlab", "glpat-", 20);
    }

    #[test]
    fn atlassian_api_token() {
        let t = token("atlassian-api-token", 1);
        assert_finds_in("atlassian-api-token", ASSIGNMENTS, "atlassian", &t);
        assert_finds_in("atlassian-api-token", ANYWHERE, "atlassian", &t);
        // The older 24-char token needs a Jira, Confluence or Atlassian name.
        let old = fake("abcdefghijklmnopqrstuvwxyz0123456789", 24, 5);
        for identifier in ["jira", "confluence", "atlassian"] {
            assert_finds_in("atlassian-api-token", ASSIGNMENTS, identifier, &old);
        }
        assert_clean([
            format!("jira_issue_id = {old}"),
            format!("ticket {old} closed"),
            format!("build ATATT3{}", "x".repeat(186)),
            format!("log {t}x"),
        ]);
        assert_placeholders_clean("jira", "", 24);
    }

    #[test]
    fn npm_access_token() {
        let t = token("npm-access-token", 1);
        assert_finds_in("npm-access-token", ASSIGNMENTS, "npm", &t);
        assert_finds_in("npm-access-token", ANYWHERE, "npm", &t);
        assert_finds(
            "npm-access-token",
            &format!("//registry.npmjs.org/:_authToken={t}"),
            &t,
        );
        // One char more is not an npm token (and a log line gives no name for the generic rule).
        assert_clean([format!("build {t}Z done"), format!("build x{t} done")]);
        assert_placeholders_clean("npm", "npm_", 36);
    }

    #[test]
    fn pypi_upload_token() {
        let t = token("pypi-upload-token", 1);
        assert_finds_in("pypi-upload-token", ASSIGNMENTS, "pypi", &t);
        assert_finds_in("pypi-upload-token", ANYWHERE, "pypi", &t);
        assert_finds(
            "pypi-upload-token",
            &format!("[pypi]\nusername = __token__\npassword = {t}\n"),
            &t,
        );
        // Too short, or another index's macaroon.
        assert_clean([
            format!("log pypi-AgEIcHlwaS5vcmc{} end", fake(URLSAFE, 20, 6)),
            format!("log pypi-AgEIcHlwaS5leGFtcGxl{} end", fake(URLSAFE, 80, 7)),
        ]);
        assert_placeholders_clean("pypi", "pypi-AgEIcHlwaS5vcmc", 60);
    }

    #[test]
    fn postman_api_key() {
        let t = token("postman-api-key", 1);
        assert_finds_in("postman-api-key", ASSIGNMENTS, "postman", &t);
        assert_finds_in("postman-api-key", ANYWHERE, "postman", &t);
        assert_finds("postman-api-key", &format!("x-api-key: {t}"), &t);
        assert_clean([format!("log {t}0 end")]);
        assert_placeholders_clean("postman", "PMAK-", 59);
    }
}
