//! The ordered list of all rules. `action-lint rules`, docs and SARIF follow this order.

use super::*;

/// Every rule, in documentation order.
pub static RULES: &[&dyn Rule] = &[
    &unknown_action::UnknownAction,
    &missing_guard::MissingGuard,
    &call_during_interaction::CallDuringInteraction,
    &retrigger_on_standby::RetriggerOnStandby,
    &unhandled_promise::UnhandledPromise,
    &dynamic_action_name::DynamicActionName,
    &unknown_api_member::UnknownApiMember,
    &unsafe_api::UnsafeApi,
    &unused_action::UnusedAction,
    &invalid_actions_config::InvalidActionsConfig,
    &legacy_api::LegacyApi,
    &late_custom_config::LateCustomConfig,
    &duplicate_custom_config::DuplicateCustomConfig,
    &invalid_suppression::InvalidSuppression,
];

/// Every rule's metadata, in documentation order.
pub static ALL: &[&RuleMeta] = &[
    &unknown_action::UnknownAction::META,
    &missing_guard::MissingGuard::META,
    &call_during_interaction::CallDuringInteraction::META,
    &retrigger_on_standby::RetriggerOnStandby::META,
    &unhandled_promise::UnhandledPromise::META,
    &dynamic_action_name::DynamicActionName::META,
    &unknown_api_member::UnknownApiMember::META,
    &unsafe_api::UnsafeApi::META,
    &unused_action::UnusedAction::META,
    &invalid_actions_config::InvalidActionsConfig::META,
    &legacy_api::LegacyApi::META,
    &late_custom_config::LateCustomConfig::META,
    &duplicate_custom_config::DuplicateCustomConfig::META,
    &invalid_suppression::InvalidSuppression::META,
];
pub static UNKNOWN_ACTION: &RuleMeta = &unknown_action::UnknownAction::META;
pub static MISSING_GUARD: &RuleMeta = &missing_guard::MissingGuard::META;
pub static CALL_DURING_INTERACTION: &RuleMeta =
    &call_during_interaction::CallDuringInteraction::META;
pub static RETRIGGER_ON_STANDBY: &RuleMeta = &retrigger_on_standby::RetriggerOnStandby::META;
pub static UNHANDLED_PROMISE: &RuleMeta = &unhandled_promise::UnhandledPromise::META;
pub static DYNAMIC_ACTION_NAME: &RuleMeta = &dynamic_action_name::DynamicActionName::META;
pub static UNKNOWN_API_MEMBER: &RuleMeta = &unknown_api_member::UnknownApiMember::META;
pub static UNSAFE_API: &RuleMeta = &unsafe_api::UnsafeApi::META;
pub static UNUSED_ACTION: &RuleMeta = &unused_action::UnusedAction::META;
pub static INVALID_ACTIONS_CONFIG: &RuleMeta = &invalid_actions_config::InvalidActionsConfig::META;
pub static LEGACY_API: &RuleMeta = &legacy_api::LegacyApi::META;
pub static LATE_CUSTOM_CONFIG: &RuleMeta = &late_custom_config::LateCustomConfig::META;
pub static DUPLICATE_CUSTOM_CONFIG: &RuleMeta =
    &duplicate_custom_config::DuplicateCustomConfig::META;
pub static INVALID_SUPPRESSION: &RuleMeta = &invalid_suppression::InvalidSuppression::META;

/// Run every rule: findings decided during analysis first, then project rules.
/// (The engine runs the rules in parallel itself: only it knows threads.)
pub fn check_all(ctx: &mut Context<'_>) {
    for (fi, f) in ctx.files.iter().enumerate() {
        for d in &f.facts.local {
            ctx.out.push((Some(fi), d.clone()));
        }
    }
    for rule in RULES {
        rule.check(ctx);
    }
}
