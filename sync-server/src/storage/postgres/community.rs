//! The community thread index in PostgreSQL. Search is `ILIKE '%text%'` over
//! title and body: a substring match (a Korean word with a particle attached
//! is found), needing no extension; fine for the index sizes a community of
//! learners produces (pg_trgm could back it with an index later).

use async_trait::async_trait;
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;

use super::PostgresStorage;
use crate::Error;
use crate::storage::community::{
    AnswerEntry, AnswerRow, CommunityIndex, QuestionQuery, QuestionRow, QuestionSort,
    QuestionSummary, like_pattern,
};

const SUMMARY_SELECT: &str = "SELECT q.question_id, q.doc_id, q.asker_id, q.hobby, q.title,
        q.body, q.created_at_ms, q.edited_at_ms, q.deleted, q.accepted_answer_id,
        COALESCE(u.name, ''),
        (SELECT COUNT(*) FROM community_answers a
          WHERE a.question_id = q.question_id AND NOT a.deleted),
        (SELECT COUNT(*) FROM community_answers a
          WHERE a.question_id = q.question_id AND NOT a.deleted AND a.ai_model IS NULL)
   FROM community_questions q LEFT JOIN users u ON u.id = q.asker_id";

const ENTRY_SELECT: &str = "SELECT a.answer_id, a.question_id, a.doc_id, a.author_id, a.body,
        a.created_at_ms, a.edited_at_ms, a.deleted, a.ai_model,
        COALESCE(u.name, ''), a.helpful,
        (SELECT COUNT(*) FROM community_votes v WHERE v.answer_id = a.answer_id AND v.value = 1),
        (SELECT COUNT(*) FROM community_votes v WHERE v.answer_id = a.answer_id AND v.value = -1),
        COALESCE((SELECT v.value::BIGINT FROM community_votes v
                   WHERE v.answer_id = a.answer_id AND v.user_id = $1), 0)
   FROM community_answers a LEFT JOIN users u ON u.id = a.author_id";

fn question_row(r: &Row) -> Result<QuestionRow, Error> {
    Ok(QuestionRow {
        question_id: r.try_get(0)?,
        doc_id: r.try_get(1)?,
        asker_id: r.try_get(2)?,
        hobby: r.try_get(3)?,
        title: r.try_get(4)?,
        body: r.try_get(5)?,
        created_at_ms: r.try_get(6)?,
        edited_at_ms: r.try_get(7)?,
        deleted: r.try_get(8)?,
        accepted_answer_id: r.try_get(9)?,
    })
}

fn summary(r: &Row) -> Result<QuestionSummary, Error> {
    Ok(QuestionSummary {
        question: question_row(r)?,
        asker_name: r.try_get(10)?,
        answer_count: r.try_get(11)?,
        human_answer_count: r.try_get(12)?,
    })
}

fn answer_row(r: &Row) -> Result<AnswerRow, Error> {
    Ok(AnswerRow {
        answer_id: r.try_get(0)?,
        question_id: r.try_get(1)?,
        doc_id: r.try_get(2)?,
        author_id: r.try_get(3)?,
        body: r.try_get(4)?,
        created_at_ms: r.try_get(5)?,
        edited_at_ms: r.try_get(6)?,
        deleted: r.try_get(7)?,
        ai_model: r.try_get(8)?,
    })
}

fn entry(r: &Row) -> Result<AnswerEntry, Error> {
    Ok(AnswerEntry {
        answer: answer_row(r)?,
        author_name: r.try_get(9)?,
        helpful: r.try_get(10)?,
        up_votes: r.try_get(11)?,
        down_votes: r.try_get(12)?,
        my_vote: r.try_get(13)?,
    })
}

#[async_trait]
impl CommunityIndex for PostgresStorage {
    async fn index_question(&self, q: &QuestionRow, now: i64) -> Result<(), Error> {
        self.client()
            .await?
            .execute(
                "INSERT INTO community_questions (question_id, doc_id, asker_id, hobby, title,
                     body, created_at_ms, edited_at_ms, deleted, accepted_answer_id, indexed_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                 ON CONFLICT (question_id) DO UPDATE SET title = excluded.title,
                     body = excluded.body, edited_at_ms = excluded.edited_at_ms,
                     deleted = excluded.deleted,
                     accepted_answer_id = excluded.accepted_answer_id,
                     indexed_at = excluded.indexed_at",
                &[
                    &q.question_id,
                    &q.doc_id,
                    &q.asker_id,
                    &q.hobby,
                    &q.title,
                    &q.body,
                    &q.created_at_ms,
                    &q.edited_at_ms,
                    &q.deleted,
                    &q.accepted_answer_id,
                    &now,
                ],
            )
            .await?;
        Ok(())
    }

    async fn index_answer(&self, a: &AnswerRow, now: i64) -> Result<(), Error> {
        self.client()
            .await?
            .execute(
                "INSERT INTO community_answers (answer_id, question_id, doc_id, author_id, body,
                     created_at_ms, edited_at_ms, deleted, ai_model, indexed_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                 ON CONFLICT (answer_id) DO UPDATE SET body = excluded.body,
                     edited_at_ms = excluded.edited_at_ms, deleted = excluded.deleted,
                     indexed_at = excluded.indexed_at",
                &[
                    &a.answer_id,
                    &a.question_id,
                    &a.doc_id,
                    &a.author_id,
                    &a.body,
                    &a.created_at_ms,
                    &a.edited_at_ms,
                    &a.deleted,
                    &a.ai_model,
                    &now,
                ],
            )
            .await?;
        Ok(())
    }

    async fn community_question(&self, question_id: &str) -> Result<Option<QuestionRow>, Error> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT question_id, doc_id, asker_id, hobby, title, body, created_at_ms,
                        edited_at_ms, deleted, accepted_answer_id
                   FROM community_questions WHERE question_id = $1",
                &[&question_id],
            )
            .await?;
        row.as_ref().map(question_row).transpose()
    }

    async fn community_answer(&self, answer_id: &str) -> Result<Option<AnswerRow>, Error> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT answer_id, question_id, doc_id, author_id, body, created_at_ms,
                        edited_at_ms, deleted, ai_model
                   FROM community_answers WHERE answer_id = $1",
                &[&answer_id],
            )
            .await?;
        row.as_ref().map(answer_row).transpose()
    }

    async fn question_summary(&self, question_id: &str) -> Result<Option<QuestionSummary>, Error> {
        let sql = format!("{SUMMARY_SELECT} WHERE q.question_id = $1");
        let row = self
            .client()
            .await?
            .query_opt(&sql, &[&question_id])
            .await?;
        row.as_ref().map(summary).transpose()
    }

    async fn list_questions(&self, query: &QuestionQuery) -> Result<Vec<QuestionSummary>, Error> {
        let mut sql = format!("{SUMMARY_SELECT} WHERE NOT q.deleted");
        let mut args: Vec<Box<dyn ToSql + Sync + Send>> = Vec::new();
        let mut push = |sql: &mut String, clause: &str, value: Box<dyn ToSql + Sync + Send>| {
            args.push(value);
            sql.push_str(&clause.replace("$#", &format!("${}", args.len())));
        };
        if let Some(hobby) = &query.hobby {
            push(&mut sql, " AND q.hobby = $#", Box::new(hobby.clone()));
        }
        if query.sort == QuestionSort::Unanswered {
            sql.push_str(
                " AND NOT EXISTS (SELECT 1 FROM community_answers a
                     WHERE a.question_id = q.question_id AND NOT a.deleted
                       AND a.ai_model IS NULL)",
            );
        }
        if let Some(text) = &query.text {
            push(
                &mut sql,
                " AND (q.title ILIKE $# ESCAPE '\\' OR q.body ILIKE $# ESCAPE '\\')",
                Box::new(like_pattern(text)),
            );
        }
        if let Some(after) = &query.after {
            push(
                &mut sql,
                " AND (q.created_at_ms, q.question_id) < ($#",
                Box::new(after.created_at_ms),
            );
            push(&mut sql, ", $#)", Box::new(after.question_id.clone()));
        }
        push(
            &mut sql,
            " ORDER BY q.created_at_ms DESC, q.question_id DESC LIMIT $#",
            Box::new(i64::from(query.limit)),
        );
        let params: Vec<&(dyn ToSql + Sync)> = args
            .iter()
            .map(|a| a.as_ref() as &(dyn ToSql + Sync))
            .collect();
        let rows = self.client().await?.query(&sql, &params).await?;
        rows.iter().map(summary).collect()
    }

    async fn answers_of(&self, question_id: &str, viewer: &str) -> Result<Vec<AnswerEntry>, Error> {
        let sql = format!("{ENTRY_SELECT} WHERE a.question_id = $2 AND NOT a.deleted");
        let rows = self
            .client()
            .await?
            .query(&sql, &[&viewer, &question_id])
            .await?;
        rows.iter().map(entry).collect()
    }

    async fn answer_entry(
        &self,
        answer_id: &str,
        viewer: &str,
    ) -> Result<Option<AnswerEntry>, Error> {
        let sql = format!("{ENTRY_SELECT} WHERE a.answer_id = $2");
        let row = self
            .client()
            .await?
            .query_opt(&sql, &[&viewer, &answer_id])
            .await?;
        row.as_ref().map(entry).transpose()
    }

    async fn set_vote(
        &self,
        answer_id: &str,
        user_id: &str,
        value: i64,
        now: i64,
    ) -> Result<(), Error> {
        let client = self.client().await?;
        if value == 0 {
            client
                .execute(
                    "DELETE FROM community_votes WHERE answer_id = $1 AND user_id = $2",
                    &[&answer_id, &user_id],
                )
                .await?;
        } else {
            let value = i16::try_from(value)
                .map_err(|_| Error::CorruptRow(format!("vote value {value}")))?;
            client
                .execute(
                    "INSERT INTO community_votes (answer_id, user_id, value, voted_at)
                     VALUES ($1, $2, $3, $4)
                     ON CONFLICT (answer_id, user_id) DO UPDATE SET value = excluded.value,
                         voted_at = excluded.voted_at",
                    &[&answer_id, &user_id, &value, &now],
                )
                .await?;
        }
        Ok(())
    }

    async fn set_helpful(&self, answer_id: &str, helpful: bool) -> Result<(), Error> {
        self.client()
            .await?
            .execute(
                "UPDATE community_answers SET helpful = $2 WHERE answer_id = $1",
                &[&answer_id, &helpful],
            )
            .await?;
        Ok(())
    }
}
