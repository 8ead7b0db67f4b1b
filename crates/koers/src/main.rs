//! The `koers` command: serve, migrate, demo, user.

mod backup;
mod cli;
mod housekeeping;
mod secret_key;

fn main() -> std::process::ExitCode {
    cli::main()
}
