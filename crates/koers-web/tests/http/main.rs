//! HTTP integration tests: the whole app in-process (tower `oneshot`), each test on its own
//! database. `KOERS_TEST_BACKEND=postgres` with `KOERS_TEST_POSTGRES_URL` runs them on
//! PostgreSQL (a fresh database per test); otherwise on a fresh SQLite file.

mod support;

mod access_matrix;
mod api;
mod calendar;
mod credentials;
mod curriculum;
mod development;
mod explain;
mod export;
mod field;
mod guidance;
mod guidance_pages;
mod indicators;
mod instances;
mod mail;
mod ooapi;
mod privacy;
mod second_factor;
mod security;
mod sso;
mod staff;
mod vision;
mod web;
