//! What a build is doing, on a terminal: a spinner with the stage (`[3/6] rendering the ISO
//! 27001 bundle (1,234 records)`) and the elapsed time on standard error, drawn only once the
//! build has run for a second, and cleared when it ends. Hidden (the default) it costs nothing;
//! the command line shows it only when standard error is a terminal and `--quiet` is not given.

use std::borrow::Cow;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The stages a build reports, in order.
pub(crate) const STAGES: u64 = 6;

/// How long a build runs before its progress is drawn.
const DELAY: Duration = Duration::from_secs(1);

/// The progress display of a build (hidden by default).
#[derive(Debug, Clone, Default)]
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// No display.
    pub fn hidden() -> Progress {
        Progress::default()
    }

    /// A display on standard error, drawn from one second into the build.
    pub fn on_stderr() -> Progress {
        let bar = ProgressBar::with_draw_target(Some(STAGES), ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{pos}/{len}] {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        let shown = bar.clone();
        std::thread::spawn(move || {
            std::thread::sleep(DELAY);
            if !shown.is_finished() {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.enable_steady_tick(Duration::from_millis(120));
            }
        });
        Progress { bar: Some(bar) }
    }

    /// Whether anything is ever drawn.
    pub fn is_visible(&self) -> bool {
        self.bar.is_some()
    }

    /// The build entered stage `n` (1 to [`STAGES`]), doing `what`.
    pub(crate) fn stage(&self, n: u64, what: impl Into<Cow<'static, str>>) {
        if let Some(bar) = &self.bar {
            bar.set_position(n);
            bar.set_message(what);
        }
    }

    /// The build ended (either way): clear the line.
    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_progress_draws_nothing_and_takes_stages() {
        let p = Progress::hidden();
        assert!(!p.is_visible());
        p.stage(1, "checking");
        p.finish();
        let shown = Progress::on_stderr();
        assert!(shown.is_visible());
        shown.stage(2, "rendering");
        assert_eq!(shown.bar.as_ref().unwrap().position(), 2);
        shown.finish();
        assert!(shown.bar.as_ref().unwrap().is_finished());
    }
}
