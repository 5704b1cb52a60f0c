//! The community thread index in SQLite. Search: FTS5 with the trigram
//! tokenizer for queries of 3+ characters (any substring, so a Korean word
//! with a particle attached is found), `LIKE` for shorter ones (the trigram
//! index cannot answer those).

use async_trait::async_trait;
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

use super::SqliteStorage;
use crate::Error;
use crate::storage::community::{
    AnswerEntry, AnswerRow, CommunityIndex, QuestionQuery, QuestionRow, QuestionSort,
    QuestionSummary, like_pattern,
};

const SUMMARY_SELECT: &str = "SELECT q.question_id, q.doc_id, q.asker_id, q.hobby, q.title,
        q.body, q.created_at_ms, q.edited_at_ms, q.deleted, q.accepted_answer_id,
        COALESCE(u.name, ''),
        (SELECT COUNT(*) FROM community_answers a
          WHERE a.question_id = q.question_id AND a.deleted = 0),
        (SELECT COUNT(*) FROM community_answers a
          WHERE a.question_id = q.question_id AND a.deleted = 0 AND a.ai_model IS NULL)
   FROM community_questions q LEFT JOIN users u ON u.id = q.asker_id";

const ENTRY_SELECT: &str = "SELECT a.answer_id, a.question_id, a.doc_id, a.author_id, a.body,
        a.created_at_ms, a.edited_at_ms, a.deleted, a.ai_model,
        COALESCE(u.name, ''), a.helpful,
        (SELECT COUNT(*) FROM community_votes v WHERE v.answer_id = a.answer_id AND v.value = 1),
        (SELECT COUNT(*) FROM community_votes v WHERE v.answer_id = a.answer_id AND v.value = -1),
        COALESCE((SELECT v.value FROM community_votes v
                   WHERE v.answer_id = a.answer_id AND v.user_id = ?1), 0)
   FROM community_answers a LEFT JOIN users u ON u.id = a.author_id";

/// Trigram search needs at least 3 characters.
const TRIGRAM: usize = 3;

fn question_row(r: &Row<'_>) -> rusqlite::Result<QuestionRow> {
    Ok(QuestionRow {
        question_id: r.get(0)?,
        doc_id: r.get(1)?,
        asker_id: r.get(2)?,
        hobby: r.get(3)?,
        title: r.get(4)?,
        body: r.get(5)?,
        created_at_ms: r.get(6)?,
        edited_at_ms: r.get(7)?,
        deleted: r.get::<_, i64>(8)? != 0,
        accepted_answer_id: r.get(9)?,
    })
}

fn summary(r: &Row<'_>) -> rusqlite::Result<QuestionSummary> {
    Ok(QuestionSummary {
        question: question_row(r)?,
        asker_name: r.get(10)?,
        answer_count: r.get(11)?,
        human_answer_count: r.get(12)?,
    })
}

fn answer_row(r: &Row<'_>) -> rusqlite::Result<AnswerRow> {
    Ok(AnswerRow {
        answer_id: r.get(0)?,
        question_id: r.get(1)?,
        doc_id: r.get(2)?,
        author_id: r.get(3)?,
        body: r.get(4)?,
        created_at_ms: r.get(5)?,
        edited_at_ms: r.get(6)?,
        deleted: r.get::<_, i64>(7)? != 0,
        ai_model: r.get(8)?,
    })
}

fn entry(r: &Row<'_>) -> rusqlite::Result<AnswerEntry> {
    Ok(AnswerEntry {
        answer: answer_row(r)?,
        author_name: r.get(9)?,
        helpful: r.get::<_, i64>(10)? != 0,
        up_votes: r.get(11)?,
        down_votes: r.get(12)?,
        my_vote: r.get(13)?,
    })
}

fn index_question(c: &mut Connection, q: &QuestionRow, now: i64) -> Result<(), Error> {
    let tx = c.transaction()?;
    tx.execute(
        "INSERT INTO community_questions (question_id, doc_id, asker_id, hobby, title, body,
             created_at_ms, edited_at_ms, deleted, accepted_answer_id, indexed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT (question_id) DO UPDATE SET title = excluded.title, body = excluded.body,
             edited_at_ms = excluded.edited_at_ms, deleted = excluded.deleted,
             accepted_answer_id = excluded.accepted_answer_id, indexed_at = excluded.indexed_at",
        params![
            q.question_id,
            q.doc_id,
            q.asker_id,
            q.hobby,
            q.title,
            q.body,
            q.created_at_ms,
            q.edited_at_ms,
            i64::from(q.deleted),
            q.accepted_answer_id,
            now
        ],
    )?;
    tx.execute(
        "DELETE FROM community_search WHERE question_id = ?1",
        [&q.question_id],
    )?;
    if !q.deleted {
        tx.execute(
            "INSERT INTO community_search (question_id, title, body) VALUES (?1, ?2, ?3)",
            params![q.question_id, q.title, q.body],
        )?;
    }
    tx.commit()?;
    Ok(())
}

fn index_answer(c: &mut Connection, a: &AnswerRow, now: i64) -> Result<(), Error> {
    c.execute(
        "INSERT INTO community_answers (answer_id, question_id, doc_id, author_id, body,
             created_at_ms, edited_at_ms, deleted, ai_model, indexed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (answer_id) DO UPDATE SET body = excluded.body,
             edited_at_ms = excluded.edited_at_ms, deleted = excluded.deleted,
             indexed_at = excluded.indexed_at",
        params![
            a.answer_id,
            a.question_id,
            a.doc_id,
            a.author_id,
            a.body,
            a.created_at_ms,
            a.edited_at_ms,
            i64::from(a.deleted),
            a.ai_model,
            now
        ],
    )?;
    Ok(())
}

/// Appends `clause` to `sql` with `?#` replaced by the number of `value`, a new argument.
fn push_arg(sql: &mut String, args: &mut Vec<SqlValue>, clause: &str, value: SqlValue) {
    args.push(value);
    sql.push_str(&clause.replace("?#", &format!("?{}", args.len())));
}

fn list_questions(
    c: &mut Connection,
    query: &QuestionQuery,
) -> Result<Vec<QuestionSummary>, Error> {
    let mut sql = format!("{SUMMARY_SELECT} WHERE q.deleted = 0");
    let mut args: Vec<SqlValue> = Vec::new();
    if let Some(hobby) = &query.hobby {
        push_arg(
            &mut sql,
            &mut args,
            " AND q.hobby = ?#",
            hobby.clone().into(),
        );
    }
    if query.sort == QuestionSort::Unanswered {
        sql.push_str(
            " AND NOT EXISTS (SELECT 1 FROM community_answers a WHERE a.question_id = q.question_id
                 AND a.deleted = 0 AND a.ai_model IS NULL)",
        );
    }
    if let Some(text) = &query.text {
        if text.chars().count() >= TRIGRAM {
            let phrase = format!("\"{}\"", text.replace('"', "\"\""));
            push_arg(
                &mut sql,
                &mut args,
                " AND q.question_id IN (SELECT question_id FROM community_search
                     WHERE community_search MATCH ?#)",
                phrase.into(),
            );
        } else {
            push_arg(
                &mut sql,
                &mut args,
                " AND (q.title LIKE ?# ESCAPE '\\' OR q.body LIKE ?# ESCAPE '\\')",
                like_pattern(text).into(),
            );
        }
    }
    if let Some(after) = &query.after {
        push_arg(
            &mut sql,
            &mut args,
            " AND (q.created_at_ms < ?#",
            after.created_at_ms.into(),
        );
        let at = args.len();
        push_arg(
            &mut sql,
            &mut args,
            &format!(" OR (q.created_at_ms = ?{at} AND q.question_id < ?#))"),
            after.question_id.clone().into(),
        );
    }
    push_arg(
        &mut sql,
        &mut args,
        " ORDER BY q.created_at_ms DESC, q.question_id DESC LIMIT ?#",
        i64::from(query.limit).into(),
    );
    let mut stmt = c.prepare(&sql)?;
    let rows = stmt.query_map(params_from_iter(args), summary)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn set_vote(
    c: &mut Connection,
    answer_id: &str,
    user_id: &str,
    value: i64,
    now: i64,
) -> Result<(), Error> {
    if value == 0 {
        c.execute(
            "DELETE FROM community_votes WHERE answer_id = ?1 AND user_id = ?2",
            params![answer_id, user_id],
        )?;
    } else {
        c.execute(
            "INSERT INTO community_votes (answer_id, user_id, value, voted_at)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (answer_id, user_id) DO UPDATE SET value = excluded.value,
                 voted_at = excluded.voted_at",
            params![answer_id, user_id, value, now],
        )?;
    }
    Ok(())
}

#[async_trait]
impl CommunityIndex for SqliteStorage {
    async fn index_question(&self, row: &QuestionRow, now: i64) -> Result<(), Error> {
        let row = row.clone();
        self.call(move |c| index_question(c, &row, now)).await
    }

    async fn index_answer(&self, row: &AnswerRow, now: i64) -> Result<(), Error> {
        let row = row.clone();
        self.call(move |c| index_answer(c, &row, now)).await
    }

    async fn community_question(&self, question_id: &str) -> Result<Option<QuestionRow>, Error> {
        let id = question_id.to_owned();
        self.call(move |c| {
            Ok(c.query_row(
                "SELECT question_id, doc_id, asker_id, hobby, title, body, created_at_ms,
                        edited_at_ms, deleted, accepted_answer_id
                   FROM community_questions WHERE question_id = ?1",
                [id],
                question_row,
            )
            .optional()?)
        })
        .await
    }

    async fn community_answer(&self, answer_id: &str) -> Result<Option<AnswerRow>, Error> {
        let id = answer_id.to_owned();
        self.call(move |c| {
            Ok(c.query_row(
                "SELECT answer_id, question_id, doc_id, author_id, body, created_at_ms,
                        edited_at_ms, deleted, ai_model
                   FROM community_answers WHERE answer_id = ?1",
                [id],
                answer_row,
            )
            .optional()?)
        })
        .await
    }

    async fn question_summary(&self, question_id: &str) -> Result<Option<QuestionSummary>, Error> {
        let id = question_id.to_owned();
        self.call(move |c| {
            let sql = format!("{SUMMARY_SELECT} WHERE q.question_id = ?1");
            Ok(c.query_row(&sql, [id], summary).optional()?)
        })
        .await
    }

    async fn list_questions(&self, query: &QuestionQuery) -> Result<Vec<QuestionSummary>, Error> {
        let query = query.clone();
        self.call(move |c| list_questions(c, &query)).await
    }

    async fn answers_of(&self, question_id: &str, viewer: &str) -> Result<Vec<AnswerEntry>, Error> {
        let (id, viewer) = (question_id.to_owned(), viewer.to_owned());
        self.call(move |c| {
            let sql = format!("{ENTRY_SELECT} WHERE a.question_id = ?2 AND a.deleted = 0");
            let mut stmt = c.prepare(&sql)?;
            let rows = stmt.query_map(params![viewer, id], entry)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    async fn answer_entry(
        &self,
        answer_id: &str,
        viewer: &str,
    ) -> Result<Option<AnswerEntry>, Error> {
        let (id, viewer) = (answer_id.to_owned(), viewer.to_owned());
        self.call(move |c| {
            let sql = format!("{ENTRY_SELECT} WHERE a.answer_id = ?2");
            Ok(c.query_row(&sql, params![viewer, id], entry).optional()?)
        })
        .await
    }

    async fn set_vote(
        &self,
        answer_id: &str,
        user_id: &str,
        value: i64,
        now: i64,
    ) -> Result<(), Error> {
        let (id, user) = (answer_id.to_owned(), user_id.to_owned());
        self.call(move |c| set_vote(c, &id, &user, value, now))
            .await
    }

    async fn set_helpful(&self, answer_id: &str, helpful: bool) -> Result<(), Error> {
        let id = answer_id.to_owned();
        self.call(move |c| {
            c.execute(
                "UPDATE community_answers SET helpful = ?2 WHERE answer_id = ?1",
                params![id, i64::from(helpful)],
            )?;
            Ok(())
        })
        .await
    }
}

#[cfg(test)]
mod tests;
