//! The live-reload hook of served pages: the script, its injection into a page, the status it
//! polls and the page shown while no build has succeeded yet.
//!
//! Pages written by `build` forbid every script (`default-src 'none'`); a served page gets its
//! policy widened to this server's own script and status (`script-src 'self'; connect-src
//! 'self'`) and a `<script>` before `</body>`, in the response only: the files on disk are never
//! changed.

use serde_json::json;

/// The URL path of the script.
pub(super) const SCRIPT_PATH: &str = "/__evidencepack/live.js";
/// The URL path of the status the script polls.
pub(super) const STATUS_PATH: &str = "/__evidencepack/status";
/// The script (polls the status; reloads on a new generation, shows errors over the page).
pub(super) const SCRIPT: &str = include_str!("live.js");

/// The policy every page carries (`templates/base.html`, `templates/landing.html`).
const POLICY: &str = "default-src 'none';";
/// The same, allowing this server's script and status.
const SERVED_POLICY: &str = "default-src 'none'; script-src 'self'; connect-src 'self';";

/// What the server knows of its builds.
#[derive(Debug, Default, Clone)]
pub(super) struct Status {
    /// Incremented by every successful build; a page built by an older one reloads.
    pub(super) generation: u64,
    /// The last build's errors, when it failed (the last good build is still served).
    pub(super) error: Option<String>,
}

impl Status {
    /// The JSON the script polls.
    pub(super) fn json(&self) -> String {
        json!({ "generation": self.generation, "error": self.error }).to_string()
    }
}

/// `page` with the reload hook for `generation` injected.
pub(super) fn inject(page: &str, generation: u64) -> String {
    let page = page.replacen(POLICY, SERVED_POLICY, 1);
    let tag = format!("<script src=\"{SCRIPT_PATH}\" data-generation=\"{generation}\"></script>\n");
    match page.rfind("</body>") {
        Some(at) => format!("{}{tag}{}", &page[..at], &page[at..]),
        None => page + &tag,
    }
}

/// The page served at every path while no build has succeeded: the errors, and the hook that
/// reloads it once a build succeeds.
pub(super) fn error_page(error: &str) -> String {
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{POLICY} base-uri 'none'; form-action 'none'\">\n\
         <title>Build failed: evidencepack serve</title>\n</head>\n<body>\n<main>\n\
         <h1>The content does not check</h1>\n<p>Nothing has been built yet. Fix these problems \
         and save; this page reloads when a build succeeds.</p>\n<pre>{}</pre>\n</main>\n</body>\n</html>\n",
        escape(error)
    );
    inject(&page, 0)
}

/// `text` safe inside an HTML element.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<html><head><meta http-equiv=\"Content-Security-Policy\" \
        content=\"default-src 'none'; style-src 'self' file:\"></head><body><p>x</p></body></html>";

    #[test]
    fn the_hook_goes_before_the_end_of_the_body_and_the_policy_allows_it() {
        let served = inject(PAGE, 7);
        assert!(served.contains(
            "content=\"default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self' file:\""
        ));
        assert!(served.ends_with(
            "<p>x</p><script src=\"/__evidencepack/live.js\" data-generation=\"7\"></script>\n</body></html>"
        ));
        // A page without a body gets the hook at its end.
        assert!(inject("<p>x</p>", 1).ends_with("data-generation=\"1\"></script>\n"));
    }

    #[test]
    fn the_error_page_escapes_the_errors_and_reloads() {
        let page = error_page("a.md:1:1: error[E003]: <script>alert(1)</script> & more");
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"));
        assert!(!page.contains("<script>alert"));
        assert!(page.contains("data-generation=\"0\""));
        assert!(page.contains("script-src 'self'"));
    }

    #[test]
    fn the_status_is_json() {
        let s = Status {
            generation: 3,
            error: Some("x \"y\"".into()),
        };
        let v: serde_json::Value = serde_json::from_str(&s.json()).unwrap();
        assert_eq!(v["generation"], 3);
        assert_eq!(v["error"], "x \"y\"");
        assert_eq!(Status::default().json(), r#"{"generation":0,"error":null}"#);
    }
}
