//! Credentials that are no one vendor's: PEM private keys, JSON Web Tokens, passwords in URLs,
//! `Authorization` and API-key headers, and the generic secret assignment.

use super::{assign, Check, Reach, Spec};

/// PEM private key block (`-----BEGIN [RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP ]PRIVATE KEY[ BLOCK]-----`)
/// followed by key material, also inside a JSON string (`\n`) or a JSON string inside another
/// (`\\n`). A header mentioned in prose, with no base64 body, is not reported.
///
/// Sources: gitleaks rule `private-key`; detect-secrets `PrivateKeyDetector`; trufflehog
/// `privatekey` detector.
pub(super) const PRIVATE_KEY: Spec = Spec {
    id: "private-key",
    name: "Private key (PEM block)",
    pattern: r"-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----(?:\s|\\+[rn])+(?:[A-Za-z0-9-]+:[^\r\n\\]*(?:\s|\\+[rn])+)*[A-Za-z0-9+/=]{40,}",
    group: 0,
    keywords: &["-----begin"],
    check: Check::PrivateKey,
    reach: Reach::Text,
};

/// JSON Web Token: `eyJ…` header, `ey…` claims and a signature, base64url-encoded and
/// dot-separated; also an unsigned token (`"alg": "none"`, nothing after the last dot).
///
/// Sources: gitleaks rule `jwt` (whose signature part is optional too); detect-secrets
/// `JwtTokenDetector`; trufflehog `jwt` detector; RFC 7519 section 6 (unsecured JWTs).
pub(super) const JWT: Spec = Spec {
    id: "jwt",
    name: "JSON Web Token",
    pattern: r"(?-u:\b)(eyJ[0-9A-Za-z_-]{10,}\.ey[0-9A-Za-z_-]{10,}\.(?:[0-9A-Za-z_-]{16,})?)(?:[^0-9A-Za-z_-]|$)",
    group: 1,
    keywords: &["eyj"],
    check: Check::Token(3.0),
    reach: Reach::Line,
};

/// A password in a URL's user information (`scheme://user:password@host`), as in database, queue
/// and Git remote URLs pasted into logs and tickets. Placeholders (`${DB_PASSWORD}`, `<password>`,
/// `password`, `****`) and passwords shorter than 6 characters are not reported.
///
/// Sources: Yelp detect-secrets `BasicAuthDetector`; trufflehog `uri` detector (URLs with
/// embedded credentials).
pub(super) const URL_PASSWORD: Spec = Spec {
    id: "url-password",
    name: "Password in a URL",
    pattern: r#"(?i)(?-u:\b)[a-z][a-z0-9+.-]{1,20}://[^\s:@/?#"'<>]{1,128}:([^\s:@/?#"'<>]{6,256})@[a-z0-9\[]"#,
    group: 1,
    keywords: &["://"],
    check: Check::UrlPassword,
    reach: Reach::Line,
};

/// An HTTP credential header, wherever it is written (a request log, `curl -H`, a JSON or
/// PowerShell map of headers): `Authorization` or `Proxy-Authorization` with a `Bearer`, `Basic`,
/// `token`, `Api-Token` … scheme, or a hyphenated header whose name ends in a key, token or secret
/// (`X-Api-Key`, `X-Auth-Token`, `Private-Token`, `X-Octopus-ApiKey`, `Ocp-Apim-Subscription-Key`,
/// `X-Amz-Security-Token`). The value must be a token of 16 chars or more that looks random;
/// `Basic` credentials are decoded and reported when their password is a real one. Anti-forgery
/// tokens (`X-CSRF-Token`) are not credentials.
///
/// Sources: gitleaks rule `curl-auth-header` (`cmd/generate/config/rules/curl.go`, its header
/// pattern without the `curl` around it); RFC 6750 (`Bearer`, `b64token` characters); RFC 7617
/// (`Basic`).
pub(super) const AUTH_HEADER: Spec = Spec {
    id: "http-auth-header",
    name: "Credentials in an HTTP header",
    pattern: r#"(?i)(?:(?-u:\b)(?:proxy-)?authorization\\?["']?[ \t]*[:=][ \t]*\\?["']?(basic|bearer|token|api-?token|api-?key)[ \t]+([A-Za-z0-9._~+/=-]{8,})|(?-u:\b)((?:[a-z0-9]+-)+(?:api-?key|apikey|access-?key|subscription-?key|(?:api-?|auth-?|access-?|private-?|security-?|session-?)?token|(?:api-?|client-?)?secret))\\?["']?[ \t]*[:=][ \t]*\\?["']?([A-Za-z0-9._~+/=-]{16,}))"#,
    group: 2,
    // The header's name ends in one of these after a hyphen (`-token` covers `-api-token` …).
    keywords: &[
        "authorization",
        "-token",
        "-secret",
        "-api-key",
        "-apikey",
        "-access-key",
        "-accesskey",
        "-subscription-key",
        "-subscriptionkey",
        "-apitoken",
        "-authtoken",
        "-accesstoken",
        "-privatetoken",
        "-securitytoken",
        "-sessiontoken",
        "-apisecret",
        "-clientsecret",
    ],
    check: Check::Header,
    reach: Reach::Line,
};

/// Generic secret assignment: `password=`, `passwd:`, `db_pass =`, `secret:`,
/// `client_secret =`, `token:`, `api_key:`, `access_key=`, `private_key:`, `credentials:`,
/// `creds =` … in any of the syntaxes of [`assign!`] (configuration files, source code of a dozen
/// languages, Makefiles, XML elements, comparisons and call arguments with a quoted value), whose
/// value is at least 16 chars, has at least 3.5 bits/char of Shannon entropy and is not an
/// obvious placeholder (`changeme`, `<redacted>`, `${VAR}`, `****`, `example`, `xxxxx`, …), a
/// URL, a path, an ARN, an e-mail address, a function call or an identifier that reads as words.
/// Key names that describe a secret rather than hold one (`…_id`, `…_name`, `…_policy`,
/// `…_rotation_days`, `…_url`, `…_sha256`, `csrf_token`, `keyVaultName` …) are skipped.
///
/// Sources: gitleaks rule `generic-api-key` (keywords, operators, `entropy = 3.5`, identifier
/// allowlist; its sample forms in `cmd/generate/config/utils/generate.go`); detect-secrets
/// `KeywordDetector` (its quoted comparison and call forms) and `Base64HighEntropyString`.
pub(super) const GENERIC_SECRET: Spec = Spec {
    id: "generic-secret",
    name: "Generic secret assignment (high entropy)",
    pattern: concat!(
        r"(?i)(?-u:\b)([a-z0-9_.-]{0,40}?(?:passw(?:or)?d|pwd|secret|token|api[_.-]?key|apikey|access[_.-]?key|private[_.-]?key|credentials?|creds?(?:[_.-]|(?-u:\b)))[a-z0-9_.-]{0,30}|(?:(?:[a-z0-9_.-]{0,40}?[_.-])?pass|[a-z0-9_.-]{0,40}?(?-i:[a-z0-9]Pass))(?:(?-u:\b)|[_.-][a-z0-9_.-]{0,30}))",
        assign!(),
        r#"([^\s"'`<>,;:=&\\][^\s"'`<>,;&\\]{15,511})"#
    ),
    group: 2,
    // `pass` only where a key name can end with it, so that `passed` or `passing` do not send
    // their lines to the regex.
    keywords: &[
        "passw",
        "pass_",
        "pass-",
        "pass.",
        "pass\"",
        "pass'",
        "pass`",
        "pass ",
        "pass\t",
        "pass:",
        "pass=",
        "pass!",
        "pass,",
        "pass(",
        "pass?",
        "pass+",
        "pass>",
        "pass[",
        "pass\\",
        "pwd",
        "secret",
        "token",
        "api_key",
        "api-key",
        "api.key",
        "apikey",
        "access_key",
        "access-key",
        "access.key",
        "accesskey",
        "private_key",
        "private-key",
        "private.key",
        "privatekey",
        "cred",
    ],
    check: Check::Generic,
    reach: Reach::NextLine,
};

#[cfg(test)]
mod tests {
    use crate::secrets::samples::*;
    use crate::secrets::scan;

    /// A value for the generic rule: random, with digits and mixed case.
    fn value(seed: u64) -> String {
        fake(ALNUM, 28, seed)
    }

    #[test]
    fn generic_secret_in_every_assignment_form() {
        let v = value(1);
        for identifier in ["api", "db", "client", "app"] {
            assert_finds_in("generic-secret", ASSIGNMENTS, identifier, &v);
        }
        assert_placeholders_clean("api", "", 28);
    }

    /// Key names beyond `password`, `secret` and `token`: `db_pass`, `creds`, credentials.
    #[test]
    fn generic_secret_key_names() {
        let v = value(2);
        for key in [
            "db_pass",
            "DB_PASS",
            "smtp.pass",
            "dbPass",
            "pass",
            "creds",
            "db_creds",
            "credentials",
            "AWS_CREDENTIALS_FILE_CONTENT",
            "passwd",
            "pwd",
            "client_secret",
            "api_key",
            "apiKey",
            "access_key",
            "private_key",
        ] {
            assert_finds("generic-secret", &format!("{key} = \"{v}\""), &v);
        }
        for key in [
            "passenger_name",
            "bypass_list",
            "compass_heading",
            "credit_card_last4",
        ] {
            assert_clean([format!("{key} = \"{v}\"")]);
        }
    }

    /// Comparisons, constructor and call arguments, with a quoted value only.
    #[test]
    fn generic_secret_in_comparisons_and_calls() {
        let v = value(3);
        for text in [
            format!("if (apikey == \"{v}\") {{"),
            format!("if token != '{v}':"),
            format!("if (password === \"{v}\")"),
            format!("std::string secret(\"{v}\");"),
            format!("System.setProperty(\"X_TOKEN\", \"{v}\");"),
            format!("os.environ.get(\"API_TOKEN\", \"{v}\")"),
        ] {
            assert_finds("generic-secret", &text, &v);
        }
        assert_clean([
            format!("if password == other_password_value_{} {{", &v[..6]),
            "token = fetch_token_from_environment(REGION_EU_1)".to_string(),
            "let secret = load_secret(client_name_2026_eu);".to_string(),
            "if retries > 5 and token_count > 1024:".to_string(),
        ]);
    }

    /// A value on the line after its key: an XML element's body, a YAML value.
    #[test]
    fn generic_secret_on_the_next_line() {
        let v = value(4);
        assert_finds(
            "generic-secret",
            &format!("<password>\n    {v}\n</password>"),
            &v,
        );
        assert_finds(
            "generic-secret",
            &format!("db:\n  password:\n    {v}\n"),
            &v,
        );
        // An empty `.env` variable does not take the next line's; a blank line breaks it.
        assert_clean([
            format!("DB_PASSWORD=\nAPI_HOST=https://{v}.northwind.example"),
            format!("password:\n\n  {v}"),
            format!("<password>@queue.internal:{v}"),
            format!("amqp://guest:<password>@{v}.internal:5672"),
        ]);
    }

    /// Random letters are a secret even without a digit (all but a few in a thousand: some
    /// happen to read as words); identifiers that read as words are not.
    #[test]
    fn generic_secret_without_digits() {
        let (mut found, mut tried) = (0, 0);
        for (n, alphabet) in [
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
            "abcdefghijklmnopqrstuvwxyz",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_",
        ]
        .into_iter()
        .enumerate()
        {
            for seed in 0..100 {
                let v = fake(alphabet, 16 + (seed % 25) as usize, 1000 * n as u64 + seed);
                if v.starts_with(['-', '_']) || !crate::secrets::rules::checks::token_ok(&v, 3.5) {
                    continue;
                }
                tried += 1;
                let text = format!("client_secret: \"{v}\"");
                if scan(&text).len() == 1 {
                    assert_finds("generic-secret", &text, &v);
                    found += 1;
                }
            }
        }
        assert!(
            tried > 300 && found * 100 >= tried * 99,
            "{found} of {tried}"
        );
        assert_clean([
            "secret: SecretsManagerRotationLambdaArn",
            "client_secret: your_client_secret_goes_here",
            "token = fetch_token_from_environment",
            "password_source: VaultKubernetesAuthBackendRole",
            "secret_ref: XMLHttpRequestCredentialsHandler",
            "api_key: Authorization.Header.Bearer.Scheme",
            "credentials: ServiceAccountTokenVolumeProjection",
            "secret_class: org.springframework.security.oauth",
        ]);
    }

    /// Names of Azure Key Vaults and the secrets in them are not secrets.
    #[test]
    fn key_vault_names_are_clean() {
        assert_clean([
            "keyVaultToStoreSecrets: cmp2-qat-1208358310",
            "\"keyVaultName\": \"kv-northwind-prod-secrets-01\",",
            "AZURE_KEY_VAULT_SECRET_NAME=db-password-prod-weu-2026",
            "secret_uri: https://kv-prod-weu.vault.azure.net/secrets/db-password/8f2c6a0e",
        ]);
    }

    #[test]
    fn jwt_signed_and_unsigned() {
        let signed = token("jwt", 1);
        let unsigned = unsigned_jwt(2);
        for t in [&signed, &unsigned] {
            assert_finds_in("jwt", ASSIGNMENTS, "jwt", t);
            assert_finds_in("jwt", ANYWHERE, "jwt", t);
        }
        assert_finds(
            "jwt",
            &format!("Headers @{{ 'X-API-KEY' = '{unsigned}' }}"),
            &unsigned,
        );
        // A signature too short to be one, and a low-entropy filler.
        assert_clean([
            format!(
                "log eyJ{}.eyJ{}.abc",
                fake(URLSAFE, 20, 8),
                fake(URLSAFE, 20, 9)
            ),
            format!("eyJ{}.eyJ{}.", "x".repeat(20), "x".repeat(30)),
        ]);
    }

    #[test]
    fn private_key_in_json_strings() {
        let body = fake(B64, 64, 10);
        for nl in ["\n", "\\n", "\\\\n", "\r\n"] {
            let pem =
                format!("-----BEGIN EC PRIVATE KEY-----{nl}{body}{nl}-----END EC PRIVATE KEY-----");
            let text = format!("{{\"key\": \"{pem}\"}}");
            assert_eq!(ids(&scan(&text)), ["private-key"], "{text}");
        }
        assert_clean(["Never commit a -----BEGIN RSA PRIVATE KEY----- block."]);
    }

    #[test]
    fn url_password() {
        let pw = value(11);
        for url in [
            format!("postgres://reporting:{pw}@db.internal:5432/app"),
            format!("git clone https://ci-bot:{pw}@git.northwind.example/platform.git"),
            format!("{{\"dsn\": \"amqp://svc:{pw}@mq.internal/\"}}"),
        ] {
            assert_finds("url-password", &url, &pw);
        }
        // A vendor token as the password is reported once, as that token.
        let npm = token("npm-access-token", 2);
        assert_finds(
            "npm-access-token",
            &format!("https://ci:{npm}@registry.example/"),
            &npm,
        );
    }

    #[test]
    fn http_auth_header() {
        let t = fake(ALNUM, 32, 12);
        for form in [
            "Authorization: Bearer {s}",
            "Authorization: token {s}",
            "Authorization: Api-Token {s}",
            "authorization=Bearer {s}",
            "Proxy-Authorization: Bearer {s}",
            "curl -H \"Authorization: Bearer {s}\" https://api.northwind.example",
            "curl --header 'X-Api-Key: {s}' https://api.northwind.example",
            "X-API-KEY: {s}",
            "X-Auth-Token: {s}",
            "X-Octopus-ApiKey: {s}",
            "Private-Token: {s}",
            "Ocp-Apim-Subscription-Key: {s}",
            "X-Amz-Security-Token: {s}",
            "{\"headers\": {\"X-Api-Key\": \"{s}\"}}",
            "headers = {'X-Auth-Token': '{s}'}",
            "-Headers @{ 'X-API-KEY' = '{s}' }",
            "2026-03-01 10:00:00 DEBUG > X-Api-Key: {s}",
        ] {
            assert_finds("http-auth-header", &place(form, "", &t), &t);
        }
        // Basic credentials: decoded, reported when the password is a real one.
        use ct_codecs::{Base64, Base64NoPadding, Encoder};
        let real = Base64::encode_to_string(format!("deploy:{}", value(13))).unwrap();
        let unpadded = Base64NoPadding::encode_to_string(format!("deploy:{}", value(14))).unwrap();
        for b in [&real, &unpadded] {
            assert_finds("http-auth-header", &format!("Authorization: Basic {b}"), b);
        }
        let weak = [
            "deploy:password",
            "deploy:",
            "deploy:changeme",
            "browser:pw",
        ]
        .map(|pair| Base64::encode_to_string(pair).unwrap());
        assert_clean(
            weak.iter()
                .map(|b| format!("-H 'Authorization: Basic {b}'")),
        );
        assert_clean([
            "Authorization: Bearer XXXXXXXXXXXXXXXXXXXX".to_string(),
            "Authorization: Bearer <Openverse API token>".to_string(),
            "Authorization: Bearer $API_TOKEN".to_string(),
            "Authorization: Bearer ${{ secrets.TOKEN }}".to_string(),
            "Authorization: Token **********".to_string(),
            "Authorization: Basic ...".to_string(),
            format!("Authorization: Bearer {}", &t[..12]),
            format!("X-CSRF-Token: {t}"),
            format!("X-XSRF-TOKEN: {t}"),
            format!("Idempotency-Key: {t}"),
            format!("Sec-WebSocket-Key: {t}"),
            format!("X-Request-Id: {t}"),
            format!("Authorization: Bearer abc{}<token>", &t[..16]),
        ]);
    }

    /// A vendor token in a header is reported once, as that token.
    #[test]
    fn vendor_tokens_win_over_the_header_and_the_assignment() {
        let gh = format!("ghp_{}", fake(ALNUM, 36, 15));
        assert_finds("github-pat", &format!("Authorization: token {gh}"), &gh);
        assert_finds("github-pat", &format!("github_token = \"{gh}\""), &gh);
        let jwt = token("jwt", 3);
        assert_finds("jwt", &format!("X-Auth-Token: {jwt}"), &jwt);
    }
}
