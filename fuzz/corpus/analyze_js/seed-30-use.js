window.talkativeApi?.actions.triggerAction('start-chat');
