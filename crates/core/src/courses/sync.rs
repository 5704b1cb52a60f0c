//! The HTTP side of courses: refresh the catalogue (`ETag`), upload the
//! events the learner consented to share, fetch the models of the hobbies
//! they care about. Every step leaves the local data whole if it fails.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use tutti_courses::Catalogue;

use super::dto::{CourseSyncReport, SharedActivityDeleted};
use super::ranking::HobbyModel;
use super::{CATALOGUE, Shelf};
use crate::account::ServerClient;
use crate::api::Tutti;
use crate::{Error, Result};

/// The server takes at most this many events per request.
const UPLOAD_BATCH: usize = 500;

#[derive(Debug, Serialize)]
struct EventWire<'a> {
    course_id: &'a str,
    kind: &'a str,
    at: i64,
}

#[derive(Debug, Deserialize)]
struct Accepted {
    accepted: u32,
}

impl Tutti {
    /// Syncs courses with the server: the catalogue always (it is public);
    /// when signed in, the consented events and the models of `hobbies` plus
    /// every hobby the learner has used courses of.
    pub async fn courses_sync(&self, hobbies: &[String]) -> Result<CourseSyncReport> {
        for hobby in hobbies {
            if tutti_courses::hobby(hobby).is_none() {
                return Err(Error::invalid(
                    "hobbies",
                    format!("`{hobby}` is not a hobby of the taxonomy"),
                ));
            }
        }
        let server = self.server_client()?;
        let catalogue_updated = self.refresh_catalogue(&server).await?;
        let mut report = CourseSyncReport {
            catalogue_updated,
            uploaded: 0,
            models: Vec::new(),
            no_model: Vec::new(),
            signed_in: self.account_get()?.is_some(),
        };
        if !report.signed_in {
            return Ok(report);
        }
        report.uploaded = self.upload_events(&server).await?;
        for hobby in self.hobbies_of_interest(hobbies)? {
            let path = format!("/courses/model?hobby={hobby}");
            match server.authed(Method::GET, &path, None).await {
                Ok(resp) => {
                    let json = resp
                        .text()
                        .await
                        .map_err(|e| Error::ServerUnreachable(e.to_string()))?;
                    // Only a model this app can read replaces the stored one.
                    HobbyModel::parse(&hobby, &json)?;
                    self.store().set_course_model(&hobby, &json)?;
                    report.models.push(hobby);
                }
                Err(Error::ServerRejected { status: 404, .. }) => report.no_model.push(hobby),
                Err(e) => return Err(e),
            }
        }
        tracing::info!(?report, "courses synced");
        Ok(report)
    }

    async fn refresh_catalogue(&self, server: &ServerClient) -> Result<bool> {
        let shelf: Shelf = self.shelf()?;
        let etag = match shelf.source {
            super::dto::CatalogueSource::Server => {
                Some(format!("\"{}\"", shelf.catalogue.version()))
            }
            super::dto::CatalogueSource::Bundled => None,
        };
        let Some(resp) = server
            .get_public_if_changed("/courses", etag.as_deref())
            .await?
        else {
            return Ok(false);
        };
        let json = resp
            .text()
            .await
            .map_err(|e| Error::ServerUnreachable(e.to_string()))?;
        let fresh = Catalogue::from_json(&json).map_err(|e| Error::ServerRejected {
            status: 200,
            code: "bad_catalogue".into(),
            message: format!("the server's course catalogue is invalid: {e}"),
            field: None,
        })?;
        let changed = fresh.version() != shelf.catalogue.version();
        self.store().set_course_state(CATALOGUE, &json)?;
        Ok(changed)
    }

    /// Stops sharing and deletes, on the server, every course event this
    /// learner shared. Consent is withdrawn on the device first, whatever
    /// happens next, so nothing more is sent; the events stay on this device,
    /// where they still rank courses. Offline or signed out: the error says
    /// so and the server keeps them until the learner asks again.
    pub async fn course_shared_delete(&self) -> Result<SharedActivityDeleted> {
        self.course_sharing_set(false)?;
        self.signed_in()?;
        let server = self.server_client()?;
        #[derive(Deserialize)]
        struct Deleted {
            deleted: u64,
        }
        let done: Deleted = server
            .authed_json(Method::DELETE, "/course-events", None)
            .await?;
        let forgotten = self.store().forget_uploaded_course_events()?;
        tracing::info!(
            deleted = done.deleted,
            forgotten,
            "shared course activity deleted from the server"
        );
        Ok(SharedActivityDeleted {
            deleted: u32::try_from(done.deleted).unwrap_or(u32::MAX),
            sharing: self.course_sharing()?,
        })
    }

    /// Uploads consented events in batches; each batch is marked uploaded
    /// only after the server accepted it.
    async fn upload_events(&self, server: &ServerClient) -> Result<u32> {
        let mut total = 0;
        loop {
            let batch = self.store().course_events_to_upload(UPLOAD_BATCH)?;
            if batch.is_empty() {
                return Ok(total);
            }
            let events: Vec<EventWire<'_>> = batch
                .iter()
                .map(|e| EventWire {
                    course_id: &e.course_id,
                    kind: &e.kind,
                    at: e.at_ms,
                })
                .collect();
            let body = serde_json::json!({ "events": events });
            let accepted: Accepted = server
                .authed_json(Method::POST, "/course-events", Some(&body))
                .await?;
            tracing::info!(
                sent = batch.len(),
                accepted = accepted.accepted,
                "course events uploaded"
            );
            let ids: Vec<i64> = batch.iter().map(|e| e.id).collect();
            self.store().mark_course_events_uploaded(&ids)?;
            total += batch.len() as u32;
        }
    }

    /// `asked` plus the hobbies of courses the learner used, each once.
    fn hobbies_of_interest(&self, asked: &[String]) -> Result<Vec<String>> {
        let shelf = self.shelf()?;
        let mut hobbies: Vec<String> = asked.to_vec();
        for (id, _, _) in &shelf.history {
            if let Some(course) = shelf.catalogue.get(id)
                && !hobbies.contains(&course.hobby)
            {
                hobbies.push(course.hobby.clone());
            }
        }
        Ok(hobbies)
    }
}
