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

/// A random (version 4) UUID.
pub(super) fn uuid(seed: u64) -> String {
    let f = |len: usize, k: u64| fake(HEXDIGITS, len, seed * 10 + k);
    format!(
        "{}-{}-4{}-a{}-{}",
        f(8, 1),
        f(4, 2),
        f(3, 3),
        f(3, 4),
        f(12, 5)
    )
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
    let mut samples = vec![
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
    ];
    samples.extend(more_samples());
    samples
}

pub(super) fn ids(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.rule_id).collect()
}

/// More samples: every vendor token rule where such a token typically leaks (a CLI command, a
/// header, a log line, a config file), and the forms that need the next line or an escaped
/// string; same shape as [`samples`].
fn more_samples() -> Vec<(&'static str, String, String, String)> {
    let s = |rule: &'static str, before: &str, secret: String, after: &str| {
        (rule, before.to_string(), secret, after.to_string())
    };
    let gcp_key = format!(
        "-----BEGIN PRIVATE KEY-----\\\\n{}\\\\n{}\\\\n-----END PRIVATE KEY-----\\\\n",
        fake(B64, 64, 201),
        fake(B64, 40, 202)
    );
    let basic = {
        use ct_codecs::{Base64, Encoder};
        let pair = format!("svc-deploy:{}", fake(ALNUM, 18, 203));
        Base64::encode_to_string(pair).expect("base64")
    };
    vec![
        s(
            "aws-secret-access-key",
            "<secretKey>",
            token("aws-secret-access-key", 1),
            "</secretKey>",
        ),
        s(
            "aws-secret-access-key",
            "aws_access_key = \"",
            token("aws-secret-access-key", 2),
            "\"",
        ),
        s(
            "google-api-key",
            "\"apiKey\": \"",
            token("google-api-key", 1),
            "\",",
        ),
        s(
            "gcp-service-account-key",
            "{\"sa\": \"{\\\"type\\\": \\\"service_account\\\", \\\"private_key\\\": \\\"",
            gcp_key,
            "\\\"}\"}",
        ),
        s(
            "azure-storage-account-key",
            "<AccountKey>\n    ",
            token("azure-storage-account-key", 1),
            "\n</AccountKey>",
        ),
        s(
            "azure-storage-account-key",
            "az storage blob list --account-name logs --account-key ",
            token("azure-storage-account-key", 2),
            "",
        ),
        s(
            "azure-ad-client-secret",
            "2026-03-01 INFO rotated app secret to ",
            token("azure-ad-client-secret", 1),
            " (expires 2027)",
        ),
        s(
            "digitalocean-token",
            "doctl auth init -t ",
            token("digitalocean-token", 1),
            "",
        ),
        s(
            "heroku-api-key",
            "HEROKU_API_KEY=",
            token("heroku-api-key", 1),
            "",
        ),
        s("heroku-api-key", "heroku_token: \"", uuid(204), "\""),
        s(
            "databricks-token",
            "curl -H \"Authorization: Bearer ",
            token("databricks-token", 1),
            "\" https://adb-1.azuredatabricks.net/api/2.0/clusters/list",
        ),
        s(
            "atlassian-api-token",
            "JIRA_API_TOKEN=",
            fake("abcdefghijklmnopqrstuvwxyz0123456789", 24, 209),
            "",
        ),
        s(
            "atlassian-api-token",
            "curl -u ops@northwind.example:",
            token("atlassian-api-token", 1),
            " https://northwind.atlassian.net/rest/api/3/myself",
        ),
        s(
            "npm-access-token",
            "//registry.npmjs.org/:_authToken=",
            token("npm-access-token", 1),
            "",
        ),
        s(
            "pypi-upload-token",
            "password = ",
            token("pypi-upload-token", 1),
            "",
        ),
        s(
            "postman-api-key",
            "x-api-key: ",
            token("postman-api-key", 1),
            "",
        ),
        s(
            "sendgrid-api-key",
            "[mailer] connecting with key ",
            token("sendgrid-api-key", 1),
            " to smtp.sendgrid.net",
        ),
        s(
            "twilio-api-key",
            "twilio api:core:keys:fetch --sid ",
            token("twilio-api-key", 1),
            "",
        ),
        s(
            "shopify-token",
            "X-Shopify-Access-Token: ",
            token("shopify-token", 1),
            "",
        ),
        s(
            "linear-api-key",
            "{\"linear\": {\"apiKey\": \"",
            token("linear-api-key", 1),
            "\"}}",
        ),
        s(
            "grafana-cloud-api-token",
            "GRAFANA_CLOUD_TOKEN=",
            token("grafana-cloud-api-token", 1),
            "",
        ),
        s(
            "grafana-service-account-token",
            "'Authorization': 'Bearer ",
            token("grafana-service-account-token", 1),
            "'",
        ),
        s(
            "grafana-api-key",
            "grafana: {\"key\": \"",
            token("grafana-api-key", 1),
            "\"}",
        ),
        s(
            "datadog-api-key",
            "DD_API_KEY=",
            token("datadog-api-key", 1),
            "",
        ),
        s(
            "datadog-api-key",
            "-H \"DD-APPLICATION-KEY: ",
            fake(HEXDIGITS, 40, 210),
            "\"",
        ),
        s(
            "vault-service-token",
            "export VAULT_TOKEN=",
            token("vault-service-token", 1),
            "",
        ),
        s(
            "vault-batch-token",
            "vault login: batch token ",
            token("vault-batch-token", 1),
            " issued",
        ),
        s(
            "terraform-cloud-api-token",
            "credentials \"app.terraform.io\" { token = \"",
            token("terraform-cloud-api-token", 1),
            "\" }",
        ),
        s(
            "doppler-token",
            "echo '",
            token("doppler-token", 1),
            "' | doppler configure set token --scope /srv/app",
        ),
        s(
            "anthropic-api-key",
            "-H \"x-api-key: ",
            token("anthropic-api-key", 1),
            "\"",
        ),
        s(
            "hugging-face-token",
            "huggingface-cli login --token ",
            token("hugging-face-token", 1),
            "",
        ),
        s("jwt", "String unsigned = \"", unsigned_jwt(1), "\";"),
        s("http-auth-header", "-H 'Authorization: Basic ", basic, "'"),
        s("http-auth-header", "X-Api-Key: ", fake(ALNUM, 32, 211), ""),
        s(
            "generic-secret",
            "<apiToken>\n    ",
            fake(ALNUM, 32, 212),
            "\n</apiToken>",
        ),
        s(
            "generic-secret",
            "NSString *dbPass = @\"",
            fake(ALNUM, 24, 213),
            "\";",
        ),
    ]
}

/// A fake token in the documented shape of `rule` (a vendor token rule, or `jwt`); different
/// seeds give different tokens.
pub(super) fn token(rule: &str, seed: u64) -> String {
    let f = |alphabet: &str, len: usize, k: u64| fake(alphabet, len, seed * 1000 + k);
    match rule {
        "aws-access-key-id" => format!("AKIA{}", f(UPPER_NUM, 16, 1)),
        "aws-secret-access-key" => f(B64, 40, 1),
        "google-api-key" => format!("AIza{}", f(URLSAFE, 35, 1)),
        "azure-storage-account-key" => format!("{}==", f(B64, 86, 1)),
        "azure-ad-client-secret" => format!(
            "{}{}Q~{}",
            f(ALNUM, 3, 1),
            f(DIGITS, 1, 2),
            f(
                concat!(
                    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
                    "_~.-"
                ),
                34,
                3
            )
        ),
        "digitalocean-token" => format!("dop_v1_{}", f(HEXDIGITS, 64, 1)),
        "heroku-api-key" => format!("HRKU-AA{}", f(URLSAFE, 58, 1)),
        "databricks-token" => format!("dapi{}", f(HEXDIGITS, 32, 1)),
        "github-pat" => format!("ghp_{}", f(ALNUM, 36, 1)),
        "atlassian-api-token" => format!("ATATT3{}", f(URLSAFE, 186, 1)),
        "npm-access-token" => format!("npm_{}", f(ALNUM, 36, 1)),
        "pypi-upload-token" => format!("pypi-AgEIcHlwaS5vcmc{}", f(URLSAFE, 150, 1)),
        "postman-api-key" => format!("PMAK-{}-{}", f(HEXDIGITS, 24, 1), f(HEXDIGITS, 34, 2)),
        "sendgrid-api-key" => format!("SG.{}.{}", f(URLSAFE, 22, 1), f(URLSAFE, 43, 2)),
        "twilio-api-key" => format!("SK{}", f(HEXDIGITS, 32, 1)),
        "shopify-token" => format!("shpat_{}", f(HEXDIGITS, 32, 1)),
        "linear-api-key" => format!("lin_api_{}", f(ALNUM, 40, 1)),
        "grafana-cloud-api-token" => format!("glc_{}", f(ALNUM, 80, 1)),
        "grafana-service-account-token" => {
            format!("glsa_{}_{}", f(ALNUM, 32, 1), f(HEXDIGITS, 8, 2))
        }
        "grafana-api-key" => format!("eyJrIjoi{}", f(ALNUM, 80, 1)),
        "datadog-api-key" => f(HEXDIGITS, 32, 1),
        "vault-service-token" => format!("hvs.{}", f(URLSAFE, 95, 1)),
        "vault-batch-token" => format!("hvb.{}", f(URLSAFE, 140, 1)),
        "terraform-cloud-api-token" => {
            format!("{}.atlasv1.{}", f(ALNUM, 14, 1), f(URLSAFE, 67, 2))
        }
        "doppler-token" => format!("dp.st.prd.{}", f(ALNUM, 43, 1)),
        "openai-api-key" => format!("sk-proj-{}T3BlbkFJ{}", f(URLSAFE, 74, 1), f(URLSAFE, 74, 2)),
        "anthropic-api-key" => format!("sk-ant-api03-{}AA", f(URLSAFE, 93, 1)),
        "hugging-face-token" => format!("hf_{}", f(ALNUM, 34, 1)),
        "slack-bot-token" => {
            format!(
                "xoxb-{}-{}-{}",
                f(DIGITS, 11, 1),
                f(DIGITS, 12, 2),
                f(ALNUM, 24, 3)
            )
        }
        "slack-user-token" => format!(
            "xoxp-{}-{}-{}-{}",
            f(DIGITS, 11, 1),
            f(DIGITS, 11, 2),
            f(DIGITS, 12, 3),
            f(HEXDIGITS, 32, 4)
        ),
        "jwt" => format!(
            "eyJ{}.eyJ{}.{}",
            f(URLSAFE, 33, 1),
            f(URLSAFE, 60, 2),
            f(URLSAFE, 43, 3)
        ),
        other => panic!("no token shape for {other}"),
    }
}

/// An unsigned JSON Web Token: header `{"alg":"none"}`, claims, no signature.
pub(super) fn unsigned_jwt(seed: u64) -> String {
    format!("eyJhbGciOiJub25lIn0.eyJ{}.", fake(URLSAFE, 40, seed))
}

/// The assignment forms a secret is tested in: gitleaks' generated sample forms
/// (`cmd/generate/config/utils/generate.go`, `GenerateSampleSecrets`: INI, JSON, XML, YAML, C#,
/// Go, Java, Kotlin, PHP, Python, `setProperty`, logstash, Makefile), then the ones it lacks that
/// sources bring in (an XML element on one line, Objective-C, a C array, a shell export, a
/// comparison, a constructor argument). `{i}` is the identifier, `{I}` the identifier in
/// upper case, `{s}` the secret.
pub(super) const ASSIGNMENTS: &[&str] = &[
    "{i}Token=\"{s}\"",
    "{i}Token = \"{s}\"",
    "{i}Token={s}",
    "{i}Token = {s}",
    "{\n    \"{i}_token\": \"{s}\"\n}",
    "{\"config.ini\": \"{I}_TOKEN={s}\\nBACKUP_ENABLED=true\"}",
    "<{i}Token>\n    {s}\n</{i}Token>",
    "{i}_token: {s}",
    "{i}_token: '{s}'",
    "{i}_token: \"{s}\"",
    "string {i}Token = \"{s}\";",
    "var {i}Token string = \"{s}\"",
    "{i}Token := \"{s}\"",
    "{i}Token := `{s}`",
    "String {i}Token = \"{s}\";",
    "var {i}Token = \"{s}\"",
    "${i}Token .= \"{s}\"",
    "{i}Token = '{s}'",
    "{i}Token = \"{s}\"",
    "System.setProperty(\"{I}_TOKEN\", \"{s}\")",
    "  \"{i}Token\" => \"{s}\"",
    "{I}_TOKEN = \"{s}\"",
    "{I}_TOKEN := \"{s}\"",
    "{I}_TOKEN ::= \"{s}\"",
    "{I}_TOKEN :::= \"{s}\"",
    "{I}_TOKEN ?= \"{s}\"",
    "<{i}Token>{s}</{i}Token>",
    "NSString *{i}Token = @\"{s}\";",
    "char {i}Token[] = \"{s}\";",
    "export {I}_TOKEN={s}",
    "if ({i}Token == \"{s}\") {",
    "std::string {i}Token(\"{s}\");",
];

/// Places where a vendor token stands without a name that says what it is: a log line, an
/// `Authorization` header, a curl command, a URL's query and user information, a JSON value,
/// a CSV cell.
pub(super) const ANYWHERE: &[&str] = &[
    "2026-03-01T10:00:00Z INFO deploy: published with {s} (expires in 30 days)",
    "Authorization: Bearer {s}",
    "curl -sf -H \"Authorization: Bearer {s}\" https://api.northwind.example/v1/me",
    "GET /hooks/deploy?token={s}&retry=1 HTTP/1.1",
    "https://ci:{s}@git.northwind.example/platform.git",
    "{\"id\": 7, \"value\": \"{s}\"}",
    "svc-ci,{s},2026-03-01",
];

/// `form` with `{i}`, `{I}` and `{s}` filled in.
pub(super) fn place(form: &str, identifier: &str, secret: &str) -> String {
    form.replace("{i}", identifier)
        .replace("{I}", &identifier.to_ascii_uppercase())
        .replace("{s}", secret)
}

/// Asserts that `text` holds exactly one finding, of `rule`, at the first `secret` in the text,
/// with the fingerprint of `secret` (so the finding covers the secret and nothing more).
#[track_caller]
pub(super) fn assert_finds(rule: &str, text: &str, secret: &str) {
    let at = text.find(secret).expect("the secret is in the text");
    let line = text[..at].matches('\n').count() + 1;
    let col = text[..at].rsplit('\n').next().unwrap_or("").chars().count() + 1;
    let expected = Finding {
        line,
        col,
        rule_id: super::rules()
            .iter()
            .find(|r| r.id == rule)
            .expect("a rule of that id")
            .id,
        rule_name: super::rules().iter().find(|r| r.id == rule).unwrap().name,
        fingerprint: super::fingerprint(rule, secret),
    };
    assert_eq!(super::scan(text), vec![expected], "in {text:?}");
}

/// [`assert_finds`] for `secret` in each of `forms`, with `identifier` as the key name.
#[track_caller]
pub(super) fn assert_finds_in(rule: &str, forms: &[&str], identifier: &str, secret: &str) {
    for form in forms {
        assert_finds(rule, &place(form, identifier, secret), secret);
    }
}

/// Asserts that no text holds a finding.
#[track_caller]
pub(super) fn assert_clean<S: AsRef<str>>(texts: impl IntoIterator<Item = S>) {
    for text in texts {
        let text = text.as_ref();
        assert_eq!(super::scan(text), Vec::new(), "in {text:?}");
    }
}

/// Placeholders and documented stand-ins for a token that starts with `prefix` and has `len`
/// more chars, in every assignment form and free place: the prefix with `x`s, `X`s, zeros or
/// `0123456789`s; `<your-…-token>`, `${VAR}`, `$VAR`, `{{ var }}`, `changeme`, `example`, `****`.
#[track_caller]
pub(super) fn assert_placeholders_clean(identifier: &str, prefix: &str, len: usize) {
    let upper = identifier.to_ascii_uppercase();
    let values = [
        format!("{prefix}{}", "x".repeat(len)),
        format!("{prefix}{}", "X".repeat(len)),
        format!("{prefix}{}", "0".repeat(len)),
        format!("{prefix}{}", &"0123456789".repeat(len / 10 + 1)[..len]),
        format!("{prefix}<your-{identifier}-token>"),
        format!("<your-{identifier}-token>"),
        format!("${{{upper}_TOKEN}}"),
        format!("${upper}_TOKEN"),
        format!("{{{{ {identifier}_token }}}}"),
        format!("${{{{ secrets.{upper}_TOKEN }}}}"),
        "changeme".to_string(),
        format!("{prefix}changeme-changeme-changeme-changeme"),
        format!("{prefix}EXAMPLE{}", "x".repeat(len.saturating_sub(7))),
        "****************".to_string(),
    ];
    for value in &values {
        for form in ASSIGNMENTS.iter().chain(ANYWHERE) {
            assert_clean([place(form, identifier, value)]);
        }
    }
}
