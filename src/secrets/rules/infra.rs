//! Secret managers and infrastructure as code: HashiCorp Vault, Terraform Cloud, Doppler.

use super::{Check, Reach, Spec};

/// HashiCorp Vault service token, `hvs.` + 90 to 120 chars.
///
/// Sources: Vault docs, "Tokens" (token prefixes: `hvs.` service, `hvb.` batch); gitleaks rule
/// `vault-service-token`; trufflehog `hashicorpvaulttoken`. Legacy `s.` tokens have no prefix
/// worth the name and are left to the generic rule.
pub(super) const VAULT_SERVICE_TOKEN: Spec = Spec {
    id: "vault-service-token",
    name: "HashiCorp Vault service token",
    pattern: r"(?-u:\b)(hvs\.[A-Za-z0-9_-]{90,120})(?:[^A-Za-z0-9_-]|$)",
    group: 1,
    keywords: &["hvs."],
    check: Check::Token(3.5),
    reach: Reach::Line,
};

/// HashiCorp Vault batch token, `hvb.` + 138 to 300 chars.
///
/// Sources: Vault docs, "Tokens" and "Batch tokens"; gitleaks rule `vault-batch-token`.
pub(super) const VAULT_BATCH_TOKEN: Spec = Spec {
    id: "vault-batch-token",
    name: "HashiCorp Vault batch token",
    pattern: r"(?-u:\b)(hvb\.[A-Za-z0-9_-]{138,300})(?:[^A-Za-z0-9_-]|$)",
    group: 1,
    keywords: &["hvb."],
    check: Check::Token(4.0),
    reach: Reach::Line,
};

/// Terraform Cloud / HCP Terraform user, team or organization API token:
/// 14 chars + `.atlasv1.` + 60 to 70 chars.
///
/// Sources: gitleaks rule `hashicorp-tf-api-token`; trufflehog `terraformcloudpersonaltoken`;
/// HCP Terraform docs, "API tokens".
pub(super) const TERRAFORM_CLOUD_TOKEN: Spec = Spec {
    id: "terraform-cloud-api-token",
    name: "Terraform Cloud API token",
    pattern: r"(?-u:\b)([A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70})(?:[^A-Za-z0-9_=-]|$)",
    group: 1,
    keywords: &["atlasv1"],
    check: Check::Token(3.5),
    reach: Reach::Line,
};

/// Doppler token: personal (`dp.pt.`), CLI (`dp.ct.`), service (`dp.st.`, optionally with the
/// environment: `dp.st.prd.`), service account (`dp.sa.`), SCIM (`dp.scim.`) or audit
/// (`dp.audit.`), then 40 to 44 base62 chars.
///
/// Sources: Doppler docs, "Service Tokens" and "Token formats"; trufflehog `doppler` (the prefix
/// list); gitleaks rule `doppler-api-token` (`dp.pt.`).
pub(super) const DOPPLER_TOKEN: Spec = Spec {
    id: "doppler-token",
    name: "Doppler token",
    pattern: r"(?-u:\b)(dp\.(?:pt|ct|sa|scim|audit|st(?:\.[a-z0-9_-]{2,35})?)\.[A-Za-z0-9]{40,44})(?:[^A-Za-z0-9_]|$)",
    group: 1,
    keywords: &[
        "dp.pt.",
        "dp.ct.",
        "dp.sa.",
        "dp.scim.",
        "dp.audit.",
        "dp.st.",
    ],
    check: Check::Token(3.0),
    reach: Reach::Line,
};

#[cfg(test)]
mod tests {
    use crate::secrets::samples::*;

    #[test]
    fn vault_tokens() {
        for rule in ["vault-service-token", "vault-batch-token"] {
            let t = token(rule, 1);
            assert_finds_in(rule, ASSIGNMENTS, "vault", &t);
            assert_finds_in(rule, ANYWHERE, "vault", &t);
            assert_finds(
                rule,
                &format!(
                    "curl -H \"X-Vault-Token: {t}\" https://vault.internal:8200/v1/sys/health"
                ),
                &t,
            );
        }
        // Too short for a service token; a Java-ish `s.` member access is no legacy token.
        assert_clean([
            format!("log hvs.{} end", fake(URLSAFE, 40, 1)),
            "s.makeKubeConfigController = args".to_string(),
        ]);
        assert_placeholders_clean("vault", "hvs.", 95);
    }

    #[test]
    fn terraform_cloud_api_token() {
        let t = token("terraform-cloud-api-token", 1);
        assert_finds_in("terraform-cloud-api-token", ASSIGNMENTS, "tfe", &t);
        assert_finds_in("terraform-cloud-api-token", ANYWHERE, "tfe", &t);
        assert_finds(
            "terraform-cloud-api-token",
            &format!("credentials \"app.terraform.io\" {{\n  token = \"{t}\"\n}}"),
            &t,
        );
        assert_placeholders_clean("tfe", "xxxxxxxxxxxxxx.atlasv1.", 67);
    }

    #[test]
    fn doppler_token() {
        for (n, prefix) in [
            "dp.pt.",
            "dp.ct.",
            "dp.st.",
            "dp.st.prd.",
            "dp.sa.",
            "dp.scim.",
            "dp.audit.",
        ]
        .into_iter()
        .enumerate()
        {
            let t = format!("{prefix}{}", fake(ALNUM, 43, 10 + n as u64));
            assert_finds_in("doppler-token", ASSIGNMENTS, "doppler", &t);
            assert_finds_in("doppler-token", ANYWHERE, "doppler", &t);
        }
        // Doppler's own documentation writes `dp.st.prd.xxxx`.
        assert_clean(["echo 'dp.st.prd.xxxx' | doppler configure set token --scope /usr/src/app"]);
        assert_placeholders_clean("doppler", "dp.pt.", 43);
    }
}
