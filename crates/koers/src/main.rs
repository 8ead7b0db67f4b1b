//! The `koers` command: serve, migrate, demo, user.

mod backup;
mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
