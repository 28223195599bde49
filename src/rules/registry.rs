//! The ordered list of all rules. `action-lint rules`, docs and SARIF follow this order.

use super::RuleMeta;

macro_rules! placeholder {
    ($name:ident, $id:literal, $sev:ident, $summary:literal) => {
        pub static $name: RuleMeta = RuleMeta {
            id: $id,
            default_severity: crate::diagnostic::Severity::$sev,
            summary: $summary,
            docs: "",
        };
    };
}

placeholder!(UNKNOWN_ACTION, "unknown-action", Error, "an action name is not in the actions config");
placeholder!(MISSING_GUARD, "missing-guard", Error, "a talkativeApi use can run before the widget has loaded");
placeholder!(CALL_DURING_INTERACTION, "call-during-interaction", Error, "an action can be triggered while an interaction is active");
placeholder!(RETRIGGER_ON_STANDBY, "retrigger-on-standby", Warning, "an action in enterStandby fires again after every interaction");
placeholder!(UNHANDLED_PROMISE, "unhandled-promise", Warning, "the promise returned by triggerAction is dropped");
placeholder!(DYNAMIC_ACTION_NAME, "dynamic-action-name", Warning, "the action name cannot be resolved statically");
placeholder!(UNKNOWN_API_MEMBER, "unknown-api-member", Error, "a talkativeApi member or global spelling that does not exist");
placeholder!(UNSAFE_API, "unsafe-api", Warning, "use of the non-public talkativeApi.__unsafe");
placeholder!(UNUSED_ACTION, "unused-action", Warning, "a configured action is referenced nowhere");
placeholder!(INVALID_ACTIONS_CONFIG, "invalid-actions-config", Error, "empty, non-string or duplicate names in the actions config");
placeholder!(LEGACY_API, "legacy-api", Warning, "the pre-2022 TalkativeEngageApi global is used");
placeholder!(LATE_CUSTOM_CONFIG, "late-custom-config", Error, "talkativeCustomConfig is assigned after the widget loader was requested");
placeholder!(DUPLICATE_CUSTOM_CONFIG, "duplicate-custom-config", Warning, "talkativeCustomConfig is assigned twice");
placeholder!(INVALID_SUPPRESSION, "invalid-suppression", Warning, "a suppression comment names an unknown rule");

/// Every rule, in documentation order.
pub static ALL: &[&RuleMeta] = &[
    &UNKNOWN_ACTION,
    &MISSING_GUARD,
    &CALL_DURING_INTERACTION,
    &RETRIGGER_ON_STANDBY,
    &UNHANDLED_PROMISE,
    &DYNAMIC_ACTION_NAME,
    &UNKNOWN_API_MEMBER,
    &UNSAFE_API,
    &UNUSED_ACTION,
    &INVALID_ACTIONS_CONFIG,
    &LEGACY_API,
    &LATE_CUSTOM_CONFIG,
    &DUPLICATE_CUSTOM_CONFIG,
    &INVALID_SUPPRESSION,
];
