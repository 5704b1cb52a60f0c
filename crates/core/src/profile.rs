//! Rules for the local profile.

use crate::dto::ProfileInput;
use crate::{Error, Result};

const MAX_NAME_CHARS: usize = 80;

/// Trims and checks a profile before it is stored; the error names the field.
pub fn validate(mut input: ProfileInput) -> Result<ProfileInput> {
    input.display_name = input.display_name.trim().to_owned();
    if input.display_name.is_empty() {
        return Err(Error::invalid("displayName", "must not be empty"));
    }
    if input.display_name.chars().count() > MAX_NAME_CHARS {
        return Err(Error::invalid(
            "displayName",
            format!("must be at most {MAX_NAME_CHARS} characters"),
        ));
    }
    input.email = input
        .email
        .map(|e| e.trim().to_owned())
        .filter(|e| !e.is_empty());
    if let Some(email) = &input.email {
        let valid = email
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'));
        if !valid || email.chars().any(char::is_whitespace) {
            return Err(Error::invalid("email", "is not an email address"));
        }
    }
    if let Some(date) = &input.birthdate
        && !is_iso_date(date)
    {
        return Err(Error::invalid("birthdate", "must be a date as YYYY-MM-DD"));
    }
    Ok(input)
}

fn is_iso_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return false;
    };
    if y < 1900 || !(1..=12).contains(&m) || s.len() != 10 {
        return false;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (1..=days).contains(&d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ProfileInput {
        ProfileInput {
            display_name: "  민지 ".into(),
            email: Some(" minji@example.com ".into()),
            gender: None,
            birthdate: Some("2000-02-29".into()),
        }
    }

    #[test]
    fn trims_and_accepts_a_leap_day() {
        let v = validate(input()).unwrap();
        assert_eq!(v.display_name, "민지");
        assert_eq!(v.email.as_deref(), Some("minji@example.com"));
    }

    #[test]
    fn rejects_bad_fields_naming_them() {
        let cases = [
            (
                ProfileInput {
                    display_name: " ".into(),
                    ..input()
                },
                "displayName",
            ),
            (
                ProfileInput {
                    email: Some("no-at".into()),
                    ..input()
                },
                "email",
            ),
            (
                ProfileInput {
                    birthdate: Some("2001-02-29".into()),
                    ..input()
                },
                "birthdate",
            ),
            (
                ProfileInput {
                    birthdate: Some("14/03/1998".into()),
                    ..input()
                },
                "birthdate",
            ),
        ];
        for (bad, field) in cases {
            match validate(bad) {
                Err(Error::InvalidInput { field: f, .. }) => assert_eq!(f, field),
                other => panic!("expected invalid {field}, got {other:?}"),
            }
        }
    }
}
