window.talkativeCustomConfig = {
  events: {
    ready() {
      talkativeApi.__unsafe.store.dispatch({ type: 'open' }); // expect: unsafe-api
      talkativeApi.ui.show();
    },
  },
};
