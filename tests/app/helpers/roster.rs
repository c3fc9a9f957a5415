//! The roster for tests: upload, follow, preview and import, codes and carers by name.

use signoff::domain::code::SigningCode;
use signoff::store::codes;

use super::{TestApp, csrf_of, hidden};

impl TestApp {
    /// Uploads a roster file as `client` and follows the redirect to the page that comes next
    /// (the preview, or the column choices): its status and HTML.
    pub async fn upload_roster(&self, client: &reqwest::Client, csv: &[u8]) -> (u16, String) {
        let csrf = csrf_of(self, client, "/office/roster").await;
        let form = reqwest::multipart::Form::new().text("csrf", csrf).part(
            "file",
            reqwest::multipart::Part::bytes(csv.to_vec()).file_name("roster.csv"),
        );
        let res = client
            .post(self.url("/office/roster"))
            .multipart(form)
            .send()
            .await
            .unwrap();
        self.follow(client, res).await
    }

    /// Follows 303s (as a browser does) and returns the final status and HTML.
    pub async fn follow(
        &self,
        client: &reqwest::Client,
        mut res: reqwest::Response,
    ) -> (u16, String) {
        while res.status() == 303 {
            let to = res.headers()["location"].to_str().unwrap().to_string();
            res = client.get(self.url(&to)).send().await.unwrap();
        }
        (res.status().as_u16(), res.text().await.unwrap())
    }

    /// Presses the preview's import button (with whatever boxes `extra` ticks) and returns the
    /// response, not followed.
    pub async fn press_import(
        &self,
        client: &reqwest::Client,
        preview: &str,
        extra: &[(&str, &str)],
    ) -> reqwest::Response {
        let marker = "action=\"/office/roster/";
        let start = preview.find(marker).expect("a roster form") + marker.len();
        let id: String = preview[start..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let mut form = vec![
            ("csrf".to_string(), hidden(preview, "csrf")),
            ("digest".to_string(), hidden(preview, "digest")),
        ];
        form.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        client
            .post(self.url(&format!("/office/roster/{id}/import")))
            .form(&form)
            .send()
            .await
            .unwrap()
    }

    /// Uploads and imports a roster that must have no errors and no leaver guard.
    pub async fn import_roster(&self, client: &reqwest::Client, csv: &[u8]) {
        let (status, html) = self.upload_roster(client, csv).await;
        assert_eq!(status, 200, "{html}");
        let res = self.press_import(client, &html, &[]).await;
        assert_eq!(
            res.status(),
            303,
            "{}",
            res.text().await.unwrap_or_default()
        );
    }

    /// Issues a fresh code for a carer straight in the database (as letters would).
    pub async fn code_for(&self, carer_id: i64) -> SigningCode {
        let code = SigningCode::generate();
        let mut conn = self.state.db.write.acquire().await.expect("conn");
        codes::replace(
            &mut conn,
            self.scope,
            carer_id,
            &code.hash(),
            time::macros::datetime!(2026-11-01 09:00:00 UTC),
            None,
        )
        .await
        .expect("code");
        self.state.db.note_write();
        code
    }

    pub async fn carer_id(&self, first: &str, last: &str) -> i64 {
        sqlx::query_scalar("SELECT id FROM carers WHERE first_name = ? AND last_name = ?")
            .bind(first)
            .bind(last)
            .fetch_one(&self.state.db.read)
            .await
            .unwrap()
    }
}
