//! The rules every catalogue must pass before anyone sees it.

use std::collections::{HashMap, HashSet};

use crate::{CatalogueError, Course, hobby};

/// Shortest total length a course may have, in minutes.
pub const MIN_MINUTES: u32 = 10;

/// Checks `courses` against every rule, returning the first broken one.
/// On success returns the id → position index.
pub(crate) fn validate(courses: &[Course]) -> Result<HashMap<String, usize>, CatalogueError> {
    let mut index = HashMap::with_capacity(courses.len());
    for (i, course) in courses.iter().enumerate() {
        check_fields(course)?;
        if index.insert(course.id.clone(), i).is_some() {
            return Err(CatalogueError::DuplicateId {
                id: course.id.clone(),
            });
        }
    }
    for course in courses {
        check_prerequisites(course, courses, &index)?;
    }
    check_acyclic(courses, &index)?;
    Ok(index)
}

fn invalid(course: &Course, field: &'static str, problem: impl Into<String>) -> CatalogueError {
    CatalogueError::InvalidField {
        course: course.id.clone(),
        field,
        problem: problem.into(),
    }
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

fn check_fields(c: &Course) -> Result<(), CatalogueError> {
    if !is_slug(&c.id) {
        return Err(invalid(
            c,
            "id",
            "must be a non-empty slug of lower-case letters, digits and inner `-`",
        ));
    }
    if hobby(&c.hobby).is_none() {
        return Err(CatalogueError::UnknownHobby {
            course: c.id.clone(),
            hobby: c.hobby.clone(),
        });
    }
    for (field, text) in [
        ("title.ko", &c.title.ko),
        ("title.en", &c.title.en),
        ("summary.ko", &c.summary.ko),
        ("summary.en", &c.summary.en),
        ("instructor", &c.instructor),
    ] {
        if text.trim().is_empty() {
            return Err(invalid(c, field, "is empty"));
        }
    }
    if c.lessons < 1 {
        return Err(invalid(c, "lessons", "must be at least 1"));
    }
    if c.minutes < MIN_MINUTES {
        return Err(invalid(
            c,
            "minutes",
            format!("is {}, below the minimum of {MIN_MINUTES}", c.minutes),
        ));
    }
    let mut seen = HashSet::new();
    for tag in &c.tags {
        if tag.trim().is_empty() || *tag != tag.to_lowercase() {
            return Err(invalid(
                c,
                "tags",
                format!("holds `{tag}`; tags are non-empty and lower-case"),
            ));
        }
        if !seen.insert(tag) {
            return Err(invalid(c, "tags", format!("lists `{tag}` twice")));
        }
    }
    Ok(())
}

fn check_prerequisites(
    c: &Course,
    courses: &[Course],
    index: &HashMap<String, usize>,
) -> Result<(), CatalogueError> {
    let mut seen = HashSet::new();
    for pre_id in &c.prerequisites {
        if !seen.insert(pre_id) {
            return Err(invalid(
                c,
                "prerequisites",
                format!("lists `{pre_id}` twice"),
            ));
        }
        let Some(&at) = index.get(pre_id) else {
            return Err(CatalogueError::MissingPrerequisite {
                course: c.id.clone(),
                prerequisite: pre_id.clone(),
            });
        };
        let pre = &courses[at];
        if pre.hobby != c.hobby {
            return Err(CatalogueError::PrerequisiteOtherHobby {
                course: c.id.clone(),
                hobby: c.hobby.clone(),
                prerequisite: pre.id.clone(),
                prerequisite_hobby: pre.hobby.clone(),
            });
        }
        if pre.level > c.level {
            return Err(CatalogueError::PrerequisiteAboveLevel {
                course: c.id.clone(),
                level: c.level,
                prerequisite: pre.id.clone(),
                prerequisite_level: pre.level,
            });
        }
    }
    Ok(())
}

#[derive(Clone, Copy, PartialEq)]
enum Mark {
    Unvisited,
    OnPath,
    Done,
}

/// Depth-first search over prerequisite edges; a back edge to a course still
/// on the path is a cycle. Iterative, so a long chain cannot overflow the stack.
fn check_acyclic(courses: &[Course], index: &HashMap<String, usize>) -> Result<(), CatalogueError> {
    let mut mark = vec![Mark::Unvisited; courses.len()];
    for start in 0..courses.len() {
        if mark[start] != Mark::Unvisited {
            continue;
        }
        // (course, next prerequisite to look at)
        let mut path: Vec<(usize, usize)> = vec![(start, 0)];
        mark[start] = Mark::OnPath;
        while let Some(top) = path.last_mut() {
            let (node, next) = *top;
            top.1 += 1;
            let Some(pre_id) = courses[node].prerequisites.get(next) else {
                mark[node] = Mark::Done;
                path.pop();
                continue;
            };
            // Existence was checked before; an unknown id cannot be on a cycle.
            let Some(&pre) = index.get(pre_id) else {
                continue;
            };
            match mark[pre] {
                Mark::Done => {}
                Mark::Unvisited => {
                    mark[pre] = Mark::OnPath;
                    path.push((pre, 0));
                }
                Mark::OnPath => {
                    let from = path.iter().position(|&(n, _)| n == pre).unwrap_or(0);
                    let mut cycle: Vec<String> = path[from..]
                        .iter()
                        .map(|&(n, _)| courses[n].id.clone())
                        .collect();
                    cycle.push(courses[pre].id.clone());
                    return Err(CatalogueError::PrerequisiteCycle {
                        course: courses[pre].id.clone(),
                        cycle,
                    });
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lower_case_ascii_with_inner_hyphens() {
        assert!(is_slug("guitar-b-open-chords"));
        assert!(is_slug("chess-a-2"));
        for bad in [
            "", "Guitar", "guitar_b", "-guitar", "guitar-", "기타", "a b",
        ] {
            assert!(!is_slug(bad), "`{bad}` is not a slug");
        }
    }
}
