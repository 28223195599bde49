if (window.talkativeApi) {
  window.talkativeApi.actions.trigger('start-chat'); // expect: unknown-api-member
  window.talkativeApi.ui.open(); // expect: unknown-api-member
  window.talkativeApi.chat.start(); // expect: unknown-api-member
  window.talkativeApi.interaction.whatever();
  window.talkativeApi.interactionData.appendInteractionData({ a: 1 });
  window.talkativeApi.queues.getPresences().then(console.log);
  window.talkativeApi.actions.getActions().then(console.log);
}
if (window.talkativeAPI) { // expect: unknown-api-member
  talaktiveApi.ui.show(); // expect: unknown-api-member
}
// A locally declared identifier is not a global.
const talkativeAPI = {};
function f(TalkativeApi) {
  return TalkativeApi;
}
