//! `evidencepack completions SHELL`: the shell's completion script on standard output
//! (clap_complete), e.g. `evidencepack completions bash > ~/.local/share/bash-completion/completions/evidencepack`.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::CommandFactory;
use clap_complete::Shell;

use super::Cli;

/// Print the completion script for `shell`. The script is generated into memory first:
/// clap_complete panics on a write error, and a closed pipe must end the command quietly.
pub(super) fn run(shell: Shell) -> anyhow::Result<ExitCode> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "evidencepack", &mut script);
    let mut out = io::stdout().lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
