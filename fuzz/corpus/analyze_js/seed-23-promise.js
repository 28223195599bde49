async function run() {
  if (!window.talkativeApi) return;
  const api = window.talkativeApi;
  api.actions.triggerAction('start-chat'); // expect: unhandled-promise
  await api.actions.triggerAction('start-chat');
  const p = api.actions.triggerAction('start-chat');
  void api.actions.triggerAction('start-chat');
  api.actions.triggerAction('start-chat').catch(console.error);
  api.actions.triggerAction('start-chat').then(() => {}, () => {});
  console.log(api.actions.triggerAction('start-chat')); // expect: unhandled-promise
  await Promise.all([api.actions.triggerAction('start-chat')]);
  return api.actions.triggerAction('start-chat');
}
const later = () => window.talkativeApi?.actions.triggerAction('start-video');
run().catch(console.error);
later();
