//! What the first start creates (a school, the sample code of conduct, a headteacher setup link)
//! and the made-up school of `--demo`.

use time::Duration;

use crate::clock::Clock;
use crate::domain::code::SigningCode;
use crate::domain::wording::Wording;
use crate::domain::{policy, secret};
use crate::store::{self, Db, audit, carers, codes, documents, schools, staff};

use crate::domain::role::INVITE_DAYS;
use crate::domain::school::Scope;

/// What a first start created: the school's scope and the one-time token of the headteacher's
/// setup link.
pub struct FirstStart {
    pub scope: Scope,
    pub setup_token: String,
}

/// On an empty database, creates the school, version 1 of the sample code and a headteacher setup
/// link, all in one transaction. Returns `None` when the database already has a school.
pub async fn first_start(db: &Db, clock: &dyn Clock) -> Result<Option<FirstStart>, sqlx::Error> {
    let mut tx = db.begin().await?;
    if schools::first(&mut *tx).await?.is_some() {
        return Ok(None);
    }
    let address = "Oakfield Primary School\nMeadow Lane\nOakfield\nOK1 2AB";
    let made = create(
        &mut tx,
        "oakfield",
        "Oakfield Primary School",
        address,
        clock.now(),
        "first start: sample code of conduct published as version 1",
    )
    .await?;
    tx.commit().await?;
    Ok(Some(made))
}

/// Adds another school to the instance (`signoff school add`): its own sample code of conduct
/// and a setup link for its first headteacher, as a first start makes for the first school, and
/// its own host name if given (`--host`). The errors say what to change; then nothing is added.
pub async fn add_school(
    db: &Db,
    clock: &dyn Clock,
    name: &str,
    slug: &str,
    address: &str,
    host: Option<&str>,
) -> anyhow::Result<FirstStart> {
    let name = crate::domain::text::single_spaced(name);
    if name.is_empty() {
        anyhow::bail!("Give the school's name, as parents know it (such as \"Elmwood Academy\").");
    }
    let slug = crate::domain::school::check_slug(slug).map_err(|m| anyhow::anyhow!(m))?;
    let mut tx = db.begin().await?;
    if let Some(other) = schools::by_slug(&mut *tx, &slug).await? {
        anyhow::bail!(
            "The address \"{slug}\" is already {}'s: choose another.",
            other.name
        );
    }
    let host = match host {
        Some(typed) => Some(crate::app::hosts::free_host(&mut tx, typed, None).await?),
        None => None,
    };
    let made = create(
        &mut tx,
        &slug,
        &name,
        address.trim(),
        clock.now(),
        "added from the server's command line: sample code of conduct published as version 1",
    )
    .await?;
    if let Some(host) = &host {
        let school = schools::get(&mut *tx, made.scope)
            .await?
            .ok_or(sqlx::Error::RowNotFound)?;
        crate::app::hosts::record_host(&mut tx, &school, Some(host), clock.now()).await?;
    }
    tx.commit().await?;
    Ok(made)
}

/// A school, version 1 of the sample code, and a setup link for its first headteacher.
pub(crate) async fn create(
    tx: &mut store::WriteTx,
    slug: &str,
    name: &str,
    address: &str,
    now: time::OffsetDateTime,
    detail: &str,
) -> Result<FirstStart, sqlx::Error> {
    let today = now.date();
    let scope =
        schools::insert(&mut **tx, slug, name, address, policy::DEFAULT_LETTER, now).await?;
    let document_id = documents::insert_document(
        &mut **tx,
        scope,
        "social-media-code",
        policy::SAMPLE_TITLE,
        0,
        now,
    )
    .await?;
    let approved_on = today.to_string();
    let next_review = today
        .replace_year(today.year() + 1)
        .unwrap_or(today)
        .to_string();
    let wording = Wording {
        title: policy::SAMPLE_TITLE.into(),
        approved_by: "The Governing Body".into(),
        approved_on: approved_on.clone(),
        last_reviewed: approved_on,
        next_review_due: next_review,
        related_policies: policy::SAMPLE_RELATED.into(),
        body_md: policy::SAMPLE_BODY.into(),
        declaration_text: policy::SAMPLE_DECLARATION.into(),
    };
    let canonical = wording.canonical(1);
    let sha = secret::sha256_hex(canonical.as_bytes());
    let version_id = documents::insert_version(
        &mut **tx,
        documents::NewVersion {
            scope,
            document_id,
            number: 1,
            wording: &wording,
            summary: "First version of the code of conduct.",
            material: true,
            canonical_text: &canonical,
            sha256: &sha,
            published_at: now,
            published_by: None,
        },
    )
    .await?;
    let token = secret::new_token();
    staff::insert_invite(
        &mut **tx,
        staff::NewInvite {
            scope: Some(scope),
            staff_user_id: None,
            role: "headteacher",
            token_hash: &secret::sha256_hex(&token),
            created_at: now,
            expires_at: now + Duration::days(INVITE_DAYS),
            created_by: None,
        },
    )
    .await?;
    audit::record(
        &mut **tx,
        audit::Event {
            scope,
            at: now,
            actor: "system",
            action: "school.created",
            subject: &format!("version:{version_id}"),
            detail,
        },
    )
    .await?;
    Ok(FirstStart {
        scope,
        setup_token: token,
    })
}

/// A made-up carer and the code just issued for them.
pub struct DemoCode {
    pub carer_name: String,
    pub code: SigningCode,
}

struct DemoFamily {
    carers: &'static [(&'static str, &'static str, &'static str)],
    children: &'static [(&'static str, &'static str, &'static str)],
}

const DEMO: &[DemoFamily] = &[
    DemoFamily {
        carers: &[("Zoë", "O'Brien", "Mother")],
        children: &[("Finn", "O'Brien", "3B"), ("Ava", "O'Brien", "5A")],
    },
    DemoFamily {
        carers: &[("Wang", "Xiuying", "Mother"), ("Li", "Wei", "Father")],
        children: &[("Mei", "Li", "3B")],
    },
    DemoFamily {
        carers: &[("Amara", "Okafor", "Mother")],
        children: &[("Tobi", "Okafor", "3B")],
    },
    DemoFamily {
        carers: &[("Daniel", "Hughes", "Father")],
        children: &[("Isla", "Hughes", "3B")],
    },
    DemoFamily {
        carers: &[("Fatima", "Begum", "Mother"), ("Rahim", "Uddin", "Father")],
        children: &[("Yusuf", "Uddin", "5A")],
    },
    DemoFamily {
        carers: &[("Grace", "Taylor", "Grandmother")],
        children: &[("Ella", "Taylor", "5A"), ("Jack", "Taylor", "3B")],
    },
    DemoFamily {
        carers: &[("Tomasz", "Nowak", "Father")],
        children: &[("Oliwia", "Nowak", "5A")],
    },
    DemoFamily {
        carers: &[("Sian", "Evans", "Mother")],
        children: &[("Rhys", "Evans", "5A")],
    },
];

/// Fills an empty school with two made-up classes, then issues fresh codes for three carers who
/// have not signed yet (revoking their earlier codes), so a newcomer can sign straight away.
pub async fn demo(db: &Db, clock: &dyn Clock, scope: Scope) -> Result<Vec<DemoCode>, sqlx::Error> {
    let now = clock.now();
    let mut tx = db.begin().await?;
    if carers::current_ids(&mut *tx, scope).await?.is_empty() {
        let mut n = 0;
        for family in DEMO {
            let mut pupil_ids = Vec::new();
            for (first, last, class) in family.children {
                let year = if class.starts_with('3') {
                    "Year 3"
                } else {
                    "Year 5"
                };
                let id = carers::insert_pupil(
                    &mut *tx,
                    carers::NewPupil {
                        scope,
                        mis_id: None,
                        first_name: first,
                        last_name: last,
                        class_name: class,
                        year_group: year,
                    },
                    now,
                )
                .await?;
                pupil_ids.push(id);
            }
            for (first, last, relationship) in family.carers {
                // Made-up contact details: example.org never delivers, and Ofcom keeps
                // 07700 900000–900999 for drama, so a demo campaign reaches nobody real.
                n += 1;
                let ascii = |s: &str| -> String {
                    s.chars()
                        .filter(char::is_ascii_alphabetic)
                        .collect::<String>()
                        .to_lowercase()
                };
                let email = format!("{}.{}@example.org", ascii(first), ascii(last));
                let phone = format!("07700 900{n:03}");
                let carer_id = carers::insert_carer(
                    &mut *tx,
                    carers::NewCarer {
                        scope,
                        mis_id: None,
                        first_name: first,
                        last_name: last,
                        email: &email,
                        phone: &phone,
                        address: "1 Example Road\nOakfield",
                        postcode: "OK1 3CD",
                    },
                    now,
                )
                .await?;
                for pupil_id in &pupil_ids {
                    carers::link(&mut *tx, scope, carer_id, *pupil_id, relationship).await?;
                }
            }
        }
    }
    let unsigned: Vec<i64> = store::carers::unsigned_ids(&mut *tx, scope, 3).await?;
    let mut out = Vec::new();
    for carer_id in unsigned {
        let code = SigningCode::generate();
        codes::replace(&mut tx, scope, carer_id, &code.hash(), now, None).await?;
        if let Some(c) = carers::carer(&mut *tx, scope, carer_id).await? {
            out.push(DemoCode {
                carer_name: c.full_name(),
                code,
            });
        }
    }
    tx.commit().await?;
    Ok(out)
}

/// A fresh headteacher setup link, for when nobody can sign in (`signoff setup-link`). With the
/// email of an existing account, the link sets a new password for it and makes it an active
/// headteacher; otherwise it creates a new headteacher account. Returns the token.
pub async fn headteacher_link(
    db: &Db,
    clock: &dyn Clock,
    school: &schools::School,
    email: Option<&str>,
) -> anyhow::Result<String> {
    let now_t = clock.now();
    let now = now_t;
    let mut tx = db.begin().await?;
    let user = match email {
        Some(e) => {
            let e = crate::domain::email::Email::parse(e).map_err(|m| anyhow::anyhow!(m))?;
            let u = staff::user_by_email(&mut *tx, e.as_str())
                .await?
                .filter(|u| u.scope == Some(school.scope))
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "no staff account at {} has the email {}",
                        school.name,
                        e.as_str()
                    )
                })?;
            let mine = Some(school.scope);
            staff::set_role(&mut *tx, school.scope, u.id, "headteacher").await?;
            staff::set_active(&mut *tx, mine, u.id, true).await?;
            staff::cancel_invites_for(&mut *tx, mine, u.id, now).await?;
            Some(u.id)
        }
        None => None,
    };
    let token = secret::new_token();
    staff::insert_invite(
        &mut *tx,
        staff::NewInvite {
            scope: Some(school.scope),
            staff_user_id: user,
            role: "headteacher",
            token_hash: &secret::sha256_hex(&token),
            created_at: now,
            expires_at: now_t + Duration::days(INVITE_DAYS),
            created_by: None,
        },
    )
    .await?;
    audit::record(
        &mut *tx,
        audit::Event {
            scope: school.scope,
            at: now,
            actor: "system",
            action: "staff.setup_link_issued",
            subject: &user
                .map(|u| format!("staff:{u}"))
                .unwrap_or_else(|| "staff:new".into()),
            detail: "from the server's command line",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}
