let welcomed = false;
window.talkativeCustomConfig = {
  events: {
    enterStandby() {
      talkativeApi.actions.triggerAction('start-chat'); // expect: retrigger-on-standby
      if (!welcomed) {
        welcomed = true;
        talkativeApi.actions.triggerAction('start-video');
      }
      welcomed || talkativeApi.actions.triggerAction('start-video');
    },
  },
};
