// Names checked against talkative-actions.yaml. Every call is guarded so only
// unknown-action can fire here.
if (window.talkativeApi) {
  window.talkativeApi.actions.triggerAction('strat-chat'); // expect: unknown-action
  window.talkativeApi.actions.triggerAction('start-chat');
  window.talkativeApi.actions.triggerAction(`start-vide`); // expect: unknown-action
  window.talkativeApi.actions.triggerAction("request-" + "callback");
  window.talkativeApi.actions.triggerAction("request-" + "callbak"); // expect: unknown-action
}

const CHAT = 'start-chat';
const BAD = 'start-chta'; // expect: unknown-action
const ACTIONS = { chat: CHAT, video: 'start-video', callback: 'call-back' }; // expect: unknown-action

window.talkativeApi?.actions.triggerAction(CHAT);
window.talkativeApi?.actions.triggerAction(BAD);
window.talkativeApi?.actions.triggerAction(ACTIONS.video);
window.talkativeApi?.actions.triggerAction(ACTIONS['callback']);
window.talkativeApi?.actions['triggerAction'](window.isMobile ? 'start-chat' : 'start-vidoe'); // expect: unknown-action

// The vendor's own pattern: a const array of objects iterated with forEach.
const actionToQueue = [
  { action: 'start-chat', queue: 'a6adeebf' },
  { action: 'start-videoo', queue: 'b7beeffc' }, // expect: unknown-action
];
actionToQueue.forEach((x) => window.talkativeApi?.actions.triggerAction(x.action));
for (const { action } of actionToQueue) {
  window.talkativeApi?.actions.triggerAction(action);
}

// Aliases.
const api = window.talkativeApi;
if (api) {
  api.actions.triggerAction('start-chat');
  const { actions } = api;
  actions.triggerAction('nope'); // expect: unknown-action
}
window['talkativeApi']?.actions.triggerAction('start-chat');
globalThis.talkativeApi?.actions.triggerAction('start-vide0'); // expect: unknown-action
