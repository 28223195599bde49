function escalate() {
  talkativeApi.actions.triggerAction('request-callback'); // expect: call-during-interaction
}

window.talkativeCustomConfig = {
  events: {
    enterInteraction() {
      talkativeApi.actions.triggerAction('start-video'); // expect: call-during-interaction
    },
    agentJoined: () => {
      setTimeout(() => talkativeApi.actions.triggerAction('start-video'), 1000); // expect: call-during-interaction
    },
    exitInteraction: function () {
      escalate();
    },
    ready() {
      // Standby: listeners registered here run later, outside any interaction.
      document.querySelector('#chat').addEventListener('click', () => {
        talkativeApi.actions.triggerAction('start-chat');
      });
    },
    completeInteraction() {
      talkativeApi.ui.hide();
    },
  },
  customTracking(event) {
    if (event === 'agentLeft') {
      talkativeApi.actions.triggerAction('request-callback'); // expect: call-during-interaction
    }
    if (event === 'ready') {
      talkativeApi.ui.show();
    }
    switch (event) {
      case 'enterDataCollection':
      case 'resumeInteraction':
        talkativeApi.actions.triggerAction('start-chat'); // expect: call-during-interaction
        break;
      case 'enterStandby':
        talkativeApi.ui.show();
        break;
    }
  },
};
