#[test]
fn redacts_passwords() {
    assert_eq!(
        super::redact("postgres://koers:geheim@db/koers"),
        "postgres://koers:***@db/koers"
    );
    assert_eq!(
        super::redact("sqlite://./koers-data/koers.db"),
        "sqlite://./koers-data/koers.db"
    );
}

#[test]
fn cli_is_consistent() {
    use clap::CommandFactory;
    super::Cli::command().debug_assert();
}
