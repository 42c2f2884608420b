//! Saved scenarios in the browser's `localStorage`: save under a name, list, load,
//! rename, delete; they survive a reload.
//!
//! Format (version 1): one key per scenario, `poolsim.saved.v1:<name>` ([`KEY_PREFIX`]),
//! whose value is `{"format":1,"saved_at_ms":…,"scenario":{…}}` with the scenario as
//! [`export::scenario_json`] writes it. The name lives only in the key, so a rename is
//! one write and one removal. Reading goes back through [`Scenario::from_json`]: an entry
//! edited by hand or by another program is reported as damaged, never trusted.
//!
//! The logic is written against [`KeyValueStore`], so it runs natively on a
//! [`MemoryStore`]; [`WebStore`] is `localStorage`. A storage that is missing (private
//! mode, a sandboxed iframe, storage disabled) or full gives a [`StorageError`] to show.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;

use poolsim_content::export;
use poolsim_engine::Scenario;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use wasm_bindgen::JsValue;

/// Every saved scenario's key starts with this (format version included).
pub const KEY_PREFIX: &str = "poolsim.saved.v1:";
/// The entry format this version writes and reads.
pub const FORMAT: u32 = 1;
/// Longest name [characters].
pub const MAX_NAME_CHARS: usize = 80;

/// Why saved scenarios cannot be read or written, worded for the user.
#[derive(Clone, Debug, PartialEq)]
pub enum StorageError {
    /// The browser offers no storage (private mode, a sandboxed iframe, storage disabled).
    Unavailable(String),
    /// The storage quota is used up.
    Full,
    /// The name is empty once trimmed.
    EmptyName,
    /// The name is longer than [`MAX_NAME_CHARS`].
    NameTooLong,
    /// Nothing is saved under this name (deleted in another tab?).
    NotFound(String),
    /// Another saved scenario already has this name (refused by rename).
    Exists(String),
    /// The entry cannot be read back: edited by hand, or by a newer poolsim.
    Damaged { name: String, reason: String },
    /// The browser refused for another reason.
    Failed(String),
}

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unavailable(why) => write!(
                f,
                "Saved scenarios are not available in this browser window ({why}). Private browsing \
                 or blocked site data can cause this; links and exports still work."
            ),
            Self::Full => f.write_str(
                "The browser's storage for this page is full: delete a saved scenario and try again.",
            ),
            Self::EmptyName => f.write_str("Give the scenario a name to save it under."),
            Self::NameTooLong => write!(f, "A name can be at most {MAX_NAME_CHARS} characters long."),
            Self::NotFound(name) => write!(f, "Nothing is saved as “{name}” (deleted in another tab?)."),
            Self::Exists(name) => write!(f, "A scenario is already saved as “{name}”: pick another name."),
            Self::Damaged { name, reason } => {
                write!(f, "The scenario saved as “{name}” cannot be read: {reason}")
            }
            Self::Failed(why) => write!(f, "The browser's storage refused: {why}"),
        }
    }
}

impl std::error::Error for StorageError {}

/// Text keys to text values, as `localStorage` holds them.
pub trait KeyValueStore {
    /// The value under `key`, if any.
    fn get(&self, key: &str) -> Result<Option<String>, StorageError>;
    /// Store `value` under `key`, replacing what was there.
    fn set(&self, key: &str, value: &str) -> Result<(), StorageError>;
    /// Remove `key` (nothing happens if it is not there).
    fn remove(&self, key: &str) -> Result<(), StorageError>;
    /// Every key.
    fn keys(&self) -> Result<Vec<String>, StorageError>;
}

/// One saved scenario in the list.
#[derive(Clone, Debug, PartialEq)]
pub struct SavedEntry {
    /// The name it is saved under.
    pub name: String,
    /// When it was saved [ms since 1970]; `None` when the entry is damaged.
    pub saved_at_ms: Option<f64>,
}

/// How the list is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortBy {
    /// Alphabetically, ignoring the case of ASCII letters.
    #[default]
    Name,
    /// Most recently saved first.
    Newest,
}

/// What [`Saved::save`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveOutcome {
    /// A new entry.
    Created,
    /// An entry of the same name was replaced.
    Replaced,
}

/// The stored value, as written.
#[derive(Serialize)]
struct EntryOut<'a> {
    format: u32,
    saved_at_ms: f64,
    scenario: &'a RawValue,
}

/// The stored value, as read: unknown fields are ignored, the scenario parsed separately.
#[derive(Deserialize)]
struct EntryIn<'a> {
    format: u32,
    #[serde(default)]
    saved_at_ms: f64,
    #[serde(borrow)]
    scenario: &'a RawValue,
}

/// The saved scenarios in a store.
#[derive(Debug)]
pub struct Saved<S> {
    store: S,
}

/// A name as stored: trimmed, control characters as spaces; empty or too long is refused.
pub fn clean_name(name: &str) -> Result<String, StorageError> {
    let name: String = name.trim().chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if name.is_empty() {
        Err(StorageError::EmptyName)
    } else if name.chars().count() > MAX_NAME_CHARS {
        Err(StorageError::NameTooLong)
    } else {
        Ok(name)
    }
}

fn key(name: &str) -> String {
    format!("{KEY_PREFIX}{name}")
}

impl<S: KeyValueStore> Saved<S> {
    /// The saved scenarios in `store`.
    pub fn new(store: S) -> Self {
        Self { store }
    }

    /// Save `scenario` as `name` at `now_ms` [ms since 1970], replacing an entry of that name.
    pub fn save(&self, name: &str, scenario: &Scenario, now_ms: f64) -> Result<SaveOutcome, StorageError> {
        let name = clean_name(name)?;
        let json = export::scenario_json(scenario);
        let raw = RawValue::from_string(json)
            .map_err(|e| StorageError::Failed(format!("the scenario could not be written: {e}")))?;
        let entry = EntryOut { format: FORMAT, saved_at_ms: now_ms, scenario: &raw };
        let value = serde_json::to_string(&entry)
            .map_err(|e| StorageError::Failed(format!("the scenario could not be written: {e}")))?;
        let existed = self.store.get(&key(&name))?.is_some();
        self.store.set(&key(&name), &value)?;
        Ok(if existed { SaveOutcome::Replaced } else { SaveOutcome::Created })
    }

    /// Every saved scenario, ordered by `sort`. A damaged entry is listed (so it can be
    /// deleted) with no time.
    pub fn list(&self, sort: SortBy) -> Result<Vec<SavedEntry>, StorageError> {
        let mut entries = Vec::new();
        for stored_key in self.store.keys()? {
            let Some(name) = stored_key.strip_prefix(KEY_PREFIX) else { continue };
            let saved_at_ms = self
                .store
                .get(&stored_key)?
                .and_then(|value| serde_json::from_str::<EntryIn<'_>>(&value).ok().map(|e| e.saved_at_ms));
            entries.push(SavedEntry { name: name.to_owned(), saved_at_ms });
        }
        let order = |a: &SavedEntry, b: &SavedEntry| match sort {
            SortBy::Name => {
                let folded =
                    |e: &SavedEntry| e.name.bytes().map(|c| c.to_ascii_lowercase()).collect::<Vec<u8>>();
                folded(a).cmp(&folded(b)).then_with(|| a.name.cmp(&b.name))
            }
            SortBy::Newest => {
                let (ta, tb) = (a.saved_at_ms.unwrap_or(f64::MIN), b.saved_at_ms.unwrap_or(f64::MIN));
                tb.total_cmp(&ta).then_with(|| a.name.cmp(&b.name))
            }
        };
        poolsim_engine::sort::stable_by(&mut entries, |a, b| order(a, b).is_lt());
        Ok(entries)
    }

    /// The scenario saved as `name`, parsed and validated like an imported file.
    pub fn load(&self, name: &str) -> Result<Scenario, StorageError> {
        let value = self.store.get(&key(name))?.ok_or_else(|| StorageError::NotFound(name.to_owned()))?;
        let damaged = |reason: String| StorageError::Damaged { name: name.to_owned(), reason };
        let entry: EntryIn<'_> =
            serde_json::from_str(&value).map_err(|e| damaged(format!("it is not a saved scenario ({e})")))?;
        if entry.format != FORMAT {
            return Err(damaged(format!(
                "it was saved in format {} and this poolsim reads format {FORMAT}",
                entry.format
            )));
        }
        Scenario::from_json(entry.scenario.get()).map_err(|e| damaged(e.to_string()))
    }

    /// Save the entry `from` as `to` instead. Refused when `to` is taken; renaming to the
    /// same name does nothing.
    pub fn rename(&self, from: &str, to: &str) -> Result<String, StorageError> {
        let to = clean_name(to)?;
        if to == from {
            return Ok(to);
        }
        let value = self.store.get(&key(from))?.ok_or_else(|| StorageError::NotFound(from.to_owned()))?;
        if self.store.get(&key(&to))?.is_some() {
            return Err(StorageError::Exists(to));
        }
        // Write first: if the storage is full, the old entry is still there.
        self.store.set(&key(&to), &value)?;
        self.store.remove(&key(from))?;
        Ok(to)
    }

    /// Delete the entry `name`; returns its stored value, so [`restore`](Self::restore) can undo.
    pub fn delete(&self, name: &str) -> Result<String, StorageError> {
        let value = self.store.get(&key(name))?.ok_or_else(|| StorageError::NotFound(name.to_owned()))?;
        self.store.remove(&key(name))?;
        Ok(value)
    }

    /// Put back an entry [`delete`](Self::delete) returned.
    pub fn restore(&self, name: &str, value: &str) -> Result<(), StorageError> {
        self.store.set(&key(name), value)
    }
}

/// An in-memory store, for tests and as a stand-in: `quota_bytes` (keys and values, as
/// UTF-16 units like a browser counts them) makes it run full.
#[derive(Debug, Default)]
pub struct MemoryStore {
    items: RefCell<BTreeMap<String, String>>,
    /// Most characters the store holds; `None` = unbounded.
    pub quota_chars: Option<usize>,
}

impl KeyValueStore for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        Ok(self.items.borrow().get(key).cloned())
    }
    fn set(&self, key: &str, value: &str) -> Result<(), StorageError> {
        let mut items = self.items.borrow_mut();
        if let Some(quota) = self.quota_chars {
            let used: usize = items
                .iter()
                .filter(|(k, _)| k.as_str() != key)
                .map(|(k, v)| k.encode_utf16().count() + v.encode_utf16().count())
                .sum();
            if used + key.encode_utf16().count() + value.encode_utf16().count() > quota {
                return Err(StorageError::Full);
            }
        }
        items.insert(key.to_owned(), value.to_owned());
        Ok(())
    }
    fn remove(&self, key: &str) -> Result<(), StorageError> {
        self.items.borrow_mut().remove(key);
        Ok(())
    }
    fn keys(&self) -> Result<Vec<String>, StorageError> {
        Ok(self.items.borrow().keys().cloned().collect())
    }
}

/// The browser's `localStorage`.
#[derive(Debug)]
pub struct WebStore(web_sys::Storage);

impl WebStore {
    /// The page's `localStorage`, or why there is none. Never panics (unlike
    /// `gloo::storage::LocalStorage`, which does when storage is blocked).
    pub fn open() -> Result<Self, StorageError> {
        let window =
            web_sys::window().ok_or_else(|| StorageError::Unavailable("no browser window".into()))?;
        match window.local_storage() {
            Ok(Some(storage)) => Ok(Self(storage)),
            Ok(None) => Err(StorageError::Unavailable("the browser offers no local storage".into())),
            Err(e) => Err(StorageError::Unavailable(super::url::js_text(e))),
        }
    }
}

/// A refused write: a full quota has its own message.
fn write_error(error: JsValue) -> StorageError {
    let name = js_sys::Reflect::get(&error, &JsValue::from_str("name")).ok().and_then(|n| n.as_string());
    match name.as_deref() {
        Some("QuotaExceededError" | "NS_ERROR_DOM_QUOTA_REACHED") => StorageError::Full,
        _ => StorageError::Failed(super::url::js_text(error)),
    }
}

fn read_error(error: JsValue) -> StorageError {
    StorageError::Unavailable(super::url::js_text(error))
}

impl KeyValueStore for WebStore {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        self.0.get_item(key).map_err(read_error)
    }
    fn set(&self, key: &str, value: &str) -> Result<(), StorageError> {
        self.0.set_item(key, value).map_err(write_error)
    }
    fn remove(&self, key: &str) -> Result<(), StorageError> {
        self.0.remove_item(key).map_err(write_error)
    }
    fn keys(&self) -> Result<Vec<String>, StorageError> {
        let count = self.0.length().map_err(read_error)?;
        let mut keys = Vec::with_capacity(count as usize);
        for i in 0..count {
            if let Some(key) = self.0.key(i).map_err(read_error)? {
                keys.push(key);
            }
        }
        Ok(keys)
    }
}

/// The page's saved scenarios in `localStorage`.
pub fn browser() -> Result<Saved<WebStore>, StorageError> {
    WebStore::open().map(Saved::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(name: &str, max_size: u32) -> Scenario {
        let mut s = Scenario::from_json(r#"{ "duration_s": 600 }"#).expect("valid");
        s.name = name.to_owned();
        s.pool.max_size = max_size;
        s.pool.min_idle = None;
        s
    }

    fn names_of(saved: &Saved<MemoryStore>, sort: SortBy) -> Vec<String> {
        saved.list(sort).expect("lists").into_iter().map(|e| e.name).collect()
    }

    #[test]
    fn saved_scenarios_round_trip_and_list_by_name_or_time() {
        let saved = Saved::new(MemoryStore::default());
        assert_eq!(saved.save("beta", &scenario("B", 20), 1_000.0), Ok(SaveOutcome::Created));
        assert_eq!(saved.save("  Alpha ", &scenario("A", 30), 2_000.0), Ok(SaveOutcome::Created));
        assert_eq!(saved.save("gamma", &scenario("G", 40), 3_000.0), Ok(SaveOutcome::Created));
        assert_eq!(names_of(&saved, SortBy::Name), ["Alpha", "beta", "gamma"], "case-insensitive, trimmed");
        assert_eq!(names_of(&saved, SortBy::Newest), ["gamma", "Alpha", "beta"]);
        assert_eq!(saved.load("Alpha"), Ok(scenario("A", 30)), "the very same scenario");
        assert_eq!(saved.save("beta", &scenario("B2", 25), 4_000.0), Ok(SaveOutcome::Replaced));
        assert_eq!(saved.load("beta").map(|s| s.pool.max_size), Ok(25));
        assert_eq!(names_of(&saved, SortBy::Newest)[0], "beta");
    }

    #[test]
    fn long_lists_come_out_in_order() {
        let saved = Saved::new(MemoryStore::default());
        let names: Vec<String> =
            (0..25).map(|i| format!("{} run {}", ["b", "A", "c"][i % 3], (i * 7) % 25)).collect();
        for (i, name) in names.iter().enumerate() {
            saved.save(name, &scenario(name, 10), ((i * 11) % 25) as f64).expect("saved");
        }
        let mut by_name = names.clone();
        by_name.sort_by_key(|n| (n.to_ascii_lowercase(), n.clone()));
        assert_eq!(names_of(&saved, SortBy::Name), by_name);
        let times: Vec<f64> =
            saved.list(SortBy::Newest).expect("lists").iter().filter_map(|e| e.saved_at_ms).collect();
        assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first: {times:?}");
    }

    #[test]
    fn entries_live_under_one_versioned_prefix_and_other_keys_are_left_alone() {
        let store = MemoryStore::default();
        store.set("theme", "dark").expect("set");
        let saved = Saved::new(store);
        saved.save("mine", &scenario("M", 10), 5.0).expect("saved");
        let keys = saved.store.keys().expect("keys");
        assert_eq!(keys, ["poolsim.saved.v1:mine", "theme"]);
        let value = saved.store.get("poolsim.saved.v1:mine").expect("read").expect("there");
        assert!(value.starts_with(r#"{"format":1,"saved_at_ms":5.0,"scenario":{"#), "{value}");
        assert_eq!(names_of(&saved, SortBy::Name), ["mine"]);
    }

    #[test]
    fn rename_and_delete_with_undo() {
        let saved = Saved::new(MemoryStore::default());
        saved.save("a", &scenario("A", 10), 1.0).expect("saved");
        saved.save("b", &scenario("B", 20), 2.0).expect("saved");
        assert_eq!(saved.rename("a", "b"), Err(StorageError::Exists("b".into())), "never overwrites");
        assert_eq!(saved.rename("a", "  "), Err(StorageError::EmptyName));
        assert_eq!(saved.rename("a", "c"), Ok("c".into()));
        assert_eq!(names_of(&saved, SortBy::Name), ["b", "c"]);
        assert_eq!(saved.load("c").map(|s| s.name), Ok("A".into()));
        assert_eq!(saved.rename("c", "c"), Ok("c".into()));
        let gone = saved.delete("b").expect("deleted");
        assert_eq!(names_of(&saved, SortBy::Name), ["c"]);
        assert_eq!(saved.delete("b"), Err(StorageError::NotFound("b".into())));
        saved.restore("b", &gone).expect("undone");
        assert_eq!(saved.load("b").map(|s| s.pool.max_size), Ok(20));
    }

    #[test]
    fn a_tampered_entry_is_an_error_naming_the_field_not_a_panic() {
        let saved = Saved::new(MemoryStore::default());
        saved.save("x", &scenario("X", 10), 1.0).expect("saved");
        let set = |value: &str| saved.store.set("poolsim.saved.v1:x", value).expect("set");
        set(r#"{"format":1,"saved_at_ms":1,"scenario":{"pool":{"max_size":0}}}"#);
        let error = saved.load("x").expect_err("refused").to_string();
        assert!(error.contains("“x”") && error.contains("pool.max_size"), "{error}");
        set("not json at all");
        assert!(matches!(saved.load("x"), Err(StorageError::Damaged { .. })));
        set(r#"{"format":2,"scenario":{}}"#);
        assert!(saved.load("x").expect_err("refused").to_string().contains("format 2"));
        assert_eq!(saved.list(SortBy::Newest).expect("lists")[0].name, "x", "still listed, to delete");
    }

    #[test]
    fn a_full_store_refuses_with_a_clear_message_and_keeps_what_it_had() {
        let probe = Saved::new(MemoryStore::default());
        probe.save("first", &scenario("F", 10), 1.0).expect("saved");
        let one_entry: usize = probe.store.items.borrow().iter().map(|(k, v)| k.len() + v.len()).sum();
        // Room for one entry and a half.
        let saved =
            Saved::new(MemoryStore { quota_chars: Some(one_entry * 3 / 2), ..MemoryStore::default() });
        saved.save("first", &scenario("F", 10), 1.0).expect("fits");
        let error = saved.save("second", &scenario("S", 10), 2.0).expect_err("full");
        assert_eq!(error, StorageError::Full);
        assert!(error.to_string().contains("full"));
        assert_eq!(saved.rename("first", "renamed"), Err(StorageError::Full));
        assert_eq!(names_of(&saved, SortBy::Name), ["first"], "nothing lost");
    }

    #[test]
    fn names_are_trimmed_bounded_and_on_one_line() {
        assert_eq!(clean_name(" a\nb "), Ok("a b".into()));
        assert_eq!(clean_name(""), Err(StorageError::EmptyName));
        assert_eq!(clean_name(&"é".repeat(MAX_NAME_CHARS)), Ok("é".repeat(MAX_NAME_CHARS)));
        assert_eq!(clean_name(&"x".repeat(MAX_NAME_CHARS + 1)), Err(StorageError::NameTooLong));
    }
}
