//! A shared link opens exactly the scenario it was made from, and a damaged or hostile
//! link gets a clear message — never a panic, a hang or a huge allocation.

mod arbitrary;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use poolsim_content::link::{
    self, LinkError, MAX_JSON_BYTES, MAX_JSON_DEPTH, MAX_LINK_CHARS, SharedState, ViewOptions,
};
use poolsim_content::{export, presets};
use poolsim_engine::{Action, Scenario, Simulation, TimedEvent};
use proptest::prelude::*;

/// A `v1.` link around any bytes, packed as `encode` packs JSON.
fn link_of_bytes(payload: &[u8]) -> String {
    format!("v1.{}", URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(payload, 9)))
}

fn refused(link: &str) -> LinkError {
    match link::decode(link) {
        Ok(state) => panic!("accepted {link:.80}: {state:?}"),
        Err(e) => e,
    }
}

/// Refused with a message mentioning every one of `words`.
#[track_caller]
fn assert_refused(link: &str, words: &[&str]) -> LinkError {
    let e = refused(link);
    let message = e.to_string();
    for w in words {
        assert!(message.contains(w), "message for {link:.80} should mention {w:?}: {message}");
    }
    e
}

fn seed_incident() -> Scenario {
    presets::load(presets::SEED_INCIDENT).expect("the seed preset loads")
}

#[test]
fn every_preset_survives_a_link_and_runs_the_same() {
    for p in presets::all() {
        let scenario = p.scenario().unwrap_or_else(|e| panic!("preset {}: {e}", p.name));
        let state = SharedState {
            scenario: scenario.clone(),
            view: ViewOptions { preset: Some(p.name.to_owned()), ..ViewOptions::default() },
        };
        let fragment = link::encode(&state);
        assert_eq!(link::try_encode(&state).as_ref(), Ok(&fragment), "preset {} fits in a link", p.name);
        let opened =
            link::decode(&format!("#{fragment}")).unwrap_or_else(|e| panic!("preset {}: {e}", p.name));
        assert_eq!(opened, state, "preset {}", p.name);
    }
    // The same run, not only the same settings.
    let scenario = presets::load("fast-leak").expect("preset");
    let opened = link::decode(&link::encode(&SharedState::from(scenario.clone()))).expect("opens");
    let run = |s: &Scenario| Simulation::new(s).expect("valid").run_to_end();
    assert_eq!(run(&opened.scenario), run(&scenario));
}

#[test]
fn the_seed_incident_link_is_compact() {
    let fragment = link::encode(&SharedState::from(seed_incident()));
    let json_len = serde_json::to_string(&seed_incident()).expect("json").len();
    assert!(
        fragment.len() < json_len * 3 / 4,
        "{} characters of link for {json_len} bytes of JSON",
        fragment.len()
    );
    assert!(
        fragment.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)),
        "URL-safe: {fragment}"
    );
}

#[test]
fn a_whole_url_a_bare_fragment_and_a_wrapped_link_all_open() {
    let state = SharedState::from(seed_incident());
    let fragment = link::encode(&state);
    let url = link::share_url("http://127.0.0.1:8080/?embed#old-fragment", &state);
    assert_eq!(url, format!("http://127.0.0.1:8080/?embed#{fragment}"));
    let (head, tail) = fragment.split_at(fragment.len() / 2);
    for form in [fragment.clone(), format!("#{fragment}"), url, format!("  #{head}\n  {tail}\r\n")] {
        assert_eq!(link::decode(&form).as_ref(), Ok(&state), "{form:.60}");
    }
}

#[test]
fn view_options_are_forgiving_but_the_scenario_is_strict() {
    // Unknown view and top-level fields (from a newer poolsim) are ignored; a view value of
    // the wrong type or out of range is dropped; the scenario still opens.
    let json = r#"{"scenario": {"name": "ok", "duration_s": 600}, "from_the_future": [1, 2],
        "view": {"at_s": "soon", "speed": "60x", "autoplay": 1, "embed": true, "zoom": 3,
                 "hide_controls": true, "preset": "<b>bold</b>"}}"#;
    let state = link::decode(&link_of_bytes(json.as_bytes())).expect("opens");
    assert_eq!(state.scenario.name, "ok");
    assert_eq!(
        state.view,
        ViewOptions {
            speed: Some("60x".to_owned()),
            embed: true,
            hide_controls: true,
            ..ViewOptions::default()
        }
    );
    // An old link with no view at all.
    let state = link::decode(&link_of_bytes(br#"{"scenario": {}}"#)).expect("opens");
    assert_eq!(state, SharedState::from(Scenario::default()));
    // A start time past the end is clamped to the end; a negative one dropped.
    let at = |t: &str| {
        let json = format!(r#"{{"scenario": {{"duration_s": 600}}, "view": {{"at_s": {t}}}}}"#);
        link::decode(&link_of_bytes(json.as_bytes())).expect("opens").view.at_s
    };
    assert_eq!(at("1e300"), Some(600.0));
    assert_eq!(at("-5"), None);
    assert_eq!(at("120.5"), Some(120.5));

    // The scenario part: unknown fields and impossible values are refused with their path.
    let e = assert_refused(
        &link_of_bytes(br#"{"scenario": {"pool": {"max_size": 0}}}"#),
        &["scenario is not valid", "pool.max_size", "between 1"],
    );
    assert!(matches!(&e, LinkError::Scenario(s) if s.path == "pool.max_size"), "{e:?}");
    let e =
        assert_refused(&link_of_bytes(br#"{"scenario": {"pool": {"size": 5}}}"#), &["pool.size", "unknown"]);
    assert!(matches!(&e, LinkError::Scenario(s) if s.path == "pool.size"), "{e:?}");
    assert_refused(
        &link_of_bytes(br#"{"scenario": {"events": [{"at_s": 5, "action": "explode"}]}}"#),
        &["events[0].action", "explode"],
    );
    assert_refused(&link_of_bytes(br#"{"scenario": {"duration_s": 1e30}}"#), &["duration_s"]);
    assert_refused(
        &link_of_bytes(br#"{"scenario": {"traffic": {"rate_per_s": 1e300}}}"#),
        &["traffic.rate_per_s"],
    );
    assert_refused(&link_of_bytes(br#"{"view": {}}"#), &["missing field `scenario`"]);
    assert_refused(&link_of_bytes(b"[1, 2, 3]"), &["not a poolsim scenario"]);
}

#[test]
fn damaged_links_say_what_is_wrong() {
    let good = link::encode(&SharedState::from(seed_incident()));
    assert_refused("", &["nothing after the `#`"]);
    assert_refused("http://127.0.0.1:8080/#  ", &["nothing after the `#`"]);
    assert_refused("http://127.0.0.1:8080/", &["not a poolsim link", "v1."]);
    assert_refused("#hello", &["not a poolsim link"]);
    assert_refused("#v1.@@@@", &["damaged", "not valid base64"]);
    assert_refused(&format!("#{}%3D", &good), &["not valid base64"]);
    // Cut short when copied (at a whole base64 quantum): the deflate stream ends early.
    let cut = 3 + (good.len() - 3) / 2 / 4 * 4;
    assert_refused(&good[..cut], &["damaged", "compressed data is corrupt"]);
    // Cut anywhere else, it is not even base64.
    assert_refused(&good[..cut + 1], &["damaged", "not valid base64"]);
    assert_refused(&link_of_bytes(&[0xff, 0xfe, 0x00, 0x80]), &["damaged", "not text"]);
    assert_refused(&link_of_bytes(br#"{"scenario": {"name": "x""#), &["damaged", "EOF"]);
    assert_refused(&link_of_bytes(b"{nope}"), &["damaged", "key must be a string"]);
}

#[test]
fn links_from_a_newer_or_unknown_format_are_named() {
    let payload = &link::encode(&SharedState::from(Scenario::default()))[3..];
    let e = assert_refused(&format!("#v9.{payload}"), &["made by a newer poolsim (v9)", "reads v1 links"]);
    assert_eq!(e, LinkError::UnsupportedVersion { version: "v9".to_owned() });
    assert_refused(&format!("#v0.{payload}"), &["format version", "(v0)"]);
    assert_refused(&format!("#v99999999.{payload}"), &["not a poolsim link"]);
    assert_refused(&format!("#V1.{payload}"), &["not a poolsim link"]);
}

#[test]
fn a_deflate_bomb_stops_at_the_cap() {
    // 16 MiB of spaces packs into a link under the length cap (deflate's best ratio is
    // about 1000:1); inflating it whole would take 16 MiB. It must stop at MAX_JSON_BYTES.
    let bomb = vec![b' '; 16 << 20];
    let fragment = link_of_bytes(&bomb);
    assert!(fragment.len() <= MAX_LINK_CHARS, "the bomb fits in a link: {} characters", fragment.len());
    let e = assert_refused(&fragment, &["too large", "256 KiB"]);
    assert_eq!(e, LinkError::TooBig);
    // Just over the cap is refused too; just under is read (and refused only as JSON).
    assert_eq!(refused(&link_of_bytes(&vec![b' '; MAX_JSON_BYTES + 1])), LinkError::TooBig);
    assert!(matches!(refused(&link_of_bytes(&vec![b' '; MAX_JSON_BYTES])), LinkError::BadJson { .. }));
}

#[test]
fn huge_links_and_huge_json_are_refused() {
    let long = format!("#v1.{}", "A".repeat(MAX_LINK_CHARS));
    assert_refused(&long, &["too long", &MAX_LINK_CHARS.to_string()]);
    // Well-packed but far past the name limit: refused by validation, naming the field.
    let json = format!(r#"{{"scenario": {{"name": "{}"}}}}"#, "x".repeat(100_000));
    assert_refused(&link_of_bytes(json.as_bytes()), &["name", "too long", "at most 500"]);
    // 250 KiB of JSON numbers in an unknown top-level field: read and ignored.
    let numbers = vec!["12345678"; 28_000].join(",");
    let json = format!(r#"{{"scenario": {{}}, "padding": [{numbers}]}}"#);
    assert!(json.len() < MAX_JSON_BYTES);
    assert_eq!(link::decode(&link_of_bytes(json.as_bytes())), Ok(SharedState::from(Scenario::default())));
    // A scenario too big for a link says so when it is made, not when it is opened.
    let events = (0..1000)
        .map(|i| TimedEvent::new(f64::from(i), Action::Note { text: format!("{i:>499}") }))
        .collect();
    let scenario = Scenario { events, ..Scenario::default() };
    assert!(scenario.validate().is_ok());
    assert_eq!(link::try_encode(&SharedState::from(scenario)), Err(LinkError::TooBig));
}

#[test]
fn ten_thousand_deep_nesting_is_refused_without_overflowing_the_stack() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    for json in [
        format!(r#"{{"scenario": {{}}, "x": {deep}}}"#),
        format!(r#"{{"scenario": {{"name": {deep}}}}}"#),
        format!(r#"{{"view": {deep}, "scenario": {{}}}}"#),
        "{\"a\":".repeat(10_000),
    ] {
        let e = assert_refused(&link_of_bytes(json.as_bytes()), &["nested too deeply"]);
        assert_eq!(e, LinkError::TooDeep);
    }
    // Just within the limit is not refused for its depth.
    let ok = format!(
        r#"{{"scenario": {{}}, "x": {}{}}}"#,
        "[".repeat(MAX_JSON_DEPTH - 1),
        "]".repeat(MAX_JSON_DEPTH - 1)
    );
    assert!(link::decode(&link_of_bytes(ok.as_bytes())).is_ok());
    // The scenario parser on its own (file import) is safe too.
    let e = Scenario::from_json(&format!(r#"{{"name": {deep}}}"#)).expect_err("refused");
    assert_eq!(e.path, "name", "{e}");
    assert!(Scenario::from_json(&"[".repeat(10_000)).is_err());
}

#[test]
fn the_scenario_json_export_round_trips() {
    let scenario = seed_incident();
    let json = export::scenario_json(&scenario);
    assert_eq!(Scenario::from_json(&json), Ok(scenario));
    assert!(json.contains("\n  \"name\": \"June 15, 2024"), "pretty-printed: {json:.200}");
}

/// Small changes a copy-paste or a hostile sender could make to a link.
#[derive(Clone, Debug)]
enum Damage {
    /// Replace the character at this position (mod length) with this one.
    Replace(usize, char),
    /// Cut the link at this position (mod length).
    Truncate(usize),
    /// Remove the character at this position.
    Remove(usize),
    /// Flip one bit of the packed bytes (index mod length, bit).
    FlipBit(usize, u8),
}

fn damage() -> impl Strategy<Value = Damage> {
    let link_char = prop::sample::select(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.#=+/ ".chars().collect::<Vec<_>>(),
    );
    prop_oneof![
        (any::<usize>(), link_char).prop_map(|(i, c)| Damage::Replace(i, c)),
        any::<usize>().prop_map(Damage::Truncate),
        any::<usize>().prop_map(Damage::Remove),
        (any::<usize>(), 0u8..8).prop_map(|(i, bit)| Damage::FlipBit(i, bit)),
    ]
}

fn apply(fragment: &str, damage: &Damage) -> String {
    let mut chars: Vec<char> = fragment.chars().collect();
    let n = chars.len().max(1);
    match *damage {
        Damage::Replace(i, c) => chars[i % n] = c,
        Damage::Truncate(i) => chars.truncate(i % n),
        Damage::Remove(i) => {
            chars.remove(i % n);
        }
        Damage::FlipBit(i, bit) => {
            // Only on a link still readable as base64; otherwise leave it as it is.
            let Ok(mut packed) = URL_SAFE_NO_PAD.decode(fragment.get(3..).unwrap_or_default()) else {
                return fragment.to_owned();
            };
            let len = packed.len();
            if len > 0 {
                packed[i % len] ^= 1 << bit;
            }
            return format!("v1.{}", URL_SAFE_NO_PAD.encode(packed));
        }
    }
    chars.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    /// Scenario → link → scenario is the identity, view options included; and the
    /// scenario's JSON export reads back as the same scenario.
    #[test]
    fn a_link_opens_exactly_the_state_it_was_made_from(state in arbitrary::shared_state()) {
        let fragment = link::try_encode(&state).expect("a generated scenario fits in a link");
        prop_assert_eq!(link::decode(&fragment), Ok(state.clone()));
        prop_assert_eq!(Scenario::from_json(&export::scenario_json(&state.scenario)), Ok(state.scenario));
    }

    /// Whatever view options a link carries, the scenario opens and the view is sanitised.
    #[test]
    fn any_view_options_open_sanitised(scenario in arbitrary::scenario(), view in arbitrary::wild_view()) {
        let state = SharedState { scenario, view: view.clone() };
        let opened = link::decode(&link::encode(&state)).expect("opens");
        prop_assert_eq!(&opened.scenario, &state.scenario);
        let sanitized = view.sanitized(state.scenario.duration_s);
        prop_assert_eq!(opened.view.at_s.map(f64::to_bits), sanitized.at_s.map(f64::to_bits));
        prop_assert_eq!(opened.view, sanitized);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, failure_persistence: None, ..ProptestConfig::default() })]

    /// A damaged link either opens a valid scenario or is refused; it never panics.
    #[test]
    fn damaged_links_are_refused_or_open_a_valid_scenario(
        state in arbitrary::shared_state(),
        damages in prop::collection::vec(damage(), 1..4),
    ) {
        let mut fragment = link::encode(&state);
        for d in &damages {
            if fragment.len() <= 3 || !fragment.starts_with("v1.") {
                break;
            }
            fragment = apply(&fragment, d);
        }
        if let Ok(opened) = link::decode(&fragment) {
            prop_assert!(opened.scenario.validate().is_ok());
        }
    }

    /// Arbitrary text, with or without a version tag, never panics the decoder or the parser.
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}", b64 in "[A-Za-z0-9_-]{0,400}") {
        let _ = link::decode(&text);
        let _ = link::decode(&format!("#v1.{b64}"));
        let _ = Scenario::from_json(&text);
    }

    /// Arbitrary bytes, packed as a link would be, never panic the decoder.
    #[test]
    fn arbitrary_packed_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = link::decode(&link_of_bytes(&bytes));
        let _ = link::decode(&format!("v1.{}", URL_SAFE_NO_PAD.encode(&bytes)));
        let _ = Scenario::from_json(&String::from_utf8_lossy(&bytes));
    }

    /// JSON that looks like a scenario, with keys and values shuffled among each other.
    #[test]
    fn scenario_shaped_json_never_panics(
        parts in prop::collection::vec(prop::sample::select(vec![
            "{", "}", "[", "]", ",", ":", "\"scenario\"", "\"view\"", "\"pool\"", "\"max_size\"",
            "\"events\"", "\"at_s\"", "\"action\"", "\"note\"", "\"text\"", "\"resize_pool\"",
            "\"duration_s\"", "0", "-1", "1e400", "18446744073709551616", "null", "true", "\"x\"",
            "\"alerts\"", "\"name\"", "\"metric\"", "\"usage\"", "\"above\"", "1.5",
        ]), 0..60),
    ) {
        let json = parts.concat();
        let _ = link::decode(&link_of_bytes(json.as_bytes()));
        let _ = Scenario::from_json(&json);
    }
}
