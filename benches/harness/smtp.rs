//! A minimal SMTP server for scenario 8: it answers enough ESMTP for lettre (no STARTTLS, no
//! AUTH), throws each message away, and counts the messages it accepted and the connections.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use tokio::time::Instant;

/// A running sink on 127.0.0.1. It stops accepting connections when dropped.
pub struct Sink {
    pub addr: SocketAddr,
    counts: Arc<Counts>,
    accept: JoinHandle<()>,
}

#[derive(Default)]
struct Counts {
    /// Messages answered with `250` after DATA.
    messages: AtomicUsize,
    connections: AtomicUsize,
    /// When the first message was accepted.
    first: Mutex<Option<Instant>>,
}

impl Sink {
    /// Binds a free port and accepts connections in the background.
    pub async fn start() -> Sink {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let counts = Arc::new(Counts::default());
        let shared = counts.clone();
        let accept = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                shared.connections.fetch_add(1, Ordering::Relaxed);
                tokio::spawn(session(stream, shared.clone()));
            }
        });
        Sink {
            addr,
            counts,
            accept,
        }
    }

    /// `smtp://127.0.0.1:PORT`: plain SMTP, as the portal's `--smtp-url` takes it.
    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    /// Messages accepted so far.
    pub fn messages(&self) -> usize {
        self.counts.messages.load(Ordering::Relaxed)
    }

    /// Connections opened so far.
    pub fn connections(&self) -> usize {
        self.counts.connections.load(Ordering::Relaxed)
    }

    /// When the first message was accepted, if one has been.
    pub fn first(&self) -> Option<Instant> {
        *self.counts.first.lock().unwrap()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

/// Reads one line with its terminator into `line`; false when the client has gone.
async fn read_line(reader: &mut BufReader<OwnedReadHalf>, line: &mut Vec<u8>) -> bool {
    line.clear();
    matches!(reader.read_until(b'\n', line).await, Ok(n) if n > 0)
}

fn trim_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

async fn reply(w: &mut OwnedWriteHalf, answer: &str) -> bool {
    w.write_all(answer.as_bytes()).await.is_ok()
}

/// One conversation, from the greeting to QUIT or a hang-up.
async fn session(stream: TcpStream, counts: Arc<Counts>) {
    let _ = stream.set_nodelay(true);
    let (read, mut w) = stream.into_split();
    let mut reader = BufReader::new(read);
    let (mut from, mut rcpts) = (false, 0usize);
    let mut line = Vec::with_capacity(256);
    if !reply(&mut w, "220 localhost ESMTP bench sink\r\n").await {
        return;
    }
    while read_line(&mut reader, &mut line).await {
        let text = String::from_utf8_lossy(trim_eol(&line)).to_ascii_uppercase();
        let verb = text.split_whitespace().next().unwrap_or_default();
        let answer = match verb {
            "EHLO" => "250-localhost\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
            "HELO" => "250 localhost\r\n",
            "MAIL" => {
                (from, rcpts) = (true, 0);
                "250 2.1.0 Ok\r\n"
            }
            "RCPT" if !from => "503 5.5.1 Need MAIL first\r\n",
            "RCPT" => {
                rcpts += 1;
                "250 2.1.5 Ok\r\n"
            }
            "DATA" if rcpts == 0 => "554 5.5.1 No valid recipients\r\n",
            "DATA" => {
                if !reply(&mut w, "354 End data with <CR><LF>.<CR><LF>\r\n").await {
                    return;
                }
                loop {
                    if !read_line(&mut reader, &mut line).await {
                        return; // Hung up mid-message: nothing accepted.
                    }
                    if trim_eol(&line) == b"." {
                        break;
                    }
                }
                (from, rcpts) = (false, 0);
                counts
                    .first
                    .lock()
                    .unwrap()
                    .get_or_insert_with(Instant::now);
                counts.messages.fetch_add(1, Ordering::Relaxed);
                "250 2.0.0 Ok: queued\r\n"
            }
            "RSET" => {
                (from, rcpts) = (false, 0);
                "250 2.0.0 Ok\r\n"
            }
            "NOOP" => "250 2.0.0 Ok\r\n",
            "QUIT" => {
                let _ = reply(&mut w, "221 2.0.0 Bye\r\n").await;
                let _ = w.shutdown().await;
                return;
            }
            _ => "502 5.5.2 Command not recognized\r\n",
        };
        if !reply(&mut w, answer).await {
            return;
        }
    }
}
