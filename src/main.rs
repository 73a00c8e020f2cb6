//! The `evidencepack` binary.

/// mimalloc: rendering allocates and frees many small strings and JSON values on every thread.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    evidencepack::cmd::main()
}
