//! AI platforms: OpenAI, Anthropic, Hugging Face.

use super::{Check, Reach, Spec};

/// OpenAI API key: project / service-account / admin keys (`sk-proj-…`, `sk-svcacct-…`,
/// `sk-admin-…`) and legacy user keys carrying the `T3BlbkFJ` marker (base64 of "OpenAI").
///
/// Sources: gitleaks rule `openai-api-key` (keyword `T3BlbkFJ`); detect-secrets `OpenAIDetector`;
/// trufflehog `openai` detector.
pub(super) const OPENAI_API_KEY: Spec = Spec {
    id: "openai-api-key",
    name: "OpenAI API key",
    pattern: r"(?-u:\b)(?:sk-(?:proj|svcacct|admin)-[0-9A-Za-z_-]{40,300}|sk-[0-9A-Za-z_-]{8,200}T3BlbkFJ[0-9A-Za-z_-]{8,200})",
    group: 0,
    keywords: &["sk-proj-", "sk-svcacct-", "sk-admin-", "t3blbkfj"],
    check: Check::Token(3.5),
    reach: Reach::Line,
};

/// Anthropic API key (`sk-ant-api03-`) or Admin API key (`sk-ant-admin01-`): the prefix, 93
/// chars and `AA`.
///
/// Sources: gitleaks rules `anthropic-api-key` and `anthropic-admin-api-key`; trufflehog
/// `anthropic`.
pub(super) const ANTHROPIC_API_KEY: Spec = Spec {
    id: "anthropic-api-key",
    name: "Anthropic API key",
    pattern: r"(?-u:\b)(sk-ant-(?:api03|admin01)-[A-Za-z0-9_-]{93}AA)(?:[^A-Za-z0-9_-]|$)",
    group: 1,
    keywords: &["sk-ant-"],
    check: Check::Token(3.0),
    reach: Reach::Line,
};

/// Hugging Face user access token (`hf_`) or organization API token (`api_org_`), + 34 chars.
///
/// Sources: Hugging Face docs, "User access tokens"; gitleaks rules `huggingface-access-token`
/// and `huggingface-organization-api-token`; trufflehog `huggingface`.
pub(super) const HUGGING_FACE_TOKEN: Spec = Spec {
    id: "hugging-face-token",
    name: "Hugging Face access token",
    pattern: r"(?-u:\b)((?:hf_|api_org_)[A-Za-z0-9]{34})(?:[^A-Za-z0-9_]|$)",
    group: 1,
    keywords: &["hf_", "api_org_"],
    check: Check::Token(3.0),
    reach: Reach::Line,
};

#[cfg(test)]
mod tests {
    use crate::secrets::samples::*;

    #[test]
    fn openai_api_key() {
        let t = token("openai-api-key", 1);
        assert_finds_in("openai-api-key", ASSIGNMENTS, "openai", &t);
        assert_finds_in("openai-api-key", ANYWHERE, "openai", &t);
        let legacy = format!("sk-{}T3BlbkFJ{}", fake(ALNUM, 20, 2), fake(ALNUM, 20, 3));
        assert_finds_in("openai-api-key", ANYWHERE, "openai", &legacy);
        assert_placeholders_clean("openai", "sk-proj-", 48);
    }

    #[test]
    fn anthropic_api_key() {
        let t = token("anthropic-api-key", 1);
        assert_finds_in("anthropic-api-key", ASSIGNMENTS, "anthropic", &t);
        assert_finds_in("anthropic-api-key", ANYWHERE, "anthropic", &t);
        let admin = format!("sk-ant-admin01-{}AA", fake(URLSAFE, 93, 2));
        assert_finds(
            "anthropic-api-key",
            &format!("-H \"x-api-key: {admin}\""),
            &admin,
        );
        // Without the closing `AA`, or a body of the wrong length.
        assert_clean([
            format!("log {}BB end", &t[..t.len() - 2]),
            format!("log sk-ant-api03-{}AA end", fake(URLSAFE, 60, 3)),
        ]);
        assert_placeholders_clean("anthropic", "sk-ant-api03-", 95);
    }

    #[test]
    fn hugging_face_token() {
        let t = token("hugging-face-token", 1);
        assert_finds_in("hugging-face-token", ASSIGNMENTS, "hf", &t);
        assert_finds_in("hugging-face-token", ANYWHERE, "hf", &t);
        let org = format!("api_org_{}", fake(ALNUM, 34, 2));
        assert_finds_in("hugging-face-token", ANYWHERE, "hf", &org);
        // Identifiers that contain `hf_` (gitleaks' false positives).
        assert_clean([
            "- (id)hf_requiredCharacteristicTypesForDisplayMetadata;",
            "  _kHMSymptomhf_generatedByHomeAppForDebuggingPurposesKey,",
            "const api_org_controller = require('../../controllers/api/index').organizations;",
        ]);
        assert_placeholders_clean("hf", "hf_", 34);
    }
}
