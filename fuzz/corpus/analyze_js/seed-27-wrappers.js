// A wrapper: its calls anywhere in the project are references.
function openChat(name) {
  if (!window.talkativeApi) return;
  window.talkativeApi.actions.triggerAction(name);
}
const startFlow = (flow) => openChat(flow);

openChat('start-chat');
openChat('start-caht'); // expect: unknown-action
startFlow('request-callbak'); // expect: unknown-action
