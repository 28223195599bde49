const NAMES = { chat: 'start-chat', bad: 'start-chatty' } as const; // expect: unknown-action
type Name = (typeof NAMES)[keyof typeof NAMES];
function go(n: Name): void {
  if (typeof window.talkativeApi === 'undefined') return;
  window.talkativeApi!.actions.triggerAction(n);
}
go(NAMES.chat);
go(NAMES.bad);
const v = 'start-video' satisfies string;
go(v);
