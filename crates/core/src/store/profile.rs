//! The `profile` table: a single row for the local user.

use rusqlite::{OptionalExtension, params};

use super::Store;
use crate::Result;
use crate::dto::{Gender, Profile, ProfileInput};

impl Store {
    /// The local profile, if one was saved.
    pub fn profile(&self) -> Result<Option<Profile>> {
        Ok(self
            .conn
            .query_row(
                "SELECT display_name, email, gender, birthdate, account_id FROM profile WHERE id = 1",
                [],
                |row| {
                    let gender: Option<String> = row.get(2)?;
                    Ok(Profile {
                        display_name: row.get(0)?,
                        email: row.get(1)?,
                        gender: gender.as_deref().map(gender_from_sql),
                        birthdate: row.get(3)?,
                        account_id: row.get(4)?,
                    })
                },
            )
            .optional()?)
    }

    /// Creates or replaces the local profile's editable fields (the account id
    /// is kept). The input must already be validated.
    pub fn save_profile(&mut self, input: &ProfileInput) -> Result<Profile> {
        self.conn.execute(
            "INSERT INTO profile (id, display_name, email, gender, birthdate)
             VALUES (1, ?1, ?2, ?3, ?4)
             ON CONFLICT (id) DO UPDATE SET
                display_name = excluded.display_name, email = excluded.email,
                gender = excluded.gender, birthdate = excluded.birthdate,
                updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            params![
                input.display_name,
                input.email,
                input.gender.map(gender_to_sql),
                input.birthdate
            ],
        )?;
        Ok(self
            .profile()?
            .expect("the profile row was written just above"))
    }
}

fn gender_to_sql(g: Gender) -> &'static str {
    match g {
        Gender::Female => "female",
        Gender::Male => "male",
        Gender::Other => "other",
        Gender::Unspecified => "unspecified",
    }
}

/// The column has a CHECK constraint, so only the four values can be stored.
fn gender_from_sql(s: &str) -> Gender {
    match s {
        "female" => Gender::Female,
        "male" => Gender::Male,
        "other" => Gender::Other,
        _ => Gender::Unspecified,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str) -> ProfileInput {
        ProfileInput {
            display_name: name.into(),
            email: Some("minji@example.com".into()),
            gender: Some(Gender::Female),
            birthdate: Some("1998-03-14".into()),
        }
    }

    #[test]
    fn no_profile_until_saved() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(store.profile().unwrap(), None);
    }

    #[test]
    fn save_then_update_keeps_one_row() {
        let mut store = Store::open_in_memory().unwrap();
        store.save_profile(&input("민지")).unwrap();
        let p = store.save_profile(&input("김민지")).unwrap();
        assert_eq!(p.display_name, "김민지");
        assert_eq!(p.gender, Some(Gender::Female));
        let rows: i64 = store
            .conn
            .query_row("SELECT count(*) FROM profile", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 1, "the profile is a single row");
    }
}
