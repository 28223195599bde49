const events = {
  enterStandby() {
    setTimeout(() => talkativeApi.actions.triggerAction('request-callback'), 500); // expect: retrigger-on-standby
  },
};
const cfg = { events };
window.talkativeCustomConfig = cfg;
