//! Behaviour of [`scan`](super::scan) as callers see it: every rule fires where it should, at the
//! right place, and nothing else does.

use sha2::{Digest, Sha256};

use super::samples::*;
use super::*;

#[test]
fn every_rule_fires_on_a_fake_sample_at_the_right_place() {
    let mut covered: Vec<&str> = Vec::new();
    for (rule_id, before, secret, after) in samples() {
        // The secret starts on line 3 (a PEM sample's own "key: |" line adds one more), after a
        // non-ASCII character so that the column is checked in chars, not bytes.
        let text = format!("# Évidence\n\nÜ {before}{secret}{after}\nlast line\n");
        let findings = scan(&text);
        assert_eq!(
            ids(&findings),
            vec![rule_id],
            "{rule_id} on sample {text:?}"
        );
        let extra_lines = before.matches('\n').count();
        let line_prefix = before.rsplit('\n').next().unwrap_or("");
        let expected_col = if extra_lines == 0 {
            "Ü ".chars().count() + line_prefix.chars().count() + 1
        } else {
            line_prefix.chars().count() + 1
        };
        assert_eq!(
            (findings[0].line, findings[0].col),
            (3 + extra_lines, expected_col),
            "{rule_id} position"
        );
        assert_eq!(
            findings[0].rule_name,
            rules().iter().find(|r| r.id == rule_id).unwrap().name
        );
        covered.push(rule_id);
    }
    for rule in rules() {
        assert!(covered.contains(&rule.id), "no sample for {}", rule.id);
    }
}

#[test]
fn findings_never_contain_the_secret() {
    for (rule_id, before, secret, after) in samples() {
        let text = format!("{before}{secret}{after}");
        let findings = scan(&text);
        assert!(!findings.is_empty(), "{rule_id}");
        for f in &findings {
            let shown = [format!("{f}"), format!("{f:?}"), f.fingerprint.clone()];
            for s in &shown {
                assert!(!s.contains(&secret), "{rule_id}: {s}");
                // Not even a recognisable piece of it.
                for chunk in secret.as_bytes().chunks(12).filter(|c| c.len() == 12) {
                    let chunk = std::str::from_utf8(chunk).unwrap();
                    assert!(!s.contains(chunk), "{rule_id}: {s} contains {chunk}");
                }
            }
            assert!(f.fingerprint.starts_with("fp:") && f.fingerprint.len() == 19);
        }
    }
}

#[test]
fn display_is_line_col_name_id_fingerprint() {
    let secret = format!("ghp_{}", fake(ALNUM, 36, 50));
    let f = &scan(&format!("a\nb {secret}"))[0];
    assert_eq!(
        f.to_string(),
        format!(
            "2:3: GitHub personal access token (github-pat) {}",
            f.fingerprint
        )
    );
}

#[test]
fn fingerprints_are_stable_and_distinct() {
    let a = format!("ghp_{}", fake(ALNUM, 36, 60));
    let b = format!("ghp_{}", fake(ALNUM, 36, 61));
    let here = scan(&format!("token {a}"));
    let moved = scan(&format!("intro\n\n    moved: {a}\n"));
    assert_eq!(here[0].fingerprint, moved[0].fingerprint);
    assert_eq!(here[0].fingerprint, fingerprint("github-pat", &a));
    assert_ne!(fingerprint("github-pat", &a), fingerprint("github-pat", &b));
    assert_ne!(
        fingerprint("github-pat", &a),
        fingerprint("generic-secret", &a)
    );
    // "fp:" + first 16 hex chars of SHA-256("r:s").
    let digest = Sha256::digest(b"r:s");
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(fingerprint("r", "s"), format!("fp:{}", &hex[..16]));
}

#[test]
fn private_key_fingerprint_ignores_wrapping_and_line_ends() {
    let body = fake(B64, 128, 70);
    let begin = format!("-----BEGIN {}-----", "PRIVATE KEY");
    let end = format!("-----END {}-----", "PRIVATE KEY");
    let lf = format!("{begin}\n{}\n{}\n{end}\n", &body[..64], &body[64..]);
    let crlf = lf.replace('\n', "\r\n");
    let a = scan(&lf);
    let b = scan(&format!("prefix\r\n{crlf}"));
    assert_eq!(ids(&a), vec!["private-key"]);
    assert_eq!(a[0].fingerprint, b[0].fingerprint);
    assert_eq!((b[0].line, b[0].col), (2, 1));
}

#[test]
fn findings_are_in_position_order_and_generic_does_not_duplicate() {
    let gh = format!("ghp_{}", fake(ALNUM, 36, 80));
    let aws = format!("AKIA{}", fake(UPPER_NUM, 16, 81));
    let pw = fake(ALNUM, 20, 82);
    let text = format!("api_token: {gh}\npassword={pw}\nkey {aws} and {aws}\n");
    let findings = scan(&text);
    assert_eq!(
        ids(&findings),
        vec![
            "github-pat",
            "generic-secret",
            "aws-access-key-id",
            "aws-access-key-id"
        ]
    );
    let positions: Vec<(usize, usize)> = findings.iter().map(|f| (f.line, f.col)).collect();
    assert_eq!(positions, vec![(1, 12), (2, 10), (3, 5), (3, 30)]);
    assert_eq!(findings[2].fingerprint, findings[3].fingerprint);
}

#[test]
fn policy_prose_is_clean() {
    let prose = "\
## Access control and secrets management policy

Password rotation: every 90 days for break-glass accounts; passwords must be at least 16
characters. The secret management policy requires that application secrets live only in
HashiCorp Vault or AWS Secrets Manager, and that API keys, OAuth client secrets, access tokens,
session tokens and private keys are never stored in source code, tickets or chat. GitHub secret
scanning with push protection is enabled; Slack alerts go to #sec-alerts. A token: issued by Okta
expires after one hour. Our teams in Asia and Europe follow the same standard. JWT signing keys
are rotated annually; files beginning with -----BEGIN RSA PRIVATE KEY----- must never be
committed. See https://wiki.northwind.example/security/secrets-policy and
https://docs.github.com/en/code-security/secret-scanning for details.

| Control | Owner | Password policy |
|---|---|---|
| NHI-01 | tomasz | Minimum length 16, MFA required |

secret_rotation_days: 90
password_policy: strong-passwords-with-mfa-2026
token_ttl: 3600
api_key_owner: platform-team@northwind.io
client_secret_expires_at: 2026-09-30T00:00:00Z
secret_store: aws/secretsmanager/prod-eu-west-1
secrets_manager_arn: arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-Ab12Cd
token_endpoint: https://login.northwind.io/oauth2/v1/token
password_hash_algorithm: argon2id
";
    assert_eq!(scan(prose), Vec::<Finding>::new());
}

#[test]
fn hashes_uuids_and_urls_are_clean() {
    let sha256 = fake(HEXDIGITS, 64, 90);
    let sha1 = fake(HEXDIGITS, 40, 91);
    let uuid = uuid(92);
    let texts = [
        sha256.clone(),
        format!("sha256: {sha256}"),
        format!("digest: sha256:{sha256}"),
        format!("Evidence file hash {sha256} verified."),
        format!("commit: {sha1}"),
        format!("Fixed in {sha1}."),
        uuid.clone(),
        format!("id: {uuid}"),
        format!("request_id: {uuid}"),
        format!("token_id: {uuid}"),
        format!("Ticket {uuid} was closed."),
        "https://console.aws.amazon.com/iam/home?region=eu-west-1#/users".into(),
        "https://github.com/northwind/platform/pull/4512/files".into(),
        "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX".into(),
        "ssh://git@github.com:northwind/platform.git".into(),
        "git@github.com:northwind/platform.git".into(),
        "postgres://reporting@db.internal:5432/app".into(),
        "https://admin.northwind.example:8443/login?next=/users@team".into(),
        "http://[::1]:8080/health".into(),
        "redis://:abc@cache:6379/0".into(),
        "Contact: mailto:security@northwind.example".into(),
    ];
    for text in &texts {
        assert_eq!(scan(text), Vec::<Finding>::new(), "{text}");
    }
}

#[test]
fn placeholders_and_test_keys_are_clean() {
    let texts = [
        "password: changeme".to_string(),
        "password: changeme-changeme-2026".into(),
        "password=${DB_PASSWORD}".into(),
        "password: \"${{ secrets.DB_PASSWORD }}\"".into(),
        "DB_PASSWORD=$DATABASE_PASSWORD_PROD".into(),
        "secret: <redacted>".into(),
        "api_key: <YOUR_API_KEY_HERE_1234567890>".into(),
        "token: ****************************".into(),
        "api_key: xxxxxxxxxxxxxxxxxxxxxxxxxxxx".into(),
        "secret: example-secret-Value-9f8e7d6c".into(),
        "client_secret: your_client_secret_goes_here_42".into(),
        "password: %SERVICE_ACCOUNT_PASSWORD%".into(),
        "postgres://app:${DB_PASSWORD}@db:5432/app".into(),
        "https://user:password@example.com/".into(),
        "amqp://guest:<password>@queue.internal:5672".into(),
        "mysql://root:********@db.internal".into(),
        "https://ci:aaaaaaaaaa@git.internal/repo.git".into(),
        "secret: SecretsManagerRotationLambdaArn".into(),
        "token: vault:secret/data/prod/api#token-value-2026".into(),
        "password: /etc/northwind/credentials/db-password.txt".into(),
        "if !secrets::looks_like_text(&attachment_buffer) {".into(),
        "let sk = minisign::SecretKeyBox::from_string(&key_text_2026)?;".into(),
        "token = fetch_token_from_environment(REGION_EU_1)".into(),
        "if password == other_password_value_2026 {".into(),
        "api_token: {token_value}/{suffix_2026}".into(),
        format!(
            "STRIPE_KEY={}",
            format_args!("sk_test_{}", fake(ALNUM, 24, 100))
        ),
        format!("aws_access_key_id = AKIA{}", "X".repeat(16)),
        format!("ghp_{}", "x".repeat(36)),
    ];
    for text in &texts {
        assert_eq!(scan(text), Vec::<Finding>::new(), "{text}");
    }
}

#[test]
fn short_and_empty_texts() {
    assert!(scan("").is_empty());
    assert!(scan("password").is_empty());
    assert!(scan("ok").is_empty());
}

#[test]
fn rules_have_unique_ids_and_generic_is_last() {
    let all = rules();
    let mut seen: Vec<&str> = all.iter().map(|r| r.id).collect();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), all.len());
    assert_eq!(all.last().map(|r| r.id), Some("generic-secret"));
    assert!(all.iter().all(|r| !r.name.is_empty()));
}
