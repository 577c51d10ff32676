//! The version of `zoom-accounts` a change needs, under Cargo's rules: in
//! `0.x` a breaking change bumps the minor number (0.1.3 -> 0.2.0) and a
//! compatible one the patch number (0.1.0 -> 0.1.1); from 1.0 on, the
//! major and the minor number.

use std::fmt;
use std::str::FromStr;

/// `MAJOR.MINOR.PATCH` (the crate uses no pre-release or build parts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CrateVersion {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
}

/// How much attention a change needs for semver.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Nothing a user's code can observe but docs.
    NoApiChange,
    Compatible,
    Breaking,
}

impl Level {
    pub const fn as_str(self) -> &'static str {
        match self {
            Level::NoApiChange => "no-api-change",
            Level::Compatible => "compatible",
            Level::Breaking => "breaking",
        }
    }
}

impl CrateVersion {
    /// The lowest version after `self` that a change of `level` allows
    /// (`self` itself for no API change).
    pub fn needed_for(self, level: Level) -> CrateVersion {
        let CrateVersion {
            major,
            minor,
            patch,
        } = self;
        match (level, major) {
            (Level::NoApiChange, _) => self,
            (Level::Breaking, 0) => CrateVersion::new(0, minor + 1, 0),
            (Level::Breaking, _) => CrateVersion::new(major + 1, 0, 0),
            (Level::Compatible, 0) => CrateVersion::new(0, minor, patch + 1),
            (Level::Compatible, _) => CrateVersion::new(major, minor + 1, 0),
        }
    }

    pub const fn new(major: u64, minor: u64, patch: u64) -> Self {
        Self {
            major,
            minor,
            patch,
        }
    }
}

impl fmt::Display for CrateVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

impl FromStr for CrateVersion {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = s.split('.').collect();
        let number = |p: &str| p.parse::<u64>().ok();
        match parts.as_slice() {
            [a, b, c] => match (number(a), number(b), number(c)) {
                (Some(major), Some(minor), Some(patch)) => Ok(Self::new(major, minor, patch)),
                _ => Err(format!("version {s:?} is not MAJOR.MINOR.PATCH")),
            },
            _ => Err(format!("version {s:?} is not MAJOR.MINOR.PATCH")),
        }
    }
}

/// The `version` of a manifest's `[package]` table (a literal string; the
/// crate does not inherit it from the workspace).
pub fn manifest_version(manifest: &str) -> Result<CrateVersion, String> {
    let mut in_package = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[package]";
            continue;
        }
        if !in_package {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        match key.trim() {
            "version" => {
                let value = value.trim();
                let unquoted = value
                    .strip_prefix('"')
                    .and_then(|v| v.strip_suffix('"'))
                    .ok_or_else(|| format!("[package] version {value} is not a string"))?;
                return unquoted.parse();
            }
            "version.workspace" => {
                return Err("[package] version is inherited from the workspace; \
                            zoom-accounts keeps its own"
                    .into());
            }
            _ => {}
        }
    }
    Err("no version in [package]".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bumps_follow_cargo_rules() {
        let v = |s: &str| s.parse::<CrateVersion>().unwrap();
        assert_eq!(v("0.1.3").needed_for(Level::Breaking), v("0.2.0"));
        assert_eq!(v("0.1.0").needed_for(Level::Compatible), v("0.1.1"));
        assert_eq!(v("0.1.0").needed_for(Level::NoApiChange), v("0.1.0"));
        assert_eq!(v("1.4.2").needed_for(Level::Breaking), v("2.0.0"));
        assert_eq!(v("1.4.2").needed_for(Level::Compatible), v("1.5.0"));
        assert!(v("0.1.10") > v("0.1.9"));
        assert_eq!(
            "1.0".parse::<CrateVersion>().unwrap_err(),
            "version \"1.0\" is not MAJOR.MINOR.PATCH"
        );
    }

    #[test]
    fn reads_the_package_version() {
        let manifest = "[package]\nname = \"zoom-accounts\"\nversion = \"0.1.0\"\n\n[dependencies]\nx = { version = \"9.0.0\" }\n";
        assert_eq!(manifest_version(manifest), Ok(CrateVersion::new(0, 1, 0)));
        assert_eq!(
            manifest_version("[package]\nversion.workspace = true\n").unwrap_err(),
            "[package] version is inherited from the workspace; zoom-accounts keeps its own"
        );
        assert_eq!(
            manifest_version("[dependencies]\nversion = \"1.0.0\"\n").unwrap_err(),
            "no version in [package]"
        );
    }
}
