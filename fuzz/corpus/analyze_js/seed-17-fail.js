// Each marked line can throw while the widget has not loaded yet.
talkativeApi.actions.triggerAction('start-chat'); // expect: missing-guard
window.talkativeApi.actions.triggerAction('start-chat'); // expect: missing-guard
talkativeApi?.actions.triggerAction('start-chat'); // expect: missing-guard
window.talkativeApi.ui.show(); // expect: missing-guard
talkativeApi.queues.getPresences(); // expect: missing-guard

// The false side of a test.
if (!window.talkativeApi) {
  talkativeApi.actions.triggerAction('start-chat'); // expect: missing-guard
}
if (window.talkativeApi) {
  // fine
} else {
  window.talkativeApi.ui.hide(); // expect: missing-guard
}

// A test in a function that is not on the path to the call.
function isReady() {
  if (!window.talkativeApi) return false;
  return true;
}
document.querySelector('#chat').addEventListener('click', () => {
  isReady();
  window.talkativeApi.actions.triggerAction('start-chat'); // expect: missing-guard
});

// A test after the call.
function late() {
  window.talkativeApi.ui.show(); // expect: missing-guard
  if (!window.talkativeApi) return;
}
late();

// A catch that rethrows.
try {
  window.talkativeApi.ui.show(); // expect: missing-guard
} catch (e) {
  console.error(e);
  throw e;
}

// A closure created in a try runs later, outside it.
try {
  button.onclick = () => window.talkativeApi.ui.show(); // expect: missing-guard
} catch (e) {}

// A namespace alias is reported once, where it is taken.
const ui = window.talkativeApi.ui; // expect: missing-guard
ui.show();

// Destructuring undefined throws.
const { actions } = window.talkativeApi; // expect: missing-guard
const api2 = talkativeApi; // expect: missing-guard

// A bare read as a test throws a ReferenceError by itself.
if (talkativeApi) { // expect: missing-guard
  talkativeApi.ui.show();
}

// A function used as a value (listener) is not covered by its guarded calls.
function openChat() {
  window.talkativeApi.actions.triggerAction('start-chat'); // expect: missing-guard
}
if (window.talkativeApi) openChat();
document.body.addEventListener('click', openChat);

// A function called once unguarded.
function showUi() {
  window.talkativeApi.ui.show(); // expect: missing-guard
}
if (window.talkativeApi) showUi();
showUi();
