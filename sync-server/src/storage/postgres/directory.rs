//! Surveys, the mentor directory and matches in PostgreSQL. Capacity checks
//! lock the mentor's survey row, so concurrent accepts on several instances
//! cannot overfill a mentor.

use deadpool_postgres::Object;
use tokio_postgres::error::SqlState;
use tokio_postgres::{GenericClient, Row};

use crate::Error;
use crate::storage::{MatchRecord, MatchStatus, MentorEntry, NewMatch, SurveyRecord};

const SURVEY_COLUMNS: &str = "s.user_id, s.role, s.hobby, s.gender, s.age_group, s.location, \
     s.activity_level, s.level, s.capacity, s.preferred_mentee_gender, s.updated_at";

fn survey_from_row(r: &Row) -> Result<SurveyRecord, Error> {
    Ok(SurveyRecord {
        user_id: r.try_get(0)?,
        role: r.try_get(1)?,
        hobby: r.try_get(2)?,
        gender: r.try_get(3)?,
        age_group: r.try_get(4)?,
        location: r.try_get(5)?,
        activity_level: r.try_get(6)?,
        level: r.try_get(7)?,
        capacity: r.try_get(8)?,
        preferred_mentee_gender: r.try_get(9)?,
        updated_at: r.try_get(10)?,
    })
}

pub(super) async fn put_survey(c: &Object, s: &SurveyRecord) -> Result<(), Error> {
    c.execute(
        "INSERT INTO surveys (user_id, role, hobby, gender, age_group, location, activity_level,
                              level, capacity, preferred_mentee_gender, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (user_id) DO UPDATE SET
             role = excluded.role, hobby = excluded.hobby, gender = excluded.gender,
             age_group = excluded.age_group, location = excluded.location,
             activity_level = excluded.activity_level, level = excluded.level,
             capacity = excluded.capacity,
             preferred_mentee_gender = excluded.preferred_mentee_gender,
             updated_at = excluded.updated_at",
        &[
            &s.user_id,
            &s.role,
            &s.hobby,
            &s.gender,
            &s.age_group,
            &s.location,
            &s.activity_level,
            &s.level,
            &s.capacity,
            &s.preferred_mentee_gender,
            &s.updated_at,
        ],
    )
    .await?;
    Ok(())
}

pub(super) async fn survey(c: &Object, user_id: &str) -> Result<Option<SurveyRecord>, Error> {
    let sql = format!("SELECT {SURVEY_COLUMNS} FROM surveys s WHERE s.user_id = $1");
    c.query_opt(&sql, &[&user_id])
        .await?
        .as_ref()
        .map(survey_from_row)
        .transpose()
}

pub(super) async fn mentors(c: &Object, hobby: Option<&str>) -> Result<Vec<MentorEntry>, Error> {
    let sql = format!(
        "SELECT {SURVEY_COLUMNS}, u.name,
                (SELECT COUNT(*) FROM matches m
                 WHERE m.mentor_id = s.user_id AND m.status = 'accepted')
         FROM surveys s JOIN users u ON u.id = s.user_id
         WHERE s.role = 'mentor' AND ($1::TEXT IS NULL OR s.hobby = $1)
         ORDER BY u.name, s.user_id"
    );
    c.query(&sql, &[&hobby])
        .await?
        .iter()
        .map(|r| {
            Ok(MentorEntry {
                survey: survey_from_row(r)?,
                name: r.try_get(11)?,
                accepted_count: r.try_get(12)?,
            })
        })
        .collect()
}

const MATCH_SELECT: &str = "SELECT m.id, m.mentor_id, mu.name, m.mentee_id, eu.name, m.hobby, \
     m.status, m.created_at, m.updated_at \
     FROM matches m JOIN users mu ON mu.id = m.mentor_id JOIN users eu ON eu.id = m.mentee_id";

fn match_from_row(r: &Row) -> Result<MatchRecord, Error> {
    let status: String = r.try_get(6)?;
    Ok(MatchRecord {
        id: r.try_get(0)?,
        mentor_id: r.try_get(1)?,
        mentor_name: r.try_get(2)?,
        mentee_id: r.try_get(3)?,
        mentee_name: r.try_get(4)?,
        hobby: r.try_get(5)?,
        status: MatchStatus::parse(&status)?,
        created_at: r.try_get(7)?,
        updated_at: r.try_get(8)?,
    })
}

pub(super) async fn match_by_id<C: GenericClient>(
    c: &C,
    id: &str,
) -> Result<Option<MatchRecord>, Error> {
    let sql = format!("{MATCH_SELECT} WHERE m.id = $1");
    c.query_opt(&sql, &[&id])
        .await?
        .as_ref()
        .map(match_from_row)
        .transpose()
}

/// Whether the mentor is full; locks their survey row until the transaction ends.
async fn lock_and_check_full<C: GenericClient>(c: &C, mentor_id: &str) -> Result<bool, Error> {
    let capacity: Option<i64> = c
        .query_opt(
            "SELECT capacity FROM surveys WHERE user_id = $1 AND role = 'mentor' FOR UPDATE",
            &[&mentor_id],
        )
        .await?
        .map(|r| r.try_get(0))
        .transpose()?
        .flatten();
    let accepted: i64 = c
        .query_one(
            "SELECT COUNT(*) FROM matches WHERE mentor_id = $1 AND status = 'accepted'",
            &[&mentor_id],
        )
        .await?
        .try_get(0)?;
    Ok(accepted >= capacity.unwrap_or(0))
}

pub(super) async fn create_match(c: &mut Object, new: &NewMatch) -> Result<MatchRecord, Error> {
    let tx = c.transaction().await?;
    let full = lock_and_check_full(&*tx, &new.mentor_id).await?;
    let open: i64 = tx
        .query_one(
            "SELECT COUNT(*) FROM matches WHERE mentor_id = $1 AND mentee_id = $2
               AND status IN ('pending', 'accepted')",
            &[&new.mentor_id, &new.mentee_id],
        )
        .await?
        .try_get(0)?;
    if open > 0 {
        return Err(Error::MatchExists);
    }
    if full {
        return Err(Error::MentorAtCapacity);
    }
    let inserted = tx
        .execute(
            "INSERT INTO matches (id, mentor_id, mentee_id, hobby, status, created_at, updated_at)
             VALUES ($1, $2, $3, $4, 'pending', $5, $5)",
            &[
                &new.id,
                &new.mentor_id,
                &new.mentee_id,
                &new.hobby,
                &new.created_at,
            ],
        )
        .await;
    match inserted {
        Ok(_) => {}
        // The partial unique index on open (pending/accepted) pairs.
        Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => return Err(Error::MatchExists),
        Err(e) => return Err(e.into()),
    }
    let record = match_by_id(&*tx, &new.id)
        .await?
        .ok_or(Error::NotFound { what: "match" })?;
    tx.commit().await?;
    Ok(record)
}

pub(super) async fn decide_match(
    c: &mut Object,
    id: &str,
    mentor_id: &str,
    decision: MatchStatus,
    now: i64,
) -> Result<MatchRecord, Error> {
    let tx = c.transaction().await?;
    let full = lock_and_check_full(&*tx, mentor_id).await?;
    tx.execute("SELECT 1 FROM matches WHERE id = $1 FOR UPDATE", &[&id])
        .await?;
    let current = match_by_id(&*tx, id)
        .await?
        .ok_or(Error::NotFound { what: "match" })?;
    if current.mentor_id != mentor_id {
        return Err(Error::NotMatchMentor);
    }
    if current.status != MatchStatus::Pending {
        return Err(Error::MatchNotPending {
            status: current.status.as_str(),
        });
    }
    if decision == MatchStatus::Accepted && full {
        return Err(Error::MentorAtCapacity);
    }
    tx.execute(
        "UPDATE matches SET status = $2, updated_at = $3 WHERE id = $1",
        &[&id, &decision.as_str(), &now],
    )
    .await?;
    let record = match_by_id(&*tx, id)
        .await?
        .ok_or(Error::NotFound { what: "match" })?;
    tx.commit().await?;
    Ok(record)
}

pub(super) async fn matches_for_user(c: &Object, user_id: &str) -> Result<Vec<MatchRecord>, Error> {
    let sql = format!(
        "{MATCH_SELECT} WHERE m.mentor_id = $1 OR m.mentee_id = $1
         ORDER BY m.created_at DESC, m.id"
    );
    c.query(&sql, &[&user_id])
        .await?
        .iter()
        .map(match_from_row)
        .collect()
}
