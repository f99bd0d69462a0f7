//! The storage contract, run against every implementation.

use super::*;
use crate::error::ErrorCode;

fn temp_dir(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "cpgc-storage-{tag}-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn names(files: &[FileMeta]) -> Vec<&str> {
    files.iter().map(|f| f.name.as_str()).collect()
}

fn contract(storage: &dyn Storage) {
    // A missing directory lists as empty.
    assert!(storage.list_from("_delta_log", "").unwrap().is_empty());

    // put_if_absent creates, then refuses to overwrite.
    assert_eq!(
        storage
            .put_if_absent("_delta_log/00000000000000000001.json", b"one")
            .unwrap(),
        PutOutcome::Created
    );
    assert_eq!(
        storage
            .put_if_absent("_delta_log/00000000000000000001.json", b"other")
            .unwrap(),
        PutOutcome::AlreadyExists
    );
    assert_eq!(
        storage
            .read("_delta_log/00000000000000000001.json")
            .unwrap(),
        b"one"
    );

    for name in [
        "00000000000000000000.json",
        "_last_checkpoint",
        "00000000000000000002.json",
    ] {
        storage
            .put_if_absent(&join("_delta_log", name), name.as_bytes())
            .unwrap();
    }
    storage
        .put_if_absent("_delta_log/_sidecars/a.parquet", b"x")
        .unwrap();
    storage.put_if_absent("part-0.parquet", b"data").unwrap();

    // Listing: only the directory's own files, sorted by name, from `start`.
    let all = storage.list_from("_delta_log", "").unwrap();
    assert_eq!(
        names(&all),
        [
            "00000000000000000000.json",
            "00000000000000000001.json",
            "00000000000000000002.json",
            "_last_checkpoint"
        ]
    );
    assert_eq!(all[1].size, 3);
    let from = storage
        .list_from("_delta_log", "00000000000000000001")
        .unwrap();
    assert_eq!(names(&from)[0], "00000000000000000001.json");
    assert_eq!(from.len(), 3);
    assert_eq!(
        names(&storage.list_from("_delta_log/_sidecars", "").unwrap()),
        ["a.parquet"]
    );
    assert_eq!(
        names(&storage.list_from("", "").unwrap()),
        ["part-0.parquet"]
    );

    // A missing file is STORAGE_NOT_FOUND with the path.
    let err = storage
        .read("_delta_log/00000000000000000009.json")
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::StorageNotFound);
    assert_eq!(
        err.detail("path"),
        Some("_delta_log/00000000000000000009.json")
    );

    // Paths may not escape the table.
    assert_eq!(
        storage.read("../x").unwrap_err().code,
        ErrorCode::InvalidArgument
    );
}

#[test]
fn memory_storage_honours_the_contract() {
    contract(&MemoryStorage::new());
}

#[test]
fn local_storage_honours_the_contract() {
    let dir = temp_dir("contract");
    let storage = LocalStorage::new(&dir);
    contract(&storage);
    // No temporary files are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(dir.join("_delta_log"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn local_put_if_absent_has_exactly_one_winner_under_contention() {
    let dir = temp_dir("race");
    let winners: usize = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|i| {
                let storage = LocalStorage::new(&dir);
                scope.spawn(move || {
                    storage
                        .put_if_absent(
                            "_delta_log/00000000000000000000.json",
                            format!("{i}").as_bytes(),
                        )
                        .unwrap()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap())
            .filter(|o| *o == PutOutcome::Created)
            .count()
    });
    assert_eq!(winners, 1);
    let _ = std::fs::remove_dir_all(&dir);
}
