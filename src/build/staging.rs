//! The build's staging folder inside the output folder, the lock that keeps two builds apart,
//! and the move of a finished build into place.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use super::Error;
use crate::bundle::MANIFEST_NAME;

/// Prefix of the staging folder a build keeps inside the output folder.
pub const STAGING_PREFIX: &str = ".evidencepack-staging-";

/// File in the output folder that a build holds locked while it stages and publishes, so two
/// builds into one folder never interleave. It is empty and stays between builds.
pub const LOCK_NAME: &str = ".evidencepack.lock";

/// A build's private staging folder inside the output folder; removed when dropped. While it
/// exists the build holds the output folder's lock ([`LOCK_NAME`]).
///
/// A build that does not publish leaves no trace: dropping the staging also removes the lock
/// file and the output folder (and its parents) when this build created them.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    /// What this build made around the staging folder; undone unless it publishes.
    made: Made,
    /// Held locked until the staging folder is gone (fields drop after [`Drop::drop`] ran).
    _lock: fs::File,
}

/// What a build made before it had anything to publish.
#[derive(Debug, Default)]
struct Made {
    /// Folders created on the way to the output folder (itself included), outermost first.
    dirs: Vec<PathBuf>,
    /// The lock file, when this build created it.
    lock: Option<PathBuf>,
}

impl Made {
    /// Remove what was made (folders only when they are empty again).
    fn undo(&mut self) {
        if let Some(lock) = self.lock.take() {
            let _ = fs::remove_file(lock);
        }
        for dir in self.dirs.drain(..).rev() {
            let _ = fs::remove_dir(dir);
        }
    }
}

impl Staging {
    /// Create the output folder `out` if need be, lock it and create
    /// `<out>/.evidencepack-staging-<pid>/`.
    ///
    /// Fails at once when another build holds the lock. Holding it, any other staging folder in
    /// `out` is the leftover of a build that was killed or crashed, and is removed.
    pub fn new(out: &Path) -> Result<Staging, Error> {
        let mut made = Made {
            dirs: create_dirs(out)?,
            lock: None,
        };
        let lock = match lock(out, &mut made) {
            Ok(lock) => lock,
            Err(e) => {
                made.undo();
                return Err(e);
            }
        };
        match stage(out) {
            Ok(dir) => Ok(Staging {
                out: out.to_path_buf(),
                dir,
                made,
                _lock: lock,
            }),
            Err(e) => {
                // Still holding the lock while its file goes.
                made.undo();
                drop(lock);
                Err(e)
            }
        }
    }

    /// The staging folder; stage each output entry at `path().join(name)`.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Move the staged entries `names` into the output folder, replacing previous versions,
    /// and take away the previous entries `retire` (zips of the previous build) that the new
    /// output does not replace.
    ///
    /// A previous bundle folder is replaced only when it holds a `manifest-sha256.txt` (it was
    /// made by this tool); a previous file only when it is a regular file; an entry to retire
    /// only when it is a regular file (anything else is left alone). Should a move fail, the
    /// entries already moved are put back as they were.
    pub fn publish(mut self, names: &[&str], retire: &[String]) -> Result<()> {
        for name in names {
            let target = self.out.join(name);
            match fs::symlink_metadata(&target) {
                Err(_) => {}
                Ok(md) if md.is_dir() => {
                    if !target.join(MANIFEST_NAME).is_file() {
                        bail!(
                            "refusing to replace {}: it was not made by evidencepack (no {MANIFEST_NAME}); move it away and build again",
                            target.display()
                        );
                    }
                }
                Ok(md) if md.is_file() => {}
                Ok(_) => bail!(
                    "refusing to replace {}: not a folder or file",
                    target.display()
                ),
            }
        }
        let old = self.dir.join("previous");
        fs::create_dir(&old)?;
        let mut done: Vec<(&str, bool)> = Vec::new();
        let mut retired: Vec<&str> = Vec::new();
        let result = (|| -> Result<()> {
            for name in names {
                let target = self.out.join(name);
                let had_old = target.exists();
                if had_old {
                    fs::rename(&target, old.join(name))
                        .with_context(|| format!("cannot move {} aside", target.display()))?;
                }
                done.push((name, had_old));
                fs::rename(self.dir.join(name), &target)
                    .with_context(|| format!("cannot move the new {} into place", name))?;
            }
            for name in retire {
                let target = self.out.join(name);
                let is_file = fs::symlink_metadata(&target).is_ok_and(|m| m.is_file());
                if names.contains(&name.as_str()) || !is_file {
                    continue;
                }
                fs::rename(&target, old.join(name))
                    .with_context(|| format!("cannot remove the previous {}", target.display()))?;
                retired.push(name);
            }
            Ok(())
        })();
        if result.is_ok() {
            // The output folder and its lock file stay.
            self.made = Made::default();
        } else {
            for name in retired.iter().rev() {
                let _ = fs::rename(old.join(name), self.out.join(name));
            }
            for (name, had_old) in done.iter().rev() {
                let target = self.out.join(name);
                if target.exists() {
                    let _ = fs::rename(&target, self.dir.join(name));
                }
                if *had_old {
                    let _ = fs::rename(old.join(name), &target);
                }
            }
        }
        result
        // Dropping `self` removes the staging folder with the previous versions in it.
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = remove_tree(&self.dir);
        // Still holding the lock: `_lock` is dropped after this.
        self.made.undo();
    }
}

/// Create the folder `out` and its missing parents; returns those it created, outermost first.
fn create_dirs(out: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut missing: Vec<PathBuf> = out
        .ancestors()
        .take_while(|p| !p.as_os_str().is_empty() && fs::symlink_metadata(p).is_err())
        .map(Path::to_path_buf)
        .collect();
    missing.reverse();
    fs::create_dir_all(out)
        .with_context(|| format!("cannot create output folder {}", out.display()))?;
    Ok(missing)
}

/// Open and lock `<out>/.evidencepack.lock`; `made` records it when this build created it and
/// got the lock.
fn lock(out: &Path, made: &mut Made) -> Result<fs::File, Error> {
    let lock_path = out.join(LOCK_NAME);
    let (lock, created) = match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&lock_path)
    {
        Ok(file) => (file, true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let file = fs::OpenOptions::new()
                .write(true)
                .open(&lock_path)
                .with_context(|| format!("cannot open {}", lock_path.display()))?;
            (file, false)
        }
        Err(e) => {
            return Err(anyhow::Error::from(e)
                .context(format!("cannot open {}", lock_path.display()))
                .into())
        }
    };
    match lock.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => return Err(Error::Locked(out.to_path_buf())),
        Err(fs::TryLockError::Error(e)) => {
            let e = anyhow::Error::from(e).context(format!("cannot lock {}", lock_path.display()));
            return Err(e.into());
        }
    }
    // A failed build removes the lock file it created: a build that opened that file just
    // before holds a lock nobody else can see, so it must find the file it locked in place.
    if !is_the_file_at(&lock, &lock_path) {
        return Err(Error::Locked(out.to_path_buf()));
    }
    if created {
        made.lock = Some(lock_path);
    }
    Ok(lock)
}

/// Is the open `file` the one at `path` (not removed or replaced since it was opened)?
fn is_the_file_at(file: &fs::File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), fs::metadata(path)) {
            (Ok(a), Ok(b)) => (a.dev(), a.ino()) == (b.dev(), b.ino()),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        fs::metadata(path).is_ok() && file.metadata().is_ok()
    }
}

/// Remove the staging folders of builds that were killed, and create this build's.
fn stage(out: &Path) -> Result<PathBuf, Error> {
    for entry in fs::read_dir(out).with_context(|| format!("cannot read {}", out.display()))? {
        let entry = entry?;
        let is_staging = entry
            .file_name()
            .to_string_lossy()
            .starts_with(STAGING_PREFIX);
        if is_staging && entry.file_type()?.is_dir() {
            remove_tree(&entry.path())
                .with_context(|| format!("cannot remove the stale {}", entry.path().display()))?;
        }
    }
    let dir = out.join(format!("{STAGING_PREFIX}{}", std::process::id()));
    fs::create_dir(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir)
}

/// Remove the folder `dir` and everything in it, deleting its files in parallel: where the
/// file system discards freed blocks as it deletes (ext4 mounted with `discard`), deleting a
/// previous output of a gigabyte is mostly waiting on the disk, and the waits overlap.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| !e.file_type().is_dir())
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.par_iter().for_each(|f| {
        let _ = fs::remove_file(f);
    });
    fs::remove_dir_all(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publish_replaces_own_output_and_keeps_other_files() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path();
        fs::create_dir(out.join("iso27001")).unwrap();
        fs::write(out.join("iso27001/old.html"), "old").unwrap();
        fs::write(out.join("iso27001").join(MANIFEST_NAME), "").unwrap();
        fs::write(out.join("notes.txt"), "mine").unwrap();
        let s = Staging::new(out).unwrap();
        fs::create_dir(s.path().join("iso27001")).unwrap();
        fs::write(s.path().join("iso27001/new.html"), "new").unwrap();
        let staging_dir = s.path().to_path_buf();
        s.publish(&["iso27001"], &[]).unwrap();
        assert!(out.join("iso27001/new.html").exists());
        assert!(!out.join("iso27001/old.html").exists());
        assert_eq!(fs::read_to_string(out.join("notes.txt")).unwrap(), "mine");
        assert!(!staging_dir.exists());
    }

    #[test]
    fn remove_tree_removes_everything_and_follows_no_link() {
        let d = tempfile::tempdir().unwrap();
        let keep = d.path().join("keep");
        fs::create_dir(&keep).unwrap();
        fs::write(keep.join("precious.txt"), "x").unwrap();
        let gone = d.path().join("gone");
        for i in 0..50 {
            let sub = gone.join(format!("d{}/e{i}", i % 7));
            fs::create_dir_all(&sub).unwrap();
            fs::write(sub.join("f.html"), "page").unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(&keep, gone.join("link")).unwrap();
        remove_tree(&gone).unwrap();
        assert!(!gone.exists());
        assert!(keep.join("precious.txt").is_file());
        assert!(remove_tree(&gone).is_err(), "a missing folder is an error");
    }

    #[test]
    fn publish_refuses_a_folder_it_did_not_make() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path();
        fs::create_dir(out.join("iso27001")).unwrap();
        fs::write(out.join("iso27001/precious.txt"), "x").unwrap();
        let s = Staging::new(out).unwrap();
        fs::create_dir(s.path().join("iso27001")).unwrap();
        assert!(s.publish(&["iso27001"], &[]).is_err());
        assert!(out.join("iso27001/precious.txt").exists());
        let mut leftovers: Vec<_> = fs::read_dir(out)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        leftovers.sort();
        assert_eq!(
            leftovers,
            ["iso27001"],
            "staging folder or the lock file this build made left behind"
        );
    }

    #[test]
    fn a_second_build_into_the_same_folder_is_refused_while_the_first_runs() {
        let d = tempfile::tempdir().unwrap();
        let first = Staging::new(d.path()).unwrap();
        let err = Staging::new(d.path()).err().expect("the folder is locked");
        assert!(
            err.to_string().contains("another evidencepack build"),
            "{err}"
        );
        assert!(
            first.path().is_dir(),
            "the running build's staging is untouched"
        );
        drop(first);
        let again = Staging::new(d.path()).unwrap();
        assert!(again.path().is_dir());
    }

    #[test]
    fn a_build_that_does_not_publish_leaves_no_folder_or_lock_it_made() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("a/b/dist");
        drop(Staging::new(&out).unwrap());
        assert!(!d.path().join("a").exists(), "created folders left behind");

        // A lock file that was there before stays, and so does a folder with other files.
        let out = d.path().join("dist");
        fs::create_dir(&out).unwrap();
        fs::write(out.join(LOCK_NAME), "").unwrap();
        drop(Staging::new(&out).unwrap());
        assert!(out.join(LOCK_NAME).is_file());

        // A published build keeps the folder and its lock file.
        let out = d.path().join("c/dist");
        let s = Staging::new(&out).unwrap();
        fs::create_dir(s.path().join("iso27001")).unwrap();
        s.publish(&["iso27001"], &[]).unwrap();
        assert!(out.join(LOCK_NAME).is_file() && out.join("iso27001").is_dir());
    }

    #[test]
    fn leftovers_of_a_killed_build_are_removed_and_nothing_else() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path();
        let stale = out.join(format!("{STAGING_PREFIX}424242"));
        fs::create_dir_all(stale.join("iso27001/evidence")).unwrap();
        fs::write(stale.join("iso27001/evidence/EV-1.html"), "page").unwrap();
        fs::write(
            out.join(format!("{STAGING_PREFIX}notes.txt")),
            "a file, not ours",
        )
        .unwrap();
        fs::write(out.join("notes.txt"), "mine").unwrap();
        let s = Staging::new(out).unwrap();
        assert!(!stale.exists());
        assert!(out.join(format!("{STAGING_PREFIX}notes.txt")).is_file());
        assert!(out.join("notes.txt").is_file());
        assert!(s.path().is_dir());
    }
}
