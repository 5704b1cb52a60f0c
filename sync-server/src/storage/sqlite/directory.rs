//! Surveys, the mentor directory and matches in SQLite.

use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};

use crate::Error;
use crate::storage::{MatchRecord, MatchStatus, MentorEntry, NewMatch, SurveyRecord};

const SURVEY_COLUMNS: &str = "s.user_id, s.role, s.hobby, s.gender, s.age_group, s.location, \
     s.activity_level, s.level, s.capacity, s.preferred_mentee_gender, s.updated_at";

fn survey_from_row(r: &Row<'_>) -> rusqlite::Result<SurveyRecord> {
    Ok(SurveyRecord {
        user_id: r.get(0)?,
        role: r.get(1)?,
        hobby: r.get(2)?,
        gender: r.get(3)?,
        age_group: r.get(4)?,
        location: r.get(5)?,
        activity_level: r.get(6)?,
        level: r.get(7)?,
        capacity: r.get(8)?,
        preferred_mentee_gender: r.get(9)?,
        updated_at: r.get(10)?,
    })
}

pub(super) fn put_survey(c: &mut Connection, s: &SurveyRecord) -> Result<(), Error> {
    c.execute(
        "INSERT INTO surveys (user_id, role, hobby, gender, age_group, location, activity_level,
                              level, capacity, preferred_mentee_gender, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT (user_id) DO UPDATE SET
             role = excluded.role, hobby = excluded.hobby, gender = excluded.gender,
             age_group = excluded.age_group, location = excluded.location,
             activity_level = excluded.activity_level, level = excluded.level,
             capacity = excluded.capacity,
             preferred_mentee_gender = excluded.preferred_mentee_gender,
             updated_at = excluded.updated_at",
        params![
            s.user_id,
            s.role,
            s.hobby,
            s.gender,
            s.age_group,
            s.location,
            s.activity_level,
            s.level,
            s.capacity,
            s.preferred_mentee_gender,
            s.updated_at
        ],
    )?;
    Ok(())
}

pub(super) fn survey(c: &mut Connection, user_id: &str) -> Result<Option<SurveyRecord>, Error> {
    let sql = format!("SELECT {SURVEY_COLUMNS} FROM surveys s WHERE s.user_id = ?1");
    Ok(c.query_row(&sql, [user_id], survey_from_row).optional()?)
}

pub(super) fn mentors(c: &mut Connection, hobby: Option<&str>) -> Result<Vec<MentorEntry>, Error> {
    let sql = format!(
        "SELECT {SURVEY_COLUMNS}, u.name,
                (SELECT COUNT(*) FROM matches m
                 WHERE m.mentor_id = s.user_id AND m.status = 'accepted')
         FROM surveys s JOIN users u ON u.id = s.user_id
         WHERE s.role = 'mentor' AND (?1 IS NULL OR s.hobby = ?1)
         ORDER BY u.name, s.user_id"
    );
    let mut stmt = c.prepare(&sql)?;
    let rows = stmt.query_map([hobby], |r| {
        Ok(MentorEntry {
            survey: survey_from_row(r)?,
            name: r.get(11)?,
            accepted_count: r.get(12)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

const MATCH_SELECT: &str = "SELECT m.id, m.mentor_id, mu.name, m.mentee_id, eu.name, m.hobby, \
     m.status, m.created_at, m.updated_at \
     FROM matches m JOIN users mu ON mu.id = m.mentor_id JOIN users eu ON eu.id = m.mentee_id";

fn match_from_row(r: &Row<'_>) -> rusqlite::Result<(MatchRecord, String)> {
    let status: String = r.get(6)?;
    Ok((
        MatchRecord {
            id: r.get(0)?,
            mentor_id: r.get(1)?,
            mentor_name: r.get(2)?,
            mentee_id: r.get(3)?,
            mentee_name: r.get(4)?,
            hobby: r.get(5)?,
            status: MatchStatus::Pending,
            created_at: r.get(7)?,
            updated_at: r.get(8)?,
        },
        status,
    ))
}

fn finish((mut record, status): (MatchRecord, String)) -> Result<MatchRecord, Error> {
    record.status = MatchStatus::parse(&status)?;
    Ok(record)
}

pub(super) fn match_by_id(c: &Connection, id: &str) -> Result<Option<MatchRecord>, Error> {
    let sql = format!("{MATCH_SELECT} WHERE m.id = ?1");
    c.query_row(&sql, [id], match_from_row)
        .optional()?
        .map(finish)
        .transpose()
}

/// (accepted matches, capacity) of a mentor.
fn mentor_load(c: &Connection, mentor_id: &str) -> Result<(i64, Option<i64>), Error> {
    let accepted: i64 = c.query_row(
        "SELECT COUNT(*) FROM matches WHERE mentor_id = ?1 AND status = 'accepted'",
        [mentor_id],
        |r| r.get(0),
    )?;
    let capacity: Option<i64> = c
        .query_row(
            "SELECT capacity FROM surveys WHERE user_id = ?1 AND role = 'mentor'",
            [mentor_id],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    Ok((accepted, capacity))
}

fn at_capacity((accepted, capacity): (i64, Option<i64>)) -> bool {
    accepted >= capacity.unwrap_or(0)
}

pub(super) fn create_match(c: &mut Connection, new: &NewMatch) -> Result<MatchRecord, Error> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let open: i64 = tx.query_row(
        "SELECT COUNT(*) FROM matches WHERE mentor_id = ?1 AND mentee_id = ?2
           AND status IN ('pending', 'accepted')",
        params![new.mentor_id, new.mentee_id],
        |r| r.get(0),
    )?;
    if open > 0 {
        return Err(Error::MatchExists);
    }
    if at_capacity(mentor_load(&tx, &new.mentor_id)?) {
        return Err(Error::MentorAtCapacity);
    }
    tx.execute(
        "INSERT INTO matches (id, mentor_id, mentee_id, hobby, status, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, 'pending', ?5, ?5)",
        params![
            new.id,
            new.mentor_id,
            new.mentee_id,
            new.hobby,
            new.created_at
        ],
    )?;
    let record = match_by_id(&tx, &new.id)?.ok_or(Error::NotFound { what: "match" })?;
    tx.commit()?;
    Ok(record)
}

pub(super) fn decide_match(
    c: &mut Connection,
    id: &str,
    mentor_id: &str,
    decision: MatchStatus,
    now: i64,
) -> Result<MatchRecord, Error> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let current = match_by_id(&tx, id)?.ok_or(Error::NotFound { what: "match" })?;
    if current.mentor_id != mentor_id {
        return Err(Error::NotMatchMentor);
    }
    if current.status != MatchStatus::Pending {
        return Err(Error::MatchNotPending {
            status: current.status.as_str(),
        });
    }
    if decision == MatchStatus::Accepted && at_capacity(mentor_load(&tx, mentor_id)?) {
        return Err(Error::MentorAtCapacity);
    }
    tx.execute(
        "UPDATE matches SET status = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, decision.as_str(), now],
    )?;
    let record = match_by_id(&tx, id)?.ok_or(Error::NotFound { what: "match" })?;
    tx.commit()?;
    Ok(record)
}

pub(super) fn matches_for_user(
    c: &mut Connection,
    user_id: &str,
) -> Result<Vec<MatchRecord>, Error> {
    let sql = format!(
        "{MATCH_SELECT} WHERE m.mentor_id = ?1 OR m.mentee_id = ?1
         ORDER BY m.created_at DESC, m.id"
    );
    let mut stmt = c.prepare(&sql)?;
    let rows = stmt.query_map([user_id], match_from_row)?;
    rows.map(|r| finish(r?)).collect()
}
