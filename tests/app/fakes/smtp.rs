//! A fake SMTP server on a real TCP port: it speaks enough ESMTP for lettre (or raw sockets),
//! records every message it accepts, and can be told to refuse recipients or to stall.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use mailparse::{DispositionType, MailHeaderMap, ParsedMail};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::task::JoinHandle;
use tokio::time::Instant;

/// A running fake SMTP server. It stops accepting connections when dropped.
pub struct SmtpSink {
    /// The address it listens on (always 127.0.0.1 with a free port).
    pub addr: SocketAddr,
    state: Arc<Mutex<State>>,
    accept: JoinHandle<()>,
}

/// One message the sink accepted: its envelope and its raw content.
#[derive(Clone, Debug)]
pub struct Received {
    /// The reverse path from `MAIL FROM:<...>`, without the angle brackets or parameters.
    pub mail_from: String,
    /// The accepted forward paths from `RCPT TO:<...>`, in order; refused ones are left out.
    pub rcpt_to: Vec<String>,
    /// The raw message as sent after DATA, dot-unstuffed, line endings as the client sent them.
    pub data: String,
}

#[derive(Default)]
struct State {
    received: Vec<Received>,
    reject: Vec<String>,
    temporary: Vec<(String, usize)>,
    delay: Duration,
    queued: u64,
}

/// What the sink should answer to one `RCPT TO`.
enum Verdict {
    Accept,
    Permanent,
    Temporary,
}

impl SmtpSink {
    /// Binds 127.0.0.1 on a free port and starts accepting connections in the background.
    pub async fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("fake SMTP: bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("fake SMTP: local address");
        let state = Arc::new(Mutex::new(State::default()));
        let shared = state.clone();
        let accept = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (read, write) = stream.into_split();
                tokio::spawn(session(BufReader::new(read), write, shared.clone()));
            }
        });
        SmtpSink {
            addr,
            state,
            accept,
        }
    }

    /// The URL to configure the portal with, e.g. `smtp://127.0.0.1:40123` (plain, no TLS).
    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    /// Every message accepted so far, oldest first.
    pub fn received(&self) -> Vec<Received> {
        lock(&self.state).received.clone()
    }

    /// Waits until at least `n` messages have been accepted and returns them all.
    ///
    /// # Panics
    /// If fewer than `n` have arrived when `timeout` runs out.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Received> {
        super::wait_until(n, timeout, "fake SMTP messages", || self.received()).await
    }

    /// From now on, `RCPT TO` for any address containing `address_contains` gets
    /// `550 5.1.1 No such user`.
    pub fn reject_permanently(&self, address_contains: &str) {
        lock(&self.state).reject.push(address_contains.to_owned());
    }

    /// The next `times` `RCPT TO`s for addresses containing `address_contains` get
    /// `451 4.3.0 Try again later`; later ones are accepted again.
    pub fn fail_temporarily(&self, address_contains: &str, times: usize) {
        lock(&self.state)
            .temporary
            .push((address_contains.to_owned(), times));
    }

    /// Sleeps this long before the final `250` after DATA. A client that disconnects during the
    /// wait has its message thrown away, as a real server would not have queued it.
    pub fn set_delay(&self, d: Duration) {
        lock(&self.state).delay = d;
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

impl Received {
    fn parsed(&self) -> Option<ParsedMail<'_>> {
        mailparse::parse_mail(self.data.as_bytes()).ok()
    }

    /// The first top-level header called `name` (case-insensitive), with RFC 2047 words decoded.
    pub fn header(&self, name: &str) -> Option<String> {
        self.parsed()?.headers.get_first_value(name)
    }

    /// The decoded body of the first inline `text/plain` part, searching nested multiparts.
    pub fn text_part(&self) -> Option<String> {
        self.part("text/plain")
    }

    /// The decoded body of the first inline `text/html` part, searching nested multiparts.
    pub fn html_part(&self) -> Option<String> {
        self.part("text/html")
    }

    /// The top-level MIME type in lower case, e.g. `multipart/alternative` or `text/plain`.
    ///
    /// # Panics
    /// If the message does not parse as MIME at all.
    pub fn content_type(&self) -> String {
        self.parsed()
            .unwrap_or_else(|| panic!("fake SMTP: message is not MIME:\n{}", self.data))
            .ctype
            .mimetype
    }

    fn part(&self, mimetype: &str) -> Option<String> {
        let parsed = self.parsed()?;
        let part = parsed.parts().find(|p| {
            p.ctype.mimetype.eq_ignore_ascii_case(mimetype)
                && p.get_content_disposition().disposition != DispositionType::Attachment
        })?;
        part.get_body().ok()
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    // A panicking test thread must not hide the messages from the others.
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The address inside `<...>` after a `MAIL FROM:`/`RCPT TO:` prefix, ignoring parameters.
fn path(rest: &str) -> String {
    let rest = rest.trim_start();
    match rest.strip_prefix('<') {
        Some(inner) => inner.split('>').next().unwrap_or_default().to_owned(),
        None => rest
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned(),
    }
}

/// Case-insensitively strips an ASCII command prefix such as `MAIL FROM:`.
fn strip_command<'a>(line: &'a str, prefix: &str) -> Option<&'a str> {
    let head = line.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &line[prefix.len()..])
}

fn verdict(state: &Mutex<State>, address: &str) -> Verdict {
    let mut state = lock(state);
    if state.reject.iter().any(|r| address.contains(r.as_str())) {
        return Verdict::Permanent;
    }
    for (pattern, left) in &mut state.temporary {
        if *left > 0 && address.contains(pattern.as_str()) {
            *left -= 1;
            return Verdict::Temporary;
        }
    }
    Verdict::Accept
}

/// Reads one line including its terminator; `None` when the peer has gone.
async fn read_line(reader: &mut BufReader<OwnedReadHalf>) -> Option<Vec<u8>> {
    let mut line = Vec::new();
    match reader.read_until(b'\n', &mut line).await {
        Ok(0) | Err(_) => None,
        Ok(_) => Some(line),
    }
}

fn trim_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Waits out `delay`, returning false if the client hung up meanwhile.
async fn stall(reader: &mut BufReader<OwnedReadHalf>, delay: Duration) -> bool {
    let deadline = Instant::now() + delay;
    tokio::select! {
        () = tokio::time::sleep_until(deadline) => true,
        peeked = reader.fill_buf() => match peeked {
            Ok(bytes) if !bytes.is_empty() => {
                tokio::time::sleep_until(deadline).await;
                true
            }
            _ => false,
        },
    }
}

/// One SMTP conversation, from greeting to QUIT or hang-up.
async fn session(
    mut reader: BufReader<OwnedReadHalf>,
    mut writer: OwnedWriteHalf,
    state: Arc<Mutex<State>>,
) {
    let mut mail_from: Option<String> = None;
    let mut rcpt_to: Vec<String> = Vec::new();
    if writer
        .write_all(b"220 localhost ESMTP fake\r\n")
        .await
        .is_err()
    {
        return;
    }
    while let Some(raw) = read_line(&mut reader).await {
        let line = String::from_utf8_lossy(trim_eol(&raw)).into_owned();
        let verb = line
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        let answer: String = match verb.as_str() {
            "EHLO" => "250-localhost\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 PIPELINING".into(),
            "HELO" => "250 localhost".into(),
            "MAIL" => match strip_command(&line, "MAIL FROM:") {
                Some(rest) => {
                    mail_from = Some(path(rest));
                    rcpt_to.clear();
                    "250 2.1.0 Ok".into()
                }
                None => "501 5.5.4 Syntax: MAIL FROM:<address>".into(),
            },
            "RCPT" => match (strip_command(&line, "RCPT TO:"), &mail_from) {
                (None, _) => "501 5.5.4 Syntax: RCPT TO:<address>".into(),
                (Some(_), None) => "503 5.5.1 Error: need MAIL command".into(),
                (Some(rest), Some(_)) => {
                    let address = path(rest);
                    match verdict(&state, &address) {
                        Verdict::Accept => {
                            rcpt_to.push(address);
                            "250 2.1.5 Ok".into()
                        }
                        Verdict::Permanent => "550 5.1.1 No such user".into(),
                        Verdict::Temporary => "451 4.3.0 Try again later".into(),
                    }
                }
            },
            "DATA" if mail_from.is_none() => "503 5.5.1 Error: need MAIL command".into(),
            "DATA" if rcpt_to.is_empty() => "554 5.5.1 Error: no valid recipients".into(),
            "DATA" => {
                if writer
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await
                    .is_err()
                {
                    return;
                }
                let mut data = Vec::new();
                loop {
                    let Some(raw) = read_line(&mut reader).await else {
                        return; // Hung up mid-message: nothing is queued.
                    };
                    if trim_eol(&raw) == b"." {
                        break;
                    }
                    data.extend_from_slice(raw.strip_prefix(b".").unwrap_or(&raw));
                }
                let delay = lock(&state).delay;
                if !delay.is_zero() && !stall(&mut reader, delay).await {
                    return;
                }
                let queued = {
                    let mut state = lock(&state);
                    state.queued += 1;
                    state.received.push(Received {
                        mail_from: mail_from.take().unwrap_or_default(),
                        rcpt_to: std::mem::take(&mut rcpt_to),
                        data: String::from_utf8_lossy(&data).into_owned(),
                    });
                    state.queued
                };
                format!("250 2.0.0 Ok: queued as {queued}")
            }
            "RSET" => {
                mail_from = None;
                rcpt_to.clear();
                "250 2.0.0 Ok".into()
            }
            "NOOP" => "250 2.0.0 Ok".into(),
            "QUIT" => {
                let _ = writer.write_all(b"221 2.0.0 Bye\r\n").await;
                let _ = writer.shutdown().await;
                return;
            }
            _ => "502 5.5.2 Error: command not recognized".into(),
        };
        if writer
            .write_all(format!("{answer}\r\n").as_bytes())
            .await
            .is_err()
        {
            return;
        }
    }
}
