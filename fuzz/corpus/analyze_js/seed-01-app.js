import { openChat, showWidget } from './chat.js';

const ACTIONS = {
  chat: 'start-chat',
  video: 'start-vidoe',
};

document.querySelector('#video')?.addEventListener('click', () => openChat(ACTIONS.video));
document.querySelector('#show')?.addEventListener('click', showWidget);

document.querySelector('#menu-chat')?.addEventListener('click', async () => {
  if (typeof talkativeApi === 'undefined') return;
  await talkativeApi.actions.triggerAction(ACTIONS.chat);
  talkativeApi.actions.triggerAction('request-callback');
});

document.querySelector('#from-url')?.addEventListener('click', () => {
  const name = new URLSearchParams(location.search).get('action');
  window.talkativeApi?.actions.triggerAction(name).catch(() => {});
});

// action-lint-disable-next-line unknown-api-membr
window.talkativeAPI?.ui.hide();
