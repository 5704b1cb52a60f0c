//! Courses against the real sync server: the catalogue by ETag, consented
//! events uploaded, the server's model trained from them, and recommendations
//! ranked on the device with that model — also once the server is gone.

use tutti_core::courses::dto::{CatalogueSource, CourseEventKind, RecommendationReason};
use tutti_core::mentor::dto::MentorLevel;

use crate::sync::{Server, eventually, signed_in_core};

const A: &str = "guitar-b-open-chords";

/// Two beginner guitar courses other than `A`, in catalogue order.
fn others(core: &tutti_core::Tutti) -> (String, String) {
    let list = core
        .courses(Some("guitar"), Some(MentorLevel::Beginner))
        .unwrap()
        .courses;
    assert!(
        list.iter().any(|c| c.id == A),
        "{A} is a beginner guitar course"
    );
    let mut rest = list.into_iter().filter(|c| c.id != A).map(|c| c.id);
    (rest.next().unwrap(), rest.next().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consented_clicks_train_the_model_and_the_app_ranks_with_it_offline() {
    let server = Server::start_with(tempfile::tempdir().unwrap(), "127.0.0.1:0", |c| {
        c.course_train_interval_secs = 1;
    })
    .await;

    // Learners who took A went on to B; nobody took C.
    let ann = signed_in_core(&server, "ann", "female").await;
    let (b, c) = others(&ann.tutti);
    for (name, gender) in [("ann", "female"), ("bo", "male"), ("cy", "other")] {
        let learner = if name == "ann" {
            None
        } else {
            Some(signed_in_core(&server, name, gender).await)
        };
        let core = learner.as_ref().map_or(&ann.tutti, |l| &l.tutti);
        core.course_sharing_set(true).unwrap();
        core.course_event(A, CourseEventKind::Click).unwrap();
        core.course_event(&b, CourseEventKind::Click).unwrap();
        let report = core.courses_sync(&["guitar".into()]).await.unwrap();
        assert!(report.signed_in);
        assert_eq!(report.uploaded, 2);
        let sharing = core.course_sharing().unwrap();
        assert_eq!((sharing.pending, sharing.uploaded), (0, 2));
    }

    // A new learner: nothing shared (no consent), the catalogue by ETag.
    let dee = signed_in_core(&server, "dee", "female").await;
    let report = dee.tutti.courses_sync(&["guitar".into()]).await.unwrap();
    assert!(
        !report.catalogue_updated,
        "the bundled catalogue is the server's"
    );
    assert_eq!(
        dee.tutti.courses(None, None).unwrap().source,
        CatalogueSource::Server
    );
    let again = dee.tutti.courses_sync(&[]).await.unwrap();
    assert!(!again.catalogue_updated);

    // The server retrains in the background; wait until dee gets the model.
    eventually("the guitar model reaches the app", || async {
        dee.tutti
            .courses_sync(&["guitar".into()])
            .await
            .unwrap()
            .models
            .contains(&"guitar".to_owned())
    })
    .await;

    // Cold start from the model: the courses others used, as popular.
    let recs = dee
        .tutti
        .course_recommendations("guitar", Some(MentorLevel::Beginner), 3)
        .unwrap();
    assert!(recs.from_model);
    let first: Vec<(&str, &RecommendationReason)> = recs
        .items
        .iter()
        .map(|r| (r.course.id.as_str(), &r.reason))
        .collect();
    assert_eq!(first[0].1, &RecommendationReason::Popular, "{first:?}");
    assert!(
        first[..2].iter().any(|(id, _)| *id == A) && first[..2].iter().any(|(id, _)| *id == b),
        "{first:?}"
    );

    // Dee opens A (kept on the device): B is recommended because of A.
    let detail = dee.tutti.course_open(A).unwrap();
    assert_eq!(detail.also_viewed[0].id, b);
    let sharing = dee.tutti.course_sharing().unwrap();
    assert_eq!((sharing.pending, sharing.local_only), (0, 1));

    let dir = server.stop().await;
    let recs = dee
        .tutti
        .course_recommendations("guitar", Some(MentorLevel::Beginner), 3)
        .unwrap();
    assert_eq!(recs.items[0].course.id, b, "{:?}", recs.items);
    assert_eq!(
        recs.items[0].reason,
        RecommendationReason::AlsoViewed {
            course_id: A.into(),
            title: detail.course.title.clone(),
        }
    );
    assert!(
        recs.items.iter().all(|r| r.course.id != A),
        "seen courses are not recommended"
    );
    assert!(recs.items.iter().any(|r| r.course.id == c));

    // Offline, a sync fails plainly and changes nothing.
    let before = dee.tutti.course_sharing().unwrap();
    let err = dee
        .tutti
        .courses_sync(&["guitar".into()])
        .await
        .unwrap_err();
    assert_eq!(err.code(), "server_unreachable", "{err}");
    assert_eq!(dee.tutti.course_sharing().unwrap(), before);
    drop(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_out_syncs_only_the_catalogue_and_bad_hobbies_are_refused() {
    let server = Server::start().await;
    let dir = tempfile::tempdir().unwrap();
    let core = tutti_core::Tutti::open(dir.path()).unwrap();
    core.account_server_url_set(&server.url()).unwrap();
    core.course_sharing_set(true).unwrap();
    core.course_event(A, CourseEventKind::Click).unwrap();
    let report = core.courses_sync(&["guitar".into()]).await.unwrap();
    assert!(!report.signed_in);
    assert_eq!(report.uploaded, 0);
    assert_eq!(core.course_sharing().unwrap().pending, 1, "kept for later");
    assert_eq!(
        core.courses(None, None).unwrap().source,
        CatalogueSource::Server
    );

    let err = core
        .courses_sync(&["underwater-chess".into()])
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input", "{err}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_learner_stops_sharing_and_deletes_what_the_server_has() {
    let server = Server::start().await;
    let ann = signed_in_core(&server, "ann", "female").await;
    let bo = signed_in_core(&server, "bo", "male").await;
    let (b, _) = others(&ann.tutti);
    for core in [&ann.tutti, &bo.tutti] {
        core.course_sharing_set(true).unwrap();
        core.course_event(A, CourseEventKind::Click).unwrap();
        core.course_event(&b, CourseEventKind::View).unwrap();
        assert_eq!(
            core.courses_sync(&["guitar".into()])
                .await
                .unwrap()
                .uploaded,
            2
        );
    }
    // Recorded with consent, not sent yet.
    ann.tutti.course_event(&b, CourseEventKind::Click).unwrap();

    let done = ann.tutti.course_shared_delete().await.unwrap();
    assert_eq!(done.deleted, 2, "the server deleted what Ann had shared");
    assert!(!done.sharing.consent, "sharing stops");
    assert_eq!(
        (
            done.sharing.pending,
            done.sharing.uploaded,
            done.sharing.local_only
        ),
        (0, 0, 3),
        "every event stays on the device, none to send"
    );
    let report = ann.tutti.courses_sync(&["guitar".into()]).await.unwrap();
    assert_eq!(report.uploaded, 0, "nothing is sent again");
    assert_eq!(
        ann.tutti.course_shared_delete().await.unwrap().deleted,
        0,
        "asking again finds nothing"
    );
    // Bo's shared events are untouched: Bo deletes his own two.
    assert_eq!(bo.tutti.course_shared_delete().await.unwrap().deleted, 2);

    // Offline: consent is withdrawn on the device anyway, and the error says why.
    let cy = signed_in_core(&server, "cy", "other").await;
    cy.tutti.course_sharing_set(true).unwrap();
    cy.tutti.course_event(A, CourseEventKind::Click).unwrap();
    server.stop().await;
    let err = cy.tutti.course_shared_delete().await.unwrap_err();
    assert_eq!(err.code(), "server_unreachable", "{err}");
    let sharing = cy.tutti.course_sharing().unwrap();
    assert!(!sharing.consent);
    assert_eq!((sharing.pending, sharing.local_only), (0, 1));
}
