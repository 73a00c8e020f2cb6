//! The `evidencepack` binary.

fn main() -> std::process::ExitCode {
    evidencepack::cli::main()
}
