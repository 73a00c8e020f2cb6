//! The secret-leak guard end to end: a log of fake credentials (one or more per rule, in the
//! places they leak: assignments, log text, headers, URLs, JSON values, XML) and of look-alikes
//! (documentation examples, placeholders, test-mode keys, identifiers) replaces an attachment of
//! the valid fixture pack; `check` must report every credential at its line and column with its
//! rule, nothing on the look-alike lines, and never print a credential.
//!
//! The credentials are drawn at test time from SHA-256 of a seed, in the shape each rule's source
//! documents, so no credential-shaped string sits in the repository.

use crate::common;

use std::fs;

use serde::Deserialize;
use sha2::{Digest, Sha256};

/// A line of the log that holds a credential: the rule that must report it, the text before it,
/// its shape, the text after it. A shape is literal text with fields `{alphabet:len}` drawn at
/// random (`hex`, `HEX`, `alnum`, `lower`, `upper`, `digits`, `b64`, `url`).
const CREDENTIALS: &[(&str, &str, &str, &str)] = &[
    (
        "aws-access-key-id",
        "2026-03-01T08:00:01Z INFO assumed role with ",
        "AKIA{upper:16}",
        " (session 1h)",
    ),
    (
        "aws-secret-access-key",
        "aws_secret_access_key = ",
        "{b64:40}",
        "",
    ),
    (
        "aws-secret-access-key",
        "<secretKey>",
        "{b64:40}",
        "</secretKey>",
    ),
    (
        "google-api-key",
        "GET /maps/api/geocode/json?key=",
        "AIza{url:35}",
        "&address=Berlin HTTP/1.1",
    ),
    (
        "azure-ad-client-secret",
        "az ad sp credential reset returned password ",
        "{alnum:3}{digits:1}Q~{alnum:34}",
        "",
    ),
    (
        "azure-storage-account-key",
        "DefaultEndpointsProtocol=https;AccountName=logs;AccountKey=",
        "{b64:86}==",
        ";EndpointSuffix=core.windows.net",
    ),
    (
        "azure-storage-account-key",
        "  \"accountKey\": \"",
        "{b64:86}==",
        "\",",
    ),
    (
        "digitalocean-token",
        "doctl auth init --access-token ",
        "dop_v1_{hex:64}",
        "",
    ),
    ("heroku-api-key", "HEROKU_API_KEY=", "HRKU-AA{url:58}", ""),
    (
        "databricks-token",
        "databricks configure --token ",
        "dapi{hex:32}",
        "",
    ),
    (
        "gcp-service-account-key",
        "{\"type\": \"service_account\", \"private_key\": \"",
        "-----BEGIN PRIVATE KEY-----\\n{b64:64}\\n{b64:40}\\n-----END PRIVATE KEY-----\\n",
        "\"}",
    ),
    (
        "github-pat",
        "remote: Invalid username or token ",
        "ghp_{alnum:36}",
        " for github.com",
    ),
    (
        "github-fine-grained-pat",
        "GH_TOKEN: ",
        "github_pat_{alnum:22}_{alnum:59}",
        "",
    ),
    (
        "github-oauth",
        "oauth_token=",
        "gho_{alnum:36}",
        "&scope=repo",
    ),
    (
        "github-app-token",
        "Authorization: token ",
        "ghs_{alnum:36}",
        "",
    ),
    (
        "github-refresh-token",
        "{\"refresh_token\": \"",
        "ghr_{alnum:36}",
        "\"}",
    ),
    (
        "gitlab-pat",
        "git clone https://oauth2:",
        "glpat-{url:20}",
        "@gitlab.northwind.example/ops.git",
    ),
    ("atlassian-api-token", "JIRA_API_TOKEN=", "{lower:24}", ""),
    (
        "atlassian-api-token",
        "curl -u ops@northwind.example:",
        "ATATT3{url:186}",
        " https://northwind.atlassian.net",
    ),
    (
        "npm-access-token",
        "//registry.npmjs.org/:_authToken=",
        "npm_{alnum:36}",
        "",
    ),
    (
        "pypi-upload-token",
        "Uploading with token ",
        "pypi-AgEIcHlwaS5vcmc{url:120}",
        "",
    ),
    (
        "postman-api-key",
        "X-Api-Key: ",
        "PMAK-{hex:24}-{hex:34}",
        "",
    ),
    (
        "slack-bot-token",
        "SLACK_BOT_TOKEN=",
        "xoxb-{digits:11}-{digits:12}-{alnum:24}",
        "",
    ),
    (
        "slack-user-token",
        "user token ",
        "xoxp-{digits:11}-{digits:11}-{digits:12}-{hex:32}",
        "",
    ),
    ("slack-legacy-token", "legacy ", "xoxr-{alnum:32}", ""),
    (
        "slack-webhook-url",
        "notify: ",
        "https://hooks.slack.com/services/T{upper:8}/B{upper:10}/{alnum:24}",
        "",
    ),
    (
        "stripe-live-key",
        "STRIPE_SECRET_KEY=",
        "sk_live_{alnum:24}",
        "",
    ),
    (
        "sendgrid-api-key",
        "[mailer] using ",
        "SG.{url:22}.{url:43}",
        " for smtp.sendgrid.net",
    ),
    (
        "twilio-api-key",
        "twilio api:core:keys:fetch --sid ",
        "SK{hex:32}",
        "",
    ),
    (
        "shopify-token",
        "X-Shopify-Access-Token: ",
        "shpat_{hex:32}",
        "",
    ),
    (
        "linear-api-key",
        "{\"linear\": {\"apiKey\": \"",
        "lin_api_{alnum:40}",
        "\"}}",
    ),
    (
        "grafana-cloud-api-token",
        "GRAFANA_CLOUD_TOKEN=",
        "glc_{alnum:80}",
        "",
    ),
    (
        "grafana-service-account-token",
        "'Authorization': 'Bearer ",
        "glsa_{alnum:32}_{hex:8}",
        "'",
    ),
    (
        "grafana-api-key",
        "grafana {\"key\": \"",
        "eyJrIjoi{alnum:80}",
        "\"}",
    ),
    ("datadog-api-key", "DD_API_KEY=", "{hex:32}", ""),
    (
        "datadog-api-key",
        "curl -H \"DD-APPLICATION-KEY: ",
        "{hex:40}",
        "\" https://api.datadoghq.eu",
    ),
    (
        "vault-service-token",
        "export VAULT_TOKEN=",
        "hvs.{url:95}",
        "",
    ),
    (
        "vault-batch-token",
        "vault login: batch token ",
        "hvb.{url:140}",
        " issued",
    ),
    (
        "terraform-cloud-api-token",
        "credentials \"app.terraform.io\" { token = \"",
        "{alnum:14}.atlasv1.{url:67}",
        "\" }",
    ),
    (
        "doppler-token",
        "echo '",
        "dp.st.prd.{alnum:43}",
        "' | doppler configure set token",
    ),
    (
        "openai-api-key",
        "OPENAI_API_KEY=",
        "sk-proj-{url:74}T3BlbkFJ{url:74}",
        "",
    ),
    (
        "anthropic-api-key",
        "curl -H \"x-api-key: ",
        "sk-ant-api03-{url:93}AA",
        "\" https://api.anthropic.com/v1/messages",
    ),
    (
        "hugging-face-token",
        "huggingface-cli login --token ",
        "hf_{alnum:34}",
        "",
    ),
    (
        "private-key",
        "\"key\": \"",
        "-----BEGIN EC PRIVATE KEY-----\\n{b64:64}\\n{b64:24}\\n-----END EC PRIVATE KEY-----",
        "\"",
    ),
    (
        "jwt",
        "GET /callback?id_token=",
        "eyJ{url:30}.eyJ{url:60}.{url:43}",
        " HTTP/1.1",
    ),
    (
        "jwt",
        "String unsigned = \"",
        "eyJhbGciOiJub25lIn0.eyJ{url:40}.",
        "\";",
    ),
    (
        "url-password",
        "DATABASE_URL=postgres://reporting:",
        "{alnum:20}",
        "@db.internal:5432/app",
    ),
    (
        "http-auth-header",
        "curl -H \"Authorization: Bearer ",
        "{alnum:40}",
        "\" https://api.northwind.example",
    ),
    (
        "http-auth-header",
        "2026-03-01 DEBUG > X-Auth-Token: ",
        "{alnum:32}",
        "",
    ),
    ("generic-secret", "db_pass = \"", "{alnum:28}", "\""),
    ("generic-secret", "if (apikey == \"", "{alnum:28}", "\") {"),
    (
        "generic-secret",
        "var apiToken string = \"",
        "{alnum:28}",
        "\"",
    ),
    ("generic-secret", "API_TOKEN ?= \"", "{alnum:28}", "\""),
    (
        "generic-secret",
        "client_secret: ",
        "{upper:8}{lower:8}{upper:8}",
        "",
    ),
];

/// Lines that must not be reported: documented examples, placeholders, test-mode and publishable
/// keys, identifiers, hashes, and values that only look like a credential's neighbours.
fn look_alikes() -> Vec<String> {
    let x = |n: usize| "x".repeat(n);
    vec![
        format!("aws_access_key_id = AKIAIOSFODNN7{}", "EXAMPLE"),
        format!(
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCY{}",
            "EXAMPLEKEY"
        ),
        format!(
            "STRIPE_KEY={}",
            draw_shape("sk_test_{alnum:24}", "look-alike/stripe")
        ),
        format!("pk = {}", draw_shape("pk_live_{alnum:24}", "look-alike/pk")),
        format!("GITHUB_TOKEN=ghp_{}", x(36)),
        "GITHUB_TOKEN=${{ secrets.GITHUB_TOKEN }}".to_string(),
        "npm_token: {{ npm_token }}".to_string(),
        "Authorization: Bearer <your-token>".to_string(),
        "Authorization: Bearer $API_TOKEN".to_string(),
        "password: changeme".to_string(),
        "api_key = \"${API_KEY}\"".to_string(),
        format!("HF_TOKEN=hf_{}", x(34)),
        format!(
            "apiKey: \"{}{}\"",
            "AIzaSyCkEh", "Vjf3pduRDt6d1yKOMitrUEke8agEM"
        ),
        format!(
            "AccountName=devstoreaccount1;AccountKey={}{};",
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr",
            "/KBHBeksoGMGw=="
        ),
        format!(
            "blob {}abcd123",
            draw_shape("AIza{url:35}", "look-alike/google")
        ),
        "keyVaultToStoreSecrets: cmp2-qat-1208358310".to_string(),
        "secret: SecretsManagerRotationLambdaArn".to_string(),
        "X-CSRF-Token: 3f9a0c1d2e4b5a69b7c8d9e0f1a2b3c4".to_string(),
        format!("commit {}", draw_shape("{hex:40}", "look-alike/commit")),
        format!("trace_id={}", draw_shape("{hex:32}", "look-alike/trace")),
        "amqp://guest:<password>@queue.internal:5672".to_string(),
        "412 tests passed; password policy check passed; token refreshed".to_string(),
    ]
}

/// Draws the fields of `shape` from SHA-256 of `seed` and a counter.
fn draw_shape(shape: &str, seed: &str) -> String {
    let mut out = String::new();
    let mut rest = shape;
    let mut n = 0u32;
    while let Some(open) = rest.find('{').filter(|&i| rest[i..].contains(':')) {
        let close = open + rest[open..].find('}').expect("a closed field");
        let (name, len) = rest[open + 1..close].split_once(':').expect("name:len");
        out.push_str(&rest[..open]);
        let alphabet: Vec<char> = match name {
            "hex" => "0123456789abcdef".into(),
            "lower" => "abcdefghijklmnopqrstuvwxyz".into(),
            "upper" => "ABCDEFGHIJKLMNOPQRSTUVWXYZ".into(),
            "digits" => "0123456789".into(),
            "alnum" => alnum(""),
            "b64" => alnum("+/"),
            "url" => alnum("-_"),
            other => panic!("unknown field {other}"),
        }
        .chars()
        .collect();
        for _ in 0..len.parse::<usize>().expect("a length") {
            n += 1;
            let digest = Sha256::digest(format!("{seed}/{n}"));
            let pick = u16::from_le_bytes([digest[0], digest[1]]);
            out.push(alphabet[usize::from(pick) % alphabet.len()]);
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Upper and lower case letters and digits, then `extra`.
fn alnum(extra: &str) -> String {
    let letters: String = ('A'..='Z').chain('a'..='z').chain('0'..='9').collect();
    letters + extra
}

/// One diagnostic as `--format json` prints it.
#[derive(Debug, Deserialize)]
struct Diag {
    path: String,
    line: usize,
    column: usize,
    code: String,
    message: String,
}

#[test]
fn check_reports_every_credential_in_an_attachment_at_its_line_with_its_rule_and_nothing_else() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let pack = tmp.path().join("pack");
    common::copy_tree(&common::fixture("check/valid"), &pack);

    // The log: credentials and look-alikes, interleaved with ordinary lines.
    let mut log = String::new();
    let mut expected = Vec::new();
    let mut secrets = Vec::new();
    let look_alikes = look_alikes();
    for (i, &(rule, before, shape, after)) in CREDENTIALS.iter().enumerate() {
        log.push_str(&format!(
            "2026-03-01T09:{:02}:00Z INFO job {i} started\n",
            i % 60
        ));
        let secret = draw_shape(shape, &format!("{rule}/{i}"));
        let line = log.lines().count() + 1;
        let column = before.chars().count() + 1;
        log.push_str(&format!("{before}{secret}{after}\n"));
        expected.push((line, column, rule.to_string()));
        secrets.push(secret);
        if let Some(look_alike) = look_alikes.get(i) {
            log.push_str(look_alike);
            log.push('\n');
        }
    }
    assert!(look_alikes.len() <= CREDENTIALS.len());
    fs::write(pack.join("attachments/changes/CHG-101.txt"), &log).expect("write the log");

    let out = common::bin()
        .args(["--content", "pack", "check", "--format", "json"])
        .current_dir(tmp.path())
        .output()
        .expect("run evidencepack");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
    let diags: Vec<Diag> = serde_json::from_str(&stdout).expect("JSON diagnostics");
    let found: Vec<(usize, usize, String)> = diags
        .iter()
        .map(|d| {
            assert_eq!(
                (d.code.as_str(), d.path.as_str()),
                ("E060", "pack/attachments/changes/CHG-101.txt"),
                "{d:?}"
            );
            // "possible <rule name> (<rule id>), fingerprint fp:…"
            let (named, _) = d.message.split_once("), fingerprint").expect("a rule id");
            let rule = named.rsplit('(').next().expect("(rule-id)");
            (d.line, d.column, rule.to_string())
        })
        .collect();
    let missed: Vec<_> = expected.iter().filter(|e| !found.contains(e)).collect();
    let extra: Vec<_> = found.iter().filter(|f| !expected.contains(f)).collect();
    assert!(
        missed.is_empty() && extra.is_empty(),
        "missed {missed:?}, reported wrongly {extra:?}; log:\n{log}"
    );
    assert_eq!(found, expected);

    // Every rule is exercised, and no credential (or a recognisable part of one) is printed.
    for rule in evidencepack::secrets::rules() {
        assert!(
            CREDENTIALS.iter().any(|(id, ..)| *id == rule.id),
            "no sample for {}",
            rule.id
        );
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    for secret in &secrets {
        let piece = &secret[secret.len() / 2..secret.len() / 2 + 8];
        assert!(
            !stdout.contains(piece) && !stderr.contains(piece),
            "{piece} printed"
        );
    }
}
