/* expect: invalid-suppression */ // action-lint-disable-next-line missing-gaurd
window.talkativeApi.ui.show(); // expect: missing-guard
