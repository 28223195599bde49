// Excluded by action-lint.toml: third-party code is not checked.
talkativeApi.actions.triggerAction('anything');
