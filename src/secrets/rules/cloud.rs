//! Cloud platforms: AWS, Google Cloud, Azure, DigitalOcean, Heroku, Databricks.

use super::{assign, Check, Reach, Spec};

/// AWS access key ID: `AKIA` (long-term), `ASIA` (STS temporary), `ABIA`, `ACCA` or `A3T…` plus 16
/// upper-case alphanumerics, 20 chars in all. AWS's documentation example
/// (`AKIAIOSFODNN7EXAMPLE`) is not reported.
///
/// Sources: AWS IAM User Guide, "IAM identifiers" (unique ID prefixes); gitleaks rule
/// `aws-access-token` (and its `.+EXAMPLE$` allowlist); Yelp detect-secrets `AWSKeyDetector`
/// (`AKIA[0-9A-Z]{16}`); trufflehog `aws` detector.
pub(super) const AWS_ACCESS_KEY_ID: Spec = Spec {
    id: "aws-access-key-id",
    name: "AWS access key ID",
    pattern: r"(?-u:\b)(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?-u:\b)",
    group: 0,
    keywords: &["akia", "asia", "abia", "acca", "a3t"],
    check: Check::Token(3.0),
    reach: Reach::Line,
};

/// AWS secret access key: 40 base64 chars assigned to a name that holds `aws` (`aws_token`,
/// `aws_access_key`, `AWS_SECRET_ACCESS_KEY`) or `secret…key` (`SecretAccessKey`, a Jenkins
/// credential's `<secretKey>`), in any syntax of [`assign!`]. At least 4 bits/char of entropy
/// excludes 40-char hex such as git commit hashes; AWS's documentation example (`…EXAMPLEKEY`) is
/// not reported.
///
/// Sources: gitleaks legacy `AWS Secret Key` rule (`aws(.{0,20})?['"][0-9a-zA-Z/+]{40}['"]`);
/// Yelp detect-secrets `AWSKeyDetector` (40-char `= value` lines); trufflehog `aws` detector; the
/// Jenkins AWS Credentials plugin's `credentials.xml` (`AWSCredentialsImpl`: `accessKey`,
/// `secretKey`).
pub(super) const AWS_SECRET_ACCESS_KEY: Spec = Spec {
    id: "aws-secret-access-key",
    name: "AWS secret access key",
    pattern: concat!(
        r"(?i)(?-u:\b)(?:[a-z0-9_.-]{0,20}?aws[a-z0-9_.-]{0,30}|[a-z0-9_.-]{0,20}?secret[_.-]?(?:access[_.-]?)?key[a-z0-9_.-]{0,10})",
        assign!(),
        r"([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)"
    ),
    group: 1,
    keywords: &[
        "aws",
        "secretkey",
        "secret_key",
        "secret-key",
        "secret.key",
        "secretaccess",
        "secret_access",
        "secret-access",
        "secret.access",
    ],
    check: Check::Token(4.0),
    reach: Reach::NextLine,
};

/// Google (GCP, Maps, Firebase) API key, `AIza` + 35 chars, not inside a longer run of those
/// chars. The Firebase SDK's published example keys are not reported.
///
/// Sources: gitleaks rule `gcp-api-key` (its end boundary and Firebase allowlist);
/// detect-secrets `GCPApiKeyDetector`; trufflehog `googleapikey` detector.
pub(super) const GOOGLE_API_KEY: Spec = Spec {
    id: "google-api-key",
    name: "Google API key",
    pattern: r"(?-u:\b)(AIza[0-9A-Za-z_-]{35})(?:[^0-9A-Za-z_-]|$)",
    group: 1,
    keywords: &["aiza"],
    check: Check::Token(4.0),
    reach: Reach::Line,
};

/// GCP service-account key: the `private_key` of a service account's JSON key file, on its own
/// or embedded as a string in other JSON (quotes escaped, line breaks `\n` or `\\n`). The
/// fingerprint covers the whole PEM block, as for [`PRIVATE_KEY`](super::generic::PRIVATE_KEY),
/// which also matches and gives way to this more specific rule.
///
/// Sources: Google Cloud IAM, "Create and delete service account keys" (the JSON key file's
/// `type`, `private_key_id`, `private_key` fields); trufflehog `gcp` detector (the key file as
/// JSON); gitleaks rule `gcp-service-account`.
pub(super) const GCP_SERVICE_ACCOUNT_KEY: Spec = Spec {
    id: "gcp-service-account-key",
    name: "GCP service-account private key",
    pattern: r#"\\*"private_key\\*"[ \t]*:[ \t]*\\*"(-----BEGIN[ A-Z]{0,30}PRIVATE KEY-----(?:\\+[rn])+[A-Za-z0-9+/=]{40,})"#,
    group: 1,
    keywords: &["private_key"],
    check: Check::PrivateKey,
    reach: Reach::Line,
};

/// Azure storage account key: 88 base64 chars (64 bytes, `==`-padded) within 25 chars after a
/// name such as `AccountKey=` (a connection string), `accountKey` (JSON), `account_key` (YAML),
/// `<AccountKey>` (XML), `--account-key` or `-storagekey` (the CLIs), `azure…key`, or at the start
/// of the next line after a line that ends in `>`, `:` or `=`. The Azurite emulator's published key is not reported.
///
/// Sources: Microsoft Learn, "Configure Azure Storage connection strings" (`AccountKey=`) and
/// "Use the Azurite emulator" (its well-known key); trufflehog `azure_storage` detector
/// (`(?:Access|Account|Storage)[_.-]?Key` within 25 chars of the key); detect-secrets
/// `AzureStorageKeyDetector`.
pub(super) const AZURE_STORAGE_KEY: Spec = Spec {
    id: "azure-storage-account-key",
    name: "Azure storage account key",
    pattern: r"(?i)(?:(?:account|storage|access|shared)[_.-]?(?:access[_.-]?)?key|azure[a-z0-9_.-]{0,30}?key)(?:[^\r\n]{0,25}?[^A-Za-z0-9+/\r\n]|[^\r\n]{0,25}?[>:=][ \t]*\r?\n[ \t]*)([A-Za-z0-9+/]{86}==)(?:[^A-Za-z0-9+/=]|$)",
    group: 1,
    keywords: &[
        "accountkey",
        "account_key",
        "account-key",
        "account.key",
        "storagekey",
        "storage_key",
        "storage-key",
        "storage.key",
        "accesskey",
        "access_key",
        "access-key",
        "access.key",
        "sharedkey",
        "shared_key",
        "shared-key",
        "shared.key",
        "azure",
    ],
    check: Check::Token(4.0),
    reach: Reach::NextLine,
};

/// Azure AD (Entra ID) client secret: 3 chars, a digit, `Q~`, then 31 to 34 chars, standing on
/// its own (after a quote, space, `=`, `:`, `>`, `(` or `,`), whatever name it has or none.
///
/// Sources: gitleaks rule `azure-ad-client-secret` (after Microsoft Purview's "Azure AD client
/// secret" sensitive information type); trufflehog `azure_entra/serviceprincipal/v2`
/// (`SecretPat`).
pub(super) const AZURE_AD_CLIENT_SECRET: Spec = Spec {
    id: "azure-ad-client-secret",
    name: "Azure AD client secret",
    pattern: r#"(?m)(?:^|[\\'"`\s>=:(,)])([a-zA-Z0-9_~.]{3}[0-9]Q~[a-zA-Z0-9_~.-]{31,34})(?:$|[\\'"`\s<),;&@])"#,
    group: 1,
    keywords: &[
        "0q~", "1q~", "2q~", "3q~", "4q~", "5q~", "6q~", "7q~", "8q~", "9q~",
    ],
    check: Check::Token(3.0),
    reach: Reach::Line,
};

/// DigitalOcean personal access (`dop_v1_`), OAuth access (`doo_v1_`) or refresh (`dor_v1_`)
/// token: the prefix and 64 hex chars.
///
/// Sources: DigitalOcean docs, "How to Create a Personal Access Token" (token prefixes); gitleaks
/// rules `digitalocean-pat`, `digitalocean-access-token`, `digitalocean-refresh-token`;
/// trufflehog `digitaloceanv2`.
pub(super) const DIGITALOCEAN_TOKEN: Spec = Spec {
    id: "digitalocean-token",
    name: "DigitalOcean token",
    pattern: r"(?-u:\b)(do[opr]_v1_[a-f0-9]{64})(?:[^A-Za-z0-9_]|$)",
    group: 1,
    keywords: &["dop_v1_", "doo_v1_", "dor_v1_"],
    check: Check::Token(3.0),
    reach: Reach::Line,
};

/// Heroku API key: the current form `HRKU-AA` + 58 chars anywhere, or the older UUID assigned to
/// a name with `heroku` and `key`, `token`, `secret` or `pass` (`HEROKU_API_KEY=…`).
///
/// Sources: gitleaks rules `heroku-api-key-v2` and `heroku-api-key`; trufflehog `heroku` v1 and
/// v2 detectors; Heroku Dev Center, "Heroku CLI Authentication" (`HEROKU_API_KEY`).
pub(super) const HEROKU_API_KEY: Spec = Spec {
    id: "heroku-api-key",
    name: "Heroku API key",
    pattern: concat!(
        r"(?i)(?-u:\b)(?:[a-z0-9_.-]{0,30}?heroku[a-z0-9_.-]{0,20}?(?:key|token|secret|pass(?:word)?)s?",
        assign!(),
        r"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:[^0-9a-z-]|$)|(?-u:\b)(?-i:(HRKU-AA[0-9a-zA-Z_-]{58}))(?:[^0-9a-zA-Z_-]|$))"
    ),
    group: 1,
    keywords: &["heroku", "hrku-aa"],
    check: Check::Token(3.0),
    reach: Reach::NextLine,
};

/// Databricks personal access token: `dapi` + 32 hex chars (and an optional `-<digit>`).
///
/// Sources: gitleaks rule `databricks-api-token`; trufflehog `databrickstoken`; Databricks docs,
/// "Authenticate with Databricks personal access tokens".
pub(super) const DATABRICKS_TOKEN: Spec = Spec {
    id: "databricks-token",
    name: "Databricks personal access token",
    pattern: r"(?-u:\b)(dapi[a-f0-9]{32}(?:-[0-9])?)(?:[^A-Za-z0-9_-]|$)",
    group: 1,
    keywords: &["dapi"],
    check: Check::Token(3.0),
    reach: Reach::Line,
};

#[cfg(test)]
mod tests {
    use crate::secrets::rules::checks::PUBLISHED_EXAMPLES;
    use crate::secrets::samples::*;

    #[test]
    fn aws_access_key_id() {
        let key = token("aws-access-key-id", 1);
        assert_finds_in("aws-access-key-id", ASSIGNMENTS, "aws", &key);
        assert_finds_in("aws-access-key-id", ANYWHERE, "aws", &key);
        for prefix in ["ASIA", "ABIA", "ACCA"] {
            let other = format!("{prefix}{}", &key[4..]);
            assert_finds("aws-access-key-id", &format!("key {other} used"), &other);
        }
        // AWS's documentation example, and keys inside a longer run.
        assert_placeholders_clean("aws", "AKIA", 16);
        assert_clean([
            format!("aws_access_key_id = AKIAIOSFODNN7{}", "EXAMPLE"),
            format!("id X{key} and {key}Z"),
        ]);
    }

    #[test]
    fn aws_secret_access_key() {
        let secret = token("aws-secret-access-key", 1);
        assert_finds_in("aws-secret-access-key", ASSIGNMENTS, "aws", &secret);
        assert_finds_in(
            "aws-secret-access-key",
            ASSIGNMENTS,
            "secretAccessKey",
            &secret,
        );
        for text in [
            format!("<secretKey>{secret}</secretKey>"),
            format!("aws_access_key = \"{secret}\""),
            format!("  \"SecretAccessKey\": \"{secret}\","),
            format!("[default]\naws_secret_access_key = {secret}\n"),
        ] {
            assert_finds("aws-secret-access-key", &text, &secret);
        }
        // The documented example, a commit hash, a longer base64 run, an unrelated name.
        assert_clean([
            format!(
                "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCY{}",
                "EXAMPLEKEY"
            ),
            format!("aws_commit = {}", fake(HEXDIGITS, 40, 9)),
            format!("aws_blob = {secret}A"),
            format!("build {secret} done"),
        ]);
        assert_placeholders_clean("aws", "", 40);
    }

    #[test]
    fn google_api_key() {
        let key = token("google-api-key", 1);
        assert_finds_in("google-api-key", ASSIGNMENTS, "gcp", &key);
        assert_finds_in("google-api-key", ANYWHERE, "gcp", &key);
        // A key that ends in `-` still ends there.
        let dash = format!("{}-", &key[..38]);
        assert_finds("google-api-key", &format!("maps: {dash} ok"), &dash);
        // Inside a longer run (no end boundary before), and a low-entropy filler.
        assert_clean([format!("blob {key}abcd123"), format!("x{key}")]);
        assert_placeholders_clean("gcp", "AIza", 35);
    }

    /// Firebase's and Azurite's published example keys are clean; one char changed, they are
    /// keys like any other.
    #[test]
    fn published_example_keys() {
        for example in PUBLISHED_EXAMPLES {
            let (rule, text) = if example.starts_with("AIza") {
                ("google-api-key", format!("\"current_key\": \"{example}\""))
            } else {
                (
                    "azure-storage-account-key",
                    format!("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={example};"),
                )
            };
            assert_clean([&text]);
            let changed = format!(
                "{}{}",
                &example[..10],
                example[10..].replacen(|c: char| c.is_ascii_alphabetic(), "Q", 1)
            );
            assert_ne!(&changed, example);
            assert_finds(rule, &text.replace(example, &changed), &changed);
        }
    }

    #[test]
    fn gcp_service_account_key() {
        let body: Vec<String> = (0..3).map(|i| fake(B64, 64, 30 + i)).collect();
        let pem = |nl: &str| {
            format!(
                "-----BEGIN PRIVATE KEY-----{nl}{}{nl}-----END PRIVATE KEY-----{nl}",
                body.join(nl)
            )
        };
        // The key file itself, and the key file as a string inside other JSON (quotes escaped
        // once, line breaks twice).
        let file = pem("\\n");
        let text = format!(
            "{{\n  \"type\": \"service_account\",\n  \"private_key_id\": \"{}\",\n  \"private_key\": \"{file}\",\n  \"client_email\": \"ci@northwind.iam.gserviceaccount.com\"\n}}\n",
            fake(HEXDIGITS, 40, 33)
        );
        let embedded = pem("\\\\n");
        let nested = format!(
            "{{\"credentials\": \"{{\\\"type\\\": \\\"service_account\\\", \\\"private_key\\\": \\\"{embedded}\\\"}}\"}}"
        );
        for (text, key) in [(&text, &file), (&nested, &embedded)] {
            let found = crate::secrets::scan(text);
            assert_eq!(ids(&found), ["gcp-service-account-key"], "{text}");
            let at = text.find(key.as_str()).unwrap();
            assert_eq!(
                found[0].col,
                text[..at].rsplit('\n').next().unwrap().len() + 1
            );
        }
        // The same block outside a `private_key` field is a PEM key like any other.
        assert_eq!(
            ids(&crate::secrets::scan(&format!("\"key\": \"{file}\""))),
            ["private-key"]
        );
        assert_clean(["\"private_key\": \"-----BEGIN PRIVATE KEY-----\\n...\\n\""]);
    }

    #[test]
    fn azure_storage_account_key() {
        let key = token("azure-storage-account-key", 1);
        assert_finds_in(
            "azure-storage-account-key",
            ASSIGNMENTS,
            "storageAccountKey",
            &key,
        );
        for text in [
            format!("DefaultEndpointsProtocol=https;AccountName=logs;AccountKey={key};EndpointSuffix=core.windows.net"),
            format!("{{\"accountName\": \"logs\", \"accountKey\": \"{key}\"}}"),
            format!("storage:\n  account_key: {key}\n"),
            format!("<StorageAccount><AccountKey>{key}</AccountKey></StorageAccount>"),
            format!("<AccountKey>\n    {key}\n</AccountKey>"),
            format!("account_key:\n  {key}\n"),
            format!("AzCopy /Dest:https://logs.blob.core.windows.net/c /DestKey:x /storagekey {key}"),
            format!("az storage container list --account-name logs --account-key \"{key}\""),
            format!("AZURE_STORAGE_KEY={key}"),
        ] {
            assert_finds("azure-storage-account-key", &text, &key);
        }
        // A SHA-512 digest in base64 has the same shape; without a key name it is not a key.
        assert_clean([
            format!("\"integrity\": \"sha512-{key}\""),
            format!("account_key: {}", &key[1..]),
            format!("account_key:\n\n  {key}"),
        ]);
        assert_placeholders_clean("storageAccountKey", "", 86);
    }

    #[test]
    fn azure_ad_client_secret() {
        let secret = token("azure-ad-client-secret", 1);
        assert_finds_in("azure-ad-client-secret", ASSIGNMENTS, "azure", &secret);
        assert_finds_in("azure-ad-client-secret", ANYWHERE, "azure", &secret);
        for text in [
            format!("<value xsi:type=\"xsd:string\">{secret}</value>"),
            format!("(use the client secret: {secret})"),
            secret.to_string(),
            format!("-ClientSecret '{secret}'"),
        ] {
            assert_finds("azure-ad-client-secret", &text, &secret);
        }
        // Tildes in URLs and markup, and a low-entropy filler.
        assert_clean([
            "https://cdn.example/tos~tplv-k3u1fbpfcp-watermark.image".to_string(),
            "~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~".to_string(),
            format!("client_secret=bP88Q~{}", "x".repeat(34)),
            format!("id{secret}"),
        ]);
    }

    #[test]
    fn digitalocean_token() {
        for (n, prefix) in ["dop_v1_", "doo_v1_", "dor_v1_"].into_iter().enumerate() {
            let t = format!("{prefix}{}", fake(HEXDIGITS, 64, 40 + n as u64));
            assert_finds_in("digitalocean-token", ASSIGNMENTS, "do", &t);
            assert_finds_in("digitalocean-token", ANYWHERE, "do", &t);
            assert_clean([format!("log {t}0 end")]);
        }
        assert_placeholders_clean("do", "dop_v1_", 64);
    }

    #[test]
    fn heroku_api_key() {
        let key = token("heroku-api-key", 1);
        assert_finds_in("heroku-api-key", ASSIGNMENTS, "heroku", &key);
        assert_finds_in("heroku-api-key", ANYWHERE, "heroku", &key);
        // The older UUID form needs the name.
        let uuid = uuid(50);
        assert_finds_in("heroku-api-key", ASSIGNMENTS, "heroku", &uuid);
        assert_finds("heroku-api-key", &format!("HEROKU_API_KEY={uuid}"), &uuid);
        assert_clean([
            format!("request_id={uuid}"),
            format!("heroku_app_id: {uuid}"),
            format!("log {key}_x"),
        ]);
        assert_placeholders_clean("heroku", "HRKU-AA", 58);
    }

    #[test]
    fn databricks_token() {
        let t = token("databricks-token", 1);
        assert_finds_in("databricks-token", ASSIGNMENTS, "databricks", &t);
        assert_finds_in("databricks-token", ANYWHERE, "databricks", &t);
        let suffixed = format!("{t}-2");
        assert_finds(
            "databricks-token",
            &format!("token = {suffixed}"),
            &suffixed,
        );
        assert_clean([format!(
            "DATABRICKS_HOST=dapi{}",
            "123456789012345678a9bc01234defg5"
        )]);
        assert_placeholders_clean("databricks", "dapi", 32);
    }
}
