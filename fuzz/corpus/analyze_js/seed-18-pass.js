// Every use here is guarded: none may be reported.
if (window.talkativeApi) {
  window.talkativeApi.actions.triggerAction('start-chat');
  button.onclick = () => window.talkativeApi.ui.show(); // closures created under the guard
}
if (typeof talkativeApi !== 'undefined') talkativeApi.ui.show();
if (typeof talkativeApi != 'undefined') talkativeApi.ui.show();
if (!(typeof talkativeApi === 'undefined')) talkativeApi.ui.show();
if ('talkativeApi' in window) talkativeApi.ui.hide();
if (window.talkativeApi != null) window.talkativeApi.ui.show();
if (!!window.talkativeApi) window.talkativeApi.ui.show();
if (window.talkativeApi?.actions) window.talkativeApi.actions.getActions();
if (ready && window.talkativeApi) window.talkativeApi.ui.show();
window.talkativeApi && window.talkativeApi.ui.show();
const shown = window.talkativeApi ? window.talkativeApi.ui.isVisible() : false;
window.talkativeApi?.actions.triggerAction('start-chat');
window.talkativeApi?.ui.show();

const api = window.talkativeApi;
if (api) api.ui.show();
api?.ui.show();

function widgetReady() {
  return !!window.talkativeApi;
}
if (widgetReady()) talkativeApi.ui.show();

function onClick() {
  if (!window.talkativeApi) return;
  window.talkativeApi.actions.triggerAction('start-chat');
  setTimeout(() => window.talkativeApi.ui.show(), 100);
}
document.querySelector('#c').addEventListener('click', onClick);

function guardedThrow() {
  if (typeof talkativeApi === 'undefined') throw new Error('widget missing');
  talkativeApi.ui.show();
}

try {
  window.talkativeApi.ui.show();
} catch (e) {
  console.warn('widget not ready', e);
}

whenTalkativeReady(() => {
  talkativeApi.actions.triggerAction('start-video');
});

// Only ever called guarded, never used as a value.
function showChat() {
  window.talkativeApi.ui.show();
}
if (window.talkativeApi) showChat();
function helper() {
  showChat();
}
if (window.talkativeApi) {
  helper();
}

window.talkativeCustomConfig = {
  events: {
    ready() {
      talkativeApi.ui.show();
      document.querySelector('#b').addEventListener('click', () => talkativeApi.actions.triggerAction('start-chat'));
    },
  },
  customTracking(event) {
    talkativeApi.interactionData.appendInteractionData({ event });
  },
};
