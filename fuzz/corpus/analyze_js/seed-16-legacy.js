TalkativeEngageApi.startChat(); // expect: legacy-api
if (window.TalkativeEngageApi) { // expect: legacy-api
  window.TalkativeEngageApi.startVideo(); // expect: legacy-api
}
window.talkativeApi?.actions.triggerAction('start-chat');
