//! Zips with no dead links (issue 14 item 1): every zip a build writes, unpacked alone, has no
//! link that does not resolve; its `data/` is the published folder byte for byte, and each link
//! into the other bundle lands on an elsewhere page naming the other zip.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{bin, broken_links, build_into_temp, files, fixture, pages, unpack};

/// Every zip in `out`, unpacked alone: no dead link in it, its `data/` equal to the folder, and
/// the other bundle named on each elsewhere page. Returns the number of elsewhere pages.
fn zips_are_link_clean(out: &Path) -> usize {
    let zips: Vec<PathBuf> = fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "zip"))
        .collect();
    assert_eq!(zips.len(), 2, "{zips:?}");
    let mut elsewhere = 0;
    for zip in zips {
        let alone = tempfile::tempdir().unwrap();
        let bag = unpack(&zip, alone.path());
        let bag_name = bag.file_name().unwrap().to_str().unwrap().to_string();
        let bundle = bag_name.rsplit_once('-').unwrap().0.to_string();
        let other = if bundle == "iso27001" {
            "soc2"
        } else {
            "iso27001"
        };

        let broken = broken_links(alone.path(), &bag_name, false);
        assert!(
            broken.is_empty(),
            "{} unpacked alone has {} dead links, e.g. {:?}",
            zip.display(),
            broken.len(),
            &broken[..broken.len().min(5)]
        );
        assert_eq!(
            files(&bag.join("data")),
            files(&out.join(&bundle)),
            "data/ of {bag_name} is not the published folder"
        );
        for f in files(&out.join(&bundle)) {
            assert!(
                fs::read(bag.join("data").join(&f)).unwrap()
                    == fs::read(out.join(&bundle).join(&f)).unwrap(),
                "{f} differs between {bag_name}/data and the folder"
            );
        }
        let other_zip = fs::read_dir(out)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .find(|n| n.starts_with(&format!("{other}-")) && n.ends_with(".zip"))
            .unwrap();
        let stubs = pages(&bag.join(other));
        for (page, text) in &stubs {
            assert!(
                text.contains(&format!("<strong>{other_zip}</strong>")),
                "{bag_name}/{other}/{page} does not name {other_zip}"
            );
            assert!(!text.contains("<script"), "{page}");
        }
        elsewhere += stubs.len();

        // The walk does follow the links into the other bundle: without the elsewhere pages,
        // they are dead.
        if !stubs.is_empty() {
            fs::remove_dir_all(bag.join(other)).unwrap();
            let dead = broken_links(alone.path(), &bag_name, false);
            assert!(dead.len() >= stubs.len(), "{dead:?}");
        }
    }
    elsewhere
}

#[test]
fn the_example_packs_zips_have_no_dead_links_unpacked_alone() {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let (_d, out) = build_into_temp(&content, &[]);
    let elsewhere = zips_are_link_clean(&out);
    assert!(elsewhere > 100, "only {elsewhere} elsewhere pages");
    let o = bin().arg("verify").arg(&out).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
}

#[test]
fn audience_packs_zips_have_no_dead_links_unpacked_alone() {
    for audience in ["auditor", "customer"] {
        let (_d, out) = build_into_temp(&fixture("pack-audience"), &["--audience", audience]);
        assert!(zips_are_link_clean(&out) > 0, "{audience}");
    }
}
