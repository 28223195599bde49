// Shared widget helpers for every page.

/** Runs `fn` once the widget has loaded. */
export function whenTalkativeReady(fn) {
  if (window.talkativeApi) fn();
  else window.addEventListener('talkative:ready', fn, { once: true });
}

/** Starts an API Action by name; pages call it from buttons. */
export function openChat(name) {
  if (!window.talkativeApi) return Promise.resolve();
  return window.talkativeApi.actions.triggerAction(name).catch((e) => console.warn('chat', e));
}

const actionToQueue = [
  { action: 'start-chat', queue: 'sales' },
  { action: 'request-callbak', queue: 'support' },
];

export function preloadQueues() {
  actionToQueue.forEach((x) => window.talkativeApi?.actions.triggerAction(x.action).catch(() => {}));
}

export function showWidget() {
  talkativeApi.ui.show();
}

export function trackPresence() {
  whenTalkativeReady(() => {
    talkativeApi.queues.getPresences().then((p) => console.log('presences', p));
  });
}
