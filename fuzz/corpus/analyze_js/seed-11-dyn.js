function onClick(event) {
  if (!window.talkativeApi) return;
  window.talkativeApi.actions.triggerAction(event.target.dataset.action); // expect: dynamic-action-name
  let name = 'start-chat';
  window.talkativeApi.actions.triggerAction(name); // expect: dynamic-action-name
  window.talkativeApi.actions.triggerAction(`start-${event.type}`); // expect: dynamic-action-name
  window.talkativeApi.actions.triggerAction(flag ? 'start-chat' : name); // expect: dynamic-action-name
  const fixed = 'start-video';
  window.talkativeApi.actions.triggerAction(fixed);
}
document.addEventListener('click', onClick);

// A wrapper's parameter is not dynamic: each call site is checked instead.
function start(name) {
  window.talkativeApi?.actions.triggerAction(name);
}
start('start-chat');
start(location.hash.slice(1)); // expect: dynamic-action-name

// A wrapper nobody calls yields nothing.
function unusedWrapper(n) {
  window.talkativeApi?.actions.triggerAction(n);
}
