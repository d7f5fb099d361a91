//! Spooled uploads leave nothing behind: after a request that spooled a
//! file (answered normally, or 413 part-way through the file), the
//! temporary directory is empty and the process holds no file in it.
//! One test in its own binary: it points `TMPDIR` at a directory of its own.

use fastrs::prelude::*;
use fastrs::testing::{Multipart, TestClient};

#[endpoint(POST "/upload")]
async fn upload(file: UploadFile) -> Json<bool> {
    Json(file.is_on_disk())
}

/// The files this process has open under `dir` (Linux's /proc).
fn open_files_under(dir: &std::path::Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir("/proc/self/fd") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .filter(|target| target.starts_with(dir))
        .map(|target| target.display().to_string())
        .collect()
}

#[tokio::test]
async fn spooled_uploads_leave_no_temporary_file() {
    let dir = std::env::temp_dir().join(format!("fastrs-upload-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::env::set_var("TMPDIR", &dir);
    let client = TestClient::new(
        App::new()
            .route(upload)
            .upload_spool_size(16)
            .body_limit(2048),
    );
    let spooled = Multipart::new().file("file", "a.bin", "application/octet-stream", [7u8; 1000]);
    let response = client.post("/upload").multipart(spooled).await;
    assert!(response.json::<bool>(), "the file was spooled to disk");
    let too_big = Multipart::new().file("file", "b.bin", "application/octet-stream", [7u8; 5000]);
    let response = client.post("/upload").multipart(too_big).await;
    assert_eq!(response.status(), 413);
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "nothing in {}",
        dir.display()
    );
    assert_eq!(open_files_under(&dir), Vec::<String>::new());
    std::fs::remove_dir(&dir).unwrap();
}
