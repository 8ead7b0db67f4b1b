//! What the recruitment and appointment records say about practice: how often career
//! development was part of vacancies, interviews and onboarding, and whether new staff had a
//! first development plan in time. This feeds the "practice" view of the HRM scan.

use jiff::civil::Date;

/// One record as the figures need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    Vacancy {
        in_text: bool,
        in_interview: bool,
    },
    Appointment {
        in_onboarding: bool,
        plan_due_on: Option<Date>,
        /// When the person's development plan was first saved.
        plan_started_on: Option<Date>,
    },
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Practice {
    pub vacancies: usize,
    pub in_text: usize,
    pub in_interview: usize,
    pub appointments: usize,
    pub in_onboarding: usize,
    /// Appointments whose first plan was due by `today`, and of them those on time.
    pub plans_due: usize,
    pub plans_on_time: usize,
}

pub fn practice(records: &[Record], today: Date) -> Practice {
    let mut p = Practice::default();
    for r in records {
        match r {
            Record::Vacancy {
                in_text,
                in_interview,
            } => {
                p.vacancies += 1;
                p.in_text += usize::from(*in_text);
                p.in_interview += usize::from(*in_interview);
            }
            Record::Appointment {
                in_onboarding,
                plan_due_on,
                plan_started_on,
            } => {
                p.appointments += 1;
                p.in_onboarding += usize::from(*in_onboarding);
                if let Some(due) = plan_due_on {
                    let on_time = plan_started_on.is_some_and(|s| s <= *due);
                    // Counted once due, or earlier when the plan already came in time.
                    if *due <= today || on_time {
                        p.plans_due += 1;
                        p.plans_on_time += usize::from(on_time);
                    }
                }
            }
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn practice_by_hand() {
        let today = d("2026-11-29");
        let records = [
            Record::Vacancy {
                in_text: true,
                in_interview: true,
            },
            Record::Vacancy {
                in_text: true,
                in_interview: false,
            },
            Record::Vacancy {
                in_text: false,
                in_interview: false,
            },
            // Due and on time.
            Record::Appointment {
                in_onboarding: true,
                plan_due_on: Some(d("2026-06-01")),
                plan_started_on: Some(d("2026-05-20")),
            },
            // Due, late.
            Record::Appointment {
                in_onboarding: false,
                plan_due_on: Some(d("2026-06-01")),
                plan_started_on: Some(d("2026-07-01")),
            },
            // Not due yet and no plan: not counted.
            Record::Appointment {
                in_onboarding: false,
                plan_due_on: Some(d("2027-01-01")),
                plan_started_on: None,
            },
            // Not due yet but already there: counted as on time.
            Record::Appointment {
                in_onboarding: true,
                plan_due_on: Some(d("2027-01-01")),
                plan_started_on: Some(d("2026-11-01")),
            },
        ];
        assert_eq!(
            practice(&records, today),
            Practice {
                vacancies: 3,
                in_text: 2,
                in_interview: 1,
                appointments: 4,
                in_onboarding: 2,
                plans_due: 3,
                plans_on_time: 2,
            }
        );
    }
}
