//! Facts about the widget's API surface: the one table of known members,
//! lifecycle event names, and the spellings the rules recognise.

/// The global the widget defines.
pub const GLOBAL: &str = "talkativeApi";
/// The config object the page declares before the loader runs.
pub const CUSTOM_CONFIG: &str = "talkativeCustomConfig";
/// The pre-2022 global.
pub const LEGACY_GLOBAL: &str = "TalkativeEngageApi";
/// Part of every loader URL.
pub const LOADER_PATH: &str = "/api/ecs/v1/loader/";

/// Objects through which globals are reached.
pub const GLOBAL_OBJECTS: &[&str] = &["window", "globalThis", "self"];

/// Members of a namespace.
pub enum Members {
    /// Exactly these.
    Only(&'static [&'static str]),
    /// Not fully public: nothing is flagged.
    Any,
}

/// The known API: `unknown-api-member` checks against this table only.
pub const KNOWN_API: &[(&str, Members)] = &[
    ("actions", Members::Only(&["triggerAction", "getActions"])),
    (
        "ui",
        Members::Only(&[
            "canShow",
            "isVisible",
            "show",
            "hide",
            "isAvailable",
            "activate",
            "deactivate",
        ]),
    ),
    ("queues", Members::Only(&["getPresences"])),
    (
        "interactionData",
        Members::Only(&["appendInteractionData", "setSignedInteractionData"]),
    ),
    ("interaction", Members::Any),
    ("__unsafe", Members::Any),
];

/// The undocumented namespace covered by `unsafe-api`.
pub const UNSAFE_NAMESPACE: &str = "__unsafe";

pub fn namespace(name: &str) -> Option<&'static Members> {
    KNOWN_API.iter().find(|(n, _)| *n == name).map(|(_, m)| m)
}

pub fn namespace_names() -> impl Iterator<Item = &'static str> + Clone {
    KNOWN_API.iter().map(|(n, _)| *n)
}

/// Lifecycle events a config may declare in `events`.
pub const EVENTS: &[&str] = &[
    "ready",
    "enterStandby",
    "enterInteraction",
    "resumeInteraction",
    "exitInteraction",
    "completeInteraction",
    "enterDataCollection",
    "exitDataCollection",
    "agentJoined",
    "agentLeft",
    "qosFail",
    "presenceFail",
    "rateLimitFail",
    "visibilityChange",
    "availabilityChange",
    "sendEmail",
];

/// Events during which an interaction is active.
pub const ACTIVE_EVENTS: &[&str] = &[
    "enterInteraction",
    "resumeInteraction",
    "exitInteraction",
    "agentJoined",
    "agentLeft",
    "enterDataCollection",
    "exitDataCollection",
];

pub const STANDBY_EVENT: &str = "enterStandby";

/// Lowercase stems of the global's misspellings that the near-miss check
/// knows. The pre-filter looks for the same stems, so skipping a file never
/// changes what this check finds.
pub const NEAR_MISS_STEMS: &[&str] = &[
    "talkativ",
    "talaktiv",
    "talkitiv",
    "talktiv",
    "talkactiv",
    "tallkativ",
    "talkativ",
];

/// Is `ident` a misspelling of `talkativeApi` (not the right name, not another
/// Talkative global)? Returns the right spelling to suggest.
pub fn near_miss_global(ident: &str) -> Option<&'static str> {
    if ident == GLOBAL || ident.len() > 24 {
        return None;
    }
    let lower = ident.to_ascii_lowercase();
    if !NEAR_MISS_STEMS.iter().any(|s| lower.contains(s)) {
        return None;
    }
    if lower == "talkativecustomconfig" || lower == "talkativeengageapi" {
        return None;
    }
    if strsim::osa_distance(&lower, "talkativeapi") <= 2 {
        Some(GLOBAL)
    } else {
        None
    }
}

/// A suggestion for an unknown API member: the closest name, or one that
/// starts with what was written (`trigger` → `triggerAction`).
pub fn did_you_mean_member<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<&'a str> {
    did_you_mean(name, candidates.clone()).or_else(|| {
        let lower = name.to_ascii_lowercase();
        candidates
            .into_iter()
            .find(|c| lower.len() >= 3 && c.to_ascii_lowercase().starts_with(&lower))
    })
}

/// The closest known name for `name` among `candidates` (optimal string
/// alignment), when within max(2, len/3); ties go to the earliest candidate.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = std::cmp::max(2, name.chars().count() / 3);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c == name {
            continue;
        }
        let d = strsim::osa_distance(name, c);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses() {
        assert_eq!(near_miss_global("talkativeAPI"), Some("talkativeApi"));
        assert_eq!(near_miss_global("talaktiveApi"), Some("talkativeApi"));
        assert_eq!(near_miss_global("TalkativeApi"), Some("talkativeApi"));
        assert_eq!(near_miss_global("talkativeApi"), None);
        assert_eq!(near_miss_global("talkativeCustomConfig"), None);
        assert_eq!(near_miss_global("talkativeHelpers"), None);
    }

    #[test]
    fn suggestions_prefer_first_on_ties() {
        let names = ["start-chat", "start-video", "start-char"];
        assert_eq!(did_you_mean("strat-chat", names), Some("start-chat"));
        assert_eq!(did_you_mean("start-cha", names), Some("start-chat"));
        assert_eq!(did_you_mean("completely-else", names), None);
    }
}
