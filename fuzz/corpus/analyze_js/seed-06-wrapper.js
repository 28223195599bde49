// A wrapper other files call: its first argument is an action name.
export function openChat(name) {
  if (window.talkativeApi) {
    return window.talkativeApi.actions.triggerAction(name);
  }
}
