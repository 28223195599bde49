if (window.talkativeApi) {
  window.talkativeApi.actions.triggerAction("start-chat");
  window.talkativeApi.actions.triggerAction("strat-chat"); // expect: unknown-action
}
