//! Software-as-a-service: Slack, Stripe, SendGrid, Twilio, Shopify, Linear, Grafana, Datadog.

use super::{assign, Check, Reach, Spec};

/// Slack bot token, `xoxb-<team id>-<bot id>-<secret>` (current and legacy shapes).
///
/// Sources: gitleaks rules `slack-bot-token` and `slack-legacy-bot-token`; detect-secrets
/// `SlackDetector`.
pub(super) const SLACK_BOT_TOKEN: Spec = Spec {
    id: "slack-bot-token",
    name: "Slack bot token",
    pattern: r"xoxb-[0-9]{8,14}-(?:[0-9]{10,13}[0-9A-Za-z-]*|[0-9A-Za-z]{18,26})",
    group: 0,
    keywords: &["xoxb-"],
    check: Check::Token(3.0),
    reach: Reach::Line,
};

/// Slack user token (`xoxp-`) or token-rotation token (`xoxe-`): three numeric ids + secret.
///
/// Sources: gitleaks rule `slack-user-token`; detect-secrets `SlackDetector`.
pub(super) const SLACK_USER_TOKEN: Spec = Spec {
    id: "slack-user-token",
    name: "Slack user token",
    pattern: r"xox[pe](?:-[0-9]{10,13}){3}-[0-9A-Za-z-]{28,34}",
    group: 0,
    keywords: &["xoxp-", "xoxe-"],
    check: Check::Token(2.0),
    reach: Reach::Line,
};

/// Slack legacy workspace / app tokens (`xoxa-`, `xoxr-`) and legacy tokens (`xoxo-`, `xoxs-`).
///
/// Sources: gitleaks rules `slack-legacy-workspace-token` and `slack-legacy-token`;
/// detect-secrets `SlackDetector` (`xox[baprs]-…`).
pub(super) const SLACK_LEGACY_TOKEN: Spec = Spec {
    id: "slack-legacy-token",
    name: "Slack legacy or workspace token",
    pattern: r"xox[ar]-(?:[0-9]-)?[0-9A-Za-z]{8,48}|xox[os]-[0-9]+-[0-9]+-[0-9]+-[0-9A-Fa-f]+",
    group: 0,
    keywords: &["xoxa-", "xoxr-", "xoxo-", "xoxs-"],
    check: Check::Token(2.0),
    reach: Reach::Line,
};

/// Slack incoming webhook URL, `https://hooks.slack.com/services/T…/B…/<24-char secret>` (also the
/// `workflows` and `triggers` forms). The documented `XXXXXXXX` placeholder fails the entropy check
/// on the random tail.
///
/// Sources: gitleaks rule `slack-webhook-url`; detect-secrets `SlackDetector`; trufflehog
/// `slackwebhook` detector.
pub(super) const SLACK_WEBHOOK_URL: Spec = Spec {
    id: "slack-webhook-url",
    name: "Slack webhook URL",
    pattern: r"(?:https?://)?hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/]{43,56}",
    group: 0,
    keywords: &["hooks.slack.com"],
    check: Check::TailToken { len: 24, min: 3.0 },
    reach: Reach::Line,
};

/// Stripe live secret (`sk_live_`) or restricted (`rk_live_`) API key; `sk_test_` keys are not
/// reported (test mode cannot move money).
///
/// Sources: gitleaks rule `stripe-access-token` (narrowed to live/prod); detect-secrets
/// `StripeDetector` (`[rs]k_live_…`).
pub(super) const STRIPE_LIVE_KEY: Spec = Spec {
    id: "stripe-live-key",
    name: "Stripe live secret or restricted key",
    pattern: r"(?-u:\b)(?:sk|rk)_(?:live|prod)_[0-9A-Za-z]{16,247}",
    group: 0,
    keywords: &["sk_live_", "rk_live_", "sk_prod_", "rk_prod_"],
    check: Check::Token(3.0),
    reach: Reach::Line,
};

/// SendGrid API key: `SG.` + 22 chars + `.` + 43 chars (base64url).
///
/// Sources: Twilio SendGrid docs, "API Keys" (keys start with `SG.`); gitleaks rule
/// `sendgrid-api-token`; trufflehog `sendgrid` (`SG\.[\w\-]{20,24}\.[\w\-]{39,50}`).
pub(super) const SENDGRID_API_KEY: Spec = Spec {
    id: "sendgrid-api-key",
    name: "SendGrid API key",
    pattern: r"(?-u:\b)(SG\.[A-Za-z0-9_-]{20,24}\.[A-Za-z0-9_-]{39,50})(?:[^A-Za-z0-9_-]|$)",
    group: 1,
    keywords: &["sg."],
    check: Check::Token(3.0),
    reach: Reach::Line,
};

/// Twilio API key SID: `SK` + 32 hex chars (the SID that names an API key; its secret has no
/// prefix and is found by the generic rule when assigned).
///
/// Sources: Twilio docs, "API keys" (SIDs start with `SK`); gitleaks rule `twilio-api-key`;
/// trufflehog `twilioapikey`. The keywords are `sk` and a hex digit, so that words such as
/// "task" or "disk" do not send their lines to the regex.
pub(super) const TWILIO_API_KEY: Spec = Spec {
    id: "twilio-api-key",
    name: "Twilio API key",
    pattern: r"(?-u:\b)(SK[0-9a-fA-F]{32})(?-u:\b)",
    group: 1,
    keywords: &[
        "sk0", "sk1", "sk2", "sk3", "sk4", "sk5", "sk6", "sk7", "sk8", "sk9", "ska", "skb", "skc",
        "skd", "ske", "skf",
    ],
    check: Check::Token(3.0),
    reach: Reach::Line,
};

/// Shopify access token (`shpat_`), custom app (`shpca_`) or private app (`shppa_`) token, or
/// shared secret (`shpss_`): the prefix and 32 hex chars.
///
/// Sources: Shopify docs, "About authentication" (token prefixes); gitleaks rules
/// `shopify-access-token`, `shopify-custom-access-token`, `shopify-private-app-access-token`,
/// `shopify-shared-secret`; trufflehog `shopify`.
pub(super) const SHOPIFY_TOKEN: Spec = Spec {
    id: "shopify-token",
    name: "Shopify access token or shared secret",
    pattern: r"(?-u:\b)(shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})(?:[^A-Za-z0-9_]|$)",
    group: 1,
    keywords: &["shpat_", "shpca_", "shppa_", "shpss_"],
    check: Check::Token(3.0),
    reach: Reach::Line,
};

/// Linear API key, `lin_api_` + 40 base62 chars.
///
/// Sources: Linear developers, "Authentication" (personal API keys); gitleaks rule
/// `linear-api-key`; trufflehog `linearapi`.
pub(super) const LINEAR_API_KEY: Spec = Spec {
    id: "linear-api-key",
    name: "Linear API key",
    pattern: r"(?-u:\b)(lin_api_[A-Za-z0-9]{40})(?:[^A-Za-z0-9_]|$)",
    group: 1,
    keywords: &["lin_api_"],
    check: Check::Token(3.0),
    reach: Reach::Line,
};

/// Grafana Cloud API token (access policy token), `glc_` + 32 or more base64 chars.
///
/// Sources: gitleaks rule `grafana-cloud-api-token`; trufflehog `grafana`; Grafana Cloud docs,
/// "Access policies" (tokens start with `glc_`).
pub(super) const GRAFANA_CLOUD_TOKEN: Spec = Spec {
    id: "grafana-cloud-api-token",
    name: "Grafana Cloud API token",
    pattern: r"(?-u:\b)(glc_[A-Za-z0-9+/]{32,400}={0,3})(?:[^A-Za-z0-9+/=_]|$)",
    group: 1,
    keywords: &["glc_"],
    check: Check::Token(3.0),
    reach: Reach::Line,
};

/// Grafana service account token, `glsa_` + 32 base62 chars + `_` + 8 hex chars.
///
/// Sources: gitleaks rule `grafana-service-account-token`; trufflehog `grafanaserviceaccount`;
/// Grafana docs, "Service accounts".
pub(super) const GRAFANA_SERVICE_ACCOUNT_TOKEN: Spec = Spec {
    id: "grafana-service-account-token",
    name: "Grafana service account token",
    pattern: r"(?-u:\b)(glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})(?:[^A-Za-z0-9_]|$)",
    group: 1,
    keywords: &["glsa_"],
    check: Check::Token(3.0),
    reach: Reach::Line,
};

/// Grafana (legacy) API key: base64 of `{"k":"…` (`eyJrIjoi`) and 70 or more chars.
///
/// Sources: gitleaks rule `grafana-api-key`. Its keyword is the JSON Web Token's `eyj`, which
/// starts it too.
pub(super) const GRAFANA_API_KEY: Spec = Spec {
    id: "grafana-api-key",
    name: "Grafana API key",
    pattern: r"(?-u:\b)(eyJrIjoi[A-Za-z0-9]{70,400}={0,3})(?:[^A-Za-z0-9+/=_.-]|$)",
    group: 1,
    keywords: &["eyj"],
    check: Check::Token(3.0),
    reach: Reach::Line,
};

/// Datadog API key (32 chars) or application key (40 chars), lower-case alphanumerics, assigned
/// to a name with `datadog` and `key`, `token` or `secret` (`DATADOG_API_KEY`,
/// `datadog.app_key`), to Datadog's own names (`DD_API_KEY`, `DD_APP_KEY`, the `DD-API-KEY` and
/// `DD-APPLICATION-KEY` headers) or to `apiKey` / `appKey` under `datadog:` (the Helm chart's
/// values). The keys have no prefix: the name is what marks them.
///
/// Sources: Datadog docs, "API and Application Keys" and the Agent's `DD_API_KEY`; gitleaks rule
/// `datadog-access-token` (keyword `datadog`, 40 chars); trufflehog `datadogtoken`
/// (`datadog`/`dd` prefix, 32- and 40-char keys).
pub(super) const DATADOG_KEY: Spec = Spec {
    id: "datadog-api-key",
    name: "Datadog API or application key",
    pattern: concat!(
        r"(?i)(?-u:\b)(?:(?:[a-z0-9_.-]{0,30}?datadog[a-z0-9_.-]{0,20}?(?:key|token|secret)|dd[_-](?:api|app|application|client)[_-]?(?:key|token))s?",
        assign!(),
        r#"|datadog:[ \t]*\r?\n[ \t]+(?:api|app|application)[_-]?key:[ \t]*["']?)([a-z0-9]{40}|[a-z0-9]{32})(?:[^a-z0-9]|$)"#
    ),
    group: 1,
    keywords: &[
        "datadog",
        "dd_api",
        "dd-api",
        "dd_app",
        "dd-app",
        "dd_client",
        "dd-client",
    ],
    check: Check::Token(3.0),
    reach: Reach::NextLine,
};

#[cfg(test)]
mod tests {
    use crate::secrets::samples::*;

    #[test]
    fn slack_tokens() {
        let bot = token("slack-bot-token", 1);
        let user = token("slack-user-token", 1);
        let legacy = format!("xoxr-{}", fake(ALNUM, 32, 8));
        for (rule, t) in [
            ("slack-bot-token", &bot),
            ("slack-user-token", &user),
            ("slack-legacy-token", &legacy),
        ] {
            assert_finds_in(rule, ASSIGNMENTS, "slack", t);
            assert_finds_in(rule, ANYWHERE, "slack", t);
        }
        let hook = format!(
            "https://hooks.slack.com/services/T{}/B{}/{}",
            fake(UPPER_NUM, 8, 9),
            fake(UPPER_NUM, 10, 10),
            fake(ALNUM, 24, 11)
        );
        assert_finds_in("slack-webhook-url", ASSIGNMENTS, "slack", &hook);
        assert_placeholders_clean("slack", "xoxb-123456789012-123456789012-", 24);
    }

    #[test]
    fn stripe_live_key() {
        let live = format!("sk_live_{}", fake(ALNUM, 24, 12));
        assert_finds_in("stripe-live-key", ASSIGNMENTS, "stripe", &live);
        assert_finds_in("stripe-live-key", ANYWHERE, "stripe", &live);
        // Test-mode keys cannot move money; publishable keys are public.
        let test = format!("sk_test_{}", fake(ALNUM, 24, 13));
        let publishable = format!("pk_live_{}", fake(ALNUM, 24, 14));
        for t in [&test, &publishable] {
            assert_clean(ANYWHERE.iter().map(|form| place(form, "stripe", t)));
            assert_clean([format!("STRIPE_KEY={t}")]);
        }
        assert_placeholders_clean("stripe", "sk_live_", 24);
    }

    #[test]
    fn sendgrid_api_key() {
        let t = token("sendgrid-api-key", 1);
        assert_finds_in("sendgrid-api-key", ASSIGNMENTS, "sendgrid", &t);
        assert_finds_in("sendgrid-api-key", ANYWHERE, "sendgrid", &t);
        // `msg.` is not `SG.`; a short middle part is not a key.
        assert_clean([
            format!("log MSG.{} end", &t[3..]),
            format!(
                "log SG.{}.{} end",
                fake(URLSAFE, 10, 15),
                fake(URLSAFE, 43, 16)
            ),
        ]);
        assert_placeholders_clean("sendgrid", "SG.", 66);
    }

    #[test]
    fn twilio_api_key() {
        let t = token("twilio-api-key", 1);
        assert_finds_in("twilio-api-key", ASSIGNMENTS, "twilio", &t);
        assert_finds_in("twilio-api-key", ANYWHERE, "twilio", &t);
        assert_clean([
            format!("TASK{}", &t[2..]),
            format!("sk{}", &t[2..]),
            format!("{t}0"),
        ]);
        assert_placeholders_clean("twilio", "SK", 32);
    }

    #[test]
    fn shopify_token() {
        for (n, prefix) in ["shpat_", "shpca_", "shppa_", "shpss_"]
            .into_iter()
            .enumerate()
        {
            let t = format!("{prefix}{}", fake(HEXDIGITS, 32, 20 + n as u64));
            assert_finds_in("shopify-token", ASSIGNMENTS, "shopify", &t);
            assert_finds_in("shopify-token", ANYWHERE, "shopify", &t);
        }
        assert_placeholders_clean("shopify", "shpat_", 32);
    }

    #[test]
    fn linear_api_key() {
        let t = token("linear-api-key", 1);
        assert_finds_in("linear-api-key", ASSIGNMENTS, "linear", &t);
        assert_finds_in("linear-api-key", ANYWHERE, "linear", &t);
        assert_placeholders_clean("linear", "lin_api_", 40);
    }

    #[test]
    fn grafana_tokens() {
        for rule in [
            "grafana-cloud-api-token",
            "grafana-service-account-token",
            "grafana-api-key",
        ] {
            let t = token(rule, 1);
            assert_finds_in(rule, ASSIGNMENTS, "grafana", &t);
            assert_finds_in(rule, ANYWHERE, "grafana", &t);
        }
        // C identifiers that start like a token (gitleaks' false positives).
        assert_clean([
            "static void GLC_CreateLightmapTextureArray(void);",
            "void GLC_StateBeginUnderwaterAliasModelCaustics(texture_ref base_texture)",
        ]);
        assert_placeholders_clean("grafana", "glc_", 40);
        assert_placeholders_clean("grafana", "glsa_", 41);
    }

    #[test]
    fn datadog_api_key() {
        let api = token("datadog-api-key", 1);
        let app = fake(HEXDIGITS, 40, 30);
        for t in [&api, &app] {
            assert_finds_in("datadog-api-key", ASSIGNMENTS, "datadog", t);
            for text in [
                format!("DD_API_KEY={t}"),
                format!("export DD_APP_KEY=\"{t}\""),
                format!("curl -H \"DD-API-KEY: {t}\" https://api.datadoghq.eu/api/v1/validate"),
                format!("datadog:\n  api_key: {t}\n"),
            ] {
                assert_finds("datadog-api-key", &text, t);
            }
        }
        // Without its keyword a 32-char hex is anything (a trace id, an MD5).
        assert_clean([
            format!("trace_id={api}"),
            format!("md5 {api} ok"),
            format!("datadog_trace_id: {api}"),
            format!("datadog_api_key_id: {api}"),
        ]);
        assert_placeholders_clean("datadog", "", 32);
    }
}
