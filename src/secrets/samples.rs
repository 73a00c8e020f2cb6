//! Fake credentials for the tests, generated from each rule's documented shape, so that no
//! real-looking secret sits literally in the repository.

use super::Finding;

pub(super) const UPPER_NUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
pub(super) const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
pub(super) const B64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
pub(super) const URLSAFE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
pub(super) const DIGITS: &str = "0123456789";
pub(super) const HEXDIGITS: &str = "0123456789abcdef";

/// Deterministic pseudo-random text, so no real-looking secret sits literally in the repo.
pub(super) fn fake(alphabet: &str, len: usize, seed: u64) -> String {
    let chars: Vec<char> = alphabet.chars().collect();
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            chars[(x % chars.len() as u64) as usize]
        })
        .collect()
}

/// (rule id, text before the secret on its line, secret, text after it).
pub(super) fn samples() -> Vec<(&'static str, String, String, String)> {
    let pem_body: Vec<String> = (0..4).map(|i| fake(B64, 64, 100 + i)).collect();
    let pem = format!(
        "-----BEGIN {kind} PRIVATE KEY-----\n{}\n{}\n-----END {kind} PRIVATE KEY-----",
        pem_body[..3].join("\n"),
        &pem_body[3][..24],
        kind = "RSA"
    );
    vec![
        (
            "aws-access-key-id",
            "Break-glass role key: ".into(),
            format!("AKIA{}", fake(UPPER_NUM, 16, 1)),
            " (disabled)".into(),
        ),
        (
            "aws-access-key-id",
            "aws_access_key_id = ".into(),
            format!("ASIA{}", fake(UPPER_NUM, 16, 2)),
            String::new(),
        ),
        (
            "aws-secret-access-key",
            "aws_secret_access_key = ".into(),
            fake(B64, 40, 3),
            String::new(),
        ),
        (
            "aws-secret-access-key",
            "  \"SecretAccessKey\": \"".into(),
            fake(B64, 40, 4),
            "\",".into(),
        ),
        (
            "github-pat",
            "export GH_TOKEN=".into(),
            format!("ghp_{}", fake(ALNUM, 36, 5)),
            String::new(),
        ),
        (
            "github-fine-grained-pat",
            "token: ".into(),
            format!("github_pat_{}_{}", fake(ALNUM, 22, 6), fake(ALNUM, 59, 7)),
            String::new(),
        ),
        (
            "github-oauth",
            "oauth ".into(),
            format!("gho_{}", fake(ALNUM, 36, 8)),
            String::new(),
        ),
        (
            "github-app-token",
            "installation token ".into(),
            format!("ghs_{}", fake(ALNUM, 36, 9)),
            String::new(),
        ),
        (
            "github-app-token",
            "user token ".into(),
            format!("ghu_{}", fake(ALNUM, 36, 10)),
            String::new(),
        ),
        (
            "github-refresh-token",
            "refresh: ".into(),
            format!("ghr_{}", fake(ALNUM, 36, 11)),
            String::new(),
        ),
        (
            "gitlab-pat",
            "GITLAB_TOKEN=".into(),
            format!("glpat-{}", fake(URLSAFE, 20, 12)),
            String::new(),
        ),
        (
            "slack-bot-token",
            "bot: ".into(),
            format!(
                "xoxb-{}-{}-{}",
                fake(DIGITS, 11, 13),
                fake(DIGITS, 12, 14),
                fake(ALNUM, 24, 15)
            ),
            String::new(),
        ),
        (
            "slack-user-token",
            "user: ".into(),
            format!(
                "xoxp-{}-{}-{}-{}",
                fake(DIGITS, 11, 16),
                fake(DIGITS, 11, 17),
                fake(DIGITS, 12, 18),
                fake(HEXDIGITS, 32, 19)
            ),
            String::new(),
        ),
        (
            "slack-legacy-token",
            "app token ".into(),
            format!("xoxa-2-{}", fake(ALNUM, 40, 20)),
            String::new(),
        ),
        (
            "slack-legacy-token",
            "refresh ".into(),
            format!("xoxr-{}", fake(ALNUM, 32, 21)),
            String::new(),
        ),
        (
            "slack-webhook-url",
            "Alerts go to ".into(),
            format!(
                "https://hooks.slack.com/services/T{}/B{}/{}",
                fake(UPPER_NUM, 8, 22),
                fake(UPPER_NUM, 10, 23),
                fake(ALNUM, 24, 24)
            ),
            " every hour.".into(),
        ),
        (
            "stripe-live-key",
            "STRIPE_SECRET_KEY=".into(),
            format!("sk_live_{}", fake(ALNUM, 24, 25)),
            String::new(),
        ),
        (
            "stripe-live-key",
            "restricted: ".into(),
            format!("rk_live_{}", fake(ALNUM, 24, 26)),
            String::new(),
        ),
        (
            "google-api-key",
            "maps key ".into(),
            format!("AIza{}", fake(URLSAFE, 35, 27)),
            String::new(),
        ),
        (
            "openai-api-key",
            "OPENAI_API_KEY=".into(),
            format!(
                "sk-proj-{}T3BlbkFJ{}",
                fake(URLSAFE, 74, 28),
                fake(URLSAFE, 74, 29)
            ),
            String::new(),
        ),
        (
            "openai-api-key",
            "legacy ".into(),
            format!("sk-{}T3BlbkFJ{}", fake(ALNUM, 20, 30), fake(ALNUM, 20, 31)),
            String::new(),
        ),
        (
            "azure-storage-account-key",
            "DefaultEndpointsProtocol=https;AccountName=auditlogs;AccountKey=".into(),
            format!("{}==", fake(B64, 86, 32)),
            ";EndpointSuffix=core.windows.net".into(),
        ),
        (
            "azure-storage-account-key",
            "azure_storage_key: ".into(),
            format!("{}==", fake(B64, 86, 33)),
            String::new(),
        ),
        ("private-key", "key: |\n".into(), pem, "\n".into()),
        (
            "jwt",
            "Authorization: Bearer ".into(),
            format!(
                "eyJ{}.eyJ{}.{}",
                fake(URLSAFE, 33, 34),
                fake(URLSAFE, 60, 35),
                fake(URLSAFE, 43, 36)
            ),
            String::new(),
        ),
        (
            "url-password",
            "DATABASE_URL=postgres://reporting:".into(),
            fake(ALNUM, 20, 37),
            "@db.internal.northwind.example:5432/app".into(),
        ),
        (
            "url-password",
            "git remote: https://ci-bot:".into(),
            fake(ALNUM, 12, 38),
            "@git.northwind.example/platform.git".into(),
        ),
        (
            "generic-secret",
            "db_password: ".into(),
            fake(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#%^&*+=?",
                24,
                37,
            ),
            String::new(),
        ),
        (
            "generic-secret",
            "--api-key=".into(),
            fake(ALNUM, 32, 38),
            " --verbose".into(),
        ),
        (
            "generic-secret",
            "  \"client_secret\": \"".into(),
            fake(URLSAFE, 40, 39),
            "\"".into(),
        ),
        (
            "generic-secret",
            "SECRET=".into(),
            fake(HEXDIGITS, 64, 40),
            String::new(),
        ),
    ]
}

pub(super) fn ids(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.rule_id).collect()
}
