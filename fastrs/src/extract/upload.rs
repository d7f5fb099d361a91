//! File uploads: [`UploadFile`] (a file part with its name, content type
//! and headers, kept in memory up to a size and spooled to a temporary file
//! past it), [`File`] (a part's bytes, FastAPI's `bytes = File()`), and the
//! [`Spooler`] that collects a part's bytes as they arrive. The arguments
//! that read them are in [`super::form`].
//!
//! A spooled file is an anonymous temporary file (unlinked as soon as it
//! is made), so nothing is left behind on disk, whether the request ends
//! normally, on an error, or with the process.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use http::HeaderMap;
use serde_json::{json, Value};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncSeekExt, AsyncWriteExt, ReadBuf};

use crate::model::{Components, JsonSchema};

/// Where an uploaded file's bytes are.
enum Content {
    Memory(Bytes),
    Disk { file: tokio::fs::File, size: u64 },
}

/// Collects a file part's chunks: in memory up to `spool_size` bytes, then
/// in an anonymous temporary file.
pub(crate) struct Spooler {
    spool_size: usize,
    memory: BytesMut,
    disk: Option<(tokio::fs::File, u64)>,
}

impl Spooler {
    pub(crate) fn new(spool_size: usize) -> Self {
        Spooler {
            spool_size,
            memory: BytesMut::new(),
            disk: None,
        }
    }

    /// Adds a chunk, moving to disk once past the spool size.
    pub(crate) async fn write(&mut self, chunk: Bytes) -> io::Result<()> {
        if self.disk.is_none() && self.memory.len() + chunk.len() <= self.spool_size {
            self.memory.extend_from_slice(&chunk);
            return Ok(());
        }
        if self.disk.is_none() {
            let file = tokio::task::spawn_blocking(tempfile::tempfile)
                .await
                .map_err(io::Error::other)??;
            let mut file = tokio::fs::File::from_std(file);
            file.write_all(&self.memory).await?;
            let size = self.memory.len() as u64;
            self.memory = BytesMut::new();
            self.disk = Some((file, size));
        }
        if let Some((file, size)) = &mut self.disk {
            file.write_all(&chunk).await?;
            *size += chunk.len() as u64;
        }
        Ok(())
    }

    async fn finish(self) -> io::Result<Content> {
        match self.disk {
            None => Ok(Content::Memory(self.memory.freeze())),
            Some((mut file, size)) => {
                file.flush().await?;
                Ok(Content::Disk { file, size })
            }
        }
    }

    /// The collected file.
    pub(crate) async fn into_file(
        self,
        filename: Option<String>,
        content_type: Option<String>,
        headers: HeaderMap,
    ) -> io::Result<UploadFile> {
        Ok(UploadFile {
            filename,
            content_type,
            headers,
            content: self.finish().await?,
        })
    }
}

/// An uploaded file (FastAPI's `UploadFile`): a multipart part with a
/// filename. Small files stay in memory; past
/// [`App::upload_spool_size`](crate::App::upload_spool_size) (1 MiB by
/// default) the bytes are in a temporary file that disappears with the
/// value.
///
/// ```
/// use fastrs::prelude::*;
///
/// #[endpoint(POST "/uploadfile")]
/// async fn upload(mut file: UploadFile) -> Result<Json<serde_json::Value>, HttpError> {
///     let content = file.bytes().await.map_err(|_| HttpError::from_status(StatusCode::INTERNAL_SERVER_ERROR))?;
///     Ok(Json(serde_json::json!({"filename": file.filename(), "size": content.len()})))
/// }
/// ```
pub struct UploadFile {
    filename: Option<String>,
    content_type: Option<String>,
    headers: HeaderMap,
    content: Content,
}

impl std::fmt::Debug for UploadFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UploadFile")
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .field("size", &self.size())
            .field("on_disk", &self.is_on_disk())
            .finish()
    }
}

impl UploadFile {
    /// The filename the client sent.
    pub fn filename(&self) -> Option<&str> {
        self.filename.as_deref()
    }

    /// The part's `Content-Type`, if it had one.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The part's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The file's size in bytes.
    pub fn size(&self) -> u64 {
        match &self.content {
            Content::Memory(bytes) => bytes.len() as u64,
            Content::Disk { size, .. } => *size,
        }
    }

    /// True when the file was spooled to a temporary file.
    pub fn is_on_disk(&self) -> bool {
        matches!(self.content, Content::Disk { .. })
    }

    /// The whole content (read from the temporary file when spooled).
    pub async fn bytes(&mut self) -> io::Result<Bytes> {
        match &mut self.content {
            Content::Memory(bytes) => Ok(bytes.clone()),
            Content::Disk { file, size } => {
                file.rewind().await?;
                let mut content = Vec::with_capacity(*size as usize);
                file.read_to_end(&mut content).await?;
                Ok(Bytes::from(content))
            }
        }
    }

    /// A reader of the content from its start, for files too large to
    /// hold in memory.
    pub async fn into_reader(self) -> io::Result<UploadReader> {
        Ok(UploadReader(match self.content {
            Content::Memory(bytes) => ReaderInner::Memory(io::Cursor::new(bytes)),
            Content::Disk { mut file, .. } => {
                file.rewind().await?;
                ReaderInner::Disk(file)
            }
        }))
    }
}

/// Reads an [`UploadFile`]'s content ([`UploadFile::into_reader`]).
#[derive(Debug)]
pub struct UploadReader(ReaderInner);

#[derive(Debug)]
enum ReaderInner {
    Memory(io::Cursor<Bytes>),
    Disk(tokio::fs::File),
}

impl AsyncRead for UploadReader {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match &mut self.get_mut().0 {
            ReaderInner::Memory(cursor) => Pin::new(cursor).poll_read(cx, buf),
            ReaderInner::Disk(file) => Pin::new(file).poll_read(cx, buf),
        }
    }
}

/// The bytes of a file part, or of a text field (FastAPI's
/// `bytes = File()`): read whole into memory.
///
/// ```
/// use fastrs::prelude::*;
/// use fastrs::extract::File;
///
/// #[endpoint(POST "/files")]
/// async fn size(file: File) -> Json<usize> {
///     Json(file.0.len())
/// }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct File(pub Bytes);

impl std::ops::Deref for File {
    type Target = Bytes;
    fn deref(&self) -> &Bytes {
        &self.0
    }
}

/// A file part's schema, as FastAPI documents `UploadFile` and `bytes`.
fn binary_schema() -> Value {
    json!({"type": "string", "contentMediaType": "application/octet-stream"})
}

impl JsonSchema for UploadFile {
    fn json_schema(_: &mut Components) -> Value {
        binary_schema()
    }
}

impl JsonSchema for File {
    fn json_schema(_: &mut Components) -> Value {
        binary_schema()
    }
}
