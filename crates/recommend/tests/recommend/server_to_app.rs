//! The server trains on everyone's clicks, cuts one hobby's model, writes it
//! to a file; the app reads it back and ranks from its own clicks, offline.

use tutti_recommend::{
    InteractionsBuilder, ItemModel, RankOptions, RecommendError, TrainParams, popular, rank, train,
};

/// Two hobbies: guitar courses 100..110 and piano courses 200..210. Learners
/// "g0".."g29" click guitar courses; those who click 100 also click 101
/// (a beginner pair), those who click 105 also click 106. Piano learners
/// click piano courses the same way. Course 109 is clicked by everyone on
/// guitar (the most popular).
fn server_clicks() -> InteractionsBuilder<String> {
    let mut b = InteractionsBuilder::new();
    for n in 0..30u32 {
        let guitar = format!("g{n}");
        b.add(guitar.clone(), 109, 1.0).unwrap();
        if n % 2 == 0 {
            b.add(guitar.clone(), 100, 2.0).unwrap();
            b.add(guitar.clone(), 101, 1.0).unwrap();
        } else {
            b.add(guitar.clone(), 105, 1.0).unwrap();
            b.add(guitar.clone(), 106, 1.0).unwrap();
        }
        if n % 5 == 0 {
            b.add(guitar, 102, 1.0).unwrap();
        }
        let piano = format!("p{n}");
        b.add(piano.clone(), 200 + n % 3, 1.0).unwrap();
        b.add(piano, 203, 1.0).unwrap();
    }
    b
}

#[test]
fn a_hobby_model_travels_through_a_file_and_ranks_offline() {
    let model = train(&server_clicks().build(), &TrainParams::default()).unwrap();
    let guitar_courses: Vec<u32> = (100..110).collect();
    let hobby = model.subset(&guitar_courses);
    assert_eq!(
        hobby.items(),
        &[100, 101, 102, 105, 106, 109],
        "only clicked guitar courses"
    );

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("guitar.model.json");
    std::fs::write(&path, serde_json::to_vec(&hobby).unwrap()).unwrap();
    let on_device: ItemModel = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(on_device, hobby);

    // A learner who watched course 100 twice: 101 was watched by the same
    // people, so it leads, and the reason is 100.
    let recs = rank(
        &on_device,
        &[(100, 1.0), (100, 1.0)],
        &RankOptions {
            k: 3,
            ..RankOptions::default()
        },
    );
    assert_eq!(recs[0].item, 101, "{recs:?}");
    assert_eq!(recs[0].because, Some(100));
    assert!(recs.iter().all(|r| r.item != 100), "seen course left out");
    assert!(
        recs.iter().all(|r| guitar_courses.contains(&r.item)),
        "no piano course in a guitar model"
    );

    // Cold start at a level: the caller passes that level's courses.
    let level_courses = [102, 105, 106, 109];
    let cold = popular(&on_device, Some(&level_courses), &[], 2);
    assert_eq!(
        cold.iter().map(|r| r.item).collect::<Vec<_>>(),
        vec![109, 105],
        "109: 30 learners; 105 and 106 tie at 15, lower id first"
    );
}

#[test]
fn string_and_numeric_user_keys_give_the_same_model() {
    let by_name = train(&server_clicks().build(), &TrainParams::default()).unwrap();
    let (matrix, names) = server_clicks().build_keyed();
    let mut by_number = InteractionsBuilder::<u32>::new();
    for (u, _) in names.iter().enumerate() {
        for (item, w) in matrix.user_row(u) {
            by_number.add(u as u32, item, w).unwrap();
        }
    }
    assert_eq!(
        train(&by_number.build(), &TrainParams::default()).unwrap(),
        by_name
    );
}

#[test]
fn training_refuses_nothing_to_learn_from() {
    let empty = InteractionsBuilder::<String>::new().build();
    assert_eq!(
        train(&empty, &TrainParams::default()).unwrap_err(),
        RecommendError::EmptyInteractions
    );
}
