// action-lint-disable-next-line missing-guard
window.talkativeApi.ui.show();
window.talkativeApi.ui.hide(); // action-lint-disable-line
/* action-lint-disable missing-guard */
window.talkativeApi.ui.show();
talkativeApi.ui.show();
/* action-lint-enable */
