document.querySelector('#a').addEventListener('click', async () => {
  if (!window.talkativeApi) return;
  await window.talkativeApi.actions.triggerAction('start-chat');
  await window.talkativeApi.actions.triggerAction('start-video'); // expect: call-during-interaction
});

document.querySelector('#b').addEventListener('click', () => {
  window.talkativeApi?.actions
    .triggerAction('start-chat')
    .then(() => window.talkativeApi.actions.triggerAction('start-video')) // expect: call-during-interaction
    .catch(console.error);
});

document.querySelector('#c').addEventListener('click', () => {
  if (!window.talkativeApi) return;
  window.talkativeApi.actions.triggerAction('start-chat').catch(console.error);
  // A listener registered after the call runs later, in its own flow.
  document.querySelector('#d').addEventListener('click', () => {
    window.talkativeApi.actions.triggerAction('start-video').catch(console.error);
  });
});

// Either branch, never both: not a sequence.
function pick(video) {
  if (!window.talkativeApi) return;
  if (video) {
    window.talkativeApi.actions.triggerAction('start-video').catch(console.error);
  } else {
    window.talkativeApi.actions.triggerAction('start-chat').catch(console.error);
  }
}
document.querySelector('#e').addEventListener('click', () => pick(true));
