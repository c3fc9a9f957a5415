//! Synthetic data: schools of carers, pupils, codes and signatures, written straight to a database.

use std::path::{Path, PathBuf};

use signoff::domain::code::SigningCode;
use signoff::domain::evidence::Signed;
use signoff::store::declarations::{self, NewDeclaration};
use signoff::store::{Db, carers, codes, staff};

pub const HEAD_EMAIL: &str = "bench-head@example.org";
pub const PASSWORD: &str = "benchmark pass phrase";

/// A prepared database: the parents who have not signed, with their codes (the first school's,
/// and every school's in order).
pub struct Prepared {
    pub path: PathBuf,
    pub parents: Vec<(SigningCode, String)>,
    pub by_school: Vec<Vec<(SigningCode, String)>>,
}

/// Builds a database with `schools` schools of `per_school` carers each (one or two children in
/// 12 classes), 60% of them signed, a headteacher with a known password, and `extra_staff` office
/// accounts (for the sign-in storm).
pub async fn prepare(
    dir: &Path,
    name: &str,
    schools: usize,
    per_school: usize,
    signed: f64,
    extra_staff: usize,
) -> Prepared {
    let path = dir.join(name);
    let db = Db::open(&path).await.unwrap();
    let clock = signoff::SystemClock;
    let first = signoff::app::seed::first_start(&db, &clock)
        .await
        .unwrap()
        .unwrap();
    let hash = signoff::domain::password::hash(PASSWORD).unwrap();
    let now = time::macros::datetime!(2026-11-01 09:00:00 UTC);
    let mut by_school = Vec::new();
    for s in 0..schools {
        let mut parents = Vec::new();
        let mut tx = db.begin().await.unwrap();
        let scope = if s == 0 {
            first.scope
        } else {
            let scope = signoff::store::schools::insert(
                &mut *tx,
                &format!("school-{s}"),
                &format!("School {s}"),
                "",
                "",
                now,
            )
            .await
            .unwrap();
            let doc =
                signoff::store::documents::insert_document(&mut *tx, scope, "code", "Code", 0, now)
                    .await
                    .unwrap();
            let v = signoff::store::documents::version(&mut *tx, first.scope, 1)
                .await
                .unwrap()
                .unwrap();
            signoff::store::documents::insert_version(
                &mut *tx,
                signoff::store::documents::NewVersion {
                    scope,
                    document_id: doc,
                    number: 1,
                    wording: &v.wording,
                    summary: &v.summary,
                    material: true,
                    canonical_text: &v.canonical_text,
                    sha256: &v.sha256,
                    published_at: now,
                    published_by: None,
                },
            )
            .await
            .unwrap();
            scope
        };
        if s == 0 {
            let head = staff::insert_user(
                &mut *tx,
                Some(scope),
                HEAD_EMAIL,
                "Bench Head",
                "headteacher",
                now,
            )
            .await
            .unwrap();
            staff::set_password(&mut *tx, Some(scope), head, &hash)
                .await
                .unwrap();
            for i in 0..extra_staff {
                let id = staff::insert_user(
                    &mut *tx,
                    Some(scope),
                    &format!("office{i}@example.org"),
                    "Office",
                    "office",
                    now,
                )
                .await
                .unwrap();
                staff::set_password(&mut *tx, Some(scope), id, &hash)
                    .await
                    .unwrap();
            }
        }
        let (doc_id, version_id, sha, wording): (i64, i64, String, String) = sqlx::query_as(
            "SELECT document_id, id, sha256, declaration_text FROM versions WHERE school_id = ?",
        )
        .bind(scope.id())
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        let mut pupil = 0;
        for i in 0..per_school {
            let first_name = format!("Carer{i}");
            let last_name = format!("Family{}", i / 2);
            let carer = carers::insert_carer(
                &mut *tx,
                carers::NewCarer {
                    scope,
                    mis_id: None,
                    first_name: &first_name,
                    last_name: &last_name,
                    email: "",
                    phone: "",
                    address: "1 Bench Road\nTown",
                    postcode: "AB1 2CD",
                },
                now,
            )
            .await
            .unwrap();
            // Pairs of carers share children; every fourth family has two.
            if i % 2 == 0 {
                for _ in 0..(1 + usize::from(i % 8 == 0)) {
                    pupil = carers::insert_pupil(
                        &mut *tx,
                        carers::NewPupil {
                            scope,
                            mis_id: None,
                            first_name: "Child",
                            last_name: &last_name,
                            class_name: &format!("{}{}", 1 + (i / 2) % 6, ["A", "B"][(i / 12) % 2]),
                            year_group: &format!("Year {}", 1 + (i / 2) % 6),
                        },
                        now,
                    )
                    .await
                    .unwrap();
                    carers::link(&mut *tx, scope, carer, pupil, "Parent")
                        .await
                        .unwrap();
                }
            } else {
                carers::link(&mut *tx, scope, carer, pupil, "Parent")
                    .await
                    .unwrap();
            }
            let code = SigningCode::generate();
            codes::replace(&mut tx, scope, carer, &code.hash(), now, None)
                .await
                .unwrap();
            if (i as f64) < signed * per_school as f64 {
                declarations::append(
                    &mut tx,
                    NewDeclaration {
                        scope,
                        signed: Signed {
                            carer_id: carer,
                            document_id: doc_id,
                            version_id,
                            children: "[]".into(),
                            carer_name: format!("{first_name} {last_name}"),
                            typed_name: format!("{first_name} {last_name}"),
                            declaration_text: wording.clone(),
                            text_sha256: sha.clone(),
                            signed_at: signoff::clock::stamp(now),
                            method: "online".into(),
                            ip: "127.0.0.1".into(),
                            user_agent: "bench".into(),
                            recorded_by: None,
                            received_on: None,
                            note: String::new(),
                            language: String::new(),
                            shown_sha256: String::new(),
                        },
                    },
                    "system",
                )
                .await
                .unwrap();
            } else {
                parents.push((code, format!("{first_name} {last_name}")));
            }
        }
        tx.commit().await.unwrap();
        by_school.push(parents);
    }
    db.close().await;
    Prepared {
        path,
        parents: by_school.first().cloned().unwrap_or_default(),
        by_school,
    }
}
