var talkativeCustomConfig = {
  events: {
    enterStandby: () => {
      if (sessionStorage.getItem('seen')) return;
      talkativeApi.actions.triggerAction('start-chat');
    },
  },
};
