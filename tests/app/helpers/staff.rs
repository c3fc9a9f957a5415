//! Staff for tests: the first headteacher, invited colleagues, signing in with a fresh browser.

use super::{HEAD_EMAIL, HEAD_PASSWORD, TestApp, browser, csrf_of};

impl TestApp {
    /// Completes the first headteacher's setup link; returns their signed-in browser.
    pub async fn head(&self) -> reqwest::Client {
        let c = browser();
        let path = format!("/setup/{}", self.setup_token);
        let csrf = csrf_of(self, &c, &path).await;
        let res = c
            .post(self.url(&path))
            .form(&[
                ("csrf", csrf.as_str()),
                ("name", "Helen Ward"),
                ("email", HEAD_EMAIL),
                ("password", HEAD_PASSWORD),
                ("confirm", HEAD_PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303, "setup completes");
        c
    }

    /// Has `head` invite a colleague, who sets `password` from the link; returns their browser.
    pub async fn colleague(
        &self,
        head: &reqwest::Client,
        name: &str,
        email: &str,
        role: &str,
        password: &str,
    ) -> (reqwest::Client, i64) {
        let csrf = csrf_of(self, head, "/head/staff").await;
        let res = head
            .post(self.url("/head/staff"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("name", name),
                ("email", email),
                ("role", role),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let html = res.text().await.unwrap();
        let start = html.find("/setup/").expect("invitation link shown");
        let token: String = html[start + 7..]
            .chars()
            .take_while(|c| c.is_ascii_hexdigit())
            .collect();
        let c = browser();
        let path = format!("/setup/{token}");
        let csrf = csrf_of(self, &c, &path).await;
        let res = c
            .post(self.url(&path))
            .form(&[
                ("csrf", csrf.as_str()),
                ("password", password),
                ("confirm", password),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303, "colleague sets a password");
        let id: i64 = sqlx::query_scalar("SELECT id FROM staff_users WHERE email = ?")
            .bind(email)
            .fetch_one(&self.state.db.read)
            .await
            .unwrap();
        (c, id)
    }

    /// Signs in with a fresh browser.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
    ) -> (reqwest::Client, reqwest::Response) {
        let c = browser();
        let csrf = csrf_of(self, &c, "/staff/sign-in").await;
        let res = c
            .post(self.url("/staff/sign-in"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("email", email),
                ("password", password),
                ("next", "/office"),
            ])
            .send()
            .await
            .unwrap();
        (c, res)
    }
}
