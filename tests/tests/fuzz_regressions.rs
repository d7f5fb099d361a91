//! Every input a fuzzer once found a bug with (`tests/fuzz-regressions/
//! <harness>/`), replayed through the same harness (`fastrs_tests::fuzz`):
//! a fixed bug stays fixed. The fuzzers themselves run with
//! `cargo fuzz` in `fuzz/` (README.md, "Fuzzing").

use std::path::Path;

#[test]
fn inputs_that_once_found_a_bug_pass_their_harness() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz-regressions");
    let mut replayed = 0;
    for (name, harness) in fastrs_tests::fuzz::HARNESSES {
        let Ok(entries) = std::fs::read_dir(root.join(name)) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            let data = std::fs::read(&path).expect("a regression input");
            eprintln!("{name}: {}", path.display());
            harness(&data);
            replayed += 1;
        }
    }
    assert!(
        replayed > 0,
        "no regression input found under {}",
        root.display()
    );
}

#[test]
fn every_harness_accepts_ordinary_input() {
    use fastrs_tests::fuzz;
    fuzz::json(br#"{"name": "x", "price": 1.5, "tags": [], "attributes": {}}"#);
    fuzz::query_string(b"limit=5&tags=a&tags=b&n=3&b=yes");
    fuzz::form_body(b"limit=5&q=x");
    fuzz::cookie_header(b"session=abc; visits=3");
    fuzz::multipart(
        b"--XYZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n--XYZ--\r\n",
    );
    fuzz::path(b"/users/5/items/a%20b");
}
