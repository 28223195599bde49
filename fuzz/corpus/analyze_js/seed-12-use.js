document.querySelector('#chat').onclick = () => window.talkativeApi?.actions.triggerAction('start-chat');
document.querySelector('#video').onclick = () => window.talkativeApi?.actions.triggerAction('start-video');
