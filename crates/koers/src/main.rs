//! The `koers` command: serve, migrate, demo, user.

mod cli;

fn main() -> std::process::ExitCode {
    limit_malloc_arenas();
    cli::main()
}

/// glibc gives each thread that allocates its own malloc arena (up to eight per core), and
/// every SQLite connection has a worker thread: under load the freed memory held in those
/// arenas made most of the resident set (bench, 1,000 students, concurrency 64: peak RSS
/// 155 MB, 60 MB with two arenas). Two arenas are enough for two tokio workers on this
/// scale; the `MALLOC_ARENA_MAX` environment variable still overrides it.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limit_malloc_arenas() {
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only changes a tunable of the allocator; it is called before any
        // other thread exists.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_malloc_arenas() {}
